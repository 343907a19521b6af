// PodSpec checks from the apiserver's core validation: containers, ports, environment, resources,
// volumes and mounts, probes and the pod-level enums. Used for Pods and for every pod template.
import {isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidPortName, isValidPortNum} from '../../api/names.js'
import {parseQuantity, type Quantity} from '../../api/quantity.js'
import type {Path} from '../problems.js'
import {arr, Checker, num, obj, str, type Obj} from './checker.js'

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never']
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError']
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage'])

/** The volume sources of core/v1 Volume: exactly one must be set. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
]

export interface PodSpecOptions {
  /** Restart policies the owning workload allows (Deployment: Always only; Job: OnFailure, Never). */
  restartPolicies?: readonly string[]
  /** Volume names provided from outside the pod spec (a StatefulSet's volumeClaimTemplates). */
  extraVolumes?: readonly string[]
}

export function checkPodSpec(c: Checker, spec: Obj | undefined, path: Path, opts: PodSpecOptions = {}): void {
  if (!spec) {
    c.required(path)
    return
  }
  const volumes = checkVolumes(c, spec.volumes, [...path, 'volumes'])
  for (const v of opts.extraVolumes ?? []) volumes.push(v)
  // Arrays, not Sets: a pod has a handful of names, and this runs for every pod template.
  const containerNames: string[] = []
  const portNames: string[] = []
  const containers = arr(spec.containers)
  if (containers.length === 0) c.required([...path, 'containers'])
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((ctr, i) => {
      checkContainer(c, obj(ctr), [...path, field, i], {containerNames, portNames, volumes})
    })
  }
  const restartPolicy = str(spec.restartPolicy)
  if (restartPolicy !== undefined) {
    if (opts.restartPolicies && !opts.restartPolicies.includes(restartPolicy)) c.unsupported([...path, 'restartPolicy'], restartPolicy, opts.restartPolicies)
    else c.oneOf(path, 'restartPolicy', restartPolicy, RESTART_POLICIES)
  } else if (opts.restartPolicies && !opts.restartPolicies.includes('Always')) {
    // Defaulted to Always, which such a workload does not allow.
    c.required([...path, 'restartPolicy'], `valid values: ${opts.restartPolicies.map((p) => JSON.stringify(p)).join(', ')}`)
  }
  c.oneOf(path, 'dnsPolicy', spec.dnsPolicy, DNS_POLICIES)
  c.nonNegative(path, 'terminationGracePeriodSeconds', spec.terminationGracePeriodSeconds)
  const deadline = num(spec.activeDeadlineSeconds)
  if (deadline !== undefined && deadline <= 0) c.invalid([...path, 'activeDeadlineSeconds'], deadline, 'must be between 1 and 2147483647, inclusive')
  if (spec.serviceAccountName !== undefined && str(spec.serviceAccountName)) {
    c.messages([...path, 'serviceAccountName'], spec.serviceAccountName, isDNS1123Subdomain(str(spec.serviceAccountName)!))
  }
  arr(spec.imagePullSecrets).forEach((s, i) => {
    if (!str(obj(s)?.name)) c.required([...path, 'imagePullSecrets', i, 'name'])
  })
}

interface PodScope {
  containerNames: string[]
  portNames: string[]
  volumes: string[]
}

function checkContainer(c: Checker, ctr: Obj | undefined, path: Path, scope: PodScope): void {
  if (!ctr) return
  const name = str(ctr.name)
  if (name === undefined || name === '') c.required([...path, 'name'])
  else {
    c.messagesAt(path, ['name'], name, isDNS1123Label(name))
    if (scope.containerNames.includes(name)) c.duplicate([...path, 'name'], name)
    scope.containerNames.push(name)
  }
  if (!str(ctr.image)) c.required([...path, 'image'])
  c.oneOf(path, 'imagePullPolicy', ctr.imagePullPolicy, PULL_POLICIES)
  c.oneOf(path, 'terminationMessagePolicy', ctr.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES)
  // Sub-paths are built only for fields that are there: this runs for every container of every input.
  if (ctr.ports !== undefined) checkPorts(c, ctr.ports, [...path, 'ports'], scope.portNames)
  if (ctr.env !== undefined) checkEnv(c, ctr.env, [...path, 'env'])
  arr(ctr.envFrom).forEach((e, i) => {
    const from = obj(e)
    if (!from) return
    const prefix = str(from.prefix)
    if (prefix) c.messages([...path, 'envFrom', i, 'prefix'], prefix, envVarNameMessages(c, prefix))
    const refs = ['configMapRef', 'secretRef'].filter((k) => from[k] !== undefined)
    if (refs.length === 0) c.invalid([...path, 'envFrom', i], '', 'must specify one of: `configMapRef` or `secretRef`')
    if (refs.length > 1) c.invalid([...path, 'envFrom', i], '', 'may not have more than one field specified at a time')
  })
  if (ctr.resources !== undefined) checkResources(c, obj(ctr.resources), [...path, 'resources'])
  arr(ctr.volumeMounts).forEach((m, i) => {
    const mount = obj(m)
    if (!mount) return
    const mountName = str(mount.name)
    if (!mountName) c.required([...path, 'volumeMounts', i, 'name'])
    else if (!scope.volumes.includes(mountName)) c.notFound([...path, 'volumeMounts', i, 'name'], mountName)
    if (!str(mount.mountPath)) c.required([...path, 'volumeMounts', i, 'mountPath'])
  })
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (ctr[probe] !== undefined) checkProbe(c, obj(ctr[probe]), [...path, probe], probe)
  }
}

