// The resources this API server serves: the built-in ones of its Kubernetes release (GA and beta
// versions; alpha APIs are off by default as on a real cluster) plus those that
// CustomResourceDefinitions add while it runs. Also where each resource's objects are stored.
import {ResourceRegistry, type ResourceInfo, type SubresourceInfo} from '../api/registry.js'
import {compareKubeVersions} from '../api/versions.js'

export interface ServedResource extends ResourceInfo {
  /** Storage prefix shared by every version of the resource: /registry/<group|core>/<plural>/ */
  storagePrefix: string
  /** Set for resources defined by a CustomResourceDefinition. */
  crd?: {name: string; uid?: string; printerColumns?: unknown[]; hasStatus: boolean; hasScale: boolean}
}

export class ResourceCatalog {
  private readonly byGvr = new Map<string, ServedResource>()
  private readonly byGvk = new Map<string, ServedResource>()
  readonly registry: ResourceRegistry

  constructor(readonly kubernetesVersion: string) {
    this.registry = ResourceRegistry.forVersion(kubernetesVersion)
    for (const r of this.registry.resources) {
      if (/alpha/.test(r.version)) continue
      this.add({...r, storagePrefix: storagePrefix(r.group, r.plural)})
    }
  }

  private add(r: ServedResource): void {
    this.byGvr.set(`${r.group}/${r.version}/${r.plural}`, r)
    const gvk = `${r.group}/${r.version}/${r.kind}`
    if (!this.byGvk.has(gvk)) this.byGvk.set(gvk, r)
  }

  /** Serves an API that is not stored (an aggregated API such as metrics.k8s.io). */
  addAggregated(resources: ServedResource[]): void {
    for (const r of resources) this.add(r)
  }

  lookup(group: string, version: string, resource: string): ServedResource | undefined {
    return this.byGvr.get(`${group}/${version}/${resource}`)
  }

  forKind(group: string, version: string, kind: string): ServedResource | undefined {
    return this.byGvk.get(`${group}/${version}/${kind}`)
  }

  all(): ServedResource[] {
    return [...this.byGvr.values()]
  }

  /** Group -> versions, preferred first (discovery order). */
  groups(): Array<{name: string; versions: string[]}> {
    const m = new Map<string, Set<string>>()
    for (const r of this.byGvr.values()) {
      if (!m.has(r.group)) m.set(r.group, new Set())
      m.get(r.group)!.add(r.version)
    }
    return [...m.entries()].map(([name, vs]) => ({name, versions: [...vs].sort(compareKubeVersions)}))
  }

  /** Serves (or stops serving) the resources of a CRD; returns what changed. */
  applyCustomResourceDefinition(crd: Record<string, unknown>, established: boolean): void {
    const spec = (crd.spec ?? {}) as Record<string, unknown>
    const names = (spec.names ?? {}) as Record<string, unknown>
    const group = String(spec.group ?? '')
    const plural = String(names.plural ?? '')
    const kind = String(names.kind ?? '')
    const name = String((crd.metadata as Record<string, unknown> | undefined)?.name ?? '')
    this.removeCustomResourceDefinition(name)
    if (!established || !group || !plural || !kind) return
    for (const v of (spec.versions ?? []) as Array<Record<string, unknown>>) {
      if (v.served === false) continue
      const sub = (v.subresources ?? {}) as Record<string, unknown>
      const subresources: SubresourceInfo[] = []
      if (sub.status !== undefined) subresources.push({name: 'status', group, version: String(v.name), kind, verbs: ['get', 'patch', 'update']})
      if (sub.scale !== undefined) subresources.push({name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update']})
      const r: ServedResource = {
        group,
        version: String(v.name),
        kind,
        plural,
        singular: String(names.singular ?? kind.toLowerCase()),
        namespaced: spec.scope !== 'Cluster',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        storagePrefix: storagePrefix(group, plural),
        crd: {name, printerColumns: v.additionalPrinterColumns as unknown[] | undefined, hasStatus: sub.status !== undefined, hasScale: sub.scale !== undefined},
      }
      if (Array.isArray(names.shortNames)) r.shortNames = names.shortNames as string[]
      if (Array.isArray(names.categories)) r.categories = names.categories as string[]
      if (subresources.length > 0) r.subresources = subresources
      this.add(r)
    }
  }

  removeCustomResourceDefinition(name: string): void {
    for (const [k, r] of this.byGvr) if (r.crd?.name === name) this.byGvr.delete(k)
    for (const [k, r] of this.byGvk) if (r.crd?.name === name) this.byGvk.delete(k)
  }
}

export function storagePrefix(group: string, plural: string): string {
  return `/registry/${group || 'core'}/${plural}/`
}

export function storageKey(r: ServedResource, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${r.storagePrefix}${namespace}/${name}` : `${r.storagePrefix}${name}`
}
