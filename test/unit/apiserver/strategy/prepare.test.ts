// Create and update preparation: status resets, generation bumps, the pod strategy (QoS, gates,
// label keys, AppArmor), Service IP fields, status subresource updates and custom resources.
import {strict as assert} from 'node:assert'
import {
  applyDefaults,
  applyPodAdmissionDefaults,
  prepareForCreate,
  prepareForStatusUpdate,
  prepareForUpdate,
  type StrategyContext,
} from '../../../../src/apiserver/strategy/index.js'
import {formatProblem} from '../../../../src/schema/problems.js'

type O = Record<string, any>

const NOW = () => new Date('2024-05-01T10:00:00.000Z')
const ctx = (version = '1.36', extra: Partial<StrategyContext> = {}): StrategyContext => ({kubernetesVersion: version, now: NOW, uid: 'uid-1', ...extra})

function stored(o: O, version = '1.36', extra: Partial<StrategyContext> = {}): O {
  const copy = JSON.parse(JSON.stringify(o)) as O
  applyDefaults(copy, ctx(version, extra))
  prepareForCreate(copy, ctx(version, extra))
  copy.metadata.resourceVersion = '1'
  return copy
}

/** An update of `old` changed by `mutate`, as the registry prepares it. */
function update(old: O, mutate: (o: O) => void, version = '1.36', extra: Partial<StrategyContext> = {}): {obj: O; changed: boolean; problems: string[]} {
  const n = JSON.parse(JSON.stringify(old)) as O
  mutate(n)
  applyDefaults(n, ctx(version, extra))
  const r = prepareForUpdate(n, old, ctx(version, extra))
  return {obj: n, changed: r.generationChanged, problems: r.problems.map(formatProblem)}
}

function statusUpdate(old: O, mutate: (o: O) => void, version = '1.36'): O {
  const n = JSON.parse(JSON.stringify(old)) as O
  mutate(n)
  prepareForStatusUpdate(n, old, ctx(version))
  return n
}

const deployment: O = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default'},
  spec: {selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.25'}]}}},
}
const pod = (spec: O, metadata: O = {name: 'p', namespace: 'default'}): O => ({apiVersion: 'v1', kind: 'Pod', metadata, spec})

describe('strategy: create', () => {
  it('resets a status sent with the create', () => {
    const d = stored({...deployment, status: {replicas: 9, readyReplicas: 9}})
    assert.deepStrictEqual(d.status, {})
  })

  it('sets generation 1 for tracked kinds only', () => {
    assert.equal(stored({...deployment, metadata: {name: 'web', generation: 7}}).metadata.generation, 1)
    assert.equal(stored({apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec: {ports: [{port: 80}]}}).metadata.generation, undefined)
    assert.equal(stored({apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'i'}, spec: {}}).metadata.generation, 1)
  })

  const qos: Array<[string, O, string]> = [
    ['no resources', {}, 'BestEffort'],
    ['requests only', {requests: {cpu: '100m'}}, 'Burstable'],
    ['cpu and memory limits', {limits: {cpu: '1', memory: '1Gi'}}, 'Guaranteed'],
    ['limits above requests', {requests: {cpu: '500m', memory: '1Gi'}, limits: {cpu: '1', memory: '1Gi'}}, 'Burstable'],
    ['only a cpu limit', {limits: {cpu: '1'}}, 'Burstable'],
    ['zero requests', {requests: {cpu: '0'}}, 'BestEffort'],
    ['an extended resource only', {limits: {'example.com/gpu': '1'}}, 'BestEffort'],
  ]
  for (const [name, resources, expected] of qos) {
    it(`QoS class with ${name}: ${expected}`, () => {
      assert.equal(stored(pod({containers: [{name: 'c', image: 'x', resources}]})).status.qosClass, expected)
    })
  }

  it('a gated pod starts with a SchedulingGated condition', () => {
    const p = stored(pod({schedulingGates: [{name: 'example.com/wait'}], containers: [{name: 'c', image: 'x'}]}))
    assert.deepStrictEqual(p.status.conditions, [{
      type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z',
      reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates',
    }])
  })

  it('matchLabelKeys become selector requirements (pod affinity from 1.31, topology spread from 1.34)', () => {
    const spec = {
      containers: [{name: 'c', image: 'x'}],
      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: 'zone', labelSelector: {matchLabels: {app: 'web'}}, matchLabelKeys: ['rev'], mismatchLabelKeys: ['tier']}]}},
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {matchLabels: {app: 'web'}}, matchLabelKeys: ['rev']}],
    }
    const meta = {name: 'p', labels: {app: 'web', rev: 'abc', tier: 'fe'}}
    const p = stored(pod(spec, meta), '1.34')
    assert.deepStrictEqual(p.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions, [
      {key: 'rev', operator: 'In', values: ['abc']}, {key: 'tier', operator: 'NotIn', values: ['fe']},
    ])
    assert.deepStrictEqual(p.spec.topologySpreadConstraints[0].labelSelector.matchExpressions, [{key: 'rev', operator: 'In', values: ['abc']}])
    const old = stored(pod(spec, meta), '1.33')
    assert.equal(old.spec.topologySpreadConstraints[0].labelSelector.matchExpressions, undefined)
    assert.equal(stored(pod(spec, meta), '1.30').spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions, undefined)
  })

  it('an AppArmor annotation becomes the container field from 1.30', () => {
    const meta = {name: 'p', annotations: {'container.apparmor.security.beta.kubernetes.io/c': 'localhost/k8s-deny'}}
    const p = stored(pod({containers: [{name: 'c', image: 'x'}]}, meta), '1.30')
    assert.deepStrictEqual(p.spec.containers[0].securityContext, {appArmorProfile: {type: 'Localhost', localhostProfile: 'k8s-deny'}})
    assert.equal(stored(pod({containers: [{name: 'c', image: 'x'}]}, meta), '1.29').spec.containers[0].securityContext, undefined)
  })

  it('a Namespace keeps its own finalizers and adds kubernetes', () => {
    const ns = stored({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'n'}, spec: {finalizers: ['example.com/hold']}})
    assert.deepStrictEqual(ns.spec.finalizers, ['example.com/hold', 'kubernetes'])
  })

  it('ServiceAccount secret references keep only their names', () => {
    const sa = stored({apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'sa'}, secrets: [{name: 'tok', namespace: 'x', uid: 'u'}]})
    assert.deepStrictEqual(sa.secrets, [{name: 'tok'}])
  })

  it('admission defaults: default account, not-ready/unreachable tolerations, priority', () => {
    const p = pod({containers: [{name: 'c', image: 'x'}], tolerations: [{key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10}]})
    applyPodAdmissionDefaults(p)
    assert.equal(p.spec.serviceAccountName, 'default')
    assert.deepStrictEqual(p.spec.tolerations, [
      {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10},
      {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
    ])
    assert.equal(p.spec.priority, 0)
    assert.equal(p.spec.preemptionPolicy, 'PreemptLowerPriority')
    const q = pod({priorityClassName: 'high', containers: []})
    applyPodAdmissionDefaults(q, {priorityClass: {name: 'high', value: 1000, preemptionPolicy: 'Never'}})
    assert.deepStrictEqual([q.spec.priority, q.spec.preemptionPolicy], [1000, 'Never'])
  })
})

