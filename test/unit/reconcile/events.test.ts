// The event recorder: core/v1 Events with client-go's names, counts and de-duplication, and the
// events.k8s.io-style events kube-scheduler writes.
import {strict as assert} from 'node:assert'
import {newCluster, type Any} from '../apiserver/helpers.js'

function events(c: ReturnType<typeof newCluster>): Any[] {
  return c.api.ok(c.api.list('events')).items
}

describe('EventRecorder', () => {
  it('creates an Event named <object>.<hex ns> with source, timestamps and count 1', () => {
    const c = newCluster(7, {controllers: false})
    const cm = c.api.ok(c.api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cfg'}}))
    c.cp.controllers.recorder({component: 'kubelet', host: 'node-1'}).event(cm, 'Warning', 'Odd', 'something odd', {fieldPath: 'data'})
    const [e] = events(c)
    const ns = BigInt(c.clock.now().getTime()) * 1_000_000n
    assert.equal(e.metadata.name, `cfg.${ns.toString(16)}`)
    assert.deepEqual(e.involvedObject, {kind: 'ConfigMap', name: 'cfg', namespace: 'default', uid: cm.metadata.uid, apiVersion: 'v1', resourceVersion: cm.metadata.resourceVersion, fieldPath: 'data'})
    assert.deepEqual(e.source, {component: 'kubelet', host: 'node-1'})
    assert.equal(e.count, 1)
    assert.equal(e.type, 'Warning')
    assert.equal(e.firstTimestamp, '2026-11-22T12:00:00Z')
    assert.equal(e.lastTimestamp, '2026-11-22T12:00:00Z')
    assert.equal(e.reportingComponent, 'kubelet')
    assert.equal(e.reportingInstance, 'node-1')
  })

  it('gives events of different components at the same instant different names, and skips names already taken', () => {
    const c = newCluster(7, {controllers: false})
    const cm = c.api.ok(c.api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cfg'}}))
    const ns = BigInt(c.clock.now().getTime()) * 1_000_000n
    // An Event left by an earlier process at this very instant holds the first name.
    c.api.ok(c.api.create('events', {apiVersion: 'v1', kind: 'Event', metadata: {name: `cfg.${ns.toString(16)}`}, involvedObject: {kind: 'ConfigMap', name: 'cfg', namespace: 'default'}, reason: 'Old', message: 'old'}))
    c.cp.controllers.recorder({component: 'a-controller'}).event(cm, 'Normal', 'A', 'from a')
    c.cp.controllers.recorder({component: 'b-controller'}).event(cm, 'Normal', 'B', 'from b')
    const byReason = new Map(events(c).map((e: Any) => [e.reason, e.metadata.name]))
    assert.deepEqual([...byReason.keys()].sort(), ['A', 'B', 'Old'])
    assert.equal(byReason.get('A'), `cfg.${(ns + 1n).toString(16)}`)
    assert.equal(byReason.get('B'), `cfg.${(ns + 2n).toString(16)}`)
  })

  it('counts a repeated event on the same Event and keeps different ones apart', () => {
    const c = newCluster(7, {controllers: false})
    const cm = c.api.ok(c.api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cfg'}}))
    const r = c.cp.controllers.recorder({component: 'x-controller'})
    r.event(cm, 'Normal', 'A', 'one')
    c.clock.advance(5000)
    r.event(cm, 'Normal', 'A', 'one')
    r.event(cm, 'Normal', 'A', 'two')
    const all = events(c).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    assert.equal(all.length, 2)
    assert.equal(all[0].count, 2)
    assert.equal(all[0].lastTimestamp, '2026-11-22T12:00:05Z')
    assert.equal(all[0].firstTimestamp, '2026-11-22T12:00:00Z')
    assert.equal(all[1].message, 'two')
    assert.notEqual(all[0].metadata.name, all[1].metadata.name)
  })

  it('starts a new Event when the counted one was deleted', () => {
    const c = newCluster(7, {controllers: false})
    const cm = c.api.ok(c.api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cfg'}}))
    const r = c.cp.controllers.recorder({component: 'x'})
    r.event(cm, 'Normal', 'A', 'one')
    c.api.ok(c.api.delete('events', events(c)[0].metadata.name))
    r.event(cm, 'Normal', 'A', 'one')
    assert.equal(events(c).length, 1)
    assert.equal(events(c)[0].count, 1)
  })

  it('writes scheduler-style events with eventTime and action and no timestamps', () => {
    const c = newCluster(7, {controllers: false})
    const p = c.api.ok(c.api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [{name: 'c', image: 'nginx'}]}}))
    c.cp.controllers.recorder({component: 'default-scheduler'}).newStyle(p, 'Normal', 'Scheduled', 'Binding', 'Successfully assigned default/p to node-1', 'default-scheduler-kube2')
    const [e] = events(c)
    assert.equal(e.eventTime, '2026-11-22T12:00:00.000000Z')
    assert.equal(e.firstTimestamp, null)
    assert.equal(e.lastTimestamp, null)
    assert.equal(e.action, 'Binding')
    assert.deepEqual(e.source, {})
    assert.equal(e.reportingInstance, 'default-scheduler-kube2')
  })

  it('drops events for a namespace being deleted instead of failing the caller', () => {
    const c = newCluster(7, {controllers: false})
    c.api.ok(c.api.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'gone'}}))
    const cm = c.api.ok(c.api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cfg', namespace: 'gone'}}, {}, 'gone'))
    c.api.ok(c.api.req('delete', 'namespaces', {name: 'gone', namespace: undefined}))
    c.cp.controllers.recorder({component: 'x'}).event(cm, 'Normal', 'A', 'late')
    assert.equal(c.api.ok(c.api.list('events', {}, 'gone')).items.length, 0)
  })
})
