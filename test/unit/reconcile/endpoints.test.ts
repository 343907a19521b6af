// The Endpoints controller on a control plane settling on a virtual clock: the test plays the kubelet
// (pod IPs, Ready conditions) where a precise state is needed, and runs the real scheduler and
// kubelets for the end-to-end scenario.
import {strict as assert} from 'node:assert'
import {newCluster, type Any} from '../apiserver/helpers.js'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {printTable} from '../../../src/print/table.js'
import type {Table} from '../../../src/apiserver/tables/types.js'
import {repackSubsets, truncateSubsets} from '../../../src/reconcile/controllers/endpoints.js'

type Api = ReturnType<typeof newCluster>['api']

const MANAGED = {'endpoints.kubernetes.io/managed-by': 'endpoint-controller'}
const T0 = '2026-11-22T12:00:00Z'

function service(name: string, spec: Any, labels: Record<string, string> = {app: name}): Any {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, labels}, spec}
}

function pod(name: string, opts: {labels?: Record<string, string>; ports?: Any[]; node?: string; extra?: Any} = {}): Any {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: {name, labels: opts.labels ?? {app: 'web'}},
    spec: {nodeName: opts.node ?? 'node-1', containers: [{name: 'c', image: 'nginx', ...(opts.ports ? {ports: opts.ports} : {})}], ...(opts.extra ?? {})},
  }
}

/** What a kubelet writes: running with an IP, Ready (or not) since `at`. */
function run(api: Api, name: string, ip: string, ready: boolean, at = T0): void {
  api.ok(api.patch('pods', name, 'merge', {status: {
    phase: 'Running', podIP: ip, podIPs: [{ip}],
    conditions: [{type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at}],
  }}, {}, 'status'))
}

function endpoints(api: Api, name: string): Any {
  return api.ok(api.get('endpoints', name))
}

function ref(api: Api, name: string): Any {
  const p = api.ok(api.get('pods', name))
  return {kind: 'Pod', namespace: 'default', name, uid: p.metadata.uid}
}

