// The pod garbage collector on the virtual clock: pods of a deleted node go after the 40 s quarantine
// (marked Failed with DisruptionTarget first) and their ReplicaSet replaces them; terminating pods on
// an out-of-service node are force-deleted; terminated pods beyond the threshold go oldest first.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {addPodGarbageCollector} from '../../../src/reconcile/controllers/podgc.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

function rs(name: string, replicas: number): Any {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'c', image: 'nginx:1.27'}]}}},
  }
}

function pods(c: ReturnType<typeof newCluster>): Any[] {
  return (c.api.ok(c.api.list('pods')).items as Any[]).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
}

describe('pod garbage collector', () => {
  it('deletes the pods of a deleted node after the 40 s quarantine, marking them Failed first', () => {
    const c = newCluster(3, {controllers: ['replicaset', 'scheduler', 'kubelet', 'pod-garbage-collector'], cluster: loadClusterProfile()})
    c.api.ok(c.api.create('replicasets', rs('web', 6)))
    c.cp.settle()
    const onNode2 = pods(c).filter((p) => p.spec.nodeName === 'node-2').map((p) => p.metadata.name)
    assert.ok(onNode2.length > 0, 'some pods run on node-2')
    // Watch what the collector writes before it deletes.
    const seen: Any[] = []
    const w = c.cp.apiserver.handle({verb: 'watch', group: '', version: 'v1', resource: 'pods', namespace: 'default', query: {resourceVersion: String(c.cp.store.currentRevision())}})
    ;(w.body as Any).start((e: Any) => seen.push(e))
    c.api.ok(c.api.req('delete', 'nodes', {name: 'node-2'}))
    const deletedAt = c.clock.now().getTime()
    c.cp.settle({horizonMs: 39_000})
    assert.deepEqual(pods(c).filter((p) => onNode2.includes(p.metadata.name)).map((p) => p.metadata.name), onNode2, 'kept during the quarantine')
    c.cp.settle({horizonMs: 60_000})
    const now = pods(c)
    assert.equal(now.filter((p) => onNode2.includes(p.metadata.name)).length, 0, 'orphans deleted')
    assert.equal(now.length, 6, 'the ReplicaSet replaced them')
    assert.ok(now.every((p) => p.spec.nodeName !== 'node-2' && p.status.phase === 'Running'))
    const marked = seen.find((e) => e.type === 'MODIFIED' && e.object.metadata.name === onNode2[0] && e.object.status.phase === 'Failed')
    assert.ok(marked, 'marked Failed before deletion')
    const cond = marked.object.status.conditions.find((x: Any) => x.type === 'DisruptionTarget')
    assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists'])
    assert.ok(Date.parse(cond.lastTransitionTime) >= deletedAt + 40_000)
    ;(w.body as Any).stop()
  })

  it('forgets a node that comes back within the quarantine', () => {
    const c = newCluster(3, {controllers: ['replicaset', 'scheduler', 'kubelet', 'pod-garbage-collector'], cluster: loadClusterProfile()})
    c.api.ok(c.api.create('replicasets', rs('web', 3)))
    c.cp.settle()
    const node = c.api.ok(c.api.get('nodes', 'node-1'))
    const before = pods(c).map((p) => p.metadata.name)
    c.api.ok(c.api.req('delete', 'nodes', {name: 'node-1'}))
    c.clock.advance(20_000)
    c.cp.settle({horizonMs: 0})
    delete node.metadata.resourceVersion
    delete node.metadata.uid
    delete node.metadata.creationTimestamp
    c.api.ok(c.api.create('nodes', node))
    c.cp.settle({horizonMs: 120_000})
    assert.deepEqual(pods(c).map((p) => p.metadata.name), before)
  })

  it('force-deletes terminating pods on a NotReady node tainted out-of-service', () => {
    const c = newCluster(3, {controllers: ['replicaset', 'scheduler', 'kubelet', 'pod-garbage-collector'], cluster: loadClusterProfile()})
    c.api.ok(c.api.create('replicasets', rs('web', 3)))
    c.cp.settle()
    const victim = pods(c).find((p) => p.spec.nodeName === 'node-3')
    assert.ok(victim)
    // The kubelet of node-3 dies: nobody finishes the pod's graceful deletion.
    c.api.ok(c.api.patch('nodes', 'node-3', 'merge', {metadata: {annotations: {'kube2.dev/kubelet': 'stopped'}}}))
    c.cp.settle({horizonMs: 0})
    c.api.ok(c.api.req('delete', 'pods', {name: victim.metadata.name}))
    c.cp.settle({horizonMs: 0})
    assert.ok(c.api.ok(c.api.get('pods', victim.metadata.name)).metadata.deletionTimestamp, 'stuck terminating')
    const status = c.api.ok(c.api.get('nodes', 'node-3')).status
    status.conditions = status.conditions.map((x: Any) => (x.type === 'Ready' ? {...x, status: 'Unknown', reason: 'NodeStatusUnknown'} : x))
    c.api.ok(c.api.patch('nodes', 'node-3', 'merge', {status: {conditions: status.conditions}}, {}, 'status'))
    c.api.ok(c.api.patch('nodes', 'node-3', 'merge', {spec: {taints: [{key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute'}]}}))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.get('pods', victim.metadata.name).status, 404)
  })

  it('keeps at most the threshold of terminated pods, deleting evicted then oldest first', () => {
    const c = newCluster(3, {controllers: []})
    addPodGarbageCollector(c.cp.controllers, undefined, 2)
    const mk = (name: string, phase: string, reason?: string) => {
      c.api.ok(c.api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'c', image: 'busybox'}]}}))
      c.api.ok(c.api.patch('pods', name, 'merge', {status: {phase, ...(reason ? {reason} : {})}}, {}, 'status'))
      c.clock.advance(1000)
    }
    mk('a-done', 'Succeeded')
    mk('b-failed', 'Failed')
    mk('c-running', 'Running')
    mk('d-evicted', 'Failed', 'Evicted')
    mk('e-done', 'Succeeded')
    c.cp.settle({horizonMs: 0})
    assert.deepEqual(pods(c).map((p) => p.metadata.name), ['b-failed', 'c-running', 'e-done'])
  })
})
