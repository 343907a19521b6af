// The scheduler component on a control plane with the default cluster profile: bindings through
// pods/binding with kube-scheduler's events, FailedScheduling texts and the PodScheduled condition,
// waiting pods retried when the cluster changes, preemption, and WaitForFirstConsumer claims.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

const NO_KUBELET = ['serviceaccount', 'replicaset', 'deployment', 'gc', 'scheduler']

function cluster(controllers: readonly string[] | boolean = NO_KUBELET) {
  const c = newCluster(7, {cluster: loadClusterProfile(), controllers})
  c.cp.settle()
  return c
}

function pod(name: string, cpu = '100m', extra: Any = {}): Any {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'c', image: 'nginx', resources: {requests: {cpu}}}], ...extra}}
}

function eventsFor(c: ReturnType<typeof cluster>, name: string): Any[] {
  return c.api.ok(c.api.list('events', {fieldSelector: `involvedObject.name=${name}`})).items
}

describe('scheduler component', () => {
  it('binds a pod to a worker, sets PodScheduled and writes the Scheduled event as kube-scheduler does', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('p')))
    c.cp.settle({horizonMs: 0})
    const p = c.api.ok(c.api.get('pods', 'p'))
    assert.match(p.spec.nodeName, /^node-[1-3]$/)
    assert.deepEqual(p.status.conditions.find((x: Any) => x.type === 'PodScheduled'), {type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-22T12:00:00Z'})
    const [e] = eventsFor(c, 'p')
    assert.equal(e.reason, 'Scheduled')
    assert.equal(e.message, `Successfully assigned default/p to ${p.spec.nodeName}`)
    assert.equal(e.action, 'Binding')
    assert.equal(e.reportingComponent, 'default-scheduler')
    assert.equal(e.type, 'Normal')
  })

  it('spreads a Deployment over the three workers and never onto the tainted control plane', () => {
    const c = cluster()
    c.api.ok(c.api.create('deployments', {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {replicas: 6, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'nginx', resources: {requests: {cpu: '100m'}}}]}}}}))
    c.cp.settle({horizonMs: 0})
    const counts: Record<string, number> = {}
    for (const p of c.api.ok(c.api.list('pods')).items as Any[]) counts[p.spec.nodeName] = (counts[p.spec.nodeName] ?? 0) + 1
    assert.deepEqual(counts, {'node-1': 2, 'node-2': 2, 'node-3': 2})
  })

  it('a request larger than any node is unresolvable: preemption cannot help anywhere', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('huge', '5')))
    c.cp.settle({horizonMs: 0})
    assert.equal(eventsFor(c, 'huge')[0].message, '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.')
  })

  it('a pod that fits nowhere gets FailedScheduling with the reasons per node and PodScheduled=False', () => {
    const c = cluster()
    for (const n of [1, 2, 3]) c.api.ok(c.api.create('pods', pod(`busy-${n}`, '2', {nodeName: `node-${n}`})))
    c.api.ok(c.api.create('pods', pod('big', '3')))
    c.cp.settle({horizonMs: 0})
    const p = c.api.ok(c.api.get('pods', 'big'))
    assert.equal(p.spec.nodeName, undefined)
    const msg = '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.'
    assert.deepEqual(p.status.conditions, [{type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg, lastProbeTime: null, lastTransitionTime: '2026-11-22T12:00:00Z'}])
    assert.equal(p.status.phase, 'Pending')
    const [e] = eventsFor(c, 'big')
    assert.equal(e.reason, 'FailedScheduling')
    assert.equal(e.type, 'Warning')
    assert.equal(e.message, msg)
    assert.equal(e.action, 'Scheduling')
    // Nothing changed: it is not tried again (no new event) until something could help.
    c.clock.advance(60_000)
    c.cp.settle({horizonMs: 0})
    assert.equal(eventsFor(c, 'big').length, 1)
  })

  it('a waiting pod is scheduled when a node that fits it appears', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('big', '6')))
    c.cp.settle({horizonMs: 0})
    c.api.ok(c.api.create('nodes', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'large', labels: {'kubernetes.io/hostname': 'large'}}, spec: {podCIDR: '10.250.0.0/24'}, status: {capacity: {cpu: '16', memory: '64Gi', pods: '110'}, allocatable: {cpu: '16', memory: '64Gi', pods: '110'}}}))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'big')).spec.nodeName, 'large')
  })

  it('a waiting pod is scheduled when a bound pod goes away and frees room', () => {
    const c = cluster()
    for (const n of [1, 2, 3]) c.api.ok(c.api.create('pods', pod(`hog-${n}`, '3', {nodeName: `node-${n}`})))
    c.api.ok(c.api.create('pods', pod('late', '2')))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'late')).spec.nodeName, undefined)
    c.api.ok(c.api.delete('pods', 'hog-2', {gracePeriodSeconds: 0}))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'late')).spec.nodeName, 'node-2')
  })

  it('preempts a lower-priority pod: DisruptionTarget, Preempted event, deletion, nomination, then binding', () => {
    const c = cluster()
    c.api.ok(c.api.req('create', 'priorityclasses', {group: 'scheduling.k8s.io', version: 'v1', namespace: undefined, body: {apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: {name: 'high'}, value: 1000}}))
    for (const n of [1, 2, 3]) c.api.ok(c.api.create('pods', pod(`low-${n}`, '3', {nodeName: `node-${n}`})))
    c.api.ok(c.api.create('pods', pod('vip', '2', {priorityClassName: 'high'})))
    c.cp.settle({horizonMs: 0})
    const vip = c.api.ok(c.api.get('pods', 'vip'))
    const victims = (c.api.ok(c.api.list('pods')).items as Any[]).filter((p) => p.metadata.name.startsWith('low-') && p.metadata.deletionTimestamp)
    // Without kubelets the victims stay Terminating; the preemptor waits nominated to their node.
    assert.equal(victims.length, 1)
    const victim = victims[0]
    assert.deepEqual(victim.status.conditions.find((x: Any) => x.type === 'DisruptionTarget'), {type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod', lastProbeTime: null, lastTransitionTime: '2026-11-22T12:00:00Z'})
    assert.equal(vip.status.nominatedNodeName, victim.spec.nodeName)
    const preempted = eventsFor(c, victim.metadata.name).find((e) => e.reason === 'Preempted')
    assert.equal(preempted?.message, `Preempted by pod ${vip.metadata.uid} on node ${victim.spec.nodeName}`)
    // The victim goes (as its kubelet would finish it): the preemptor lands on the node.
    c.api.ok(c.api.delete('pods', victim.metadata.name, {gracePeriodSeconds: 0}))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'vip')).spec.nodeName, victim.spec.nodeName)
  })

  it('a WaitForFirstConsumer claim gets the selected node, and the pod binds once the claim is bound', () => {
    const c = cluster()
    c.api.ok(c.api.req('create', 'storageclasses', {group: 'storage.k8s.io', version: 'v1', namespace: undefined, body: {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 'wffc'}, provisioner: 'example.com/p', volumeBindingMode: 'WaitForFirstConsumer'}}))
    c.api.ok(c.api.create('persistentvolumeclaims', {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'data'}, spec: {storageClassName: 'wffc', accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}}))
    c.api.ok(c.api.create('pods', pod('db', '100m', {volumes: [{name: 'd', persistentVolumeClaim: {claimName: 'data'}}]})))
    c.cp.settle({horizonMs: 0})
    const claim = c.api.ok(c.api.get('persistentvolumeclaims', 'data'))
    const selected = claim.metadata.annotations['volume.kubernetes.io/selected-node']
    assert.match(selected, /^node-[1-3]$/)
    assert.equal(c.api.ok(c.api.get('pods', 'db')).spec.nodeName, undefined)
    // What a provisioner and the PV controller do: a PV on that node, bound to the claim.
    c.api.ok(c.api.req('create', 'persistentvolumes', {namespace: undefined, body: {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'pv-data'},
      spec: {capacity: {storage: '1Gi'}, accessModes: ['ReadWriteOnce'], storageClassName: 'wffc', hostPath: {path: '/data'}, claimRef: {namespace: 'default', name: 'data', uid: claim.metadata.uid},
        nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: 'kubernetes.io/hostname', operator: 'In', values: [selected]}]}]}}},
    }}))
    c.api.ok(c.api.patch('persistentvolumeclaims', 'data', 'merge', {spec: {volumeName: 'pv-data'}}))
    c.api.ok(c.api.patch('persistentvolumeclaims', 'data', 'merge', {status: {phase: 'Bound'}}, {}, 'status'))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'db')).spec.nodeName, selected)
  })

  it('leaves pods for another scheduler alone', () => {
    const c = cluster()
    c.api.ok(c.api.create('pods', pod('other', '100m', {schedulerName: 'my-scheduler'})))
    c.cp.settle({horizonMs: 0})
    assert.equal(c.api.ok(c.api.get('pods', 'other')).spec.nodeName, undefined)
    assert.equal(eventsFor(c, 'other').length, 0)
  })
})
