// The Job controller on a control plane settling on a virtual clock: pods created in steps, the
// tracking finalizer, back-off delays, the 1.31+ conditions, deadlines, Indexed Jobs, suspend, pod
// failure policy, backoffLimitPerIndex, orphaned pods, and a full run with scheduler and kubelets.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
const FINALIZER = 'batch.kubernetes.io/job-tracking'

function job(name: string, spec: Any = {}, podSpec: Any = {}): Any {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: {name},
    spec: {template: {spec: {containers: [{name: 'c', image: 'busybox'}], restartPolicy: 'Never', ...podSpec}}, ...spec},
  }
}

const iso = (c: Cluster) => c.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
/** Seconds since the cluster started. */
const secs = (c: Cluster) => (c.clock.now().getTime() - T0) / 1000

function podsOf(c: Cluster, name: string): Any[] {
  const items = c.api.ok(c.api.list('pods', {labelSelector: `batch.kubernetes.io/job-name=${name}`})).items as Any[]
  return items.sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || a.metadata.name.localeCompare(b.metadata.name))
}

const running = (c: Cluster, name: string) => podsOf(c, name).filter((p) => !['Succeeded', 'Failed'].includes(p.status.phase) && !p.metadata.deletionTimestamp)
const getJob = (c: Cluster, name: string): Any => c.api.ok(c.api.get('jobs', name))

/** What a kubelet writes when the pod's only container exits with `code` (now). */
function finish(c: Cluster, pod: Any, code = 0, extraConditions: Any[] = []): void {
  const now = iso(c)
  c.api.ok(c.api.patch('pods', pod.metadata.name, 'merge', {status: {
    phase: code === 0 ? 'Succeeded' : 'Failed',
    conditions: [...extraConditions, {type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: now}],
    containerStatuses: [{name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, started: false,
      state: {terminated: {exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now}}}],
  }}, {}, 'status'))
}

/** What a kubelet writes when the pod runs and is ready. */
function markRunning(c: Cluster, pod: Any): void {
  c.api.ok(c.api.patch('pods', pod.metadata.name, 'merge', {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: iso(c)}]}}, {}, 'status'))
}

/** The Job's events in order, as `reason: message`. */
function events(c: Cluster, name: string): string[] {
  return (c.api.ok(c.api.list('events')).items as Any[]).filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === name)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((e) => `${e.reason}: ${e.message}`)
}

function cond(type: string, time: string, reason: string, message: string): Any {
  return {type, status: 'True', lastProbeTime: time, lastTransitionTime: time, reason, message}
}

const COMPLETE = 'Reached expected number of succeeded pods'
const BACKOFF = 'Job has reached the specified backoff limit'

