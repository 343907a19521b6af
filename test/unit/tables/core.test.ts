// Rows of the core-group kinds other than Pod: services, endpoints, nodes, config, volumes, events,
// quotas, and the generic NAME / CREATED AT table of kinds without a printer.
import {strict as assert} from 'node:assert'
import {ago, cells, headers, table} from './helpers.js'

type Json = Record<string, unknown>

const meta = (name: string, extra: Json = {}): Json => ({name, namespace: 'default', creationTimestamp: ago(600), ...extra})

describe('tables/core', () => {
  describe('Service', () => {
    const svc = (spec: Json, status: Json = {}): Json => ({metadata: meta('web'), spec, status})
    it('has the service columns', () => {
      assert.deepEqual(headers('Service', ''), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*'])
    })
    const cases: Array<[string, Json, unknown[]]> = [
      [
        'ClusterIP without external IPs',
        svc({type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{port: 80, protocol: 'TCP'}], selector: {app: 'web'}}),
        ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '10m', 'app=web'],
      ],
      [
        'NodePort with node ports and several protocols',
        svc({type: 'NodePort', clusterIPs: ['10.96.1.1'], ports: [{port: 80, nodePort: 30080, protocol: 'TCP'}, {port: 53, nodePort: 30053, protocol: 'UDP'}]}),
        ['web', 'NodePort', '10.96.1.1', '<none>', '80:30080/TCP,53:30053/UDP', '10m', '<none>'],
      ],
      [
        'LoadBalancer still pending',
        svc({type: 'LoadBalancer', clusterIPs: ['10.96.2.2'], ports: [{port: 443, nodePort: 31443, protocol: 'TCP'}]}),
        ['web', 'LoadBalancer', '10.96.2.2', '<pending>', '443:31443/TCP', '10m', '<none>'],
      ],
      [
        'LoadBalancer ingress IPs and hostnames, sorted, never clipped by the server',
        svc({type: 'LoadBalancer', clusterIPs: ['1.5.6.7'], ports: [{port: 80, protocol: 'TCP'}]}, {
          loadBalancer: {ingress: [{ip: '3.4.5.6'}, {ip: '2.3.4.5'}, {hostname: 'lb.example.com'}, {ip: '5.6.7.8', hostname: 'ignored'}]},
        }),
        ['web', 'LoadBalancer', '1.5.6.7', '2.3.4.5,3.4.5.6,5.6.7.8,lb.example.com', '80/TCP', '10m', '<none>'],
      ],
      [
        'LoadBalancer ingress followed by spec.externalIPs',
        svc({type: 'LoadBalancer', clusterIPs: ['1.1.1.1'], externalIPs: ['9.9.9.9'], ports: [{port: 80, protocol: 'TCP'}]}, {loadBalancer: {ingress: [{ip: '8.8.8.8'}]}}),
        ['web', 'LoadBalancer', '1.1.1.1', '8.8.8.8,9.9.9.9', '80/TCP', '10m', '<none>'],
      ],
      [
        'ClusterIP with external IPs',
        svc({type: 'ClusterIP', clusterIPs: ['10.0.0.1'], externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{port: 8080, protocol: 'SCTP'}]}),
        ['web', 'ClusterIP', '10.0.0.1', '1.2.3.4,5.6.7.8', '8080/SCTP', '10m', '<none>'],
      ],
      [
        'ExternalName shows the name and no cluster IP',
        svc({type: 'ExternalName', externalName: 'db.example.com'}),
        ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '10m', '<none>'],
      ],
      [
        'headless service',
        svc({type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{port: 5432, protocol: 'TCP'}], selector: {app: 'db', tier: 'data'}}),
        ['web', 'ClusterIP', 'None', '<none>', '5432/TCP', '10m', 'app=db,tier=data'],
      ],
      ['a type the printer does not know', svc({type: 'Weird', clusterIP: '10.0.0.9'}), ['web', 'Weird', '10.0.0.9', '<unknown>', '<none>', '10m', '<none>']],
    ]
    for (const [title, s, want] of cases) it(title, () => assert.deepEqual(cells('Service', '', s), want))
  })

  describe('Endpoints', () => {
    const ep = (subsets: Json[]): Json => ({metadata: meta('web'), subsets})
    it('<none> without subsets', () => assert.deepEqual(cells('Endpoints', '', ep([])), ['web', '<none>', '10m']))
    it('host:port per address and port, IPv6 in brackets', () => {
      const e = ep([{addresses: [{ip: '10.0.0.1'}, {ip: 'fd00::1'}], ports: [{port: 8080}]}])
      assert.equal(cells('Endpoints', '', e)[1], '10.0.0.1:8080,[fd00::1]:8080')
    })
    it('three at most, then + N more...', () => {
      const e = ep([{addresses: [{ip: '10.0.0.1'}, {ip: '10.0.0.2'}, {ip: '10.0.0.3'}], ports: [{port: 80}, {port: 443}]}])
      assert.equal(cells('Endpoints', '', e)[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...')
    })
    it('bare addresses for headless services without ports', () => {
      const e = ep([{addresses: [{ip: '10.0.0.1'}, {ip: '10.0.0.2'}]}])
      assert.equal(cells('Endpoints', '', e)[1], '10.0.0.1,10.0.0.2')
    })
  })

  describe('Node', () => {
    const node = (labels: Json, spec: Json, status: Json): Json => ({metadata: {name: 'n1', creationTimestamp: ago(3 * 86400 + 7200), labels}, spec, status})
    const info = {kubeletVersion: 'v1.32.1', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.22'}
    it('Ready control plane with roles and wide columns', () => {
      const n = node({'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/etcd': 'true'}, {}, {
        conditions: [{type: 'MemoryPressure', status: 'False'}, {type: 'Ready', status: 'True'}],
        addresses: [{type: 'Hostname', address: 'n1'}, {type: 'InternalIP', address: '172.18.0.2'}, {type: 'InternalIP', address: '172.18.0.3'}],
        nodeInfo: info,
      })
      assert.deepEqual(cells('Node', '', n), ['n1', 'Ready', 'control-plane,etcd', '3d2h', 'v1.32.1', '172.18.0.2', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://1.7.22'])
    })
    const statuses: Array<[string, Json, Json, string]> = [
      ['NotReady', {}, {conditions: [{type: 'Ready', status: 'False'}]}, 'NotReady'],
      ['Ready but cordoned', {unschedulable: true}, {conditions: [{type: 'Ready', status: 'True'}]}, 'Ready,SchedulingDisabled'],
      ['Unknown without a Ready condition', {}, {conditions: []}, 'Unknown'],
      ['Unknown status counts as not ready', {}, {conditions: [{type: 'Ready', status: 'Unknown'}]}, 'NotReady'],
      ['cordoned without conditions', {unschedulable: true}, {}, 'Unknown,SchedulingDisabled'],
    ]
    for (const [title, spec, status, want] of statuses) it(`status: ${title}`, () => assert.equal(cells('Node', '', node({}, spec, status))[1], want))
    it('roles from kubernetes.io/role and node-role labels, sorted, <none> without', () => {
      assert.equal(cells('Node', '', node({'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/ingress': ''}, {}, {}))[2], 'ingress,worker')
      assert.equal(cells('Node', '', node({'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': ''}, {}, {}))[2], '<none>')
    })
    it('<unknown> for missing node info in wide columns', () => {
      assert.deepEqual(cells('Node', '', node({}, {}, {addresses: [{type: 'ExternalIP', address: '3.3.3.3'}]})).slice(4), ['', '<none>', '3.3.3.3', '<unknown>', '<unknown>', '<unknown>'])
    })
  })

  describe('config and identity', () => {
    it('Namespace shows its phase', () => {
      assert.deepEqual(cells('Namespace', '', {metadata: {name: 'kube-system', creationTimestamp: ago(90)}, status: {phase: 'Active'}}), ['kube-system', 'Active', '90s'])
      assert.deepEqual(cells('Namespace', '', {metadata: {name: 'gone', creationTimestamp: ago(90)}, status: {phase: 'Terminating'}}), ['gone', 'Terminating', '90s'])
    })
    it('ConfigMap DATA counts data and binaryData', () => {
      assert.deepEqual(cells('ConfigMap', '', {metadata: meta('cfg'), data: {a: '1', b: '2'}, binaryData: {c: 'AA=='}}), ['cfg', 3, '10m'])
      assert.deepEqual(cells('ConfigMap', '', {metadata: meta('empty')}), ['empty', 0, '10m'])
    })
    it('Secret TYPE and DATA', () => {
      assert.deepEqual(cells('Secret', '', {metadata: meta('tls'), type: 'kubernetes.io/tls', data: {'tls.crt': 'x', 'tls.key': 'y'}}), ['tls', 'kubernetes.io/tls', 2, '10m'])
      assert.deepEqual(headers('Secret', ''), ['Name', 'Type', 'Data', 'Age'])
    })
    it('ServiceAccount SECRETS', () => {
      assert.deepEqual(cells('ServiceAccount', '', {metadata: meta('default')}), ['default', 0, '10m'])
      assert.deepEqual(cells('ServiceAccount', '', {metadata: meta('bot'), secrets: [{name: 'bot-token'}]}), ['bot', 1, '10m'])
    })
  })

  describe('volumes', () => {
    it('a bound PersistentVolume', () => {
      const pv = {
        metadata: {name: 'pv-1', creationTimestamp: ago(7200)},
        spec: {
          capacity: {storage: '10Gi'},
          accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: 'standard',
          claimRef: {namespace: 'default', name: 'data'},
          volumeMode: 'Filesystem',
        },
        status: {phase: 'Bound'},
      }
      assert.deepEqual(cells('PersistentVolume', '', pv), ['pv-1', '10Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '120m', 'Filesystem'])
    })
    it('PersistentVolume: beta class annotation, Terminating, reason, canonical capacity', () => {
      const pv = {
        metadata: {name: 'pv-2', annotations: {'volume.beta.kubernetes.io/storage-class': 'legacy'}, deletionTimestamp: ago(1)},
        spec: {capacity: {storage: '1000Mi'}, accessModes: ['ReadOnlyMany', 'ReadWriteOncePod'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'ignored'},
        status: {phase: 'Failed', reason: 'VolumeFailedRecycle'},
      }
      assert.deepEqual(cells('PersistentVolume', '', pv), ['pv-2', '1000Mi', 'ROX,RWOP', 'Delete', 'Terminating', '', 'legacy', '<unset>', 'VolumeFailedRecycle', '<unknown>', '<unset>'])
    })
    it('a pending claim hides capacity and modes until bound', () => {
      const pvc = {metadata: meta('data'), spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, storageClassName: 'fast'}, status: {phase: 'Pending'}}
      assert.deepEqual(cells('PersistentVolumeClaim', '', pvc), ['data', 'Pending', '', '', '', 'fast', '<unset>', '10m', '<unset>'])
    })
    it('a bound claim shows the volume capacity from status', () => {
      const pvc = {
        metadata: meta('data'),
        spec: {volumeName: 'pvc-123', storageClassName: 'fast', volumeMode: 'Block', volumeAttributesClassName: 'gold'},
        status: {phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: {storage: '5Gi'}},
      }
      assert.deepEqual(cells('PersistentVolumeClaim', '', pvc), ['data', 'Bound', 'pvc-123', '5Gi', 'RWO', 'fast', 'gold', '10m', 'Block'])
    })
  })

  describe('Event', () => {
    it('has LAST SEEN, TYPE, REASON, OBJECT, MESSAGE and wide extras', () => {
      assert.deepEqual(headers('Event', ''), ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'])
    })
    it('a core event', () => {
      const e = {
        metadata: {name: 'web.17d', namespace: 'default'},
        involvedObject: {kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}'},
        reason: 'BackOff',
        message: '  Back-off restarting failed container web\n',
        source: {component: 'kubelet', host: 'node-1'},
        firstTimestamp: ago(3600),
        lastTimestamp: ago(41),
        count: 12,
        type: 'Warning',
      }
      assert.deepEqual(cells('Event', '', e), ['41s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{web}', 'kubelet, node-1', 'Back-off restarting failed container web', '60m', 12, 'web.17d'])
    })
    it('falls back to eventTime, series and reporting fields; count 1 for singletons', () => {
      const e = {
        metadata: {name: 'x'},
        involvedObject: {kind: 'Node'},
        reason: 'Starting',
        message: 'Starting kubelet.',
        eventTime: ago(300),
        reportingComponent: 'kubelet',
        reportingInstance: '',
        type: 'Normal',
      }
      assert.deepEqual(cells('Event', '', e), ['5m', 'Normal', 'Starting', 'node', '', 'kubelet', 'Starting kubelet.', '5m', 1, 'x'])
      const s = {...e, series: {count: 7, lastObservedTime: ago(20)}}
      assert.deepEqual(cells('Event', '', s).slice(0, 1).concat(cells('Event', '', s).slice(8, 9)), ['20s', 7])
    })
    it('events.k8s.io/v1 Events print the same way', () => {
      const e = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: {name: 'e1', namespace: 'default'},
        regarding: {kind: 'Deployment', name: 'web'},
        reason: 'ScalingReplicaSet',
        note: 'Scaled up replica set web-abc to 3',
        reportingController: 'deployment-controller',
        eventTime: ago(120),
        deprecatedCount: 2,
        type: 'Normal',
      }
      assert.deepEqual(cells('Event', 'events.k8s.io', e), ['2m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-abc to 3', '2m', 2, 'e1'])
    })
  })

  describe('ResourceQuota', () => {
    it('splits requests from limits and sorts by resource name', () => {
      const q = {
        metadata: meta('compute'),
        status: {
          hard: {'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi'},
          used: {'requests.cpu': '500m', pods: '3', 'limits.cpu': '1'},
        },
      }
      assert.deepEqual(cells('ResourceQuota', '', q), ['compute', 'pods: 3/10, requests.cpu: 500m/1, requests.memory: 0/1Gi', 'limits.cpu: 1/2, limits.memory: 0/2Gi', '10m'])
      assert.deepEqual(headers('ResourceQuota', ''), ['Name', 'Request', 'Limit', 'Age'])
    })
  })

  describe('controllers and templates', () => {
    it('ReplicationController with wide cells', () => {
      const rc = {
        metadata: meta('frontend'),
        spec: {replicas: 3, selector: {app: 'fe'}, template: {spec: {containers: [{name: 'php', image: 'php:8'}, {name: 'log', image: 'busybox'}]}}},
        status: {replicas: 3, readyReplicas: 2},
      }
      assert.deepEqual(cells('ReplicationController', '', rc), ['frontend', 3, 3, 2, '10m', 'php,log', 'php:8,busybox', 'app=fe'])
    })
    it('PodTemplate lists containers, images and pod labels', () => {
      const pt = {metadata: meta('tpl'), template: {metadata: {labels: {b: '2', a: '1'}}, spec: {containers: [{name: 'c', image: 'i'}]}}}
      assert.deepEqual(cells('PodTemplate', '', pt), ['tpl', 'c', 'i', 'a=1,b=2'])
      assert.deepEqual(headers('PodTemplate', ''), ['Name', 'Containers', 'Images', 'Pod Labels'])
    })
    it('ComponentStatus', () => {
      assert.deepEqual(cells('ComponentStatus', '', {metadata: {name: 'etcd-0'}, conditions: [{type: 'Healthy', status: 'True', message: 'ok'}]}), ['etcd-0', 'Healthy', 'ok', ''])
      assert.deepEqual(cells('ComponentStatus', '', {metadata: {name: 'scheduler'}, conditions: [{type: 'Healthy', status: 'False', error: 'refused'}]}), ['scheduler', 'Unhealthy', '', 'refused'])
      assert.deepEqual(cells('ComponentStatus', '', {metadata: {name: 'x'}}), ['x', 'Unknown', '', ''])
    })
  })

  describe('kinds without a printer', () => {
    it('LimitRange gets NAME / CREATED AT with an RFC 3339 time', () => {
      const t = table('LimitRange', '', [{metadata: {name: 'limits', creationTimestamp: '2024-05-01T08:30:00Z'}}])
      assert.deepEqual(
        t.columnDefinitions.map((c) => [c.name, c.type, c.format]),
        [
          ['Name', 'string', 'name'],
          ['Created At', 'date', ''],
        ],
      )
      assert.deepEqual(t.rows[0]!.cells, ['limits', '2024-05-01T08:30:00Z'])
    })
    it('a missing timestamp prints as Go zero time', () => {
      assert.deepEqual(cells('LimitRange', '', {metadata: {name: 'x'}}), ['x', '0001-01-01T00:00:00Z'])
    })
  })
})
