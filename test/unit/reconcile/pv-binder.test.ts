// The PersistentVolume controller (persistentvolume-binder) on a virtual clock: static binding and
// its choice of volume, pre-binding from either side, handing claims to external provisioners,
// WaitForFirstConsumer waiting, retroactive default classes, and what happens to a volume when its
// claim goes away (Released; Retain keeps it, Delete deletes or fails it).
import {strict as assert} from 'node:assert'
import type {ApiRequest} from '../../../src/apiserver/types.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

const CLUSTER_RES: Record<string, [string, string]> = {persistentvolumes: ['', 'v1'], storageclasses: ['storage.k8s.io', 'v1']}

function call(c: Cluster, req: Partial<ApiRequest> & Pick<ApiRequest, 'verb' | 'resource'>): Any {
  const [group, version] = CLUSTER_RES[req.resource] ?? ['', 'v1']
  const res = c.cp.handle({group, version, ...req} as ApiRequest)
  if (res.status >= 300) throw new Error(`${req.verb} ${req.resource}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as Any
}

const getPV = (c: Cluster, name: string): Any | undefined => {
  const res = c.cp.handle({verb: 'get', group: '', version: 'v1', resource: 'persistentvolumes', name})
  return res.status === 200 ? (res.body as Any) : undefined
}
const getPVC = (c: Cluster, name: string): Any => c.api.ok(c.api.get('persistentvolumeclaims', name))

function pv(name: string, size: string, extra: Any = {}): Any {
  const {labels, annotations, ...spec} = extra
  return {
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name, ...(labels ? {labels} : {}), ...(annotations ? {annotations} : {})},
    spec: {capacity: {storage: size}, accessModes: ['ReadWriteOnce'], hostPath: {path: `/data/${name}`}, storageClassName: '', ...spec},
  }
}

function pvc(name: string, size: string, extra: Any = {}): Any {
  return {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: size}}, storageClassName: '', ...extra}}
}

function storageClass(name: string, extra: Any = {}): Any {
  return {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name}, provisioner: 'example.com/nfs', ...extra}
}

function createPV(c: Cluster, body: Any): Any {
  return call(c, {verb: 'create', resource: 'persistentvolumes', body})
}

/** The events about an object, oldest first, as `reason: message (count)`. */
function eventsOf(c: Cluster, name: string, kind = 'PersistentVolumeClaim'): string[] {
  return (c.api.ok(c.api.list('events')).items as Any[])
    .filter((e) => e.involvedObject.name === name && e.involvedObject.kind === kind)
    .map((e) => `${e.type} ${e.reason}: ${e.message} (${e.count})`)
}

function binder(): Cluster {
  return newCluster(11, {controllers: ['persistentvolume-binder']})
}

describe('PersistentVolume controller (binder)', () => {
  it('binds a claim to the smallest Available volume that fits, writing both sides', () => {
    const c = binder()
    createPV(c, pv('pv-20', '20Gi'))
    createPV(c, pv('pv-5', '5Gi'))
    createPV(c, pv('pv-2', '2Gi')) // too small
    createPV(c, pv('pv-8-fast', '8Gi', {storageClassName: 'fast'})) // another class
    createPV(c, pv('pv-6-block', '6Gi', {volumeMode: 'Block'})) // another volumeMode
    c.cp.settle()
    for (const n of ['pv-20', 'pv-5', 'pv-2', 'pv-8-fast', 'pv-6-block']) assert.equal(getPV(c, n)!.status.phase, 'Available', n)
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('data', '3Gi')))
    c.cp.settle()

    const claim = getPVC(c, 'data')
    const vol = getPV(c, 'pv-5')!
    assert.equal(claim.spec.volumeName, 'pv-5')
    assert.deepEqual(claim.metadata.annotations, {'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes'})
    // The claim's capacity is the volume's, not the request.
    assert.deepEqual(claim.status, {phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: {storage: '5Gi'}})
    assert.equal(vol.status.phase, 'Bound')
    assert.deepEqual(vol.metadata.annotations, {'pv.kubernetes.io/bound-by-controller': 'yes'})
    const {resourceVersion, ...ref} = vol.spec.claimRef
    assert.deepEqual(ref, {kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: claim.metadata.uid, apiVersion: 'v1'})
    assert.match(resourceVersion, /^\d+$/)
    assert.equal(getPV(c, 'pv-20')!.status.phase, 'Available')
    assert.deepEqual(eventsOf(c, 'data'), [])
  })

  it('prefers volumes offering exactly the asked access modes, and honours the claim selector', () => {
    const c = binder()
    createPV(c, pv('rwo-rox-1g', '1Gi', {accessModes: ['ReadWriteOnce', 'ReadOnlyMany']}))
    createPV(c, pv('rwo-10g', '10Gi'))
    createPV(c, pv('rwo-3g-ssd', '3Gi', {labels: {disk: 'ssd'}, accessModes: ['ReadWriteOnce', 'ReadOnlyMany']}))
    createPV(c, pv('rwo-2g-hdd', '2Gi', {labels: {disk: 'hdd'}}))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('modes', '1Gi')))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('picky', '1Gi', {selector: {matchLabels: {disk: 'ssd'}}})))
    c.cp.settle()
    // The [RWO] group is searched before [RWO, ROX], even though the latter holds a smaller volume.
    assert.equal(getPVC(c, 'modes').spec.volumeName, 'rwo-2g-hdd')
    assert.equal(getPVC(c, 'picky').spec.volumeName, 'rwo-3g-ssd')
    assert.equal(getPV(c, 'rwo-rox-1g')!.status.phase, 'Available')
  })

  it('binds a volume pre-bound by its claimRef, and a claim asking for a volume by name', () => {
    const c = binder()
    createPV(c, pv('small', '1Gi'))
    createPV(c, pv('reserved', '50Gi', {claimRef: {namespace: 'default', name: 'db'}}))
    createPV(c, pv('named', '10Gi'))
    c.cp.settle()
    // Reserved for a claim that does not exist yet: Available.
    assert.equal(getPV(c, 'reserved')!.status.phase, 'Available')
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('db', '1Gi')))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('mine', '1Gi', {volumeName: 'named'})))
    c.cp.settle()

    const db = getPVC(c, 'db')
    assert.equal(db.spec.volumeName, 'reserved')
    assert.deepEqual(db.status.capacity, {storage: '50Gi'})
    const reserved = getPV(c, 'reserved')!
    // The user bound the volume: no bound-by-controller on it, only the uid was added.
    assert.equal(reserved.metadata.annotations, undefined)
    assert.equal(reserved.spec.claimRef.uid, db.metadata.uid)
    assert.equal(reserved.status.phase, 'Bound')

    const mine = getPVC(c, 'mine')
    // The user chose the volume: the claim is not marked bound-by-controller, the volume is.
    assert.deepEqual(mine.metadata.annotations, {'pv.kubernetes.io/bind-completed': 'yes'})
    assert.deepEqual(getPV(c, 'named')!.metadata.annotations, {'pv.kubernetes.io/bound-by-controller': 'yes'})
    assert.equal(mine.status.phase, 'Bound')
    assert.equal(getPV(c, 'small')!.status.phase, 'Available')
  })

  it('refuses a requested volume that does not satisfy the claim, and waits for a missing one', () => {
    const c = binder()
    createPV(c, pv('tiny', '1Gi'))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('big', '5Gi', {volumeName: 'tiny'})))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('later', '1Gi', {volumeName: 'not-yet'})))
    c.cp.settle()
    assert.equal(getPVC(c, 'big').status.phase, 'Pending')
    assert.deepEqual(eventsOf(c, 'big'), ['Warning VolumeMismatch: Cannot bind to requested volume "tiny": requested PV is too small (1)'])
    assert.equal(getPV(c, 'tiny')!.status.phase, 'Available')
    assert.equal(getPVC(c, 'later').status.phase, 'Pending')
    // A new volume does not wake the claim; its next resync (15 s, a background timer) binds it.
    createPV(c, pv('not-yet', '1Gi'))
    c.cp.settle()
    assert.equal(getPVC(c, 'later').status.phase, 'Pending')
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(getPVC(c, 'later').status.phase, 'Bound')
    assert.equal(getPV(c, 'not-yet')!.status.phase, 'Bound')
  })

  it('says FailedBinding for a class-less claim with nothing to bind, again at every resync', () => {
    const c = binder()
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('orphan', '1Gi')))
    c.cp.settle({horizonMs: 0})
    const msg = 'Normal FailedBinding: no persistent volumes available for this claim and no storage class is set'
    assert.deepEqual(eventsOf(c, 'orphan'), [`${msg} (1)`])
    // Resyncs are background work: settling alone does not move time for them.
    c.cp.settle()
    assert.deepEqual(eventsOf(c, 'orphan'), [`${msg} (1)`])
    for (let i = 0; i < 2; i++) {
      c.clock.advance(15_000)
      c.cp.settle({horizonMs: 0})
    }
    assert.deepEqual(eventsOf(c, 'orphan'), [`${msg} (3)`])
    assert.equal(getPVC(c, 'orphan').status.phase, 'Pending')
    // A matching volume appears: bound at the next resync.
    createPV(c, pv('late', '2Gi'))
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(getPVC(c, 'orphan').status.phase, 'Bound')
  })

  it('hands a claim of an Immediate class to its external provisioner', () => {
    const c = binder()
    call(c, {verb: 'create', resource: 'storageclasses', body: storageClass('nfs')})
    call(c, {verb: 'create', resource: 'storageclasses', body: storageClass('local', {provisioner: 'kubernetes.io/no-provisioner'})})
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('shared', '1Gi', {storageClassName: 'nfs'})))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('static', '1Gi', {storageClassName: 'local'})))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('nowhere', '1Gi', {storageClassName: 'missing'})))
    c.cp.settle()
    const shared = getPVC(c, 'shared')
    assert.equal(shared.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'example.com/nfs')
    assert.equal(shared.metadata.annotations['volume.beta.kubernetes.io/storage-provisioner'], 'example.com/nfs')
    assert.equal(shared.status.phase, 'Pending')
    // Said again when the claim's own annotation update brings it back (kubectl describe: "x2").
    assert.deepEqual(eventsOf(c, 'shared'), [
      "Normal ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'example.com/nfs' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered. (2)",
    ])
    assert.deepEqual(eventsOf(c, 'static'), ['Warning ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner (1)'])
    assert.deepEqual(eventsOf(c, 'nowhere'), ['Warning ProvisioningFailed: storageclass.storage.k8s.io "missing" not found (1)'])
    // The provisioner (played here) creates a volume pre-bound to the claim: the binder finishes.
    createPV(c, pv(`pvc-${shared.metadata.uid}`, '1Gi', {
      storageClassName: 'nfs', persistentVolumeReclaimPolicy: 'Delete', annotations: {'pv.kubernetes.io/provisioned-by': 'example.com/nfs'},
      claimRef: {kind: 'PersistentVolumeClaim', namespace: 'default', name: 'shared', uid: shared.metadata.uid, apiVersion: 'v1', resourceVersion: shared.metadata.resourceVersion},
    }))
    c.cp.settle()
    const bound = getPVC(c, 'shared')
    assert.equal(bound.spec.volumeName, `pvc-${shared.metadata.uid}`)
    assert.equal(bound.status.phase, 'Bound')
    assert.deepEqual(getPV(c, `pvc-${shared.metadata.uid}`)!.metadata.annotations, {'pv.kubernetes.io/provisioned-by': 'example.com/nfs'})
  })

  it('waits for the first consumer of a WaitForFirstConsumer claim, naming pods still to be scheduled', () => {
    const c = binder()
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('data', '1Gi', {storageClassName: 'standard'})))
    c.cp.settle()
    const claim = getPVC(c, 'data')
    assert.equal(claim.status.phase, 'Pending')
    assert.equal(claim.metadata.annotations, undefined)
    assert.deepEqual(eventsOf(c, 'data'), ['Normal WaitForFirstConsumer: waiting for first consumer to be created before binding (1)'])
    // A pod using it, not scheduled (no scheduler here): the next resync names it.
    c.api.ok(c.api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'app'}, spec: {containers: [{name: 'c', image: 'nginx'}], volumes: [{name: 'd', persistentVolumeClaim: {claimName: 'data'}}]}}))
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(eventsOf(c, 'data'), [
      'Normal WaitForFirstConsumer: waiting for first consumer to be created before binding (1)',
      'Normal WaitForPodScheduled: waiting for pod app to be scheduled (1)',
    ])
    // The scheduler (played here) picks a node: now it is the provisioner's turn.
    c.api.ok(c.api.patch('persistentvolumeclaims', 'data', 'merge', {metadata: {annotations: {'volume.kubernetes.io/selected-node': 'node-1'}}}))
    c.cp.settle({horizonMs: 0})
    const handed = getPVC(c, 'data')
    assert.equal(handed.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path')
    assert.equal(eventsOf(c, 'data').at(-1), "Normal ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered. (2)")
  })

  it('leaves Available volumes of a WaitForFirstConsumer class to the scheduler', () => {
    const c = binder()
    createPV(c, pv('local-1', '5Gi', {storageClassName: 'standard'}))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('data', '1Gi', {storageClassName: 'standard'})))
    c.cp.settle()
    assert.equal(getPVC(c, 'data').spec.volumeName, undefined)
    // The scheduler (played here) chose the volume: claimRef + bound-by-controller; the binder completes.
    const claim = getPVC(c, 'data')
    call(c, {
      verb: 'patch', resource: 'persistentvolumes', name: 'local-1', patchType: 'merge',
      body: {metadata: {annotations: {'pv.kubernetes.io/bound-by-controller': 'yes'}}, spec: {claimRef: {kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: 'data', uid: claim.metadata.uid}}},
    })
    c.cp.settle()
    assert.equal(getPVC(c, 'data').spec.volumeName, 'local-1')
    assert.equal(getPVC(c, 'data').status.phase, 'Bound')
    assert.equal(getPV(c, 'local-1')!.status.phase, 'Bound')
  })

  it('assigns the default class retroactively to claims created without one', () => {
    const c = binder()
    call(c, {verb: 'delete', resource: 'storageclasses', name: 'standard'})
    const body = pvc('early', '1Gi')
    delete body.spec.storageClassName
    c.api.ok(c.api.create('persistentvolumeclaims', body))
    c.cp.settle()
    assert.equal(getPVC(c, 'early').spec.storageClassName, undefined)
    assert.deepEqual(eventsOf(c, 'early'), ['Normal FailedBinding: no persistent volumes available for this claim and no storage class is set (1)'])
    call(c, {verb: 'create', resource: 'storageclasses', body: storageClass('fast', {metadata: {name: 'fast', annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}}})})
    c.cp.settle()
    const claim = getPVC(c, 'early')
    assert.equal(claim.spec.storageClassName, 'fast')
    assert.equal(claim.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'example.com/nfs')
    assert.match(eventsOf(c, 'early').at(-1)!, /^Normal ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'example.com\/nfs'/)
  })

  it('releases a volume whose claim is deleted: Retain keeps it, Delete removes /tmp hostPaths and fails others', () => {
    const c = binder()
    createPV(c, pv('kept', '1Gi', {storageClassName: 'a'}))
    createPV(c, pv('scratch', '1Gi', {storageClassName: 'b', persistentVolumeReclaimPolicy: 'Delete', hostPath: {path: '/tmp/scratch'}}))
    createPV(c, pv('precious', '1Gi', {storageClassName: 'c', persistentVolumeReclaimPolicy: 'Delete', hostPath: {path: '/srv/precious'}}))
    for (const [claim, cls] of [['a', 'a'], ['b', 'b'], ['c', 'c']]) c.api.ok(c.api.create('persistentvolumeclaims', pvc(claim, '1Gi', {storageClassName: cls})))
    c.cp.settle()
    for (const n of ['kept', 'scratch', 'precious']) assert.equal(getPV(c, n)!.status.phase, 'Bound', n)
    for (const n of ['a', 'b', 'c']) c.api.ok(c.api.delete('persistentvolumeclaims', n))
    c.cp.settle()

    const kept = getPV(c, 'kept')!
    assert.equal(kept.status.phase, 'Released')
    assert.equal(kept.spec.claimRef.name, 'a') // still points at the gone claim
    assert.equal(getPV(c, 'scratch'), undefined)
    const precious = getPV(c, 'precious')!
    assert.equal(precious.status.phase, 'Failed')
    assert.equal(precious.status.message, 'host_path deleter only supports /tmp/.+ but received provided /srv/precious')
    assert.deepEqual(eventsOf(c, 'precious', 'PersistentVolume'), ['Warning VolumeFailedDelete: host_path deleter only supports /tmp/.+ but received provided /srv/precious (1)'])
    // A Released volume is not offered to new claims.
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('again', '1Gi', {storageClassName: 'a'})))
    c.cp.settle()
    assert.equal(getPVC(c, 'again').status.phase, 'Pending')
    // Until an administrator clears the claimRef.
    call(c, {verb: 'patch', resource: 'persistentvolumes', name: 'kept', patchType: 'merge', body: {spec: {claimRef: null}}})
    c.cp.settle()
    assert.equal(getPV(c, 'kept')!.status.phase, 'Available')
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(getPVC(c, 'again').spec.volumeName, 'kept')
    assert.equal(getPV(c, 'kept')!.status.phase, 'Bound')
  })

  it('marks a bound claim Lost when its volume disappears', () => {
    const c = binder()
    createPV(c, pv('fragile', '1Gi'))
    c.api.ok(c.api.create('persistentvolumeclaims', pvc('data', '1Gi')))
    c.cp.settle()
    assert.equal(getPVC(c, 'data').status.phase, 'Bound')
    call(c, {verb: 'delete', resource: 'persistentvolumes', name: 'fragile'})
    c.cp.settle()
    const claim = getPVC(c, 'data')
    assert.equal(claim.status.phase, 'Lost')
    assert.deepEqual(eventsOf(c, 'data'), ['Warning ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost! (1)'])
  })
})
