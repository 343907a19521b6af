// The garbage collector on a control plane settling on a virtual clock: background, orphan and
// foreground propagation, dangling and shared owner references, chained ownership.
import {strict as assert} from 'node:assert'
import {VirtualClock} from '../../../src/api/clock.js'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {Api, deployment, newCluster, pod as podObject, type Any} from '../apiserver/helpers.js'

/** The helpers' pod, typed loosely so tests can add metadata. */
const pod = (name: string, labels?: Record<string, string>, extra?: Any): Any => podObject(name, labels, extra) as Any

function rs(name: string, replicas: number, ownerReferences?: Any[]): Any {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name, ...(ownerReferences ? {ownerReferences} : {})},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'nginx'}]}}},
  }
}

function ref(owner: Any, extra: Any = {}): Any {
  return {apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, ...extra}
}

function configMap(name: string, ownerReferences?: Any[]): Any {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, ...(ownerReferences ? {ownerReferences} : {})}, data: {k: 'v'}}
}

/** A pod owned through `refs` that a finalizer keeps, so that a deletion leaves it terminating. */
function heldPod(name: string, app: string, refs: Any[]): Any {
  const p = pod(name, {app})
  p.metadata.ownerReferences = refs
  p.metadata.finalizers = ['example.com/hold']
  return p
}

function release(api: Api, name: string): void {
  api.ok(api.patch('pods', name, 'merge', {metadata: {finalizers: null}}))
}

function podsOf(api: Api, app: string): Any[] {
  return api.ok(api.list('pods', {labelSelector: `app=${app}`})).items
}

function exists(api: Api, resource: string, name: string, namespace?: string): boolean {
  const res = api.get(resource, name, namespace)
  if (res.status !== 200 && res.status !== 404) throw new Error(`unexpected ${res.status}`)
  return res.status === 200
}

