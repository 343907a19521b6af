// NodeAffinity (nodeSelector, required and preferred terms, metadata.name narrowing) and
// InterPodAffinity (required affinity/anti-affinity, existing pods' anti-affinity, preferred scoring).
import assert from 'node:assert/strict'
import type {Affinity} from '../../../src/scheduler/api.js'
import {newInterPodAffinity} from '../../../src/scheduler/plugins/inter-pod-affinity.js'
import {newNodeAffinity} from '../../../src/scheduler/plugins/node-affinity.js'
import {cycle, node, pod} from './fixtures.js'

const zoned = () => [node('a1', {zone: 'a', labels: {disk: 'ssd', gen: '5'}}), node('a2', {zone: 'a', labels: {disk: 'hdd', gen: '3'}}), node('b1', {zone: 'b', labels: {gen: '4'}})]

describe('scheduler plugins: NodeAffinity filter', () => {
  const pl = newNodeAffinity()
  const fits = (p: ReturnType<typeof pod>) => {
    const c = cycle({nodes: zoned()}, p)
    const pre = pl.preFilter(c.state, c.pi)
    if (pre?.status?.code === 'Skip') return ['a1', 'a2', 'b1']
    return ['a1', 'a2', 'b1'].filter((n) => pl.filter(c.state, c.pi, c.ni(n)) === null)
  }

  it('skips pods without node selection', () => {
    const c = cycle({nodes: zoned()}, pod('p'))
    assert.equal(pl.preFilter(c.state, c.pi)?.status?.code, 'Skip')
  })

  it('matches nodeSelector labels', () => {
    assert.deepEqual(fits(pod('p', {nodeSelector: {disk: 'ssd'}})), ['a1'])
    const c = cycle({nodes: zoned()}, pod('p', {nodeSelector: {disk: 'nvme'}}))
    const s = pl.filter(c.state, c.pi, c.ni('a1'))!
    assert.equal(s.code, 'UnschedulableAndUnresolvable')
    assert.deepEqual(s.reasons, ["node(s) didn't match Pod's node affinity/selector"])
  })

  it('ORs terms and ANDs expressions, with In, NotIn, Exists, DoesNotExist, Gt and Lt', () => {
    const req = (terms: object[]): Affinity => ({nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: terms as never}}})
    assert.deepEqual(fits(pod('p', {affinity: req([{matchExpressions: [{key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a']}, {key: 'disk', operator: 'NotIn', values: ['ssd']}]}])})), ['a2'])
    assert.deepEqual(fits(pod('p', {affinity: req([{matchExpressions: [{key: 'disk', operator: 'DoesNotExist'}]}, {matchExpressions: [{key: 'disk', operator: 'In', values: ['ssd']}]}])})), ['a1', 'b1'])
    assert.deepEqual(fits(pod('p', {affinity: req([{matchExpressions: [{key: 'gen', operator: 'Gt', values: ['3']}]}])})), ['a1', 'b1'])
    assert.deepEqual(fits(pod('p', {affinity: req([{matchExpressions: [{key: 'gen', operator: 'Lt', values: ['4']}, {key: 'disk', operator: 'Exists'}]}])})), ['a2'])
  })

  it('requires both nodeSelector and affinity', () => {
    const affinity: Affinity = {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a']}]}]}}}
    assert.deepEqual(fits(pod('p', {affinity, nodeSelector: {disk: 'hdd'}})), ['a2'])
  })

  it('treats empty and invalid terms as matching nothing', () => {
    const req = (terms: object[]): Affinity => ({nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: terms as never}}})
    assert.deepEqual(fits(pod('p', {affinity: req([{}])})), [])
    assert.deepEqual(fits(pod('p', {affinity: req([{matchExpressions: [{key: 'gen', operator: 'Gt', values: ['x']}]}, {matchExpressions: [{key: 'disk', operator: 'Exists'}]}])})), ['a1', 'a2'])
  })

  it('narrows the search to metadata.name fields and flags conflicting terms', () => {
    const byName = (terms: object[]) => {
      const c = cycle({nodes: zoned()}, pod('p', {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: terms as never}}}}))
      return pl.preFilter(c.state, c.pi)
    }
    assert.deepEqual([...byName([{matchFields: [{key: 'metadata.name', operator: 'In', values: ['a2']}]}, {matchFields: [{key: 'metadata.name', operator: 'In', values: ['b1']}]}])!.nodeNames!].sort(), ['a2', 'b1'])
    assert.equal(byName([{matchFields: [{key: 'metadata.name', operator: 'In', values: ['a2']}]}, {matchExpressions: [{key: 'disk', operator: 'Exists'}]}]), null)
    const conflict = byName([{matchFields: [{key: 'metadata.name', operator: 'In', values: ['a1']}, {key: 'metadata.name', operator: 'In', values: ['a2']}]}])
    assert.equal(conflict?.status?.code, 'UnschedulableAndUnresolvable')
    assert.deepEqual(conflict?.status?.reasons, ['pod affinity terms conflict'])
  })

  it('applies the profile-enforced affinity', () => {
    const enforced = newNodeAffinity({addedAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'topology.kubernetes.io/zone', operator: 'In', values: ['b']}]}]}}})
    const c = cycle({nodes: zoned()}, pod('p'))
    assert.equal(enforced.preFilter(c.state, c.pi), null)
    assert.deepEqual(enforced.filter(c.state, c.pi, c.ni('a1'))?.reasons, ["node(s) didn't match scheduler-enforced node affinity"])
    assert.equal(enforced.filter(c.state, c.pi, c.ni('b1')), null)
  })
})

