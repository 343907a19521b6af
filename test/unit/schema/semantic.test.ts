// The apiserver's semantic checks, kind by kind: each case is an object and the exact messages
// (field: problem) the checks must produce — and valid objects that must produce none.
import {strict as assert} from 'node:assert'
import {checkObject} from '../../../src/schema/semantic/index.js'
import {formatProblem} from '../../../src/schema/problems.js'

type O = Record<string, any>

function deployment(mut: (d: O) => void = () => {}): O {
  const d: O = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'},
    spec: {
      replicas: 1, selector: {matchLabels: {app: 'web'}},
      template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx'}]}},
    },
  }
  mut(d)
  return d
}
const ctr = (d: O) => d.spec.template.spec.containers[0]
const podSpec = (d: O) => d.spec.template.spec

function check(o: O, version = '1.36', namespaced = true): string[] {
  return checkObject(o, {kubernetesVersion: version, namespaced}).map(formatProblem)
}

const C0 = 'spec.template.spec.containers[0]'
const cases: Array<[string, O, string[]]> = [
  ['a valid deployment', deployment(), []],
  ['negative replicas', deployment((d) => (d.spec.replicas = -1)), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
  ['missing selector', deployment((d) => delete d.spec.selector), ['spec.selector: Required value']],
  ['empty selector', deployment((d) => (d.spec.selector = {})), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
  ['selector does not match labels', deployment((d) => (d.spec.selector.matchLabels = {app: 'api'})), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']],
  ['matchExpressions that match', deployment((d) => (d.spec.selector = {matchExpressions: [{key: 'app', operator: 'In', values: ['web', 'x']}]})), []],
  ['matchExpressions In without values', deployment((d) => (d.spec.selector = {matchExpressions: [{key: 'app', operator: 'In'}]})), ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
  ['restartPolicy Never in a deployment', deployment((d) => (podSpec(d).restartPolicy = 'Never')), ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
  ['no containers', deployment((d) => (podSpec(d).containers = [])), ['spec.template.spec.containers: Required value']],
  ['no image', deployment((d) => delete ctr(d).image), [`${C0}.image: Required value`]],
  ['duplicate container names across init and app containers', deployment((d) => (podSpec(d).initContainers = [{name: 'web', image: 'busybox'}])), ['spec.template.spec.containers[0].name: Duplicate value: "web"']],
  ['port name too long', deployment((d) => (ctr(d).ports = [{name: 'http-metrics-port', containerPort: 80}])), [`${C0}.ports[0].name: Invalid value: "http-metrics-port": must be no more than 15 characters`]],
  ['port name with no letters', deployment((d) => (ctr(d).ports = [{name: '8080', containerPort: 80}])), [`${C0}.ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)`]],
  ['duplicate port names in one pod', deployment((d) => { ctr(d).ports = [{name: 'http', containerPort: 80}]; podSpec(d).containers.push({name: 'side', image: 'x', ports: [{name: 'http', containerPort: 81}]}) }), ['spec.template.spec.containers[1].ports[0].name: Duplicate value: "http"']],
  ['container port out of range', deployment((d) => (ctr(d).ports = [{containerPort: 65536}])), [`${C0}.ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive`]],
  ['lowercase protocol', deployment((d) => (ctr(d).ports = [{containerPort: 80, protocol: 'tcp'}])), [`${C0}.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`]],
  ['requests above limits', deployment((d) => (ctr(d).resources = {requests: {cpu: '2', memory: '1Gi'}, limits: {cpu: '1', memory: '1024Mi'}})), [`${C0}.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`]],
  ['requests equal to limits in other units', deployment((d) => (ctr(d).resources = {requests: {cpu: '500m', memory: '1Gi'}, limits: {cpu: 0.5, memory: '1073741824'}})), []],
  ['a quantity that does not parse', deployment((d) => (ctr(d).resources = {limits: {memory: '1Gx'}})), [`${C0}.resources.limits.memory: Invalid value: "1Gx": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`]],
  ['a negative quantity', deployment((d) => (ctr(d).resources = {requests: {cpu: '-1'}})), [`${C0}.resources.requests.cpu: Invalid value: "-1": must be greater than or equal to 0`]],
  ['an unqualified extended resource', deployment((d) => (ctr(d).resources = {limits: {gpu: '1'}})), [`${C0}.resources.limits.gpu: Invalid value: "gpu": must be a standard resource type or fully qualified`]],
  ['a mount of an undeclared volume', deployment((d) => (ctr(d).volumeMounts = [{name: 'data', mountPath: '/d'}])), [`${C0}.volumeMounts[0].name: Not found: "data"`]],
  ['a volume with two sources', deployment((d) => (podSpec(d).volumes = [{name: 'v', emptyDir: {}, configMap: {name: 'c'}}])), ['spec.template.spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type']],
  ['a volume with no source', deployment((d) => (podSpec(d).volumes = [{name: 'v'}])), ['spec.template.spec.volumes[0]: Required value: must specify a volume type']],
  ['duplicate volume names', deployment((d) => (podSpec(d).volumes = [{name: 'v', emptyDir: {}}, {name: 'v', emptyDir: {}}])), ['spec.template.spec.volumes[1].name: Duplicate value: "v"']],
  ['defaultMode above 0777', deployment((d) => (podSpec(d).volumes = [{name: 'v', configMap: {name: 'c', defaultMode: 1000}}])), ['spec.template.spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive']],
  ['a probe with no handler', deployment((d) => (ctr(d).readinessProbe = {periodSeconds: 5})), [`${C0}.readinessProbe: Required value: must specify a handler type`]],
  ['liveness successThreshold must be 1', deployment((d) => (ctr(d).livenessProbe = {tcpSocket: {port: 80}, successThreshold: 2})), [`${C0}.livenessProbe.successThreshold: Invalid value: 2: must be 1`]],
  ['env var name with = (relaxed rules since 1.32)', deployment((d) => (ctr(d).env = [{name: 'A=B', value: 'x'}, {name: '1abc', value: 'y'}])), [`${C0}.env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`]],
  ['imagePullPolicy enum', deployment((d) => (ctr(d).imagePullPolicy = 'Sometimes')), [`${C0}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`]],
  ['maxUnavailable and maxSurge both 0', deployment((d) => (d.spec.strategy = {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 0}})), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']],
  ['maxUnavailable over 100%', deployment((d) => (d.spec.strategy = {rollingUpdate: {maxUnavailable: '150%'}})), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
  ['a bad percentage', deployment((d) => (d.spec.strategy = {rollingUpdate: {maxSurge: '25 %'}})), ["spec.strategy.rollingUpdate.maxSurge: Invalid value: \"25 %\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]],
  ['Recreate with rollingUpdate', deployment((d) => (d.spec.strategy = {type: 'Recreate', rollingUpdate: {maxSurge: 1}})), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
  ['progressDeadlineSeconds not above minReadySeconds', deployment((d) => { d.spec.minReadySeconds = 30; d.spec.progressDeadlineSeconds = 30 }), ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds']],
  ['an invalid name', deployment((d) => (d.metadata.name = 'Web')), ["metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
  ['neither name nor generateName', deployment((d) => delete d.metadata.name), ['metadata.name: Required value: name or generateName is required']],
  ['generateName may end in a dash', deployment((d) => { delete d.metadata.name; d.metadata.generateName = 'web-' }), []],
  ['an invalid label value', deployment((d) => (d.metadata.labels = {app: 'has space'})), ["metadata.labels: Invalid value: \"has space\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]],
]

const service = (spec: O): O => ({apiVersion: 'v1', kind: 'Service', metadata: {name: 'web'}, spec})
const job = (mut: (j: O) => void = () => {}): O => {
  const j: O = {apiVersion: 'batch/v1', kind: 'Job', metadata: {name: 'j'}, spec: {template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox'}]}}}}
  mut(j)
  return j
}
const cronJob = (schedule: string): O => ({apiVersion: 'batch/v1', kind: 'CronJob', metadata: {name: 'nightly'}, spec: {schedule, jobTemplate: {spec: {template: {spec: {restartPolicy: 'OnFailure', containers: [{name: 'c', image: 'busybox'}]}}}}}})

cases.push(
  ['a valid service', service({selector: {app: 'web'}, ports: [{port: 80, targetPort: 'http'}]}), []],
  ['a service name must be a DNS-1035 label', {...service({ports: [{port: 80}]}), metadata: {name: '1web'}}, ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]],
  ['a service without ports', service({selector: {app: 'web'}}), ['spec.ports: Required value']],
  ['a headless service without ports is fine', service({clusterIP: 'None', selector: {app: 'web'}}), []],
  ['two unnamed ports', service({ports: [{name: 'a', port: 80}, {port: 81}]}), ['spec.ports[1].name: Required value']],
  ['duplicate port names', service({ports: [{name: 'a', port: 80}, {name: 'a', port: 81}]}), ['spec.ports[1].name: Duplicate value: "a"']],
  ['port 0', service({ports: [{port: 0}]}), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
  ['nodePort on a ClusterIP service', service({ports: [{port: 80, nodePort: 30080}]}), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
  ['an unknown type', service({type: 'Internal', ports: [{port: 80}]}), ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
  ['ExternalName without a name', service({type: 'ExternalName'}), ['spec.externalName: Required value']],
  ['a valid job', job(), []],
  ['a job defaulting to restartPolicy Always', job((j) => delete j.spec.template.spec.restartPolicy), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
  ['a job with restartPolicy Always', job((j) => (j.spec.template.spec.restartPolicy = 'Always')), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']],
  ['a negative backoffLimit', job((j) => (j.spec.backoffLimit = -1)), ['spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0']],
  ['a valid cron schedule', cronJob('*/15 0-6 * * MON-FRI'), []],
  ['a cron descriptor', cronJob('@hourly'), []],
  ['a cron schedule with 3 fields', cronJob('0 3 *'), ['spec.schedule: Invalid value: "0 3 *": expected exactly 5 fields, found 3: [0 3 *]']],
  ['a cron minute out of range', cronJob('70 3 * * *'), ['spec.schedule: Invalid value: "70 3 * * *": end of range (70) above maximum (59): 70']],
  ['TZ in the schedule', cronJob('TZ=UTC 0 3 * * *'), ['spec.schedule: Invalid value: "TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']],
  ['a CronJob name longer than 52', {...cronJob('@daily'), metadata: {name: 'a'.repeat(53)}}, [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]],
  ['ConfigMap keys', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {'ok.key': 'x', 'bad key': 'y'}}, ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
  ['a TLS secret without its key', {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, type: 'kubernetes.io/tls', data: {'tls.crt': 'YQ=='}}, ['data[tls.key]: Required value']],
  ['HPA max below min', {apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: 'h'}, spec: {minReplicas: 3, maxReplicas: 2, scaleTargetRef: {kind: 'Deployment', name: 'web'}}}, ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']],
  ['HPA minReplicas 0', {apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: 'h'}, spec: {minReplicas: 0, maxReplicas: 2, scaleTargetRef: {kind: 'Deployment', name: 'web'}}}, ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1']],
  ['PDB with both bounds', {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name: 'p'}, spec: {minAvailable: 1, maxUnavailable: '50%'}}, ['spec: Invalid value: {"minAvailable":1,"maxUnavailable":"50%"}: minAvailable and maxUnavailable cannot be both set']],
  ['PVC without access modes or size', {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'p'}, spec: {}}, ['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources.requests.storage: Required value']],
  ['PVC of size 0', {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: 'p'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '0'}}}}, ['spec.resources.requests.storage: Invalid value: "0": must be greater than zero']],
  ['Ingress path without pathType', {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'i'}, spec: {rules: [{host: 'example.com', http: {paths: [{path: '/', backend: {service: {name: 'web', port: {number: 80}}}}]}}]}}, ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
  ['Ingress backend with port name and number', {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'i'}, spec: {defaultBackend: {service: {name: 'web', port: {number: 80, name: 'http'}}}}}, ['spec.defaultBackend.service.port: Invalid value: {"number":80,"name":"http"}: cannot set both port name & port number']],
  ['LimitRange min above max', {apiVersion: 'v1', kind: 'LimitRange', metadata: {name: 'l'}, spec: {limits: [{type: 'Container', min: {cpu: '2'}, max: {cpu: '1'}}]}}, ['spec.limits[0].min.cpu: Invalid value: "2": min value 2 is greater than max value 1']],
  ['a namespace name must be a DNS label', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team.a'}}, ['metadata.name: Invalid value: "team.a": must not contain dots']],
  ['RBAC names may contain colons', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name: 'system:controller:x'}}, []],
  ['a StatefulSet may mount its volumeClaimTemplates', {apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: {name: 'db'}, spec: {selector: {matchLabels: {a: 'b'}}, template: {metadata: {labels: {a: 'b'}}, spec: {containers: [{name: 'db', image: 'x', volumeMounts: [{name: 'data', mountPath: '/d'}]}]}}, volumeClaimTemplates: [{metadata: {name: 'data'}}]}}, []],
)

describe('semantic checks', () => {
  for (const [name, o, expected] of cases) {
    it(name, () => assert.deepEqual(check(o), expected))
  }

  it('uses the strict env var name rule before 1.32', () => {
    const d = deployment((x) => (ctr(x).env = [{name: '1abc', value: 'y'}]))
    assert.deepEqual(check(d, '1.36'), [])
    assert.equal(check(d, '1.31').length, 1)
    assert.match(check(d, '1.31')[0], /env\[0\]\.name: Invalid value: "1abc": a valid environment variable name/)
  })

  it('does not run built-in kind rules on a custom resource that reuses a kind name', () => {
    assert.deepEqual(check({apiVersion: 'example.com/v1', kind: 'Service', metadata: {name: 'x'}, spec: {}}), [])
  })
})
