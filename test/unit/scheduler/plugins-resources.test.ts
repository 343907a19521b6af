// NodeResourcesFit (filter reasons, LeastAllocated/MostAllocated) and BalancedAllocation, plus the
// request arithmetic they share (init containers, overhead, non-zero defaults, extended resources).
import assert from 'node:assert/strict'
import {newBalancedAllocation} from '../../../src/scheduler/plugins/balanced-allocation.js'
import {fitsRequest, newNodeResourcesFit} from '../../../src/scheduler/plugins/node-resources-fit.js'
import {podRequests, DEFAULT_MEMORY_REQUEST} from '../../../src/scheduler/resources.js'
import {cycle, node, pod} from './fixtures.js'

describe('scheduler: pod requests', () => {
  it('takes the larger of the containers sum and each init container, plus overhead', () => {
    const r = podRequests(pod('p', {cpu: '500m', memory: '1Gi', init: [{cpu: '2', memory: '512Mi'}], overhead: {cpu: '100m', memory: '64Mi'}}))
    assert.equal(r.resource.milliCPU, 2100)
    assert.equal(r.resource.memory, 1024 ** 3 + 64 * 1024 ** 2)
  })

  it('adds overhead for resources no container requests', () => {
    const r = podRequests(pod('p', {overhead: {cpu: '250m'}}))
    assert.equal(r.resource.milliCPU, 250)
    assert.equal(r.none, false)
  })

  it('counts 100m CPU and 200Mi memory for containers that request none when scoring', () => {
    const r = podRequests(pod('p'))
    assert.equal(r.none, true)
    assert.equal(r.non0CPU, 100)
    assert.equal(r.non0Mem, DEFAULT_MEMORY_REQUEST)
    const half = podRequests(pod('q', {cpu: '300m'}))
    assert.equal(half.non0CPU, 300)
    assert.equal(half.non0Mem, 200 * 1024 * 1024)
  })

  it('keeps extended and hugepages resources as scalars', () => {
    const r = podRequests(pod('p', {extra: {'nvidia.com/gpu': '2', 'hugepages-2Mi': '4Mi'}}))
    assert.equal(r.resource.scalar?.get('nvidia.com/gpu'), 2)
    assert.equal(r.resource.scalar?.get('hugepages-2Mi'), 4 * 1024 * 1024)
  })
})

describe('scheduler plugins: NodeResourcesFit filter', () => {
  const pl = newNodeResourcesFit()

  it('reports each insufficient resource, Unschedulable while preemption could help', () => {
    const used = pod('used', {nodeName: 'n1', cpu: '3', memory: '7Gi'})
    const c = cycle({nodes: [node('n1', {cpu: '4', memory: '8Gi'})], pods: [used]}, pod('p', {cpu: '2', memory: '2Gi'}))
    const s = pl.filter(c.state, c.pi, c.ni('n1'))!
    assert.equal(s.code, 'Unschedulable')
    assert.deepEqual(s.reasons, ['Insufficient cpu', 'Insufficient memory'])
  })

  it('is unresolvable when the request exceeds the whole node', () => {
    const c = cycle({nodes: [node('n1', {cpu: '1'})]}, pod('p', {cpu: '2'}))
    const s = pl.filter(c.state, c.pi, c.ni('n1'))!
    assert.equal(s.code, 'UnschedulableAndUnresolvable')
    assert.deepEqual(s.reasons, ['Insufficient cpu'])
  })

  it('reports "Too many pods" even for pods without requests', () => {
    const c = cycle({nodes: [node('n1', {pods: 1})], pods: [pod('a', {nodeName: 'n1'})]}, pod('p'))
    assert.deepEqual(pl.filter(c.state, c.pi, c.ni('n1'))?.reasons, ['Too many pods'])
  })

  it('checks extended resources and ephemeral storage', () => {
    const c = cycle({nodes: [node('n1', {extra: {'nvidia.com/gpu': '1', 'ephemeral-storage': '10Gi'}})]}, pod('p', {extra: {'nvidia.com/gpu': '2', 'ephemeral-storage': '1Gi'}}))
    assert.deepEqual(pl.filter(c.state, c.pi, c.ni('n1'))?.reasons, ['Insufficient nvidia.com/gpu'])
    const none = cycle({nodes: [node('n1')]}, pod('p', {extra: {'example.com/foo': '1'}}))
    assert.deepEqual(pl.filter(none.state, none.pi, none.ni('n1'))?.reasons, ['Insufficient example.com/foo'])
  })

  it('skips ignored extended resources and resource groups', () => {
    const ignoring = newNodeResourcesFit({ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['vendor.io']})
    const c = cycle({nodes: [node('n1')]}, pod('p', {extra: {'example.com/foo': '1', 'vendor.io/bar': '3'}}))
    assert.equal(ignoring.filter(c.state, c.pi, c.ni('n1')), null)
  })

  it('exposes the insufficient amounts', () => {
    const c = cycle({nodes: [node('n1', {cpu: '1'})], pods: [pod('a', {nodeName: 'n1', cpu: '600m'})]}, pod('p', {cpu: '500m'}))
    const [r] = fitsRequest(c.pi, c.ni('n1'))
    assert.deepEqual(r, {resourceName: 'cpu', reason: 'Insufficient cpu', requested: 500, used: 600, capacity: 1000, unresolvable: false})
  })
})

