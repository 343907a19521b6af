// Update validation: each case is a stored object, a change, and the exact messages the apiserver
// gives (field: problem), or none for a change it allows.
import {strict as assert} from 'node:assert'
import {applyDefaults, POD_UPDATE_FORBIDDEN, prepareForCreate, prepareForUpdate, validateStatusUpdate, validateUpdate} from '../../../../src/apiserver/strategy/index.js'
import {formatProblem} from '../../../../src/schema/problems.js'

type O = Record<string, any>

function stored(o: O, version: string): O {
  const copy = JSON.parse(JSON.stringify(o)) as O
  const ctx = {kubernetesVersion: version, uid: 'uid-1'}
  applyDefaults(copy, ctx)
  prepareForCreate(copy, ctx)
  copy.metadata.uid = 'uid-1'
  copy.metadata.resourceVersion = '5'
  return copy
}

/** The messages of an update of `o` (stored first) changed by `mutate`. */
function updateErrors(o: O, mutate: (n: O, old: O) => void, version = '1.36'): string[] {
  const ctx = {kubernetesVersion: version}
  const old = stored(o, version)
  const n = JSON.parse(JSON.stringify(old)) as O
  mutate(n, old)
  applyDefaults(n, ctx)
  prepareForUpdate(n, old, ctx)
  return validateUpdate(n, old, ctx).map(formatProblem)
}

const deployment: O = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default'},
  spec: {selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.25'}]}}},
}
const statefulSet: O = {
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: {name: 'db'},
  spec: {
    serviceName: 'db', selector: {matchLabels: {app: 'web'}},
    template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.25'}]}},
    volumeClaimTemplates: [{metadata: {name: 'data'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}}],
  },
}
const job: O = {
  apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'pi'},
  spec: {template: {spec: {containers: [{name: 'pi', image: 'perl'}], restartPolicy: 'Never'}}},
}
const pod: O = {
  apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'},
  spec: {containers: [{name: 'c', image: 'nginx:1.25'}], tolerations: [{key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule'}]},
}
const claim: O = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'c'},
  spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, storageClassName: 'standard'},
}
const service: O = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec: {clusterIP: '10.96.0.20', selector: {a: 'b'}, ports: [{port: 80}]}}

const STS_132 = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
const STS_133 = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
const POD = `spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`

type Case = [name: string, object: O, mutate: (n: O, old: O) => void, expected: string[], version?: string]

