// The EndpointSlice controller on a control plane settling on a virtual clock: nodes come from the
// default cluster profile (zones a/b/c); the test plays the kubelet where a precise pod state is
// needed and runs the scheduler and kubelets for the end-to-end scenario.
import {strict as assert} from 'node:assert'
import {newCluster, type Any} from '../apiserver/helpers.js'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'

type Api = ReturnType<typeof newCluster>['api']

const MANAGED_BY = {'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'}
const T0 = '2026-11-22T12:00:00Z'

function cluster(controllers: string[] = ['endpointslice']) {
  return newCluster(7, {controllers, cluster: loadClusterProfile()})
}

function service(name: string, spec: Any, labels: Record<string, string> = {app: name}): Any {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, labels}, spec}
}

function pod(name: string, opts: {labels?: Record<string, string>; node?: string; ports?: Any[]; extra?: Any} = {}): Any {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: {name, labels: opts.labels ?? {app: 'web'}},
    spec: {nodeName: opts.node ?? 'node-1', containers: [{name: 'c', image: 'nginx', ...(opts.ports ? {ports: opts.ports} : {})}], ...(opts.extra ?? {})},
  }
}

function run(api: Api, name: string, ip: string, ready: boolean, at = T0): void {
  api.ok(api.patch('pods', name, 'merge', {status: {
    phase: 'Running', podIP: ip, podIPs: [{ip}],
    conditions: [{type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at}],
  }}, {}, 'status'))
}

function slices(api: Api, service: string): Any[] {
  const items = api.ok(api.req('list', 'endpointslices', {group: 'discovery.k8s.io', version: 'v1', query: {labelSelector: `kubernetes.io/service-name=${service}`}})).items as Any[]
  return items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
}

function uid(api: Api, resource: string, name: string): string {
  return api.ok(api.get(resource, name)).metadata.uid
}

function endpoint(api: Api, name: string, ip: string, node: string, zone: string, c: {ready: boolean; serving: boolean; terminating: boolean}, hostname?: string): Any {
  return {
    addresses: [ip], conditions: c, ...(hostname ? {hostname} : {}),
    targetRef: {kind: 'Pod', namespace: 'default', name, uid: uid(api, 'pods', name)}, nodeName: node, zone,
  }
}

const READY = {ready: true, serving: true, terminating: false}
const NOT_READY = {ready: false, serving: false, terminating: false}

