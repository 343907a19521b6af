// HTTP(S) to a Kubernetes API server, as client-go's transport does it: TLS with the kubeconfig's CA
// (or the system's), a client certificate, tls-server-name, insecure-skip-tls-verify; bearer tokens
// (static, from a file re-read on every request, or from an exec plugin, refreshed once on a 401);
// impersonation headers; proxy-url (http/https CONNECT and socks5); keep-alive connections reused
// within a command; a per-request timeout; retries on 429 (and 5xx for reads) honouring Retry-After.
//
// Built on node:https rather than undici: undici takes ~35 ms to load and compiles its WebAssembly
// HTTP parser at the first connection, which keeps V8's worker threads busy for another ~100 ms that
// the process must wait for at exit: together three times kubectl's whole `get pods`.
import {Agent as HttpsAgent, request as httpsRequest, type RequestOptions} from 'node:https'
import {request as httpRequest, type IncomingHttpHeaders, type IncomingMessage} from 'node:http'
import {connect as netConnect, type Socket} from 'node:net'
import {connect as tlsConnect, type ConnectionOptions} from 'node:tls'

export interface TlsOptions {
  /** PEM CA bundle; without it, the system's roots. */
  ca?: string
  /** PEM client certificate and key. */
  cert?: string
  key?: string
  insecureSkipTlsVerify?: boolean
  /** The name to verify the server's certificate against (and send as SNI). */
  tlsServerName?: string
}

export interface Impersonation {
  user?: string
  groups?: string[]
  uid?: string
  extra?: Record<string, string[]>
}

/** Where a request's credentials come from; `refresh` is called once after a 401. */
export interface CredentialSource {
  /** A bearer token, or a client certificate, for the next request. */
  get(): Promise<{token?: string; cert?: string; key?: string}>
  /** Drops cached credentials (an exec plugin's) so that the next get() fetches new ones. */
  refresh?(): void
}

export interface TransportOptions extends TlsOptions {
  server: string
  credentials?: CredentialSource
  impersonate?: Impersonation
  proxyUrl?: string
  /** Per request, in ms; 0 or undefined: none. */
  timeoutMs?: number
  userAgent?: string
  /** How often a 429 (and a 5xx on a read) is retried; client-go's default is 10. */
  maxRetries?: number
  /** For tests: the clock retries wait on. */
  sleep?: (ms: number) => Promise<void>
}

export interface HttpRequest {
  method: string
  /** Path and query, relative to the server URL. */
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
}

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

export class TransportError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message)
  }
}

const RETRYABLE_READ_STATUS = new Set([500, 502, 503, 504])

export class Transport {
  readonly base: URL
  private readonly agents = new Map<string, HttpsAgent>()
  private readonly sleep: (ms: number) => Promise<void>

  constructor(readonly opts: TransportOptions) {
    this.base = new URL(opts.server)
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') throw new TransportError(`unsupported server URL scheme ${JSON.stringify(this.base.protocol)} in ${opts.server}`)
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
  }

  /** One request, read to the end; retried on 429 (any method) and on 5xx (reads) as client-go does. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const maxRetries = this.opts.maxRetries ?? 10
    let refreshed = false
    for (let attempt = 0; ; attempt++) {
      const res = await this.once(req)
      if (res.status === 401 && !refreshed && this.opts.credentials?.refresh) {
        refreshed = true
        this.opts.credentials.refresh()
        continue
      }
      const retryable = res.status === 429 || (RETRYABLE_READ_STATUS.has(res.status) && req.method === 'GET' && res.headers['retry-after'] !== undefined)
      if (!retryable || attempt >= maxRetries) return res
      await this.sleep(retryAfterMs(res.headers['retry-after']))
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.open(req)
    const chunks: Buffer[] = []
    return new Promise((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}))
      res.on('error', (e) => reject(new TransportError(`error reading the response from ${this.base.origin}: ${e.message}`)))
    })
  }

  /** A streaming request (watch, follow): the response, to be read as it comes. */
  async stream(req: HttpRequest): Promise<IncomingMessage> {
    return this.open({...req}, true)
  }