function checkPorts(c: Checker, ports: unknown, path: Path, portNames: string[]): void {
  arr(ports).forEach((p, i) => {
    const port = obj(p)
    if (!port) return
    const name = str(port.name)
    if (name) {
      c.messagesAt(path, [i, 'name'], name, isValidPortName(name))
      if (portNames.includes(name)) c.duplicate([...path, i, 'name'], name)
      portNames.push(name)
    }
    const containerPort = num(port.containerPort)
    if (containerPort === undefined) c.required([...path, i, 'containerPort'])
    else c.messagesAt(path, [i, 'containerPort'], containerPort, isValidPortNum(containerPort))
    const hostPort = num(port.hostPort)
    if (hostPort !== undefined && hostPort !== 0) c.messages([...path, i, 'hostPort'], hostPort, isValidPortNum(hostPort))
    c.oneOf([...path, i], 'protocol', port.protocol, PROTOCOLS)
  })
}

function checkEnv(c: Checker, env: unknown, path: Path): void {
  arr(env).forEach((e, i) => {
    const v = obj(e)
    if (!v) return
    const name = str(v.name)
    if (!name) c.required([...path, i, 'name'])
    else c.messagesAt(path, [i, 'name'], name, envVarNameMessages(c, name))
    const from = obj(v.valueFrom)
    if (!from) return
    if (v.value !== undefined && v.value !== '') c.invalid([...path, i, 'valueFrom'], '', 'may not be specified when `value` is not empty')
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => from[k] !== undefined)
    if (sources.length === 0) c.invalid([...path, i, 'valueFrom'], '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`')
    if (sources.length > 1) c.invalid([...path, i, 'valueFrom'], '', 'may not have more than one field specified at a time')
    for (const ref of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const r = obj(from[ref])
      if (!r) continue
      const key = str(r.key)
      if (!key) c.required([...path, i, 'valueFrom', ref, 'key'])
      else c.messages([...path, i, 'valueFrom', ref, 'key'], key, isConfigMapKey(key))
    }
  })
}

/** Since 1.32 (RelaxedEnvironmentVariableValidation) any printable ASCII but `=` is a valid name. */
function envVarNameMessages(c: Checker, name: string): string[] {
  if (!c.atLeast('1.32')) return isEnvVarName(name)
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(name) ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"]
}