describe('strategy: Service IP fields', () => {
  const svc = (spec: O): O => ({apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec})
  const create = (spec: O, families?: Array<'IPv4' | 'IPv6'>) => {
    const o = svc(spec)
    applyDefaults(o, ctx())
    const problems = prepareForCreate(o, ctx('1.36', families ? {serviceIPFamilies: families} : {}))
    return {spec: o.spec, problems: problems.map(formatProblem)}
  }

  it('clusterIP alone fills clusterIPs', () => {
    const {spec} = create({clusterIP: '10.96.0.10', ports: [{port: 53}], selector: {a: 'b'}})
    assert.deepStrictEqual([spec.clusterIPs, spec.ipFamilies, spec.ipFamilyPolicy], [['10.96.0.10'], ['IPv4'], 'SingleStack'])
  })

  it('a headless Service with a selector follows the cluster', () => {
    const {spec} = create({clusterIP: 'None', selector: {a: 'b'}})
    assert.deepStrictEqual([spec.ipFamilies, spec.ipFamilyPolicy], [['IPv4'], 'SingleStack'])
  })

  it('a headless Service without a selector requires both families, even on a single-stack cluster', () => {
    const {spec} = create({clusterIP: 'None'})
    assert.deepStrictEqual([spec.ipFamilies, spec.ipFamilyPolicy], [['IPv4', 'IPv6'], 'RequireDualStack'])
  })

  it('RequireDualStack on a single-stack cluster is refused', () => {
    assert.deepStrictEqual(create({ipFamilyPolicy: 'RequireDualStack', ports: [{port: 80}]}).problems, [
      'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": Cluster is not configured for dual stack services',
    ])
  })

  it('an IPv6 cluster IP on an IPv4 cluster is refused', () => {
    assert.deepStrictEqual(create({clusterIP: 'fd00::10', ports: [{port: 80}]}).problems, [
      'spec.clusterIPs[0]: Invalid value: ["fd00::10"]: may not use IPv6 on a cluster which is not configured for it',
    ])
  })

  it('PreferDualStack on a dual-stack cluster gets both families, primary first', () => {
    const {spec} = create({ipFamilyPolicy: 'PreferDualStack', ports: [{port: 80}]}, ['IPv6', 'IPv4'])
    assert.deepStrictEqual(spec.ipFamilies, ['IPv6', 'IPv4'])
  })

  const base = () => stored(svc({type: 'NodePort', selector: {a: 'b'}, clusterIP: '10.96.1.1', ports: [{port: 80, nodePort: 30080}]}))

  it('an update that leaves out clusterIP and nodePort keeps the allocated ones', () => {
    const {obj} = update(base(), (n) => {
      delete n.spec.clusterIP
      delete n.spec.clusterIPs
      delete n.spec.ports[0].nodePort
    })
    assert.deepStrictEqual([obj.spec.clusterIP, obj.spec.clusterIPs, obj.spec.ports[0].nodePort], ['10.96.1.1', ['10.96.1.1'], 30080])
  })

  it('NodePort to ClusterIP drops node ports and the external traffic policy', () => {
    const {obj} = update(base(), (n) => (n.spec.type = 'ClusterIP'))
    assert.equal(obj.spec.ports[0].nodePort, undefined)
    assert.equal(obj.spec.externalTrafficPolicy, undefined)
    assert.equal(obj.spec.clusterIP, '10.96.1.1')
  })

  it('turning into ExternalName drops the cluster IPs and IP families', () => {
    const {obj} = update(base(), (n) => {
      n.spec.type = 'ExternalName'
      n.spec.externalName = 'example.com'
    })
    assert.deepStrictEqual([obj.spec.clusterIP, obj.spec.clusterIPs, obj.spec.ipFamilies, obj.spec.ipFamilyPolicy], [undefined, undefined, undefined, undefined])
    assert.deepStrictEqual(obj.status, {loadBalancer: {}})
  })
})

