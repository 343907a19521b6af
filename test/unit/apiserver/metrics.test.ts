// metrics.k8s.io/v1beta1 from the simulated usage: PodMetrics of running pods (annotations set the
// usage), NodeMetrics summing the node's pods plus its daemons, selectors, errors as metrics-server
// words them, and discovery.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {NODE_OVERHEAD} from '../../../src/apiserver/metrics.js'
import type {ApiRequest} from '../../../src/apiserver/types.js'
import {newCluster, type Any} from './helpers.js'

type Cluster = ReturnType<typeof newCluster>

function metrics(c: Cluster, req: Partial<ApiRequest> & Pick<ApiRequest, 'resource'>) {
  return c.cp.handle({verb: 'list', group: 'metrics.k8s.io', version: 'v1beta1', ...req})
}

function pod(name: string, annotations: Record<string, string> = {}, labels: Record<string, string> = {app: 'web'}): Any {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, annotations, labels}, spec: {containers: [{name: 'app', image: 'nginx:1.27', resources: {requests: {cpu: '200m', memory: '128Mi'}}}]}}
}

const nano = (q: string) => Number(q.replace(/n$/, ''))
const ki = (q: string) => Number(q.replace(/Ki$/, ''))

describe('metrics.k8s.io', () => {
  it('serves PodMetrics of running pods, with the usage annotations taking over', () => {
    const c = newCluster(7, {cluster: loadClusterProfile()})
    c.api.ok(c.api.create('pods', pod('busy', {'kube2.dev/cpu-usage': '150m', 'kube2.dev/memory-usage': '100Mi'})))
    c.api.ok(c.api.create('pods', pod('idle', {}, {app: 'other'})))
    c.cp.settle({horizonMs: 30_000})
    const got = metrics(c, {verb: 'get', resource: 'pods', namespace: 'default', name: 'busy'})
    assert.equal(got.status, 200)
    const m = got.body as Any
    assert.equal(m.kind, 'PodMetrics')
    assert.equal(m.window, '15s')
    assert.deepEqual(m.metadata.labels, {app: 'web'})
    assert.deepEqual(m.containers, [{name: 'app', usage: {cpu: '150000000n', memory: '102400Ki'}}])
    assert.ok(Date.parse(m.timestamp) <= c.clock.now().getTime() && c.clock.now().getTime() - Date.parse(m.timestamp) < 15_000)
    const idle = (metrics(c, {verb: 'get', resource: 'pods', namespace: 'default', name: 'idle'}).body as Any).containers[0].usage
    assert.ok(nano(idle.cpu) > 0 && nano(idle.cpu) < 200_000_000, `a fraction of the request: ${idle.cpu}`)
    const list = metrics(c, {resource: 'pods', namespace: 'default', query: {labelSelector: 'app=web'}}).body as Any
    assert.equal(list.kind, 'PodMetricsList')
    assert.deepEqual(list.items.map((i: Any) => i.metadata.name), ['busy'])
  })

  it('answers NotFound for a pod that is not running, as metrics-server does', () => {
    const c = newCluster(7, {controllers: false})
    c.api.ok(c.api.create('pods', pod('pending')))
    const res = metrics(c, {verb: 'get', resource: 'pods', namespace: 'default', name: 'pending'})
    assert.equal(res.status, 404)
    assert.equal((res.body as Any).message, 'podmetrics.metrics.k8s.io "default/pending" not found')
    assert.equal(metrics(c, {verb: 'create', resource: 'pods', namespace: 'default', body: {}}).status, 405)
  })

  it('serves NodeMetrics: the pods on the node plus its daemons, only for nodes that answer', () => {
    const c = newCluster(7, {cluster: loadClusterProfile()})
    c.api.ok(c.api.create('pods', {...pod('a', {'kube2.dev/cpu-usage': '300m', 'kube2.dev/memory-usage': '200Mi'}), spec: {nodeName: 'node-2', containers: [{name: 'app', image: 'nginx:1.27'}]}}))
    c.cp.settle({horizonMs: 30_000})
    const n2 = metrics(c, {verb: 'get', resource: 'nodes', name: 'node-2'}).body as Any
    assert.equal(n2.kind, 'NodeMetrics')
    assert.equal(nano(n2.usage.cpu), 300_000_000 + NODE_OVERHEAD.cpuNano)
    assert.equal(ki(n2.usage.memory), 200 * 1024 + NODE_OVERHEAD.memoryKi)
    const all = metrics(c, {resource: 'nodes'}).body as Any
    assert.deepEqual(all.items.map((n: Any) => n.metadata.name).sort(), ['control-plane', 'node-1', 'node-2', 'node-3'])
    const zoned = metrics(c, {resource: 'nodes', query: {labelSelector: 'topology.kubernetes.io/zone=zone-b'}}).body as Any
    assert.deepEqual(zoned.items.map((n: Any) => n.metadata.name), ['node-2'])
    // A node whose kubelet stopped cannot be scraped once it is NotReady.
    c.api.ok(c.api.patch('nodes', 'node-3', 'merge', {metadata: {annotations: {'kube2.dev/kubelet': 'stopped'}}}))
    c.cp.settle({horizonMs: 0})
    c.clock.advance(60_000)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual((metrics(c, {resource: 'nodes'}).body as Any).items.map((n: Any) => n.metadata.name).sort(), ['control-plane', 'node-1', 'node-2'])
    assert.equal(metrics(c, {verb: 'get', resource: 'nodes', name: 'node-3'}).status, 404)
  })

  it('is in discovery', () => {
    const c = newCluster(7, {controllers: false})
    const served = c.cp.apiserver.catalog.all().filter((r) => r.group === 'metrics.k8s.io').map((r) => `${r.version}/${r.plural}:${r.kind}:${r.verbs.join(',')}`)
    assert.deepEqual(served.sort(), ['v1beta1/nodes:NodeMetrics:get,list', 'v1beta1/pods:PodMetrics:get,list'])
  })
})