/** requests and limits: names, quantities that parse and are not negative, and requests <= limits. */
export function checkResources(c: Checker, resources: Obj | undefined, path: Path): void {
  if (!resources) return
  const limits = checkResourceList(c, resources.limits, [...path, 'limits'])
  const requests = checkResourceList(c, resources.requests, [...path, 'requests'])
  for (const [name, request] of requests) {
    const limit = limits.get(name)
    if (limit && request.cmp(limit) > 0) {
      c.invalid([...path, 'requests'], request.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`)
    }
    if (!limit && limits.size > 0 && isExtendedResource(name)) {
      c.invalid([...path, 'limits'], request.toString(), `must be equal to ${name} request`)
    }
  }
}

/** Parses a ResourceList; returns the valid quantities by resource name. */
export function checkResourceList(c: Checker, list: unknown, path: Path, opts: {allowAnyName?: boolean} = {}): Map<string, Quantity> {
  const out = new Map<string, Quantity>()
  const o = obj(list)
  if (!o) return out
  for (const [name, raw] of Object.entries(o)) {
    if (!opts.allowAnyName) checkResourceName(c, name, [...path, name])
    const q = parseQuantityField(c, raw, path, name)
    if (!q) continue
    if (q.sign() < 0) c.invalid([...path, name], q.toString(), 'must be greater than or equal to 0')
    out.set(name, q)
  }
  return out
}

export function parseQuantityField(c: Checker, raw: unknown, path: Path, key?: string): Quantity | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined
  const q = cachedQuantity(raw)
  if (typeof q === 'string') {
    c.invalid(key === undefined ? path : [...path, key], raw, q)
    return undefined
  }
  return q
}

// The same few quantities (100m, 128Mi, 1) appear in thousands of containers; Quantity is immutable.
const quantities = new Map<string | number, Quantity | string>()

function cachedQuantity(raw: string | number): Quantity | string {
  let q = quantities.get(raw)
  if (q === undefined) {
    try {
      q = parseQuantity(raw)
    } catch (e) {
      q = (e as Error).message
    }
    if (quantities.size >= 4096) quantities.clear()
    quantities.set(raw, q)
  }
  return q
}

function checkResourceName(c: Checker, name: string, path: Path): void {
  if (STANDARD_RESOURCES.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.') || name.startsWith('limits.')) return
  const msgs = isQualifiedName(name)
  if (msgs.length > 0) {
    c.messages(path, name, msgs)
    return
  }
  if (!name.includes('/')) c.invalid(path, name, 'must be a standard resource type or fully qualified')
}

function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.')
}

function checkVolumes(c: Checker, volumes: unknown, path: Path): string[] {
  const names: string[] = []
  arr(volumes).forEach((v, i) => {
    const vol = obj(v)
    if (!vol) return
    const name = str(vol.name)
    if (!name) c.required([...path, i, 'name'])
    else {
      c.messagesAt(path, [i, 'name'], name, isDNS1123Label(name))
      if (names.includes(name)) c.duplicate([...path, i, 'name'], name)
      names.push(name)
    }
    const sources = VOLUME_SOURCES.filter((s) => vol[s] !== undefined)
    if (sources.length === 0) c.required([...path, i], 'must specify a volume type')
    else if (sources.length > 1) c.forbidden([...path, i, sources[1]], 'may not specify more than 1 volume type')
    const pvc = obj(vol.persistentVolumeClaim)
    if (pvc && !str(pvc.claimName)) c.required([...path, i, 'persistentVolumeClaim', 'claimName'])
    for (const ref of ['configMap', 'secret'] as const) {
      arr(obj(vol[ref])?.items).forEach((it, j) => {
        const key = str(obj(it)?.key)
        if (!key) c.required([...path, i, ref, 'items', j, 'key'])
        else c.messages([...path, i, ref, 'items', j, 'key'], key, isConfigMapKey(key))
        if (!str(obj(it)?.path)) c.required([...path, i, ref, 'items', j, 'path'])
      })
    }
    const mode = num(obj(vol.configMap)?.defaultMode ?? obj(vol.secret)?.defaultMode)
    if (mode !== undefined && (mode < 0 || mode > 0o777)) {
      const src = vol.configMap !== undefined ? 'configMap' : 'secret'
      c.invalid([...path, i, src, 'defaultMode'], mode, 'must be a number between 0 and 0777 (octal), both inclusive')
    }
  })
  return names
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc']

function checkProbe(c: Checker, probe: Obj | undefined, path: Path, kind: string): void {
  if (!probe) return
  const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined)
  if (handlers.length === 0) c.required(path, 'must specify a handler type')
  else if (handlers.length > 1) c.forbidden([...path, handlers[1]], 'may not specify more than 1 handler type')
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    c.nonNegative(path, f, probe[f])
  }
  const success = num(probe.successThreshold)
  if ((kind === 'livenessProbe' || kind === 'startupProbe') && success !== undefined && success !== 1) {
    c.invalid([...path, 'successThreshold'], success, 'must be 1')
  }
  const http = obj(probe.httpGet)
  if (http) checkProbePort(c, http.port, [...path, 'httpGet', 'port'])
  const tcp = obj(probe.tcpSocket)
  if (tcp) checkProbePort(c, tcp.port, [...path, 'tcpSocket', 'port'])
}

function checkProbePort(c: Checker, port: unknown, path: Path): void {
  if (port === undefined) c.required(path)
  else if (typeof port === 'number') c.messages(path, port, isValidPortNum(port))
  else if (typeof port === 'string') c.messages(path, port, isValidPortName(port))
}
