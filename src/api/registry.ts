// The resource registry: which resources a Kubernetes release serves (group, version, kind, plural,
// scope, verbs, subresources, short names) and kubectl's rules for finding one by any name it accepts:
// `deploy`, `deployments`, `Deployment`, `deployments.apps`, `deployment.v1.apps`.
import {loadResourcesFile} from '../schema/files.js'

export interface GroupVersionKind {
  group: string
  version: string
  kind: string
}

export interface SubresourceInfo {
  name: string
  group: string
  version: string
  kind: string
  verbs: string[]
}

export interface ResourceInfo {
  group: string
  version: string
  kind: string
  plural: string
  singular: string
  namespaced: boolean
  verbs: string[]
  shortNames?: string[]
  categories?: string[]
  subresources?: SubresourceInfo[]
  /** OpenAPI definition name of the kind, when there is one. */
  definition?: string
}

export interface GroupInfo {
  name: string
  versions: string[]
  preferredVersion: string
}

export interface RemovedApi {
  apiVersion: string
  kind: string
  removedIn: string
  replacement: string
}

export interface RegistryFile {
  kubernetesVersion: string
  groups: GroupInfo[]
  resources: ResourceInfo[]
  removed: RemovedApi[]
}

export function splitApiVersion(apiVersion: string): {group: string; version: string} {
  const i = apiVersion.indexOf('/')
  return i < 0 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1)}
}

export function joinApiVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

export function groupResource(r: {plural: string; group: string}): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural
}

export class ResourceRegistry {
  readonly kubernetesVersion: string
  readonly groups: GroupInfo[]
  readonly resources: ResourceInfo[]
  readonly removed: RemovedApi[]
  private readonly byGvk = new Map<string, ResourceInfo>()
  /** forKind's answers by `apiVersion/kind`, misses included: it runs for every object validated. */
  private readonly byApiVersionKind = new Map<string, ResourceInfo | null>()
  private readonly removedByKey: Map<string, RemovedApi>
  private readonly preferred = new Map<string, string>()

  constructor(file: RegistryFile) {
    this.kubernetesVersion = file.kubernetesVersion
    this.groups = file.groups
    this.resources = file.resources
    this.removed = file.removed
    this.removedByKey = new Map(file.removed.map((r) => [`${r.apiVersion}/${r.kind}`, r]))
    for (const g of file.groups) this.preferred.set(g.name, g.preferredVersion)
    for (const r of file.resources) {
      const key = `${r.group}/${r.version}/${r.kind}`
      // A kind may be served by several resources of one version; the first (sorted by plural) wins,
      // except that a plural that is the kind's own name always wins.
      const existing = this.byGvk.get(key)
      if (!existing || (r.plural === `${r.kind.toLowerCase()}s` && existing.plural !== r.plural)) this.byGvk.set(key, r)
    }
  }

  private static readonly loaded = new Map<string, ResourceRegistry>()

  static forVersion(kubernetesVersion: string): ResourceRegistry {
    let r = ResourceRegistry.loaded.get(kubernetesVersion)
    if (!r) {
      r = new ResourceRegistry(loadResourcesFile<RegistryFile>(kubernetesVersion))
      ResourceRegistry.loaded.set(kubernetesVersion, r)
    }
    return r
  }

  /** The resource that serves a kind in one API version (e.g. from an object's apiVersion and kind). */
  forKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    const key = `${apiVersion}/${kind}`
    let info = this.byApiVersionKind.get(key)
    if (info === undefined) {
      const {group, version} = splitApiVersion(apiVersion)
      info = this.byGvk.get(`${group}/${version}/${kind}`) ?? null
      this.byApiVersionKind.set(key, info)
    }
    return info ?? undefined
  }

  preferredVersion(group: string): string | undefined {
    return this.preferred.get(group)
  }

  /** An API that this release no longer serves, with its replacement. */
  removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
    return this.removedByKey.get(`${apiVersion}/${kind}`)
  }

  isServedGroupVersion(apiVersion: string): boolean {
    const {group, version} = splitApiVersion(apiVersion)
    return this.groups.some((g) => g.name === group && g.versions.includes(version))
  }

  /**
   * Resolves a resource argument as kubectl does: a plural, singular, short name or kind, optionally
   * qualified by group (`deployments.apps`) or by version and group (`deployment.v1.apps`); matching is
   * case-insensitive. Among versions of a group the preferred one wins; among groups, the core group
   * and then the first group in discovery order (kubectl's priority).
   */
  lookup(arg: string): ResourceInfo | undefined {
    return this.lookupAll(arg)[0]
  }

  lookupAll(arg: string): ResourceInfo[] {
    return resolveResourceArg(this.resources, this.groups, arg)
  }

  /** Every resource in a category such as `all`, in preferred versions. */
  category(name: string): ResourceInfo[] {
    return this.resources.filter((r) => r.categories?.includes(name) && this.preferred.get(r.group) === r.version)
  }
}

function matchesName(r: ResourceInfo, name: string): boolean {
  return r.plural === name || r.singular === name || r.kind.toLowerCase() === name || (r.shortNames?.includes(name) ?? false)
}

/**
 * kubectl's resource-argument resolution over any set of served resources (a release's built-ins, or
 * what a cluster's discovery returns, custom resources included). `groups` gives discovery order and
 * each group's preferred version.
 */
export function resolveResourceArg<T extends ResourceInfo>(resources: T[], groups: Array<{name: string; preferredVersion: string}>, arg: string): T[] {
  const input = arg.trim().toLowerCase()
  if (!input) return []
  const matches = (r: T, name: string) =>
    r.plural === name || r.singular === name || r.kind.toLowerCase() === name || (r.shortNames?.includes(name) ?? false)
  let candidates: T[]
  const firstDot = input.indexOf('.')
  if (firstDot > 0) {
    const name = input.slice(0, firstDot)
    const rest = input.slice(firstDot + 1)
    const secondDot = rest.indexOf('.')
    if (secondDot > 0) {
      const version = rest.slice(0, secondDot)
      const group = rest.slice(secondDot + 1)
      const exact = resources.filter((r) => r.version === version && r.group === group && matches(r, name))
      if (exact.length > 0) return exact
    }
    const core = resources.filter((r) => r.group === '' && r.version === rest && matches(r, name))
    if (core.length > 0) return core
    candidates = resources.filter((r) => r.group === rest && matches(r, name))
  } else {
    candidates = resources.filter((r) => matches(r, input))
  }
  const groupOrder = new Map(groups.map((g, i) => [g.name, i]))
  const preferred = new Map(groups.map((g) => [g.name, g.preferredVersion]))
  const sorted = [...candidates].sort((a, b) =>
    (groupOrder.get(a.group) ?? 999) - (groupOrder.get(b.group) ?? 999) ||
    (preferred.get(a.group) === a.version ? 0 : 1) - (preferred.get(b.group) === b.version ? 0 : 1) ||
    (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
  // One match per group: its preferred version (or the best other one).
  const seen = new Set<string>()
  return sorted.filter((r) => {
    if (seen.has(r.group)) return false
    seen.add(r.group)
    return true
  })
}
