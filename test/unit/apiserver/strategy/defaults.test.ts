// The versioned defaults: minimal objects as clients send them, compared with what the apiserver
// returns for them on create (defaults plus the create strategy), release by release.
import {strict as assert} from 'node:assert'
import {applyDefaults, prepareForCreate, pullPolicyFor} from '../../../../src/apiserver/strategy/index.js'

type O = Record<string, any>

const NOW = () => new Date('2024-05-01T10:00:00.000Z')

/** What a create returns: defaulted, prepared, defaulted again on the way out of storage. */
function created(o: O, version = '1.36', uid = 'uid-1'): O {
  const copy = JSON.parse(JSON.stringify(o)) as O
  applyDefaults(copy, {kubernetesVersion: version})
  prepareForCreate(copy, {kubernetesVersion: version, uid, now: NOW})
  return copy
}

function defaulted(o: O, version = '1.36'): O {
  const copy = JSON.parse(JSON.stringify(o)) as O
  applyDefaults(copy, {kubernetesVersion: version})
  return copy
}

const container = (extra: O = {}): O => ({
  name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', resources: {},
  terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...extra,
})
const podSpecDefaults = {dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30}
const templateMeta = (version: string, labels: O = {app: 'web'}): O => (Number(version.split('.')[1]) < 34 ? {creationTimestamp: null, labels} : {labels})

const deploymentIn: O = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default'},
  spec: {selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.25'}]}}},
}

describe('strategy defaults: apps', () => {
  for (const version of ['1.28', '1.33', '1.34', '1.36']) {
    it(`a minimal Deployment comes back fully defaulted (${version})`, () => {
      assert.deepStrictEqual(created(deploymentIn, version), {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default', generation: 1},
        spec: {
          replicas: 1, progressDeadlineSeconds: 600, revisionHistoryLimit: 10, selector: {matchLabels: {app: 'web'}},
          strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
          template: {metadata: templateMeta(version), spec: {containers: [container()], ...podSpecDefaults}},
        },
        status: {},
      })
    })
  }

  it('a Recreate Deployment gets no rollingUpdate, and set values are kept', () => {
    const d = created({...deploymentIn, spec: {...deploymentIn.spec, replicas: 0, revisionHistoryLimit: 2, strategy: {type: 'Recreate'}}})
    assert.deepStrictEqual(d.spec.strategy, {type: 'Recreate'})
    assert.equal(d.spec.replicas, 0)
    assert.equal(d.spec.revisionHistoryLimit, 2)
  })

  it('a partial rollingUpdate keeps its value and gets the other', () => {
    const d = defaulted({...deploymentIn, spec: {...deploymentIn.spec, strategy: {rollingUpdate: {maxSurge: 1}}}})
    assert.deepStrictEqual(d.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: '25%'}})
  })

  it('a ReplicaSet starts with replicas 1 and status.replicas 0', () => {
    const rs = created({...deploymentIn, kind: 'ReplicaSet'})
    assert.equal(rs.spec.replicas, 1)
    assert.deepStrictEqual(rs.status, {replicas: 0})
    assert.equal(rs.spec.strategy, undefined)
  })

  const statefulSetIn: O = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: {name: 'db'},
    spec: {
      serviceName: 'db', selector: {matchLabels: {app: 'web'}},
      template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1.25'}]}},
      volumeClaimTemplates: [{metadata: {name: 'data'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}}],
    },
  }

  it('a StatefulSet gets its policies, and its claim templates the claim defaults (1.33)', () => {
    const s = created(statefulSetIn, '1.33')
    assert.deepStrictEqual(s.spec, {
      serviceName: 'db', replicas: 1, revisionHistoryLimit: 10, podManagementPolicy: 'OrderedReady',
      selector: {matchLabels: {app: 'web'}},
      updateStrategy: {type: 'RollingUpdate', rollingUpdate: {partition: 0}},
      persistentVolumeClaimRetentionPolicy: {whenDeleted: 'Retain', whenScaled: 'Retain'},
      template: {metadata: templateMeta('1.33'), spec: {containers: [container()], ...podSpecDefaults}},
      volumeClaimTemplates: [{
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'data', creationTimestamp: null},
        spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, volumeMode: 'Filesystem'},
        status: {phase: 'Pending'},
      }],
    })
    assert.deepStrictEqual(s.status, {replicas: 0, availableReplicas: 0})
    assert.equal(s.metadata.generation, 1)
  })

  it('StatefulSet rolling updates default maxUnavailable to 1 from 1.35 (MaxUnavailableStatefulSet beta)', () => {
    assert.deepStrictEqual(created(statefulSetIn, '1.34').spec.updateStrategy, {type: 'RollingUpdate', rollingUpdate: {partition: 0}})
    assert.deepStrictEqual(created(statefulSetIn, '1.35').spec.updateStrategy, {type: 'RollingUpdate', rollingUpdate: {partition: 0, maxUnavailable: 1}})
  })

  it('an OnDelete StatefulSet gets no rollingUpdate', () => {
    const s = defaulted({...statefulSetIn, spec: {...statefulSetIn.spec, updateStrategy: {type: 'OnDelete'}}})
    assert.deepStrictEqual(s.spec.updateStrategy, {type: 'OnDelete'})
  })

  it('a DaemonSet gets its update strategy, status counters and template generation annotation', () => {
    const ds = created({...deploymentIn, kind: 'DaemonSet'})
    assert.deepStrictEqual(ds.spec.updateStrategy, {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 1, maxSurge: 0}})
    assert.equal(ds.spec.revisionHistoryLimit, 10)
    assert.equal(ds.spec.replicas, undefined)
    assert.deepStrictEqual(ds.metadata.annotations, {'deprecated.daemonset.template.generation': '1'})
    assert.deepStrictEqual(ds.status, {currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0})
  })
})