describe('garbage collector', () => {
  describe('background (the default)', () => {
    it('deleting a ReplicaSet removes its pods', () => {
      const {api, cp} = newCluster()
      api.ok(api.create('replicasets', rs('web', 3)))
      api.ok(api.create('pods', pod('bystander', {app: 'other'})))
      cp.settle()
      assert.equal(podsOf(api, 'web').length, 3)
      api.ok(api.delete('replicasets', 'web'))
      assert.equal(podsOf(api, 'web').length, 3, 'the API server deletes the owner only')
      cp.settle()
      assert.equal(podsOf(api, 'web').length, 0)
      assert.ok(exists(api, 'pods', 'bystander'), 'an unowned pod is left alone')
    })

    it('with propagationPolicy Background given explicitly, too', () => {
      const {api, cp} = newCluster()
      api.ok(api.create('replicasets', rs('web', 2)))
      cp.settle()
      api.ok(api.delete('replicasets', 'web', {propagationPolicy: 'Background'}))
      cp.settle()
      assert.equal(podsOf(api, 'web').length, 0)
    })

    it('collects a pod created with an ownerReference to a uid that does not exist', () => {
      const {api, cp} = newCluster()
      api.ok(api.create('pods', {...pod('stray'), metadata: {name: 'stray', labels: {app: 'stray'}, ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000'}]}}))
      cp.settle()
      assert.ok(!exists(api, 'pods', 'stray'))
    })

    it('collects a dependent whose owner name exists with another uid (the owner was recreated)', () => {
      const {api, cp} = newCluster()
      const owner = api.ok(api.create('configmaps', configMap('owner')))
      api.ok(api.create('configmaps', configMap('dep', [ref(owner)])))
      cp.settle()
      api.ok(api.delete('configmaps', 'owner', {propagationPolicy: 'Orphan'}))
      cp.settle()
      // Put the old reference back now that a new `owner` exists with a new uid.
      api.ok(api.create('configmaps', configMap('owner')))
      api.ok(api.patch('configmaps', 'dep', 'merge', {metadata: {ownerReferences: [ref(owner)]}}))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'dep'))
      assert.ok(exists(api, 'configmaps', 'owner'))
    })

    it('keeps a dependent with two owners when one is deleted, dropping the dangling reference', () => {
      const {api, cp} = newCluster()
      const a = api.ok(api.create('configmaps', configMap('a')))
      const b = api.ok(api.create('configmaps', configMap('b')))
      api.ok(api.create('configmaps', configMap('dep', [ref(a), ref(b)])))
      cp.settle()
      api.ok(api.delete('configmaps', 'a'))
      cp.settle()
      const dep = api.ok(api.get('configmaps', 'dep'))
      assert.deepEqual(dep.metadata.ownerReferences.map((r: Any) => r.name), ['b'])
      api.ok(api.delete('configmaps', 'b'))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'dep'), 'collected once its last owner is gone')
    })

    it('a pod owned by a ReplicaSet and a ConfigMap outlives the ReplicaSet', () => {
      const {api, cp} = newCluster()
      const owner = api.ok(api.create('replicasets', rs('web', 1)))
      const cm = api.ok(api.create('configmaps', configMap('keeper')))
      const p = pod('shared', {app: 'web'})
      p.metadata.ownerReferences = [ref(owner, {controller: true, blockOwnerDeletion: true}), ref(cm)]
      api.ok(api.create('pods', p))
      cp.settle()
      assert.equal(podsOf(api, 'web').length, 1, 'the ReplicaSet counts the hand-made pod')
      api.ok(api.delete('replicasets', 'web'))
      cp.settle()
      const left = api.ok(api.get('pods', 'shared'))
      assert.deepEqual(left.metadata.ownerReferences.map((r: Any) => r.kind), ['ConfigMap'])
    })

    it('cascades through chained ownership: Deployment -> ReplicaSet -> Pods', () => {
      const {api, cp} = newCluster()
      const d = api.ok(api.create('deployments', deployment('web', 2)))
      // A ReplicaSet the Deployment selects (a Deployment controller, when present, adopts it as an old
      // ReplicaSet and makes its own): either way every ReplicaSet and pod hangs off the Deployment.
      const hand = rs('web-1', 2, [ref(d, {controller: true, blockOwnerDeletion: true})])
      hand.metadata.labels = {app: 'web'}
      hand.spec.selector = {matchLabels: {app: 'web'}}
      hand.spec.template.metadata.labels = {app: 'web'}
      api.ok(api.create('replicasets', hand))
      cp.settle()
      assert.ok(podsOf(api, 'web').length >= 2)
      api.ok(api.delete('deployments', 'web'))
      cp.settle()
      assert.deepEqual(api.ok(api.list('replicasets')).items, [])
      assert.deepEqual(podsOf(api, 'web'), [])
    })

    it('collects namespaced dependents of a cluster-scoped owner', () => {
      const {api, cp} = newCluster()
      const node = api.ok(api.create('nodes', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'n1'}}))
      api.ok(api.create('configmaps', configMap('per-node', [ref(node)])))
      cp.settle()
      assert.ok(exists(api, 'configmaps', 'per-node'), 'a live cluster-scoped owner is found without a namespace')
      api.ok(api.delete('nodes', 'n1'))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'per-node'))
    })
  })

  describe('orphan', () => {
    it('--cascade=orphan keeps the pods without ownerReferences and removes the ReplicaSet', () => {
      const {api, cp} = newCluster()
      api.ok(api.create('replicasets', rs('web', 2)))
      cp.settle()
      const rsBefore = api.ok(api.delete('replicasets', 'web', {propagationPolicy: 'Orphan'}))
      assert.deepEqual(rsBefore.metadata.finalizers, ['orphan'], 'the API server adds the finalizer')
      cp.settle()
      assert.ok(!exists(api, 'replicasets', 'web'))
      const pods = podsOf(api, 'web')
      assert.equal(pods.length, 2)
      for (const p of pods) assert.equal(p.metadata.ownerReferences, undefined)
    })

    it('orphanDependents: true is the same, and only the deleted owner\'s references are removed', () => {
      const {api, cp} = newCluster()
      const a = api.ok(api.create('configmaps', configMap('a')))
      const b = api.ok(api.create('configmaps', configMap('b')))
      api.ok(api.create('configmaps', configMap('dep', [ref(a), ref(b)])))
      cp.settle()
      api.ok(api.delete('configmaps', 'a', {orphanDependents: true}))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'a'))
      assert.deepEqual(api.ok(api.get('configmaps', 'dep')).metadata.ownerReferences.map((r: Any) => r.name), ['b'])
    })

    it('an owner with another finalizer keeps it after orphaning, and waits for it', () => {
      const {api, cp} = newCluster()
      const owner = api.ok(api.create('configmaps', {...configMap('owner'), metadata: {name: 'owner', finalizers: ['example.com/keep']}}))
      api.ok(api.create('configmaps', configMap('dep', [ref(owner)])))
      cp.settle()
      api.ok(api.delete('configmaps', 'owner', {propagationPolicy: 'Orphan'}))
      cp.settle()
      const o = api.ok(api.get('configmaps', 'owner'))
      assert.deepEqual(o.metadata.finalizers, ['example.com/keep'])
      assert.equal(api.ok(api.get('configmaps', 'dep')).metadata.ownerReferences, undefined)
      api.ok(api.patch('configmaps', 'owner', 'merge', {metadata: {finalizers: null}}))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'owner'))
      assert.ok(exists(api, 'configmaps', 'dep'), 'orphaned: the owner\'s deletion no longer concerns it')
    })
  })

  describe('foreground', () => {
    it('keeps the ReplicaSet, with deletionTimestamp, until its pods are gone', () => {
      const {api, cp} = newCluster()
      const owner = api.ok(api.create('replicasets', rs('web', 2)))
      const r = ref(owner, {controller: true, blockOwnerDeletion: true})
      api.ok(api.create('pods', heldPod('p1', 'web', [r])))
      api.ok(api.create('pods', heldPod('p2', 'web', [r])))
      cp.settle()
      assert.equal(podsOf(api, 'web').length, 2, 'the ReplicaSet has its two pods and creates none')
      api.ok(api.delete('replicasets', 'web', {propagationPolicy: 'Foreground'}))
      cp.settle()
      const waiting = api.ok(api.get('replicasets', 'web'))
      assert.ok(waiting.metadata.deletionTimestamp)
      assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion'])
      for (const p of podsOf(api, 'web')) assert.ok(p.metadata.deletionTimestamp, `${p.metadata.name} is being deleted`)
      release(api, 'p1')
      cp.settle()
      assert.ok(exists(api, 'replicasets', 'web'), 'one blocking pod is left')
      release(api, 'p2')
      cp.settle()
      assert.ok(!exists(api, 'replicasets', 'web'))
      assert.equal(podsOf(api, 'web').length, 0)
    })

    it('without blockOwnerDeletion the owner does not wait, but the dependent is still deleted', () => {
      const {api, cp} = newCluster()
      const owner = api.ok(api.create('configmaps', configMap('owner')))
      api.ok(api.create('pods', heldPod('p', 'x', [ref(owner)])))
      cp.settle()
      api.ok(api.delete('configmaps', 'owner', {propagationPolicy: 'Foreground'}))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'owner'))
      assert.ok(api.ok(api.get('pods', 'p')).metadata.deletionTimestamp)
      release(api, 'p')
      cp.settle()
      assert.ok(!exists(api, 'pods', 'p'))
    })

    it('cascades through two levels: the top owner waits for the ReplicaSet, which waits for its pods', () => {
      const {api, cp} = newCluster()
      // A ConfigMap on top: no controller of its own interferes with the hand-made chain.
      const top = api.ok(api.create('configmaps', configMap('top')))
      const owner = api.ok(api.create('replicasets', rs('web-1', 1, [ref(top, {blockOwnerDeletion: true})])))
      api.ok(api.create('pods', heldPod('p1', 'web-1', [ref(owner, {controller: true, blockOwnerDeletion: true})])))
      cp.settle()
      api.ok(api.delete('configmaps', 'top', {propagationPolicy: 'Foreground'}))
      cp.settle()
      const t = api.ok(api.get('configmaps', 'top'))
      const set = api.ok(api.get('replicasets', 'web-1'))
      assert.deepEqual(t.metadata.finalizers, ['foregroundDeletion'])
      assert.deepEqual(set.metadata.finalizers, ['foregroundDeletion'], 'the ReplicaSet is deleted in the foreground too')
      assert.ok(api.ok(api.get('pods', 'p1')).metadata.deletionTimestamp)
      release(api, 'p1')
      cp.settle()
      assert.ok(!exists(api, 'pods', 'p1'))
      assert.ok(!exists(api, 'replicasets', 'web-1'))
      assert.ok(!exists(api, 'configmaps', 'top'))
    })

    it('a dependent with another live owner loses the waiting reference and survives', () => {
      const {api, cp} = newCluster()
      const a = api.ok(api.create('configmaps', configMap('a')))
      const b = api.ok(api.create('configmaps', configMap('b')))
      api.ok(api.create('configmaps', configMap('dep', [ref(a, {blockOwnerDeletion: true}), ref(b)])))
      cp.settle()
      api.ok(api.delete('configmaps', 'a', {propagationPolicy: 'Foreground'}))
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'a'))
      assert.deepEqual(api.ok(api.get('configmaps', 'dep')).metadata.ownerReferences.map((r: Any) => r.name), ['b'])
    })

    it('an owner with no dependents is removed at once', () => {
      const {api, cp} = newCluster()
      api.ok(api.create('configmaps', configMap('lonely')))
      api.ok(api.delete('configmaps', 'lonely', {propagationPolicy: 'Foreground'}))
      assert.ok(exists(api, 'configmaps', 'lonely'), 'the finalizer holds it until the collector runs')
      cp.settle()
      assert.ok(!exists(api, 'configmaps', 'lonely'))
    })
  })

  it('handles objects that existed before the controllers started (the initial list)', () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 22, 12, 0, 0))
    const store = new MemoryStore()
    const before = new ControlPlane({store, clock, seed: 7, kubernetesVersion: '1.36', controllers: false})
    const api = new Api(before)
    const owner = api.ok(api.create('configmaps', configMap('owner')))
    api.ok(api.create('configmaps', configMap('dep', [ref(owner)])))
    api.ok(api.create('configmaps', configMap('stray', [{apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'nope'}])))
    api.ok(api.delete('configmaps', 'owner', {propagationPolicy: 'Orphan'}))
    before.settle()
    assert.ok(exists(api, 'configmaps', 'owner'), 'no collector yet: the orphan finalizer stays')
    const cp = new ControlPlane({store, clock, seed: 7, kubernetesVersion: '1.36'})
    const api2 = new Api(cp)
    cp.settle()
    assert.ok(!exists(api2, 'configmaps', 'stray'))
    assert.ok(!exists(api2, 'configmaps', 'owner'))
    assert.equal(api2.ok(api2.get('configmaps', 'dep')).metadata.ownerReferences, undefined)
  })
})
