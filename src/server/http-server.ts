// The HTTP face of the emulated apiserver: node:http requests in, ApiServer.handle() answers out.
// Holds no Kubernetes semantics: it routes (routes.ts), serves discovery/version/health/OpenAPI
// documents made from the catalog, writes JSON (or YAML) with the status code and `Warning` headers
// the apiserver decided, streams watches (one JSON event per line) and followed logs, and turns any
// failure into a metav1.Status — never a stack trace. `createApiHandler` is usable by http and https
// servers alike (TLS and authentication wrap it from src/server/auth).
import http, {type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import yaml from 'js-yaml'
import type {ApiServer} from '../apiserver/server.js'
import {ApiError, failure, internalError, notFoundPath} from '../apiserver/errors.js'
import {RawList} from '../apiserver/raw-list.js'
import {convertToTable} from '../apiserver/tables/index.js'
import type {ApiRequest, ApiResponse, Obj, UserInfo, WatchEventOut, WatchStream} from '../apiserver/types.js'
import {
  aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryVersion, apiGroupDocument, apiGroupList, apiResourceList,
  apiVersions, healthText, servedGroups, versionInfo,
} from './discovery.js'
import {followLog} from './log-follow.js'
import {impersonatedUser} from './impersonation.js'
import {kindResolver, setEmbeddedResolver} from './protobuf.js'
import {ResourceRegistry} from '../api/registry.js'
import {openApiV3Document, openApiV3Index, type OpenApiSource} from './openapi.js'
import {openApiV2Answer} from './openapi-v2-protobuf.js'
import {
  CONNECT_SUBRESOURCES, methodNotAllowed, negotiateResource, notAcceptable, parseResourcePath, toApiRequest, type ProtobufKinds,
  type IncomingRequest, type Negotiated, type ResourcePath,
} from './routes.js'

/** What the adapter serves: an API server (a ControlPlane, or a ServerRuntime that also drives its controllers). */
export interface ApiBackend {
  readonly apiserver: ApiServer
  readonly kubernetesVersion: string
  handle(req: ApiRequest): ApiResponse
}

export interface ApiHandlerOptions {
  /**
   * Who sent the request (bearer token, client certificate: src/server/credentials.ts). Without it
   * every request is the cluster admin; when it answers undefined the request is refused (401), as
   * kube-apiserver does with anonymous authentication off.
   */
  authenticate?: (req: IncomingMessage) => UserInfo | undefined
  /**
   * Whether a user may reach a path that is not a resource (discovery, /version, health, OpenAPI):
   * an ApiError (403) when not. Default: the apiserver's RBAC (system:discovery and friends).
   * Resource requests are authorized by the apiserver itself.
   */
  authorizeNonResource?: (user: UserInfo, verb: string, path: string) => ApiError | undefined
  /** The apiserver's request body limit (3 MiB). */
  maxBodyBytes?: number
  /** How often a followed log is read again for new lines. */
  logPollMs?: number
}

export const ADMIN_USER: UserInfo = {name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated']}

const DEFAULT_MAX_BODY = 3 * 1024 * 1024
const JSON_TYPE = 'application/json'

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void

export function createApiHandler(backend: ApiBackend, opts: ApiHandlerOptions = {}): RequestHandler {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY
  const openapi: OpenApiSource = {
    catalog: backend.apiserver.catalog,
    kubernetesVersion: backend.kubernetesVersion,
    crd: (name) => {
      const r = backend.handle({verb: 'get', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', name})
      return r.status === 200 ? (r.body as Obj) : undefined
    },
  }
  return (req, res) => {
    res.on('error', () => undefined)
    readBody(req, maxBody)
      .then((body) => {
        if (body === 'too-large') {
          return writeStatus(res, failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBody}`))
        }
        const authenticated = opts.authenticate ? opts.authenticate(req) : ADMIN_USER
        if (!authenticated) return writeStatus(res, failure(401, 'Unauthorized', 'Unauthorized'))
        let user: UserInfo
        try {
          user = impersonatedUser(req.headers, authenticated, backend.apiserver.access)
        } catch (e) {
          return fail(res, e)
        }
        serve(backend, openapi, {method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, user}, res, opts)
      })
      .catch((e: unknown) => fail(res, e))
  }
}

/** An http.Server over the handler (plain HTTP; TLS wraps createApiHandler in https.createServer). */
export function createApiServer(backend: ApiBackend, opts: ApiHandlerOptions = {}): http.Server {
  const server = http.createServer(createApiHandler(backend, opts))
  // Watches and followed logs stay open as long as the client wants.
  server.requestTimeout = 0
  server.headersTimeout = 60_000
  return server
}

/** Starts listening; resolves with the bound address (port 0 picks a free one). */
export function listen(server: http.Server, port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

/** Stops accepting, ends open watches and log streams, and resolves when the server is closed. */
export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

const protobufResolvers = new Map<string, ProtobufKinds>()

/** The built-in kinds of a release whose protobuf bodies the server reads. */
function protobufKindsFor(kubernetesVersion: string): ProtobufKinds {
  let r = protobufResolvers.get(kubernetesVersion)
  if (!r) {
    r = kindResolver(ResourceRegistry.forVersion(kubernetesVersion).resources)
    protobufResolvers.set(kubernetesVersion, r)
    setEmbeddedResolver(r)
  }
  return r
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) over = true
      else chunks.push(c)
    })
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function serve(backend: ApiBackend, openapi: OpenApiSource, req: IncomingRequest, res: ServerResponse, opts: ApiHandlerOptions): void {
  try {
    const url = new URL(req.url, 'http://localhost')
    const path = url.pathname
    if (req.user && !parseResourcePath(path)) {
      const verb = nonResourceVerb(req.method)
      const denied = opts.authorizeNonResource ? opts.authorizeNonResource(req.user, verb, url.pathname) : backend.apiserver.access.checkNonResource(req.user, verb, url.pathname)
      if (denied) throw denied
    }
    if (serveNonResource(backend, openapi, req, url, res)) return
    const rp = parseResourcePath(path)
    if (!rp) throw notFoundPath()
    if (rp.subresource && CONNECT_SUBRESOURCES.has(rp.subresource)) return serveConnect(backend, req, rp, res)
    const isLog = rp.subresource === 'log'
    const negotiated: Negotiated = isLog ? {format: 'json'} : negotiateResource(header(req, 'accept'))
    const apiReq = toApiRequest(req, rp, negotiated, protobufKindsFor(backend.kubernetesVersion))
    const answer = backend.handle(apiReq)
    if (answer.body !== null && typeof answer.body === 'object' && 'start' in answer.body && typeof (answer.body as WatchStream).start === 'function') {
      return streamWatch(backend, apiReq, answer.body as WatchStream, negotiated, res)
    }
    if (isLog && answer.status === 200 && typeof answer.body === 'string') {
      if (apiReq.query?.follow === 'true') return followLog(backend, apiReq, answer.body, res, opts.logPollMs ?? 500)
      res.writeHead(200, {'Content-Type': 'text/plain', ...warningHeaders(answer.warnings)})
      res.end(answer.body)
      return
    }
    writeAnswer(res, answer, negotiated)
  } catch (e) {
    fail(res, e)
  }
}

/** Discovery, version, health and OpenAPI; false when the path is none of them. */
function serveNonResource(backend: ApiBackend, openapi: OpenApiSource, req: IncomingRequest, url: URL, res: ServerResponse): boolean {
  const path = url.pathname.replace(/\/+$/, '') || '/'
  const catalog = backend.apiserver.catalog
  const segs = path.split('/').filter(Boolean)
  const accept = header(req, 'accept')
  let doc: unknown
  let contentType = JSON_TYPE
  const health = /^\/(healthz|livez|readyz)(\/|$)/.test(path)
  if (health) {
    const text = healthText(path, url.searchParams.has('verbose'))
    if (text === undefined) throw notFoundPath()
    onlyGet(req)
    res.writeHead(200, {'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff'})
    res.end(text)
    return true
  }
  if (path === '/') {
    doc = {paths: rootPaths(catalog)}
  } else if (path === '/version') {
    doc = versionInfo(backend.kubernetesVersion)
  } else if (path === '/api' || path === '/apis') {
    const v = aggregatedDiscoveryVersion(accept)
    if (v) {
      doc = aggregatedDiscovery(catalog, path === '/api', v)
      contentType = aggregatedContentType(v)
    } else {
      doc = path === '/api' ? apiVersions(header(req, 'host') ?? '127.0.0.1') : apiGroupList(catalog)
    }
  } else if (segs[0] === 'api' && segs.length === 2) {
    doc = apiResourceList(catalog, '', segs[1]!)
    if (!doc) throw notFoundPath()
  } else if (segs[0] === 'apis' && segs.length === 2) {
    doc = apiGroupDocument(catalog, segs[1]!)
    if (!doc) throw notFoundPath()
  } else if (segs[0] === 'apis' && segs.length === 3) {
    doc = apiResourceList(catalog, segs[1]!, segs[2]!)
    if (!doc) throw notFoundPath()
  } else if (path === '/openapi/v2') {
    // JSON or gnostic protobuf by Accept (kubectl 1.27–1.29 read only protobuf), with ETag and 304.
    onlyGet(req)
    const answer = openApiV2Answer(openapi, req.headers, req.method)
    if (answer.status === 406) throw notAcceptable()
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body)
    return true
  } else if (path === '/openapi/v3') {
    doc = openApiV3Index(openapi)
  } else if (segs[0] === 'openapi' && segs[1] === 'v3' && segs.length >= 4) {
    const gvPath = segs.slice(2)
    const [group, version] = gvPath[0] === 'api' && gvPath.length === 2 ? ['', gvPath[1]!] : gvPath[0] === 'apis' && gvPath.length === 3 ? [gvPath[1]!, gvPath[2]!] : []
    const d = group !== undefined && version ? openApiV3Document(openapi, group, version) : undefined
    if (!d) throw notFoundPath()
    onlyGet(req)
    const headers: Record<string, string> = {'Content-Type': JSON_TYPE, Etag: `"${d.hash}"`}
    if (url.searchParams.get('hash') === d.hash) headers['Cache-Control'] = 'public, immutable'
    res.writeHead(200, headers)
    res.end(d.text)
    return true
  } else {
    return false
  }
  onlyGet(req)
  res.writeHead(200, {'Content-Type': contentType})
  res.end(JSON.stringify(doc))
  return true
}

/** The verb of a non-resource request, as the apiserver's RequestInfo names it. */
function nonResourceVerb(method: string): string {
  return ({GET: 'get', HEAD: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete', OPTIONS: 'options'} as Record<string, string>)[method] ?? method.toLowerCase()
}

function onlyGet(req: IncomingRequest): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed()
}

function rootPaths(catalog: ApiServer['catalog']): string[] {
  const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version']
  for (const g of servedGroups(catalog)) {
    if (!g.name) continue
    paths.push(`/apis/${g.name}`)
    for (const v of g.versions) paths.push(`/apis/${g.name}/${v}`)
  }
  return paths.sort()
}

/**
 * exec, attach, port-forward and proxy need a container or a node to talk to; the emulator's are
 * simulated. The target is looked up first so a missing pod is still a 404.
 */
function serveConnect(backend: ApiBackend, req: IncomingRequest, rp: ResourcePath, res: ServerResponse): void {
  // Connecting is `create` (POST, as kubectl exec/attach/port-forward do) or `get` on the subresource.
  if (req.user) {
    const verb = req.method === 'POST' ? 'create' : 'get'
    backend.apiserver.access.checkRequest({verb, group: rp.group, version: rp.version, resource: rp.resource, subresource: rp.subresource, namespace: rp.namespace, name: rp.name, user: req.user})
  }
  if (rp.name !== undefined) {
    const target = backend.handle({verb: 'get', group: rp.group, version: rp.version, resource: rp.resource, namespace: rp.namespace, name: rp.name, ...(req.user ? {user: req.user} : {})})
    if (target.status >= 300) return writeAnswer(res, target, {format: 'json'})
  }
  const what = rp.subresource === 'portforward' ? 'port-forward' : rp.subresource
  const noun = rp.resource === 'pods' ? `pod "${rp.name}"` : `${rp.resource} "${rp.name}"`
  writeStatus(res, failure(400, 'BadRequest', `${what} is not supported by the kube2 emulator: ${noun} runs no real containers (its kubelet is simulated)`))
}

function header(req: IncomingRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(', ') : v
}

/** `Warning: 299 - "text"` as the apiserver writes it (quotes and backslashes escaped). */
export function warningHeaders(warnings: string[] | undefined): Record<string, string[]> {
  if (!warnings || warnings.length === 0) return {}
  return {Warning: warnings.map((w) => `299 - "${w.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`)}
}

function writeAnswer(res: ServerResponse, answer: ApiResponse, negotiated: Negotiated): void {
  const headers: Record<string, string | string[]> = {'Cache-Control': 'no-cache, private', ...warningHeaders(answer.warnings)}
  if (negotiated.format === 'yaml') {
    const body = answer.body instanceof RawList ? answer.body.toObject() : answer.body
    res.writeHead(answer.status, {...headers, 'Content-Type': 'application/yaml'})
    res.end(yaml.dump(body, {lineWidth: -1, noRefs: true}))
    return
  }
  res.writeHead(answer.status, {...headers, 'Content-Type': JSON_TYPE})
  if (answer.body instanceof RawList) {
    // Big lists are written piece by piece (one string could not hold them).
    for (const chunk of answer.body.jsonChunks()) res.write(chunk)
    res.end()
    return
  }
  res.end(typeof answer.body === 'string' ? JSON.stringify(answer.body) : JSON.stringify(answer.body))
}

function writeStatus(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(err.code, {'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private'})
  res.end(JSON.stringify(err.status))
}

/** Any failure as a Status: the apiserver's own errors as they are, anything else a 500. */
function fail(res: ServerResponse, e: unknown): void {
  if (e instanceof ApiError) return writeStatus(res, e)
  if (process.env.KUBE2_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`)
  writeStatus(res, internalError((e as Error)?.message ?? String(e)))
}

/**
 * A watch: chunked, one JSON event per line, until the server ends it (timeoutSeconds, 410) or the
 * client goes away. With `as=Table` each object becomes a one-row Table; only the first carries the
 * column definitions, as the apiserver does to save bandwidth (kubectl reuses the last ones).
 */
function streamWatch(backend: ApiBackend, req: ApiRequest, stream: WatchStream, negotiated: Negotiated, res: ServerResponse): void {
  res.writeHead(200, {'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'})
  res.flushHeaders()
  const served = backend.apiserver.catalog.lookup(req.group, req.version, req.resource)
  let headersSent = false
  const toTable = (e: WatchEventOut): WatchEventOut => {
    if (negotiated.as !== 'Table' || !served || (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED')) return e
    const table = convertToTable([e.object], {
      now: backend.apiserver.clock.now(),
      kind: served.kind,
      group: served.group,
      includeObject: (req.query?.includeObject as 'None' | 'Object' | 'Metadata' | undefined) ?? 'Metadata',
      printerColumns: served.crd?.printerColumns as never,
      noHeaders: headersSent,
    })
    headersSent = true
    return {type: e.type, object: table as unknown as Obj}
  }
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    stream.stop()
    if (!res.writableEnded) res.end()
  }
  res.on('close', end)
  try {
    stream.start((event) => {
      if (ended) return
      try {
        res.write(`${JSON.stringify(toTable(event))}\n`)
      } catch (e) {
        // One object the table printer cannot convert must not end everyone's watch silently.
        res.write(`${JSON.stringify({type: 'ERROR', object: internalError((e as Error).message).status})}\n`)
      }
    }, end)
  } catch (e) {
    if (!ended) res.write(`${JSON.stringify({type: 'ERROR', object: (e instanceof ApiError ? e : internalError((e as Error).message)).status})}\n`)
    end()
  }
}
