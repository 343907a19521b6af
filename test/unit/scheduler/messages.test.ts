// FailedScheduling messages for many combinations, worded and sorted exactly as kube-scheduler does.
import assert from 'node:assert/strict'
import type {Affinity} from '../../../src/scheduler/api.js'
import {fitErrorMessage, NodeToStatus, Status} from '../../../src/scheduler/index.js'
import {CONTROL_PLANE_TAINT, messageOf, node, pod, scheduleOne} from './fixtures.js'

const NOT_HELPFUL = 'Preemption is not helpful for scheduling'
const NO_VICTIMS = 'No preemption victims found for incoming pod'

describe('scheduler: FailedScheduling messages', () => {
  it('taints and insufficient cpu, with no lower-priority pods to evict', () => {
    const nodes = [node('cp', {taints: [CONTROL_PLANE_TAINT]}), ...['n1', 'n2', 'n3'].map((n) => node(n, {cpu: '1'}))]
    const pods = ['n1', 'n2', 'n3'].map((n) => pod(`busy-${n}`, {nodeName: n, cpu: '800m'}))
    const r = scheduleOne({nodes, pods}, pod('web-7d9f', {cpu: '500m'}))
    assert.equal(messageOf(r), `0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 ${NOT_HELPFUL}, 3 ${NO_VICTIMS}.`)
    assert.ok('failure' in r)
    assert.deepEqual(r.failure.reasons, {'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }': 1, 'Insufficient cpu': 3})
    assert.equal(r.failure.unresolvable, false)
  })

  it('a request larger than every node: preemption cannot help', () => {
    const r = scheduleOne({nodes: [node('n1', {cpu: '2'}), node('n2', {cpu: '2'})]}, pod('big', {cpu: '3', memory: '1Gi'}))
    assert.equal(messageOf(r), `0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`)
    assert.ok('failure' in r && r.failure.unresolvable)
  })

  it('counts every insufficient resource of a node', () => {
    const r = scheduleOne({nodes: [node('n1', {cpu: '1', memory: '1Gi'})], pods: [pod('a', {nodeName: 'n1', cpu: '1', memory: '1Gi'})]}, pod('p', {cpu: '100m', memory: '100Mi'}))
    assert.equal(messageOf(r), `0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 ${NO_VICTIMS}.`)
  })

  it('cordoned nodes and a node selector', () => {
    const nodes = [node('n1', {unschedulable: true, labels: {disk: 'ssd'}}), node('n2'), node('n3')]
    const r = scheduleOne({nodes}, pod('p', {nodeSelector: {disk: 'ssd'}}))
    assert.equal(messageOf(r), `0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`)
  })

  it('sorts the histogram as strings, so 10 comes before 2', () => {
    const nodes = [...Array.from({length: 10}, (_, i) => node(`small-${i}`, {cpu: '100m'})), node('t1', {taints: [{key: 'gpu', value: 'true', effect: 'NoSchedule'}]}), node('t2', {taints: [{key: 'gpu', value: 'true', effect: 'NoSchedule'}]})]
    const r = scheduleOne({nodes}, pod('p', {cpu: '1'}))
    assert.equal(messageOf(r), `0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {gpu: true}. preemption: 0/12 nodes are available: 12 ${NOT_HELPFUL}.`)
  })

  it('host port conflicts and too many pods', () => {
    const nodes = [node('n1'), node('n2', {pods: 1})]
    const pods = [pod('a', {nodeName: 'n1', ports: [{containerPort: 80, hostPort: 80}]}), pod('b', {nodeName: 'n2'})]
    const r = scheduleOne({nodes, pods}, pod('p', {ports: [{containerPort: 80, hostPort: 80}]}))
    assert.equal(messageOf(r), `0/2 nodes are available: 1 Too many pods, 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 ${NO_VICTIMS}.`)
  })

  it('topology spread with tainted domains', () => {
    const taint = {key: 'dedicated', value: 'db', effect: 'NoSchedule'}
    const nodes = [node('a1', {zone: 'a'}), node('b1', {zone: 'b', taints: [taint]}), node('c1', {zone: 'c', taints: [taint]})]
    const pods = [pod('w1', {nodeName: 'a1', labels: {app: 'web'}}), pod('w2', {nodeName: 'a1', labels: {app: 'web'}})]
    const spread = [{maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {matchLabels: {app: 'web'}}}]
    const r = scheduleOne({nodes, pods}, pod('w3', {labels: {app: 'web'}, spread}))
    assert.equal(messageOf(r), `0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints, 2 node(s) had untolerated taint {dedicated: db}. preemption: 0/3 nodes are available: 1 ${NO_VICTIMS}, 2 ${NOT_HELPFUL}.`)
  })

  it('topology spread over nodes missing the key', () => {
    const spread = [{maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {matchLabels: {app: 'web'}}}]
    const r = scheduleOne({nodes: [node('n1'), node('n2')]}, pod('p', {labels: {app: 'web'}, spread}))
    assert.equal(messageOf(r), `0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`)
  })

  it('pod affinity and anti-affinity', () => {
    const affinity: Affinity = {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'db'}}, topologyKey: 'kubernetes.io/hostname'}]}}
    assert.equal(messageOf(scheduleOne({nodes: [node('n1'), node('n2')]}, pod('p', {affinity}))), `0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`)
    const anti: Affinity = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'web'}}, topologyKey: 'kubernetes.io/hostname'}]}}
    const pods = [pod('w1', {nodeName: 'n1', labels: {app: 'web'}}), pod('w2', {nodeName: 'n2', labels: {app: 'web'}})]
    assert.equal(messageOf(scheduleOne({nodes: [node('n1'), node('n2')], pods}, pod('w3', {labels: {app: 'web'}, affinity: anti}))), `0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 ${NO_VICTIMS}.`)
  })

  it("existing pods' anti-affinity next to insufficient memory", () => {
    const anti: Affinity = {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: 'web'}}, topologyKey: 'topology.kubernetes.io/zone'}]}}
    const nodes = [node('a1', {zone: 'a'}), node('a2', {zone: 'a'}), node('b1', {zone: 'b', memory: '1Gi'})]
    const pods = [pod('loner', {nodeName: 'a1', affinity: anti})]
    const r = scheduleOne({nodes, pods}, pod('web', {labels: {app: 'web'}, memory: '2Gi'}))
    assert.equal(messageOf(r), `0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/3 nodes are available: 1 ${NOT_HELPFUL}, 2 ${NO_VICTIMS}.`)
  })

  it('a node named by matchFields that is tainted: the others fail the PreFilter narrowing', () => {
    const affinity: Affinity = {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['n1']}]}]}}}
    const nodes = [node('n1', {taints: [CONTROL_PLANE_TAINT]}), node('n2'), node('n3')]
    const r = scheduleOne({nodes}, pod('ds-pod', {affinity}))
    assert.equal(messageOf(r), `0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 ${NOT_HELPFUL}.`)
  })

  it('PreFilter rejections replace the per-node list', () => {
    const nodes = [node('n1'), node('n2')]
    const vol = [{name: 'data', persistentVolumeClaim: {claimName: 'data'}}]
    const unbound = {metadata: {name: 'data', namespace: 'default'}, spec: {storageClassName: 'standard'}}
    assert.equal(messageOf(scheduleOne({nodes, persistentVolumeClaims: [unbound]}, pod('p', {volumes: vol}))), `0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`)
    assert.equal(messageOf(scheduleOne({nodes}, pod('p', {volumes: vol}))), `0/2 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`)
  })

  it("a bound volume's node affinity", () => {
    const nodes = [node('n1'), node('n2')]
    const claim = {metadata: {name: 'data', namespace: 'default'}, spec: {volumeName: 'pv1'}}
    const pv = {metadata: {name: 'pv1'}, spec: {nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: 'kubernetes.io/hostname', operator: 'In', values: ['gone']}]}]}}}}
    const r = scheduleOne({nodes, persistentVolumeClaims: [claim], persistentVolumes: [pv]}, pod('p', {volumes: [{name: 'data', persistentVolumeClaim: {claimName: 'data'}}]}))
    assert.equal(messageOf(r), `0/2 nodes are available: 2 node(s) didn't match PersistentVolume's node affinity. preemption: 0/2 nodes are available: 2 ${NOT_HELPFUL}.`)
  })

  it('a pod that may not preempt', () => {
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'})], pods: [pod('low', {nodeName: 'n1', cpu: '1', priority: -5})]}, pod('p', {cpu: '500m', preemptionPolicy: 'Never'}))
    assert.equal(messageOf(r), '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.')
  })

  it('extended resources', () => {
    const r = scheduleOne({nodes: [node('gpu', {extra: {'nvidia.com/gpu': '1'}}), node('cpu')], pods: [pod('a', {nodeName: 'gpu', extra: {'nvidia.com/gpu': '1'}})]}, pod('p', {extra: {'nvidia.com/gpu': '1'}}))
    assert.equal(messageOf(r), `0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are available: 1 ${NO_VICTIMS}, 1 ${NOT_HELPFUL}.`)
  })

  it('no nodes at all', () => {
    const r = scheduleOne({nodes: []}, pod('p'))
    assert.equal(messageOf(r), 'no nodes available to schedule pods')
    assert.ok('failure' in r && r.failure.unresolvable)
  })

  it('without PostFilter plugins there is no preemption clause', () => {
    const r = scheduleOne({nodes: [node('n1', {cpu: '1'})]}, pod('p', {cpu: '2'}), {disabledPlugins: ['DefaultPreemption']})
    assert.equal(messageOf(r), '0/1 nodes are available: 1 Insufficient cpu.')
  })

  it('assembles the pieces as FitError.Error does', () => {
    const statuses = new NodeToStatus(Status.unresolvable('absent reason'))
    statuses.set('n1', Status.unschedulable('b', 'a'))
    const d = {statuses, preFilterMsg: '', postFilterMsg: 'preemption: x', unschedulablePlugins: new Set<string>()}
    assert.equal(fitErrorMessage(3, d), '0/3 nodes are available: 1 a, 1 b, 2 absent reason. preemption: x')
    assert.equal(fitErrorMessage(3, {...d, preFilterMsg: 'pre says no', postFilterMsg: ''}), '0/3 nodes are available: pre says no.')
  })
})