describe('scheduler plugins: NodeResourcesFit scoring', () => {
  const score = (strategy: 'LeastAllocated' | 'MostAllocated', existing: string, p = pod('p', {cpu: '1', memory: '2Gi'})) => {
    const pl = newNodeResourcesFit({scoringStrategy: {type: strategy}})
    const c = cycle({nodes: [node('n1', {cpu: '4', memory: '8Gi'})], pods: existing ? [pod('e', {nodeName: 'n1', cpu: existing, memory: '2Gi'})] : []}, p)
    pl.preScore(c.state, c.pi)
    return pl.score(c.state, c.pi, c.ni('n1'))
  }

  it('LeastAllocated favours free room', () => {
    assert.equal(score('LeastAllocated', ''), 75)
    // cpu (4000-2000)/4000 = 50, memory (8-4)/8 = 50
    assert.equal(score('LeastAllocated', '1'), 50)
  })

  it('MostAllocated favours packed nodes', () => {
    assert.equal(score('MostAllocated', ''), 25)
    assert.equal(score('MostAllocated', '1'), 50)
  })

  it('scores pods without requests with the non-zero defaults', () => {
    // cpu (4000-100)*100/4000 = 97, memory (8Gi-200Mi)*100/8Gi = 97
    assert.equal(score('LeastAllocated', '', pod('p')), 97)
  })

  it('weights resources as configured', () => {
    const pl = newNodeResourcesFit({scoringStrategy: {type: 'LeastAllocated', resources: [{name: 'cpu', weight: 3}, {name: 'memory', weight: 1}]}})
    const c = cycle({nodes: [node('n1', {cpu: '4', memory: '8Gi'})]}, pod('p', {cpu: '2', memory: '2Gi'}))
    pl.preScore(c.state, c.pi)
    // (50*3 + 75*1) / 4 = 56
    assert.equal(pl.score(c.state, c.pi, c.ni('n1')), 56)
  })
})

describe('scheduler plugins: NodeResourcesBalancedAllocation', () => {
  const pl = newBalancedAllocation()

  it('gives 100 when CPU and memory fractions are equal', () => {
    const c = cycle({nodes: [node('n1', {cpu: '4', memory: '8Gi'})]}, pod('p', {cpu: '1', memory: '2Gi'}))
    assert.equal(pl.preScore(c.state, c.pi), null)
    assert.equal(pl.score(c.state, c.pi, c.ni('n1')), 100)
  })

  it('loses half the difference of the fractions', () => {
    const c = cycle({nodes: [node('n1', {cpu: '4', memory: '8Gi'})]}, pod('p', {cpu: '2', memory: '2Gi'}))
    pl.preScore(c.state, c.pi)
    // |0.5 - 0.25| / 2 = 0.125 -> 87
    assert.equal(pl.score(c.state, c.pi, c.ni('n1')), 87)
  })

  it('skips best-effort pods', () => {
    const c = cycle({nodes: [node('n1')]}, pod('p'))
    assert.equal(pl.preScore(c.state, c.pi)?.code, 'Skip')
  })

  it('uses the standard deviation for three resources', () => {
    const three = newBalancedAllocation({resources: [{name: 'cpu', weight: 1}, {name: 'memory', weight: 1}, {name: 'nvidia.com/gpu', weight: 1}]})
    const c = cycle({nodes: [node('n1', {cpu: '4', memory: '8Gi', extra: {'nvidia.com/gpu': '4'}})]}, pod('p', {cpu: '1', memory: '2Gi', extra: {'nvidia.com/gpu': '4'}}))
    three.preScore(c.state, c.pi)
    // fractions 0.25, 0.25, 1: mean 0.5, std sqrt((0.0625*2 + 0.25)/3) = 0.3536 -> 64
    assert.equal(three.score(c.state, c.pi, c.ni('n1')), 64)
  })
})
