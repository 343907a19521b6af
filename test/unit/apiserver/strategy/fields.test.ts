// Field selectors: the attributes each kind exposes (GetAttrs) and the apiserver's conversion of the
// labels a client sends, with its exact errors for unsupported ones.
import {strict as assert} from 'node:assert'
import {convertFieldSelectorLabel, fieldsForSelector, supportedFieldSelectors} from '../../../../src/apiserver/strategy/index.js'
import {parseFieldSelector} from '../../../../src/api/fields.js'

type O = Record<string, any>

describe('strategy: selectable fields', () => {
  it('a Pod', () => {
    const pod: O = {
      apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'ns'},
      spec: {nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: true},
      status: {phase: 'Running', podIP: '10.1.0.5', podIPs: [{ip: '10.1.0.5'}, {ip: 'fd00::5'}], nominatedNodeName: ''},
    }
    assert.deepStrictEqual(fieldsForSelector(pod), {
      'metadata.name': 'p', 'metadata.namespace': 'ns', 'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'true',
      'status.phase': 'Running', 'status.podIP': '10.1.0.5', 'status.nominatedNodeName': '',
    })
  })

  it('a pending Pod has empty values and hostNetwork false', () => {
    const f = fieldsForSelector({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'ns'}, spec: {}})
    assert.deepStrictEqual([f['spec.nodeName'], f['spec.hostNetwork'], f['status.podIP']], ['', 'false', ''])
  })

  it('cluster-scoped kinds have no metadata.namespace', () => {
    assert.deepStrictEqual(fieldsForSelector({apiVersion: 'v1', kind: 'Node', metadata: {name: 'n1'}, spec: {unschedulable: true}}), {
      'metadata.name': 'n1', 'spec.unschedulable': 'true',
    })
    assert.deepStrictEqual(fieldsForSelector({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'a'}, status: {phase: 'Active'}}), {
      'metadata.name': 'a', 'status.phase': 'Active',
    })
    assert.deepStrictEqual(fieldsForSelector({apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'pv'}}), {'metadata.name': 'pv'})
  })

  it('a Secret, a ReplicationController and a Job', () => {
    assert.equal(fieldsForSelector({apiVersion: 'v1', kind: 'Secret', metadata: {name: 's', namespace: 'n'}, type: 'kubernetes.io/tls'}).type, 'kubernetes.io/tls')
    assert.equal(fieldsForSelector({apiVersion: 'v1', kind: 'ReplicationController', metadata: {name: 'r', namespace: 'n'}, status: {replicas: 3}})['status.replicas'], '3')
    assert.equal(fieldsForSelector({apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'j', namespace: 'n'}, status: {}})['status.successful'], '0')
    assert.equal(fieldsForSelector({apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'j', namespace: 'n'}, status: {succeeded: 2}})['status.successful'], '2')
  })

  it('core events, their source falling back to the reporting controller', () => {
    const e: O = {
      apiVersion: 'v1', kind: 'Event', metadata: {name: 'e', namespace: 'n'},
      involvedObject: {kind: 'Pod', namespace: 'n', name: 'p', uid: 'u', apiVersion: 'v1', resourceVersion: '9', fieldPath: 'spec.containers{c}'},
      reason: 'Pulled', type: 'Normal', reportingComponent: 'kubelet', source: {},
    }
    assert.deepStrictEqual(fieldsForSelector(e), {
      'metadata.name': 'e', 'metadata.namespace': 'n', 'involvedObject.kind': 'Pod', 'involvedObject.namespace': 'n',
      'involvedObject.name': 'p', 'involvedObject.uid': 'u', 'involvedObject.apiVersion': 'v1', 'involvedObject.resourceVersion': '9',
      'involvedObject.fieldPath': 'spec.containers{c}', reason: 'Pulled', reportingComponent: 'kubelet', source: 'kubelet', type: 'Normal',
    })
  })

  it('events.k8s.io events expose the same fields from regarding', () => {
    const e: O = {apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: {name: 'e', namespace: 'n'}, regarding: {kind: 'Node', name: 'n1'}, reportingController: 'c', deprecatedSource: {component: 'old'}}
    const f = fieldsForSelector(e)
    assert.deepStrictEqual([f['involvedObject.kind'], f['involvedObject.name'], f.reportingComponent, f.source], ['Node', 'n1', 'c', 'old'])
  })

  it('Services select on clusterIP and type from 1.31', () => {
    const s: O = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's', namespace: 'n'}, spec: {clusterIP: 'None', type: 'ClusterIP'}}
    assert.deepStrictEqual(fieldsForSelector(s, {kubernetesVersion: '1.31'}), {'metadata.name': 's', 'metadata.namespace': 'n', 'spec.clusterIP': 'None', 'spec.type': 'ClusterIP'})
    assert.deepStrictEqual(fieldsForSelector(s, {kubernetesVersion: '1.30'}), {'metadata.name': 's', 'metadata.namespace': 'n'})
  })

  it('CSRs select on signerName; ConfigMaps and custom resources on metadata only', () => {
    assert.deepStrictEqual(fieldsForSelector({apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: {name: 'c'}, spec: {signerName: 'kubernetes.io/kubelet-serving'}}), {
      'metadata.name': 'c', 'spec.signerName': 'kubernetes.io/kubelet-serving',
    })
    assert.deepStrictEqual(fieldsForSelector({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', namespace: 'n'}}), {'metadata.name': 'c', 'metadata.namespace': 'n'})
    assert.deepStrictEqual(fieldsForSelector({apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w', namespace: 'n'}, spec: {a: 1}}), {'metadata.name': 'w', 'metadata.namespace': 'n'})
  })

  it('the fields work with the field selector matcher', () => {
    const pods: O[] = ['Running', 'Pending'].map((phase, i) => ({apiVersion: 'v1', kind: 'Pod', metadata: {name: `p${i}`, namespace: 'n'}, spec: {nodeName: i ? '' : 'n1'}, status: {phase}}))
    const selector = parseFieldSelector('status.phase!=Pending,spec.nodeName=n1')
    assert.deepStrictEqual(pods.filter((p) => selector.matches(fieldsForSelector(p))).map((p) => p.metadata.name), ['p0'])
  })
})

describe('strategy: field selector labels', () => {
  const conversions: Array<[apiVersion: string, kind: string, label: string, expected: O, version?: string]> = [
    ['v1', 'Pod', 'spec.nodeName', {label: 'spec.nodeName'}],
    ['v1', 'Pod', 'status.podIPs', {label: 'status.podIPs'}],
    ['v1', 'Pod', 'spec.host', {label: 'spec.nodeName'}],
    ['v1', 'Pod', 'spec.containers', {error: 'field label not supported: spec.containers'}],
    ['v1', 'Node', 'spec.unschedulable', {label: 'spec.unschedulable'}],
    ['v1', 'Node', 'metadata.namespace', {error: 'field label not supported: metadata.namespace'}],
    ['v1', 'Namespace', 'status.phase', {label: 'status.phase'}],
    ['v1', 'Secret', 'type', {label: 'type'}],
    ['v1', 'Secret', 'data', {error: 'field label not supported: data'}],
    ['v1', 'ConfigMap', 'metadata.name', {label: 'metadata.name'}],
    ['v1', 'ConfigMap', 'data.key', {error: '"data.key" is not a known field selector: only "metadata.name", "metadata.namespace"'}],
    ['v1', 'Service', 'spec.type', {label: 'spec.type'}, '1.31'],
    ['v1', 'Service', 'spec.type', {error: '"spec.type" is not a known field selector: only "metadata.name", "metadata.namespace"'}, '1.30'],
    ['v1', 'Event', 'involvedObject.name', {label: 'involvedObject.name'}],
    ['v1', 'Event', 'regarding.name', {error: 'field label not supported: regarding.name'}],
    ['events.k8s.io/v1', 'Event', 'regarding.name', {label: 'involvedObject.name'}],
    ['events.k8s.io/v1', 'Event', 'reportingController', {label: 'reportingComponent'}],
    ['events.k8s.io/v1', 'Event', 'involvedObject.name', {error: 'field label not supported: involvedObject.name'}],
    ['v1', 'ReplicationController', 'status.replicas', {label: 'status.replicas'}],
    ['apps/v1', 'ReplicaSet', 'status.replicas', {error: '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'}],
    ['apps/v1', 'Deployment', 'spec.replicas', {error: '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'}],
    ['batch/v1', 'Job', 'status.successful', {label: 'status.successful'}],
    ['batch/v1', 'Job', 'status.failed', {error: 'field label not supported: status.failed'}],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'spec.signerName', {label: 'spec.signerName'}],
    ['example.com/v1', 'Widget', 'spec.size', {error: 'field label not supported: spec.size'}],
    ['example.com/v1', 'Widget', 'metadata.namespace', {label: 'metadata.namespace'}],
  ]
  for (const [apiVersion, kind, label, expected, version] of conversions) {
    it(`${apiVersion} ${kind} ${label}${version ? ` (${version})` : ''}`, () => {
      assert.deepStrictEqual(convertFieldSelectorLabel(apiVersion, kind, label, {kubernetesVersion: version ?? '1.36'}), expected)
    })
  }

  it('a CRD selectable field is accepted for its custom resources', () => {
    assert.deepStrictEqual(convertFieldSelectorLabel('example.com/v1', 'Widget', 'spec.size', {kubernetesVersion: '1.36'}, ['spec.size']), {label: 'spec.size'})
  })

  it('lists the labels a kind supports', () => {
    assert.deepStrictEqual(supportedFieldSelectors('Node'), ['metadata.name', 'spec.unschedulable'])
    assert.deepStrictEqual(supportedFieldSelectors('ConfigMap'), ['metadata.name', 'metadata.namespace'])
    assert.deepStrictEqual(supportedFieldSelectors('Job'), ['metadata.name', 'metadata.namespace', 'status.successful'])
    assert.deepStrictEqual(supportedFieldSelectors('Service', undefined, {kubernetesVersion: '1.30'}), ['metadata.name', 'metadata.namespace'])
    assert.ok(supportedFieldSelectors('Event').includes('involvedObject.uid'))
    assert.ok(supportedFieldSelectors('Event', 'events.k8s.io/v1').includes('regarding.uid'))
    assert.ok(supportedFieldSelectors('Pod').includes('spec.host'))
  })
})