describe('scheduler plugins: NodeAffinity score', () => {
  const pl = newNodeAffinity()

  it('sums matching preferred weights and normalizes to 100', () => {
    const affinity: Affinity = {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [
      {weight: 10, preference: {matchExpressions: [{key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a']}]}},
      {weight: 30, preference: {matchExpressions: [{key: 'disk', operator: 'In', values: ['ssd']}]}},
    ]}}
    const c = cycle({nodes: zoned()}, pod('p', {affinity}))
    assert.equal(pl.preScore(c.state, c.pi), null)
    const scores = Float64Array.from(['a1', 'a2', 'b1'].map((n) => pl.score(c.state, c.pi, c.ni(n))))
    assert.deepEqual([...scores], [40, 10, 0])
    pl.normalizeScore(c.state, c.pi, scores)
    assert.deepEqual([...scores], [100, 25, 0])
  })

  it('skips scoring without preferred terms', () => {
    const c = cycle({nodes: zoned()}, pod('p'))
    assert.equal(pl.preScore(c.state, c.pi)?.code, 'Skip')
  })
})

const web = {app: 'web'}
const antiWeb = (topologyKey = 'kubernetes.io/hostname'): Affinity => ({podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: web}, topologyKey}]}})
const withWeb = (topologyKey: string): Affinity => ({podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: web}, topologyKey}]}})

describe('scheduler plugins: InterPodAffinity filter', () => {
  const pl = newInterPodAffinity()
  const fits = (pods: ReturnType<typeof pod>[], p: ReturnType<typeof pod>, names = ['a1', 'a2', 'b1']) => {
    const c = cycle({nodes: zoned(), pods}, p)
    const pre = pl.preFilter(c.state, c.pi)
    if (pre?.status?.code === 'Skip') return names.map((n) => [n, 'ok'])
    return names.map((n) => [n, pl.filter(c.state, c.pi, c.ni(n))?.reasons[0] ?? 'ok'])
  }

  it('skips when no term can apply', () => {
    const c = cycle({nodes: zoned(), pods: [pod('w', {nodeName: 'a1', labels: web})]}, pod('p'))
    assert.equal(pl.preFilter(c.state, c.pi)?.status?.code, 'Skip')
  })

  it('requires a matching pod in the same topology domain', () => {
    assert.deepEqual(fits([pod('w', {nodeName: 'a1', labels: web})], pod('p', {affinity: withWeb('topology.kubernetes.io/zone')})), [
      ['a1', 'ok'], ['a2', 'ok'], ['b1', "node(s) didn't match pod affinity rules"],
    ])
  })

  it('lets the first pod of a self-affine group in, on nodes with the topology key', () => {
    const self = pod('p', {labels: web, affinity: withWeb('disk')})
    assert.deepEqual(fits([], self), [['a1', 'ok'], ['a2', 'ok'], ['b1', "node(s) didn't match pod affinity rules"]])
    // A pod that does not match its own terms must wait for a match.
    assert.deepEqual(fits([], pod('p', {affinity: withWeb('disk')})).map(([, r]) => r), Array(3).fill("node(s) didn't match pod affinity rules"))
  })

  it('rejects domains holding pods its anti-affinity selects', () => {
    assert.deepEqual(fits([pod('w', {nodeName: 'a1', labels: web})], pod('p', {affinity: antiWeb('topology.kubernetes.io/zone')})), [
      ['a1', "node(s) didn't match pod anti-affinity rules"], ['a2', "node(s) didn't match pod anti-affinity rules"], ['b1', 'ok'],
    ])
  })

  it("honours existing pods' anti-affinity against the incoming pod", () => {
    const guard = pod('guard', {nodeName: 'a2', affinity: antiWeb()})
    assert.deepEqual(fits([guard], pod('p', {labels: web})), [['a1', 'ok'], ['a2', "node(s) didn't satisfy existing pods anti-affinity rules"], ['b1', 'ok']])
  })

  it('limits terms to their namespaces, or to namespaces a selector picks', () => {
    const other = pod('w', {nodeName: 'a1', labels: web, ns: 'other'})
    assert.deepEqual(fits([other], pod('p', {affinity: antiWeb()}))[0], ['a1', 'ok'])
    const byName: Affinity = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: web}, topologyKey: 'kubernetes.io/hostname', namespaces: ['other']}]}}
    assert.deepEqual(fits([other], pod('p', {affinity: byName}))[0], ['a1', "node(s) didn't match pod anti-affinity rules"])
    const bySelector: Affinity = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: web}, topologyKey: 'kubernetes.io/hostname', namespaceSelector: {matchLabels: {team: 'x'}}}]}}
    const c = cycle({nodes: zoned(), pods: [other], namespaces: [{metadata: {name: 'other', labels: {team: 'x'}}}, {metadata: {name: 'default'}}]}, pod('p', {affinity: bySelector}))
    pl.preFilter(c.state, c.pi)
    assert.equal(pl.filter(c.state, c.pi, c.ni('a1'))?.code, 'Unschedulable')
    const all: Affinity = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: web}, topologyKey: 'kubernetes.io/hostname', namespaceSelector: {}}]}}
    assert.deepEqual(fits([other], pod('p', {affinity: all}))[0], ['a1', "node(s) didn't match pod anti-affinity rules"])
  })

  it('keeps counts right when pods are added and removed (preemption what-ifs)', () => {
    const w = pod('w', {nodeName: 'a1', labels: web})
    const c = cycle({nodes: zoned(), pods: [w]}, pod('p', {affinity: antiWeb()}))
    pl.preFilter(c.state, c.pi)
    const copy = c.state.clone()
    const wi = c.snapshot.podInfo(w)
    pl.extensions.removePod(copy, c.pi, wi, c.ni('a1'))
    assert.equal(pl.filter(copy, c.pi, c.ni('a1')), null)
    assert.equal(pl.filter(c.state, c.pi, c.ni('a1'))?.code, 'Unschedulable')
    pl.extensions.addPod(copy, c.pi, wi, c.ni('b1'))
    assert.equal(pl.filter(copy, c.pi, c.ni('b1'))?.code, 'Unschedulable')
  })
})