describe('Job controller', () => {
  it('runs completions 3 with parallelism 2 in steps and completes with SuccessCriteriaMet then Complete', () => {
    const c = newCluster(7, {controllers: ['job']})
    const created = c.api.ok(c.api.create('jobs', job('pi', {completions: 3, parallelism: 2})))
    c.cp.settle({horizonMs: 0})
    let pods = podsOf(c, 'pi')
    assert.equal(pods.length, 2, 'parallelism 2: two pods first')
    for (const p of pods) {
      assert.match(p.metadata.name, /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      assert.deepEqual(p.metadata.finalizers, [FINALIZER])
      assert.deepEqual(p.metadata.labels, {
        'batch.kubernetes.io/controller-uid': created.metadata.uid, 'batch.kubernetes.io/job-name': 'pi',
        'controller-uid': created.metadata.uid, 'job-name': 'pi',
      })
      assert.deepEqual(p.metadata.ownerReferences, [{apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true}])
    }
    assert.deepEqual(getJob(c, 'pi').status, {startTime: at(0), active: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0})

    finish(c, pods[0])
    c.cp.settle({horizonMs: 5000})
    pods = podsOf(c, 'pi')
    assert.equal(pods.length, 3, 'the third pod is created once one succeeded')
    assert.equal(pods[2].metadata.creationTimestamp, at(1), 'pod events are batched: the Job syncs 1 s later')
    assert.deepEqual(pods[0].metadata.finalizers, undefined, 'the finalizer goes once the pod is counted')
    assert.deepEqual(getJob(c, 'pi').status, {startTime: at(0), active: 2, succeeded: 1, terminating: 0, uncountedTerminatedPods: {}, ready: 0})

    finish(c, pods[1])
    c.cp.settle({horizonMs: 5000})
    assert.equal(podsOf(c, 'pi').length, 3, 'no more pods than the remaining completions')
    finish(c, podsOf(c, 'pi')[2])
    const done = secs(c) + 1
    c.cp.settle({horizonMs: 5000})
    const st = getJob(c, 'pi').status
    assert.deepEqual(st, {
      conditions: [cond('SuccessCriteriaMet', at(done), 'CompletionsReached', COMPLETE), cond('Complete', at(done), 'CompletionsReached', COMPLETE)],
      startTime: at(0), completionTime: at(done), succeeded: 3, terminating: 0, uncountedTerminatedPods: {}, ready: 0,
    })
    assert.ok(podsOf(c, 'pi').every((p) => p.metadata.finalizers === undefined))
    const names = podsOf(c, 'pi').map((p) => p.metadata.name)
    // Pods created in one sync carry the same timestamp: their Events come in creation order, which
    // is not the order of the random names.
    const evs = events(c, 'pi')
    assert.deepEqual(evs.slice(0, 3).sort(), names.map((n) => `SuccessfulCreate: Created pod: ${n}`).sort())
    assert.deepEqual(evs.slice(3), ['Completed: Job completed'])
  })

  it('re-creates failed pods after 10 s, then 20 s, and fails with BackoffLimitExceeded', () => {
    const c = newCluster(7, {controllers: ['job']})
    c.api.ok(c.api.create('jobs', job('bad', {backoffLimit: 2})))
    c.cp.settle({horizonMs: 0})
    finish(c, podsOf(c, 'bad')[0], 1)
    c.cp.settle({horizonMs: 9000})
    assert.equal(podsOf(c, 'bad').length, 1, 'still backing off 9 s after the failure')
    assert.deepEqual(getJob(c, 'bad').status, {startTime: at(0), failed: 1, terminating: 0, uncountedTerminatedPods: {}, ready: 0})
    c.cp.settle({horizonMs: 60_000})
    let pods = podsOf(c, 'bad')
    assert.equal(pods.length, 2)
    assert.equal(pods[1].metadata.creationTimestamp, at(10), 'first re-creation 10 s after the failure')

    const second = secs(c)
    finish(c, pods[1], 1)
    c.cp.settle({horizonMs: 60_000})
    pods = podsOf(c, 'bad')
    assert.equal(pods[2].metadata.creationTimestamp, at(second + 20), 'second re-creation 20 s after the second failure')

    const third = secs(c)
    finish(c, pods[2], 1)
    c.cp.settle({horizonMs: 60_000})
    assert.equal(podsOf(c, 'bad').length, 3)
    assert.deepEqual(getJob(c, 'bad').status, {
      conditions: [cond('FailureTarget', at(third + 1), 'BackoffLimitExceeded', BACKOFF), cond('Failed', at(third + 1), 'BackoffLimitExceeded', BACKOFF)],
      startTime: at(0), failed: 3, terminating: 0, uncountedTerminatedPods: {}, ready: 0,
    })
    assert.deepEqual(events(c, 'bad').slice(-1), [`BackoffLimitExceeded: ${BACKOFF}`])
  })

  it('deletes the active pods when the backoff limit is reached and adds Failed once they are gone', () => {
    const c = newCluster(7, {controllers: ['job']})
    c.api.ok(c.api.create('jobs', job('two', {backoffLimit: 0, parallelism: 2, completions: 2})))
    c.cp.settle({horizonMs: 0})
    const [a, b] = podsOf(c, 'two')
    markRunning(c, b)
    finish(c, a, 1)
    c.cp.settle({horizonMs: 1000})
    const mid = getJob(c, 'two').status
    assert.deepEqual(mid.conditions, [cond('FailureTarget', at(1), 'BackoffLimitExceeded', BACKOFF)])
    assert.equal(mid.failed, 2, 'the deleted pod counts as failed')
    assert.equal(c.api.get('pods', b.metadata.name).status, 404, 'unscheduled, it went at once when its finalizer was removed')
    c.cp.settle({horizonMs: 5000})
    assert.deepEqual(getJob(c, 'two').status, {
      conditions: [cond('FailureTarget', at(1), 'BackoffLimitExceeded', BACKOFF), cond('Failed', at(2), 'BackoffLimitExceeded', BACKOFF)],
      startTime: at(0), failed: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0,
    })
    assert.deepEqual(events(c, 'two').slice(2), [`SuccessfulDelete: Deleted pod: ${b.metadata.name}`, `BackoffLimitExceeded: ${BACKOFF}`])
  })

  it('fails a Job active longer than activeDeadlineSeconds (DeadlineExceeded)', () => {
    const c = newCluster(7, {controllers: ['job']})
    c.api.ok(c.api.create('jobs', job('slow', {activeDeadlineSeconds: 45})))
    c.cp.settle({horizonMs: 0})
    markRunning(c, podsOf(c, 'slow')[0])
    c.cp.settle({horizonMs: 44_000})
    assert.equal(getJob(c, 'slow').status.conditions, undefined)
    assert.equal(getJob(c, 'slow').status.ready, 1)
    c.cp.settle({horizonMs: 60_000})
    const msg = 'Job was active longer than specified deadline'
    assert.deepEqual(getJob(c, 'slow').status, {
      conditions: [cond('FailureTarget', at(45), 'DeadlineExceeded', msg), cond('Failed', at(46), 'DeadlineExceeded', msg)],
      startTime: at(0), failed: 1, terminating: 0, uncountedTerminatedPods: {}, ready: 0,
    })
    assert.deepEqual(events(c, 'slow').slice(-1), [`DeadlineExceeded: ${msg}`])
  })

  it('runs an Indexed Job: index annotation, label, hostname and env; completedIndexes', () => {
    const c = newCluster(7, {controllers: ['job']})
    c.api.ok(c.api.create('jobs', job('idx', {completions: 4, parallelism: 3, completionMode: 'Indexed'})))
    c.cp.settle({horizonMs: 0})
    let pods = podsOf(c, 'idx')
    const byIndex = (i: number) => pods.find((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === String(i))!
    assert.deepEqual(pods.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2'])
    for (let i = 0; i < 3; i++) {
      const p = byIndex(i)
      assert.match(p.metadata.name, new RegExp(`^idx-${i}-[a-z0-9]{5}$`))
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], String(i))
      assert.equal(p.spec.hostname, `idx-${i}`)
      assert.deepEqual(p.spec.containers[0].env, [{name: 'JOB_COMPLETION_INDEX', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}])
    }
    finish(c, byIndex(1))
    finish(c, byIndex(2))
    c.cp.settle({horizonMs: 5000})
    assert.equal(getJob(c, 'idx').status.completedIndexes, '1,2')
    pods = podsOf(c, 'idx')
    assert.equal(pods.filter((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === '3').length, 1, 'index 3 started')
    finish(c, byIndex(0))
    finish(c, byIndex(3))
    c.cp.settle({horizonMs: 5000})
    const st = getJob(c, 'idx').status
    assert.equal(st.completedIndexes, '0-3')
    assert.equal(st.succeeded, 4)
    assert.deepEqual(st.conditions.map((x: Any) => x.type), ['SuccessCriteriaMet', 'Complete'])
  })

  it('suspends (deleting its pods, not counting them) and resumes (restarting startTime)', () => {
    const c = newCluster(7, {controllers: ['job']})
    c.api.ok(c.api.create('jobs', job('sus', {suspend: true})))
    c.cp.settle({horizonMs: 0})
    assert.equal(podsOf(c, 'sus').length, 0)
    assert.deepEqual(getJob(c, 'sus').status, {conditions: [cond('Suspended', at(0), 'JobSuspended', 'Job suspended')], terminating: 0, uncountedTerminatedPods: {}, ready: 0})
    c.clock.advance(60_000)
    c.api.ok(c.api.patch('jobs', 'sus', 'merge', {spec: {suspend: false}}))
    c.cp.settle({horizonMs: 0})
    const pod = podsOf(c, 'sus')[0]
    let st = getJob(c, 'sus').status
    assert.deepEqual(st.conditions, [{type: 'Suspended', status: 'False', lastProbeTime: at(60), lastTransitionTime: at(60), reason: 'JobResumed', message: 'Job resumed'}])
    assert.equal(st.startTime, at(60))
    c.api.ok(c.api.patch('jobs', 'sus', 'merge', {spec: {suspend: true}}))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.get('pods', pod.metadata.name).status, 404)
    st = getJob(c, 'sus').status
    assert.equal(st.failed, undefined, 'pods of a suspended Job are not failures')
    assert.equal(st.active, undefined)
    // The second Suspended event is the first one seen again (count 2), as client-go's correlator does.
    assert.deepEqual(events(c, 'sus'), ['Suspended: Job suspended', `SuccessfulCreate: Created pod: ${pod.metadata.name}`, 'Resumed: Job resumed', `SuccessfulDelete: Deleted pod: ${pod.metadata.name}`])
  })

  it('applies podFailurePolicy: FailJob on an exit code, Ignore on DisruptionTarget', () => {
    const c = newCluster(7, {controllers: ['job']})
    const policy = {rules: [
      {action: 'FailJob', onExitCodes: {containerName: 'c', operator: 'In', values: [42]}},
      {action: 'Ignore', onPodConditions: [{type: 'DisruptionTarget'}]},
    ]}
    c.api.ok(c.api.create('jobs', job('pfp', {backoffLimit: 0, podFailurePolicy: policy})))
    c.cp.settle({horizonMs: 0})
    const first = podsOf(c, 'pfp')[0]
    finish(c, first, 137, [{type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: iso(c)}])
    // Ignored failures do not count, but the re-creation still backs off 10 s.
    c.cp.settle({horizonMs: 20_000})
    let st = getJob(c, 'pfp').status
    assert.equal(st.conditions, undefined, 'an ignored failure does not count towards backoffLimit 0')
    assert.equal(st.failed, undefined)
    const second = podsOf(c, 'pfp')[1]
    assert.ok(second, 'replaced')
    finish(c, second, 42)
    c.cp.settle({horizonMs: 5000})
    st = getJob(c, 'pfp').status
    const msg = `Container c for pod default/${second.metadata.name} failed with exit code 42 matching FailJob rule at index 0`
    assert.deepEqual(st.conditions.map((x: Any) => [x.type, x.reason, x.message]), [['FailureTarget', 'PodFailurePolicy', msg], ['Failed', 'PodFailurePolicy', msg]])
    assert.equal(st.failed, 1)
  })

  it('fails indexes past backoffLimitPerIndex (the replacement carries the failure count)', () => {
    const c = newCluster(7, {controllers: ['job']})
    c.api.ok(c.api.create('jobs', job('per', {completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1})))
    c.cp.settle({horizonMs: 0})
    const ofIndex = (i: number) => podsOf(c, 'per').filter((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === String(i))
    assert.equal(ofIndex(0)[0].metadata.annotations['batch.kubernetes.io/job-index-failure-count'], '0')
    finish(c, ofIndex(0)[0], 1)
    c.cp.settle({horizonMs: 20_000})
    assert.equal(ofIndex(0).length, 2)
    assert.equal(ofIndex(0)[1].metadata.creationTimestamp, at(10), 'per-index back-off: 10 s')
    assert.equal(ofIndex(0)[1].metadata.annotations['batch.kubernetes.io/job-index-failure-count'], '1')
    finish(c, ofIndex(0)[1], 1)
    finish(c, ofIndex(1)[0])
    c.cp.settle({horizonMs: 20_000})
    const st = getJob(c, 'per').status
    assert.equal(st.failedIndexes, '0')
    assert.equal(st.completedIndexes, '1')
    assert.deepEqual(st.conditions.map((x: Any) => [x.type, x.reason, x.message]), [['FailureTarget', 'FailedIndexes', 'Job has failed indexes'], ['Failed', 'FailedIndexes', 'Job has failed indexes']])
  })

  it('removes the tracking finalizer from the pods of a deleted Job', () => {
    const c = newCluster(7, {controllers: ['job', 'gc']})
    c.api.ok(c.api.create('jobs', job('gone', {parallelism: 2, completions: 2})))
    c.cp.settle({horizonMs: 0})
    assert.equal(podsOf(c, 'gone').length, 2)
    c.api.ok(c.api.delete('jobs', 'gone', {propagationPolicy: 'Background'}))
    c.cp.settle({horizonMs: 5000})
    assert.deepEqual(podsOf(c, 'gone'), [], 'the garbage collector deleted them and nothing held them')
  })

  it('completes with the scheduler and simulated kubelets (pods run 5 s and succeed)', () => {
    const c = newCluster(7, {controllers: ['job', 'scheduler', 'kubelet'], cluster: loadClusterProfile()})
    c.api.ok(c.api.create('jobs', job('pi', {completions: 4, parallelism: 2}, {containers: [{name: 'c', image: 'perl:5.34', command: ['perl', '-e', 'print 1']}]})))
    c.cp.settle({horizonMs: 120_000})
    const st = getJob(c, 'pi').status
    assert.deepEqual(st.conditions.map((x: Any) => [x.type, x.reason]), [['SuccessCriteriaMet', 'CompletionsReached'], ['Complete', 'CompletionsReached']])
    assert.equal(st.succeeded, 4)
    const pods = podsOf(c, 'pi')
    assert.equal(pods.length, 4)
    assert.ok(pods.every((p) => p.status.phase === 'Succeeded' && p.metadata.finalizers === undefined && p.spec.nodeName))
    assert.equal(events(c, 'pi').at(-1), 'Completed: Job completed')
  })
})
