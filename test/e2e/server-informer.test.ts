// An informer from @kubernetes/client-node (what a controller written in TypeScript runs) against the
// emulator's HTTP API: it sees every add, update and delete of a churn of 1,000 writes in the order
// the server made them, and after its watch is cut and history compacted past its resourceVersion it
// gets 410 Gone, re-lists, and ends with exactly the server's objects.
import {strict as assert} from 'node:assert'
import type {Server} from 'node:http'
import {CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap} from '@kubernetes/client-node'
import {request} from 'undici'
import {ServerRuntime} from '../../src/server/runtime.js'
import {close, createApiServer, listen} from '../../src/server/http-server.js'
import {MemoryStore} from '../../src/store/memory.js'
import {MemoryLogStore} from '../../src/emulator/log-store.js'

type Seen = [type: 'add' | 'update' | 'delete', name: string, rv: string]

describe('client-node informer against the emulator', function () {
  this.timeout(60000)
  let rt: ServerRuntime
  let srv: Server
  let base: string
  let stopInformer: (() => Promise<void>) | undefined

  before(async () => {
    rt = new ServerRuntime({store: new MemoryStore(), logStore: new MemoryLogStore(), controllers: ['serviceaccount'], seed: 3})
    srv = createApiServer(rt)
    base = `http://127.0.0.1:${(await listen(srv, 0)).port}`
    const r = rt.handle({verb: 'create', group: '', version: 'v1', resource: 'namespaces', body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'churn'}}})
    assert.equal(r.status, 201)
  })
  after(async () => {
    // A failed assertion must not leave the informer re-watching (the test process would not exit).
    await stopInformer?.()
    await close(srv)
    rt.close()
  })

  const send = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await request(base + path, {method: method as 'POST', body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : {'content-type': type}})
    const text = await res.body.text()
    assert.ok(res.statusCode < 300, `${method} ${path}: ${res.statusCode} ${text}`)
    return JSON.parse(text) as V1ConfigMap
  }

  const until = async (cond: () => boolean, what: string, ms = 20000) => {
    const deadline = Date.now() + ms
    while (!cond()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  it('sees a churn of 1,000 writes in order and recovers from 410 Gone', async () => {
    const kc = new KubeConfig()
    kc.loadFromOptions({
      clusters: [{name: 'emu', server: base, skipTLSVerify: true}],
      users: [{name: 'u'}],
      contexts: [{name: 'emu', cluster: 'emu', user: 'u'}],
      currentContext: 'emu',
    })
    const core = kc.makeApiClient(CoreV1Api)
    const informer = makeInformer(kc, '/api/v1/namespaces/churn/configmaps', () => core.listNamespacedConfigMap({namespace: 'churn'}))
    stopInformer = () => informer.stop()
    const seen: Seen[] = []
    const errors: unknown[] = []
    informer.on('add', (o) => seen.push(['add', o.metadata!.name!, o.metadata!.resourceVersion!]))
    informer.on('update', (o) => seen.push(['update', o.metadata!.name!, o.metadata!.resourceVersion!]))
    informer.on('delete', (o) => seen.push(['delete', o.metadata!.name!, o.metadata!.resourceVersion!]))
    let stopped = false
    stopInformer = async () => {
      stopped = true
      await informer.stop()
    }
    informer.on('error', (e) => {
      errors.push(e)
      // client-node leaves restarting to its user after an error, as its examples do.
      setTimeout(() => {
        if (!stopped) void informer.start()
      }, 50)
    })
    await informer.start()

    // 1,000 writes from 8 concurrent clients: 400 creates, 350 updates, 250 deletes.
    const written: Seen[] = []
    const ops: Array<() => Promise<void>> = []
    for (let i = 0; i < 400; i++) {
      ops.push(async () => {
        const o = await send('POST', '/api/v1/namespaces/churn/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `c${i}`}, data: {v: '0'}})
        written.push(['add', o.metadata!.name!, o.metadata!.resourceVersion!])
        if (i % 8 < 7) {
          const u = await send('PATCH', `/api/v1/namespaces/churn/configmaps/c${i}`, {data: {v: '1'}}, 'application/merge-patch+json')
          written.push(['update', u.metadata!.name!, u.metadata!.resourceVersion!])
        }
        if (i % 8 < 5) {
          await send('DELETE', `/api/v1/namespaces/churn/configmaps/c${i}`)
          written.push(['delete', `c${i}`, ''])
        }
      })
    }
    let next = 0
    await Promise.all(Array.from({length: 8}, async () => {
      while (next < ops.length) await ops[next++]!()
    }))
    assert.equal(written.length, 1000)
    await until(() => seen.length >= written.length, `${written.length} events (saw ${seen.length})`)
    const byRv = (a: Seen, b: Seen) => Number(a[2]) - Number(b[2])
    // The informer's order is the server's order (resourceVersions increase along the stream)...
    assert.deepEqual(seen, [...seen].sort(byRv))
    // ...and it saw every write to every object, in the order that object was written. (A DELETE of a
    // ConfigMap answers with a Status, not the object, so deletes are compared by name.)
    const perName = (list: Seen[]) => {
      const m = new Map<string, string[]>()
      for (const [t, n] of list) m.set(n, [...(m.get(n) ?? []), t])
      return m
    }
    assert.deepEqual(perName(seen), perName(written))
    const createsAndUpdates = written.filter(([t]) => t !== 'delete')
    for (const [t, n, rv] of createsAndUpdates) assert.ok(seen.some((x) => x[0] === t && x[1] === n && x[2] === rv), `${t} ${n} at ${rv} not seen`)

    // Cut the watch, then — before the informer can reconnect — change things and compact history
    // past its last resourceVersion: its resumed watch gets 410 Gone and it must re-list.
    const before = seen.length
    srv.closeAllConnections()
    const mk = (name: string) => rt.handle({verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'churn', body: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}}})
    assert.equal(mk('during-gap').status, 201)
    assert.equal(rt.handle({verb: 'delete', group: '', version: 'v1', resource: 'configmaps', namespace: 'churn', name: 'c7'}).status, 200)
    for (let i = 0; i < 5; i++) assert.equal(mk(`filler${i}`).status, 201)
    rt.controlPlane.compactTo(rt.controlPlane.store.currentRevision())
    const server = () => new Set((rt.handle({verb: 'list', group: '', version: 'v1', resource: 'configmaps', namespace: 'churn'}).body as {items?: V1ConfigMap[]}).items?.map((o) => o.metadata!.name!) ?? [])
    const cached = () => new Set(informer.list('churn').map((o) => o.metadata!.name!))
    const expected = server()
    await until(() => cached().size === expected.size && [...expected].every((n) => cached().has(n)), 'the informer to re-list after 410')
    assert.ok(seen.slice(before).some(([t, n]) => t === 'add' && n === 'during-gap'))
    assert.ok(!cached().has('c7'))
    await stopInformer()
  })
})
