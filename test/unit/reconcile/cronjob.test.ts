// The CronJob controller on the virtual clock: Jobs at their schedule times as the clock advances,
// names and the scheduled-timestamp annotation, status, concurrency policies, history limits,
// startingDeadlineSeconds, suspend and time zones.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {formatInZone, nextInZone} from '../../../src/reconcile/controllers/cronjob.js'
import {parseCronSchedule} from '../../../src/api/cron.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
const minutes = (s: number) => Math.floor((T0 + s * 1000) / 60000)

function cronJob(name: string, spec: Any = {}): Any {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: {name},
    spec: {schedule: '*/5 * * * *', jobTemplate: {spec: {template: {spec: {containers: [{name: 'c', image: 'busybox'}], restartPolicy: 'OnFailure'}}}}, ...spec},
  }
}

function batch(c: Cluster, verb: 'create' | 'get' | 'patch', body?: Any, name?: string, subresource?: string): Any {
  const res = c.cp.handle({verb, group: 'batch', version: 'v1', resource: 'cronjobs', namespace: 'default', name, body, subresource, ...(verb === 'patch' ? {patchType: 'merge' as const} : {})})
  if (res.status >= 300) throw new Error(`${res.status}: ${JSON.stringify(res.body)}`)
  return res.body as Any
}

const getCron = (c: Cluster, name: string) => batch(c, 'get', undefined, name)
const jobs = (c: Cluster): Any[] => (c.api.ok(c.api.list('jobs')).items as Any[]).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
const jobNames = (c: Cluster) => jobs(c).map((j) => j.metadata.name)

function events(c: Cluster, name: string): string[] {
  return (c.api.ok(c.api.list('events')).items as Any[]).filter((e) => e.involvedObject.kind === 'CronJob' && e.involvedObject.name === name)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((e) => `${e.reason}: ${e.message}`)
}

/** Marks a Job finished as the Job controller would (the cronjob-only tests have no Job controller). */
function finishJob(c: Cluster, name: string, type: 'Complete' | 'Failed'): void {
  const t = c.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
  const cond = (ty: string, reason: string) => ({type: ty, status: 'True', lastProbeTime: t, lastTransitionTime: t, reason, message: 'x'})
  const status = type === 'Complete'
    ? {startTime: t, completionTime: t, succeeded: 1, conditions: [cond('SuccessCriteriaMet', 'CompletionsReached'), cond('Complete', 'CompletionsReached')]}
    : {startTime: t, failed: 1, conditions: [cond('FailureTarget', 'BackoffLimitExceeded'), cond('Failed', 'BackoffLimitExceeded')]}
  c.api.ok(c.api.patch('jobs', name, 'merge', {status}, {}, 'status'))
}

