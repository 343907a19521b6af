// Rows of networking, discovery, autoscaling, policy, rbac, storage, admission, coordination,
// scheduling, node, certificates, flowcontrol and resource kinds.
import {strict as assert} from 'node:assert'
import {formatHPAMetrics} from '../../../src/apiserver/tables/autoscaling.js'
import {ago, cells, headers, table} from './helpers.js'

type Json = Record<string, unknown>

const meta = (name: string, extra: Json = {}): Json => ({name, creationTimestamp: ago(45 * 86400), ...extra})

describe('tables/other kinds', () => {
  describe('Ingress and IngressClass', () => {
    it('columns', () => assert.deepEqual(headers('Ingress', 'networking.k8s.io'), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']))
    it('class, hosts, address and TLS ports', () => {
      const ing = {
        metadata: meta('web'),
        spec: {ingressClassName: 'nginx', rules: [{host: 'a.example.com'}, {host: 'b.example.com'}], tls: [{hosts: ['a.example.com']}]},
        status: {loadBalancer: {ingress: [{ip: '2.3.4.5', hostname: 'localhost.localdomain'}, {hostname: 'lb.example.com'}]}},
      }
      assert.deepEqual(cells('Ingress', 'networking.k8s.io', ing), ['web', 'nginx', 'a.example.com,b.example.com', '2.3.4.5,lb.example.com', '80, 443', '45d'])
    })
    it('no class, no host, no address', () => {
      const ing = {metadata: meta('x'), spec: {defaultBackend: {service: {name: 's', port: {number: 80}}}}}
      assert.deepEqual(cells('Ingress', 'networking.k8s.io', ing), ['x', '<none>', '*', '', '80', '45d'])
    })
    it('more than three hosts', () => {
      const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({host: `${h}.io`}))
      assert.equal(cells('Ingress', 'networking.k8s.io', {metadata: meta('m'), spec: {rules}})[2], 'a.io,b.io,c.io + 2 more...')
    })
    it('IngressClass parameters (from printers_test.go)', () => {
      const base = {metadata: meta('test1'), spec: {controller: 'example.com/controller'}}
      assert.deepEqual(cells('IngressClass', 'networking.k8s.io', base), ['test1', 'example.com/controller', '<none>', '45d'])
      const withParams = {...base, spec: {controller: 'example.com/controller', parameters: {kind: 'customgroup', name: 'example'}}}
      assert.equal(cells('IngressClass', 'networking.k8s.io', withParams)[2], 'customgroup/example')
      const withGroup = {...base, spec: {controller: 'c', parameters: {apiGroup: 'example.com', kind: 'customgroup', name: 'example'}}}
      assert.equal(cells('IngressClass', 'networking.k8s.io', withGroup)[2], 'customgroup.example.com/example')
    })
  })

  it('NetworkPolicy POD-SELECTOR', () => {
    assert.deepEqual(cells('NetworkPolicy', 'networking.k8s.io', {metadata: meta('deny'), spec: {podSelector: {}}}), ['deny', '<none>', '45d'])
    assert.deepEqual(cells('NetworkPolicy', 'networking.k8s.io', {metadata: meta('db'), spec: {podSelector: {matchLabels: {role: 'db'}}}}), ['db', 'role=db', '45d'])
  })

  describe('EndpointSlice', () => {
    it('ports and endpoints, three at most', () => {
      const s = {
        metadata: meta('web-abc'),
        addressType: 'IPv4',
        ports: [{port: 80, name: 'http'}, {name: 'metrics'}, {}, {port: 9000}],
        endpoints: [{addresses: ['10.0.0.1', '10.0.0.2']}, {addresses: ['10.0.0.3']}, {addresses: ['10.0.0.4', '10.0.0.5']}],
      }
      assert.deepEqual(cells('EndpointSlice', 'discovery.k8s.io', s), ['web-abc', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '45d'])
    })
    it('<unset> when empty', () => {
      assert.deepEqual(cells('EndpointSlice', 'discovery.k8s.io', {metadata: meta('e'), addressType: 'IPv6'}), ['e', 'IPv6', '<unset>', '<unset>', '45d'])
    })
  })

  describe('HorizontalPodAutoscaler', () => {
    const hpa = (spec: Json, status: Json = {}, apiVersion = 'autoscaling/v2'): Json => ({
      apiVersion,
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web'),
      spec: {scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'}, minReplicas: 2, maxReplicas: 10, ...spec},
      status: {currentReplicas: 4, desiredReplicas: 5, ...status},
    })
    it('columns', () => assert.deepEqual(headers('HorizontalPodAutoscaler', 'autoscaling'), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']))
    it('CPU utilization with a current value', () => {
      const h = hpa(
        {metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}]},
        {currentMetrics: [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: 50, averageValue: '120m'}}}]},
      )
      assert.deepEqual(cells('HorizontalPodAutoscaler', 'autoscaling', h), ['web', 'Deployment/web', 'cpu: 50%/80%', '2', 10, 4, '45d'])
    })
    it('an HPA without metrics gets the default 80% CPU target; minReplicas defaults to 1', () => {
      const h = hpa({minReplicas: undefined})
      assert.deepEqual(cells('HorizontalPodAutoscaler', 'autoscaling', h).slice(2, 4), ['cpu: <unknown>/80%', '1'])
    })
    it('autoscaling/v1 CPU percentage fields', () => {
      const h = hpa({targetCPUUtilizationPercentage: 70}, {currentCPUUtilizationPercentage: 35}, 'autoscaling/v1')
      assert.equal(cells('HorizontalPodAutoscaler', 'autoscaling', h)[2], 'cpu: 35%/70%')
    })
    // formatHPAMetrics cases after printers_test.go's TestPrintHPA.
    const q = (v: string): Json => ({averageValue: v})
    const metricCases: Array<[string, Json[], Json[], string]> = [
      ['no metrics', [], [], '<none>'],
      ['external average, no current', [{type: 'External', external: {metric: {name: 'm'}, target: {type: 'AverageValue', averageValue: '100m'}}}], [], '<unknown>/100m (avg)'],
      [
        'external average',
        [{type: 'External', external: {metric: {name: 'm'}, target: {type: 'AverageValue', averageValue: '100m'}}}],
        [{type: 'External', external: {metric: {name: 'm'}, current: q('50m')}}],
        '50m/100m (avg)',
      ],
      ['external value, no current', [{type: 'External', external: {metric: {name: 'm'}, target: {type: 'Value', value: '100m'}}}], [], '<unknown>/100m'],
      [
        'external value',
        [{type: 'External', external: {metric: {name: 'm'}, target: {type: 'Value', value: '100m'}}}],
        [{type: 'External', external: {metric: {name: 'm'}, current: {value: '50m'}}}],
        '50m/100m',
      ],
      ['pods, no current', [{type: 'Pods', pods: {metric: {name: 'm'}, target: {type: 'AverageValue', averageValue: '100m'}}}], [], '<unknown>/100m'],
      ['pods', [{type: 'Pods', pods: {metric: {name: 'm'}, target: {type: 'AverageValue', averageValue: '100m'}}}], [{type: 'Pods', pods: {current: q('50m')}}], '50m/100m'],
      ['object value', [{type: 'Object', object: {metric: {name: 'm'}, target: {type: 'Value', value: '100m'}}}], [{type: 'Object', object: {current: {value: '50m'}}}], '50m/100m'],
      ['object average', [{type: 'Object', object: {metric: {name: 'm'}, target: {type: 'AverageValue', averageValue: '1k'}}}], [], '<unknown>/1k (avg)'],
      ['resource value, no current', [{type: 'Resource', resource: {name: 'cpu', target: {type: 'AverageValue', averageValue: '100m'}}}], [], 'cpu: <unknown>/100m'],
      ['resource value', [{type: 'Resource', resource: {name: 'cpu', target: {type: 'AverageValue', averageValue: '100m'}}}], [{type: 'Resource', resource: {name: 'cpu', current: q('50m')}}], 'cpu: 50m/100m'],
      ['resource utilization, no current', [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}], [], 'cpu: <unknown>/80%'],
      ['resource utilization without a target', [{type: 'Resource', resource: {name: 'memory', target: {type: 'Utilization'}}}], [], 'memory: <unknown>/<auto>'],
      [
        'container resource utilization',
        [{type: 'ContainerResource', containerResource: {name: 'cpu', container: 'app', target: {type: 'Utilization', averageUtilization: 60}}}],
        [{type: 'ContainerResource', containerResource: {name: 'cpu', container: 'app', current: {averageUtilization: 30}}}],
        'cpu: 30%/60%',
      ],
      ['an unknown type', [{type: 'Mystery'}], [], '<unknown type>'],
      [
        'more than two metrics',
        [
          {type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}},
          {type: 'Resource', resource: {name: 'memory', target: {type: 'AverageValue', averageValue: '1Gi'}}},
          {type: 'Pods', pods: {target: {averageValue: '10'}}},
          {type: 'Pods', pods: {target: {averageValue: '20'}}},
        ],
        [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: 12}}}],
        'cpu: 12%/80%, memory: <unknown>/1Gi + 2 more...',
      ],
    ]
    for (const [title, specs, statuses, want] of metricCases) it(`TARGETS: ${title}`, () => assert.equal(formatHPAMetrics(specs, statuses), want))
  })

  it('PodDisruptionBudget', () => {
    assert.deepEqual(cells('PodDisruptionBudget', 'policy', {metadata: meta('pdb'), spec: {minAvailable: 2}, status: {disruptionsAllowed: 1}}), ['pdb', '2', 'N/A', 1, '45d'])
    assert.deepEqual(cells('PodDisruptionBudget', 'policy', {metadata: meta('pdb'), spec: {maxUnavailable: '25%'}, status: {}}), ['pdb', 'N/A', '25%', 0, '45d'])
  })

  describe('RBAC', () => {
    it('RoleBinding shows the role and, wide, the subjects by kind', () => {
      const rb = {
        metadata: meta('read-pods'),
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader'},
        subjects: [
          {kind: 'User', name: 'jane'},
          {kind: 'Group', name: 'devs'},
          {kind: 'ServiceAccount', name: 'bot', namespace: 'ci'},
          {kind: 'User', name: 'joe'},
        ],
      }
      assert.deepEqual(cells('RoleBinding', 'rbac.authorization.k8s.io', rb), ['read-pods', 'Role/pod-reader', '45d', 'jane, joe', 'devs', 'ci/bot'])
      assert.deepEqual(headers('ClusterRoleBinding', 'rbac.authorization.k8s.io'), ['Name', 'Role', 'Age', 'Users*', 'Groups*', 'ServiceAccounts*'])
    })
    it('Role and ClusterRole use the generic NAME / CREATED AT table', () => {
      assert.deepEqual(headers('Role', 'rbac.authorization.k8s.io'), ['Name', 'Created At'])
      assert.deepEqual(cells('ClusterRole', 'rbac.authorization.k8s.io', {metadata: {name: 'admin', creationTimestamp: '2024-01-02T03:04:05Z'}}), ['admin', '2024-01-02T03:04:05Z'])
    })
  })

  describe('storage.k8s.io', () => {
    it('StorageClass with (default) marker and defaults for unset fields', () => {
      const sc = {metadata: meta('standard', {annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}}), provisioner: 'rancher.io/local-path'}
      assert.deepEqual(cells('StorageClass', 'storage.k8s.io', sc), ['standard (default)', 'rancher.io/local-path', 'Delete', 'Immediate', false, '45d'])
      const fast = {metadata: meta('fast'), provisioner: 'pd.csi.storage.gke.io', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true}
      assert.deepEqual(cells('StorageClass', 'storage.k8s.io', fast), ['fast', 'pd.csi.storage.gke.io', 'Retain', 'WaitForFirstConsumer', true, '45d'])
    })
    it('CSIDriver defaults', () => {
      const d = {metadata: meta('ebs.csi.aws.com'), spec: {}}
      assert.deepEqual(cells('CSIDriver', 'storage.k8s.io', d), ['ebs.csi.aws.com', true, false, false, '<unset>', false, 'Persistent', '45d'])
      const e = {metadata: meta('x'), spec: {attachRequired: false, tokenRequests: [{audience: 'a'}, {audience: 'b'}], volumeLifecycleModes: ['Persistent', 'Ephemeral']}}
      assert.deepEqual(cells('CSIDriver', 'storage.k8s.io', e).slice(1, 7), [false, false, false, 'a,b', false, 'Persistent,Ephemeral'])
    })
    it('VolumeAttachment, CSINode, CSIStorageCapacity', () => {
      const va = {metadata: meta('csi-123'), spec: {attacher: 'ebs.csi.aws.com', nodeName: 'n1', source: {persistentVolumeName: 'pv-1'}}, status: {attached: true}}
      assert.deepEqual(cells('VolumeAttachment', 'storage.k8s.io', va), ['csi-123', 'ebs.csi.aws.com', 'pv-1', 'n1', true, '45d'])
      assert.deepEqual(cells('CSINode', 'storage.k8s.io', {metadata: meta('n1'), spec: {drivers: [{name: 'a'}]}}), ['n1', 1, '45d'])
      assert.deepEqual(cells('CSIStorageCapacity', 'storage.k8s.io', {metadata: meta('cap'), storageClassName: 'fast', capacity: '100Gi'}), ['cap', 'fast', '100Gi'])
      assert.deepEqual(cells('CSIStorageCapacity', 'storage.k8s.io', {metadata: meta('cap'), storageClassName: 'fast'}), ['cap', 'fast', '<unset>'])
    })
  })

  describe('admissionregistration.k8s.io', () => {
    it('webhook configurations count their webhooks', () => {
      assert.deepEqual(cells('ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', {metadata: meta('v'), webhooks: [{}, {}]}), ['v', 2, '45d'])
      assert.deepEqual(cells('MutatingWebhookConfiguration', 'admissionregistration.k8s.io', {metadata: meta('m')}), ['m', 0, '45d'])
    })
    it('admission policies and bindings', () => {
      const vap = {metadata: meta('p'), spec: {paramKind: {apiVersion: 'v1', kind: 'ConfigMap'}, validations: [{expression: 'true'}]}}
      assert.deepEqual(cells('ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', vap), ['p', 1, 'v1/ConfigMap', '45d'])
      const named = {metadata: meta('b'), spec: {policyName: 'p', paramRef: {name: 'cfg'}}}
      assert.deepEqual(cells('ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', named), ['b', 'p', '*/cfg', '45d'])
      const selected = {metadata: meta('b'), spec: {policyName: 'p', paramRef: {selector: {matchLabels: {env: 'prod'}, matchExpressions: [{key: 'tier', operator: 'In', values: ['a', 'b']}]}}}}
      assert.equal(
        cells('ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', selected)[2],
        '&LabelSelector{MatchLabels:map[string]string{env: prod,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}',
      )
      assert.deepEqual(cells('MutatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', {metadata: meta('m'), spec: {policyName: 'x', paramRef: {name: 'c', namespace: 'ns'}}}).slice(2, 3), ['ns/c'])
    })
  })

  describe('cluster-level kinds', () => {
    it('Lease holder', () => {
      assert.deepEqual(cells('Lease', 'coordination.k8s.io', {metadata: meta('kube-scheduler'), spec: {holderIdentity: 'cp_1234'}}), ['kube-scheduler', 'cp_1234', '45d'])
      assert.deepEqual(cells('Lease', 'coordination.k8s.io', {metadata: meta('free'), spec: {}}), ['free', '', '45d'])
    })
    it('PriorityClass shows PREEMPTIONPOLICY without -o wide', () => {
      assert.deepEqual(headers('PriorityClass', 'scheduling.k8s.io'), ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'])
      const pc = {metadata: meta('system-cluster-critical'), value: 2000000000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority'}
      assert.deepEqual(cells('PriorityClass', 'scheduling.k8s.io', pc), ['system-cluster-critical', 2000000000, false, '45d', 'PreemptLowerPriority'])
    })
    it('RuntimeClass handler', () => {
      assert.deepEqual(cells('RuntimeClass', 'node.k8s.io', {metadata: meta('gvisor'), handler: 'runsc'}), ['gvisor', 'runsc', '45d'])
    })
    it('CertificateSigningRequest condition, signer and duration', () => {
      const csr = (status: Json, spec: Json = {}): Json => ({metadata: meta('csr-1'), spec: {signerName: 'kubernetes.io/kube-apiserver-client', username: 'jane', ...spec}, status})
      assert.deepEqual(cells('CertificateSigningRequest', 'certificates.k8s.io', csr({})), ['csr-1', '45d', 'kubernetes.io/kube-apiserver-client', 'jane', '<none>', 'Pending'])
      assert.equal(cells('CertificateSigningRequest', 'certificates.k8s.io', csr({conditions: [{type: 'Approved'}], certificate: 'LS0t'}))[5], 'Approved,Issued')
      assert.equal(cells('CertificateSigningRequest', 'certificates.k8s.io', csr({conditions: [{type: 'Approved'}, {type: 'Denied'}, {type: 'Failed'}]}))[5], 'Denied,Failed')
      assert.equal(cells('CertificateSigningRequest', 'certificates.k8s.io', csr({}, {expirationSeconds: 86400}))[4], '24h')
    })
    it('FlowSchema lists sort by matching precedence, then name', () => {
      const fs = (name: string, precedence: number): Json => ({metadata: meta(name), spec: {priorityLevelConfiguration: {name: 'workload-low'}, matchingPrecedence: precedence, distinguisherMethod: {type: 'ByUser'}}})
      const t = table('FlowSchema', 'flowcontrol.apiserver.k8s.io', [fs('b', 1000), fs('a', 1000), fs('exempt', 1)], {listMeta: {resourceVersion: '9'}})
      assert.deepEqual(
        t.rows.map((r) => r.cells.slice(0, 3)),
        [
          ['exempt', 'workload-low', 1],
          ['a', 'workload-low', 1000],
          ['b', 'workload-low', 1000],
        ],
      )
      assert.deepEqual(t.rows[0]!.cells.slice(3), ['ByUser', '45d', '?'])
    })
    it('PriorityLevelConfiguration', () => {
      const exempt = {metadata: meta('exempt'), spec: {type: 'Exempt'}}
      assert.deepEqual(cells('PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io', exempt), ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>', '45d'])
      const limited = {metadata: meta('global-default'), spec: {type: 'Limited', limited: {nominalConcurrencyShares: 20, limitResponse: {type: 'Queue', queuing: {queues: 128, handSize: 6, queueLengthLimit: 50}}}}}
      assert.deepEqual(cells('PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io', limited).slice(1, 6), ['Limited', 20, 128, 6, 50])
    })
    it('ResourceClaim state', () => {
      const rc = (status: Json, extra: Json = {}): Json => ({metadata: meta('claim', extra), spec: {}, status})
      assert.equal(cells('ResourceClaim', 'resource.k8s.io', rc({}))[1], 'pending')
      assert.equal(cells('ResourceClaim', 'resource.k8s.io', rc({allocation: {}, reservedFor: [{name: 'p'}]}))[1], 'allocated,reserved')
      assert.equal(cells('ResourceClaim', 'resource.k8s.io', rc({}, {deletionTimestamp: ago(1)}))[1], 'deleted')
    })
  })
})
