// HTTP request -> ApiRequest: the apiserver's REST path layout (/api/v1/..., /apis/<g>/<v>/...,
// namespaced or not, subresources, the legacy /watch/ prefix), the verb from the method and path,
// query parameters, request bodies (JSON, YAML or Kubernetes protobuf; patch types from Content-Type)
// and content negotiation of the answer (Table, JSON, YAML; protobuf answers are declined so clients
// fall back to JSON).
// No Kubernetes semantics here: what a request means is decided by ApiServer.handle.
import yaml from 'js-yaml'
import {ApiError, badRequest, failure, unsupportedMediaType} from '../apiserver/errors.js'
import {decodeKubernetesProtobuf, PROTOBUF_MEDIA_TYPE, UnknownProtobufKind} from './protobuf.js'
import {PATCH_CONTENT_TYPES, type ApiRequest, type PatchType, type UserInfo, type Verb} from '../apiserver/types.js'

/** Where a resource path points. */
export interface ResourcePath {
  group: string
  version: string
  resource: string
  namespace?: string
  name?: string
  subresource?: string
  /** Came through the deprecated /watch/ prefix. */
  watchPrefix: boolean
  /** Segments after a subresource (`pods/x/proxy/some/path`): only connect-style subresources have them. */
  rest: string[]
}

/** Subresources that need a connection to a container or node: answered with a Status, not routed to handle(). */
export const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy'])

/** Subresources of a Namespace (which would otherwise read as a namespaced resource name). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize'])

/**
 * Splits a resource path; undefined for anything that is not one (discovery documents, /version,
 * unknown prefixes). Segments are percent-decoded.
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segs = pathname.split('/').filter((s, i) => i > 0 || s !== '')
  if (segs[segs.length - 1] === '') segs.pop()
  let decoded: string[]
  try {
    decoded = segs.map((s) => decodeURIComponent(s))
  } catch {
    return undefined
  }
  let group: string
  let version: string
  let rest: string[]
  if (decoded[0] === 'api' && decoded.length >= 2) {
    group = ''
    version = decoded[1]!
    rest = decoded.slice(2)
  } else if (decoded[0] === 'apis' && decoded.length >= 3) {
    group = decoded[1]!
    version = decoded[2]!
    rest = decoded.slice(3)
  } else {
    return undefined
  }
  let watchPrefix = false
  if (rest[0] === 'watch') {
    watchPrefix = true
    rest = rest.slice(1)
  }
  if (rest.length === 0) return undefined
  if (rest.some((s) => s === '')) return undefined
  const base = {group, version, watchPrefix}
  // /namespaces/<ns>/<resource>[/<name>[/<subresource>...]]; in the core group /namespaces and
  // /namespaces/<name>[/status|/finalize] are the Namespace resource itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))) {
    const [, namespace, resource, name, subresource, ...more] = rest
    return {...base, namespace, resource: resource!, name, subresource, rest: more}
  }
  const [resource, name, subresource, ...more] = rest
  return {...base, resource: resource!, name, subresource, rest: more}
}

/** What the client accepts for the answer. */
export interface Negotiated {
  format: 'json' | 'yaml'
  as?: 'Table'
}

interface MediaRange {
  type: string
  params: Record<string, string>
}

/** An Accept header as media ranges in the order given (`q` ignored: clients list preferences first). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{type: '*/*', params: {}}]
  const out: MediaRange[] = []
  for (const part of header.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim())
    if (!type) continue
    const p: Record<string, string> = {}
    for (const kv of params) {
      const i = kv.indexOf('=')
      if (i > 0) p[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim().replace(/^"(.*)"$/, '$1')
    }
    out.push({type: type.toLowerCase(), params: p})
  }
  return out
}

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*'])

/**
 * The first acceptable representation of a resource answer: a Table (meta.k8s.io v1 or v1beta1),
 * or the object in JSON or YAML. Other transformations (PartialObjectMetadata) and protobuf are
 * passed over, so kubectl's `…protobuf, application/json` falls back to JSON; nothing acceptable is 406.
 */
export function negotiateResource(accept: string | undefined): Negotiated {
  for (const m of parseAccept(accept)) {
    const format = m.type === 'application/yaml' ? 'yaml' : JSON_TYPES.has(m.type) ? 'json' : undefined
    if (!format) continue
    if (m.params.as === undefined) return {format}
    if (m.params.as === 'Table' && m.params.g === 'meta.k8s.io' && (m.params.v === 'v1' || m.params.v === 'v1beta1')) return {format, as: 'Table'}
  }
  throw notAcceptable()
}

export function notAcceptable(): ApiError {
  return failure(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml')
}

export function methodNotAllowed(): ApiError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
}

/** strconv.ParseBool's true values (the apiserver's `watch` parameter). */
function truthy(v: string | null): boolean {
  return v === '1' || v === 't' || v === 'T' || v === 'true' || v === 'TRUE' || v === 'True'
}

