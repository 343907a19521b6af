// The HTTP transport on a local HTTPS server with our own CA: credentials and impersonation headers,
// retries on 429 with Retry-After (on a recorded clock), a refresh after 401, timeouts, kubectl's
// connection errors, TLS verification, and tunnels through an HTTP CONNECT and a SOCKS5 proxy.
import {strict as assert} from 'node:assert'
import {createServer as createHttpsServer, type Server} from 'node:https'
import {createServer as createNetServer, connect as netConnect, type Server as NetServer, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {issueCertificate, type KeyPair} from '../../../src/server/pki.js'
import {retryAfterMs, Transport, TransportError} from '../../../src/client/transport.js'

describe('Transport', function () {
  this.timeout(20000)
  let ca: KeyPair
  let serving: KeyPair
  let server: Server
  let url: string
  let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void
  const seen: Array<{method: string; url: string; headers: IncomingMessage['headers']; body: string}> = []

  before(async () => {
    ca = issueCertificate({subject: {commonName: 'test-ca'}, ca: true, validDays: 1})
    serving = issueCertificate({subject: {commonName: 'server'}, issuer: ca, altNames: ['127.0.0.1', 'api.example'], usages: ['server'], validDays: 1})
    server = createHttpsServer({key: serving.keyPem, cert: serving.certPem}, (req, res) => {
      let body = ''
      req.on('data', (d: Buffer) => (body += d.toString()))
      req.on('end', () => {
        seen.push({method: req.method!, url: req.url!, headers: req.headers, body})
        handler(req, res, body)
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((r) => {
    server.close(() => r())
    server.closeAllConnections()
  }))
  beforeEach(() => {
    seen.length = 0
    handler = (_req, res) => {
      res.writeHead(200, {'content-type': 'application/json'})
      res.end('{"ok":true}')
    }
  })

  it('sends the token, impersonation headers and body; keeps the connection', async () => {
    const t = new Transport({server: url, ca: ca.certPem, credentials: {get: async () => ({token: 'tok'})}, impersonate: {user: 'alice', groups: ['dev', 'ops'], uid: 'u1', extra: {scopes: ['a', 'b']}}})
    const r = await t.request({method: 'POST', path: '/api/v1/x?y=1', headers: {'content-type': 'application/json'}, body: '{"a":1}'})
    await t.request({method: 'GET', path: '/version'})
    t.close()
    assert.equal(r.status, 200)
    assert.equal(r.body.toString(), '{"ok":true}')
    const h = seen[0]!.headers
    assert.equal(h.authorization, 'Bearer tok')
    assert.equal(h['impersonate-user'], 'alice')
    assert.equal(h['impersonate-group'], 'dev, ops')
    assert.equal(h['impersonate-uid'], 'u1')
    assert.equal(h['impersonate-extra-scopes'], 'a, b')
    assert.equal(seen[0]!.body, '{"a":1}')
    assert.equal(seen[0]!.url, '/api/v1/x?y=1')
  })

  it('a server URL with a path prefixes every request', async () => {
    const t = new Transport({server: `${url}/k8s/clusters/c-1/`, ca: ca.certPem})
    await t.request({method: 'GET', path: '/api'})
    t.close()
    assert.equal(seen[0]!.url, '/k8s/clusters/c-1/api')
  })

  it('retries 429 after Retry-After seconds, up to maxRetries', async () => {
    let n = 0
    handler = (_req, res) => {
      n++
      if (n < 3) {
        res.writeHead(429, {'retry-after': '2'})
        res.end('{}')
      } else {
        res.writeHead(201)
        res.end('created')
      }
    }
    const waits: number[] = []
    const t = new Transport({server: url, ca: ca.certPem, sleep: async (ms) => void waits.push(ms)})
    const r = await t.request({method: 'POST', path: '/x', body: 'b'})
    assert.equal(r.status, 201)
    assert.deepEqual(waits, [2000, 2000])
    assert.deepEqual(seen.map((s) => s.body), ['b', 'b', 'b'])
    n = -100
    const limited = new Transport({server: url, ca: ca.certPem, maxRetries: 2, sleep: async (ms) => void waits.push(ms)})
    assert.equal((await limited.request({method: 'GET', path: '/x'})).status, 429)
    t.close()
    limited.close()
    assert.equal(retryAfterMs(undefined), 1000)
    assert.equal(retryAfterMs('0'), 0)
  })

  it('asks the credentials again once after a 401', async () => {
    let gets = 0
    let refreshes = 0
    handler = (req, res) => {
      res.writeHead(req.headers.authorization === 'Bearer fresh' ? 200 : 401)
      res.end('{}')
    }
    const t = new Transport({
      server: url, ca: ca.certPem,
      credentials: {get: async () => ({token: gets++ === 0 ? 'stale' : 'fresh'}), refresh: () => void refreshes++},
    })
    assert.equal((await t.request({method: 'GET', path: '/'})).status, 200)
    assert.equal(refreshes, 1)
    t.close()
  })

  it('times out a request that takes too long', async () => {
    handler = () => undefined // never answers
    const t = new Transport({server: url, ca: ca.certPem, timeoutMs: 200})
    await assert.rejects(t.request({method: 'GET', path: '/slow'}), (e: Error) => e instanceof TransportError && /timed out after 0.2s/.test(e.message))
    t.close()
  })

  it('TLS: an unknown CA is refused in kubectl\'s words; insecure-skip-tls-verify and tls-server-name work', async () => {
    const other = issueCertificate({subject: {commonName: 'other-ca'}, ca: true, validDays: 1})
    const bad = new Transport({server: url, ca: other.certPem})
    await assert.rejects(bad.request({method: 'GET', path: '/'}), /certificate signed by unknown authority/)
    bad.close()
    const insecure = new Transport({server: url, insecureSkipTlsVerify: true})
    assert.equal((await insecure.request({method: 'GET', path: '/'})).status, 200)
    insecure.close()
    const named = new Transport({server: url, ca: ca.certPem, tlsServerName: 'api.example'})
    assert.equal((await named.request({method: 'GET', path: '/'})).status, 200)
    named.close()
    const wrongName = new Transport({server: url, ca: ca.certPem, tlsServerName: 'elsewhere.example'})
    await assert.rejects(wrongName.request({method: 'GET', path: '/'}), /certificate is valid for other names|x509/)
    wrongName.close()
  })

  it('connection refused reads as kubectl says it', async () => {
    const probe = createNetServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    const t = new Transport({server: `https://127.0.0.1:${port}`})
    await assert.rejects(t.request({method: 'GET', path: '/'}), new RegExp(`^TransportError: The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port\\?$|The connection to the server 127.0.0.1:${port} was refused`))
    t.close()
  })

  describe('proxies', () => {
    let proxy: NetServer
    let proxyUrl: string
    const proxied: string[] = []
    const pipe = (client: Socket, port: number, host: string, onUp: (upstream: Socket) => void) => {
      sockets.add(client)
      const upstream = netConnect(port, host, () => onUp(upstream))
      sockets.add(upstream)
      upstream.on('error', () => client.destroy())
    }
    const sockets = new Set<Socket>()
    afterEach(() => new Promise<void>((r) => {
      proxy.close(() => r())
      for (const s of sockets) s.destroy()
    }))

    it('tunnels through an HTTP CONNECT proxy (with basic auth)', async () => {
      proxy = createNetServer((client) => {
        client.once('data', (d: Buffer) => {
          const head = d.toString('latin1')
          proxied.push(head.split('\r\n').filter((l) => /^(CONNECT|Proxy-Authorization)/.test(l)).join(' | '))
          const [host, port] = head.split(' ')[1]!.split(':')
          pipe(client, Number(port), host!, (up) => {
            client.write('HTTP/1.1 200 Connection established\r\n\r\n')
            client.pipe(up).pipe(client)
          })
        })
      })
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
      proxyUrl = `http://user:p%40ss@127.0.0.1:${(proxy.address() as AddressInfo).port}`
      const t = new Transport({server: url, ca: ca.certPem, proxyUrl})
      assert.equal((await t.request({method: 'GET', path: '/via-proxy'})).status, 200)
      t.close()
      const port = new URL(url).port
      assert.deepEqual(proxied, [`CONNECT 127.0.0.1:${port} HTTP/1.1 | Proxy-Authorization: Basic ${Buffer.from('user:p@ss').toString('base64')}`])
      assert.equal(seen[0]!.url, '/via-proxy')
    })

    it('tunnels through a SOCKS5 proxy', async () => {
      let target = ''
      proxy = createNetServer((client) => {
        client.once('data', () => {
          client.write(Buffer.from([5, 0]))
          client.once('data', (req: Buffer) => {
            const len = req[4]!
            const host = req.subarray(5, 5 + len).toString()
            const port = req.readUInt16BE(5 + len)
            target = `${host}:${port}`
            pipe(client, port, host, (up) => {
              client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
              client.pipe(up).pipe(client)
            })
          })
        })
      })
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
      const t = new Transport({server: url, ca: ca.certPem, proxyUrl: `socks5://127.0.0.1:${(proxy.address() as AddressInfo).port}`})
      assert.equal((await t.request({method: 'GET', path: '/via-socks'})).status, 200)
      t.close()
      assert.equal(target, `127.0.0.1:${new URL(url).port}`)
    })
  })
})