describe('scheduler plugins: InterPodAffinity score', () => {
  const pl = newInterPodAffinity()
  const scores = (pods: ReturnType<typeof pod>[], p: ReturnType<typeof pod>) => {
    const c = cycle({nodes: zoned(), pods}, p)
    const nodes = ['a1', 'a2', 'b1'].map((n) => c.ni(n))
    if (pl.preScore(c.state, c.pi, nodes)?.code === 'Skip') return 'skip'
    const s = Float64Array.from(nodes.map((n) => pl.score(c.state, c.pi, n)))
    pl.normalizeScore(c.state, c.pi, s)
    return [...s]
  }

  it('prefers domains with pods its preferred affinity selects', () => {
    const affinity: Affinity = {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 50, podAffinityTerm: {labelSelector: {matchLabels: web}, topologyKey: 'topology.kubernetes.io/zone'}}]}}
    assert.deepEqual(scores([pod('w', {nodeName: 'b1', labels: web})], pod('p', {affinity})), [0, 0, 100])
  })

  it('avoids domains with pods its preferred anti-affinity selects', () => {
    const affinity: Affinity = {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 20, podAffinityTerm: {labelSelector: {matchLabels: web}, topologyKey: 'kubernetes.io/hostname'}}]}}
    assert.deepEqual(scores([pod('w1', {nodeName: 'a1', labels: web}), pod('w2', {nodeName: 'a1', labels: web}), pod('w3', {nodeName: 'a2', labels: web})], pod('p', {affinity})), [0, 50, 100])
  })

  it("counts existing pods' required affinity at hardPodAffinityWeight", () => {
    const existing = pod('e', {nodeName: 'a2', affinity: withWeb('kubernetes.io/hostname')})
    assert.deepEqual(scores([existing], pod('p', {labels: web})), [0, 100, 0])
    const off = newInterPodAffinity({hardPodAffinityWeight: 0})
    const c = cycle({nodes: zoned(), pods: [existing]}, pod('p', {labels: web}))
    assert.equal(off.preScore(c.state, c.pi, [c.ni('a1')])?.code, 'Skip')
  })

  it("counts existing pods' preferred anti-affinity against the incoming pod", () => {
    const existing = pod('e', {nodeName: 'b1', affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, podAffinityTerm: {labelSelector: {matchLabels: web}, topologyKey: 'topology.kubernetes.io/zone'}}]}}})
    assert.deepEqual(scores([existing], pod('p', {labels: web})), [100, 100, 0])
  })

  it('skips when nothing contributes', () => {
    assert.equal(scores([pod('w', {nodeName: 'a1', labels: web})], pod('p')), 'skip')
  })
})
