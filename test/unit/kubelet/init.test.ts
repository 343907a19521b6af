// Init containers run one at a time, in order, before the regular containers; sidecars (init
// containers with restartPolicy Always) keep running and let the next one start once started.
import {strict as assert} from 'node:assert'
import {condition, containerStatus, drive, exact, makePod, T0, waitingReason} from './helpers.js'
import type {Obj} from '../../../src/kubelet/obj.js'

const withInit = (init: Obj[], extra: Partial<Parameters<typeof makePod>[0]> = {}) =>
  makePod({name: 'myapp', initContainers: init, containers: [{name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}], ...extra})

const since = (d: Date) => d.getTime() - T0

describe('kubelet: init containers', () => {
  const run = drive(withInit([
    {name: 'init-db', image: 'busybox:1.36', command: ['sh', '-c', 'echo waiting for db; sleep 2']},
    {name: 'init-cache', image: 'busybox:1.36', command: ['sh', '-c', 'echo warming; sleep 1']},
  ]), 30_000, {profile: exact})

  it('shows every container as PodInitializing at first', () => {
    const s = run.statusAt(0)
    for (const name of ['init-db', 'init-cache', 'app']) assert.equal(waitingReason(s, name), 'PodInitializing')
    assert.deepEqual(condition(s, 'Initialized'), {type: 'Initialized', observedGeneration: 1, status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-db init-cache]'})
  })

  it('runs them in order: the next one starts a sync after the previous one completed', () => {
    const started = run.events.filter((e) => e.reason === 'Started').map((e) => [e.fieldPath, since(e.at)])
    assert.deepEqual(started, [
      ['spec.initContainers{init-db}', 2220],
      ['spec.initContainers{init-cache}', 5420],
      ['spec.containers{app}', 10_140],
    ])
  })

  it('reports a completed init container as terminated Completed, ready, not started', () => {
    const s = run.pod.status as Obj
    const cs = containerStatus(s, 'init-db')
    const t = (cs.state as Obj).terminated as Obj
    assert.equal(t.reason, 'Completed')
    assert.equal(t.exitCode, 0)
    assert.equal(cs.ready, true)
    assert.equal(cs.started, false)
    assert.equal((s.initContainerStatuses as Obj[]).length, 2)
    assert.equal((s.containerStatuses as Obj[]).length, 1)
  })

  it('keeps a running init container not ready and the pod Pending', () => {
    const s = run.statusAt(3000)
    const cs = containerStatus(s, 'init-db')
    assert.ok((cs.state as Obj).running)
    assert.equal(cs.ready, false)
    assert.equal(cs.started, true)
    assert.equal(s.phase, 'Pending')
  })

  it('turns Initialized True when the last init container completes, regular containers still PodInitializing', () => {
    const s = run.statusAt(7000)
    assert.equal(condition(s, 'Initialized')!.status, 'True')
    assert.equal(condition(s, 'Initialized')!.lastTransitionTime, '2026-01-01T00:00:06Z')
    assert.equal(waitingReason(s, 'app'), 'PodInitializing')
    assert.equal(s.phase, 'Pending')
    assert.equal(run.statusAt(11_000).phase, 'Running')
  })

  it('writes the init containers\' output to their logs', () => {
    assert.deepEqual(run.logs.filter((l) => l.container !== 'app').map((l) => [l.container, l.line]), [['init-db', 'waiting for db'], ['init-cache', 'warming']])
  })

  it('retries a failing init container with back-off (Init:CrashLoopBackOff) and never starts the app', () => {
    const r = drive(withInit([{name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1']}]), 60_000, {profile: exact})
    const s = r.pod.status as Obj
    const cs = containerStatus(s, 'init')
    assert.equal(((cs.state as Obj).waiting as Obj | undefined)?.reason ?? Object.keys(cs.state as Obj)[0], 'CrashLoopBackOff')
    assert.ok((cs.restartCount as number) >= 2)
    assert.equal(waitingReason(s, 'app'), 'PodInitializing')
    assert.equal(s.phase, 'Pending')
    assert.equal(r.events.some((e) => e.fieldPath === 'spec.containers{app}'), false)
  })

  it('fails the pod when an init container fails and restartPolicy is Never', () => {
    const r = drive(withInit([{name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'exit 2']}], {restartPolicy: 'Never'}), 30_000, {profile: exact})
    const s = r.pod.status as Obj
    assert.equal(s.phase, 'Failed')
    assert.equal(((containerStatus(s, 'init').state as Obj).terminated as Obj).exitCode, 2)
    assert.equal(condition(s, 'Initialized')!.status, 'False')
    assert.equal(condition(s, 'Ready')!.reason, 'PodFailed')
    assert.equal(condition(s, 'PodReadyToStartContainers')!.status, 'False')
    assert.equal(r.steps.at(-1)!.at < 30_000, true, 'nothing more to wake for')
  })

  it('starts the next container once a sidecar has started, and keeps the sidecar running and ready', () => {
    const r = drive(withInit([{name: 'proxy', image: 'envoyproxy/envoy:v1.31', imagePullPolicy: 'IfNotPresent', restartPolicy: 'Always'}]), 20_000, {profile: exact})
    const s = r.pod.status as Obj
    const proxy = containerStatus(s, 'proxy')
    assert.ok((proxy.state as Obj).running)
    assert.equal(proxy.ready, true)
    assert.equal(proxy.started, true)
    const started = r.events.filter((e) => e.reason === 'Started').map((e) => since(e.at))
    assert.equal(started[1] - started[0] >= 1000, true)
    assert.equal(s.phase, 'Running')
    assert.equal(condition(s, 'ContainersReady')!.status, 'True')
  })

  it('stops sidecars once a job-like pod\'s containers are done, and the pod succeeds', () => {
    const r = drive(
      makePod({name: 'job', restartPolicy: 'Never', initContainers: [{name: 'proxy', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', restartPolicy: 'Always'}], containers: [{name: 'work', image: 'python:3.12', imagePullPolicy: 'IfNotPresent'}]}),
      30_000,
      {profile: exact},
    )
    const s = r.pod.status as Obj
    assert.equal(s.phase, 'Succeeded')
    assert.equal(((containerStatus(s, 'proxy').state as Obj).terminated as Obj).reason, 'Completed')
    assert.ok(r.events.some((e) => e.reason === 'Killing' && e.message === 'Stopping container proxy'))
  })
})
