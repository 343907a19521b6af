// NodeUnschedulable, NodeName, NodePorts, TaintToleration and PrioritySort on hand-built nodes.
import assert from 'node:assert/strict'
import {Status} from '../../../src/scheduler/index.js'
import {defaultNormalizeScore} from '../../../src/scheduler/plugins/helpers.js'
import {newNodeName} from '../../../src/scheduler/plugins/node-name.js'
import {newNodePorts} from '../../../src/scheduler/plugins/node-ports.js'
import {newNodeUnschedulable} from '../../../src/scheduler/plugins/node-unschedulable.js'
import {prioritySortLess} from '../../../src/scheduler/plugins/priority-sort.js'
import {newTaintToleration} from '../../../src/scheduler/plugins/taint-toleration.js'
import {cycle, node, pod} from './fixtures.js'

describe('scheduler plugins: NodeUnschedulable', () => {
  const pl = newNodeUnschedulable()

  it('rejects a cordoned node as unresolvable', () => {
    const c = cycle({nodes: [node('n1', {unschedulable: true})]}, pod('p'))
    const s = pl.filter(c.state, c.pi, c.ni('n1'))!
    assert.equal(s.code, 'UnschedulableAndUnresolvable')
    assert.deepEqual(s.reasons, ['node(s) were unschedulable'])
    assert.equal(s.plugin, 'NodeUnschedulable')
  })

  it('admits a pod tolerating node.kubernetes.io/unschedulable', () => {
    const c = cycle({nodes: [node('n1', {unschedulable: true})]}, pod('p', {tolerations: [{key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'}]}))
    assert.equal(pl.filter(c.state, c.pi, c.ni('n1')), null)
  })

  it('passes schedulable nodes', () => {
    const c = cycle({nodes: [node('n1')]}, pod('p'))
    assert.equal(pl.filter(c.state, c.pi, c.ni('n1')), null)
  })
})

describe('scheduler plugins: NodeName', () => {
  const pl = newNodeName()

  it('accepts only the named node', () => {
    const c = cycle({nodes: [node('n1'), node('n2')]}, {...pod('p'), spec: {...pod('p').spec, nodeName: 'n2'}})
    assert.deepEqual(pl.filter(c.state, c.pi, c.ni('n1'))?.reasons, ["node(s) didn't match the requested node name"])
    assert.equal(pl.filter(c.state, c.pi, c.ni('n2')), null)
  })

  it('accepts every node when no name is given', () => {
    const c = cycle({nodes: [node('n1')]}, pod('p'))
    assert.equal(pl.filter(c.state, c.pi, c.ni('n1')), null)
  })
})

describe('scheduler plugins: NodePorts', () => {
  const pl = newNodePorts()

  it('skips pods without host ports', () => {
    const c = cycle({nodes: [node('n1')]}, pod('p', {ports: [{containerPort: 80}]}))
    assert.equal(pl.preFilter(c.state, c.pi)?.status?.code, 'Skip')
  })

  it('rejects a node where the host port is taken', () => {
    const used = pod('used', {nodeName: 'n1', ports: [{containerPort: 80, hostPort: 8080}]})
    const c = cycle({nodes: [node('n1'), node('n2')], pods: [used]}, pod('p', {ports: [{containerPort: 80, hostPort: 8080}]}))
    assert.equal(pl.preFilter(c.state, c.pi), null)
    const s = pl.filter(c.state, c.pi, c.ni('n1'))!
    assert.equal(s.code, 'Unschedulable')
    assert.deepEqual(s.reasons, ["node(s) didn't have free ports for the requested pod ports"])
    assert.equal(pl.filter(c.state, c.pi, c.ni('n2')), null)
  })

  it('lets different protocols and addresses share a port number', () => {
    const used = pod('used', {nodeName: 'n1', ports: [{containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1'}]})
    const tcp = cycle({nodes: [node('n1')], pods: [used]}, pod('p', {ports: [{containerPort: 53, hostPort: 53}]}))
    assert.equal(pl.filter(tcp.state, tcp.pi, tcp.ni('n1')), null)
    const otherIP = cycle({nodes: [node('n1')], pods: [used]}, pod('p', {ports: [{hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.2'}]}))
    assert.equal(pl.filter(otherIP.state, otherIP.pi, otherIP.ni('n1')), null)
  })

  it('makes 0.0.0.0 conflict with a specific address, and the reverse', () => {
    const specific = pod('used', {nodeName: 'n1', ports: [{hostPort: 9000, hostIP: '10.0.0.1'}]})
    const wild = cycle({nodes: [node('n1')], pods: [specific]}, pod('p', {ports: [{hostPort: 9000}]}))
    assert.equal(pl.filter(wild.state, wild.pi, wild.ni('n1'))?.code, 'Unschedulable')
    const any = pod('used', {nodeName: 'n1', ports: [{hostPort: 9000}]})
    const spec = cycle({nodes: [node('n1')], pods: [any]}, pod('p', {ports: [{hostPort: 9000, hostIP: '10.0.0.7'}]}))
    assert.equal(spec.pi.hostPorts[0]!.ip, '10.0.0.7')
    assert.equal(pl.filter(spec.state, spec.pi, spec.ni('n1'))?.code, 'Unschedulable')
  })
})

describe('scheduler plugins: TaintToleration', () => {
  const pl = newTaintToleration()

  it('names the first untolerated NoSchedule taint with key and value', () => {
    const n = node('n1', {taints: [{key: 'dedicated', value: 'gpu', effect: 'NoSchedule'}]})
    const c = cycle({nodes: [n]}, pod('p'))
    const s = pl.filter(c.state, c.pi, c.ni('n1'))!
    assert.equal(s.code, 'UnschedulableAndUnresolvable')
    assert.deepEqual(s.reasons, ['node(s) had untolerated taint {dedicated: gpu}'])
  })

  it('prints an empty value as "{key: }"', () => {
    const c = cycle({nodes: [node('n1', {taints: [{key: 'node.kubernetes.io/not-ready', effect: 'NoExecute'}]})]}, pod('p'))
    assert.deepEqual(pl.filter(c.state, c.pi, c.ni('n1'))?.reasons, ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'])
  })

  it('ignores PreferNoSchedule taints in Filter', () => {
    const c = cycle({nodes: [node('n1', {taints: [{key: 'k', value: 'v', effect: 'PreferNoSchedule'}]})]}, pod('p'))
    assert.equal(pl.filter(c.state, c.pi, c.ni('n1')), null)
  })

  it('honours Equal, Exists, empty key and empty effect tolerations', () => {
    const n = node('n1', {taints: [{key: 'a', value: '1', effect: 'NoSchedule'}, {key: 'b', value: '2', effect: 'NoExecute'}]})
    const tolerate = (tolerations: object[]) => {
      const c = cycle({nodes: [n]}, pod('p', {tolerations: tolerations as never}))
      return pl.filter(c.state, c.pi, c.ni('n1'))
    }
    assert.equal(tolerate([{key: 'a', value: '1'}, {key: 'b', operator: 'Exists'}]), null)
    assert.equal(tolerate([{operator: 'Exists'}]), null)
    assert.deepEqual(tolerate([{key: 'a', value: '2'}, {key: 'b', operator: 'Exists'}])?.reasons, ['node(s) had untolerated taint {a: 1}'])
    assert.deepEqual(tolerate([{key: 'a', operator: 'Exists', effect: 'NoExecute'}, {key: 'b', operator: 'Exists'}])?.reasons, ['node(s) had untolerated taint {a: 1}'])
  })

  it('scores by untolerated PreferNoSchedule taints, fewer is better', () => {
    const nodes = [
      node('clean'),
      node('one', {taints: [{key: 'x', effect: 'PreferNoSchedule'}]}),
      node('two', {taints: [{key: 'x', effect: 'PreferNoSchedule'}, {key: 'y', effect: 'PreferNoSchedule'}]}),
    ]
    const c = cycle({nodes}, pod('p', {tolerations: [{key: 'y', operator: 'Exists', effect: 'PreferNoSchedule'}]}))
    assert.equal(pl.preScore(c.state, c.pi), null)
    const scores = Float64Array.from(['clean', 'one', 'two'].map((n) => pl.score(c.state, c.pi, c.ni(n))))
    assert.deepEqual([...scores], [0, 1, 1])
    pl.normalizeScore(c.state, c.pi, scores)
    assert.deepEqual([...scores], [100, 0, 0])
  })
})

describe('scheduler plugins: helpers and PrioritySort', () => {
  it('DefaultNormalizeScore scales to 100 with integer division', () => {
    const s = Float64Array.from([1, 2, 3])
    defaultNormalizeScore(s, false)
    assert.deepEqual([...s], [33, 66, 100])
    const r = Float64Array.from([1, 2, 3])
    defaultNormalizeScore(r, true)
    assert.deepEqual([...r], [67, 34, 0])
    const z = Float64Array.from([0, 0])
    defaultNormalizeScore(z, true)
    assert.deepEqual([...z], [100, 100])
  })

  it('orders by priority, then by creation time', () => {
    const c = cycle({nodes: []}, pod('x'))
    const high = c.snapshot.podInfo(pod('high', {priority: 10, created: '2024-01-02T00:00:00Z'}))
    const early = c.snapshot.podInfo(pod('early', {priority: 1, created: '2024-01-01T00:00:00Z'}))
    const late = c.snapshot.podInfo(pod('late', {priority: 1, created: '2024-01-03T00:00:00Z'}))
    assert.ok(prioritySortLess(high, early))
    assert.ok(prioritySortLess(early, late))
    assert.ok(!prioritySortLess(late, early))
  })

  it('Status helpers join reasons like Status.Message()', () => {
    assert.equal(Status.unschedulable('a', 'b').message(), 'a, b')
    assert.equal(Status.skip().code, 'Skip')
  })
})