describe('strategy: update', () => {
  it('keeps the stored status and bumps the generation on a spec change', () => {
    const old = stored(deployment)
    old.status = {replicas: 1, readyReplicas: 1}
    const {obj, changed} = update(old, (n) => {
      n.spec.replicas = 3
      n.status = {}
    })
    assert.equal(changed, true)
    assert.equal(obj.metadata.generation, 2)
    assert.deepStrictEqual(obj.status, {replicas: 1, readyReplicas: 1})
  })

  it('a label change leaves the generation alone; clients cannot set it', () => {
    const {obj, changed} = update(stored(deployment), (n) => {
      n.metadata.labels = {x: 'y'}
      n.metadata.generation = 40
    })
    assert.equal(changed, false)
    assert.equal(obj.metadata.generation, 1)
  })

  it('a Deployment annotation change bumps the generation; a ReplicaSet one does not', () => {
    assert.equal(update(stored(deployment), (n) => (n.metadata.annotations = {note: 'x'})).changed, true)
    assert.equal(update(stored({...deployment, kind: 'ReplicaSet'}), (n) => (n.metadata.annotations = {note: 'x'})).changed, false)
  })

  it('re-sending the defaulted fields is no change', () => {
    assert.equal(update(stored(deployment), () => {}).changed, false)
  })

  it('a DaemonSet template change bumps the template generation annotation, a strategy change only the generation', () => {
    const old = stored({...deployment, kind: 'DaemonSet'})
    const t = update(old, (n) => (n.spec.template.spec.containers[0].image = 'nginx:1.26'))
    assert.deepStrictEqual([t.obj.metadata.generation, t.obj.metadata.annotations['deprecated.daemonset.template.generation']], [2, '2'])
    const s = update(old, (n) => (n.spec.updateStrategy = {type: 'OnDelete'}))
    assert.deepStrictEqual([s.obj.metadata.generation, s.obj.metadata.annotations['deprecated.daemonset.template.generation']], [2, '1'])
  })

  it('an EndpointSlice bumps its generation for endpoint and label changes', () => {
    const old = stored({apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: {name: 'e'}, addressType: 'IPv4', endpoints: [{addresses: ['10.0.0.1']}]})
    assert.equal(old.metadata.generation, 1)
    assert.equal(update(old, (n) => n.endpoints.push({addresses: ['10.0.0.2']})).changed, true)
    assert.equal(update(old, (n) => (n.metadata.labels = {'kubernetes.io/service-name': 's'})).changed, true)
    assert.equal(update(old, (n) => (n.metadata.annotations = {a: 'b'})).changed, false)
  })

  it('pods bump the generation on spec changes from 1.33, and never before', () => {
    const p = pod({containers: [{name: 'c', image: 'nginx:1.25'}]})
    const r = update(stored(p, '1.33'), (n) => (n.spec.containers[0].image = 'nginx:1.26'), '1.33')
    assert.deepStrictEqual([r.changed, r.obj.metadata.generation], [true, 2])
    const before = update(stored(p, '1.32'), (n) => (n.spec.containers[0].image = 'nginx:1.26'), '1.32')
    assert.deepStrictEqual([before.changed, before.obj.metadata.generation], [false, undefined])
  })

  it('a Namespace update cannot change its finalizers', () => {
    const {obj} = update(stored({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'n'}}), (n) => (n.spec.finalizers = []))
    assert.deepStrictEqual(obj.spec.finalizers, ['kubernetes'])
  })

  it('a CRD update records a new storage version', () => {
    const old = stored({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'w.example.com'},
      spec: {group: 'example.com', scope: 'Namespaced', names: {plural: 'w', kind: 'W'}, versions: [{name: 'v1', served: true, storage: true}]},
    })
    const {obj, changed} = update(old, (n) => (n.spec.versions = [{name: 'v1', served: true, storage: false}, {name: 'v2', served: true, storage: true}]))
    assert.equal(changed, true)
    assert.deepStrictEqual(obj.status.storedVersions, ['v1', 'v2'])
  })
})

