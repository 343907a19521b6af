// Node failure, end to end on the virtual clock: a stopped kubelet makes its node Unknown after the
// grace period, tainted unreachable, its pods not Ready; five minutes later (DefaultTolerationSeconds)
// the taint eviction controller deletes them and the ReplicaSet replaces them elsewhere; a restarted
// kubelet clears the taints. Plus the pieces: taints from conditions, toleration arithmetic.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {reconcileTaints, wantedTaints, nodeMonitorGracePeriodMs} from '../../../src/reconcile/controllers/node-lifecycle.js'
import {evictionPlan, minTolerationMs} from '../../../src/reconcile/controllers/taint-eviction.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

const COMPONENTS = ['replicaset', 'deployment', 'gc', 'scheduler', 'kubelet', 'node-lifecycle', 'taint-eviction-controller']

function node(c: Cluster, name: string): Any {
  return c.api.ok(c.api.get('nodes', name))
}

function cond(n: Any, type: string): Any {
  return n.status.conditions.find((x: Any) => x.type === type)
}

function pods(c: Cluster): Any[] {
  return c.api.ok(c.api.list('pods', {labelSelector: 'app=web'})).items
}

function setKubelet(c: Cluster, name: string, state: 'stopped' | null): void {
  c.api.ok(c.api.patch('nodes', name, 'merge', {metadata: {annotations: {'kube2.dev/kubelet': state}}}))
}

function events(c: Cluster, reason: string): Any[] {
  return (c.api.ok(c.api.list('events', {}, undefined)).items as Any[]).filter((e) => e.reason === reason)
}

