// HttpCluster: the Cluster interface over HTTPS to a Kubernetes API server — the emulator server
// (`kube2 emulate start`) or any real cluster — with kubectl's credentials: a CA, a client
// certificate, a bearer token. Requests are the apiserver's REST paths; answers come back as the
// same ApiResponse the in-process cluster gives, Warning headers included.
import {readFileSync} from 'node:fs'
import {Agent, request as undiciRequest, type Dispatcher} from 'undici'
import type {ApiRequest, ApiResponse, Obj, PatchType} from '../apiserver/types.js'
import {PATCH_CONTENT_TYPES} from '../apiserver/types.js'
import type {ResourceInfo} from '../api/registry.js'
import {UserError} from '../cli/errors.js'
import {defaultKubernetesVersion, normalizeKubernetesVersion} from '../schema/files.js'
import type {Cluster, Discovery} from './cluster.js'

export interface HttpCredentials {
  /** PEM of the CA that signed the server's certificate (else the system's roots). */
  ca?: string
  /** PEM client certificate and key. */
  cert?: string
  key?: string
  token?: string
  insecureSkipTlsVerify?: boolean
}

export interface HttpClusterOptions extends HttpCredentials {
  server: string
  namespace?: string
  description?: string
  /** Per-request timeout in ms (0: none). */
  timeoutMs?: number
}

const VERB_METHODS: Record<ApiRequest['verb'], string> = {
  get: 'GET', list: 'GET', watch: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE',
}

const PATCH_TYPES: Record<PatchType, string> = Object.fromEntries(
  Object.entries(PATCH_CONTENT_TYPES).filter(([t]) => t !== 'application/apply-patch+json').map(([t, p]) => [p, t]),
) as Record<PatchType, string>

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'
const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'

/** `warning` response headers: `299 - "text"` -> text. */
export function parseWarnings(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header]
  const out: string[] = []
  for (const v of values) {
    const re = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g
    for (let m = re.exec(v); m; m = re.exec(v)) out.push(m[1]!.replace(/\\(.)/g, '$1'))
  }
  return out
}

export function resourcePath(req: Pick<ApiRequest, 'group' | 'version' | 'resource' | 'namespace' | 'name' | 'subresource'>): string {
  const enc = encodeURIComponent
  let p = req.group ? `/apis/${enc(req.group)}/${enc(req.version)}` : `/api/${enc(req.version)}`
  if (req.namespace !== undefined && !(req.group === '' && req.resource === 'namespaces')) p += `/namespaces/${enc(req.namespace)}`
  p += `/${enc(req.resource)}`
  if (req.name !== undefined) p += `/${enc(req.name)}`
  if (req.subresource) p += `/${enc(req.subresource)}`
  return p
}

export class HttpCluster implements Cluster {
  readonly description: string
  private readonly dispatcher: Dispatcher
  private readonly base: URL
  private discovered?: Discovery
  private version?: string

  constructor(private readonly opts: HttpClusterOptions) {
    this.base = new URL(opts.server)
    this.description = opts.description ?? opts.server
    this.dispatcher = new Agent({
      connect: {
        ...(opts.ca ? {ca: opts.ca} : {}),
        ...(opts.cert ? {cert: opts.cert} : {}),
        ...(opts.key ? {key: opts.key} : {}),
        rejectUnauthorized: !opts.insecureSkipTlsVerify,
      },
    })
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = {'user-agent': 'kube2', ...extra}
    if (this.opts.token) h.authorization = `Bearer ${this.opts.token}`
    return h
  }