  private async open(req: HttpRequest, streaming = false): Promise<IncomingMessage> {
    const creds = (await this.opts.credentials?.get()) ?? {}
    const headers: Record<string, string | string[]> = {'user-agent': this.opts.userAgent ?? 'kube2', ...req.headers}
    if (creds.token) headers.authorization = `Bearer ${creds.token}`
    const imp = this.opts.impersonate
    if (imp?.user) headers['impersonate-user'] = imp.user
    if (imp?.groups?.length) headers['impersonate-group'] = imp.groups
    if (imp?.uid) headers['impersonate-uid'] = imp.uid
    for (const [k, v] of Object.entries(imp?.extra ?? {})) headers[`impersonate-extra-${encodeURIComponent(k)}`] = v
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body))
    const basePath = this.base.pathname.replace(/\/+$/, '')
    const https = this.base.protocol === 'https:'
    const options: RequestOptions = {
      method: req.method,
      host: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port || (https ? 443 : 80),
      path: basePath + req.path,
      headers,
      agent: https ? this.agent(creds) : undefined,
    }
    return new Promise((resolve, reject) => {
      const r = (https ? httpsRequest : httpRequest)(options, (res) => {
        if (!streaming) r.setTimeout(0)
        resolve(res)
      })
      const timeout = this.opts.timeoutMs ?? 0
      if (timeout > 0 && !streaming) {
        r.setTimeout(timeout, () => r.destroy(new TransportError(`the request to ${this.base.origin} timed out after ${timeout / 1000}s`, 'ETIMEDOUT')))
      }
      r.on('error', (e: Error & {code?: string}) => reject(e instanceof TransportError ? e : new TransportError(connectionMessage(this.base, e), e.code)))
      if (req.body !== undefined) r.write(req.body)
      r.end()
    })
  }

  /** One keep-alive agent per client certificate (exec plugins may rotate them). */
  private agent(creds: {cert?: string; key?: string}): HttpsAgent {
    const cert = creds.cert ?? this.opts.cert
    const key = creds.key ?? this.opts.key
    const id = `${cert ?? ''}\u0000${key ?? ''}`
    let a = this.agents.get(id)
    if (!a) {
      const tls: ConnectionOptions = {
        rejectUnauthorized: !this.opts.insecureSkipTlsVerify,
        ...(this.opts.ca ? {ca: this.opts.ca} : {}),
        ...(cert ? {cert} : {}),
        ...(key ? {key} : {}),
        ...(this.opts.tlsServerName ? {servername: this.opts.tlsServerName} : {}),
      }
      a = new HttpsAgent({keepAlive: true, ...tls})
      if (this.opts.proxyUrl) {
        const proxy = new URL(this.opts.proxyUrl)
        const target = this.base
        ;(a as unknown as {createConnection: unknown}).createConnection = (_o: unknown, cb: (err: Error | null, s?: Socket) => void) => {
          tunnel(proxy, target, tls).then((s) => cb(null, s), (e: Error) => cb(e))
          return undefined
        }
      }
      this.agents.set(id, a)
    }
    return a
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy()
    this.agents.clear()
  }
}

/** Retry-After in seconds (or an HTTP date); client-go waits 1 s when it is absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined): number {
  const v = Array.isArray(header) ? header[0] : header
  if (v === undefined) return 1000
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000
  const at = Date.parse(v)
  return Number.isNaN(at) ? 1000 : Math.max(0, at - Date.now())
}

/** The TLS connection to `target` through an HTTP(S) CONNECT or SOCKS5 proxy. */
async function tunnel(proxy: URL, target: URL, tls: ConnectionOptions): Promise<Socket> {
  const host = target.hostname.replace(/^\[|\]$/g, '')
  const port = Number(target.port || 443)
  let raw: Socket
  if (proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:') raw = await socks5(proxy, host, port)
  else if (proxy.protocol === 'http:' || proxy.protocol === 'https:') raw = await httpConnect(proxy, host, port)
  else throw new TransportError(`unsupported proxy scheme ${JSON.stringify(proxy.protocol)} in proxy-url ${proxy.href}`)
  const servername = (tls as {servername?: string}).servername ?? (/^[\d.:]+$/.test(host) ? undefined : host)
  // `host` is what the certificate is checked against (tls-server-name, when set, wins).
  return tlsConnect({...tls, socket: raw, host: (tls as {servername?: string}).servername ?? host, ...(servername ? {servername} : {})})
}

function proxyDial(proxy: URL, defaultPort: number): Promise<Socket> {
  const host = proxy.hostname.replace(/^\[|\]$/g, '')
  const port = Number(proxy.port || defaultPort)
  return new Promise((resolve, reject) => {
    const onError = (e: Error & {code?: string}) => reject(new TransportError(`proxyconnect tcp: dial tcp ${host}:${port}: ${e.message}`, e.code))
    if (proxy.protocol === 'https:') {
      const s = tlsConnect({host, port, servername: host}, () => resolve(s as unknown as Socket))
      s.once('error', onError)
    } else {
      const s = netConnect({host, port}, () => resolve(s))
      s.once('error', onError)
    }
  })
}

async function httpConnect(proxy: URL, host: string, port: number): Promise<Socket> {
  const s = await proxyDial(proxy, proxy.protocol === 'https:' ? 443 : 80)
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  let head = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`
  if (proxy.username) head += `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
  const reader = new HandshakeReader(s)
  s.write(`${head}\r\n`)
  const reply = await reader.until('\r\n\r\n')
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply.toString('latin1'))
  if (!status || status[1] !== '200') {
    s.destroy()
    throw new TransportError(`proxy error from ${proxy.host} while dialing ${authority}: ${reply.toString('latin1').split('\r\n')[0]}`)
  }
  return reader.finish()
}

