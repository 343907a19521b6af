// The engine is a pure function of (pod, node, profile, time): the same inputs give the same
// answer, and how often it is called does not change where the pod ends up.
import {strict as assert} from 'node:assert'
import {nextPodState} from '../../../src/kubelet/engine.js'
import type {Obj} from '../../../src/kubelet/obj.js'
import {drive, makePod, node, profile, T0} from './helpers.js'

const crashPod = () => makePod({name: 'mix', initContainers: [{name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 1']}], containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', readinessProbe: {httpGet: {path: '/', port: 80}, periodSeconds: 5}}, {name: 'bad', image: 'app:crashloop'}]})

describe('kubelet: determinism', () => {
  it('gives the same answer for the same inputs', () => {
    const pod = drive(crashPod(), 30_000).pod
    const args = {pod, node, profile, now: new Date(T0 + 90_000), podIP: () => '10.0.0.1', since: new Date(T0 + 30_000)}
    assert.deepEqual(nextPodState(args), nextPodState(args))
  })

  it('ends in the same status whether called at every step or once, late', () => {
    const stepwise = drive(crashPod(), 120_000).pod.status as Obj
    const first = nextPodState({pod: crashPod(), node, profile, now: new Date(T0), podIP: () => '10.244.1.10'})
    const once = nextPodState({pod: {...crashPod(), status: first.status}, node, profile, now: new Date(T0 + 120_000), podIP: () => '10.244.1.10'})
    assert.deepEqual(once.status, stepwise)
  })

  it('returns the events of a skipped stretch when called late, each once', () => {
    const pod = crashPod()
    const first = nextPodState({pod, node, profile, now: new Date(T0), podIP: () => '10.244.1.10'})
    const late = nextPodState({pod: {...pod, status: first.status}, node, profile, now: new Date(T0 + 120_000), podIP: () => '10.244.1.10', since: new Date(T0)})
    const stepwise = drive(crashPod(), 120_000)
    assert.deepEqual(late.events.map((e) => e.id), stepwise.events.map((e) => e.id))
    assert.equal(new Set(late.events.map((e) => e.id)).size, late.events.length)
  })

  it('varies durations per pod (jitter fixed by the uid), not per call', () => {
    const a = drive(makePod({name: 'a'}), 10_000).events.find((e) => e.reason === 'Started')!.at.getTime()
    const b = drive(makePod({name: 'b'}), 10_000).events.find((e) => e.reason === 'Started')!.at.getTime()
    const a2 = drive(makePod({name: 'a'}), 10_000).events.find((e) => e.reason === 'Started')!.at.getTime()
    assert.notEqual(a, b)
    assert.equal(a, a2)
  })

  it('does not touch the pod it is given', () => {
    const pod = crashPod()
    const copy = structuredClone(pod)
    nextPodState({pod, node, profile, now: new Date(T0 + 50_000), podIP: () => 'x'})
    assert.deepEqual(pod, copy)
  })

  it('falls back to the status\' latest time as the window start', () => {
    const run = drive(makePod(), 10_000)
    const r = nextPodState({pod: run.pod, node, profile, now: new Date(T0 + 10_000), podIP: () => 'x'})
    // The container started within second 3: only events after 00:00:03 (the latest time in the status) come back.
    assert.ok(r.events.every((e) => e.at.getTime() > T0 + 3000))
    assert.equal(r.status, undefined)
  })
})
