// /openapi/v2 and /openapi/v3 of the emulated apiserver, from the documented definitions the
// generator ships (schemas/v1.NN/openapi-definitions.json.gz) plus the catalog: one v3 document per
// group-version holding the schemas its kinds reach and, per resource, the PATCH operation with the
// query parameters kubectl looks for (fieldValidation decides between server- and client-side
// validation). Custom resources get their CRD's structural schema. `kubectl explain` reads these.
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {gunzipSync} from 'node:zlib'
import type {ResourceCatalog, ServedResource} from '../apiserver/catalog.js'
import {release} from '../kubelet/release.js'

type Obj = Record<string, unknown>

const SCHEMAS = new URL('../../schemas/', import.meta.url)
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'

const definitionsByVersion = new Map<string, Record<string, Obj>>()

/** The definitions (with descriptions) of a release, read once. */
export function documentedDefinitions(kubernetesVersion: string): Record<string, Obj> {
  const minor = release(kubernetesVersion).minor
  let defs = definitionsByVersion.get(String(minor))
  if (!defs) {
    const file = new URL(`v1.${minor}/openapi-definitions.json.gz`, SCHEMAS)
    defs = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Record<string, Obj>
    definitionsByVersion.set(String(minor), defs)
  }
  return defs
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Every definition name reachable from `roots` through $refs. */
function closure(defs: Record<string, Obj>, roots: string[]): string[] {
  const seen = new Set<string>()
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') add(x.slice(x.lastIndexOf('/') + 1))
        else visit(x)
      }
    }
  }
  const add = (name: string): void => {
    if (seen.has(name) || !defs[name]) return
    seen.add(name)
    visit(defs[name])
  }
  roots.forEach(add)
  return [...seen].sort()
}

/**
 * A v2 schema in OpenAPI v3 form, as the apiserver publishes it: refs point into
 * components/schemas, and a ref with siblings (a description, a default) is wrapped in allOf.
 */
export function toV3Schema(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toV3Schema)
  if (!isObj(v)) return v
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === '$ref' && typeof x === 'string') continue
    out[k] = k === 'properties' || k === 'definitions' ? mapValues(x, toV3Schema) : k === 'enum' || k === 'default' || k === 'example' ? x : toV3Schema(x)
  }
  if (typeof v.$ref === 'string') {
    const ref = v.$ref.replace('#/definitions/', '#/components/schemas/')
    return Object.keys(out).length === 0 ? {$ref: ref} : {allOf: [{$ref: ref}], ...out}
  }
  return out
}

function mapValues(v: unknown, f: (x: unknown) => unknown): unknown {
  if (!isObj(v)) return v
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) out[k] = f(x)
  return out
}

/** `apis/apps/v1` or `api/v1`: the document key of a group-version. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`
}

function queryParam(name: string, description: string): Obj {
  return {name, in: 'query', description, schema: {type: 'string', uniqueItems: true}}
}

const PATCH_PARAMETERS = [
  queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (default) and Strict.'),
  {name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: {type: 'boolean', uniqueItems: true}},
]

/** The item path of a resource and its get/patch operations (enough for kubectl's parameter checks). */
function resourcePaths(r: ServedResource, schemaName: string, version3: boolean): Record<string, Obj> {
  const base = `/${groupVersionPath(r.group, r.version)}`
  const item = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}/{name}` : `${base}/${r.plural}/{name}`
  const gvk = {group: r.group, version: r.version, kind: r.kind}
  const ref = version3 ? `#/components/schemas/${schemaName}` : `#/definitions/${schemaName}`
  const response = version3 ? {description: 'OK', content: {'application/json': {schema: {$ref: ref}}}} : {description: 'OK', schema: {$ref: ref}}
  const params = version3 ? PATCH_PARAMETERS : PATCH_PARAMETERS.map(({schema, ...p}) => ({...p, ...(schema as Obj), type: (schema as Obj).type}))
  const ops: Obj = {}
  if (r.verbs.includes('get')) ops.get = {operationId: `read${r.kind}`, responses: {200: response}, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk}
  if (r.verbs.includes('patch')) ops.patch = {operationId: `patch${r.kind}`, parameters: params, responses: {200: response}, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk}
  return {[item]: ops}
}

