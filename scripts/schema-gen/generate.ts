// Turns one Kubernetes OpenAPI v2 document into what kube2 ships in schemas/v1.NN/: compact JSON
// Schemas (no descriptions), the resource registry (discovery facts) and the patch metadata.
// Pure functions over the parsed documents, so the freshness test can regenerate in memory.
import {CATEGORIES, REMOVED_BEFORE_1_28, SHORT_NAMES} from './discovery-names.js'
import {compareKubeVersions} from '../../src/api/versions.js'

export {compareKubeVersions}

type Json = null | boolean | number | string | Json[] | {[k: string]: Json}
type JsonObject = {[k: string]: Json}
export interface OpenApiDocument {
  definitions: Record<string, JsonObject>
  paths: Record<string, Record<string, JsonObject>>
}

// The shapes of resources.json are the registry's own: one definition for writer and reader.
import type {GroupInfo, GroupVersionKind, RemovedApi, ResourceInfo, SubresourceInfo} from '../../src/api/registry.js'
export type {GroupInfo, GroupVersionKind, RemovedApi, ResourceInfo, SubresourceInfo}

export interface ResourceRegistryFile {
  kubernetesVersion: string
  groups: GroupInfo[]
  resources: ResourceInfo[]
  removed: RemovedApi[]
}

const KEPT_FORMATS = new Set(['int32', 'int64', 'byte', 'date-time', 'double'])
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity'

/** A definition's schema without prose: only what validation needs. */
export function compactSchema(s: JsonObject, name?: string): JsonObject {
  if (typeof s.$ref === 'string') return {$ref: s.$ref}
  const out: JsonObject = {}
  const intOrString = s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string'
  if (intOrString) out.type = ['integer', 'string']
  else if (name === QUANTITY) out.type = ['string', 'number']
  else if (s.type !== undefined) out.type = s.type
  if (!intOrString && typeof s.format === 'string' && KEPT_FORMATS.has(s.format)) out.format = s.format
  if (Array.isArray(s.enum)) out.enum = s.enum
  if (Array.isArray(s.required) && s.required.length > 0) out.required = s.required
  if (isObject(s.properties)) {
    const props: JsonObject = {}
    for (const key of Object.keys(s.properties).sort()) props[key] = compactSchema(s.properties[key] as JsonObject)
    out.properties = props
  }
  if (s.additionalProperties !== undefined) {
    out.additionalProperties = isObject(s.additionalProperties) ? compactSchema(s.additionalProperties) : s.additionalProperties
  }
  if (isObject(s.items)) out.items = compactSchema(s.items)
  if (s['x-kubernetes-preserve-unknown-fields'] === true) out['x-kubernetes-preserve-unknown-fields'] = true
  return out
}

export function compactDefinitions(doc: OpenApiDocument): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {}
  for (const name of Object.keys(doc.definitions).sort()) out[name] = compactSchema(doc.definitions[name], name)
  return out
}

/**
 * The definitions as the apiserver publishes them, descriptions included: what `kubectl explain`
 * reads from /openapi/v3 (and clients from /openapi/v2). Shipped gzip-compressed; sorted by name.
 */
export function documentedDefinitions(doc: OpenApiDocument): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {}
  for (const name of Object.keys(doc.definitions).sort()) out[name] = doc.definitions[name]
  return out
}

/** Patch metadata per definition: fields with a patch strategy, list/map information, or a nested object type. */
export function patchMetadata(doc: OpenApiDocument): Record<string, Record<string, JsonObject>> {
  const out: Record<string, Record<string, JsonObject>> = {}
  for (const name of Object.keys(doc.definitions).sort()) {
    const props = doc.definitions[name].properties
    if (!isObject(props)) continue
    const fields: Record<string, JsonObject> = {}
    for (const field of Object.keys(props).sort()) {
      const info = fieldPatchInfo(props[field] as JsonObject)
      if (info) fields[field] = info
    }
    if (Object.keys(fields).length > 0) out[name] = fields
  }
  return out
}