  private async send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{status: number; text: string; type: string; warnings: string[]}> {
    const url = new URL(path, this.base)
    let res: Dispatcher.ResponseData
    try {
      res = await undiciRequest(url, {
        method: method as Dispatcher.HttpMethod,
        headers: this.headers(headers),
        body,
        dispatcher: this.dispatcher,
        ...(this.opts.timeoutMs ? {headersTimeout: this.opts.timeoutMs, bodyTimeout: this.opts.timeoutMs} : {}),
      })
    } catch (e) {
      throw new UserError(connectionMessage(this.base, e as Error & {code?: string; cause?: {code?: string; message?: string}}))
    }
    const text = await res.body.text()
    const type = String(res.headers['content-type'] ?? '')
    return {status: res.statusCode, text, type, warnings: parseWarnings(res.headers.warning as string | string[] | undefined)}
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    if (req.verb === 'watch') throw new UserError('watching over HTTPS is not supported by this command yet')
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) q.set(k, v)
    const path = resourcePath(req) + (q.size ? `?${q}` : '')
    const headers: Record<string, string> = {accept: req.as === 'Table' ? TABLE_ACCEPT : 'application/json'}
    let body: string | undefined
    if (req.body !== undefined) {
      headers['content-type'] = req.verb === 'patch' ? PATCH_TYPES[req.patchType ?? 'strategic'] : 'application/json'
      body = typeof req.body === 'string' && req.verb === 'patch' ? req.body : JSON.stringify(req.body)
    }
    const r = await this.send(VERB_METHODS[req.verb], path, headers, body)
    const parsed = r.type.includes('json') ? safeJson(r.text) : r.text
    return {status: r.status, body: parsed, ...(r.warnings.length ? {warnings: r.warnings} : {})}
  }

  async discovery(): Promise<Discovery> {
    if (this.discovered) return this.discovered
    const resources: ResourceInfo[] = []
    const groups: Discovery['groups'] = []
    for (const root of ['/api', '/apis']) {
      const r = await this.send('GET', root, {accept: AGGREGATED_ACCEPT})
      const doc = safeJson(r.text) as Obj
      if (r.status !== 200 || doc?.kind !== 'APIGroupDiscoveryList') {
        throw new UserError(`the server at ${this.opts.server} does not serve aggregated discovery (${root}: HTTP ${r.status}); Kubernetes 1.26 or newer is needed`)
      }
      for (const item of (doc.items as Obj[]) ?? []) {
        const name = String((item.metadata as Obj)?.name ?? '')
        const versions = ((item.versions as Obj[]) ?? []).map((v) => String(v.version))
        if (versions.length === 0) continue
        groups.push({name, versions, preferredVersion: versions[0]!})
        for (const v of (item.versions as Obj[]) ?? []) {
          for (const res of (v.resources as Obj[]) ?? []) resources.push(discoveredResource(name, String(v.version), res))
        }
      }
    }
    this.discovered = {resources, groups}
    return this.discovered
  }

  defaultNamespace(): string {
    return this.opts.namespace ?? 'default'
  }

  /** A cluster whose release (`1.33`, from /version) is known: client-side validation needs it. */
  static async connect(opts: HttpClusterOptions): Promise<HttpCluster> {
    const c = new HttpCluster(opts)
    try {
      const r = await c.send('GET', '/version', {accept: 'application/json'})
      const v = safeJson(r.text) as Obj
      if (r.status === 401) throw new UserError('You must be logged in to the server (Unauthorized)')
      c.version = r.status === 200 && v?.major ? `${String(v.major)}.${String(v.minor).replace(/\D+$/, '')}` : undefined
    } catch (e) {
      await c.close()
      throw e
    }
    return c
  }

  kubernetesVersion(): string {
    return normalizeKubernetesVersion(this.version ?? '') ?? defaultKubernetesVersion()
  }

  async close(): Promise<void> {
    await this.dispatcher.close()
  }
}

function discoveredResource(group: string, version: string, r: Obj): ResourceInfo {
  const kind = (r.responseKind as Obj | undefined)?.kind
  const info: ResourceInfo = {
    group, version,
    kind: String(kind ?? ''),
    plural: String(r.resource),
    singular: String(r.singularResource ?? ''),
    namespaced: r.scope === 'Namespaced',
    verbs: (r.verbs as string[]) ?? [],
  }
  if (Array.isArray(r.shortNames) && r.shortNames.length) info.shortNames = r.shortNames as string[]
  if (Array.isArray(r.categories) && r.categories.length) info.categories = r.categories as string[]
  if (Array.isArray(r.subresources)) {
    info.subresources = (r.subresources as Obj[]).map((s) => {
      const rk = (s.responseKind as Obj | undefined) ?? {}
      return {name: String(s.subresource), group: String(rk.group ?? group), version: String(rk.version ?? version), kind: String(rk.kind ?? ''), verbs: (s.verbs as string[]) ?? []}
    })
  }
  return info
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** kubectl's words for a server it cannot reach. */
function connectionMessage(base: URL, e: Error & {code?: string; cause?: {code?: string; message?: string}}): string {
  const code = e.code ?? e.cause?.code
  if (code === 'ECONNREFUSED') return `The connection to the server ${base.host} was refused - did you specify the right host or port?`
  return `Unable to connect to the server: ${e.cause?.message ?? e.message}`
}

/** Reads a kubeconfig path or inline data (base64) the way kubectl does. */
export function kubeconfigData(data: unknown, path: unknown): string | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8')
  if (typeof path === 'string' && path) return readFileSync(path, 'utf8')
  return undefined
}