const cases: Case[] = [
  // ObjectMeta
  ['a rename', deployment, (n) => (n.metadata.name = 'web2'), ['metadata.name: Invalid value: "web2": field is immutable']],
  ['a namespace move', deployment, (n) => (n.metadata.namespace = 'prod'), ['metadata.namespace: Invalid value: "prod": field is immutable']],
  ['a different uid', deployment, (n) => (n.metadata.uid = 'other'), ['metadata.uid: Invalid value: "other": field is immutable']],
  ['no resourceVersion', deployment, (n) => delete n.metadata.resourceVersion, ['metadata.resourceVersion: Invalid value: "": must be specified for an update']],
  ['a finalizer added while deleting', deployment, (n, old) => {
    old.metadata.deletionTimestamp = '2024-01-01T00:00:00Z'
    n.metadata.deletionTimestamp = '2024-01-01T00:00:00Z'
    n.metadata.finalizers = ['b.example/x', 'a.example/y']
  }, ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.example/y", "b.example/x"}']],
  ['a deletionTimestamp set by the client', deployment, (n) => (n.metadata.deletionTimestamp = '2024-01-01T00:00:00Z'), ['metadata.deletionTimestamp: Invalid value: "2024-01-01T00:00:00Z": field is immutable']],
  ['labels and annotations', deployment, (n) => (n.metadata.labels = {tier: 'web'}), []],

  // apps
  ['a Deployment selector change', deployment, (n) => {
    n.spec.selector = {matchLabels: {app: 'api'}}
    n.spec.template.metadata.labels = {app: 'api'}
  }, ['spec.selector: Invalid value: {"matchLabels":{"app":"api"}}: field is immutable']],
  ['a Deployment scale and image change', deployment, (n) => {
    n.spec.replicas = 4
    n.spec.template.spec.containers[0].image = 'nginx:1.26'
  }, []],
  ['a ReplicaSet selector change', {...deployment, kind: 'ReplicaSet'}, (n) => (n.spec.selector.matchExpressions = [{key: 'x', operator: 'Exists'}]),
    ['spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"x","operator":"Exists"}]}: field is immutable']],
  ['a DaemonSet selector change', {...deployment, kind: 'DaemonSet'}, (n) => (n.spec.selector = {matchLabels: {app: 'x'}}), ['spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: field is immutable']],
  ['a StatefulSet claim template change (1.32)', statefulSet, (n) => (n.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi'), [STS_132], '1.32'],
  ['a StatefulSet claim template change (1.33)', statefulSet, (n) => (n.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi'), [STS_133], '1.33'],
  ['a StatefulSet serviceName change', statefulSet, (n) => (n.spec.serviceName = 'other'), [STS_133]],
  ['a StatefulSet revisionHistoryLimit change (1.32)', statefulSet, (n) => (n.spec.revisionHistoryLimit = 3), [STS_132], '1.32'],
  ['a StatefulSet revisionHistoryLimit change (1.33)', statefulSet, (n) => (n.spec.revisionHistoryLimit = 3), [], '1.33'],
  ['a StatefulSet replicas, template, strategy and retention change', statefulSet, (n) => {
    n.spec.replicas = 3
    n.spec.template.spec.containers[0].image = 'nginx:1.26'
    n.spec.updateStrategy = {type: 'OnDelete'}
    n.spec.persistentVolumeClaimRetentionPolicy = {whenDeleted: 'Delete', whenScaled: 'Retain'}
    n.spec.minReadySeconds = 5
  }, []],
  ['a ControllerRevision data change', {apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: {name: 'r'}, revision: 1, data: {a: 1}}, (n) => (n.data = {a: 2}),
    ['data: Invalid value: {"a":2}: field is immutable']],

  // batch
  ['a Job template change', job, (n) => (n.spec.template.spec.containers[0].image = 'perl:5'), [
    'spec.template: Invalid value: {"metadata":{"labels":{"batch.kubernetes.io/controller-uid":"uid-1","batch.kubernetes.io/job-name":"pi","controller-uid":"uid-1","job-name":"pi"}},"spec":{"containers":[{"name":"pi","image":"perl:5","imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{}}],"restartPolicy":"Never","dnsPolicy":"ClusterFirst","securityContext":{},"terminationGracePeriodSeconds":30,"schedulerName":"default-scheduler"}}: field is immutable',
  ]],
  ['a Job selector change', job, (n) => (n.spec.selector.matchLabels.extra = 'x'), ['spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"uid-1","extra":"x"}}: field is immutable']],
  ['a NonIndexed Job completions change', job, (n) => (n.spec.completions = 3), ['spec.completions: Invalid value: 3: field is immutable']],
  ['an Indexed Job scaling completions with parallelism', {...job, spec: {...job.spec, completionMode: 'Indexed', completions: 2, parallelism: 2}}, (n) => {
    n.spec.completions = 4
    n.spec.parallelism = 4
  }, []],
  ['an Indexed Job scaling completions alone', {...job, spec: {...job.spec, completionMode: 'Indexed', completions: 2, parallelism: 2}}, (n) => (n.spec.completions = 4),
    ['spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism']],
  ['a suspended, never started Job changing node selector and labels', {...job, spec: {...job.spec, suspend: true}}, (n) => {
    n.spec.template.spec.nodeSelector = {zone: 'a'}
    n.spec.template.metadata.labels.queue = 'q1'
    n.spec.suspend = false
  }, []],
  ['a Job parallelism and suspend change', job, (n) => {
    n.spec.parallelism = 5
    n.spec.suspend = true
  }, []],
  ['a Job completion mode change', job, (n) => (n.spec.completionMode = 'Indexed'), ['spec.completionMode: Invalid value: "Indexed": field is immutable']],

  // Pod
  ['a pod image change', pod, (n) => (n.spec.containers[0].image = 'nginx:1.26'), []],
  ['a pod with an added container', pod, (n) => n.spec.containers.push({name: 'd', image: 'x'}), ['spec.containers: Forbidden: pod updates may not add or remove containers']],
  ['a pod image emptied', pod, (n) => (n.spec.containers[0].image = ''), ['spec.containers[0].image: Required value']],
  ['a pod image with trailing space', pod, (n) => (n.spec.containers[0].image = 'nginx '), ['spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace']],
  ['a pod port change', pod, (n) => (n.spec.containers[0].ports = [{containerPort: 80}]), [POD]],
  ['a pod label change', pod, (n) => (n.metadata.labels = {a: 'b'}), []],
  ['a pod toleration added', pod, (n) => n.spec.tolerations.push({key: 'x', operator: 'Exists'}), []],
  ['a pod toleration changed', pod, (n) => (n.spec.tolerations[0].value = 'w'), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']],
  ['a pod scheduling gate added', {...pod, spec: {...pod.spec, schedulingGates: [{name: 'g1'}]}}, (n) => n.spec.schedulingGates.push({name: 'g2'}),
    ["spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g2'"]],
  ['a pod scheduling gate removed', {...pod, spec: {...pod.spec, schedulingGates: [{name: 'g1'}]}}, (n) => (n.spec.schedulingGates = []), []],
  ['a gated pod adding node selector entries', {...pod, spec: {...pod.spec, schedulingGates: [{name: 'g1'}], nodeSelector: {a: '1'}}}, (n) => (n.spec.nodeSelector.b = '2'), []],
  ['a gated pod changing a node selector entry', {...pod, spec: {...pod.spec, schedulingGates: [{name: 'g1'}], nodeSelector: {a: '1'}}}, (n) => (n.spec.nodeSelector = {a: '2'}),
    ['spec.nodeSelector: Invalid value: {"a":"2"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)']],
  ['an ungated pod adding a node selector', pod, (n) => (n.spec.nodeSelector = {a: '1'}), [POD]],
  ['a pod deadline set and lowered', {...pod, spec: {...pod.spec, activeDeadlineSeconds: 60}}, (n) => (n.spec.activeDeadlineSeconds = 30), []],
  ['a pod deadline raised', {...pod, spec: {...pod.spec, activeDeadlineSeconds: 60}}, (n) => (n.spec.activeDeadlineSeconds = 90),
    ['spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value']],
  ['a pod deadline removed', {...pod, spec: {...pod.spec, activeDeadlineSeconds: 60}}, (n) => delete n.spec.activeDeadlineSeconds,
    ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']],
  ['a negative grace period set to 1', {...pod, spec: {...pod.spec, terminationGracePeriodSeconds: -1}}, (n) => (n.spec.terminationGracePeriodSeconds = 1), []],
  ['a grace period change', pod, (n) => (n.spec.terminationGracePeriodSeconds = 5), [POD]],

  // Service
  ['a Service cluster IP change', service, (n) => {
    n.spec.clusterIP = '10.96.0.21'
    n.spec.clusterIPs = ['10.96.0.21']
  }, ['spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set']],
  ['a Service turned ExternalName', service, (n) => {
    n.spec.type = 'ExternalName'
    n.spec.externalName = 'db.example.com'
  }, []],
  ['a Service dropping its secondary IP without SingleStack', {...service, spec: {...service.spec, ipFamilyPolicy: 'PreferDualStack'}}, (n, old) => {
    old.spec.clusterIPs = ['10.96.0.20', 'fd00::20']
    old.spec.ipFamilies = ['IPv4', 'IPv6']
  }, ['spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be set to \'SingleStack\' when releasing the secondary clusterIP',
    'spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be set to \'SingleStack\' when releasing the secondary ipFamily']],
  ['a load balancer class change', {...service, spec: {...service.spec, type: 'LoadBalancer', loadBalancerClass: 'a.example/lb'}}, (n) => (n.spec.loadBalancerClass = 'b.example/lb'),
    ['spec.loadBalancerClass: Invalid value: "b.example/lb": may not change once set']],
  ['a Service port and selector change', service, (n) => {
    n.spec.ports = [{port: 8080, protocol: 'TCP', targetPort: 8080}]
    n.spec.selector = {a: 'c'}
  }, []],

  // PVC and PV
  ['a bound claim growing', claim, (n, old) => {
    old.status = {phase: 'Bound', capacity: {storage: '1Gi'}}
    n.status = old.status
    n.spec.resources.requests.storage = '5Gi'
  }, []],
  ['a pending claim growing (1.28)', claim, (n) => (n.spec.resources.requests.storage = '5Gi'),
    ['spec: Forbidden: spec is immutable after creation except resources.requests for bound claims'], '1.28'],
  ['a claim class change (1.29)', claim, (n) => (n.spec.storageClassName = 'fast'),
    ['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'], '1.29'],
  ['a bound claim shrinking below its capacity', claim, (n, old) => {
    old.spec.resources.requests.storage = '5Gi'
    old.status = {phase: 'Bound', capacity: {storage: '5Gi'}}
    n.status = old.status
    n.spec.resources.requests.storage = '2Gi'
  }, ['spec.resources.requests.storage: Forbidden: field can not be less than status.capacity']],
  ['a bound claim shrinking (1.31)', claim, (n, old) => {
    old.spec.resources.requests.storage = '5Gi'
    old.status = {phase: 'Bound', capacity: {storage: '5Gi'}}
    n.status = old.status
    n.spec.resources.requests.storage = '2Gi'
  }, ['spec.resources.requests.storage: Forbidden: field can not be less than previous value'], '1.31'],
  ['a claim volumeMode change', claim, (n) => (n.spec.volumeMode = 'Block'), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    'volumeMode: Invalid value: "Block": field is immutable',
  ]],
  ['a claim without a class given one', {...claim, spec: {...claim.spec, storageClassName: undefined}}, (n) => (n.spec.storageClassName = 'standard'), []],
  ['the binder setting volumeName', claim, (n) => (n.spec.volumeName = 'pv-1'), []],
  ['a PV source change', {apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'pv'}, spec: {capacity: {storage: '1Gi'}, accessModes: ['ReadWriteOnce'], hostPath: {path: '/a'}}},
    (n) => (n.spec.hostPath.path = '/b'), ['spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation']],
  ['a PV reclaim policy and capacity change', {apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'pv'}, spec: {capacity: {storage: '1Gi'}, hostPath: {path: '/a'}}},
    (n) => {
      n.spec.persistentVolumeReclaimPolicy = 'Delete'
      n.spec.capacity.storage = '2Gi'
    }, []],

  // ConfigMap and Secret
  ['an immutable ConfigMap data change', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, immutable: true, data: {a: '1'}}, (n) => (n.data.a = '2'),
    ['data: Forbidden: field is immutable when `immutable` is set']],
  ['an immutable ConfigMap made mutable', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, immutable: true, data: {a: '1'}}, (n) => {
    n.immutable = false
    n.binaryData = {b: 'AA=='}
  }, ['immutable: Forbidden: field is immutable when `immutable` is set', 'binaryData: Forbidden: field is immutable when `immutable` is set']],
  ['a mutable ConfigMap change', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: '1'}}, (n) => (n.data.a = '2'), []],
  ['a Secret type change', {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, data: {a: 'eA=='}}, (n) => (n.type = 'kubernetes.io/tls'),
    ['type: Invalid value: "kubernetes.io/tls": field is immutable']],
  ['an immutable Secret stringData change', {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, immutable: true, data: {a: 'eA=='}}, (n) => (n.stringData = {a: 'y'}),
    ['data: Forbidden: field is immutable when `immutable` is set']],

  // Node
  ['a node podCIDR change', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'n'}, spec: {podCIDR: '10.244.0.0/24'}}, (n) => {
    n.spec.podCIDR = '10.244.1.0/24'
    delete n.spec.podCIDRs
  }, ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']],
  ['a node podCIDR set once', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'n'}}, (n) => (n.spec.podCIDR = '10.244.1.0/24'), []],
  ['a node providerID change', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'n'}, spec: {providerID: 'kind://a'}}, (n) => (n.spec.providerID = 'kind://b'),
    ['spec.providerID: Forbidden: node updates may not change providerID except from "" to valid']],
  ['a node cordoned and tainted', {apiVersion: 'v1', kind: 'Node', metadata: {name: 'n'}}, (n) => {
    n.spec.unschedulable = true
    n.spec.taints = [{key: 'k', effect: 'NoSchedule'}]
  }, []],

  // Other groups
  ['a PriorityClass value change', {apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: {name: 'p'}, value: 10}, (n) => {
    n.value = 20
    n.preemptionPolicy = 'Never'
  }, ['value: Forbidden: may not be changed in an update.', 'preemptionPolicy: Invalid value: "Never": field is immutable']],
  ['a StorageClass change', {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 's'}, provisioner: 'a', parameters: {type: 'x'}}, (n) => {
    n.parameters = {type: 'y'}
    n.provisioner = 'b'
    n.reclaimPolicy = 'Retain'
    n.volumeBindingMode = 'WaitForFirstConsumer'
    n.allowVolumeExpansion = true
  }, [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]],
  ['a RoleBinding roleRef change', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'b'}, roleRef: {kind: 'Role', name: 'a'}, subjects: []},
    (n) => (n.roleRef.name = 'b'), ['roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"b"}: cannot change roleRef']],
  ['a RoleBinding subject change', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'b'}, roleRef: {kind: 'Role', name: 'a'}},
    (n) => (n.subjects = [{kind: 'User', name: 'x'}]), []],
  ['an EndpointSlice address type change', {apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: {name: 'e'}, addressType: 'IPv4', endpoints: []},
    (n) => (n.addressType = 'IPv6'), ['addressType: Invalid value: "IPv6": field is immutable']],
  ['a CRD group and plural change', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'w.example.com'},
    spec: {group: 'example.com', scope: 'Namespaced', names: {plural: 'w', kind: 'W'}, versions: [{name: 'v1', served: true, storage: true}]},
  }, (n) => {
    n.spec.group = 'example.org'
    n.spec.names.plural = 'ws'
    n.spec.scope = 'Cluster'
  }, ['spec.group: Invalid value: "example.org": field is immutable', 'spec.names.plural: Invalid value: "ws": field is immutable']],
  ['an established CRD scope change', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'w.example.com'},
    spec: {group: 'example.com', scope: 'Namespaced', names: {plural: 'w', kind: 'W'}, versions: [{name: 'v1', served: true, storage: true}]},
  }, (n, old) => {
    old.status.conditions = [{type: 'Established', status: 'True'}]
    n.spec.scope = 'Cluster'
  }, ['spec.scope: Invalid value: "Cluster": field is immutable']],
  ['a custom resource spec change', {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}, spec: {a: 1}}, (n) => (n.spec.a = 2), []],
]