function fieldPatchInfo(p: JsonObject): JsonObject | undefined {
  const info: JsonObject = {}
  const element = isObject(p.items) ? p.items : isObject(p.additionalProperties) ? p.additionalProperties : p
  if (typeof element.$ref === 'string') info.type = refName(element.$ref)
  if (p.type === 'array') info.list = true
  if (isObject(p.additionalProperties)) info.map = true
  if (typeof p['x-kubernetes-patch-strategy'] === 'string') info.strategy = p['x-kubernetes-patch-strategy'].split(',')
  if (typeof p['x-kubernetes-patch-merge-key'] === 'string') info.mergeKey = p['x-kubernetes-patch-merge-key']
  if (typeof p['x-kubernetes-list-type'] === 'string') info.listType = p['x-kubernetes-list-type']
  if (Array.isArray(p['x-kubernetes-list-map-keys'])) info.mapKeys = p['x-kubernetes-list-map-keys']
  if (typeof p['x-kubernetes-map-type'] === 'string') info.mapType = p['x-kubernetes-map-type']
  // A list of primitives without any patch information is atomic: nothing to record.
  if (Object.keys(info).length === 0 || (Object.keys(info).length === 1 && info.list)) return undefined
  return info
}

function refName(ref: string): string {
  return ref.replace(/^#\/definitions\//, '')
}

/** The resource registry: every REST resource with its kind, scope, verbs and subresources. */
export function resourceRegistry(doc: OpenApiDocument): {groups: GroupInfo[]; resources: ResourceInfo[]} {
  const kindToDefinition = new Map<string, string>()
  for (const [name, def] of Object.entries(doc.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind']
    if (!Array.isArray(gvks)) continue
    for (const g of gvks as JsonObject[]) kindToDefinition.set(`${g.group}/${g.version}/${g.kind}`, name)
  }

  interface Building {
    group: string
    version: string
    plural: string
    kind?: string
    namespaced: boolean
    verbs: Set<string>
    subresources: Map<string, {gvk?: GroupVersionKind; verbs: Set<string>}>
  }
  const resources = new Map<string, Building>()

  for (const [path, item] of Object.entries(doc.paths)) {
    const parsed = parsePath(path)
    if (!parsed) continue
    const key = `${parsed.group}/${parsed.version}/${parsed.plural}`
    let r = resources.get(key)
    if (!r) {
      r = {group: parsed.group, version: parsed.version, plural: parsed.plural, namespaced: false, verbs: new Set(), subresources: new Map()}
      resources.set(key, r)
    }
    if (parsed.namespaced) r.namespaced = true
    for (const [method, op] of Object.entries(item)) {
      const action = op['x-kubernetes-action']
      if (typeof action !== 'string') continue
      const gvk = op['x-kubernetes-group-version-kind'] as unknown as GroupVersionKind | undefined
      if (parsed.subresource) {
        let sub = r.subresources.get(parsed.subresource)
        if (!sub) r.subresources.set(parsed.subresource, (sub = {verbs: new Set()}))
        if (gvk && !sub.gvk) sub.gvk = gvk
        const verb = subresourceVerb(method, action)
        if (verb) sub.verbs.add(verb)
        continue
      }
      if (gvk && !r.kind && action !== 'connect') r.kind = gvk.kind
      const verb = parsed.watch ? 'watch' : resourceVerb(action, parsed.item)
      if (verb) r.verbs.add(verb)
    }
  }

  const list: ResourceInfo[] = []
  for (const r of resources.values()) {
    if (!r.kind) continue
    const qualified = r.group ? `${r.plural}.${r.group}` : r.plural
    const info: ResourceInfo = {
      group: r.group,
      version: r.version,
      kind: r.kind,
      plural: r.plural,
      singular: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      verbs: [...r.verbs].sort(),
    }
    if (SHORT_NAMES[qualified]) info.shortNames = SHORT_NAMES[qualified]
    if (CATEGORIES[qualified]) info.categories = CATEGORIES[qualified]
    if (r.subresources.size > 0) {
      info.subresources = [...r.subresources.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, s]) => ({
          name,
          group: s.gvk?.group ?? r.group,
          version: s.gvk?.version ?? r.version,
          kind: s.gvk?.kind ?? r.kind!,
          verbs: [...s.verbs].sort(),
        }))
    }
    const def = kindToDefinition.get(`${r.group}/${r.version}/${r.kind}`)
    if (def) info.definition = def
    list.push(info)
  }
  list.sort((a, b) => a.group.localeCompare(b.group) || compareKubeVersions(a.version, b.version) || a.plural.localeCompare(b.plural))

  const versionsByGroup = new Map<string, Set<string>>()
  for (const r of list) {
    if (!versionsByGroup.has(r.group)) versionsByGroup.set(r.group, new Set())
    versionsByGroup.get(r.group)!.add(r.version)
  }
  const groups = [...versionsByGroup.entries()]
    .map(([name, vs]) => {
      const versions = [...vs].sort(compareKubeVersions)
      return {name, versions, preferredVersion: versions[0]}
    })
    .sort((a, b) => (a.name === '' ? -1 : b.name === '' ? 1 : a.name.localeCompare(b.name)))
  return {groups, resources: list}
}

