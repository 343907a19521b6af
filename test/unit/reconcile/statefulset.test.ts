// The StatefulSet controller on the virtual clock: OrderedReady creation and scale-down order,
// Parallel, claims from volumeClaimTemplates, rolling updates with a partition, OnDelete, revision
// history, claim retention, and a full run with the scheduler, kubelets and local-path storage.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

function sts(name = 'web', replicas = 3, extra: Any = {}, image = 'nginx:1.27'): Any {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: {name},
    spec: {
      replicas, serviceName: name, selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'web', image}]}},
      ...extra,
    },
  }
}

function now(c: Cluster): string {
  return c.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
}

/** Pod names, by ordinal. */
function podNames(c: Cluster, app = 'web'): string[] {
  return (c.api.ok(c.api.list('pods', {labelSelector: `app=${app}`})).items as Any[])
    .map((p) => p.metadata.name).sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()))
}

function pod(c: Cluster, name: string): Any {
  return c.api.ok(c.api.get('pods', name))
}

function ready(c: Cluster, name: string): void {
  c.api.ok(c.api.patch('pods', name, 'merge', {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: now(c)}]}}, {}, 'status'))
}

function getSet(c: Cluster, name = 'web'): Any {
  return c.api.ok(c.api.get('statefulsets', name))
}

function step(c: Cluster): void {
  c.cp.settle({horizonMs: 0})
}

function events(c: Cluster): string[] {
  return (c.api.ok(c.api.list('events')).items as Any[]).filter((e) => e.involvedObject.kind === 'StatefulSet')
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((e) => `${e.reason}: ${e.message}`)
}

/** Settles, marking each new pod ready, until nothing changes. */
function rollOut(c: Cluster): void {
  for (let i = 0; i < 30; i++) {
    step(c)
    const pending = (c.api.ok(c.api.list('pods')).items as Any[]).filter((p) => !p.metadata.deletionTimestamp && !(p.status.conditions ?? []).some((x: Any) => x.type === 'Ready' && x.status === 'True'))
    if (pending.length === 0) return
    for (const p of pending) ready(c, p.metadata.name)
  }
  throw new Error('did not settle')
}

