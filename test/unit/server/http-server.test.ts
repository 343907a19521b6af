// The HTTP adapter over the emulated apiserver, spoken to over real HTTP (undici): discovery in both
// forms, /version and health, content negotiation (Table, YAML, protobuf declined), request bodies,
// watch streaming, the Status of unsupported connect subresources, body limits.
import {strict as assert} from 'node:assert'
import type {Server} from 'node:http'
import {request} from 'undici'
import {ServerRuntime} from '../../../src/server/runtime.js'
import {close, createApiServer, listen} from '../../../src/server/http-server.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {MemoryLogStore} from '../../../src/emulator/log-store.js'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'

describe('HTTP adapter', function () {
  this.timeout(20000)
  let rt: ServerRuntime
  let srv: Server
  let base: string

  before(async () => {
    rt = new ServerRuntime({store: new MemoryStore(), cluster: loadClusterProfile(), logStore: new MemoryLogStore(), kubernetesVersion: '1.33', seed: 7})
    srv = createApiServer(rt, {maxBodyBytes: 64 * 1024})
    base = `http://127.0.0.1:${(await listen(srv, 0)).port}`
  })
  after(async () => {
    await close(srv)
    rt.close()
  })

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(base + path, {headers})
    const text = await res.body.text()
    return {status: res.statusCode, type: String(res.headers['content-type']), text, json: () => JSON.parse(text) as Record<string, any>}
  }
  const send = async (method: string, path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await request(base + path, {method: method as 'POST', body, headers: {'content-type': 'application/json', ...headers}})
    const text = await res.body.text()
    return {status: res.statusCode, text, json: () => JSON.parse(text) as Record<string, any>}
  }

  it('serves /version for the emulated release', async () => {
    const v = (await get('/version')).json()
    assert.equal(v.major, '1')
    assert.equal(v.minor, '33')
    assert.match(v.gitVersion, /^v1\.33\.\d+$/)
    assert.equal(v.emulationMinor, '33')
  })

  it('answers health checks, verbose lists and single checks, 404 for unknown ones', async () => {
    assert.equal((await get('/readyz')).text, 'ok')
    assert.equal((await get('/livez/etcd')).text, 'ok')
    const verbose = await get('/healthz?verbose')
    assert.match(verbose.text, /^\[\+\]ping ok\n.*\nhealthz check passed\n$/s)
    assert.equal((await get('/readyz/nope')).status, 404)
  })

  it('serves legacy discovery: APIVersions, APIGroupList, APIGroup, APIResourceList', async () => {
    const api = (await get('/api')).json()
    assert.deepEqual(api.versions, ['v1'])
    const groups = (await get('/apis')).json()
    assert.equal(groups.kind, 'APIGroupList')
    assert.equal(groups.groups[0].name, 'apiregistration.k8s.io')
    const apps = groups.groups.find((g: {name: string}) => g.name === 'apps')
    assert.deepEqual(apps.preferredVersion, {groupVersion: 'apps/v1', version: 'v1'})
    assert.equal((await get('/apis/apps')).json().kind, 'APIGroup')
    const core = (await get('/api/v1')).json()
    const pods = core.resources.find((r: {name: string}) => r.name === 'pods')
    assert.deepEqual({namespaced: pods.namespaced, kind: pods.kind, shortNames: pods.shortNames, categories: pods.categories}, {namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all']})
    assert.match(pods.storageVersionHash, /^[A-Za-z0-9+/]{11}=$/)
    const eviction = core.resources.find((r: {name: string}) => r.name === 'pods/eviction')
    assert.deepEqual({group: eviction.group, version: eviction.version, kind: eviction.kind, verbs: eviction.verbs}, {group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create']})
    assert.equal((await get('/apis/nope.example.com/v1')).status, 404)
  })

  it('serves aggregated discovery (apidiscovery.k8s.io/v2) when asked for it', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'
    const r = await get('/apis', {accept})
    assert.equal(r.type, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
    const doc = r.json()
    assert.equal(doc.kind, 'APIGroupDiscoveryList')
    const apps = doc.items.find((i: {metadata: {name: string}}) => i.metadata.name === 'apps')
    const deploy = apps.versions[0].resources.find((x: {resource: string}) => x.resource === 'deployments')
    assert.deepEqual(deploy.responseKind, {group: 'apps', version: 'v1', kind: 'Deployment'})
    assert.equal(deploy.scope, 'Namespaced')
    assert.deepEqual(deploy.subresources.map((s: {subresource: string}) => s.subresource).sort(), ['scale', 'status'])
    const legacy = (await get('/api', {accept})).json()
    assert.deepEqual(legacy.items.map((i: {metadata: {name: string}}) => i.metadata.name), [''])
  })

  it('negotiates Table, YAML and JSON, declining protobuf-only and unknown types with 406', async () => {
    const table = (await get('/api/v1/nodes', {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'})).json()
    assert.equal(table.kind, 'Table')
    assert.deepEqual(table.columnDefinitions.slice(0, 3).map((c: {name: string}) => c.name), ['Name', 'Status', 'Roles'])
    const fallback = (await get('/api/v1/nodes', {accept: 'application/vnd.kubernetes.protobuf, application/json'})).json()
    assert.equal(fallback.kind, 'NodeList')
    const y = await get('/api/v1/nodes/node-1', {accept: 'application/yaml'})
    assert.equal(y.type, 'application/yaml')
    assert.match(y.text, /^apiVersion: v1\nkind: Node\n/)
    const refused = await get('/api/v1/nodes', {accept: 'application/vnd.kubernetes.protobuf'})
    assert.equal(refused.status, 406)
    assert.equal(refused.json().reason, 'NotAcceptable')
  })

  it('accepts JSON and YAML bodies, refuses other media types with 415, bad JSON with 400', async () => {
    const made = await send('POST', '/api/v1/namespaces/default/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y1}\ndata: {a: b}\n', {'content-type': 'application/yaml'})
    assert.equal(made.status, 201, made.text)
    assert.equal(made.json().data.a, 'b')
    const bad = await send('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":', {})
    assert.equal(bad.status, 400)
    assert.match(bad.json().message, /json parse error/)
    const odd = await send('POST', '/api/v1/namespaces/default/configmaps', 'x', {'content-type': 'text/plain'})
    assert.equal(odd.status, 415)
    const patch = await send('PATCH', '/api/v1/namespaces/default/configmaps/y1', '{"data":{"c":"d"}}', {'content-type': 'application/merge-patch+json'})
    assert.equal(patch.status, 200, patch.text)
    assert.deepEqual(patch.json().data, {a: 'b', c: 'd'})
  })

  it('refuses bodies over the limit with 413', async () => {
    const big = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'big'}, data: {a: 'x'.repeat(70 * 1024)}})
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', big)
    assert.equal(r.status, 413)
    assert.equal(r.json().reason, 'RequestEntityTooLarge')
  })

  it('answers 404 and 405 as Statuses', async () => {
    const missing = await get('/api/v1/namespaces/default/configmaps/nope')
    assert.equal(missing.status, 404)
    assert.equal(missing.json().message, 'configmaps "nope" not found')
    const wrong = await send('PUT', '/api/v1/namespaces/default/configmaps', '{}')
    assert.equal(wrong.status, 405)
  })

  it('streams watch events as JSON lines, with a Table per event when asked', async () => {
    const list = (await get('/api/v1/namespaces/default/configmaps')).json()
    const rv = list.metadata.resourceVersion
    const res = await request(`${base}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=5`, {
      headers: {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'},
    })
    assert.equal(res.statusCode, 200)
    const lines: Array<Record<string, any>> = []
    let buf = ''
    const done = new Promise<void>((resolve) => {
      res.body.on('data', (d: Buffer) => {
        buf += d.toString()
        let i
        while ((i = buf.indexOf('\n')) >= 0) {
          lines.push(JSON.parse(buf.slice(0, i)))
          buf = buf.slice(i + 1)
          if (lines.length === 2) resolve()
        }
      })
    })
    await send('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'w1'}}))
    await send('DELETE', '/api/v1/namespaces/default/configmaps/w1', '')
    await done
    res.body.destroy()
    assert.deepEqual(lines.map((l) => l.type), ['ADDED', 'DELETED'])
    assert.equal(lines[0]!.object.kind, 'Table')
    assert.equal(lines[0]!.object.columnDefinitions[0].name, 'Name')
    assert.deepEqual(lines[1]!.object.columnDefinitions, [], 'column definitions only in the first event')
    assert.equal(lines[1]!.object.rows[0].cells[0], 'w1')
  })

  it('answers exec, attach and port-forward with a clear Status; a missing pod is still 404', async () => {
    const missing = await send('POST', '/api/v1/namespaces/default/pods/nope/exec?command=ls', '')
    assert.equal(missing.status, 404)
    const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p1'}, spec: {containers: [{name: 'c', image: 'nginx'}]}}
    assert.equal((await send('POST', '/api/v1/namespaces/default/pods', JSON.stringify(pod))).status, 201)
    for (const sub of ['exec', 'attach', 'portforward']) {
      const r = await send('POST', `/api/v1/namespaces/default/pods/p1/${sub}`, '')
      assert.equal(r.status, 400)
      assert.match(r.json().message, /is not supported by the kube2 emulator: pod "p1" runs no real containers/)
    }
  })
})
