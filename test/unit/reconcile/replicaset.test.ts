// The ReplicaSet and ServiceAccount controllers on a control plane settling on a virtual clock.
import {strict as assert} from 'node:assert'
import {newCluster, type Any} from '../apiserver/helpers.js'

function rs(name: string, replicas: number, extra: Any = {}): Any {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}, ...extra},
  }
}

function podsOf(api: ReturnType<typeof newCluster>['api'], app: string): Any[] {
  return api.ok(api.list('pods', {labelSelector: `app=${app}`})).items
}

/** What a kubelet would write: the pod running and ready since `at`. */
function markReady(api: ReturnType<typeof newCluster>['api'], pod: Any, at: string): void {
  api.ok(api.patch('pods', pod.metadata.name, 'merge', {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: at}]}}, {}, 'status'))
}

describe('ReplicaSet controller', () => {
  it('creates the missing pods, named from the ReplicaSet and owned by it', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('replicasets', rs('web', 3)))
    cp.settle()
    const pods = podsOf(api, 'web')
    assert.equal(pods.length, 3)
    for (const p of pods) {
      assert.match(p.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      assert.equal(p.metadata.ownerReferences[0].kind, 'ReplicaSet')
      assert.equal(p.metadata.ownerReferences[0].controller, true)
      assert.equal(p.spec.containers[0].image, 'nginx')
    }
    const status = api.ok(api.get('replicasets', 'web')).status
    assert.deepEqual(status, {replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1})
  })

  it('scales down deleting unscheduled and unready pods first', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('replicasets', rs('web', 3)))
    cp.settle()
    const [a] = podsOf(api, 'web')
    markReady(api, a, '2026-11-22T12:00:00Z')
    api.ok(api.patch('replicasets', 'web', 'merge', {spec: {replicas: 1}}))
    cp.settle()
    assert.deepEqual(podsOf(api, 'web').map((p) => p.metadata.name), [a.metadata.name])
  })

  it('counts ready and available pods, waiting minReadySeconds for availability', () => {
    const {api, cp, clock} = newCluster()
    api.ok(api.create('replicasets', rs('web', 2, {minReadySeconds: 30})))
    cp.settle()
    for (const p of podsOf(api, 'web')) markReady(api, p, clock.now().toISOString().replace(/\.\d+Z$/, 'Z'))
    cp.settle({horizonMs: 10_000})
    assert.deepEqual(api.ok(api.get('replicasets', 'web')).status, {replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, observedGeneration: 1})
    cp.settle()
    assert.equal(api.ok(api.get('replicasets', 'web')).status.availableReplicas, 2, 'available once minReadySeconds passed (the settle moved the virtual clock)')
  })

  it('adopts matching orphans and releases pods whose labels stop matching', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'orphan', labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'x'}]}}))
    api.ok(api.create('replicasets', rs('web', 2)))
    cp.settle()
    const pods = podsOf(api, 'web')
    assert.equal(pods.length, 2)
    assert.equal(pods.find((p) => p.metadata.name === 'orphan')?.metadata.ownerReferences[0].name, 'web')
    api.ok(api.patch('pods', 'orphan', 'merge', {metadata: {labels: {app: 'other'}}}))
    cp.settle()
    assert.equal(api.ok(api.get('pods', 'orphan')).metadata.ownerReferences, undefined)
    assert.equal(podsOf(api, 'web').length, 2, 'a replacement was created')
  })

  it('replaces a deleted pod', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('replicasets', rs('web', 2)))
    cp.settle()
    const [a] = podsOf(api, 'web')
    api.ok(api.delete('pods', a.metadata.name))
    cp.settle()
    const after = podsOf(api, 'web')
    assert.equal(after.length, 2)
    assert.ok(!after.some((p) => p.metadata.name === a.metadata.name))
  })
})

describe('ServiceAccount controller', () => {
  it('gives every namespace a default ServiceAccount, and restores it', () => {
    const {api, cp} = newCluster()
    cp.settle()
    assert.equal(api.get('serviceaccounts', 'default').status, 200)
    api.ok(api.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team'}}))
    cp.settle()
    assert.equal(api.req('get', 'serviceaccounts', {name: 'default', namespace: 'team'}).status, 200)
    api.ok(api.delete('serviceaccounts', 'default'))
    cp.settle()
    assert.equal(api.get('serviceaccounts', 'default').status, 200)
  })
})