describe('StatefulSet controller', () => {
  it('OrderedReady: creates web-0, waits for it to be Ready, then web-1, then web-2', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    const created = c.api.ok(c.api.create('statefulsets', sts()))
    step(c)
    assert.deepEqual(podNames(c), ['web-0'])
    const p0 = pod(c, 'web-0')
    const rev = getSet(c).status.updateRevision
    assert.match(rev, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/)
    assert.deepEqual(p0.metadata.labels, {app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': rev})
    assert.equal(p0.spec.hostname, 'web-0')
    assert.equal(p0.spec.subdomain, 'web')
    assert.deepEqual(p0.metadata.ownerReferences, [{apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true}])
    step(c)
    assert.deepEqual(podNames(c), ['web-0'], 'web-1 waits for web-0')
    ready(c, 'web-0')
    step(c)
    assert.deepEqual(podNames(c), ['web-0', 'web-1'])
    ready(c, 'web-1')
    step(c)
    ready(c, 'web-2')
    step(c)
    const st = getSet(c).status
    assert.deepEqual(st, {observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: rev, updateRevision: rev, collisionCount: 0, availableReplicas: 3})
    assert.deepEqual(events(c), ['web-0', 'web-1', 'web-2'].map((n) => `SuccessfulCreate: create Pod ${n} in StatefulSet web successful`))
    const revs = c.api.ok(c.api.req('list', 'controllerrevisions', {group: 'apps', version: 'v1', namespace: 'default'})).items as Any[]
    assert.deepEqual(revs.map((r) => [r.metadata.name, r.revision]), [[rev, 1]])
  })

  it('scales down from the highest ordinal, one pod at a time', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    c.api.ok(c.api.create('statefulsets', sts('web', 4)))
    rollOut(c)
    c.api.ok(c.api.patch('pods', 'web-3', 'merge', {metadata: {finalizers: ['test/hold']}}))
    c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {replicas: 1}}))
    step(c)
    assert.ok(pod(c, 'web-3').metadata.deletionTimestamp)
    assert.equal(pod(c, 'web-2').metadata.deletionTimestamp, undefined, 'web-2 waits until web-3 is gone')
    c.api.ok(c.api.patch('pods', 'web-3', 'merge', {metadata: {finalizers: null}}))
    step(c)
    assert.deepEqual(podNames(c), ['web-0'])
    assert.deepEqual(events(c).filter((e) => e.startsWith('SuccessfulDelete')), ['web-3', 'web-2', 'web-1'].map((n) => `SuccessfulDelete: delete Pod ${n} in StatefulSet web successful`))
  })

  it('Parallel creates and deletes all at once', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    c.api.ok(c.api.create('statefulsets', sts('web', 3, {podManagementPolicy: 'Parallel'})))
    step(c)
    assert.deepEqual(podNames(c), ['web-0', 'web-1', 'web-2'])
    c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {replicas: 0}}))
    step(c)
    assert.deepEqual(podNames(c), [])
  })

  it('creates claims from volumeClaimTemplates before the pod, and recreates a failed pod', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    c.api.ok(c.api.create('statefulsets', sts('web', 1, {ordinals: {start: 5}, volumeClaimTemplates: [{metadata: {name: 'www', labels: {tier: 'data'}}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}}]})))
    step(c)
    assert.deepEqual(podNames(c), ['web-5'], 'ordinals start at 5')
    const claim = c.api.ok(c.api.get('persistentvolumeclaims', 'www-web-5'))
    assert.deepEqual(claim.metadata.labels, {tier: 'data', app: 'web'})
    assert.equal(claim.metadata.ownerReferences, undefined, 'retained by default')
    assert.deepEqual(pod(c, 'web-5').spec.volumes.find((v: Any) => v.name === 'www'), {name: 'www', persistentVolumeClaim: {claimName: 'www-web-5'}})
    assert.deepEqual(events(c), ['SuccessfulCreate: create Claim www-web-5 Pod web-5 in StatefulSet web success', 'SuccessfulCreate: create Pod web-5 in StatefulSet web successful'])
    const uid = pod(c, 'web-5').metadata.uid
    c.api.ok(c.api.patch('pods', 'web-5', 'merge', {status: {phase: 'Failed'}}, {}, 'status'))
    step(c)
    step(c)
    assert.notEqual(pod(c, 'web-5').metadata.uid, uid, 'a new web-5')
    assert.ok(events(c).includes('RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-5'))
  })

  it('rolls an update from the highest ordinal down to the partition, waiting for readiness', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    c.api.ok(c.api.create('statefulsets', sts('web', 3, {updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 1}}})))
    rollOut(c)
    const v1 = getSet(c).status.currentRevision
    c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {template: {spec: {containers: [{name: 'web', image: 'nginx:1.28'}]}}}}))
    step(c)
    const v2 = getSet(c).status.updateRevision
    assert.notEqual(v2, v1)
    assert.deepEqual(podNames(c), ['web-0', 'web-1', 'web-2'])
    assert.equal(pod(c, 'web-2').metadata.labels['controller-revision-hash'], v2, 'web-2 replaced first')
    assert.equal(pod(c, 'web-1').metadata.labels['controller-revision-hash'], v1, 'web-1 waits for web-2 to be ready')
    ready(c, 'web-2')
    step(c)
    assert.equal(pod(c, 'web-1').metadata.labels['controller-revision-hash'], v2)
    rollOut(c)
    assert.equal(pod(c, 'web-0').metadata.labels['controller-revision-hash'], v1, 'below the partition: untouched')
    assert.equal(pod(c, 'web-0').spec.containers[0].image, 'nginx:1.27')
    let st = getSet(c).status
    assert.deepEqual([st.currentRevision, st.updateRevision, st.currentReplicas, st.updatedReplicas], [v1, v2, 1, 2])
    c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {updateStrategy: {rollingUpdate: {partition: 0}}}}))
    rollOut(c)
    st = getSet(c).status
    assert.deepEqual([st.currentRevision, st.updateRevision, st.currentReplicas, st.updatedReplicas], [v2, v2, 3, 3], 'complete: the update revision is current')
    // Back to the first template: its revision is reused with the next number.
    c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {template: {spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}}}))
    rollOut(c)
    const revs = (c.api.ok(c.api.req('list', 'controllerrevisions', {group: 'apps', version: 'v1', namespace: 'default'})).items as Any[]).map((r) => [r.metadata.name, r.revision]).sort()
    assert.deepEqual(revs, [[v1, 3], [v2, 2]].sort())
  })

  it('OnDelete replaces only the pods the user deletes', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    c.api.ok(c.api.create('statefulsets', sts('web', 2, {updateStrategy: {type: 'OnDelete'}})))
    rollOut(c)
    c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {template: {spec: {containers: [{name: 'web', image: 'nginx:1.28'}]}}}}))
    rollOut(c)
    assert.deepEqual(podNames(c).map((n) => pod(c, n).spec.containers[0].image), ['nginx:1.27', 'nginx:1.27'])
    c.api.ok(c.api.delete('pods', 'web-1'))
    rollOut(c)
    assert.deepEqual(podNames(c).map((n) => pod(c, n).spec.containers[0].image), ['nginx:1.27', 'nginx:1.28'])
  })

  it('keeps revisionHistoryLimit old revisions', () => {
    const c = newCluster(7, {controllers: ['statefulset']})
    c.api.ok(c.api.create('statefulsets', sts('web', 1, {revisionHistoryLimit: 1})))
    rollOut(c)
    for (const tag of ['1.28', '1.29', '1.30']) {
      c.api.ok(c.api.patch('statefulsets', 'web', 'merge', {spec: {template: {spec: {containers: [{name: 'web', image: `nginx:${tag}`}]}}}}))
      rollOut(c)
    }
    const revs = (c.api.ok(c.api.req('list', 'controllerrevisions', {group: 'apps', version: 'v1', namespace: 'default'})).items as Any[]).map((r) => r.revision).sort()
    assert.deepEqual(revs, [3, 4])
  })

  it('runs with the scheduler, kubelets and local-path storage; claim retention Delete on scale down', () => {
    const c = newCluster(7, {controllers: ['statefulset', 'gc', 'scheduler', 'kubelet', 'persistentvolume-binder', 'local-path-provisioner'], cluster: loadClusterProfile()})
    c.api.ok(c.api.create('statefulsets', sts('db', 2, {
      persistentVolumeClaimRetentionPolicy: {whenScaled: 'Delete', whenDeleted: 'Retain'},
      volumeClaimTemplates: [{metadata: {name: 'data'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}}],
    })))
    c.cp.settle({horizonMs: 60_000})
    const pods = podNames(c, 'db').map((n) => pod(c, n))
    assert.deepEqual(pods.map((p) => [p.metadata.name, p.status.phase]), [['db-0', 'Running'], ['db-1', 'Running']])
    assert.ok(pods.every((p) => /^10\.244\.\d+\.\d+$/.test(p.status.podIP)))
    const claims = (c.api.ok(c.api.list('persistentvolumeclaims')).items as Any[]).map((x) => [x.metadata.name, x.spec.storageClassName, x.status.phase])
    assert.deepEqual(claims, [['data-db-0', 'standard', 'Bound'], ['data-db-1', 'standard', 'Bound']])
    assert.equal(getSet(c, 'db').status.readyReplicas, 2)
    c.api.ok(c.api.patch('statefulsets', 'db', 'merge', {spec: {replicas: 1}}))
    c.cp.settle({horizonMs: 60_000})
    assert.deepEqual(podNames(c, 'db'), ['db-0'])
    assert.deepEqual((c.api.ok(c.api.list('persistentvolumeclaims')).items as Any[]).map((x) => x.metadata.name), ['data-db-0'], 'the scaled-away claim went with its pod')
    // Deleting the set: the garbage collector takes its pods; whenDeleted Retain keeps the claim.
    c.api.ok(c.api.req('delete', 'statefulsets', {name: 'db'}))
    c.cp.settle({horizonMs: 60_000})
    assert.deepEqual(podNames(c, 'db'), [])
    assert.deepEqual((c.api.ok(c.api.list('persistentvolumeclaims')).items as Any[]).map((x) => x.metadata.name), ['data-db-0'])
  })
})
