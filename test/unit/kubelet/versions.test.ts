// What changes in the status with the emulated release: conditions and fields behind feature gates
// that are on by default from a given release.
import {strict as assert} from 'node:assert'
import type {Obj} from '../../../src/kubelet/obj.js'
import {condition, containerStatus, drive, exact, makePod} from './helpers.js'

const volumes = {
  containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {requests: {cpu: '100m'}}, volumeMounts: [{name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true}, {name: 'data', mountPath: '/data'}]}],
}
const statusFor = (version: string): Obj => drive(makePod(volumes), 10_000, {profile: exact, kubernetesVersion: version}).pod.status as Obj

describe('kubelet: per-release status', () => {
  it('1.28: no PodReadyToStartContainers, no hostIPs, no volume mounts, no resources', () => {
    const s = statusFor('1.28')
    assert.equal(condition(s, 'PodReadyToStartContainers'), undefined)
    assert.equal(s.hostIPs, undefined)
    assert.equal(s.hostIP, '172.18.0.3')
    const cs = containerStatus(s, 'web')
    assert.equal(cs.volumeMounts, undefined)
    assert.equal(cs.resources, undefined)
    assert.equal(cs.user, undefined)
    assert.equal(s.observedGeneration, undefined)
  })

  it('1.29: PodReadyToStartContainers first, and hostIPs', () => {
    const s = statusFor('1.29')
    assert.equal((s.conditions as Obj[])[0].type, 'PodReadyToStartContainers')
    assert.deepEqual(s.hostIPs, [{ip: '172.18.0.3'}])
  })

  it('1.31: container statuses list their volume mounts, read-only ones with recursiveReadOnly', () => {
    const cs = containerStatus(statusFor('1.31'), 'web')
    assert.deepEqual(cs.volumeMounts, [
      {name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled'},
      {name: 'data', mountPath: '/data'},
    ])
    assert.equal(cs.resources, undefined)
  })

  it('1.33: started containers report resources and, on containerd 2, their user', () => {
    const s = statusFor('1.33')
    const cs = containerStatus(s, 'web')
    assert.deepEqual(cs.resources, {requests: {cpu: '100m'}})
    assert.equal(cs.allocatedResources, undefined)
    assert.deepEqual(cs.user, {linux: {uid: 0, gid: 0, supplementalGroups: [0]}})
    assert.equal(s.observedGeneration, undefined)
    assert.equal(condition(s, 'Ready')!.observedGeneration, undefined)
  })

  it('1.34: observedGeneration on the status and every kubelet condition; allocatedResources', () => {
    const s = statusFor('1.34')
    assert.equal(s.observedGeneration, 1)
    for (const c of s.conditions as Obj[]) assert.equal(c.observedGeneration, 1, String(c.type))
    assert.deepEqual(containerStatus(s, 'web').allocatedResources, {cpu: '100m'})
  })

  it('leaves resources and user off containers that have not been created', () => {
    const s = drive(makePod(volumes), 500, {profile: exact, kubernetesVersion: '1.34'}).pod.status as Obj
    const cs = containerStatus(s, 'web')
    assert.equal(cs.resources, undefined)
    assert.equal(cs.user, undefined)
    assert.ok(cs.volumeMounts)
  })

  it('reports the security context\'s user and groups', () => {
    const pod = makePod({spec: {securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}}})
    const cs = containerStatus(drive(pod, 10_000, {profile: exact, kubernetesVersion: '1.33'}).pod.status as Obj, 'web')
    assert.deepEqual(cs.user, {linux: {uid: 1000, gid: 3000, supplementalGroups: [3000, 4000, 2000]}})
  })
})