interface ParsedPath {
  group: string
  version: string
  plural: string
  namespaced: boolean
  item: boolean
  watch: boolean
  subresource?: string
}

function parsePath(path: string): ParsedPath | undefined {
  const segs = path.split('/').filter(Boolean)
  let group: string, version: string, rest: string[]
  if (segs[0] === 'api' && segs.length >= 2) {
    group = ''
    version = segs[1]
    rest = segs.slice(2)
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    group = segs[1]
    version = segs[2]
    rest = segs.slice(3)
  } else return undefined
  if (rest.length === 0) return undefined
  let watch = false
  if (rest[0] === 'watch') {
    watch = true
    rest = rest.slice(1)
  }
  let namespaced = false
  if (rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length >= 3) {
    namespaced = true
    rest = rest.slice(2)
  }
  const plural = rest[0]
  if (!plural || plural.startsWith('{')) return undefined
  const item = rest[1] === '{name}'
  const subresource = item && rest.length >= 3 ? rest[2] : undefined
  return {group, version, plural, namespaced, item, watch, subresource}
}

function resourceVerb(action: string, item: boolean): string | undefined {
  switch (action) {
    case 'list': return 'list'
    case 'post': return 'create'
    case 'deletecollection': return 'deletecollection'
    case 'get': return item ? 'get' : 'list'
    case 'put': return 'update'
    case 'patch': return 'patch'
    case 'delete': return 'delete'
    case 'watch':
    case 'watchlist': return 'watch'
    default: return undefined
  }
}

function subresourceVerb(method: string, action: string): string | undefined {
  if (action === 'connect') return method === 'get' ? 'get' : method === 'post' ? 'create' : undefined
  return resourceVerb(action, true)
}

/**
 * APIs removed by a release, computed from the documents of earlier releases (beta and GA versions
 * only: alpha APIs come and go) plus the hand-kept table of removals before 1.28. The replacement is
 * the preferred version of the same kind in the group that still serves it.
 */
export function removedApis(
  target: string,
  registries: Array<{kubernetesVersion: string; resources: ResourceInfo[]; groups: GroupInfo[]}>,
): RemovedApi[] {
  const removed = new Map<string, RemovedApi>()
  for (const [key, [removedIn, replacement]] of Object.entries(REMOVED_BEFORE_1_28)) {
    const i = key.lastIndexOf('/')
    removed.set(key, {apiVersion: key.slice(0, i), kind: key.slice(i + 1), removedIn, replacement})
  }
  const ordered = [...registries].sort((a, b) => minor(a.kubernetesVersion) - minor(b.kubernetesVersion))
  const targetIndex = ordered.findIndex((r) => r.kubernetesVersion === target)
  for (let i = 1; i <= targetIndex; i++) {
    const now = ordered[i]
    const served = new Set(now.resources.map((r) => `${apiVersionOf(r)}/${r.kind}`))
    for (let j = 0; j < i; j++) {
      for (const r of ordered[j].resources) {
        const key = `${apiVersionOf(r)}/${r.kind}`
        if (served.has(key) || removed.has(key) || /alpha/.test(r.version)) continue
        if (!r.verbs.includes('create') && !r.verbs.includes('get')) continue
        const successor = now.resources
          .filter((s) => s.group === r.group && s.kind === r.kind)
          .sort((a, b) => compareKubeVersions(a.version, b.version))[0]
        removed.set(key, {apiVersion: apiVersionOf(r), kind: r.kind, removedIn: now.kubernetesVersion, replacement: successor ? apiVersionOf(successor) : ''})
      }
    }
  }
  return [...removed.values()].sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind))
}

function minor(v: string): number {
  return Number(v.split('.')[1])
}

export function apiVersionOf(r: {group: string; version: string}): string {
  return r.group ? `${r.group}/${r.version}` : r.version
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** One definition per line: small diffs when a release changes a few types, and still compact. */
export function stableJson(map: Record<string, unknown>): string {
  const lines = Object.keys(map).map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`)
  return `{\n${lines.join(',\n')}\n}\n`
}