describe('CronJob controller', () => {
  it('creates a Job at each schedule time as the clock advances', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    const cj = batch(c, 'create', cronJob('hello', {jobTemplate: {metadata: {labels: {team: 'a'}}, spec: {template: {spec: {containers: [{name: 'c', image: 'busybox'}], restartPolicy: 'OnFailure'}}}}}))
    c.cp.settle()
    assert.deepEqual(jobNames(c), [], 'nothing before the first schedule time')
    c.cp.settle({horizonMs: 5 * 60_000 + 1000})
    const name = `hello-${minutes(300)}`
    assert.deepEqual(jobNames(c), [name])
    const j = jobs(c)[0]
    assert.deepEqual(j.metadata.annotations, {'batch.kubernetes.io/cronjob-scheduled-timestamp': at(300)})
    assert.equal(j.metadata.labels.team, 'a')
    assert.deepEqual(j.metadata.ownerReferences, [{apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true}])
    assert.equal(j.metadata.creationTimestamp, at(300), 'created at the schedule time (+100 ms)')
    assert.deepEqual(getCron(c, 'hello').status, {
      active: [{kind: 'Job', namespace: 'default', name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion}],
      lastScheduleTime: at(300),
    })
    c.cp.settle({horizonMs: 5 * 60_000 + 1000})
    assert.deepEqual(jobNames(c), [name, `hello-${minutes(600)}`], 'Allow: runs overlap')
    assert.equal(getCron(c, 'hello').status.active.length, 2)
    assert.deepEqual(events(c, 'hello'), [`SuccessfulCreate: Created job ${name}`, `SuccessfulCreate: Created job hello-${minutes(600)}`])
  })

  it('Forbid skips a run while the previous Job is active (JobAlreadyActive)', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    batch(c, 'create', cronJob('f', {schedule: '*/1 * * * *', concurrencyPolicy: 'Forbid'}))
    c.cp.settle({horizonMs: 61_000})
    c.cp.settle({horizonMs: 61_000})
    assert.deepEqual(jobNames(c), [`f-${minutes(60)}`])
    assert.deepEqual(events(c, 'f').slice(-1), ['JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'])
    finishJob(c, `f-${minutes(60)}`, 'Complete')
    c.cp.settle({horizonMs: 0})
    // The skipped 12:02 run was never recorded as scheduled: it starts as soon as the Job finished.
    assert.deepEqual(jobNames(c), [`f-${minutes(60)}`, `f-${minutes(120)}`])
    const st = getCron(c, 'f').status
    assert.equal(st.lastScheduleTime, at(120))
    assert.equal(st.lastSuccessfulTime, at(120))
    assert.ok(events(c, 'f').includes(`SawCompletedJob: Saw completed job: f-${minutes(60)}, status: Complete`))
  })

  it('Replace deletes the running Job and starts a new one', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    batch(c, 'create', cronJob('r', {schedule: '*/1 * * * *', concurrencyPolicy: 'Replace'}))
    c.cp.settle({horizonMs: 61_000})
    c.cp.settle({horizonMs: 61_000})
    assert.deepEqual(jobNames(c), [`r-${minutes(120)}`])
    const st = getCron(c, 'r').status
    assert.deepEqual(st.active.map((a: Any) => a.name), [`r-${minutes(120)}`])
    assert.deepEqual(events(c, 'r'), [`SuccessfulCreate: Created job r-${minutes(60)}`, `SuccessfulDelete: Deleted job r-${minutes(60)}`, `SuccessfulCreate: Created job r-${minutes(120)}`])
  })

  it('keeps successfulJobsHistoryLimit / failedJobsHistoryLimit finished Jobs, deleting the oldest', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    batch(c, 'create', cronJob('h', {schedule: '*/1 * * * *', successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1}))
    const names: string[] = []
    for (let i = 1; i <= 5; i++) {
      c.cp.settle({horizonMs: 61_000})
      const name = `h-${minutes(60 * i)}`
      names.push(name)
      finishJob(c, name, i === 2 || i === 3 ? 'Failed' : 'Complete')
      c.cp.settle({horizonMs: 0})
    }
    // Succeeded: 1, 4, 5 -> keep 4, 5. Failed: 2, 3 -> keep 3.
    assert.deepEqual(jobNames(c), [names[2], names[3], names[4]])
    assert.ok(events(c, 'h').includes(`SuccessfulDelete: Deleted job ${names[0]}`))
    assert.ok(events(c, 'h').includes(`SuccessfulDelete: Deleted job ${names[1]}`))
    assert.deepEqual(getCron(c, 'h').status, {lastScheduleTime: at(300), lastSuccessfulTime: at(300)})
  })

  it('skips schedule times older than startingDeadlineSeconds', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    batch(c, 'create', cronJob('late', {schedule: '*/1 * * * *', startingDeadlineSeconds: 10}))
    c.cp.settle({horizonMs: 0})
    // The controller was down from 12:00 to 12:01:30: the 12:01 run is 30 s late, past its deadline.
    c.clock.advance(90_000)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(jobNames(c), [])
    c.cp.settle({horizonMs: 31_000})
    assert.deepEqual(jobNames(c), [`late-${minutes(120)}`])
  })

  it('does nothing while suspended', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    batch(c, 'create', cronJob('s', {schedule: '*/1 * * * *', suspend: true}))
    c.cp.settle({horizonMs: 61_000})
    c.clock.advance(150_000)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(jobNames(c), [])
    batch(c, 'patch', {spec: {suspend: false}}, 's')
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(jobNames(c), [`s-${minutes(120)}`], 'resumed at 12:02:30: the most recent missed time (12:02) runs')
  })

  it('honours spec.timeZone for the schedule and the annotation', () => {
    const c = newCluster(7, {controllers: ['cronjob']})
    batch(c, 'create', cronJob('tz', {schedule: '30 9 * * *', timeZone: 'Europe/Berlin'}))
    c.cp.settle({horizonMs: 24 * 3600_000})
    // 09:30 in Berlin on 23 Nov 2026 (CET, UTC+1) is 08:30 UTC.
    const when = Date.UTC(2026, 10, 23, 8, 30)
    assert.deepEqual(jobNames(c), [`tz-${Math.floor(when / 60000)}`])
    assert.equal(jobs(c)[0].metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-11-23T09:30:00+01:00')
  })

  it('computes zoned activations across a DST change', () => {
    const s = parseCronSchedule('0 3 * * *')
    // New York: 3:00 EDT (UTC-4) on 31 Oct 2026, 3:00 EST (UTC-5) on 1 Nov 2026.
    assert.equal(new Date(nextInZone(s, Date.UTC(2026, 9, 31, 0, 0), 'America/New_York')).toISOString(), '2026-10-31T07:00:00.000Z')
    assert.equal(new Date(nextInZone(s, Date.UTC(2026, 9, 31, 8, 0), 'America/New_York')).toISOString(), '2026-11-01T08:00:00.000Z')
    assert.equal(formatInZone(Date.UTC(2026, 10, 1, 8, 0), 'America/New_York'), '2026-11-01T03:00:00-05:00')
  })

  it('runs Jobs to completion with the Job controller, scheduler and kubelets', () => {
    const c = newCluster(7, {controllers: ['cronjob', 'job', 'scheduler', 'kubelet', 'gc'], cluster: loadClusterProfile()})
    batch(c, 'create', cronJob('e2e', {schedule: '*/1 * * * *', successfulJobsHistoryLimit: 1}))
    for (let i = 0; i < 3; i++) c.cp.settle({horizonMs: 61_000})
    // The 12:03 Job's pod takes a few seconds to start and finish: let it, short of the 12:04 run.
    c.cp.settle({horizonMs: 15_000})
    assert.deepEqual(jobNames(c), [`e2e-${minutes(180)}`], 'history limit 1: only the latest finished Job is kept')
    const st = getCron(c, 'e2e').status
    assert.equal(st.active, undefined)
    assert.equal(st.lastScheduleTime, at(180))
    assert.ok(Date.parse(st.lastSuccessfulTime) > Date.parse(at(180)))
    assert.deepEqual(c.api.ok(c.api.list('pods')).items.map((p: Any) => p.metadata.labels['batch.kubernetes.io/job-name']), [`e2e-${minutes(180)}`], 'the deleted Jobs\' pods went with them')
  })
})