describe('strategy defaults: batch', () => {
  const jobIn: O = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'pi', namespace: 'default'},
    spec: {template: {spec: {containers: [{name: 'pi', image: 'perl:5.34'}], restartPolicy: 'Never'}}},
  }
  const generated = {
    'batch.kubernetes.io/controller-uid': 'uid-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'uid-1', 'job-name': 'pi',
  }

  it('a minimal Job (1.33): completions, parallelism, backoff, generated selector and labels', () => {
    assert.deepStrictEqual(created(jobIn, '1.33'), {
      apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'pi', namespace: 'default', generation: 1, labels: generated},
      spec: {
        backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, parallelism: 1, manualSelector: false,
        podReplacementPolicy: 'TerminatingOrFailed', suspend: false,
        selector: {matchLabels: {'batch.kubernetes.io/controller-uid': 'uid-1'}},
        template: {
          metadata: {creationTimestamp: null, labels: generated},
          spec: {containers: [container({name: 'pi', image: 'perl:5.34'})], ...podSpecDefaults, restartPolicy: 'Never'},
        },
      },
      status: {},
    })
  })

  it('1.28 has neither podReplacementPolicy nor a defaulted manualSelector', () => {
    const j = created(jobIn, '1.28')
    assert.equal(j.spec.podReplacementPolicy, undefined)
    assert.equal(j.spec.manualSelector, undefined)
    assert.equal(j.spec.backoffLimit, 6)
  })

  it('template labels become the Job labels, generated ones included', () => {
    const j = created({...jobIn, spec: {...jobIn.spec, template: {...jobIn.spec.template, metadata: {labels: {app: 'pi'}}}}})
    assert.deepStrictEqual(j.metadata.labels, {app: 'pi', ...generated})
  })

  it('Job labels of its own are not replaced', () => {
    const j = created({...jobIn, metadata: {name: 'pi', labels: {team: 'a'}}})
    assert.deepStrictEqual(j.metadata.labels, {team: 'a'})
  })

  it('parallelism alone leaves completions unset', () => {
    const j = defaulted({...jobIn, spec: {...jobIn.spec, parallelism: 3}})
    assert.equal(j.spec.completions, undefined)
    assert.equal(j.spec.parallelism, 3)
  })

  it('a pod failure policy makes replacement wait for Failed and defaults condition status', () => {
    const j = defaulted({...jobIn, spec: {...jobIn.spec, podFailurePolicy: {rules: [{action: 'Ignore', onPodConditions: [{type: 'DisruptionTarget'}]}]}}})
    assert.equal(j.spec.podReplacementPolicy, 'Failed')
    assert.deepStrictEqual(j.spec.podFailurePolicy.rules[0].onPodConditions, [{type: 'DisruptionTarget', status: 'True'}])
  })

  it('backoffLimitPerIndex turns the backoff limit up to MaxInt32', () => {
    const j = defaulted({...jobIn, spec: {...jobIn.spec, completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1}})
    assert.equal(j.spec.backoffLimit, 2147483647)
  })

  it('a manual selector is not generated', () => {
    const j = created({...jobIn, spec: {...jobIn.spec, manualSelector: true, selector: {matchLabels: {a: 'b'}}}})
    assert.deepStrictEqual(j.spec.selector, {matchLabels: {a: 'b'}})
    assert.equal(j.spec.template.metadata.labels, undefined)
  })

  it('a CronJob: policy, history limits, and only pod-template defaults in its job template', () => {
    const c = created({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: {name: 'tick'},
      spec: {schedule: '*/5 * * * *', jobTemplate: {spec: {template: {spec: {containers: [{name: 'c', image: 'busybox'}], restartPolicy: 'OnFailure'}}}}},
    }, '1.30')
    assert.deepStrictEqual(c.spec, {
      schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: {creationTimestamp: null},
        spec: {template: {
          metadata: {creationTimestamp: null},
          spec: {containers: [container({name: 'c', image: 'busybox', imagePullPolicy: 'Always'})], ...podSpecDefaults, restartPolicy: 'OnFailure'},
        }},
      },
    })
    assert.equal(c.metadata.generation, 1)
  })
})