describe('strategy: update validation', () => {
  for (const [name, o, mutate, expected, version] of cases) {
    it(`${name}${expected.length === 0 ? ' is allowed' : ''}`, () => {
      assert.deepStrictEqual(updateErrors(o, mutate, version), expected)
    })
  }
})

describe('strategy: status update validation', () => {
  it('a pod QoS class cannot change', () => {
    const old = stored(pod, '1.36')
    const n = JSON.parse(JSON.stringify(old)) as O
    n.status.qosClass = 'Guaranteed'
    assert.deepStrictEqual(validateStatusUpdate(n, old, {kubernetesVersion: '1.36'}).map(formatProblem), [
      'status.qosClass: Invalid value: "Guaranteed": field is immutable',
    ])
  })

  it('a namespace is Active until it is deleted', () => {
    const old = stored({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'n'}}, '1.36')
    const n = JSON.parse(JSON.stringify(old)) as O
    n.status.phase = 'Terminating'
    assert.deepStrictEqual(validateStatusUpdate(n, old, {kubernetesVersion: '1.36'}).map(formatProblem), [
      'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
    ])
  })

  it('a StatefulSet collision count cannot go down', () => {
    const old = stored(statefulSet, '1.36')
    old.status.collisionCount = 2
    const n = JSON.parse(JSON.stringify(old)) as O
    n.status.collisionCount = 1
    assert.deepStrictEqual(validateStatusUpdate(n, old, {kubernetesVersion: '1.36'}).map(formatProblem), [
      'status.collisionCount: Invalid value: 1: cannot be decremented',
    ])
  })
})
