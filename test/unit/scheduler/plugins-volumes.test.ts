// VolumeBinding (basic): missing and unbound Immediate claims, bound PVs' node affinity, and
// WaitForFirstConsumer claims matched to local PVs or provisioned where topology allows.
import assert from 'node:assert/strict'
import type {PersistentVolume, PersistentVolumeClaim, StorageClass} from '../../../src/scheduler/api.js'
import {newVolumeBinding, volumeDecisions} from '../../../src/scheduler/plugins/volume-binding.js'
import {cycle, node, pod} from './fixtures.js'

const nodes = () => [node('a1', {zone: 'a'}), node('b1', {zone: 'b'})]
const claim = (name: string, o: {volumeName?: string; cls?: string; size?: string; modes?: string[]} = {}): PersistentVolumeClaim => ({
  metadata: {name, namespace: 'default'},
  spec: {storageClassName: o.cls ?? 'standard', volumeName: o.volumeName, accessModes: o.modes ?? ['ReadWriteOnce'], resources: {requests: {storage: o.size ?? '1Gi'}}},
})
const pv = (name: string, o: {node?: string; size?: string; cls?: string; claim?: string; modes?: string[]} = {}): PersistentVolume => ({
  metadata: {name},
  spec: {
    storageClassName: o.cls ?? 'local',
    capacity: {storage: o.size ?? '1Gi'},
    accessModes: o.modes ?? ['ReadWriteOnce'],
    ...(o.claim ? {claimRef: {namespace: 'default', name: o.claim}} : {}),
    ...(o.node ? {nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: 'kubernetes.io/hostname', operator: 'In', values: [o.node]}]}]}}} : {}),
  },
})
const cls = (name: string, o: Partial<StorageClass> = {}): StorageClass => ({metadata: {name}, provisioner: 'example.com/csi', volumeBindingMode: 'WaitForFirstConsumer', ...o})
const using = (...claims: string[]) => pod('p', {volumes: claims.map((c) => ({name: c, persistentVolumeClaim: {claimName: c}}))})

describe('scheduler plugins: VolumeBinding', () => {
  const pl = newVolumeBinding()
  const run = (state: Omit<Parameters<typeof cycle>[0], 'nodes'>, p: ReturnType<typeof pod>) => {
    const c = cycle({nodes: nodes(), ...state}, p)
    const pre = pl.preFilter(c.state, c.pi)
    if (pre?.status) return pre.status.code === 'Skip' ? 'skip' : `prefilter: ${pre.status.message()}`
    return Object.fromEntries(['a1', 'b1'].map((n) => [n, pl.filter(c.state, c.pi, c.ni(n))?.message() ?? volumeDecisions(c.state, n)]))
  }

  it('skips pods without claims', () => {
    assert.equal(run({}, pod('p')), 'skip')
  })

  it('rejects missing claims and unbound Immediate claims up front', () => {
    assert.equal(run({}, using('data')), 'prefilter: persistentvolumeclaim "data" not found')
    assert.equal(run({persistentVolumeClaims: [claim('data')], storageClasses: [cls('standard', {volumeBindingMode: 'Immediate'})]}, using('data')), 'prefilter: pod has unbound immediate PersistentVolumeClaims')
    assert.equal(run({persistentVolumeClaims: [claim('data', {cls: 'absent'})]}, using('data')), 'prefilter: pod has unbound immediate PersistentVolumeClaims')
  })

  it("checks bound PVs' node affinity", () => {
    const r = run({persistentVolumeClaims: [claim('data', {volumeName: 'pv-a'})], persistentVolumes: [pv('pv-a', {node: 'a1', claim: 'data'})]}, using('data'))
    assert.deepEqual(r, {a1: {bind: [], provision: []}, b1: "node(s) didn't match PersistentVolume's node affinity"})
  })

  it('reports claims bound to PVs that do not exist', () => {
    const r = run({persistentVolumeClaims: [claim('data', {volumeName: 'gone'})]}, using('data'))
    assert.deepEqual(r, {a1: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)', b1: 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'})
  })

  it('binds WaitForFirstConsumer claims to the smallest fitting local PV on the node', () => {
    const r = run({
      persistentVolumeClaims: [claim('data', {cls: 'local', size: '5Gi'})],
      storageClasses: [cls('local', {provisioner: 'kubernetes.io/no-provisioner'})],
      persistentVolumes: [pv('small', {node: 'a1', size: '1Gi'}), pv('big', {node: 'a1', size: '20Gi'}), pv('fit', {node: 'a1', size: '10Gi'}), pv('rox', {node: 'a1', size: '10Gi', modes: ['ReadOnlyMany']})],
    }, using('data'))
    assert.deepEqual(r, {a1: {bind: [{claim: 'default/data', volume: 'fit'}], provision: []}, b1: "node(s) didn't find available persistent volumes to bind"})
  })

  it('provisions where the class allows the topology', () => {
    const r = run({
      persistentVolumeClaims: [claim('data')],
      storageClasses: [cls('standard', {allowedTopologies: [{matchLabelExpressions: [{key: 'topology.kubernetes.io/zone', values: ['b']}]}]})],
    }, using('data'))
    assert.deepEqual(r, {a1: "node(s) didn't find available persistent volumes to bind", b1: {bind: [], provision: [{claim: 'default/data'}]}})
  })

  it('keeps a claim already selected for a node to that node, provisioning it there even if a PV would fit elsewhere', () => {
    const selected = claim('data', {cls: 'local'})
    selected.metadata.annotations = {'volume.kubernetes.io/selected-node': 'b1'}
    const r = run({
      persistentVolumeClaims: [selected],
      storageClasses: [cls('local')],
      persistentVolumes: [pv('on-a', {node: 'a1'}), pv('on-b', {node: 'b1'})],
    }, using('data'))
    assert.deepEqual(r, {a1: "node(s) didn't find available persistent volumes to bind", b1: {bind: [], provision: [{claim: 'default/data'}]}})
  })
})
