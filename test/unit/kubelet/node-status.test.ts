// What a simulated node's kubelet writes: resources, conditions with heartbeats, addresses,
// endpoint and nodeInfo per release.
import {strict as assert} from 'node:assert'
import {nodeResources, nodeStatus} from '../../../src/kubelet/node-status.js'
import type {Obj} from '../../../src/kubelet/obj.js'
import {parsePodProfile} from '../../../src/kubelet/profile-load.js'
import {drive, makePod, node, profile, T0} from './helpers.js'

const at = (ms: number) => new Date(T0 + ms)

describe('kubelet: node status', () => {
  const s = nodeStatus(node, {now: at(5000), profile, kubernetesVersion: '1.33'})

  it('reports capacity and allocatable minus the hard-eviction thresholds', () => {
    assert.deepEqual(s.capacity, {cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16375244Ki', pods: '110'})
    assert.deepEqual(s.allocatable, {cpu: '8', 'ephemeral-storage': '94580335412', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16272844Ki', pods: '110'})
  })

  it('takes system reservations off allocatable', () => {
    const p = parsePodProfile('node:\n  systemReserved: {cpu: 500m, memory: 1Gi}\n', 'p.yaml')
    const r = nodeResources(p)
    assert.equal(r.allocatable.cpu, '7500m')
    assert.equal(r.allocatable.memory, '15224268Ki')
  })

  it('writes the four kubelet conditions with heartbeats', () => {
    assert.deepEqual(s.conditions, [
      {type: 'MemoryPressure', status: 'False', lastHeartbeatTime: '2026-01-01T00:00:05Z', lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'},
      {type: 'DiskPressure', status: 'False', lastHeartbeatTime: '2026-01-01T00:00:05Z', lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
      {type: 'PIDPressure', status: 'False', lastHeartbeatTime: '2026-01-01T00:00:05Z', lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
      {type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:05Z', lastTransitionTime: '2025-12-31T00:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status'},
    ])
  })

  it('moves heartbeats on and keeps transition times while nothing changes', () => {
    const later = nodeStatus({...node, status: s}, {now: at(65_000), profile, kubernetesVersion: '1.33'})
    const ready = (later.conditions as Obj[]).find((c) => c.type === 'Ready')!
    assert.equal(ready.lastHeartbeatTime, '2026-01-01T00:01:05Z')
    assert.equal(ready.lastTransitionTime, '2025-12-31T00:00:00Z')
  })

  it('is NotReady until readyAfterSeconds have passed since the node was created', () => {
    const p = parsePodProfile('node:\n  readyAfterSeconds: 20\n', 'p.yaml')
    const fresh = {metadata: {name: 'n', creationTimestamp: '2026-01-01T00:00:00Z'}}
    const early = nodeStatus(fresh, {now: at(5000), profile: p})
    const ready = (early.conditions as Obj[]).find((c) => c.type === 'Ready')!
    assert.equal(ready.status, 'False')
    assert.equal(ready.reason, 'KubeletNotReady')
    assert.match(ready.message as string, /cni plugin not initialized/)
    const late = nodeStatus({...fresh, status: early}, {now: at(25_000), profile: p})
    const now = (late.conditions as Obj[]).find((c) => c.type === 'Ready')!
    assert.deepEqual([now.status, now.lastTransitionTime], ['True', '2026-01-01T00:00:20Z'])
  })

  it('reports MemoryPressure when the pods\' usage leaves less than the eviction threshold', () => {
    const small = parsePodProfile('node:\n  capacity: {memory: 200Mi}\n', 'p.yaml')
    const hog = drive(makePod({containers: [{name: 'hog', image: 'python:3.12', imagePullPolicy: 'IfNotPresent', resources: {requests: {memory: '300Mi'}}}]}), 10_000).pod
    const st = nodeStatus(node, {now: at(10_000), profile: small, pods: [hog]})
    const mp = (st.conditions as Obj[]).find((c) => c.type === 'MemoryPressure')!
    assert.deepEqual([mp.status, mp.reason, mp.message], ['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'])
    const measured = nodeStatus(node, {now: at(10_000), profile: small, usage: {memory: '10Mi'}})
    assert.equal((measured.conditions as Obj[]).find((c) => c.type === 'MemoryPressure')!.status, 'False')
  })

  it('keeps the node\'s addresses and writes the kubelet endpoint', () => {
    assert.deepEqual(s.addresses, [{type: 'InternalIP', address: '172.18.0.3'}, {type: 'Hostname', address: 'sim-1'}])
    assert.deepEqual(s.daemonEndpoints, {kubeletEndpoint: {Port: 10250}})
    const bare = nodeStatus({metadata: {name: 'worker-2'}}, {now: at(0), profile})
    assert.equal((bare.addresses as Obj[])[1].address, 'worker-2')
    assert.match((bare.addresses as Obj[])[0].address as string, /^172\.18\.\d+\.\d+$/)
  })

  it('describes the node for the emulated release', () => {
    const info = s.nodeInfo as Obj
    assert.equal(info.kubeletVersion, 'v1.33.0')
    assert.equal(info.kubeProxyVersion, '')
    assert.equal(info.containerRuntimeVersion, 'containerd://2.1.1')
    assert.equal(info.osImage, 'Debian GNU/Linux 12 (bookworm)')
    assert.equal(info.architecture, 'amd64')
    assert.equal(info.operatingSystem, 'linux')
    assert.match(info.machineID as string, /^[0-9a-f]{32}$/)
    assert.match(info.systemUUID as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.deepEqual(s.features, {supplementalGroupsPolicy: true})
    assert.deepEqual((s.runtimeHandlers as Obj[]).map((h) => h.name), ['', 'runc'])
    const old = nodeStatus(node, {now: at(0), profile, kubernetesVersion: '1.30.2'})
    assert.equal((old.nodeInfo as Obj).kubeProxyVersion, 'v1.30.2')
    assert.equal((old.nodeInfo as Obj).containerRuntimeVersion, 'containerd://1.7.18')
    assert.equal(old.runtimeHandlers, undefined)
    assert.equal(old.features, undefined)
  })

  it('adds NetworkUnavailable when the profile asks for it', () => {
    const p = parsePodProfile('node:\n  networkUnavailableCondition: true\n', 'p.yaml')
    const c = (nodeStatus(node, {now: at(0), profile: p}).conditions as Obj[])[0]
    assert.deepEqual([c.type, c.status, c.reason], ['NetworkUnavailable', 'False', 'RouteCreated'])
  })
})
