// Crash loops: the first restart is immediate, then CrashLoopBackOff waits 10s, 20s, 40s … up to
// 5m; restartCount, lastState, the waiting message and the BackOff events as the kubelet writes them.
import {strict as assert} from 'node:assert'
import {containerStatus, drive, exact, makePod, T0} from './helpers.js'
import type {Obj} from '../../../src/kubelet/obj.js'

const crashing = (image = 'nginx:crashloop', extra: Obj = {}) => makePod({name: 'crash', containers: [{name: 'web', image, imagePullPolicy: 'IfNotPresent', ...extra}]})

describe('kubelet: crash loop back-off', () => {
  const run = drive(crashing(), 3_600_000, {profile: exact})
  const starts = run.events.filter((e) => e.reason === 'Started').map((e) => e.at.getTime() - T0)
  const exits = run.steps
    .filter((s) => s.status && (containerStatus(s.status, 'web').state as Obj).terminated)
    .map((s) => s.at)

  it('restarts the first time at the next sync, then after 10s, 20s, 40s, 1m20s, 2m40s, 5m, 5m', () => {
    const gaps = starts.slice(1).map((s, i) => s - exits[i])
    // Each gap: the back-off from the exit, plus pulling (already present) 0 + create 100ms + start 100ms.
    assert.deepEqual(gaps.slice(0, 8), [1200, 10_200, 20_200, 40_200, 80_200, 160_200, 300_200, 300_200])
  })

  it('shows CrashLoopBackOff with the back-off in Go duration format and the pod as name_namespace(uid)', () => {
    const messages = run.steps
      .map((s) => s.status && ((containerStatus(s.status, 'web').state as Obj).waiting as Obj | undefined))
      .filter((w): w is Obj => w?.reason === 'CrashLoopBackOff')
      .map((w) => w.message)
    assert.deepEqual(messages.slice(0, 7), [
      'back-off 10s restarting failed container=web pod=crash_default(uid-crash)',
      'back-off 20s restarting failed container=web pod=crash_default(uid-crash)',
      'back-off 40s restarting failed container=web pod=crash_default(uid-crash)',
      'back-off 1m20s restarting failed container=web pod=crash_default(uid-crash)',
      'back-off 2m40s restarting failed container=web pod=crash_default(uid-crash)',
      'back-off 5m0s restarting failed container=web pod=crash_default(uid-crash)',
      'back-off 5m0s restarting failed container=web pod=crash_default(uid-crash)',
    ])
  })

  it('counts restarts and keeps the previous instance in lastState while waiting', () => {
    const waiting = run.steps.find((s) => s.status && ((containerStatus(s.status, 'web').state as Obj).waiting as Obj | undefined)?.reason === 'CrashLoopBackOff')!
    const cs = containerStatus(waiting.status!, 'web')
    assert.equal(cs.restartCount, 1)
    assert.equal(cs.ready, false)
    assert.equal(cs.started, false)
    const last = (cs.lastState as Obj).terminated as Obj
    assert.equal(last.exitCode, 1)
    assert.equal(last.reason, 'Error')
    assert.equal(last.containerID, cs.containerID, 'while waiting the status still names the exited container')
    assert.equal(last.startedAt, '2026-01-01T00:00:06Z')
    assert.equal(last.finishedAt, '2026-01-01T00:00:08Z')
    assert.equal(waiting.status!.phase, 'Running')
  })

  it('shows the exited container as terminated until the next sync, with the one before as lastState', () => {
    const second = run.steps.filter((s) => s.status && (containerStatus(s.status, 'web').state as Obj).terminated)[1]
    const cs = containerStatus(second.status!, 'web')
    assert.equal(((cs.state as Obj).terminated as Obj).finishedAt, '2026-01-01T00:00:08Z')
    assert.equal(((cs.lastState as Obj).terminated as Obj).finishedAt, '2026-01-01T00:00:05Z')
    assert.equal(cs.restartCount, 1)
  })

  it('records BackOff warnings on every sync while backing off, and the restart events', () => {
    const backoffs = run.events.filter((e) => e.reason === 'BackOff')
    assert.ok(backoffs.every((e) => e.type === 'Warning' && e.message === 'Back-off restarting failed container web in pod crash_default(uid-crash)'))
    // The 40s back-off (exit at 43.32s) is synced at 44.32s, 54.32s, 64.32s and 74.32s.
    const during = backoffs.map((e) => e.at.getTime() - T0).filter((t) => t > 43_320 && t < 83_320)
    assert.deepEqual(during, [44_320, 54_320, 64_320, 74_320])
    const restartPulled = run.events.filter((e) => e.reason === 'Pulled')[1]
    assert.equal(restartPulled.message, 'Container image "nginx:crashloop" already present on machine and can be accessed by the pod')
  })

  it('lists the restarted container so its previous log is kept, and tags log lines with the instance', () => {
    const restarts = run.steps.filter((s) => s.restarted?.includes('web')).length
    assert.equal(restarts, starts.length - 1)
    const attempts = new Set(run.logs.map((l) => l.attempt))
    assert.ok(attempts.has(0) && attempts.has(3))
    const crashLines = run.logs.filter((l) => l.line.includes('[emerg]') && l.attempt === 0)
    assert.equal(crashLines.length, 2)
  })

  it('reports OOMKilled with exit code 137 and restarts it like any crash', () => {
    const oom = drive(makePod({name: 'oom', annotations: {'kube2.dev/simulate': 'oomkilled'}, containers: [{name: 'app', image: 'python:3.12', imagePullPolicy: 'IfNotPresent', resources: {limits: {memory: '64Mi'}}}]}), 40_000, {profile: exact})
    const terminated = oom.steps.map((s) => s.status && ((containerStatus(s.status, 'app').state as Obj).terminated as Obj | undefined)).find(Boolean)!
    assert.equal(terminated.reason, 'OOMKilled')
    assert.equal(terminated.exitCode, 137)
    const cs = containerStatus(oom.pod.status as Obj, 'app')
    assert.equal(((cs.lastState as Obj).terminated as Obj).reason, 'OOMKilled')
    assert.ok((cs.restartCount as number) >= 2)
  })

  it('restarts a container that completes successfully too (restartPolicy Always)', () => {
    const r = drive(makePod({name: 'hello', containers: [{name: 'hello', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello']}]}), 30_000, {profile: exact})
    const cs = containerStatus(r.pod.status as Obj, 'hello')
    assert.equal(((cs.lastState as Obj).terminated as Obj).reason, 'Completed')
    assert.equal(((cs.lastState as Obj).terminated as Obj).exitCode, 0)
    assert.ok((cs.restartCount as number) >= 2)
    assert.equal(r.pod.status && (r.pod.status as Obj).phase, 'Running')
    assert.deepEqual([...new Set(r.logs.map((l) => l.line))], ['hello'])
  })

  it('resets the back-off after a container ran for longer than twice the maximum', () => {
    const r = drive(makePod({name: 'long', annotations: {'kube2.dev/run-seconds': '700'}, containers: [{name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}]}), 2_200_000, {profile: exact})
    const waits = r.steps.map((s) => s.status && ((containerStatus(s.status, 'app').state as Obj).waiting as Obj | undefined)).filter((w): w is Obj => w?.reason === 'CrashLoopBackOff')
    // Every exit comes more than 10 minutes after the last restart: never in back-off.
    assert.deepEqual(waits, [])
    assert.equal(containerStatus(r.pod.status as Obj, 'app').restartCount, 3)
  })
})
