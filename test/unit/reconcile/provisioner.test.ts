// Dynamic provisioning end to end on a virtual clock: kind's default StorageClass `standard`
// (WaitForFirstConsumer, rancher.io/local-path), the PV controller, the local-path provisioner, and
// — for the golden scenario — the scheduler and kubelets on the default cluster profile.
import {strict as assert} from 'node:assert'
import type {ApiRequest} from '../../../src/apiserver/types.js'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {provisionerIdentity} from '../../../src/reconcile/controllers/provisioner.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

const PV_CONTROLLER = 'persistentvolume-controller'
const EXTERNAL = (p: string) =>
  `Waiting for a volume to be created either by the external provisioner '${p}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`

function call(c: Cluster, req: Partial<ApiRequest> & Pick<ApiRequest, 'verb' | 'resource'>): Any {
  const group = req.resource === 'storageclasses' ? 'storage.k8s.io' : ''
  const res = c.cp.handle({group, version: 'v1', ...req} as ApiRequest)
  if (res.status >= 300) throw new Error(`${req.verb} ${req.resource}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as Any
}

const getPV = (c: Cluster, name: string): Any | undefined => {
  const res = c.cp.handle({verb: 'get', group: '', version: 'v1', resource: 'persistentvolumes', name})
  return res.status === 200 ? (res.body as Any) : undefined
}
const listPVs = (c: Cluster): Any[] => call(c, {verb: 'list', resource: 'persistentvolumes'}).items
const getPVC = (c: Cluster, name: string): Any => c.api.ok(c.api.get('persistentvolumeclaims', name))

function claim(name: string, extra: Any = {}): Any {
  return {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '2Gi'}}, ...extra}}
}

function podUsing(name: string, claimName: string): Any {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: {name},
    spec: {containers: [{name: 'app', image: 'nginx', volumeMounts: [{name: 'data', mountPath: '/data'}]}], volumes: [{name: 'data', persistentVolumeClaim: {claimName}}]},
  }
}

/** `reason [source]: message (count)` of the events about an object, oldest first. */
function eventsOf(c: Cluster, name: string, kind = 'PersistentVolumeClaim'): string[] {
  return (c.api.ok(c.api.list('events')).items as Any[])
    .filter((e) => e.involvedObject.name === name && e.involvedObject.kind === kind)
    .map((e) => `${e.reason} [${e.source.component}]: ${e.message} (${e.count})`)
}

/** The PV controller and the provisioner alone; the test plays the scheduler. */
function storageOnly(): Cluster {
  return newCluster(5, {controllers: ['persistentvolume-binder', 'local-path-provisioner'], cluster: loadClusterProfile()})
}

describe('local-path provisioner with the PV controller', () => {
  it('keeps a default-class claim Pending until a pod is scheduled, then binds it to a volume on that node', () => {
    const c = newCluster(3, {controllers: ['persistentvolume-binder', 'local-path-provisioner', 'scheduler', 'kubelet'], cluster: loadClusterProfile()})
    const identity = provisionerIdentity(3)
    assert.match(identity, /^rancher\.io\/local-path_local-path-provisioner-[a-z0-9]{10}-[a-z0-9]{5}_[0-9a-f-]{36}$/)
    c.api.ok(c.api.create('persistentvolumeclaims', claim('data')))
    c.cp.settle()
    let pvc = getPVC(c, 'data')
    assert.equal(pvc.spec.storageClassName, 'standard') // DefaultStorageClass admission
    assert.equal(pvc.status.phase, 'Pending')
    assert.equal(pvc.spec.volumeName, undefined)
    assert.deepEqual(listPVs(c), [])
    assert.deepEqual(eventsOf(c, 'data'), [`WaitForFirstConsumer [${PV_CONTROLLER}]: waiting for first consumer to be created before binding (1)`])

    // A minute later: the claim's resync said it again.
    c.clock.advance(60_000)
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(eventsOf(c, 'data'), [`WaitForFirstConsumer [${PV_CONTROLLER}]: waiting for first consumer to be created before binding (2)`])
    c.api.ok(c.api.create('pods', podUsing('app', 'data')))
    c.cp.settle()

    const pod = c.api.ok(c.api.get('pods', 'app'))
    assert.equal(pod.status.phase, 'Running')
    const node = pod.spec.nodeName as string
    assert.match(node, /^node-[123]$/)
    pvc = getPVC(c, 'data')
    const pvName = `pvc-${pvc.metadata.uid}`
    assert.equal(pvc.status.phase, 'Bound')
    assert.equal(pvc.spec.volumeName, pvName)
    assert.deepEqual(pvc.status.capacity, {storage: '2Gi'})
    assert.deepEqual(pvc.status.accessModes, ['ReadWriteOnce'])
    const a = pvc.metadata.annotations
    assert.equal(a['pv.kubernetes.io/bind-completed'], 'yes')
    assert.equal(a['pv.kubernetes.io/bound-by-controller'], 'yes')
    assert.equal(a['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path')
    assert.equal(a['volume.beta.kubernetes.io/storage-provisioner'], 'rancher.io/local-path')
    assert.match(a['volume.kubernetes.io/selected-node'], /^node-[123]$/)

    const pvs = listPVs(c)
    assert.equal(pvs.length, 1)
    const pv = pvs[0]
    assert.equal(pv.metadata.name, pvName)
    assert.deepEqual(pv.metadata.annotations, {'local.path.provisioner/selected-node': node, 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path'})
    assert.deepEqual(pv.spec.hostPath, {path: `/var/local-path-provisioner/${pvName}_default_data`, type: 'DirectoryOrCreate'})
    assert.deepEqual(pv.spec.nodeAffinity, {required: {nodeSelectorTerms: [{matchExpressions: [{key: 'kubernetes.io/hostname', operator: 'In', values: [node]}]}]}})
    assert.deepEqual(pv.spec.capacity, {storage: '2Gi'})
    assert.deepEqual(pv.spec.accessModes, ['ReadWriteOnce'])
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete')
    assert.equal(pv.spec.storageClassName, 'standard')
    assert.equal(pv.spec.volumeMode, 'Filesystem')
    assert.equal(pv.spec.claimRef.uid, pvc.metadata.uid)
    assert.equal(pv.status.phase, 'Bound')

    const events = eventsOf(c, 'data')
    assert.equal(events[0], `WaitForFirstConsumer [${PV_CONTROLLER}]: waiting for first consumer to be created before binding (2)`)
    assert.equal(events[1], `ExternalProvisioning [${PV_CONTROLLER}]: ${EXTERNAL('rancher.io/local-path')} (1)`)
    assert.deepEqual(events.slice(2), [
      `Provisioning [${identity}]: External provisioner is provisioning volume for claim "default/data" (1)`,
      `ProvisioningSucceeded [${identity}]: Successfully provisioned volume ${pvName} (1)`,
    ])

    // The pod goes, then the claim: the volume is Released and, reclaimPolicy Delete, deleted by its provisioner.
    c.api.ok(c.api.delete('pods', 'app', {gracePeriodSeconds: 0}))
    c.cp.settle()
    assert.equal(getPV(c, pvName)!.status.phase, 'Bound')
    c.api.ok(c.api.delete('persistentvolumeclaims', 'data'))
    c.cp.settle()
    assert.equal(getPV(c, pvName), undefined)
  })

  it('provisions on the node the scheduler selected, with the class reclaimPolicy, and Retain keeps it Released', () => {
    const c = storageOnly()
    call(c, {
      verb: 'create', resource: 'storageclasses',
      body: {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 'keep'}, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer'},
    })
    c.api.ok(c.api.create('persistentvolumeclaims', claim('logs', {storageClassName: 'keep', accessModes: ['ReadWriteOncePod'], resources: {requests: {storage: '750Mi'}}})))
    c.cp.settle()
    assert.deepEqual(listPVs(c), [])
    c.api.ok(c.api.patch('persistentvolumeclaims', 'logs', 'merge', {metadata: {annotations: {'volume.kubernetes.io/selected-node': 'node-2'}}}))
    c.cp.settle()
    const pvc = getPVC(c, 'logs')
    const pv = getPV(c, `pvc-${pvc.metadata.uid}`)!
    assert.equal(pvc.status.phase, 'Bound')
    assert.deepEqual(pvc.status.capacity, {storage: '750Mi'})
    assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, ['node-2'])
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain')
    assert.deepEqual(pv.spec.accessModes, ['ReadWriteOncePod'])
    assert.equal(pv.spec.hostPath.path, `/var/local-path-provisioner/pvc-${pvc.metadata.uid}_default_logs`)

    c.api.ok(c.api.delete('persistentvolumeclaims', 'logs'))
    c.cp.settle()
    const released = getPV(c, pv.metadata.name)!
    assert.equal(released.status.phase, 'Released')
    c.clock.advance(60_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(getPV(c, pv.metadata.name)!.status.phase, 'Released')
  })

  it('reports what local-path cannot provision, with the library back-off', () => {
    const c = storageOnly()
    const identity = provisionerIdentity(5)
    call(c, {
      verb: 'create', resource: 'storageclasses',
      body: {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 'now'}, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate'},
    })
    const onNode1 = (o: Any): Any => ({...o, metadata: {...o.metadata, annotations: {'volume.kubernetes.io/selected-node': 'node-1'}}})
    c.api.ok(c.api.create('persistentvolumeclaims', claim('immediate', {storageClassName: 'now'})))
    c.api.ok(c.api.create('persistentvolumeclaims', onNode1(claim('shared', {accessModes: ['ReadWriteMany']}))))
    c.api.ok(c.api.create('persistentvolumeclaims', onNode1(claim('raw', {volumeMode: 'Block'}))))
    c.cp.settle()
    const failed = (cls: string, why: string, n: number) => `ProvisioningFailed [${identity}]: failed to provision volume with StorageClass "${cls}": ${why} (${n})`
    const provisioning = (name: string, n: number) => `Provisioning [${identity}]: External provisioner is provisioning volume for claim "default/${name}" (${n})`
    assert.deepEqual(eventsOf(c, 'immediate').filter((e) => !e.startsWith('ExternalProvisioning')), [
      provisioning('immediate', 1),
      failed('now', 'configuration error, no node was specified', 1),
    ])
    assert.deepEqual(eventsOf(c, 'shared').filter((e) => !e.startsWith('ExternalProvisioning')), [
      provisioning('shared', 1),
      failed('standard', 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes', 1),
    ])
    assert.deepEqual(eventsOf(c, 'raw').filter((e) => !e.startsWith('ExternalProvisioning')), [
      `ProvisioningFailed [${identity}]: rancher.io/local-path does not support block volume provisioning (1)`,
    ])
    assert.deepEqual(listPVs(c), [])
    // Retried after 15 s, then 30 s; the Block claim is not retried.
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(eventsOf(c, 'immediate').at(-1), failed('now', 'configuration error, no node was specified', 2))
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(eventsOf(c, 'immediate').at(-1), failed('now', 'configuration error, no node was specified', 2))
    c.clock.advance(15_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(eventsOf(c, 'immediate').at(-1), failed('now', 'configuration error, no node was specified', 3))
    assert.equal(eventsOf(c, 'raw').filter((e) => e.startsWith('ProvisioningFailed')).at(-1), `ProvisioningFailed [${identity}]: rancher.io/local-path does not support block volume provisioning (1)`)
    for (const n of ['immediate', 'shared', 'raw']) assert.equal(getPVC(c, n).status.phase, 'Pending', n)
  })

  it('gives the claim back to the scheduler when the selected node is gone', () => {
    const c = storageOnly()
    c.api.ok(c.api.create('persistentvolumeclaims', {...claim('data'), metadata: {name: 'data', annotations: {'volume.kubernetes.io/selected-node': 'node-9'}}}))
    c.cp.settle()
    const pvc = getPVC(c, 'data')
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/selected-node'], undefined)
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path')
    assert.ok(eventsOf(c, 'data').includes(`ProvisioningFailed [${provisionerIdentity(5)}]: node "node-9" not found (1)`))
    assert.deepEqual(listPVs(c), [])
  })

  it('ignores claims of other provisioners and volumes it did not provision', () => {
    const c = storageOnly()
    call(c, {verb: 'create', resource: 'storageclasses', body: {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 'nfs'}, provisioner: 'example.com/nfs'}})
    c.api.ok(c.api.create('persistentvolumeclaims', claim('remote', {storageClassName: 'nfs'})))
    call(c, {
      verb: 'create', resource: 'persistentvolumes',
      body: {apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'foreign', annotations: {'pv.kubernetes.io/provisioned-by': 'example.com/nfs'}},
        spec: {capacity: {storage: '1Gi'}, accessModes: ['ReadWriteOnce'], nfs: {server: 'nfs.example.com', path: '/x'}, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'other',
          claimRef: {namespace: 'default', name: 'gone', uid: '00000000-0000-4000-8000-000000000000'}}},
    })
    c.cp.settle()
    assert.equal(getPVC(c, 'remote').status.phase, 'Pending')
    assert.deepEqual(listPVs(c).map((p) => [p.metadata.name, p.status.phase]), [['foreign', 'Released']])
  })
})
