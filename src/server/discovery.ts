// The discovery documents of the emulated apiserver, built from its catalog on every request so
// that they follow CustomResourceDefinitions as they come and go: /api (APIVersions), /apis
// (APIGroupList), /apis/<g> (APIGroup), /api/v1 and /apis/<g>/<v> (APIResourceList), and the
// aggregated form (apidiscovery.k8s.io v2 / v2beta1 APIGroupDiscoveryList) that kubectl 1.27+ asks
// for first; plus /version and the health endpoints.
import {createHash} from 'node:crypto'
import type {ResourceCatalog, ServedResource} from '../apiserver/catalog.js'
import {release} from '../kubelet/release.js'
import {parseAccept} from './routes.js'

type Obj = Record<string, unknown>

/**
 * Group order in discovery: the kube-apiserver's APIService group priorities (highest first); groups
 * not listed (custom resources, aggregated APIs) follow alphabetically, as equal priorities do.
 */
const GROUP_PRIORITY: Record<string, number> = {
  '': 18000, 'apiregistration.k8s.io': 17900, apps: 17800, 'events.k8s.io': 17750, 'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600, autoscaling: 17500, batch: 17400, 'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200, policy: 17100, 'rbac.authorization.k8s.io': 17000, 'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700, 'apiextensions.k8s.io': 16700, 'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500, 'node.k8s.io': 16300, 'discovery.k8s.io': 16200, 'flowcontrol.apiserver.k8s.io': 16100,
  'internal.apiserver.k8s.io': 16000, 'resource.k8s.io': 15900, 'storagemigration.k8s.io': 15800,
}

export interface GroupVersions {
  name: string
  /** Preferred first. */
  versions: string[]
}

/** The served groups in discovery order, each with its versions preferred first. */
export function servedGroups(catalog: ResourceCatalog): GroupVersions[] {
  const preferred = new Map(catalog.registry.groups.map((g) => [g.name, g.preferredVersion]))
  return catalog.groups()
    .map((g) => {
      const p = preferred.get(g.name)
      // catalog.groups() sorts versions GA > beta > alpha, newest first: kube-like priority order.
      const versions = p && g.versions.includes(p) ? [p, ...g.versions.filter((v) => v !== p)] : g.versions
      return {name: g.name, versions}
    })
    .sort((a, b) => (GROUP_PRIORITY[b.name] ?? 0) - (GROUP_PRIORITY[a.name] ?? 0) || a.name.localeCompare(b.name))
}

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

/** apiserver's storageversionhash: the first 8 bytes of sha256("<group>/<version>/<kind>"), base64. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64')
}

export function apiVersions(serverAddress: string): Obj {
  return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]}
}

function apiGroup(g: GroupVersions): Obj {
  const versions = g.versions.map((v) => ({groupVersion: gv(g.name, v), version: v}))
  return {name: g.name, versions, preferredVersion: versions[0]}
}

export function apiGroupList(catalog: ResourceCatalog): Obj {
  return {kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(catalog).filter((g) => g.name !== '').map(apiGroup)}
}

export function apiGroupDocument(catalog: ResourceCatalog, group: string): Obj | undefined {
  const g = servedGroups(catalog).find((x) => x.name === group && group !== '')
  return g ? {kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g)} : undefined
}

function resourcesOf(catalog: ResourceCatalog, group: string, version: string): ServedResource[] {
  return catalog.all().filter((r) => r.group === group && r.version === version).sort((a, b) => a.plural.localeCompare(b.plural))
}

/** The storage version of a resource: its group's preferred version that serves it (else its own). */
function storageVersion(catalog: ResourceCatalog, r: ServedResource): string {
  if (r.crd) return r.version
  const p = catalog.registry.preferredVersion(r.group)
  return p && catalog.lookup(r.group, p, r.plural) ? p : r.version
}

