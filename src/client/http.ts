// HttpCluster: the Cluster interface over HTTP(S) to a Kubernetes API server — the emulator server
// (`kube2 emulate start`) or any real cluster — through Transport (TLS, credentials, impersonation,
// proxy, timeouts, retries). Requests are the apiserver's REST paths; answers come back as the same
// ApiResponse the in-process cluster gives, Warning headers included. Discovery (aggregated, plus
// /version) is cached on disk like kubectl's (<cache-dir>/discovery/<host_port>/, six hours).
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import type {ApiRequest, ApiResponse, Obj, PatchType} from '../apiserver/types.js'
import {PATCH_CONTENT_TYPES} from '../apiserver/types.js'
import type {ResourceInfo} from '../api/registry.js'
import {ServerError, UserError} from '../cli/errors.js'
import {defaultKubernetesVersion, normalizeKubernetesVersion} from '../schema/files.js'
import type {Cluster, Discovery} from './cluster.js'
import {Transport, TransportError, type TransportOptions} from './transport.js'

export interface HttpClusterOptions extends TransportOptions {
  namespace?: string
  description?: string
  /** kubectl's --cache-dir (default ~/.kube/cache); discovery is kept under discovery/<host_port>/. */
  cacheDir?: string
  /** How long cached discovery is used (kubectl: 6 hours); 0 disables the disk cache. */
  discoveryTtlMs?: number
}

const VERB_METHODS: Record<ApiRequest['verb'], string> = {
  get: 'GET', list: 'GET', watch: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE',
}

const PATCH_TYPES: Record<PatchType, string> = Object.fromEntries(
  Object.entries(PATCH_CONTENT_TYPES).filter(([t]) => t !== 'application/apply-patch+json').map(([t, p]) => [p, t]),
) as Record<PatchType, string>

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'
const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'
const DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000
const CACHE_FORMAT = 1

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

/** kubectl's directory for a server's discovery cache: host and port with unsafe characters as `_`. */
export function discoveryCacheDir(cacheDir: string, server: string): string {
  const u = new URL(server)
  const hostPort = `${u.host}${u.pathname.replace(/\/+$/, '')}`
  return join(cacheDir, 'discovery', hostPort.replace(/[^\w/.]/g, '_'))
}

interface CachedDiscovery {
  format: number
  fetchedAt: number
  version?: string
  discovery: Discovery
}

export class HttpCluster implements Cluster {
  readonly description: string
  readonly transport: Transport
  private discovered?: Discovery
  private version?: string
  /** Whether the discovery in use came from the disk cache (a miss then warrants a refresh). */
  discoveryFromCache = false

  constructor(private readonly opts: HttpClusterOptions) {
    this.transport = new Transport(opts)
    this.description = opts.description ?? opts.server
  }

  private async send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{status: number; text: string; type: string; warnings: string[]}> {
    let res
    try {
      res = await this.transport.request({method, path, headers, ...(body !== undefined ? {body} : {})})
    } catch (e) {
      throw new UserError((e as Error).message)
    }
    const text = res.body.toString('utf8')
    if (res.status === 401) {
      const status = safeJson(text) as Obj | undefined
      const why = typeof status?.message === 'string' && status.message ? status.message : 'Unauthorized'
      throw new UserError(`You must be logged in to the server (${why})`)
    }
    return {status: res.status, text, type: String(res.headers['content-type'] ?? ''), warnings: parseWarnings(res.headers.warning)}
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

  async stream(req: ApiRequest): Promise<AsyncIterable<string>> {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) q.set(k, v)
    const path = resourcePath(req) + (q.size ? `?${q}` : '')
    let res
    try {
      res = await this.transport.stream({method: 'GET', path, headers: {accept: '*/*'}})
    } catch (e) {
      throw new UserError((e as Error).message)
    }
    res.setEncoding('utf8')
    if ((res.statusCode ?? 0) >= 300) {
      let text = ''
      for await (const c of res) text += String(c)
      const status = safeJson(text)
      if (typeof status === 'object' && status !== null) throw new ServerError(status as Obj)
      throw new UserError(text || `HTTP ${res.statusCode}`)
    }
    return res as AsyncIterable<string>
  }