describe('node lifecycle and taint eviction', () => {
  it('a node whose kubelet stops goes Unknown, its pods are evicted after 300 s and replaced; taints go when it returns', () => {
    const c = newCluster(7, {controllers: COMPONENTS, cluster: loadClusterProfile()})
    c.api.ok(c.api.create('deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'},
      spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}},
    }))
    c.cp.settle({horizonMs: 30_000})
    const before = pods(c)
    assert.equal(before.length, 3)
    const victim = before.find((p) => p.spec.nodeName === 'node-1')
    assert.ok(victim, `a pod on node-1 (spread over ${before.map((p) => p.spec.nodeName)})`)
    assert.equal(cond(node(c, 'node-1'), 'Ready').status, 'True')

    setKubelet(c, 'node-1', 'stopped')
    const stoppedAt = c.clock.now().getTime()
    c.cp.settle({horizonMs: 0})
    c.clock.advance(45_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(cond(node(c, 'node-1'), 'Ready').status, 'True', 'still within the 50 s grace period')
    // The check is a work timer (the node will go Unknown then): a settle moves time to it.
    c.cp.settle({horizonMs: 30_000})
    const down = node(c, 'node-1')
    const ready = cond(down, 'Ready')
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'])
    assert.equal(cond(down, 'MemoryPressure').status, 'Unknown')
    const unknownAt = Date.parse(ready.lastTransitionTime)
    assert.ok(unknownAt - stoppedAt >= 50_000 && unknownAt - stoppedAt <= 65_000, `Unknown ${(unknownAt - stoppedAt) / 1000} s after the kubelet stopped`)
    assert.deepEqual(down.spec.taints.map((t: Any) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'])
    assert.ok(down.spec.taints.every((t: Any) => t.timeAdded === ready.lastTransitionTime))
    assert.deepEqual(events(c, 'NodeNotReady').map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message}`).sort(),
      [`Node/node-1: Node node-1 status is now: NodeNotReady`, `Pod/${victim.metadata.name}: Node is not ready`])
    const stale = c.api.ok(c.api.get('pods', victim.metadata.name))
    assert.equal(cond(stale, 'Ready').status, 'False', 'pods on the node are not Ready')
    assert.deepEqual(stale.spec.tolerations.filter((t: Any) => t.key === 'node.kubernetes.io/unreachable'), [{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}])

    // Just before the toleration runs out nothing happens; then the pod is evicted.
    c.clock.advance(unknownAt + 299_000 - c.clock.now().getTime())
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', victim.metadata.name)).metadata.deletionTimestamp, undefined)
    c.cp.settle({horizonMs: 2_000})
    const evicted = c.api.ok(c.api.get('pods', victim.metadata.name))
    assert.ok(evicted.metadata.deletionTimestamp, 'deleted once tolerationSeconds ran out')
    assert.deepEqual(cond(evicted, 'DisruptionTarget'), {type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: new Date(unknownAt + 300_000).toISOString().replace('.000Z', 'Z')})
    assert.deepEqual(events(c, 'TaintManagerEviction').map((e) => e.message), [`Marking for deletion Pod default/${victim.metadata.name}`])
    // Its kubelet is gone, so it stays Terminating; the ReplicaSet replaces it on a healthy node.
    c.cp.settle({horizonMs: 30_000})
    const live = pods(c).filter((p) => !p.metadata.deletionTimestamp)
    assert.equal(live.length, 3)
    assert.ok(live.every((p) => p.spec.nodeName !== 'node-1' && p.status.phase === 'Running'), 'replacements run elsewhere')

    setKubelet(c, 'node-1', null)
    c.cp.settle({horizonMs: 30_000})
    const back = node(c, 'node-1')
    assert.equal(cond(back, 'Ready').status, 'True')
    assert.equal(back.spec.taints, undefined, 'the controller removes its taints')
  })

  it('taints follow conditions and cordoning, keeping other taints and existing timeAdded', () => {
    const n = (status: Any, spec: Any = {}) => ({metadata: {name: 'n'}, spec, status: {conditions: Object.entries(status).map(([type, s]) => ({type, status: s}))}})
    assert.deepEqual(wantedTaints(n({Ready: 'False', DiskPressure: 'True'}, {unschedulable: true})), [
      {key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule'}, {key: 'node.kubernetes.io/not-ready', effect: 'NoExecute'},
      {key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule'}, {key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule'},
    ])
    assert.deepEqual(wantedTaints(n({Ready: 'True'})), [])
    const own = {key: 'dedicated', value: 'gpu', effect: 'NoSchedule'}
    const old = {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'T1'}
    assert.deepEqual(reconcileTaints([own, old], [{key: 'node.kubernetes.io/unreachable', effect: 'NoExecute'}], 'T2'), undefined, 'nothing to change')
    assert.deepEqual(reconcileTaints([own, old], [{key: 'node.kubernetes.io/not-ready', effect: 'NoExecute'}], 'T2'), [own, {key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'T2'}])
    assert.equal(nodeMonitorGracePeriodMs('1.31'), 40_000)
    assert.equal(nodeMonitorGracePeriodMs('1.36'), 50_000)
  })

  it('plans evictions as getMinTolerationTime does', () => {
    assert.equal(minTolerationMs([]), 0)
    assert.equal(minTolerationMs([{operator: 'Exists'}]), -1)
    assert.equal(minTolerationMs([{operator: 'Exists', tolerationSeconds: 60}, {operator: 'Exists', tolerationSeconds: 30}]), 30_000)
    assert.equal(minTolerationMs([{operator: 'Exists', tolerationSeconds: -5}]), 0)
    const t0 = Date.UTC(2026, 10, 22, 12, 0, 0)
    const taint = {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: new Date(t0).toISOString()}
    const pod = (tolerations: Any[], scheduledAt = t0 - 60_000) => ({spec: {tolerations}, status: {conditions: [{type: 'PodScheduled', status: 'True', lastTransitionTime: new Date(scheduledAt).toISOString()}]}})
    assert.deepEqual(evictionPlan(pod([]), [taint]), {kind: 'now'})
    assert.deepEqual(evictionPlan(pod([{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}]), [taint]), {kind: 'at', at: t0 + 300_000})
    assert.deepEqual(evictionPlan(pod([{operator: 'Exists', tolerationSeconds: 300}], t0 + 10_000), [taint]), {kind: 'at', at: t0 + 310_000}, 'a pod bound later starts its clock then')
    assert.deepEqual(evictionPlan(pod([{operator: 'Exists'}]), [taint]), {kind: 'none'})
    assert.deepEqual(evictionPlan(pod([]), [{key: 'x', effect: 'NoSchedule'}]), {kind: 'none'})
  })
})
