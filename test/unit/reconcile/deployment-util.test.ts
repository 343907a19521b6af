// The Deployment controller's pure helpers: hash encoding, fenceposts, proportions and conditions.
import {strict as assert} from 'node:assert'
import {
  computeHash, equalIgnoreHash, fnv32a, getCondition, maxSurge, maxUnavailable, newCondition, proportion, resolveFenceposts,
  safeEncodeString, setCondition, setNewReplicaSetAnnotations,
} from '../../../src/reconcile/controllers/deployment-util.js'
import type {Any} from '../apiserver/helpers.js'

const enc = (s: string) => new TextEncoder().encode(s)

function dep(replicas: number, rolling: Any = {maxSurge: '25%', maxUnavailable: '25%'}, extra: Any = {}): Any {
  return {metadata: {name: 'web', annotations: {}}, spec: {replicas, strategy: {type: 'RollingUpdate', rollingUpdate: rolling}}, status: {}, ...extra}
}

describe('Deployment controller helpers', () => {
  it('FNV-32a matches the published test vectors', () => {
    assert.equal(fnv32a(enc('')), 0x811c9dc5)
    assert.equal(fnv32a(enc('a')), 0xe40c292c)
    assert.equal(fnv32a(enc('foobar')), 0xbf9cf968)
  })

  it('safe-encodes the decimal digits as apimachinery does (code point modulo 27)', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf')
  })

  it('hashes templates independently of key order, and differently with a collision count', () => {
    const a = {metadata: {labels: {app: 'web', tier: 'x'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}
    const b = {spec: {containers: [{image: 'nginx', name: 'c'}]}, metadata: {labels: {tier: 'x', app: 'web'}}}
    assert.equal(computeHash(a), computeHash(b))
    assert.match(computeHash(a), /^[456789bcdf]{1,10}$/)
    assert.notEqual(computeHash(a, 1), computeHash(a))
    assert.notEqual(computeHash(a, 1), computeHash(a, 2))
  })

  it('compares templates ignoring only the pod-template-hash label', () => {
    const t = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}
    assert.ok(equalIgnoreHash(t, {...t, metadata: {labels: {app: 'web', 'pod-template-hash': 'abc'}}}))
    assert.ok(!equalIgnoreHash(t, {...t, metadata: {labels: {app: 'web', other: 'x'}}}))
    // What kubectl rollout undo sends back: the template with Go's zero creationTimestamp.
    assert.ok(equalIgnoreHash(t, {...t, metadata: {creationTimestamp: null, labels: {app: 'web', 'pod-template-hash': 'abc'}}}))
    assert.ok(!equalIgnoreHash(t, {...t, spec: {containers: [{name: 'c', image: 'nginx:2'}]}}))
  })

  it('rounds surge up and unavailable down, and never lets both be zero', () => {
    assert.deepEqual(resolveFenceposts('25%', '25%', 10), {surge: 3, unavailable: 2})
    assert.deepEqual(resolveFenceposts('25%', '25%', 3), {surge: 1, unavailable: 0})
    assert.deepEqual(resolveFenceposts(0, '0%', 5), {surge: 0, unavailable: 1})
    assert.deepEqual(resolveFenceposts(2, 1, 5), {surge: 2, unavailable: 1})
    assert.throws(() => resolveFenceposts('25', 1, 5), /invalid value/)
    assert.equal(maxUnavailable(dep(2, {maxSurge: 0, maxUnavailable: 5})), 2, 'capped at replicas')
    assert.equal(maxUnavailable(dep(0)), 0)
    assert.equal(maxSurge({spec: {replicas: 3, strategy: {type: 'Recreate'}}}), 0)
  })

  it('shares added replicas by size relative to the size before the scale', () => {
    const d = dep(20)
    const old = {metadata: {annotations: {'deployment.kubernetes.io/max-replicas': '13'}}, spec: {replicas: 8}}
    assert.equal(proportion(old, d, 12, 0), 7, 'round(8*25/13) - 8')
    assert.equal(proportion(old, d, 12, 10), 2, 'never more than what is left')
    const young = {metadata: {annotations: {'deployment.kubernetes.io/max-replicas': '13'}}, spec: {replicas: 5}}
    assert.equal(proportion(young, d, 12, 7), 5, 'round(9.6) - 5: rounded, not truncated')
    assert.equal(proportion({...old, spec: {replicas: 0}}, d, 12, 0), 0, 'never from zero')
    assert.equal(proportion(old, dep(0), -13, 0), -8, 'to zero: the whole size')
  })

  it('keeps a condition with the same status and reason, and its transition time on a reason change', () => {
    const status: Any = {}
    const t0 = new Date(Date.UTC(2026, 0, 1)), t1 = new Date(Date.UTC(2026, 0, 2))
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', t0))
    setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'b', t0))
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'changed', t1))
    assert.equal(getCondition(status, 'Progressing')!.message, 'a', 'same status and reason: untouched')
    setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'c', t1))
    const p = getCondition(status, 'Progressing')!
    assert.equal(p.lastTransitionTime, '2026-01-01T00:00:00Z')
    assert.equal(p.lastUpdateTime, '2026-01-02T00:00:00Z')
    assert.deepEqual(status.conditions.map((c: Any) => c.type), ['Available', 'Progressing'], 'a replaced condition moves to the end')
  })

  it('raises a returning ReplicaSet revision and records the old one in revision-history', () => {
    const d = dep(3, {maxSurge: 1, maxUnavailable: 0}, {metadata: {name: 'web', annotations: {team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}'}}})
    const rs: Any = {metadata: {annotations: {'deployment.kubernetes.io/revision': '1'}}, spec: {replicas: 0}}
    assert.ok(setNewReplicaSetAnnotations(d, rs, 3, true))
    assert.deepEqual(rs.metadata.annotations, {'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1', team: 'a'})
    assert.ok(setNewReplicaSetAnnotations(d, rs, 5, true))
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/revision-history'], '1,3')
    assert.ok(!setNewReplicaSetAnnotations(d, rs, 4, true), 'never lowered')
    const fresh: Any = {metadata: {}, spec: {replicas: 0}}
    setNewReplicaSetAnnotations(d, fresh, 1, false)
    assert.equal(fresh.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '3')
    assert.equal(fresh.metadata.annotations['deployment.kubernetes.io/max-replicas'], '4')
  })
})
