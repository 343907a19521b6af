// PodDisruptionBudget status from the disruption controller: counts for minAvailable (number and
// percentage) and maxUnavailable against the Deployment's scale, evictions recorded by the eviction
// subresource, the two-minute DeletionTimeout, unmanaged pods and an empty selection.
import {strict as assert} from 'node:assert'
import {goSelectorString, scaled} from '../../../src/reconcile/controllers/disruption.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

function pdb(name: string, spec: Any): Any {
  return {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name}, spec: {selector: {matchLabels: {app: 'web'}}, ...spec}}
}

function getPdb(c: Cluster, name: string): Any {
  return c.api.ok(c.api.get('poddisruptionbudgets', name))
}

function counts(c: Cluster, name: string): Any {
  const s = getPdb(c, name).status
  const cond = s.conditions.find((x: Any) => x.type === 'DisruptionAllowed')
  return {expected: s.expectedPods, desired: s.desiredHealthy, healthy: s.currentHealthy, allowed: s.disruptionsAllowed, condition: `${cond.status}/${cond.reason}`}
}

function now(c: Cluster): string {
  return c.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
}

function markReady(c: Cluster): void {
  for (const p of c.api.ok(c.api.list('pods')).items as Any[]) {
    if ((p.status?.conditions ?? []).some((x: Any) => x.type === 'Ready' && x.status === 'True')) continue
    c.api.ok(c.api.patch('pods', p.metadata.name, 'merge', {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: now(c)}]}}, {}, 'status'))
  }
}

function deployment(replicas: number): Any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'},
    spec: {replicas, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx'}]}}},
  }
}

function evict(c: Cluster, pod: string) {
  return c.cp.handle({verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: pod, subresource: 'eviction', body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name: pod}}})
}