/** /api/v1 or /apis/<g>/<v>: each resource, then its subresources as `<plural>/<sub>`. */
export function apiResourceList(catalog: ResourceCatalog, group: string, version: string): Obj | undefined {
  const served = resourcesOf(catalog, group, version)
  if (served.length === 0) return undefined
  const resources: Obj[] = []
  for (const r of served) {
    const e: Obj = {name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs}
    if (r.shortNames?.length) e.shortNames = r.shortNames
    if (r.categories?.length) e.categories = r.categories
    if (r.storagePrefix) e.storageVersionHash = storageVersionHash(r.group, storageVersion(catalog, r), r.kind)
    resources.push(e)
    for (const s of r.subresources ?? []) {
      const sub: Obj = {name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced}
      if (s.group !== r.group || s.version !== r.version) Object.assign(sub, {group: s.group, version: s.version})
      Object.assign(sub, {kind: s.kind, verbs: s.verbs})
      resources.push(sub)
    }
  }
  return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources}
}

/** An aggregated-discovery version of the media type the client asked for, if it asked for one. */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.type !== 'application/json' && m.type !== '*/*' && m.type !== 'application/*') continue
    if (m.params.as === undefined) return undefined
    if (m.params.as === 'APIGroupDiscoveryList' && m.params.g === 'apidiscovery.k8s.io' && (m.params.v === 'v2' || m.params.v === 'v2beta1')) return m.params.v
  }
  return undefined
}

export function aggregatedContentType(v: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`
}

function discoveryResource(r: ServedResource): Obj {
  const e: Obj = {
    resource: r.plural,
    responseKind: {group: r.group, version: r.version, kind: r.kind},
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  }
  if (r.shortNames?.length) e.shortNames = r.shortNames
  if (r.categories?.length) e.categories = r.categories
  if (r.subresources?.length) {
    e.subresources = r.subresources.map((s) => ({subresource: s.name, responseKind: {group: s.group, version: s.version, kind: s.kind}, verbs: s.verbs}))
  }
  return e
}

/** The aggregated document for /api (`legacy`: the core group alone) or /apis (every other group). */
export function aggregatedDiscovery(catalog: ResourceCatalog, legacy: boolean, v: 'v2' | 'v2beta1'): Obj {
  const items = servedGroups(catalog)
    .filter((g) => (g.name === '') === legacy)
    .map((g) => ({
      metadata: {name: g.name, creationTimestamp: null},
      versions: g.versions.map((version) => ({version, resources: resourcesOf(catalog, g.name, version).map(discoveryResource), freshness: 'Current'})),
    }))
  return {kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items}
}

/** /version, for the emulated release (the kubelets report the same gitVersion). */
export function versionInfo(kubernetesVersion: string): Obj {
  const r = release(kubernetesVersion)
  const info: Obj = {major: '1', minor: String(r.minor)}
  // Compatibility versions appear in /version since 1.33.
  if (r.minor >= 33) Object.assign(info, {emulationMajor: '1', emulationMinor: String(r.minor), minCompatibilityMajor: '1', minCompatibilityMinor: String(r.minor - 1)})
  return {
    ...info,
    gitVersion: r.version,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  }
}

/** The checks a health endpoint lists with `?verbose` (each passes while the server answers). */
const HEALTH_CHECKS: Record<string, string[]> = {
  healthz: ['ping', 'log', 'etcd', 'poststarthook/start-apiextensions-controllers', 'poststarthook/crd-informer-synced', 'autoregister-completion'],
  livez: ['ping', 'log', 'etcd', 'poststarthook/start-apiextensions-controllers', 'poststarthook/crd-informer-synced', 'autoregister-completion'],
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', 'poststarthook/start-apiextensions-controllers', 'poststarthook/crd-informer-synced', 'autoregister-completion', 'shutdown'],
}

/**
 * /healthz, /livez, /readyz and their single checks (`/readyz/etcd`): `ok`, or with `?verbose` the
 * list of checks as the apiserver prints it. Undefined for an unknown check (404).
 */
export function healthText(path: string, verbose: boolean): string | undefined {
  const [endpoint, ...rest] = path.replace(/^\/+|\/+$/g, '').split('/')
  const checks = HEALTH_CHECKS[endpoint ?? '']
  if (!checks) return undefined
  if (rest.length > 0) return checks.includes(rest.join('/')) ? 'ok' : undefined
  if (!verbose) return 'ok'
  return `${checks.map((c) => `[+]${c} ok`).join('\n')}\n${endpoint} check passed\n`
}
