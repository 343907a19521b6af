// The kube2.dev/* annotations and image rules that choose a container's simulated behaviour, and
// the warning an annotation that makes no sense earns.
import {strict as assert} from 'node:assert'
import type {Obj} from '../../../src/kubelet/obj.js'
import {containerStatus, drive, exact, makePod, waitingReason} from './helpers.js'

const two = (annotations: Record<string, string>) =>
  makePod({annotations, containers: [{name: 'a', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}, {name: 'b', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}]})

describe('kubelet: simulation annotations', () => {
  it('applies kube2.dev/simulate to every regular container', () => {
    const s = drive(two({'kube2.dev/simulate': 'crashloop'}), 30_000, {profile: exact}).pod.status as Obj
    assert.equal(waitingReason(s, 'a'), 'CrashLoopBackOff')
    assert.equal(waitingReason(s, 'b'), 'CrashLoopBackOff')
  })

  it('applies kube2.dev/simulate.<container> to that container only', () => {
    const s = drive(two({'kube2.dev/simulate.b': 'imagepullbackoff'}), 30_000, {profile: exact}).pod.status as Obj
    assert.ok((containerStatus(s, 'a').state as Obj).running)
    assert.equal(waitingReason(s, 'b'), 'ImagePullBackOff')
    assert.equal(s.phase, 'Pending')
  })

  it('lets a container\'s annotation override the pod\'s', () => {
    const s = drive(two({'kube2.dev/simulate': 'crashloop', 'kube2.dev/simulate.a': 'none'}), 30_000, {profile: exact}).pod.status as Obj
    assert.ok((containerStatus(s, 'a').state as Obj).running)
    assert.equal(waitingReason(s, 'b'), 'CrashLoopBackOff')
  })

  it('warns about values it does not know, once, and ignores them', () => {
    const r = drive(two({'kube2.dev/simulate': 'crashlop', 'kube2.dev/run-seconds': 'soon', 'kube2.dev/simulate.c': 'fail'}), 10_000, {profile: exact})
    const warnings = r.events.filter((e) => e.reason === 'InvalidAnnotation').map((e) => [e.type, e.message])
    assert.deepEqual(warnings, [
      ['Warning', 'annotation kube2.dev/simulate: unknown simulation "crashlop" (want one of none, crashloop, imagepullbackoff, oomkilled, fail, unready)'],
      ['Warning', 'annotation kube2.dev/run-seconds: "soon" is not a number of seconds'],
      ['Warning', 'annotation kube2.dev/simulate.c: the pod has no container named "c"'],
    ])
    assert.ok((containerStatus(r.pod.status as Obj, 'a').state as Obj).running)
  })

  it('picks the behaviour from the image name', () => {
    const s = drive(makePod({containers: [{name: 'x', image: 'example/app:oomkilled', imagePullPolicy: 'IfNotPresent'}]}), 30_000, {profile: exact}).pod.status as Obj
    assert.equal(((containerStatus(s, 'x').lastState as Obj).terminated as Obj).reason, 'OOMKilled')
  })

  it('lets a shell image without a command exit at once (CrashLoopBackOff, Completed) unless it has stdin', () => {
    const bare = drive(makePod({containers: [{name: 'bb', image: 'busybox'}]}), 30_000, {profile: exact}).pod.status as Obj
    assert.equal(waitingReason(bare, 'bb'), 'CrashLoopBackOff')
    assert.equal(((containerStatus(bare, 'bb').lastState as Obj).terminated as Obj).reason, 'Completed')
    const interactive = drive(makePod({containers: [{name: 'bb', image: 'busybox', stdin: true, tty: true}]}), 30_000, {profile: exact}).pod.status as Obj
    assert.ok((containerStatus(interactive, 'bb').state as Obj).running)
  })

  it('never finds an image meant to fail on the node, even one the node lists', () => {
    const s = drive(makePod({annotations: {'kube2.dev/simulate': 'imagepullbackoff'}}), 10_000, {profile: exact, nodeImages: new Set(['nginx:1.27'])}).pod.status as Obj
    assert.equal(waitingReason(s, 'web'), 'ImagePullBackOff')
  })
})