  private cacheFile(): string | undefined {
    const ttl = this.opts.discoveryTtlMs ?? DISCOVERY_TTL_MS
    if (ttl <= 0) return undefined
    return join(discoveryCacheDir(this.opts.cacheDir ?? join(homedir(), '.kube', 'cache'), this.opts.server), 'kube2-aggregated.json')
  }

  async discovery(): Promise<Discovery> {
    if (this.discovered) return this.discovered
    const file = this.cacheFile()
    if (file) {
      try {
        const cached = JSON.parse(readFileSync(file, 'utf8')) as CachedDiscovery
        const ttl = this.opts.discoveryTtlMs ?? DISCOVERY_TTL_MS
        if (cached.format === CACHE_FORMAT && Date.now() - cached.fetchedAt < ttl) {
          this.discovered = cached.discovery
          if (cached.version) this.version = cached.version
          this.discoveryFromCache = true
          return this.discovered
        }
      } catch {
        // no cache, or not readable: ask the server
      }
    }
    return this.refreshDiscovery()
  }

  /** Asks the server again (a resource the cached discovery does not know may be new) and caches it. */
  async refreshDiscovery(): Promise<Discovery> {
    const resources: ResourceInfo[] = []
    const groups: Discovery['groups'] = []
    for (const root of ['/api', '/apis']) {
      const r = await this.send('GET', root, {accept: AGGREGATED_ACCEPT})
      const doc = safeJson(r.text) as Obj
      if (r.status === 403) throw new UserError(`Error from server (Forbidden): ${String(doc?.message ?? 'forbidden')}`)
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
    const v = await this.send('GET', '/version', {accept: 'application/json'})
    const vd = safeJson(v.text) as Obj | undefined
    if (v.status === 200 && vd?.major) this.version = `${String(vd.major)}.${String(vd.minor).replace(/\D+$/, '')}`
    this.discovered = {resources, groups}
    this.discoveryFromCache = false
    const file = this.cacheFile()
    if (file) {
      try {
        mkdirSync(join(file, '..'), {recursive: true, mode: 0o750})
        const tmp = `${file}.${process.pid}.tmp`
        const doc: CachedDiscovery = {format: CACHE_FORMAT, fetchedAt: Date.now(), discovery: this.discovered, ...(this.version ? {version: this.version} : {})}
        writeFileSync(tmp, JSON.stringify(doc), {mode: 0o640})
        renameSync(tmp, file)
      } catch {
        // a read-only cache directory only costs the next command a round trip
      }
    }
    return this.discovered
  }

  defaultNamespace(): string {
    return this.opts.namespace ?? 'default'
  }

  /** The cluster's release (`1.33`, from /version, learned with discovery): client-side validation needs it. */
  async kubernetesVersion(): Promise<string> {
    if (!this.version) await this.discovery()
    if (!this.version && this.discoveryFromCache) await this.refreshDiscovery()
    return normalizeKubernetesVersion(this.version ?? '') ?? defaultKubernetesVersion()
  }

  async serverVersion(): Promise<Record<string, unknown>> {
    const r = await this.send('GET', '/version', {accept: 'application/json'})
    const doc = safeJson(r.text)
    if (r.status !== 200 || typeof doc !== 'object' || doc === null) throw new UserError(`the server could not report its version (HTTP ${r.status})`)
    return doc as Record<string, unknown>
  }

  /** A cluster object; nothing is sent until the first request. */
  static async connect(opts: HttpClusterOptions): Promise<HttpCluster> {
    try {
      return new HttpCluster(opts)
    } catch (e) {
      if (e instanceof TransportError) throw new UserError(e.message)
      throw e
    }
  }

  async close(): Promise<void> {
    this.transport.close()
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
