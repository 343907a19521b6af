// Scheduler: placement by score, seeded tie-breaking, percentageOfNodesToScore and the rotating
// start index, profile options, nominated pods, scheduleAll, errors and the event texts.
import assert from 'node:assert/strict'
import type {Pod} from '../../../src/scheduler/api.js'
import {
  Scheduler, Snapshot, Status, failedSchedulingEvent, isScheduled, numFeasibleNodesToFind, preemptedEvent, preemptionCondition,
  scheduledEvent, unschedulableCondition, type FilterPlugin, type ScheduleResult,
} from '../../../src/scheduler/index.js'
import {messageOf, node, nodeOf, pod, scheduleOne} from './fixtures.js'

const many = (n: number, o: Parameters<typeof node>[1] = {}) => Array.from({length: n}, (_, i) => node(`node-${i}`, o))
const placements = (seed: number, count = 30) => {
  const snapshot = new Snapshot({nodes: many(10)})
  const pods = Array.from({length: count}, (_, i) => pod(`p${i}`, {cpu: '100m', created: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`}))
  const results = new Scheduler({seed}).scheduleAll(pods, snapshot)
  return pods.map((p) => nodeOf(results.get(p)!))
}

describe('scheduler: Scheduler', () => {
  it('places a pod on the node with most room (LeastAllocated)', () => {
    const nodes = [node('busy', {cpu: '4'}), node('idle', {cpu: '4'})]
    const r = scheduleOne({nodes, pods: [pod('x', {nodeName: 'busy', cpu: '3'})]}, pod('p', {cpu: '500m'}))
    assert.equal(nodeOf(r), 'idle')
    assert.ok(isScheduled(r) && r.feasibleNodes === 2 && r.evaluatedNodes === 2 && r.score! > 0)
  })

  it('packs with MostAllocated', () => {
    const nodes = [node('busy', {cpu: '4'}), node('idle', {cpu: '4'})]
    assert.equal(nodeOf(scheduleOne({nodes, pods: [pod('x', {nodeName: 'busy', cpu: '3'})]}, pod('p', {cpu: '500m'}), {scoringStrategy: 'MostAllocated'})), 'busy')
  })

  it('returns the only feasible node without scoring', () => {
    const r = scheduleOne({nodes: [node('a', {cpu: '1'}), node('b', {cpu: '4'})]}, pod('p', {cpu: '2'}))
    assert.deepEqual(r, {node: 'b', evaluatedNodes: 2, feasibleNodes: 1})
  })

  it('breaks ties the same way for the same seed', () => {
    assert.deepEqual(placements(7), placements(7))
    assert.notDeepEqual(placements(7), placements(8))
    // LeastAllocated still spreads: 30 equal pods over 10 nodes, 3 each.
    const counts = new Map<string, number>()
    for (const n of placements(7)) counts.set(n!, (counts.get(n!) ?? 0) + 1)
    assert.deepEqual([...counts.values()], Array(10).fill(3))
  })

  it('computes numFeasibleNodesToFind as kube-scheduler does', () => {
    assert.equal(numFeasibleNodesToFind(0, 50), 50)
    assert.equal(numFeasibleNodesToFind(0, 150), 100)
    assert.equal(numFeasibleNodesToFind(0, 1000), 420)
    assert.equal(numFeasibleNodesToFind(0, 5000), 500)
    assert.equal(numFeasibleNodesToFind(0, 6000), 300)
    assert.equal(numFeasibleNodesToFind(30, 1000), 300)
    assert.equal(numFeasibleNodesToFind(5, 1000), 100)
    assert.equal(numFeasibleNodesToFind(100, 1000), 1000)
  })

  it('stops at percentageOfNodesToScore feasible nodes on big clusters', () => {
    const snapshot = new Snapshot({nodes: many(1000)})
    const r = new Scheduler().schedule(pod('p', {cpu: '100m'}), snapshot)
    assert.ok(isScheduled(r) && r.feasibleNodes === 420 && r.evaluatedNodes === 420)
    const pct = new Scheduler({percentageOfNodesToScore: 30}).schedule(pod('q', {cpu: '100m'}), snapshot)
    assert.ok(isScheduled(pct) && pct.feasibleNodes === 300)
    assert.throws(() => new Scheduler({percentageOfNodesToScore: 101}), RangeError)
  })

  it('counts rejected nodes as evaluated and keeps searching past them', () => {
    const nodes = [...many(150), ...Array.from({length: 50}, (_, i) => node(`tainted-${i}`, {taints: [{key: 'k', effect: 'NoSchedule'}]}))]
    const s = new Scheduler()
    const snapshot = new Snapshot({nodes})
    s.nextStartNodeIndex = 100
    const r = s.schedule(pod('p'), snapshot)
    // 100 feasible nodes to find: node-100..149 (50), 50 tainted, then node-0..49 (50).
    assert.ok(isScheduled(r) && r.feasibleNodes === 100 && r.evaluatedNodes === 150)
    assert.equal(s.nextStartNodeIndex, (100 + 150) % 200)
  })

  it('rotates the start index so every node gets examined', () => {
    const snapshot = new Snapshot({nodes: many(250)})
    const s = new Scheduler()
    // 250 nodes: 48% -> 120 to find.
    s.schedule(pod('a'), snapshot)
    assert.equal(s.nextStartNodeIndex, 120)
    s.schedule(pod('b'), snapshot)
    assert.equal(s.nextStartNodeIndex, 240)
    s.schedule(pod('c'), snapshot)
    assert.equal(s.nextStartNodeIndex, 110)
  })

  it('applies plugin weights and disabled plugins', () => {
    const nodes = [node('tainted', {cpu: '8', taints: [{key: 'spot', effect: 'PreferNoSchedule'}]}), node('plain', {cpu: '8'})]
    const pods = [pod('x', {nodeName: 'plain', cpu: '6'})]
    assert.equal(nodeOf(scheduleOne({nodes, pods}, pod('p', {cpu: '1'}))), 'plain')
    assert.equal(nodeOf(scheduleOne({nodes, pods}, pod('p', {cpu: '1'}), {pluginWeights: {TaintToleration: 0}})), 'tainted')
    const hard = [node('tainted', {taints: [{key: 'k', effect: 'NoSchedule'}]})]
    assert.equal(nodeOf(scheduleOne({nodes: hard}, pod('p'), {disabledPlugins: ['TaintToleration']})), 'tainted')
  })

  it('honours preferred node affinity against resource scores', () => {
    const nodes = [node('ssd', {labels: {disk: 'ssd'}}), node('hdd')]
    const affinity = {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: 'disk', operator: 'In', values: ['ssd']}]}}]}}
    assert.equal(nodeOf(scheduleOne({nodes, pods: [pod('x', {nodeName: 'ssd', cpu: '2'})]}, pod('p', {affinity}))), 'ssd')
  })

  it('spreads replicas of a ReplicaSet with the system default constraints', () => {
    const nodes = [node('a1', {zone: 'a'}), node('a2', {zone: 'a'}), node('b1', {zone: 'b'})]
    const rs = {metadata: {name: 'web-1', namespace: 'default'}, spec: {selector: {matchLabels: {app: 'web'}}}}
    const snapshot = new Snapshot({nodes, replicaSets: [rs]})
    const replicas = Array.from({length: 3}, (_, i) => pod(`web-${i}`, {labels: {app: 'web'}, owner: {kind: 'ReplicaSet', name: 'web-1'}}))
    const results = new Scheduler({seed: 3}).scheduleAll(replicas, snapshot)
    assert.deepEqual(replicas.map((p) => nodeOf(results.get(p)!)).sort(), ['a1', 'a2', 'b1'])
  })

  it('tries the nominated node first', () => {
    const r = scheduleOne({nodes: [node('big', {cpu: '8'}), node('small', {cpu: '2'})]}, pod('p', {cpu: '1', nominatedNodeName: 'small'}))
    assert.deepEqual(r, {node: 'small', evaluatedNodes: 1, feasibleNodes: 1})
  })

  it('keeps room for nominated pods of equal or higher priority only', () => {
    const snapshot = new Snapshot({nodes: [node('n1', {cpu: '1'})]})
    snapshot.nominate(pod('waiting', {cpu: '800m', priority: 10}), 'n1')
    assert.equal(messageOf(new Scheduler().schedule(pod('low', {cpu: '500m', priority: 1}), snapshot)).startsWith('0/1 nodes are available: 1 Insufficient cpu.'), true)
    assert.equal(nodeOf(new Scheduler().schedule(pod('high', {cpu: '500m', priority: 20}), snapshot)), 'n1')
  })

  it('scheduleAll goes by priority and accounts each placement', () => {
    const snapshot = new Snapshot({nodes: [node('n1', {cpu: '1'})]})
    const low = pod('low', {cpu: '600m', priority: 1})
    const high = pod('high', {cpu: '600m', priority: 9})
    const results = new Scheduler().scheduleAll([low, high], snapshot)
    assert.equal(nodeOf(results.get(high)!), 'n1')
    assert.match(messageOf(results.get(low)!), /^0\/1 nodes are available: 1 Insufficient cpu\./)
    assert.equal(snapshot.get('n1')!.requested.milliCPU, 600)
  })

  it('runs out-of-tree filter plugins after the defaults', () => {
    const onlyEven = {
      name: 'OnlyEven',
      filter: (_s, _p, ni) => (Number(ni.name.split('-')[1]) % 2 === 0 ? null : new Status('Unschedulable', ['node(s) were odd'])),
    } satisfies FilterPlugin
    const r = scheduleOne({nodes: many(3)}, pod('p'), {extraPlugins: [onlyEven], disabledPlugins: ['DefaultPreemption']})
    assert.ok(isScheduled(r) && r.feasibleNodes === 2 && ['node-0', 'node-2'].includes(r.node))
    const none = scheduleOne({nodes: [node('node-1')]}, pod('p'), {extraPlugins: [onlyEven], disabledPlugins: ['DefaultPreemption']})
    assert.equal(messageOf(none), '0/1 nodes are available: 1 node(s) were odd.')
  })

  it('turns a throwing plugin into an Error result', () => {
    const broken = {name: 'Broken', filter: () => { throw new Error('boom') }} satisfies FilterPlugin
    const r: ScheduleResult = scheduleOne({nodes: many(2)}, pod('p'), {extraPlugins: [broken]})
    assert.ok('failure' in r && r.failure.error)
    assert.equal(r.failure.message, 'running "Broken" filter plugin: boom')
  })

  it('reports whether a profile handles a pod', () => {
    const s = new Scheduler({schedulerName: 'batch'})
    const p: Pod = {...pod('p'), spec: {...pod('p').spec, schedulerName: 'batch'}}
    assert.ok(s.handles(p))
    assert.ok(!s.handles(pod('q')))
  })

  it('words the events and conditions as kube-scheduler does', () => {
    const p = pod('web-5d8f7', {ns: 'shop'})
    assert.deepEqual(scheduledEvent(p, 'node-2'), {type: 'Normal', reason: 'Scheduled', action: 'Binding', message: 'Successfully assigned shop/web-5d8f7 to node-2'})
    assert.equal(failedSchedulingEvent('x'.repeat(2000)).message.length, 1024)
    assert.ok(failedSchedulingEvent('x'.repeat(2000)).message.endsWith(' ...'))
    assert.equal(preemptedEvent(p, 'n1').message, `Preempted by pod ${p.metadata.uid} on node n1`)
    assert.deepEqual(unschedulableCondition('m'), {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm'})
    assert.equal(preemptionCondition().message, 'default-scheduler: preempting to accommodate a higher priority pod')
  })
})
