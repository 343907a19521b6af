// PodTopologySpread: DoNotSchedule filtering (skew, minDomains, inclusion policies, matchLabelKeys)
// and ScheduleAnyway / system-default scoring.
import assert from 'node:assert/strict'
import type {TopologySpreadConstraint} from '../../../src/scheduler/api.js'
import {newPodTopologySpread} from '../../../src/scheduler/plugins/pod-topology-spread.js'
import {defaultSelector} from '../../../src/scheduler/plugins/spread-constraints.js'
import {cycle, node, pod} from './fixtures.js'

const web = {app: 'web'}
const zones = () => [node('a1', {zone: 'a'}), node('a2', {zone: 'a'}), node('b1', {zone: 'b'}), node('c1', {zone: 'c', labels: {pool: 'x'}})]
const zoneSpread = (o: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint[] => [{maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {matchLabels: web}, ...o}]
const placed = (counts: Record<string, number>, labels: Record<string, string> = web, ns = 'default') =>
  Object.entries(counts).flatMap(([n, k]) => Array.from({length: k}, (_, i) => pod(`${n}-${i}`, {nodeName: n, labels, ns})))

describe('scheduler plugins: PodTopologySpread filter', () => {
  const pl = newPodTopologySpread()
  const verdicts = (pods: ReturnType<typeof pod>[], p: ReturnType<typeof pod>, nodes = zones()) => {
    const c = cycle({nodes, pods}, p)
    const pre = pl.preFilter(c.state, c.pi)
    if (pre?.status?.code === 'Skip') return 'skip'
    return Object.fromEntries(nodes.map((n) => [n.metadata.name!, pl.filter(c.state, c.pi, c.ni(n.metadata.name!))?.reasons[0] ?? 'ok']))
  }
  const NO = "node(s) didn't match pod topology spread constraints"

  it('skips pods without hard constraints', () => {
    assert.equal(verdicts([], pod('p', {labels: web})), 'skip')
  })

  it('admits only domains that keep the skew within maxSkew', () => {
    assert.deepEqual(verdicts(placed({a1: 2, b1: 1}), pod('p', {labels: web, spread: zoneSpread()})), {a1: NO, a2: NO, b1: NO, c1: 'ok'})
    assert.deepEqual(verdicts(placed({a1: 2, b1: 1}), pod('p', {labels: web, spread: zoneSpread({maxSkew: 2})})), {a1: NO, a2: NO, b1: 'ok', c1: 'ok'})
  })

  it('does not count the pod itself when it does not match the selector', () => {
    assert.deepEqual(verdicts(placed({a1: 1}), pod('p', {labels: {app: 'db'}, spread: zoneSpread()})), {a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok'})
  })

  it('rejects nodes without the topology key as unresolvable', () => {
    const nodes = [...zones(), node('bare')]
    const c = cycle({nodes}, pod('p', {labels: web, spread: zoneSpread()}))
    pl.preFilter(c.state, c.pi)
    const s = pl.filter(c.state, c.pi, c.ni('bare'))!
    assert.equal(s.code, 'UnschedulableAndUnresolvable')
    assert.deepEqual(s.reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"])
  })

  it('treats the global minimum as 0 while there are fewer domains than minDomains', () => {
    const two = [node('a1', {zone: 'a'}), node('b1', {zone: 'b'})]
    assert.deepEqual(verdicts(placed({a1: 1, b1: 1}), pod('p', {labels: web, spread: zoneSpread()}), two), {a1: 'ok', b1: 'ok'})
    assert.deepEqual(verdicts(placed({a1: 1, b1: 1}), pod('p', {labels: web, spread: zoneSpread({minDomains: 3})}), two), {a1: NO, b1: NO})
  })

  it('counts only domains of nodes matching the node selector (nodeAffinityPolicy Honor)', () => {
    const nodes = [node('a1', {zone: 'a'}), node('b1', {zone: 'b', labels: {pool: 'x'}}), node('c1', {zone: 'c', labels: {pool: 'x'}})]
    const pods = placed({b1: 2, c1: 2})
    assert.deepEqual(verdicts(pods, pod('p', {labels: web, nodeSelector: {pool: 'x'}, spread: zoneSpread()}), nodes), {a1: 'ok', b1: 'ok', c1: 'ok'})
    assert.deepEqual(verdicts(pods, pod('p', {labels: web, nodeSelector: {pool: 'x'}, spread: zoneSpread({nodeAffinityPolicy: 'Ignore'})}), nodes), {a1: 'ok', b1: NO, c1: NO})
  })

  it('leaves out tainted nodes only with nodeTaintsPolicy Honor', () => {
    const nodes = [node('a1', {zone: 'a', taints: [{key: 'k', effect: 'NoSchedule'}]}), node('b1', {zone: 'b'})]
    const pods = placed({b1: 1})
    assert.deepEqual(verdicts(pods, pod('p', {labels: web, spread: zoneSpread()}), nodes), {a1: 'ok', b1: NO})
    assert.deepEqual(verdicts(pods, pod('p', {labels: web, spread: zoneSpread({nodeTaintsPolicy: 'Honor'})}), nodes), {a1: 'ok', b1: 'ok'})
  })

  it('ignores terminating pods and other namespaces', () => {
    const pods = [pod('t', {nodeName: 'a1', labels: web, deleting: true}), ...placed({a1: 3}, web, 'other')]
    assert.deepEqual(verdicts(pods, pod('p', {labels: web, spread: zoneSpread()})), {a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok'})
  })

  it('narrows the selector with matchLabelKeys', () => {
    const old = placed({a1: 3}, {app: 'web', 'pod-template-hash': 'v1'})
    const p = pod('p', {labels: {app: 'web', 'pod-template-hash': 'v2'}, spread: zoneSpread({matchLabelKeys: ['pod-template-hash']})})
    assert.deepEqual(verdicts(old, p), {a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok'})
  })

  it('updates counts through AddPod/RemovePod', () => {
    const pods = placed({a1: 1})
    const c = cycle({nodes: zones(), pods}, pod('p', {labels: web, spread: zoneSpread()}))
    pl.preFilter(c.state, c.pi)
    assert.equal(pl.filter(c.state, c.pi, c.ni('a2'))?.code, 'Unschedulable')
    const copy = c.state.clone()
    pl.extensions.removePod(copy, c.pi, c.snapshot.podInfo(pods[0]!), c.ni('a1'))
    assert.equal(pl.filter(copy, c.pi, c.ni('a2')), null)
    assert.equal(pl.filter(c.state, c.pi, c.ni('a2'))?.code, 'Unschedulable')
  })
})

describe('scheduler plugins: PodTopologySpread score', () => {
  const pl = newPodTopologySpread()
  const scores = (state: Parameters<typeof cycle>[0], p: ReturnType<typeof pod>, names = ['a1', 'a2', 'b1', 'c1']) => {
    const c = cycle(state, p)
    const nodes = names.map((n) => c.ni(n))
    if (pl.preScore(c.state, c.pi, nodes)?.code === 'Skip') return 'skip'
    const raw = nodes.map((n) => pl.score(c.state, c.pi, n))
    const s = Float64Array.from(raw)
    pl.normalizeScore(c.state, c.pi, s, nodes)
    return {raw, normalized: [...s]}
  }

  it('scores ScheduleAnyway constraints by matching pods per domain, log-weighted', () => {
    const r = scores({nodes: zones(), pods: placed({a1: 2, b1: 1})}, pod('p', {labels: web, spread: zoneSpread({whenUnsatisfiable: 'ScheduleAnyway'})}))
    // weight log(3 + 2) = 1.609: zone a 2 pods -> 3, zone b 1 pod -> 2, zone c -> 0
    assert.deepEqual(r, {raw: [3, 3, 2, 0], normalized: [0, 0, 33, 100]})
  })

  it('uses the system default constraints with the selector of the owning ReplicaSet', () => {
    const rs = {kind: 'ReplicaSet', metadata: {name: 'web-1', namespace: 'default'}, spec: {selector: {matchLabels: web}}}
    const r = scores({nodes: zones(), pods: placed({a1: 2}), replicaSets: [rs]}, pod('p', {labels: web, owner: {kind: 'ReplicaSet', name: 'web-1'}}))
    // hostname (maxSkew 3, weight log 6) + zone (maxSkew 5, weight log 5)
    assert.deepEqual(r, {raw: [13, 9, 6, 6], normalized: [46, 76, 100, 100]})
  })

  it('skips pods with no soft constraints and nothing selecting them', () => {
    assert.equal(scores({nodes: zones(), pods: placed({a1: 2})}, pod('p', {labels: web})), 'skip')
  })

  it('gives 0 to nodes missing an explicit constraint key', () => {
    const nodes = [...zones(), node('bare')]
    const r = scores({nodes, pods: placed({a1: 1})}, pod('p', {labels: web, spread: zoneSpread({whenUnsatisfiable: 'ScheduleAnyway'})}), ['a1', 'b1', 'bare'])
    // Two domains among the scored nodes: weight log(4) = 1.39, one pod in zone a -> 1
    assert.deepEqual(r, {raw: [1, 0, 0], normalized: [0, 100, 0]})
  })

  it('merges Services and a ReplicationController into the default selector', () => {
    const c = cycle({
      nodes: zones(),
      services: [{metadata: {name: 's', namespace: 'default'}, spec: {selector: {app: 'web'}}}, {metadata: {name: 'other', namespace: 'default'}, spec: {selector: {app: 'db'}}}],
      replicationControllers: [{metadata: {name: 'rc', namespace: 'default'}, spec: {selector: {tier: 'front'}}}],
    }, pod('p', {labels: {app: 'web', tier: 'front'}, owner: {kind: 'ReplicationController', name: 'rc', apiVersion: 'v1'}}))
    assert.equal(defaultSelector(c.snapshot, c.pi).toString(), 'app=web,tier=front')
  })
})