async function socks5(proxy: URL, host: string, port: number): Promise<Socket> {
  const s = await proxyDial(proxy, 1080)
  const reader = new HandshakeReader(s)
  const auth = proxy.username !== ''
  s.write(Buffer.from(auth ? [5, 2, 0, 2] : [5, 1, 0]))
  const choice = await reader.read(2)
  if (choice[0] !== 5 || choice[1] === 0xff) throw new TransportError(`socks connect tcp ${proxy.host}->${host}:${port}: no acceptable authentication methods`)
  if (choice[1] === 2) {
    const u = Buffer.from(decodeURIComponent(proxy.username))
    const p = Buffer.from(decodeURIComponent(proxy.password))
    s.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]))
    const ok = await reader.read(2)
    if (ok[1] !== 0) throw new TransportError(`socks connect tcp ${proxy.host}->${host}:${port}: username/password authentication failed`)
  }
  const name = Buffer.from(host)
  const portBytes = Buffer.from([port >> 8, port & 0xff])
  s.write(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, portBytes]))
  const head = await reader.read(5)
  if (head[1] !== 0) throw new TransportError(`socks connect tcp ${proxy.host}->${host}:${port}: ${SOCKS_ERRORS[head[1]!] ?? `unknown error ${head[1]}`}`)
  const rest = head[3] === 1 ? 3 + 2 : head[3] === 4 ? 15 + 2 : head[4]! + 2
  await reader.read(rest)
  return reader.finish()
}

const SOCKS_ERRORS: Record<number, string> = {
  1: 'general SOCKS server failure', 2: 'connection not allowed by ruleset', 3: 'network unreachable', 4: 'host unreachable',
  5: 'connection refused', 6: 'TTL expired', 7: 'command not supported', 8: 'address type not supported',
}

/**
 * Reads a proxy's handshake replies from a socket with one 'data' listener; finish() hands the socket
 * over (paused, with anything read ahead put back) to TLS.
 */
class HandshakeReader {
  private buf = Buffer.alloc(0)
  private waiter?: () => void
  private failure?: Error
  private readonly onData = (c: Buffer) => {
    this.buf = Buffer.concat([this.buf, c])
    this.waiter?.()
  }
  private readonly onError = (e: Error) => {
    this.failure = e
    this.waiter?.()
  }
  private readonly onEnd = () => this.onError(new Error('the proxy closed the connection'))

  constructor(private readonly s: Socket) {
    s.on('data', this.onData)
    s.on('error', this.onError)
    s.on('end', this.onEnd)
  }

  private async wait(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failure) throw this.failure
      await new Promise<void>((r) => (this.waiter = r))
      this.waiter = undefined
    }
  }

  async read(n: number): Promise<Buffer> {
    await this.wait(() => this.buf.length >= n)
    const out = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(n)
    return out
  }

  /** Up to (not including) the first `delim`, which is consumed. */
  async until(delim: string): Promise<Buffer> {
    await this.wait(() => this.buf.indexOf(delim) >= 0)
    const i = this.buf.indexOf(delim)
    const out = this.buf.subarray(0, i)
    this.buf = this.buf.subarray(i + delim.length)
    return out
  }

  finish(): Socket {
    this.s.off('data', this.onData)
    this.s.off('error', this.onError)
    this.s.off('end', this.onEnd)
    this.s.pause()
    if (this.buf.length > 0) this.s.unshift(this.buf)
    return this.s
  }
}

/** kubectl's words for a server it cannot reach. */
export function connectionMessage(base: URL, e: Error & {code?: string}): string {
  const hostPort = `${base.hostname}:${base.port || (base.protocol === 'https:' ? 443 : 80)}`
  switch (e.code) {
    case 'ECONNREFUSED':
      return `The connection to the server ${hostPort} was refused - did you specify the right host or port?`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Unable to connect to the server: dial tcp: lookup ${base.hostname}: no such host`
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority'
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for other names, not ${base.hostname}`
    case 'CERT_HAS_EXPIRED':
      return 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid'
    default:
      return `Unable to connect to the server: ${e.message}`
  }
}