describe('strategy: status updates', () => {
  it('the stored spec wins; Deployment labels too', () => {
    const old = stored({...deployment, metadata: {name: 'web', labels: {a: '1'}}})
    const n = statusUpdate(old, (o) => {
      o.spec.replicas = 5
      o.metadata.labels = {a: '2'}
      o.status = {replicas: 1}
    })
    assert.deepStrictEqual([n.spec.replicas, n.metadata.labels, n.status], [1, {a: '1'}, {replicas: 1}])
    assert.equal(n.metadata.generation, 1)
  })

  it('a pod status update keeps owner references and backfills the QoS class', () => {
    const old = stored(pod({containers: [{name: 'c', image: 'x'}]}, {name: 'p', ownerReferences: [{apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u'}]}))
    const n = statusUpdate(old, (o) => {
      o.metadata.ownerReferences = []
      o.spec.nodeName = 'elsewhere'
      o.status = {phase: 'Running', podIP: '10.1.1.1'}
    })
    assert.deepStrictEqual(n.metadata.ownerReferences, [{apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u'}])
    assert.equal(n.spec.nodeName, undefined)
    assert.deepStrictEqual(n.status, {phase: 'Running', podIP: '10.1.1.1', podIPs: [{ip: '10.1.1.1'}], qosClass: 'BestEffort'})
  })

  it('a PersistentVolume phase change records its transition time', () => {
    const old = stored({apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'pv'}, spec: {capacity: {storage: '1Gi'}, hostPath: {path: '/d'}}})
    const n = JSON.parse(JSON.stringify(old)) as O
    n.status.phase = 'Available'
    // The clock may be given as a time as well as a function.
    prepareForStatusUpdate(n, old, {kubernetesVersion: '1.30', now: new Date('2024-06-01T00:00:00Z')})
    assert.deepStrictEqual(n.status, {phase: 'Available', lastPhaseTransitionTime: '2024-06-01T00:00:00Z'})
    const same = JSON.parse(JSON.stringify(old)) as O
    delete same.status.lastPhaseTransitionTime
    prepareForStatusUpdate(same, old, {kubernetesVersion: '1.30', now: new Date('2024-06-01T00:00:00Z')})
    assert.deepStrictEqual(same.status, {phase: 'Pending', lastPhaseTransitionTime: '2024-05-01T10:00:00Z'})
  })
})

describe('strategy: custom resources', () => {
  const widget: O = {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}, spec: {size: 1}, status: {ready: true}}

  it('create: generation 1; status dropped when the CRD has a status subresource', () => {
    const a = stored(widget, '1.36', {statusSubresource: true})
    assert.deepStrictEqual([a.metadata.generation, a.status], [1, undefined])
    assert.deepStrictEqual(stored(widget).status, {ready: true})
  })

  it('update: the generation follows everything but metadata (and status with the subresource)', () => {
    const old = stored(widget, '1.36', {statusSubresource: true})
    old.status = {ready: true}
    const spec = update(old, (n) => (n.spec.size = 2), '1.36', {statusSubresource: true})
    assert.deepStrictEqual([spec.changed, spec.obj.metadata.generation, spec.obj.status], [true, 2, {ready: true}])
    assert.equal(update(old, (n) => (n.status = {ready: false}), '1.36', {statusSubresource: true}).changed, false)
    assert.equal(update(old, (n) => (n.metadata.labels = {a: 'b'}), '1.36', {statusSubresource: true}).changed, false)
    assert.equal(update(old, (n) => (n.status = {ready: false})).changed, true)
  })

  it('status update: everything but the status comes from the stored object', () => {
    const old = stored(widget, '1.36', {statusSubresource: true})
    const n = statusUpdate(old, (o) => {
      o.spec.size = 9
      o.metadata.labels = {x: 'y'}
      o.status = {ready: false}
    })
    assert.deepStrictEqual([n.spec.size, n.metadata.labels, n.status], [1, undefined, {ready: false}])
  })
})
