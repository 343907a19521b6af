// DefaultPreemption: minimal victims, reprieve order, the node choice rules, eligibility, and the
// messages when preemption cannot help.
import assert from 'node:assert/strict'
import type {Affinity, PodDisruptionBudget} from '../../../src/scheduler/api.js'
import {Scheduler, Snapshot, isScheduled, type ScheduleFailure} from '../../../src/scheduler/index.js'
import {messageOf, node, pod, scheduleOne} from './fixtures.js'

const failure = (r: ReturnType<typeof scheduleOne>): ScheduleFailure['failure'] => {
  assert.ok('failure' in r, `expected a failure, got ${JSON.stringify(r)}`)
  return r.failure
}
const victims = (r: ReturnType<typeof scheduleOne>) => (failure(r).victims ?? []).map((p) => p.metadata.name)
const pdb = (app: string, allowed: number): PodDisruptionBudget => ({metadata: {name: `pdb-${app}`, namespace: 'default'}, spec: {selector: {matchLabels: {app}}}, status: {disruptionsAllowed: allowed}})

describe('scheduler: preemption', () => {
  it('nominates a node and evicts only as many lower-priority pods as needed', () => {
    const pods = [pod('p1', {nodeName: 'n1', cpu: '300m', priority: 1}), pod('p2', {nodeName: 'n1', cpu: '300m', priority: 2}), pod('p3', {nodeName: 'n1', cpu: '300m', priority: 3})]
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'})], pods}, pod('hi', {cpu: '500m', priority: 100}))
    assert.equal(failure(r).nominatedNode, 'n1')
    // The most important (p3) is reprieved first and stays.
    assert.deepEqual(victims(r), ['p2', 'p1'])
    assert.equal(failure(r).message, '0/1 nodes are available: 1 Insufficient cpu.')
  })

  it('never evicts pods of equal or higher priority', () => {
    const pods = [pod('same', {nodeName: 'n1', cpu: '1', priority: 100})]
    assert.equal(messageOf(scheduleOne({nodes: [node('n1', {cpu: '1'})], pods}, pod('p', {cpu: '1', priority: 100}))), '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.')
  })

  it("reports the filters' reasons for nodes that stay too small without every victim", () => {
    const pods = [pod('low', {nodeName: 'n1', cpu: '500m', priority: 1}), pod('peer', {nodeName: 'n1', cpu: '1', priority: 100})]
    const r = scheduleOne({nodes: [node('n1', {cpu: '2'})], pods}, pod('p', {cpu: '1500m', priority: 100}))
    assert.equal(messageOf(r), '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.')
  })

  it('prefers the node whose victims violate fewer PodDisruptionBudgets', () => {
    const pods = [pod('guarded', {nodeName: 'n1', cpu: '1', priority: 1, labels: {app: 'guarded'}}), pod('free', {nodeName: 'n2', cpu: '1', priority: 1, labels: {app: 'free'}})]
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'}), node('n2', {cpu: '1'})], pods, podDisruptionBudgets: [pdb('guarded', 0)]}, pod('hi', {cpu: '1', priority: 10}))
    assert.equal(failure(r).nominatedNode, 'n2')
  })

  it('prefers the node whose most important victim has the lowest priority', () => {
    const pods = [pod('five', {nodeName: 'n1', cpu: '1', priority: 5}), pod('three', {nodeName: 'n2', cpu: '1', priority: 3})]
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'}), node('n2', {cpu: '1'})], pods}, pod('hi', {cpu: '1', priority: 10}))
    assert.equal(failure(r).nominatedNode, 'n2')
    assert.deepEqual(victims(r), ['three'])
  })

  it('then the smallest sum of victim priorities', () => {
    const pods = [
      pod('a1', {nodeName: 'n1', cpu: '500m', priority: 3}), pod('a2', {nodeName: 'n1', cpu: '500m', priority: 3}),
      pod('b1', {nodeName: 'n2', cpu: '500m', priority: 3}), pod('b2', {nodeName: 'n2', cpu: '500m', priority: 1}),
    ]
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'}), node('n2', {cpu: '1'})], pods}, pod('hi', {cpu: '1', priority: 10}))
    assert.equal(failure(r).nominatedNode, 'n2')
    assert.deepEqual(victims(r), ['b1', 'b2'])
  })

  it('then the node whose top victims started last', () => {
    const pods = [pod('old', {nodeName: 'n1', cpu: '1', priority: 1, startTime: '2024-01-01T00:00:00Z'}), pod('new', {nodeName: 'n2', cpu: '1', priority: 1, startTime: '2024-06-01T00:00:00Z'})]
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'}), node('n2', {cpu: '1'})], pods}, pod('hi', {cpu: '1', priority: 10}))
    assert.equal(failure(r).nominatedNode, 'n2')
  })

  it('reprieves PDB-protected victims before the others', () => {
    const pods = [pod('g', {nodeName: 'n1', cpu: '500m', priority: 1, labels: {app: 'guarded'}}), pod('f', {nodeName: 'n1', cpu: '500m', priority: 2})]
    const state = {nodes: [node('n1', {cpu: '1'})], pods}
    assert.deepEqual(victims(scheduleOne(state, pod('hi', {cpu: '500m', priority: 10}))), ['g'])
    assert.deepEqual(victims(scheduleOne({...state, podDisruptionBudgets: [pdb('guarded', 0)]}, pod('hi', {cpu: '500m', priority: 10}))), ['f'])
  })

  it('evicts a pod that the preemptor is anti-affine to', () => {
    const anti: Affinity = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'web'}}, topologyKey: 'kubernetes.io/hostname'}]}}
    const r = scheduleOne({nodes: [node('n1')], pods: [pod('w', {nodeName: 'n1', labels: {app: 'web'}, priority: 0}), pod('x', {nodeName: 'n1', priority: 0})]}, pod('hi', {affinity: anti, priority: 10}))
    assert.equal(failure(r).nominatedNode, 'n1')
    assert.deepEqual(victims(r), ['w'])
  })

  it('frees a host port held by a lower-priority pod', () => {
    const r = scheduleOne({nodes: [node('n1')], pods: [pod('low', {nodeName: 'n1', ports: [{hostPort: 443}], priority: 0})]}, pod('hi', {ports: [{hostPort: 443}], priority: 5}))
    assert.deepEqual(victims(r), ['low'])
  })

  it('waits while a victim it preempted is still terminating on its nominated node', () => {
    const terminating = pod('victim', {nodeName: 'n1', cpu: '1', priority: 0, deleting: true})
    terminating.status = {...terminating.status, conditions: [{type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler'}]}
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'})], pods: [terminating]}, pod('hi', {cpu: '1', priority: 10, nominatedNodeName: 'n1'}))
    assert.equal(messageOf(r), '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.')
  })

  it('clears the nomination when preemption cannot help', () => {
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'})]}, pod('p', {cpu: '2', priority: 10}))
    assert.equal(failure(r).nominatedNode, '')
    assert.equal(failure(r).victims, undefined)
  })

  it('scheduleAll nominates the preemptor and keeps its room from lower-priority pods', () => {
    const snapshot = new Snapshot({nodes: [node('n1', {cpu: '1'})], pods: [pod('low', {nodeName: 'n1', cpu: '1', priority: 0})]})
    const hi = pod('hi', {cpu: '1', priority: 10})
    const mid = pod('mid', {cpu: '100m', priority: 5})
    const results = new Scheduler().scheduleAll([mid, hi], snapshot)
    assert.equal((results.get(hi) as ScheduleFailure).failure.nominatedNode, 'n1')
    assert.equal(snapshot.nominatedNodeFor(hi), 'n1')
    // mid may evict `low` too, but not the room held for `hi`.
    assert.equal(messageOf(results.get(mid)!), '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.')
    // The victim is gone once the caller deletes it; the nominated pod then gets its node.
    snapshot.removePod(snapshot.get('n1')!.pods[0]!.pod)
    const again = new Scheduler().schedule(hi, snapshot)
    assert.ok(isScheduled(again) && again.node === 'n1' && again.evaluatedNodes === 1)
  })
})