describe('Endpoints controller', () => {
  it('lists not-ready pods under notReadyAddresses and moves them to addresses as they become Ready', () => {
    const {api, cp, clock} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 8080}]})))
    for (const [n, ip] of [['web-a', '10.244.1.7'], ['web-b', '10.244.2.3'], ['web-c', '10.244.1.12']]) {
      api.ok(api.create('pods', pod(n, {node: ip.startsWith('10.244.1.') ? 'node-1' : 'node-2'})))
      run(api, n, ip, false)
    }
    api.ok(api.create('pods', pod('other', {labels: {app: 'other'}})))
    run(api, 'other', '10.244.3.9', true)
    cp.settle({horizonMs: 0})
    let ep = endpoints(api, 'web')
    assert.deepEqual(ep.metadata.labels, {app: 'web', ...MANAGED})
    assert.deepEqual(ep.metadata.annotations, {'endpoints.kubernetes.io/last-change-trigger-time': T0}, 'a new Service: its creation time')
    const addr = (n: string, ip: string, node: string) => ({ip, nodeName: node, targetRef: ref(api, n)})
    assert.deepEqual(ep.subsets, [{
      notReadyAddresses: [addr('web-c', '10.244.1.12', 'node-1'), addr('web-a', '10.244.1.7', 'node-1'), addr('web-b', '10.244.2.3', 'node-2')],
      ports: [{name: 'http', port: 8080, protocol: 'TCP'}],
    }], 'sorted by IP as bytes; the pod of another app is not there')

    clock.advance(5000)
    run(api, 'web-a', '10.244.1.7', true, '2026-11-22T12:00:05Z')
    clock.advance(2000)
    run(api, 'web-b', '10.244.2.3', true, '2026-11-22T12:00:07Z')
    cp.settle({horizonMs: 0})
    ep = endpoints(api, 'web')
    assert.deepEqual(ep.subsets, [{
      addresses: [addr('web-a', '10.244.1.7', 'node-1'), addr('web-b', '10.244.2.3', 'node-2')],
      notReadyAddresses: [addr('web-c', '10.244.1.12', 'node-1')],
      ports: [{name: 'http', port: 8080, protocol: 'TCP'}],
    }])
    assert.equal(ep.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-22T12:00:05Z', 'the earliest change since the last sync')
  })

  it('leaves out pods without an IP, finished pods and terminating pods', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    for (const n of ['pending', 'done', 'going', 'ok']) api.ok(api.create('pods', pod(n)))
    run(api, 'done', '10.244.1.2', false)
    api.ok(api.patch('pods', 'done', 'merge', {status: {phase: 'Succeeded'}}, {}, 'status'))
    run(api, 'going', '10.244.1.3', true)
    run(api, 'ok', '10.244.1.4', true)
    api.ok(api.delete('pods', 'going', {gracePeriodSeconds: 30}))
    cp.settle({horizonMs: 0})
    const ep = endpoints(api, 'web')
    assert.deepEqual(ep.subsets, [{addresses: [{ip: '10.244.1.4', nodeName: 'node-1', targetRef: ref(api, 'ok')}], ports: [{port: 80, protocol: 'TCP'}]}])
  })

  it('resolves named targetPorts per pod and packs addresses by the ports they offer', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [
      {name: 'http', port: 80, targetPort: 'http'},
      {name: 'metrics', port: 9090, targetPort: 'metrics'},
    ]})))
    api.ok(api.create('pods', pod('both', {ports: [{name: 'http', containerPort: 8080}, {name: 'metrics', containerPort: 9102}]})))
    api.ok(api.create('pods', pod('http-only', {ports: [{name: 'http', containerPort: 8081}]})))
    api.ok(api.create('pods', pod('udp', {ports: [{name: 'http', containerPort: 8082, protocol: 'UDP'}]})))
    run(api, 'both', '10.244.1.2', true)
    run(api, 'http-only', '10.244.1.3', true)
    run(api, 'udp', '10.244.1.4', true)
    cp.settle({horizonMs: 0})
    const subsets = endpoints(api, 'web').subsets as Any[]
    const a = (n: string, ip: string) => ({ip, nodeName: 'node-1', targetRef: ref(api, n)})
    const expected = [
      {addresses: [a('both', '10.244.1.2')], ports: [{name: 'http', port: 8080, protocol: 'TCP'}, {name: 'metrics', port: 9102, protocol: 'TCP'}]},
      {addresses: [a('http-only', '10.244.1.3')], ports: [{name: 'http', port: 8081, protocol: 'TCP'}]},
    ]
    assert.equal(subsets.length, 2, 'the UDP-only pod resolves no TCP port')
    for (const want of expected) {
      const got = subsets.find((s) => s.addresses[0].ip === want.addresses[0].ip)
      assert.ok(got, `subset of ${want.addresses[0].ip}`)
      assert.deepEqual(got.addresses, want.addresses)
      assert.deepEqual([...got.ports].sort((x: Any, y: Any) => x.name.localeCompare(y.name)), want.ports)
    }
  })

  it('headless: the headless label, addresses without ports, hostnames of pods in the subdomain', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('db', {clusterIP: 'None', selector: {app: 'db'}})))
    api.ok(api.create('pods', pod('db-0', {labels: {app: 'db'}, extra: {hostname: 'db-0', subdomain: 'db'}})))
    api.ok(api.create('pods', pod('db-x', {labels: {app: 'db'}, extra: {hostname: 'db-x', subdomain: 'elsewhere'}})))
    run(api, 'db-0', '10.244.1.5', true)
    run(api, 'db-x', '10.244.1.6', false)
    cp.settle({horizonMs: 0})
    const ep = endpoints(api, 'db')
    assert.deepEqual(ep.metadata.labels, {app: 'db', 'service.kubernetes.io/headless': '', ...MANAGED})
    assert.deepEqual(ep.subsets, [{
      addresses: [{ip: '10.244.1.5', hostname: 'db-0', nodeName: 'node-1', targetRef: ref(api, 'db-0')}],
      notReadyAddresses: [{ip: '10.244.1.6', nodeName: 'node-1', targetRef: ref(api, 'db-x')}],
    }])
  })

  it('publishNotReadyAddresses lists every pod with an IP as ready', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, publishNotReadyAddresses: true, ports: [{port: 80}]})))
    api.ok(api.create('pods', pod('a')))
    run(api, 'a', '10.244.1.2', false)
    cp.settle({horizonMs: 0})
    assert.deepEqual(endpoints(api, 'web').subsets, [{addresses: [{ip: '10.244.1.2', nodeName: 'node-1', targetRef: ref(api, 'a')}], ports: [{port: 80, protocol: 'TCP'}]}])
  })

  it('follows pod deletion, label changes and Service label changes; goes with the Service', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    api.ok(api.create('pods', pod('a')))
    api.ok(api.create('pods', pod('b')))
    run(api, 'a', '10.244.1.2', true)
    run(api, 'b', '10.244.1.3', true)
    cp.settle({horizonMs: 0})
    assert.deepEqual(endpoints(api, 'web').subsets[0].addresses.map((x: Any) => x.ip), ['10.244.1.2', '10.244.1.3'])
    api.ok(api.delete('pods', 'a', {gracePeriodSeconds: 0}))
    cp.settle({horizonMs: 0})
    assert.deepEqual(endpoints(api, 'web').subsets[0].addresses.map((x: Any) => x.ip), ['10.244.1.3'])
    api.ok(api.patch('pods', 'b', 'merge', {metadata: {labels: {app: 'moved'}}}))
    cp.settle({horizonMs: 0})
    assert.equal(endpoints(api, 'web').subsets, undefined, 'no subsets at all once nothing matches')
    api.ok(api.patch('services', 'web', 'merge', {metadata: {labels: {app: 'web', tier: 'front'}}}))
    cp.settle({horizonMs: 0})
    assert.deepEqual(endpoints(api, 'web').metadata.labels, {app: 'web', tier: 'front', ...MANAGED})
    api.ok(api.delete('services', 'web'))
    cp.settle({horizonMs: 0})
    assert.equal(api.get('endpoints', 'web').status, 404)
  })

  it('does not rewrite an Endpoints whose content did not change', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    api.ok(api.create('pods', pod('a')))
    run(api, 'a', '10.244.1.2', true)
    cp.settle({horizonMs: 0})
    const rv = endpoints(api, 'web').metadata.resourceVersion
    api.ok(api.patch('pods', 'a', 'merge', {metadata: {annotations: {note: 'x'}}}))
    api.ok(api.patch('services', 'web', 'merge', {metadata: {annotations: {note: 'y'}}}))
    cp.settle({horizonMs: 0})
    assert.equal(endpoints(api, 'web').metadata.resourceVersion, rv)
  })

  it('recreates a deleted Endpoints; leaves selector-less Services and their Endpoints alone', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{port: 80}]})))
    api.ok(api.create('services', service('ext', {ports: [{port: 5432}]})))
    api.ok(api.create('endpoints', {apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'ext'}, subsets: [{addresses: [{ip: '192.168.1.10'}], ports: [{port: 5432}]}]}))
    cp.settle({horizonMs: 0})
    api.ok(api.delete('endpoints', 'web'))
    cp.settle({horizonMs: 0})
    assert.deepEqual(endpoints(api, 'web').metadata.labels, {app: 'web', ...MANAGED})
    const ext = endpoints(api, 'ext')
    assert.equal(ext.metadata.labels, undefined)
    assert.deepEqual(ext.subsets, [{addresses: [{ip: '192.168.1.10'}], ports: [{port: 5432, protocol: 'TCP'}]}])
  })

  it('the kubernetes Service has the apiserver endpoint from the start (not managed by the controller)', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    cp.settle({horizonMs: 0})
    const ep = endpoints(api, 'kubernetes')
    assert.deepEqual(ep.metadata.labels, {'endpointslice.kubernetes.io/skip-mirror': 'true'})
    assert.deepEqual(ep.subsets, [{addresses: [{ip: '172.18.0.2'}], ports: [{name: 'https', port: 6443, protocol: 'TCP'}]}])
  })

  it('truncates past 1000 addresses and marks the Endpoints over capacity', () => {
    const {api, cp} = newCluster(7, {controllers: ['endpoints']})
    api.ok(api.create('services', service('big', {selector: {app: 'big'}, ports: [{port: 80}]})))
    for (let i = 0; i < 1003; i++) {
      const n = `big-${i}`
      api.ok(api.create('pods', pod(n, {labels: {app: 'big'}})))
      run(api, n, `10.${244 + (i >> 8)}.${i & 255}.2`, i % 2 === 0)
    }
    cp.settle({horizonMs: 0})
    const ep = endpoints(api, 'big')
    assert.equal(ep.metadata.annotations['endpoints.kubernetes.io/over-capacity'], 'truncated')
    assert.equal(ep.subsets.length, 1)
    assert.equal(ep.subsets[0].addresses.length, 502, 'every ready address kept')
    assert.equal(ep.subsets[0].notReadyAddresses.length, 498, 'not-ready ones cut to what fits')
  })

  describe('repacking and truncation', () => {
    const a = (ip: string, uid: string) => ({ip, targetRef: {kind: 'Pod', name: uid, namespace: 'default', uid}})
    const http = {name: 'http', port: 80, protocol: 'TCP'}
    const https = {name: 'https', port: 443, protocol: 'TCP'}

    it('an address not ready for one port is not ready for the ports it shares', () => {
      const got = repackSubsets([
        {address: a('10.0.0.2', 'x'), ready: true, port: http},
        {address: a('10.0.0.1', 'y'), ready: true, port: http},
        {address: a('10.0.0.2', 'x'), ready: false, port: http},
      ])
      assert.deepEqual(got, [{addresses: [a('10.0.0.1', 'y')], notReadyAddresses: [a('10.0.0.2', 'x')], ports: [http]}])
    })

    it('addresses offering the same ports share one subset', () => {
      const got = repackSubsets([
        {address: a('10.0.0.1', 'y'), ready: true, port: http},
        {address: a('10.0.0.1', 'y'), ready: true, port: https},
        {address: a('10.0.0.3', 'z'), ready: true, port: https},
        {address: a('10.0.0.3', 'z'), ready: true, port: http},
      ])
      assert.equal(got.length, 1)
      assert.deepEqual(got[0].addresses, [a('10.0.0.1', 'y'), a('10.0.0.3', 'z')])
      assert.equal((got[0].ports as Any[]).length, 2)
    })

    it('truncation keeps each subset\'s share of ready addresses, rounded up', () => {
      const many = (n: number, base: number) => Array.from({length: n}, (_, i) => a(`10.1.${base}.${i}`, `${base}-${i}`))
      const got = truncateSubsets([{addresses: many(600, 1), notReadyAddresses: many(5, 9), ports: [http]}, {addresses: many(900, 2), ports: [https]}])!
      assert.equal((got[0].addresses as Any[]).length, 400)
      assert.equal(got[0].notReadyAddresses, undefined)
      assert.equal((got[1].addresses as Any[]).length, 600)
      assert.equal(truncateSubsets([{addresses: many(10, 1)}]), undefined)
    })
  })

  it('end to end: a ReplicaSet\'s pods, scheduled and started, fill `kubectl get endpoints web`', () => {
    const {api, cp} = newCluster(11, {controllers: ['replicaset', 'scheduler', 'kubelet', 'endpoints'], cluster: loadClusterProfile()})
    api.ok(api.create('services', service('web', {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 'http'}]})))
    api.ok(api.create('replicasets', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'web'},
      spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27', ports: [{name: 'http', containerPort: 80}]}]}}},
    }))
    cp.settle()
    const pods = api.ok(api.list('pods', {labelSelector: 'app=web'})).items as Any[]
    assert.equal(pods.length, 3)
    const ep = endpoints(api, 'web')
    assert.equal(ep.subsets.length, 1)
    const addresses = ep.subsets[0].addresses as Any[]
    assert.deepEqual(addresses.map((x) => x.ip), pods.map((p) => p.status.podIP).sort())
    for (const x of addresses) {
      const p = pods.find((q) => q.metadata.name === x.targetRef.name)!
      assert.equal(x.nodeName, p.spec.nodeName)
      const node = api.ok(api.get('nodes', p.spec.nodeName))
      const [net] = node.spec.podCIDR.split('.0/24')
      assert.ok(x.ip.startsWith(`${net}.`), `${x.ip} in ${node.spec.podCIDR}`)
      assert.match(x.ip, /^10\.244\.\d+\.\d+$/)
    }
    assert.deepEqual(ep.subsets[0].ports, [{name: 'http', port: 80, protocol: 'TCP'}])
    const table = api.ok(api.req('get', 'endpoints', {name: 'web', as: 'Table'})) as unknown as Table
    const out = printTable(table, {wide: false, noHeaders: false, withNamespace: false, showLabels: false, labelColumns: []})
    const [header, row] = out.trimEnd().split('\n')
    assert.match(header!, /^NAME\s+ENDPOINTS\s+AGE$/)
    assert.match(row!, new RegExp(`^web\\s+${addresses.map((x) => `${x.ip.replace(/\./g, '\\.')}:80`).join(',')}\\s+\\d+s$`))
  })
})
