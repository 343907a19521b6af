// Snapshot: NodeInfo accounting from nodes and pods, zone-interleaved order, assume/forget,
// priority resolution, nominated pods, and the incremental per-node tallies.
import assert from 'node:assert/strict'
import {Snapshot} from '../../../src/scheduler/index.js'
import {node, pod} from './fixtures.js'

describe('scheduler: Snapshot', () => {
  it('accounts placed pods on their nodes, skipping finished pods', () => {
    const done = pod('done', {nodeName: 'n1', cpu: '1'})
    done.status = {phase: 'Succeeded'}
    const s = new Snapshot({nodes: [node('n1'), node('n2')], pods: [pod('a', {nodeName: 'n1', cpu: '500m', memory: '1Gi'}), pod('b', {nodeName: 'n1'}), done]})
    const n1 = s.get('n1')!
    assert.equal(n1.pods.length, 2)
    assert.equal(n1.requested.milliCPU, 500)
    assert.equal(n1.requested.memory, 1024 ** 3)
    assert.equal(n1.nonZeroCPU, 600)
    assert.equal(n1.allocatable.milliCPU, 4000)
    assert.equal(n1.allocatable.allowedPodNumber, 110)
    assert.equal(s.get('n2')!.pods.length, 0)
  })

  it('lists nodes round-robin over zones, as the nodeTree does', () => {
    const s = new Snapshot({nodes: [node('a1', {zone: 'a'}), node('a2', {zone: 'a'}), node('a3', {zone: 'a'}), node('b1', {zone: 'b'}), node('x')]})
    assert.deepEqual(s.nodeInfos().map((n) => n.name), ['a1', 'b1', 'x', 'a2', 'a3'])
  })

  it('assume and forget add and remove a pod without rebuilding', () => {
    const s = new Snapshot({nodes: [node('n1')]})
    const p = pod('p', {cpu: '1'})
    s.assume(p, 'n1')
    assert.equal(s.get('n1')!.requested.milliCPU, 1000)
    assert.ok(s.isAssumed(p))
    assert.equal(s.nodeOf(p), 'n1')
    assert.throws(() => s.assume(p, 'n1'), /already placed/)
    s.forget(p)
    assert.equal(s.get('n1')!.requested.milliCPU, 0)
    assert.equal(s.nodeOf(p), undefined)
  })

  it('turns an assumed pod into a bound one when the binding shows up', () => {
    const s = new Snapshot({nodes: [node('n1')]})
    const p = pod('p', {cpu: '1'})
    s.assume(p, 'n1')
    s.addPod({...p, spec: {...p.spec, nodeName: 'n1'}})
    assert.equal(s.get('n1')!.pods.length, 1)
    assert.equal(s.isAssumed(p), false)
    s.forget(p)
    assert.equal(s.get('n1')!.pods.length, 1)
    s.removePod(p)
    assert.equal(s.get('n1')!.pods.length, 0)
  })

  it('keeps pods of unknown nodes until the node appears, and across node removal', () => {
    const s = new Snapshot({nodes: [], pods: [pod('p', {nodeName: 'late', cpu: '1'})]})
    assert.equal(s.numNodes, 0)
    s.addNode(node('late'))
    assert.equal(s.get('late')!.requested.milliCPU, 1000)
    s.removeNode('late')
    assert.equal(s.numNodes, 0)
    s.addNode(node('late'))
    assert.equal(s.get('late')!.pods.length, 1)
  })

  it('resolves priority from spec.priority, the PriorityClass, or the global default', () => {
    const s = new Snapshot({nodes: [], priorityClasses: [{metadata: {name: 'high'}, value: 1000}, {metadata: {name: 'default'}, value: 5, globalDefault: true}]})
    assert.equal(s.podInfo(pod('a', {priority: 7, priorityClassName: 'high'})).priority, 7)
    assert.equal(s.podInfo(pod('b', {priorityClassName: 'high'})).priority, 1000)
    assert.equal(s.podInfo(pod('c')).priority, 5)
    assert.equal(new Snapshot({nodes: []}).podInfo(pod('d')).priority, 0)
  })

  it('keeps per-node tallies current as pods come and go', () => {
    const s = new Snapshot({nodes: [node('n1'), node('n2')], pods: [pod('a', {nodeName: 'n1', labels: {app: 'web'}})]})
    const counts = s.counts('web', (p) => p.labels.app === 'web')
    assert.deepEqual([...counts], [1, 0])
    const b = pod('b', {labels: {app: 'web'}})
    s.assume(b, 'n2')
    assert.deepEqual([...s.counts('web', () => false)], [1, 1])
    s.forget(b)
    assert.deepEqual([...counts], [1, 0])
  })

  it('groups identical affinity terms of placed pods', () => {
    const anti = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'web'}}, topologyKey: 'kubernetes.io/hostname'}]}}
    const s = new Snapshot({nodes: [node('n1'), node('n2')], pods: [pod('a', {nodeName: 'n1', affinity: anti}), pod('b', {nodeName: 'n1', affinity: anti}), pod('c', {nodeName: 'n2', affinity: anti})]})
    const groups = [...s.termGroups()]
    assert.equal(groups.length, 1)
    assert.equal(groups[0]!.kind, 'requiredAntiAffinity')
    assert.deepEqual([...groups[0]!.counts], [2, 1])
    assert.equal(s.get('n1')!.podsWithRequiredAntiAffinity.length, 2)
    s.removePod(s.get('n2')!.pods[0]!.pod)
    assert.deepEqual([...groups[0]!.counts], [2, 0])
  })

  it('tracks domains of a label and refreshes them when a node changes', () => {
    const s = new Snapshot({nodes: [node('a1', {zone: 'a'}), node('b1', {zone: 'b'}), node('x')]})
    const d = s.domains('topology.kubernetes.io/zone')
    assert.deepEqual(d.values, ['a', 'b'])
    assert.deepEqual([...d.ofNode], [0, 1, -1])
    s.updateNode(node('x', {zone: 'c'}))
    assert.deepEqual([...s.domains('topology.kubernetes.io/zone').ofNode], [0, 1, 2])
    assert.deepEqual(s.nodeInfos().map((n) => n.name), ['a1', 'b1', 'x'])
  })

  it('records nominated pods from pod status and from nominate()', () => {
    const waiting = pod('w', {nominatedNodeName: 'n1', priority: 100})
    const s = new Snapshot({nodes: [node('n1'), node('n2')], pods: [waiting]})
    assert.deepEqual(s.nominatedPodsFor('n1').map((p) => p.name), ['w'])
    const other = pod('o')
    s.nominate(other, 'n2')
    assert.equal(s.nominatedNodeFor(other), 'n2')
    s.assume(other, 'n2')
    assert.equal(s.nominatedNodeFor(other), undefined)
    s.clearNomination(waiting)
    assert.equal(s.hasNominatedPods, false)
  })
})