describe('EndpointSlice controller', () => {
  it('a Service without pods gets one placeholder slice; its first pods go into that same slice', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 8080}]})))
    cp.settle({horizonMs: 0})
    const [placeholder, ...rest] = slices(api, 'web')
    assert.equal(rest.length, 0)
    assert.match(placeholder.metadata.name, /^web-[a-z0-9]{5}$/)
    assert.equal(placeholder.metadata.generateName, 'web-')
    assert.deepEqual(placeholder.metadata.labels, {app: 'web', 'kubernetes.io/service-name': 'web', ...MANAGED_BY})
    assert.deepEqual(placeholder.metadata.ownerReferences, [{apiVersion: 'v1', kind: 'Service', name: 'web', uid: uid(api, 'services', 'web'), controller: true, blockOwnerDeletion: true}])
    assert.deepEqual(placeholder.metadata.annotations, {'endpoints.kubernetes.io/last-change-trigger-time': T0})
    assert.equal(placeholder.addressType, 'IPv4')
    assert.equal(placeholder.endpoints, null)
    assert.equal(placeholder.ports, null)

    api.ok(api.create('pods', pod('web-a', {node: 'node-1'})))
    api.ok(api.create('pods', pod('web-b', {node: 'node-2'})))
    run(api, 'web-a', '10.244.1.2', false)
    run(api, 'web-b', '10.244.2.2', false)
    cp.settle({horizonMs: 0})
    const [slice, ...more] = slices(api, 'web')
    assert.equal(more.length, 0)
    assert.equal(slice.metadata.name, placeholder.metadata.name, 'the placeholder is reused, not replaced')
    assert.deepEqual(slice.ports, [{name: 'http', protocol: 'TCP', port: 8080}])
    assert.deepEqual(slice.endpoints, [
      endpoint(api, 'web-a', '10.244.1.2', 'node-1', 'zone-a', NOT_READY),
      endpoint(api, 'web-b', '10.244.2.2', 'node-2', 'zone-b', NOT_READY),
    ])
  })

  it('readiness changes update endpoints in place; nothing is rewritten when nothing changed', () => {
    const {api, cp, clock} = cluster()
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    api.ok(api.create('pods', pod('web-a', {node: 'node-3'})))
    run(api, 'web-a', '10.244.3.2', false)
    cp.settle({horizonMs: 0})
    const before = slices(api, 'web')[0]
    clock.advance(3000)
    run(api, 'web-a', '10.244.3.2', true, '2026-11-22T12:00:03Z')
    cp.settle({horizonMs: 0})
    const [after] = slices(api, 'web')
    assert.equal(after.metadata.name, before.metadata.name)
    assert.deepEqual(after.endpoints, [endpoint(api, 'web-a', '10.244.3.2', 'node-3', 'zone-c', READY)])
    assert.equal(after.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-22T12:00:03Z')
    const rv = after.metadata.resourceVersion
    api.ok(api.patch('pods', 'web-a', 'merge', {metadata: {annotations: {touched: 'yes'}}}))
    api.ok(api.patch('services', 'web', 'merge', {metadata: {annotations: {touched: 'yes'}}}))
    cp.settle({horizonMs: 0})
    assert.equal(slices(api, 'web')[0].metadata.resourceVersion, rv, 'no churn')
  })

  it('terminating pods stay listed, serving but not ready; deleted pods leave', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    api.ok(api.create('pods', pod('web-a')))
    api.ok(api.create('pods', pod('web-b', {node: 'node-2'})))
    run(api, 'web-a', '10.244.1.2', true)
    run(api, 'web-b', '10.244.2.2', true)
    cp.settle({horizonMs: 0})
    api.ok(api.delete('pods', 'web-a', {gracePeriodSeconds: 30}))
    cp.settle({horizonMs: 0})
    assert.deepEqual(slices(api, 'web')[0].endpoints, [
      endpoint(api, 'web-a', '10.244.1.2', 'node-1', 'zone-a', {ready: false, serving: true, terminating: true}),
      endpoint(api, 'web-b', '10.244.2.2', 'node-2', 'zone-b', READY),
    ])
    api.ok(api.delete('pods', 'web-a', {gracePeriodSeconds: 0}))
    cp.settle({horizonMs: 0})
    const [slice] = slices(api, 'web')
    assert.deepEqual(slice.endpoints.map((e: Any) => e.targetRef.name), ['web-b'])
  })

  it('headless: the headless label, hostnames of pods in the subdomain, no ports', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('db', {clusterIP: 'None', selector: {app: 'db'}})))
    api.ok(api.create('pods', pod('db-0', {labels: {app: 'db'}, node: 'node-2', extra: {hostname: 'db-0', subdomain: 'db'}})))
    run(api, 'db-0', '10.244.2.7', true)
    cp.settle({horizonMs: 0})
    const [slice, ...rest] = slices(api, 'db')
    assert.equal(rest.length, 0)
    assert.deepEqual(slice.metadata.labels, {app: 'db', 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 'db', ...MANAGED_BY})
    assert.equal(slice.ports, null)
    assert.deepEqual(slice.endpoints, [endpoint(api, 'db-0', '10.244.2.7', 'node-2', 'zone-b', READY, 'db-0')])
  })

  it('groups endpoints by resolved ports: a named targetPort resolving differently makes another slice', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 'http'}]})))
    api.ok(api.create('pods', pod('v1', {ports: [{name: 'http', containerPort: 8080}]})))
    api.ok(api.create('pods', pod('v2', {ports: [{name: 'http', containerPort: 9090}]})))
    api.ok(api.create('pods', pod('none')))
    for (const [n, ip] of [['v1', '10.244.1.2'], ['v2', '10.244.1.3'], ['none', '10.244.1.4']]) run(api, n!, ip!, true)
    cp.settle({horizonMs: 0})
    const got = slices(api, 'web').map((s) => ({ports: s.ports, pods: (s.endpoints as Any[]).map((e) => e.targetRef.name)}))
    got.sort((a, b) => (a.ports ? JSON.stringify(a.ports) : '').localeCompare(b.ports ? JSON.stringify(b.ports) : ''))
    assert.deepEqual(got, [
      {ports: null, pods: ['none']},
      {ports: [{name: 'http', protocol: 'TCP', port: 8080}], pods: ['v1']},
      {ports: [{name: 'http', protocol: 'TCP', port: 9090}], pods: ['v2']},
    ])
  })

  it('at most 100 endpoints per slice; removals shrink slices in place', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('big', {selector: {app: 'big'}, ports: [{port: 80}]})))
    for (let i = 0; i < 150; i++) {
      api.ok(api.create('pods', pod(`big-${i}`, {labels: {app: 'big'}, node: `node-${(i % 3) + 1}`})))
      run(api, `big-${i}`, `10.244.${(i % 3) + 1}.${Math.floor(i / 3) + 2}`, true)
    }
    cp.settle({horizonMs: 0})
    let all = slices(api, 'big')
    assert.deepEqual(all.map((s) => s.endpoints.length).sort((a, b) => a - b), [50, 100])
    const names = all.map((s) => s.metadata.name)
    for (let i = 0; i < 10; i++) api.ok(api.delete('pods', `big-${i}`, {gracePeriodSeconds: 0}))
    cp.settle({horizonMs: 0})
    all = slices(api, 'big')
    assert.deepEqual(all.map((s) => s.metadata.name), names)
    assert.equal(all.reduce((n, s) => n + s.endpoints.length, 0), 140)
    const zones = new Set(all.flatMap((s) => (s.endpoints as Any[]).map((e) => e.zone)))
    assert.deepEqual([...zones].sort(), ['zone-a', 'zone-b', 'zone-c'])
  })

  it('a slice deleted by someone else is recreated; Service labels are followed', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    api.ok(api.create('pods', pod('web-a')))
    run(api, 'web-a', '10.244.1.2', true)
    cp.settle({horizonMs: 0})
    const [first] = slices(api, 'web')
    api.ok(api.req('delete', 'endpointslices', {group: 'discovery.k8s.io', version: 'v1', name: first.metadata.name, body: {}}))
    cp.settle({horizonMs: 0})
    const [again, ...rest] = slices(api, 'web')
    assert.equal(rest.length, 0)
    assert.notEqual(again.metadata.name, first.metadata.name)
    assert.deepEqual(again.endpoints.map((e: Any) => e.addresses[0]), ['10.244.1.2'])
    api.ok(api.patch('services', 'web', 'merge', {metadata: {labels: {app: 'web', tier: 'front'}}}))
    cp.settle({horizonMs: 0})
    assert.deepEqual(slices(api, 'web')[0].metadata.labels, {app: 'web', tier: 'front', 'kubernetes.io/service-name': 'web', ...MANAGED_BY})
  })

  it('Services without a selector get no slices; the kubernetes Service has the apiserver\'s own', () => {
    const {api, cp} = cluster()
    api.ok(api.create('services', service('ext', {ports: [{port: 5432}]})))
    cp.settle({horizonMs: 0})
    assert.deepEqual(slices(api, 'ext'), [])
    const [k, ...rest] = slices(api, 'kubernetes')
    assert.equal(rest.length, 0)
    assert.equal(k.metadata.name, 'kubernetes')
    assert.deepEqual(k.metadata.labels, {'kubernetes.io/service-name': 'kubernetes'})
    assert.deepEqual(k.endpoints, [{addresses: ['172.18.0.2'], conditions: {ready: true}}])
    assert.deepEqual(k.ports, [{name: 'https', port: 6443, protocol: 'TCP'}])
  })

  it('the Service\'s slices go with it (garbage collector, through the owner reference)', () => {
    const {api, cp} = cluster(['endpointslice', 'gc'])
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    cp.settle({horizonMs: 0})
    assert.equal(slices(api, 'web').length, 1)
    api.ok(api.delete('services', 'web'))
    cp.settle({horizonMs: 0})
    assert.deepEqual(slices(api, 'web'), [])
  })

  it('end to end: a ReplicaSet scheduled across zones, endpoints with their nodes\' zones', () => {
    const {api, cp} = newCluster(11, {controllers: ['replicaset', 'scheduler', 'kubelet', 'endpointslice'], cluster: loadClusterProfile()})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 'http'}]})))
    api.ok(api.create('replicasets', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'web'},
      spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{name: 'http', containerPort: 80}]}]}}},
    }))
    cp.settle()
    const [slice, ...rest] = slices(api, 'web')
    assert.equal(rest.length, 0)
    assert.deepEqual(slice.ports, [{name: 'http', protocol: 'TCP', port: 80}])
    const pods = api.ok(api.list('pods', {labelSelector: 'app=web'})).items as Any[]
    assert.equal(slice.endpoints.length, 3)
    for (const e of slice.endpoints as Any[]) {
      const p = pods.find((q) => q.metadata.name === e.targetRef.name)!
      const node = api.ok(api.get('nodes', p.spec.nodeName))
      assert.deepEqual(e, endpoint(api, p.metadata.name, p.status.podIP, p.spec.nodeName, node.metadata.labels['topology.kubernetes.io/zone'], READY))
      assert.match(e.addresses[0], /^10\.244\.\d+\.\d+$/)
    }
  })
})
