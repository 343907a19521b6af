// Job-like pods (restartPolicy OnFailure or Never): they run for a simulated time and succeed, or
// fail and are restarted (OnFailure) or left Failed (Never); annotations choose time and outcome.
import {strict as assert} from 'node:assert'
import {condition, containerStatus, drive, exact, makePod, T0} from './helpers.js'
import type {Obj} from '../../../src/kubelet/obj.js'

const job = (o: Parameters<typeof makePod>[0] = {}) =>
  makePod({name: 'pi-x7k2p', restartPolicy: 'Never', containers: [{name: 'pi', image: 'perl:5.34', imagePullPolicy: 'IfNotPresent', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)']}], ...o})

describe('kubelet: job-like pods', () => {
  const run = drive(job(), 60_000, {profile: exact})
  const s = run.pod.status as Obj

  it('succeeds after the profile\'s run time (5s) with exit code 0', () => {
    const t = (containerStatus(s, 'pi').state as Obj).terminated as Obj
    assert.deepEqual({...t, containerID: undefined}, {exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:03Z', finishedAt: '2026-01-01T00:00:08Z', containerID: undefined})
    assert.equal(s.phase, 'Succeeded')
  })

  it('writes the conditions of a completed pod', () => {
    const c = (type: string) => {
      const x = condition(s, type)!
      return [x.status, x.reason, x.lastTransitionTime]
    }
    assert.deepEqual(c('PodReadyToStartContainers'), ['False', undefined, '2026-01-01T00:00:08Z'])
    assert.deepEqual(c('Initialized'), ['True', 'PodCompleted', '2026-01-01T00:00:00Z'])
    assert.deepEqual(c('Ready'), ['False', 'PodCompleted', '2026-01-01T00:00:08Z'])
    assert.deepEqual(c('ContainersReady'), ['False', 'PodCompleted', '2026-01-01T00:00:08Z'])
  })

  it('keeps the pod IP of a completed pod and stops waking', () => {
    assert.equal(s.podIP, '10.244.1.10')
    assert.equal(run.steps.at(-1)!.at, 8720)
    const cs = containerStatus(s, 'pi')
    assert.equal(cs.ready, false)
    assert.equal(cs.started, false)
  })

  it('takes its run time from kube2.dev/run-seconds', () => {
    const r = drive(job({annotations: {'kube2.dev/run-seconds': '42'}}), 120_000, {profile: exact})
    const t = (containerStatus(r.pod.status as Obj, 'pi').state as Obj).terminated as Obj
    assert.equal(t.finishedAt, '2026-01-01T00:00:45Z')
  })

  it('fails with restartPolicy Never and kube2.dev/simulate: fail (exit code from kube2.dev/exit-code)', () => {
    const r = drive(job({annotations: {'kube2.dev/simulate': 'fail', 'kube2.dev/exit-code': '3'}}), 60_000, {profile: exact})
    const st = r.pod.status as Obj
    assert.equal(st.phase, 'Failed')
    const t = (containerStatus(st, 'pi').state as Obj).terminated as Obj
    assert.equal(t.exitCode, 3)
    assert.equal(t.reason, 'Error')
    assert.equal(condition(st, 'Ready')!.reason, 'PodFailed')
    assert.equal(condition(st, 'ContainersReady')!.reason, 'PodFailed')
    assert.equal(containerStatus(st, 'pi').restartCount, 0)
  })

  it('restarts a failing container with restartPolicy OnFailure and stays Running', () => {
    const r = drive(job({restartPolicy: 'OnFailure', annotations: {'kube2.dev/simulate': 'fail'}}), 60_000, {profile: exact})
    const st = r.pod.status as Obj
    assert.equal(st.phase, 'Running')
    const cs = containerStatus(st, 'pi')
    assert.ok((cs.restartCount as number) >= 2)
    assert.equal(((cs.lastState as Obj).terminated as Obj).exitCode, 1)
  })

  it('succeeds after the command\'s own sleep and writes its echo', () => {
    const r = drive(makePod({name: 'hello', restartPolicy: 'OnFailure', containers: [{name: 'hello', image: 'busybox:1.36', command: ['sh', '-c', 'date; echo Hello from the Kubernetes cluster; sleep 3']}]}), 30_000, {profile: exact})
    // `date` alone is not followed, so the profile decides: the script is not interpreted.
    assert.equal((r.pod.status as Obj).phase, 'Succeeded')
    const r2 = drive(makePod({name: 'hello', restartPolicy: 'OnFailure', containers: [{name: 'hello', image: 'busybox:1.36', command: ['sh', '-c', 'echo Hello from the Kubernetes cluster; sleep 3']}]}), 30_000, {profile: exact})
    const t = (containerStatus(r2.pod.status as Obj, 'hello').state as Obj).terminated as Obj
    assert.equal(t.finishedAt, '2026-01-01T00:00:05Z')
    assert.deepEqual(r2.logs.map((l) => [l.line, l.at.getTime() - T0]), [['Hello from the Kubernetes cluster', 2220]])
  })

  it('exits with the script\'s exit code', () => {
    const r = drive(makePod({restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo boom; exit 7']}]}), 30_000, {profile: exact})
    const st = r.pod.status as Obj
    assert.equal(st.phase, 'Failed')
    assert.equal(((containerStatus(st, 'c').state as Obj).terminated as Obj).exitCode, 7)
  })

  it('runs a pod with several containers until all are done: Failed if one failed', () => {
    const r = drive(
      makePod({restartPolicy: 'Never', annotations: {'kube2.dev/simulate.b': 'fail'}, containers: [{name: 'a', image: 'python:3.12', imagePullPolicy: 'IfNotPresent'}, {name: 'b', image: 'python:3.12', imagePullPolicy: 'IfNotPresent'}]}),
      60_000,
      {profile: exact},
    )
    const st = r.pod.status as Obj
    assert.equal(st.phase, 'Failed')
    assert.equal(((containerStatus(st, 'a').state as Obj).terminated as Obj).exitCode, 0)
    assert.equal(((containerStatus(st, 'b').state as Obj).terminated as Obj).exitCode, 1)
  })
})