/** The definition name of a custom resource's schema (reversed group, version, kind). */
function crdSchemaName(r: ServedResource): string {
  return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`
}

/** A CRD version's structural schema with the GVK and ObjectMeta the apiserver adds. */
function crdSchema(r: ServedResource, crd: Obj | undefined): Obj {
  const versions = (isObj(crd?.spec) ? (crd!.spec as Obj).versions : undefined) as Obj[] | undefined
  const v = versions?.find((x) => x.name === r.version)
  const given = isObj(v?.schema) && isObj((v!.schema as Obj).openAPIV3Schema) ? ((v!.schema as Obj).openAPIV3Schema as Obj) : {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}
  const props = isObj(given.properties) ? {...(given.properties as Obj)} : {}
  props.apiVersion ??= {type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.'}
  props.kind ??= {type: 'string', description: 'Kind is a string value representing the REST resource this object represents.'}
  props.metadata = {$ref: `#/definitions/${OBJECT_META}`, description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}
  return {...given, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [{group: r.group, version: r.version, kind: r.kind}]}
}

export interface OpenApiSource {
  catalog: ResourceCatalog
  kubernetesVersion: string
  /** The CustomResourceDefinition object behind a custom resource. */
  crd(name: string): Obj | undefined
}

/** The schemas and paths of one group-version (v2 refs), or undefined when it is not served. */
function groupVersionParts(src: OpenApiSource, group: string, version: string): {schemas: Record<string, Obj>; paths: Record<string, Obj>} | undefined {
  const resources = src.catalog.all().filter((r) => r.group === group && r.version === version && r.storagePrefix !== '')
  if (resources.length === 0) return undefined
  const defs = documentedDefinitions(src.kubernetesVersion)
  const schemas: Record<string, Obj> = {}
  const paths: Record<string, Obj> = {}
  const roots: string[] = []
  for (const r of resources) {
    let name = r.definition
    if (r.crd) {
      name = crdSchemaName(r)
      schemas[name] = crdSchema(r, src.crd(r.crd.name))
      roots.push(OBJECT_META)
    } else if (name && defs[name]) {
      roots.push(name)
    } else {
      continue
    }
    Object.assign(paths, resourcePaths(r, name!, true))
  }
  for (const n of closure(defs, roots)) schemas[n] = defs[n]!
  return {schemas, paths}
}

/** A cached document: JSON text and its hash. */
interface Doc {
  text: string
  hash: string
}

const builtinDocs = new Map<string, Doc | null>()

function makeDoc(value: unknown): Doc {
  const text = JSON.stringify(value)
  return {text, hash: createHash('sha512').update(text).digest('hex').toUpperCase()}
}

/** The v3 document of a group-version (built-in ones are built once per release). */
export function openApiV3Document(src: OpenApiSource, group: string, version: string): Doc | undefined {
  const custom = src.catalog.all().some((r) => r.group === group && r.version === version && r.crd)
  const key = `${src.kubernetesVersion}|${group}|${version}`
  if (!custom && builtinDocs.has(key)) return builtinDocs.get(key) ?? undefined
  const parts = groupVersionParts(src, group, version)
  let doc: Doc | undefined
  if (parts) {
    const schemas: Obj = {}
    for (const [n, s] of Object.entries(parts.schemas)) schemas[n] = toV3Schema(s)
    doc = makeDoc({openapi: '3.0.0', info: {title: 'Kubernetes', version: release(src.kubernetesVersion).version}, paths: parts.paths, components: {schemas}})
  }
  if (!custom) builtinDocs.set(key, doc ?? null)
  return doc
}

/** /openapi/v3: every served group-version with the URL (carrying its hash) to fetch it from. */
export function openApiV3Index(src: OpenApiSource): Obj {
  const paths: Obj = {}
  const seen = new Set<string>()
  for (const r of src.catalog.all()) {
    const key = groupVersionPath(r.group, r.version)
    if (seen.has(key)) continue
    seen.add(key)
    const doc = openApiV3Document(src, r.group, r.version)
    if (doc) paths[key] = {serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}`}
  }
  const sorted: Obj = {}
  for (const k of Object.keys(paths).sort()) sorted[k] = paths[k]
  return {paths: sorted}
}

/** /openapi/v2: one document with every definition and the resources' paths. */
export function openApiV2Document(src: OpenApiSource): string {
  return JSON.stringify(openApiV2Object(src))
}

/** The /openapi/v2 document as a value (openapi-v2-protobuf.ts encodes it for protobuf clients). */
export function openApiV2Object(src: OpenApiSource): Obj {
  const defs = documentedDefinitions(src.kubernetesVersion)
  const definitions: Obj = {...defs}
  const paths: Obj = {}
  for (const r of src.catalog.all()) {
    if (r.storagePrefix === '') continue
    let name = r.definition
    if (r.crd) {
      name = crdSchemaName(r)
      definitions[name] = crdSchema(r, src.crd(r.crd.name))
    } else if (!name || !defs[name]) {
      continue
    }
    Object.assign(paths, resourcePaths(r, name, false))
  }
  return {swagger: '2.0', info: {title: 'Kubernetes', version: release(src.kubernetesVersion).version}, paths, definitions}
}
