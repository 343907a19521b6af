// Image pulls: ErrImagePull and ImagePullBackOff alternating as the kubelet shows them, the image
// back-off, pull policies, images the node already has, and the texts per release.
import {strict as assert} from 'node:assert'
import {containerStatus, drive, exact, makePod, T0, waitingReason} from './helpers.js'
import type {Obj} from '../../../src/kubelet/obj.js'

const missing = (image = 'registry.example.com/team/doesnotexist:1.0', policy = 'IfNotPresent') =>
  makePod({name: 'bad', containers: [{name: 'app', image, imagePullPolicy: policy}]})

const REF = 'registry.example.com/team/doesnotexist:1.0'
const ERROR = `rpc error: code = Unknown desc = failed to pull and unpack image "${REF}": failed to resolve reference "${REF}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`

describe('kubelet: image pulls', () => {
  const run = drive(missing(), 200_000, {profile: exact, kubernetesVersion: '1.33'})
  const reasons = run.steps.filter((s) => s.status).map((s) => [s.at, waitingReason(s.status!, 'app')])

  it('alternates ErrImagePull (right after a failed pull) and ImagePullBackOff (the next sync)', () => {
    assert.deepEqual(reasons, [
      [0, 'ContainerCreating'],
      [1000, 'ContainerCreating'],
      [2500, 'ErrImagePull'],
      [3500, 'ImagePullBackOff'],
      [14_000, 'ErrImagePull'],
      [15_000, 'ImagePullBackOff'],
      [35_500, 'ErrImagePull'],
      [36_500, 'ImagePullBackOff'],
      [77_000, 'ErrImagePull'],
      [78_000, 'ImagePullBackOff'],
      [158_500, 'ErrImagePull'],
      [159_500, 'ImagePullBackOff'],
    ])
  })

  it('retries the pull after 10s, 20s, 40s, 80s of image back-off', () => {
    const pulls = run.events.filter((e) => e.reason === 'Pulling').map((e) => e.at.getTime() - T0)
    assert.deepEqual(pulls, [1000, 12_500, 34_000, 75_500, 157_000])
  })

  it('records the pull failure, the ErrImagePull and ImagePullBackOff errors and the back-off', () => {
    const first = run.events.filter((e) => e.at.getTime() - T0 <= 3500).map((e) => [e.type, e.reason, e.message])
    assert.deepEqual(first, [
      ['Normal', 'Pulling', `Pulling image "${REF}"`],
      ['Warning', 'Failed', `Failed to pull image "${REF}": ${ERROR}`],
      ['Warning', 'Failed', 'Error: ErrImagePull'],
      ['Normal', 'BackOff', `Back-off pulling image "${REF}"`],
      ['Warning', 'Failed', 'Error: ImagePullBackOff'],
    ])
  })

  it('puts the pull error in the waiting message (and, since 1.32, in the back-off message)', () => {
    const err = run.steps.find((s) => s.status && waitingReason(s.status, 'app') === 'ErrImagePull')!
    assert.equal(((containerStatus(err.status!, 'app').state as Obj).waiting as Obj).message, ERROR)
    const back = run.steps.find((s) => s.status && waitingReason(s.status, 'app') === 'ImagePullBackOff')!
    assert.equal(((containerStatus(back.status!, 'app').state as Obj).waiting as Obj).message, `Back-off pulling image "${REF}": ErrImagePull: ${ERROR}`)
    const old = drive(missing(), 5000, {profile: exact, kubernetesVersion: '1.31'})
    assert.equal(((containerStatus(old.pod.status as Obj, 'app').state as Obj).waiting as Obj).message, `Back-off pulling image "${REF}"`)
  })

  it('keeps the pod Pending, not ready, with no image id', () => {
    const s = run.pod.status as Obj
    assert.equal(s.phase, 'Pending')
    const cs = containerStatus(s, 'app')
    assert.equal(cs.imageID, '')
    assert.equal(cs.image, REF)
    assert.equal(cs.containerID, undefined)
  })

  it('fails a tag that does not exist with NotFound, by pattern or annotation', () => {
    const r = drive(makePod({annotations: {'kube2.dev/simulate': 'imagepullbackoff'}, containers: [{name: 'web', image: 'nginx:9.9', imagePullPolicy: 'IfNotPresent'}]}), 3000, {profile: exact})
    const failed = r.events.find((e) => e.message.startsWith('Failed to pull'))!
    assert.equal(failed.message, 'Failed to pull image "nginx:9.9": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9": failed to resolve reference "docker.io/library/nginx:9.9": docker.io/library/nginx:9.9: not found')
  })

  it('does not pull an image the node already has (IfNotPresent), or an image of pull policy Never', () => {
    for (const [policy, images] of [['IfNotPresent', new Set(['nginx:1.27'])], ['Never', undefined]] as const) {
      const r = drive(makePod({containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: policy}]}), 5000, {profile: exact, nodeImages: images})
      const first = r.events[0]
      assert.equal(first.reason, 'Pulled')
      assert.equal(first.message, 'Container image "nginx:1.27" already present on machine and can be accessed by the pod')
      assert.equal(first.at.getTime() - T0, 1000)
    }
    const old = drive(makePod({containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'Never'}]}), 5000, {profile: exact, kubernetesVersion: '1.34'})
    assert.equal(old.events[0].message, 'Container image "nginx:1.27" already present on machine')
  })

  it('reports ErrImageNeverPull for a missing image with pull policy Never', () => {
    const r = drive(missing(REF, 'Never'), 25_000, {profile: exact})
    const cs = containerStatus(r.pod.status as Obj, 'app')
    assert.deepEqual(cs.state, {waiting: {reason: 'ErrImageNeverPull', message: `Container image "${REF}" is not present with pull policy of Never`}})
    const events = r.events.map((e) => [e.at.getTime() - T0, e.reason, e.message])
    assert.deepEqual(events.slice(0, 2), [
      [1000, 'ErrImageNeverPull', `Container image "${REF}" is not present with pull policy of Never`],
      [1000, 'Failed', 'Error: ErrImageNeverPull'],
    ])
    assert.equal(events.length, 6, 'repeated on every sync (1s, 11s, 21s)')
  })

  it('pulls again on every start with pull policy Always, faster once the layers are cached', () => {
    const r = drive(makePod({containers: [{name: 'web', image: 'nginx', imagePullPolicy: 'Always'}], annotations: {'kube2.dev/simulate': 'crashloop'}}), 12_000, {profile: exact})
    const pulled = r.events.filter((e) => e.reason === 'Pulled').map((e) => e.message)
    assert.deepEqual(pulled, [
      'Successfully pulled image "nginx" in 2.5s (2.52s including waiting). Image size: 72195292 bytes.',
      'Successfully pulled image "nginx" in 400ms (420ms including waiting). Image size: 72195292 bytes.',
    ])
    assert.equal(containerStatus(r.pod.status as Obj, 'web').image, 'docker.io/library/nginx:latest')
  })

  it('writes the Pulled text of older releases (no image size before 1.30)', () => {
    const r = drive(makePod(), 5000, {profile: exact, kubernetesVersion: '1.29'})
    assert.equal(r.events.find((e) => e.reason === 'Pulled')!.message, 'Successfully pulled image "nginx:1.27" in 2.5s (2.52s including waiting)')
  })

  it('pulls an image once per pod: a later container with the same image finds it present', () => {
    const r = drive(makePod({containers: [{name: 'a', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}, {name: 'b', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}]}), 10_000, {profile: exact})
    const b = r.events.filter((e) => e.fieldPath === 'spec.containers{b}')
    assert.equal(b[0].reason, 'Pulled')
    assert.match(b[0].message, /already present on machine/)
  })
})