describe('strategy defaults: pods', () => {
  const pod = (spec: O, metadata: O = {name: 'p'}): O => ({apiVersion: 'v1', kind: 'Pod', metadata, spec})

  it('a minimal Pod (1.32): spec defaults, Pending and BestEffort, no generation yet', () => {
    assert.deepStrictEqual(created(pod({containers: [{name: 'web', image: 'nginx:1.25'}]}), '1.32'), {
      apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'},
      spec: {containers: [container()], enableServiceLinks: true, ...podSpecDefaults},
      status: {phase: 'Pending', qosClass: 'BestEffort'},
    })
  })

  it('pods get metadata.generation 1 from 1.33', () => {
    assert.equal(created(pod({containers: [{name: 'web', image: 'nginx'}]}), '1.33').metadata.generation, 1)
  })

  const policies: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['docker.io/library/nginx:1.25-alpine', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['registry.example.com:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['nginx:latest@sha256:' + 'a'.repeat(64), 'Always'],
    ['Nginx', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ]
  for (const [image, policy] of policies) {
    it(`imagePullPolicy for ${JSON.stringify(image)} is ${policy}`, () => assert.equal(pullPolicyFor(image), policy))
  }

  it('containers: ports, env field refs, probes, lifecycle hooks', () => {
    const p = defaulted(pod({containers: [{
      name: 'web', image: 'nginx:1.25', imagePullPolicy: 'Never',
      ports: [{containerPort: 80}, {containerPort: 53, protocol: 'UDP'}],
      env: [{name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
      livenessProbe: {httpGet: {port: 80}},
      readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5},
      lifecycle: {preStop: {httpGet: {port: 80, path: '/quit'}}},
    }]}))
    const c = p.spec.containers[0]
    assert.equal(c.imagePullPolicy, 'Never')
    assert.deepStrictEqual(c.ports, [{containerPort: 80, protocol: 'TCP'}, {containerPort: 53, protocol: 'UDP'}])
    assert.deepStrictEqual(c.env[0].valueFrom.fieldRef, {apiVersion: 'v1', fieldPath: 'spec.nodeName'})
    assert.deepStrictEqual(c.livenessProbe, {httpGet: {port: 80, path: '/', scheme: 'HTTP'}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3})
    assert.deepStrictEqual(c.readinessProbe, {tcpSocket: {port: 80}, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3})
    assert.deepStrictEqual(c.lifecycle.preStop.httpGet, {port: 80, path: '/quit', scheme: 'HTTP'})
  })

  it('volumes: modes, hostPath type, a bare volume becomes emptyDir, projected tokens expire in an hour', () => {
    const p = defaulted(pod({containers: [{name: 'c', image: 'x'}], volumes: [
      {name: 'a', secret: {secretName: 's'}},
      {name: 'b', configMap: {name: 'c', defaultMode: 256}},
      {name: 'c', hostPath: {path: '/data'}},
      {name: 'd'},
      {name: 'e', projected: {sources: [{serviceAccountToken: {path: 'token'}}, {downwardAPI: {items: [{path: 'ns', fieldRef: {fieldPath: 'metadata.namespace'}}]}}]}},
      {name: 'f', downwardAPI: {items: [{path: 'labels', fieldRef: {fieldPath: 'metadata.labels'}}]}},
    ]}))
    assert.deepStrictEqual(p.spec.volumes, [
      {name: 'a', secret: {secretName: 's', defaultMode: 420}},
      {name: 'b', configMap: {name: 'c', defaultMode: 256}},
      {name: 'c', hostPath: {path: '/data', type: ''}},
      {name: 'd', emptyDir: {}},
      {name: 'e', projected: {defaultMode: 420, sources: [
        {serviceAccountToken: {path: 'token', expirationSeconds: 3600}},
        {downwardAPI: {items: [{path: 'ns', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
      ]}},
      {name: 'f', downwardAPI: {defaultMode: 420, items: [{path: 'labels', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.labels'}}]}},
    ])
  })

  it('requests default to limits on a Pod, canonicalized; a template keeps its own', () => {
    const resources = {limits: {cpu: '0.5', memory: '1024Mi'}, requests: {cpu: 0.25}}
    const p = defaulted(pod({containers: [{name: 'c', image: 'x', resources}]}))
    assert.deepStrictEqual(p.spec.containers[0].resources, {limits: {cpu: '500m', memory: '1Gi'}, requests: {cpu: '250m', memory: '1Gi'}})
    const d = defaulted({...deploymentIn, spec: {...deploymentIn.spec, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'x', resources: {limits: {cpu: '1'}}}]}}}})
    assert.deepStrictEqual(d.spec.template.spec.containers[0].resources, {limits: {cpu: '1'}})
  })

  it('quantities below a milli round up', () => {
    const p = defaulted(pod({containers: [{name: 'c', image: 'x', resources: {requests: {cpu: '1.5m', memory: '100M'}}}]}))
    assert.deepStrictEqual(p.spec.containers[0].resources.requests, {cpu: '2m', memory: '100M'})
  })

  it('hostNetwork pods get hostPorts; templates do not', () => {
    const spec = {hostNetwork: true, containers: [{name: 'c', image: 'x', ports: [{containerPort: 8080}]}]}
    assert.equal(defaulted(pod(spec)).spec.containers[0].ports[0].hostPort, 8080)
    const d = defaulted({...deploymentIn, spec: {...deploymentIn.spec, template: {metadata: {labels: {app: 'web'}}, spec}}})
    assert.equal(d.spec.template.spec.containers[0].ports[0].hostPort, undefined)
  })

  it('serviceAccount mirrors serviceAccountName (v1 conversion)', () => {
    assert.equal(defaulted(pod({serviceAccountName: 'builder', containers: []})).spec.serviceAccount, 'builder')
    assert.equal(defaulted(pod({serviceAccount: 'old', containers: []})).spec.serviceAccountName, 'old')
  })

  it('image volumes get a pull policy from 1.35 (ImageVolume on by default)', () => {
    const spec = {containers: [{name: 'c', image: 'x'}], volumes: [{name: 'v', image: {reference: 'quay.io/data:latest'}}]}
    assert.equal(defaulted(pod(spec), '1.34').spec.volumes[0].image.pullPolicy, undefined)
    assert.equal(defaulted(pod(spec), '1.35').spec.volumes[0].image.pullPolicy, 'Always')
  })

  it('pod-level limits give pod-level requests from 1.34', () => {
    const spec = {resources: {limits: {cpu: '2', memory: '1Gi'}}, containers: [{name: 'c', image: 'x', resources: {requests: {cpu: '500m'}}}]}
    assert.deepStrictEqual(defaulted(pod(spec), '1.34').spec.resources, {limits: {cpu: '2', memory: '1Gi'}, requests: {cpu: '500m', memory: '1Gi'}})
    assert.deepStrictEqual(defaulted(pod(spec), '1.33').spec.resources, {limits: {cpu: '2', memory: '1Gi'}})
  })
})

describe('strategy defaults: core', () => {
  const svc = (spec: O): O => ({apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec})

  it('a ClusterIP Service: affinity, type, ports, traffic policy, IP families, empty status', () => {
    const s = created(svc({selector: {app: 'web'}, ports: [{port: 80}]}))
    assert.deepStrictEqual(s.spec, {
      selector: {app: 'web'}, ports: [{port: 80, protocol: 'TCP', targetPort: 80}],
      sessionAffinity: 'None', type: 'ClusterIP', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
    })
    assert.deepStrictEqual(s.status, {loadBalancer: {}})
  })

  it('a named targetPort is kept, an empty one becomes the port', () => {
    const s = defaulted(svc({ports: [{port: 80, targetPort: 'http'}, {port: 81, targetPort: ''}, {port: 82, targetPort: 0}]}))
    assert.deepStrictEqual(s.spec.ports.map((p: O) => p.targetPort), ['http', 81, 82])
  })

  it('NodePort and LoadBalancer Services get an external traffic policy; LoadBalancers node ports', () => {
    assert.equal(defaulted(svc({type: 'NodePort', ports: [{port: 80}]})).spec.externalTrafficPolicy, 'Cluster')
    const lb = defaulted(svc({type: 'LoadBalancer', ports: [{port: 80}]}))
    assert.equal(lb.spec.allocateLoadBalancerNodePorts, true)
    assert.equal(lb.spec.externalTrafficPolicy, 'Cluster')
    assert.equal(defaulted(svc({externalIPs: ['1.2.3.4'], ports: [{port: 80}]})).spec.externalTrafficPolicy, 'Cluster')
    assert.equal(defaulted(svc({ports: [{port: 80}]})).spec.externalTrafficPolicy, undefined)
  })

  it('an ExternalName Service gets no traffic policy or IP families', () => {
    const s = created(svc({type: 'ExternalName', externalName: 'example.com'}))
    assert.deepStrictEqual(s.spec, {type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None'})
  })

  it('ClientIP affinity gets a three-hour timeout', () => {
    assert.deepStrictEqual(defaulted(svc({sessionAffinity: 'ClientIP'})).spec.sessionAffinityConfig, {clientIP: {timeoutSeconds: 10800}})
    assert.equal(defaulted(svc({sessionAffinityConfig: {clientIP: {timeoutSeconds: 5}}})).spec.sessionAffinityConfig, undefined)
  })

  it('load balancer ingress IPs get ipMode VIP from 1.30', () => {
    const s = {...svc({type: 'LoadBalancer'}), status: {loadBalancer: {ingress: [{ip: '10.0.0.9'}, {hostname: 'lb.example'}]}}}
    assert.deepStrictEqual(defaulted(s, '1.30').status.loadBalancer.ingress, [{ip: '10.0.0.9', ipMode: 'VIP'}, {hostname: 'lb.example'}])
    assert.deepStrictEqual(defaulted(s, '1.29').status.loadBalancer.ingress, [{ip: '10.0.0.9'}, {hostname: 'lb.example'}])
  })

  it('a Secret is Opaque and its stringData lands base64 in data', () => {
    const s = created({apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, data: {a: 'eA=='}, stringData: {b: 'héllo', a: 'y'}})
    assert.deepStrictEqual(s, {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, type: 'Opaque', data: {a: 'eQ==', b: 'aMOpbGxv'}})
  })

  it('a Namespace: name label, kubernetes finalizer, Active', () => {
    assert.deepStrictEqual(created({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team-a'}}), {
      apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team-a', labels: {'kubernetes.io/metadata.name': 'team-a'}},
      spec: {finalizers: ['kubernetes']}, status: {phase: 'Active'},
    })
  })

  it('a PersistentVolumeClaim: Filesystem and Pending', () => {
    const c = created({apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'c'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}, status: {phase: 'Bound'}})
    assert.deepStrictEqual(c.spec, {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, volumeMode: 'Filesystem'})
    assert.deepStrictEqual(c.status, {phase: 'Pending'})
  })

  it('a PersistentVolume: Retain, Filesystem, Pending, and a phase transition time from 1.29', () => {
    const pv = {apiVersion: 'v1', kind: 'PersistentVolume', metadata: {name: 'pv'}, spec: {capacity: {storage: '5Gi'}, accessModes: ['ReadWriteOnce'], hostPath: {path: '/d'}}}
    const p = created(pv, '1.29')
    assert.deepStrictEqual(p.spec, {capacity: {storage: '5Gi'}, accessModes: ['ReadWriteOnce'], hostPath: {path: '/d', type: ''}, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem'})
    assert.deepStrictEqual(p.status, {phase: 'Pending', lastPhaseTransitionTime: '2024-05-01T10:00:00Z'})
    assert.deepStrictEqual(created(pv, '1.28').status, {phase: 'Pending'})
  })

  it('a Node: podCIDRs from podCIDR, allocatable from capacity, zero-valued status structs', () => {
    const n = created({apiVersion: 'v1', kind: 'Node', metadata: {name: 'n1'}, spec: {podCIDR: '10.244.1.0/24'}, status: {capacity: {cpu: '4', memory: '8Gi'}}})
    assert.deepStrictEqual(n.spec, {podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24']})
    assert.deepStrictEqual(n.status.allocatable, {cpu: '4', memory: '8Gi'})
    assert.deepStrictEqual(n.status.daemonEndpoints, {kubeletEndpoint: {Port: 0}})
    assert.equal(n.status.nodeInfo.kubeletVersion, '')
  })

  it('a ReplicationController takes its selector and labels from the template', () => {
    const rc = created({apiVersion: 'v1', kind: 'ReplicationController', metadata: {name: 'rc'}, spec: {template: {metadata: {labels: {app: 'x'}}, spec: {containers: [{name: 'c', image: 'x:1'}]}}}}, '1.34')
    assert.deepStrictEqual(rc.spec.selector, {app: 'x'})
    assert.deepStrictEqual(rc.metadata.labels, {app: 'x'})
    assert.equal(rc.spec.replicas, 1)
    assert.deepStrictEqual(rc.status, {replicas: 0})
  })

  it('Endpoints ports are TCP by default', () => {
    const e = defaulted({apiVersion: 'v1', kind: 'Endpoints', metadata: {name: 'e'}, subsets: [{addresses: [{ip: '10.0.0.1'}], ports: [{port: 80}]}]})
    assert.deepStrictEqual(e.subsets[0].ports, [{port: 80, protocol: 'TCP'}])
  })

  it('a container LimitRange item: default from max, defaultRequest from default', () => {
    const l = defaulted({apiVersion: 'v1', kind: 'LimitRange', metadata: {name: 'l'}, spec: {limits: [{type: 'Container', max: {cpu: '2'}, min: {memory: '64Mi'}}, {type: 'Pod', max: {cpu: '4'}}]}})
    assert.deepStrictEqual(l.spec.limits, [
      {type: 'Container', max: {cpu: '2'}, min: {memory: '64Mi'}, default: {cpu: '2'}, defaultRequest: {cpu: '2', memory: '64Mi'}},
      {type: 'Pod', max: {cpu: '4'}},
    ])
  })
})

describe('strategy defaults: other groups', () => {
  it('NetworkPolicy policyTypes follow the rules it has', () => {
    const np = (spec: O) => defaulted({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: 'n'}, spec})
    assert.deepStrictEqual(np({podSelector: {}}).spec.policyTypes, ['Ingress'])
    assert.deepStrictEqual(np({podSelector: {}, egress: [{ports: [{port: 53}]}]}).spec, {podSelector: {}, egress: [{ports: [{port: 53, protocol: 'TCP'}]}], policyTypes: ['Ingress', 'Egress']})
    assert.deepStrictEqual(np({podSelector: {}, policyTypes: ['Egress']}).spec.policyTypes, ['Egress'])
  })

  it('an HPA v2: minReplicas 1, CPU at 80%, behavior filled in', () => {
    const h = created({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: 'h'},
      spec: {scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'}, maxReplicas: 5, behavior: {scaleDown: {stabilizationWindowSeconds: 60}}},
    })
    assert.deepStrictEqual(h.spec, {
      scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'}, maxReplicas: 5, minReplicas: 1,
      metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}],
      behavior: {
        scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{type: 'Pods', value: 4, periodSeconds: 15}, {type: 'Percent', value: 100, periodSeconds: 15}]},
        scaleDown: {stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{type: 'Percent', value: 100, periodSeconds: 15}]},
      },
    })
    assert.deepStrictEqual(h.status, {desiredReplicas: 0})
    assert.equal(h.metadata.generation, undefined)
  })

  it('a PodDisruptionBudget starts with zero counters and generation 1', () => {
    const p = created({apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name: 'p'}, spec: {minAvailable: 1, selector: {matchLabels: {a: 'b'}}}, status: {disruptionsAllowed: 5}})
    assert.deepStrictEqual(p.status, {disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0})
    assert.equal(p.metadata.generation, 1)
  })

  it('PriorityClass, StorageClass, IngressClass and EndpointSlice defaults', () => {
    assert.equal(defaulted({apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: {name: 'p'}, value: 10}).preemptionPolicy, 'PreemptLowerPriority')
    const sc = defaulted({apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 's'}, provisioner: 'x'})
    assert.deepStrictEqual([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate'])
    const ic = defaulted({apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: {name: 'i'}, spec: {controller: 'x/y', parameters: {kind: 'K', name: 'n'}}})
    assert.equal(ic.spec.parameters.scope, 'Cluster')
    const es = defaulted({apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: {name: 'e'}, addressType: 'IPv4', endpoints: [], ports: [{port: 80}]})
    assert.deepStrictEqual(es.ports, [{port: 80, name: '', protocol: 'TCP'}])
  })

  it('bindings: roleRef group and subject groups by kind', () => {
    const b = defaulted({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'b'}, roleRef: {kind: 'Role', name: 'r'},
      subjects: [{kind: 'ServiceAccount', name: 'sa', namespace: 'ns'}, {kind: 'User', name: 'jane'}, {kind: 'Group', name: 'devs'}],
    })
    assert.equal(b.roleRef.apiGroup, 'rbac.authorization.k8s.io')
    assert.deepStrictEqual(b.subjects.map((s: O) => s.apiGroup), ['', 'rbac.authorization.k8s.io', 'rbac.authorization.k8s.io'])
  })

  it('a CustomResourceDefinition: names, conversion, stored version and empty accepted names', () => {
    const crd = created({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'widgets.example.com'},
      spec: {group: 'example.com', scope: 'Namespaced', names: {plural: 'widgets', kind: 'Widget'}, versions: [{name: 'v1', served: true, storage: true}]},
    })
    assert.deepStrictEqual(crd.spec.names, {plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList'})
    assert.deepStrictEqual(crd.spec.conversion, {strategy: 'None'})
    assert.deepStrictEqual(crd.status, {acceptedNames: {kind: '', plural: ''}, storedVersions: ['v1']})
    assert.equal(crd.metadata.generation, 1)
  })

  it('kinds without defaulters are left alone', () => {
    const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: 'b'}}
    assert.deepStrictEqual(created(cm), cm)
    const lease = {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: 'l'}, spec: {holderIdentity: 'x'}}
    assert.deepStrictEqual(created(lease), lease)
  })
})