describe('disruption controller', () => {
  it('computes minAvailable as a number, a percentage, and maxUnavailable against the Deployment', () => {
    const c = newCluster(7, {controllers: ['replicaset', 'deployment', 'disruption']})
    c.api.ok(c.api.create('deployments', deployment(4)))
    c.cp.settle({horizonMs: 0})
    c.api.ok(c.api.create('poddisruptionbudgets', pdb('min', {minAvailable: 3})))
    c.api.ok(c.api.create('poddisruptionbudgets', pdb('pct', {minAvailable: '60%'})))
    c.api.ok(c.api.create('poddisruptionbudgets', pdb('max', {maxUnavailable: '30%'})))
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(counts(c, 'min'), {expected: 4, desired: 3, healthy: 0, allowed: 0, condition: 'False/InsufficientPods'})
    markReady(c)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(counts(c, 'min'), {expected: 4, desired: 3, healthy: 4, allowed: 1, condition: 'True/SufficientPods'})
    assert.deepEqual(counts(c, 'pct'), {expected: 4, desired: 3, healthy: 4, allowed: 1, condition: 'True/SufficientPods'}, '60% of 4 rounds up to 3')
    assert.deepEqual(counts(c, 'max'), {expected: 4, desired: 2, healthy: 4, allowed: 2, condition: 'True/SufficientPods'}, '30% of 4 rounds up to 2 unavailable')
    assert.equal(getPdb(c, 'min').status.observedGeneration, 1)
    // Scaling the Deployment changes what percentages mean.
    c.api.ok(c.api.patch('deployments', 'web', 'merge', {spec: {replicas: 10}}))
    c.cp.settle({horizonMs: 0})
    markReady(c)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(counts(c, 'max'), {expected: 10, desired: 7, healthy: 10, allowed: 3, condition: 'True/SufficientPods'})
  })

  it('counts an eviction until the pod goes, and forgets it after two minutes if it does not', () => {
    const c = newCluster(7, {controllers: ['replicaset', 'deployment', 'disruption']})
    c.api.ok(c.api.create('deployments', deployment(3)))
    c.cp.settle({horizonMs: 0})
    markReady(c)
    c.api.ok(c.api.create('poddisruptionbudgets', pdb('web', {minAvailable: 2})))
    c.cp.settle({horizonMs: 0})
    assert.equal(counts(c, 'web').allowed, 1)
    const [first, second] = (c.api.ok(c.api.list('pods')).items as Any[]).map((p) => p.metadata.name)
    // Hold the pod so the eviction's deletion does not remove it at once.
    c.api.ok(c.api.patch('pods', first, 'merge', {metadata: {finalizers: ['test/hold']}}))
    assert.equal(evict(c, first).status, 201)
    const refused = evict(c, second)
    assert.equal(refused.status, 429, 'the budget is used up until the controller recomputes')
    c.cp.settle({horizonMs: 0})
    // The evicted pod is terminating (still selected: minAvailable counts pods, 4 now), its
    // replacement not ready yet: 2 healthy, none allowed.
    assert.deepEqual(counts(c, 'web'), {expected: 4, desired: 2, healthy: 2, allowed: 0, condition: 'False/InsufficientPods'})
    assert.equal(getPdb(c, 'web').status.disruptedPods, undefined, 'a pod being deleted leaves disruptedPods')
    markReady(c)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(counts(c, 'web'), {expected: 4, desired: 2, healthy: 3, allowed: 1, condition: 'True/SufficientPods'})
  })

  it('drops an eviction whose pod was not deleted after DeletionTimeout, with NotDeleted', () => {
    const c = newCluster(7, {controllers: ['replicaset', 'deployment', 'disruption']})
    c.api.ok(c.api.create('deployments', deployment(3)))
    c.cp.settle({horizonMs: 0})
    markReady(c)
    c.api.ok(c.api.create('poddisruptionbudgets', pdb('web', {minAvailable: 1})))
    c.cp.settle({horizonMs: 0})
    const name = (c.api.ok(c.api.list('pods')).items as Any[])[0].metadata.name
    // What the eviction subresource writes, without the deletion that should follow.
    const p = getPdb(c, 'web')
    c.api.ok(c.cp.handle({verb: 'update', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web', subresource: 'status',
      body: {...p, status: {...p.status, disruptionsAllowed: 1, disruptedPods: {[name]: now(c)}}}}))
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(getPdb(c, 'web').status.disruptedPods, {[name]: now(c)})
    assert.equal(counts(c, 'web').healthy, 2)
    c.cp.settle({horizonMs: 130_000})
    assert.equal(getPdb(c, 'web').status.disruptedPods, undefined)
    assert.equal(counts(c, 'web').healthy, 3)
    const ev = (c.api.ok(c.api.list('events')).items as Any[]).find((e) => e.reason === 'NotDeleted')
    assert.equal(ev?.message, 'Pod was expected by PDB default/web to be deleted but it wasn\'t')
  })

  it('warns about unmanaged pods and reports an empty selection', () => {
    const c = newCluster(7, {controllers: ['disruption']})
    c.api.ok(c.api.create('poddisruptionbudgets', pdb('web', {maxUnavailable: 1})))
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(counts(c, 'web'), {expected: 0, desired: 0, healthy: 0, allowed: 0, condition: 'False/InsufficientPods'})
    c.api.ok(c.api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'lone', labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}))
    c.cp.settle({horizonMs: 0})
    const reasons = (c.api.ok(c.api.list('events')).items as Any[]).map((e) => `${e.reason}: ${e.message}`)
    assert.ok(reasons.includes('NoPods: No matching pods found'))
    assert.ok(reasons.includes('UnmanagedPods: Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.'), reasons.join('\n'))
  })

  it('scales percentages up', () => {
    assert.equal(scaled('30%', 4), 2)
    assert.equal(scaled('50%', 3), 2)
    assert.equal(scaled(2, 10), 2)
    assert.equal(goSelectorString({matchExpressions: [{key: 'tier', operator: 'In', values: ['a', 'b']}]}), '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}')
  })
})
