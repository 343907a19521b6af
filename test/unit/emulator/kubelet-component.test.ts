// The simulated kubelets on a control plane with the default cluster profile: pods started with IPs
// from their node's podCIDR, kubelet Events and logs, graceful termination, Lease heartbeats and node
// status, a stopped kubelet, and a restart of the control plane that does not repeat Events.
import {strict as assert} from 'node:assert'
import {VirtualClock} from '../../../src/api/clock.js'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import type {ContainerLogSink} from '../../../src/emulator/kubelet-component.js'
import type {LogLine} from '../../../src/kubelet/index.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {Api, newCluster, type Any} from '../apiserver/helpers.js'

class Sink implements ContainerLogSink {
  readonly lines = new Map<string, LogLine[]>()
  readonly removed: string[] = []
  append(pod: {uid: string}, lines: readonly LogLine[]): void {
    this.lines.set(pod.uid, [...(this.lines.get(pod.uid) ?? []), ...lines])
  }
  removePod(uid: string): void {
    this.removed.push(uid)
  }
}

function cluster(sink?: Sink) {
  const c = newCluster(7, {cluster: loadClusterProfile(), logSink: sink})
  c.cp.settle({horizonMs: 0})
  return c
}

function pod(name: string, extra: Any = {}, image = 'nginx:1.27', annotations?: Record<string, string>): Any {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, ...(annotations ? {annotations} : {})}, spec: {containers: [{name: 'web', image}], ...extra}}
}

function reasons(api: Api, name: string): string[] {
  return (api.ok(api.list('events', {fieldSelector: `involvedObject.name=${name}`})).items as Any[])
    .sort((a, b) => String(a.firstTimestamp ?? a.eventTime).localeCompare(String(b.firstTimestamp ?? b.eventTime)) || a.metadata.name.localeCompare(b.metadata.name))
    .map((e) => e.reason)
}

