// Finds what a cluster serves for a resource argument (`deploy`, `deployments.apps`, `pod/web`) or for
// an object's apiVersion and kind, with kubectl's error texts.
import {resolveResourceArg} from '../api/registry.js'
import {UserError} from '../cli/errors.js'
import type {Cluster, Discovery, ServedResourceInfo} from '../client/cluster.js'

export class UnknownResourceType extends UserError {}

export class Resources {
  private refreshed = false

  private constructor(public discovery: Discovery, private readonly cluster?: Cluster) {}

  static async of(cluster: Cluster): Promise<Resources> {
    return new Resources(await cluster.discovery(), cluster)
  }

  static fromDiscovery(discovery: Discovery): Resources {
    return new Resources(discovery)
  }

  /**
   * When discovery came from the disk cache, asks the server once more (kubectl does the same when a
   * resource is not found: it may be new, e.g. from a CRD). True when something was re-read.
   */
  async refreshOnce(): Promise<boolean> {
    if (this.refreshed || !this.cluster?.refreshDiscovery || !this.cluster.discoveryFromCache) return false
    this.refreshed = true
    this.discovery = await this.cluster.refreshDiscovery()
    return true
  }

  /** Runs `fn`; if it fails on an unknown resource type and discovery was cached, refreshes and runs it again. */
  async retryUnknown<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      if (e instanceof UnknownResourceType && (await this.refreshOnce())) return fn()
      throw e
    }
  }

  /** `error: the server doesn't have a resource type "x"` when nothing matches. */
  resolve(arg: string): ServedResourceInfo {
    const found = resolveResourceArg(this.discovery.resources, this.discovery.groups, arg)[0]
    if (!found) throw new UnknownResourceType(`the server doesn't have a resource type "${arg}"`)
    return found
  }

  forKind(apiVersion: string, kind: string): ServedResourceInfo | undefined {
    const i = apiVersion.indexOf('/')
    const group = i < 0 ? '' : apiVersion.slice(0, i)
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1)
    return this.discovery.resources.find((r) => r.group === group && r.version === version && r.kind === kind)
  }

  /** kubectl's name for a type in `kind.group/name` output: `deployment.apps`, `pod`. */
  static typeName(r: {kind: string; group: string}): string {
    return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase()
  }

  /** kubectl's name in quoted messages: `deployments.apps "web"`. */
  static groupResource(r: {plural: string; group: string}): string {
    return r.group ? `${r.plural}.${r.group}` : r.plural
  }
}

/**
 * client-go's ServerPreferredResources: per group, the resources of its preferred version, then those
 * of other versions whose names the preferred version does not have.
 */
export function preferredResources(discovery: Discovery): ServedResourceInfo[] {
  const out: ServedResourceInfo[] = []
  for (const g of discovery.groups) {
    const seen = new Set<string>()
    const versions = [g.preferredVersion, ...g.versions.filter((v) => v !== g.preferredVersion)]
    for (const v of versions) {
      for (const r of discovery.resources) {
        if (r.group !== g.name || r.version !== v || seen.has(r.plural)) continue
        seen.add(r.plural)
        out.push(r)
      }
    }
  }
  return out
}
