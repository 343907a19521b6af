// The TTL-after-finished controller: finished Jobs deleted ttlSecondsAfterFinished after they
// finished (Foreground, so their pods go first), on the virtual clock.
import {strict as assert} from 'node:assert'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

function job(name: string, ttl?: number): Any {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: {name},
    spec: {...(ttl !== undefined ? {ttlSecondsAfterFinished: ttl} : {}), template: {spec: {containers: [{name: 'c', image: 'busybox'}], restartPolicy: 'Never'}}},
  }
}

const iso = (c: Cluster) => c.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
const podsOf = (c: Cluster, name: string): Any[] => c.api.ok(c.api.list('pods', {labelSelector: `job-name=${name}`})).items

/** Plays the kubelet: the Jobs' pods succeed now. */
function succeed(c: Cluster, ...names: string[]): void {
  c.cp.settle({horizonMs: 0})
  const now = iso(c)
  for (const p of names.flatMap((n) => podsOf(c, n))) {
    c.api.ok(c.api.patch('pods', p.metadata.name, 'merge', {status: {phase: 'Succeeded', conditions: [{type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: now}]}}, {}, 'status'))
  }
}

/** Runs the Job's pod to success; returns when the Job finished (ms since the epoch). */
function runToCompletion(c: Cluster, name: string): number {
  succeed(c, name)
  c.cp.settle({horizonMs: 0})
  c.clock.advance(1000)
  c.cp.settle({horizonMs: 0})
  const done = (c.api.ok(c.api.get('jobs', name)).status.conditions as Any[]).find((x) => x.type === 'Complete')
  assert.ok(done, 'the Job completed')
  return Date.parse(done.lastTransitionTime)
}

describe('TTL-after-finished controller', () => {
  it('deletes a finished Job and its pods ttlSecondsAfterFinished after it finished', () => {
    const c = newCluster(7, {controllers: ['job', 'ttl-after-finished', 'gc']})
    c.api.ok(c.api.create('jobs', job('pi', 100)))
    const finished = runToCompletion(c, 'pi')
    c.clock.advance(finished + 99_000 - c.clock.now().getTime())
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.get('jobs', 'pi').status, 200, 'still there 99 s after')
    c.cp.settle({horizonMs: 5000})
    assert.equal(c.clock.now().getTime(), finished + 100_000, 'the expiry is a work timer the settle moved to')
    assert.equal(c.api.get('jobs', 'pi').status, 404)
    assert.deepEqual(podsOf(c, 'pi'), [], 'Foreground: the pods were deleted first')
  })

  it('deletes at once with ttlSecondsAfterFinished 0, and leaves Jobs without a TTL', () => {
    const c = newCluster(7, {controllers: ['job', 'ttl-after-finished', 'gc']})
    c.api.ok(c.api.create('jobs', job('now', 0)))
    c.api.ok(c.api.create('jobs', job('keep')))
    succeed(c, 'now', 'keep')
    c.cp.settle({horizonMs: 0})
    c.clock.advance(1000)
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.get('jobs', 'now').status, 404, 'deleted in the same settle that completed it')
    c.clock.advance(24 * 3600_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.get('jobs', 'keep').status, 200)
  })

  it('follows a TTL changed after the Job finished', () => {
    const c = newCluster(7, {controllers: ['job', 'ttl-after-finished', 'gc']})
    c.api.ok(c.api.create('jobs', job('pi', 3600)))
    const finished = runToCompletion(c, 'pi')
    c.api.ok(c.api.patch('jobs', 'pi', 'merge', {spec: {ttlSecondsAfterFinished: 10}}))
    c.cp.settle({horizonMs: 30_000})
    assert.equal(c.api.get('jobs', 'pi').status, 404)
    assert.equal(c.clock.now().getTime(), finished + 10_000)
  })
})