export interface IncomingRequest {
  method: string
  /** Path and query, as in the request line. */
  url: string
  headers: Record<string, string | string[] | undefined>
  body?: Buffer
  user?: UserInfo
}

function header(h: IncomingRequest['headers'], name: string): string | undefined {
  const v = h[name]
  return Array.isArray(v) ? v.join(', ') : v
}

/** The verb of a resource request, or a 405. */
export function verbOf(method: string, path: ResourcePath, query: URLSearchParams): Verb {
  const named = path.name !== undefined
  switch (method) {
    case 'GET':
      if (path.watchPrefix || truthy(query.get('watch'))) return 'watch'
      return named ? 'get' : 'list'
    case 'POST':
      if (!named || path.subresource) return 'create'
      break
    case 'PUT':
      if (named) return 'update'
      break
    case 'PATCH':
      if (named) return 'patch'
      break
    case 'DELETE':
      return named ? 'delete' : 'deletecollection'
    default:
      break
  }
  throw methodNotAllowed()
}

/** Query parameters the adapter consumes itself (the rest pass through to handle()). */
const ADAPTER_PARAMS = new Set(['watch', 'pretty'])

/** A resource request as the API server takes it. Throws an ApiError for bad input. */
export function toApiRequest(req: IncomingRequest, path: ResourcePath, negotiated: Negotiated, protobufKinds?: ProtobufKinds): ApiRequest {
  const url = new URL(req.url, 'http://localhost')
  const verb = verbOf(req.method, path, url.searchParams)
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) if (!ADAPTER_PARAMS.has(k) && !(k in query)) query[k] = v
  // The deprecated /watch/<resource>/<name> form watches one object: a field selector on its name.
  if (verb === 'watch' && path.name !== undefined) {
    const byName = `metadata.name=${path.name}`
    query.fieldSelector = query.fieldSelector ? `${query.fieldSelector},${byName}` : byName
  }
  const out: ApiRequest = {verb, group: path.group, version: path.version, resource: path.resource, query}
  if (path.namespace !== undefined) out.namespace = path.namespace
  if (path.name !== undefined && verb !== 'watch') out.name = path.name
  if (path.subresource !== undefined) out.subresource = path.subresource
  if (negotiated.as) out.as = negotiated.as
  const ua = header(req.headers, 'user-agent')
  if (ua) out.userAgent = ua
  if (req.user) out.user = req.user
  const body = decodeBody(req, verb, protobufKinds)
  if (body.value !== undefined) out.body = body.value
  if (body.patchType) out.patchType = body.patchType
  return out
}

/** Media types a write body may come in (besides the patch types). */
const BODY_TYPES = ['application/json', 'application/yaml']

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}

/** Names the protobuf message of an envelope's apiVersion/kind (src/server/protobuf.ts kindResolver). */
export type ProtobufKinds = (apiVersion: string, kind: string) => string | undefined

/**
 * The request body decoded from JSON, YAML or (for built-in kinds, when `protobufKinds` is given)
 * Kubernetes protobuf; for a patch, its type from the Content-Type.
 */
export function decodeBody(req: IncomingRequest, verb: Verb, protobufKinds?: ProtobufKinds): {value?: unknown; patchType?: PatchType} {
  const type = mediaType(header(req.headers, 'content-type'))
  const accepted = protobufKinds ? [...BODY_TYPES, PROTOBUF_MEDIA_TYPE] : BODY_TYPES
  let patchType: PatchType | undefined
  if (verb === 'patch') {
    patchType = PATCH_CONTENT_TYPES[type]
    if (!patchType) throw unsupportedMediaType(type, Object.keys(PATCH_CONTENT_TYPES).filter((t) => t !== 'application/apply-patch+json'))
  } else if (type && !accepted.includes(type) && req.body && req.body.length > 0) {
    throw unsupportedMediaType(type, [...accepted])
  }
  if (!req.body || req.body.length === 0) return patchType ? {patchType} : {}
  if (type === PROTOBUF_MEDIA_TYPE && protobufKinds) {
    try {
      return {value: decodeKubernetesProtobuf(req.body, protobufKinds).object}
    } catch (e) {
      // As kube-apiserver does for custom resources: protobuf is not among their media types.
      if (e instanceof UnknownProtobufKind) throw unsupportedMediaType(type, [...BODY_TYPES])
      throw badRequest((e as Error).message)
    }
  }
  const text = req.body.toString('utf8')
  const asYaml = type === 'application/yaml' || type === 'application/apply-patch+yaml'
  let value: unknown
  try {
    value = asYaml ? yaml.load(text) : JSON.parse(text)
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]
    throw badRequest(asYaml ? `error converting YAML to JSON: ${why}` : `couldn't get version/kind; json parse error: ${why}`)
  }
  return patchType ? {value, patchType} : {value}
}