describe('kubelet component', () => {
  it('starts a pod: Running and Ready with an IP from its node podCIDR, the kubelet events in order', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('p', {nodeName: 'node-2'})))
    c.cp.settle()
    const p = c.api.ok(c.api.get('pods', 'p'))
    assert.equal(p.status.phase, 'Running')
    assert.equal(p.status.podIP, '10.244.2.2')
    assert.equal(p.status.hostIP, '172.18.0.4')
    assert.equal(p.status.qosClass, 'BestEffort')
    assert.equal(p.status.containerStatuses[0].ready, true)
    assert.ok(p.status.conditions.some((x: Any) => x.type === 'Ready' && x.status === 'True'))
    assert.deepEqual(reasons(c.api, 'p'), ['Pulling', 'Pulled', 'Created', 'Started'])
    const started = (c.api.ok(c.api.list('events', {fieldSelector: 'reason=Started'})).items as Any[])[0]
    assert.deepEqual(started.source, {component: 'kubelet', host: 'node-2'})
    assert.equal(started.involvedObject.fieldPath, 'spec.containers{web}')
    // The settle stopped once the pod was ready: the clock is where the simulated start ended.
    assert.ok(c.clock.now().getTime() - Date.UTC(2026, 10, 22, 12) < 10_000)
  })

  it('gives every pod on a node its own IP and a second pod the image without pulling', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('a', {nodeName: 'node-1'})))
    c.cp.settle()
    c.api.ok(c.api.create('pods', pod('b', {nodeName: 'node-1'})))
    c.cp.settle()
    assert.equal(c.api.ok(c.api.get('pods', 'b')).status.podIP, '10.244.1.3')
    assert.deepEqual(reasons(c.api, 'b'), ['Pulled', 'Created', 'Started'])
  })

  it('writes container logs to the sink and drops them with the pod', () => {
    const sink = new Sink()
    const c = cluster(sink)
    const p = c.api.ok(c.api.create('pods', pod('p', {nodeName: 'node-1'})))
    c.cp.settle()
    const lines = sink.lines.get(p.metadata.uid) ?? []
    assert.ok(lines.length > 0)
    assert.ok(lines.every((l) => l.container === 'web' && l.attempt === 0))
    c.api.ok(c.api.delete('pods', 'p'))
    c.cp.settle()
    assert.deepEqual(sink.removed, [p.metadata.uid])
  })

  it('terminates gracefully: Killing, then the pod object is removed once its container exited', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('p', {nodeName: 'node-1', terminationGracePeriodSeconds: 30})))
    c.cp.settle()
    c.api.ok(c.api.delete('pods', 'p'))
    const t0 = c.clock.now().getTime()
    assert.ok(c.api.ok(c.api.get('pods', 'p')).metadata.deletionTimestamp)
    c.cp.settle()
    assert.equal(c.api.get('pods', 'p').status, 404)
    assert.ok(c.clock.now().getTime() - t0 < 30_000, 'gone before the grace period, when the container exited')
    assert.ok(reasons(c.api, 'p').includes('Killing'))
  })

  it('runs a pod with restartPolicy Never to Succeeded', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('once', {nodeName: 'node-3', restartPolicy: 'Never'}, 'busybox:1.36')))
    c.cp.settle()
    const p = c.api.ok(c.api.get('pods', 'once'))
    assert.equal(p.status.phase, 'Succeeded')
    assert.equal(p.status.containerStatuses[0].state.terminated.reason, 'Completed')
  })

  it('crash-loops an image the profile says crashes, with back-off', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('crash', {nodeName: 'node-1'}, 'busybox:crashloop')))
    c.cp.settle({horizonMs: 60_000})
    const p = c.api.ok(c.api.get('pods', 'crash'))
    assert.ok(p.status.containerStatuses[0].restartCount >= 2)
    assert.ok(reasons(c.api, 'crash').includes('BackOff'))
  })

  it('renews node Leases every 10 s on background timers and posts node status only when needed', () => {
    const c = cluster()
    const lease = () => c.api.ok(c.api.req('get', 'leases', {group: 'coordination.k8s.io', version: 'v1', namespace: 'kube-node-lease', name: 'node-1'}))
    const first = lease()
    assert.equal(first.spec.holderIdentity, 'node-1')
    assert.equal(first.spec.leaseDurationSeconds, 40)
    assert.equal(first.metadata.ownerReferences[0].kind, 'Node')
    const before = c.clock.now().getTime()
    c.cp.settle()
    assert.equal(c.clock.now().getTime(), before, 'heartbeats do not move a settling clock')
    for (let i = 0; i < 5; i++) {
      c.clock.advance(5_000)
      c.cp.settle({horizonMs: 0})
    }
    const renewed = Date.parse(lease().spec.renewTime)
    assert.ok(renewed > before + 10_000 && c.clock.now().getTime() - renewed <= 10_000, 'renewed as time passed, never older than 10 s')
    const rv = c.api.ok(c.api.get('nodes', 'node-1')).metadata.resourceVersion
    c.clock.advance(60_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('nodes', 'node-1')).metadata.resourceVersion, rv, 'no status post while nothing changed')
    c.clock.advance(5 * 60_000)
    c.cp.settle({horizonMs: 0})
    assert.notEqual(c.api.ok(c.api.get('nodes', 'node-1')).metadata.resourceVersion, rv, 'but at least every 5 minutes')
  })

  it('a stopped kubelet neither heartbeats nor starts pods; started again, it catches up', () => {
    const c = cluster()
    c.api.ok(c.api.patch('nodes', 'node-1', 'merge', {metadata: {annotations: {'kube2.dev/kubelet': 'stopped'}}}))
    c.cp.settle({horizonMs: 0})
    const renewed = c.api.ok(c.api.req('get', 'leases', {group: 'coordination.k8s.io', version: 'v1', namespace: 'kube-node-lease', name: 'node-1'})).spec.renewTime
    c.api.ok(c.api.create('pods', pod('p', {nodeName: 'node-1'})))
    c.clock.advance(60_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'p')).status.phase, 'Pending')
    assert.equal(c.api.ok(c.api.req('get', 'leases', {group: 'coordination.k8s.io', version: 'v1', namespace: 'kube-node-lease', name: 'node-1'})).spec.renewTime, renewed)
    c.api.ok(c.api.patch('nodes', 'node-1', 'merge', {metadata: {annotations: {'kube2.dev/kubelet': null}}}))
    c.cp.settle()
    assert.equal(c.api.ok(c.api.get('pods', 'p')).status.phase, 'Running')
  })

  it('a control plane resumed over the same store does not repeat the kubelet events', () => {
    const store = new MemoryStore()
    const clock = new VirtualClock(Date.UTC(2026, 10, 22, 12))
    const first = new ControlPlane({store, clock, seed: 1, kubernetesVersion: '1.36', cluster: loadClusterProfile()})
    const api1 = new Api(first)
    api1.ok(api1.create('pods', pod('p', {nodeName: 'node-1'})))
    first.settle()
    first.controllers.stop()
    const count = api1.ok(api1.list('events')).items.length
    clock.advance(120_000)
    const second = new ControlPlane({store, clock, seed: 1, kubernetesVersion: '1.36', cluster: loadClusterProfile(), resumedFrom: new Date(clock.now().getTime() - 120_000)})
    second.settle()
    const api2 = new Api(second)
    assert.equal(api2.ok(api2.list('nodes')).items.length, 4, 'nodes are registered once')
    assert.equal(api2.ok(api2.list('events')).items.length, count)
    assert.equal(api2.ok(api2.get('pods', 'p')).status.phase, 'Running')
  })
})
