// Graceful deletion: Killing events, preStop hooks, SIGTERM, SIGKILL at the end of the grace period,
// the final status and when the pod object goes away.
import {strict as assert} from 'node:assert'
import {nextPodState} from '../../../src/kubelet/engine.js'
import type {Obj} from '../../../src/kubelet/obj.js'
import {terminatingPodState} from '../../../src/kubelet/termination.js'
import {containerStatus, drive, exact, makePod, node, T0} from './helpers.js'

const iso = (ms: number) => new Date(T0 + ms).toISOString().replace('.000', '')

/** A pod that ran until `at`, then deleted then with `grace` seconds. */
function deleted(pod: Obj, at: number, grace = 30): Obj {
  const ran = drive(pod, at, {profile: exact}).pod
  return {...ran, metadata: {...(ran.metadata as Obj), deletionTimestamp: iso(at + grace * 1000), deletionGracePeriodSeconds: grace}}
}

const call = (pod: Obj, now: number, since?: number) =>
  nextPodState({pod, node, profile: exact, now: new Date(T0 + now), podIP: () => 'unused', since: since === undefined ? undefined : new Date(T0 + since)})

describe('kubelet: graceful termination', () => {
  it('stops a running container: Killing at once, exits after SIGTERM, the pod object goes then', () => {
    const pod = deleted(makePod(), 20_000)
    const first = call(pod, 20_000, 19_000)
    assert.deepEqual(first.events.map((e) => [e.at.getTime() - T0, e.type, e.reason, e.message, e.fieldPath]), [[20_000, 'Normal', 'Killing', 'Stopping container web', 'spec.containers{web}']])
    assert.equal(first.status, undefined, 'still running until it exits')
    assert.equal(first.deleteAt!.getTime() - T0, 20_200)
    assert.equal(first.wakeAt!.getTime() - T0, 20_200)
    const last = call(pod, 20_200, 20_000)
    const s = last.status!
    assert.equal(s.phase, 'Succeeded')
    assert.deepEqual({...((containerStatus(s, 'web').state as Obj).terminated as Obj), containerID: 'x'}, {exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:03Z', finishedAt: '2026-01-01T00:00:20Z', containerID: 'x'})
    assert.equal(last.wakeAt, undefined)
  })

  it('writes the image\'s shutdown lines to the log', () => {
    const r = call(deleted(makePod(), 20_000), 21_000, 19_000)
    assert.deepEqual(r.logs.map((l) => l.line.replace(/^\S+ \S+ /, '')), [
      '[notice] 1#1: signal 3 (SIGQUIT) received, shutting down',
      '[notice] 29#29: gracefully shutting down',
      '[notice] 29#29: exiting',
      '[notice] 29#29: exit',
      '[notice] 1#1: signal 17 (SIGCHLD) received from 29',
      '[notice] 1#1: worker process 29 exited with code 0',
      '[notice] 1#1: exit',
    ])
  })

  it('kills a process that ignores SIGTERM when the grace period ends (exit 137)', () => {
    const pod = deleted(makePod({containers: [{name: 'sleeper', image: 'busybox:1.36', command: ['sleep', '3600']}]}), 10_000, 30)
    const r = call(pod, 10_000)
    assert.equal(r.deleteAt!.getTime() - T0, 40_000)
    const end = call(pod, 40_000).status!
    const t = (containerStatus(end, 'sleeper').state as Obj).terminated as Obj
    assert.equal(t.exitCode, 137)
    assert.equal(t.reason, 'Error')
    assert.equal(end.phase, 'Failed')
  })

  it('honours a short grace period', () => {
    const pod = deleted(makePod({containers: [{name: 'sleeper', image: 'busybox:1.36', command: ['sleep', '3600']}]}), 10_000, 2)
    assert.equal(call(pod, 10_000).deleteAt!.getTime() - T0, 12_000)
  })

  it('runs the preStop hook before SIGTERM', () => {
    const pod = deleted(makePod({containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', lifecycle: {preStop: {sleep: {seconds: 5}}}}]}), 20_000)
    const r = call(pod, 20_000, 19_000)
    assert.equal(r.deleteAt!.getTime() - T0, 25_200)
    const exec = deleted(makePod({containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', lifecycle: {preStop: {exec: {command: ['/bin/sh', '-c', 'sleep 8']}}}}]}), 20_000)
    assert.equal(call(exec, 20_000, 19_000).deleteAt!.getTime() - T0, 28_200)
  })

  it('marks containers that never ran as ContainerStatusUnknown and the pod Failed', () => {
    const pod = deleted(makePod({containers: [{name: 'app', image: 'doesnotexist:1', imagePullPolicy: 'IfNotPresent'}]}), 5_000)
    const r = call(pod, 5_000)
    assert.equal(r.deleteAt!.getTime() - T0, 5_000)
    const s = r.status!
    assert.equal(s.phase, 'Failed')
    assert.deepEqual(containerStatus(s, 'app').state, {terminated: {exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated'}})
  })

  it('deletes a completed pod or one the kubelet never started at once', () => {
    const done = deleted(makePod({restartPolicy: 'Never', containers: [{name: 'c', image: 'python:3.12', imagePullPolicy: 'IfNotPresent'}]}), 20_000)
    const r = call(done, 20_000)
    assert.equal(r.deleteAt!.getTime() - T0, 20_000)
    assert.equal(r.status, undefined)
    const fresh = {...makePod(), metadata: {...(makePod().metadata as Obj), deletionTimestamp: iso(30_000), deletionGracePeriodSeconds: 30}, status: {phase: 'Pending'}}
    assert.equal(terminatingPodState({pod: fresh, node, profile: exact, now: new Date(T0 + 1000)}).deleteAt!.getTime() - T0, 1000)
  })

  it('stops sidecars after the regular containers', () => {
    const pod = deleted(makePod({initContainers: [{name: 'proxy', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', restartPolicy: 'Always'}], containers: [{name: 'app', image: 'redis:7.4', imagePullPolicy: 'IfNotPresent'}]}), 20_000)
    const r = call(pod, 30_000, 19_000)
    const killing = r.events.filter((e) => e.reason === 'Killing').map((e) => [e.message, e.at.getTime() - T0])
    assert.deepEqual(killing, [['Stopping container app', 20_000], ['Stopping container proxy', 20_300]])
    assert.equal(r.deleteAt!.getTime() - T0, 20_500)
  })

  it('does not restart a crash-looping container once the pod is being deleted', () => {
    const pod = deleted(makePod({containers: [{name: 'web', image: 'nginx:crashloop', imagePullPolicy: 'IfNotPresent'}]}), 12_000)
    const r = call(pod, 60_000, 11_000)
    assert.equal(r.events.some((e) => e.reason === 'Started' || e.reason === 'BackOff'), false)
    assert.equal(r.status!.phase, 'Failed')
  })
})
