// Checks for the remaining common kinds: HorizontalPodAutoscaler, PodDisruptionBudget,
// PersistentVolumeClaim, ResourceQuota, LimitRange, Ingress and NetworkPolicy.
import {isWildcardDNS1123Subdomain, isDNS1123Subdomain, isValidPortName, isValidPortNum} from '../../api/names.js'
import {validateLabelSelector, type LabelSelector} from '../../api/labels.js'
import type {Path} from '../problems.js'
import {arr, Checker, num, obj, str, type Obj} from './checker.js'
import {adopt} from './metadata.js'
import {checkResourceList, parseQuantityField} from './pod.js'
import {checkIntOrPercent} from './workloads.js'

export function checkHorizontalPodAutoscaler(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  const min = num(spec.minReplicas)
  const max = num(spec.maxReplicas)
  if (min !== undefined && min < 1) c.invalid(['spec', 'minReplicas'], min, 'must be greater than or equal to 1')
  if (max !== undefined) {
    if (max < 1) c.invalid(['spec', 'maxReplicas'], max, 'must be greater than 0')
    else if (min !== undefined && max < min) c.invalid(['spec', 'maxReplicas'], max, 'must be greater than or equal to `minReplicas`')
  }
  const ref = obj(spec.scaleTargetRef)
  if (ref) {
    if (!str(ref.kind)) c.required(['spec', 'scaleTargetRef', 'kind'])
    if (!str(ref.name)) c.required(['spec', 'scaleTargetRef', 'name'])
  }
  const target = num(spec.targetCPUUtilizationPercentage)
  if (target !== undefined && target < 1) c.invalid(['spec', 'targetCPUUtilizationPercentage'], target, 'must be greater than 0')
}

export function checkPodDisruptionBudget(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    c.invalid(['spec'], spec, 'minAvailable and maxUnavailable cannot be both set')
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[f] !== undefined) checkIntOrPercent(c, spec[f], ['spec', f], {max100: true})
  }
  if (spec.selector) adopt(c, validateLabelSelector(spec.selector as LabelSelector, 'spec.selector'))
  c.oneOf(['spec'], 'unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget'])
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']

export function checkPersistentVolumeClaim(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  checkClaimSpec(c, spec, ['spec'])
}

export function checkClaimSpec(c: Checker, spec: Obj, path: Path): void {
  const modes = arr(spec.accessModes)
  if (modes.length === 0) c.required([...path, 'accessModes'], 'at least 1 access mode is required')
  modes.forEach((m, i) => {
    if (typeof m === 'string' && !ACCESS_MODES.includes(m)) c.unsupported([...path, 'accessModes', i], m, ACCESS_MODES)
  })
  c.oneOf(path, 'volumeMode', spec.volumeMode, ['Block', 'Filesystem'])
  const resources = obj(spec.resources)
  const requests = checkResourceList(c, resources?.requests, [...path, 'resources', 'requests'])
  checkResourceList(c, resources?.limits, [...path, 'resources', 'limits'])
  const storage = requests.get('storage')
  if (!storage) {
    if (!spec.dataSourceRef && !spec.dataSource) c.required([...path, 'resources', 'requests', 'storage'])
  } else if (storage.sign() <= 0) {
    c.invalid([...path, 'resources', 'requests', 'storage'], storage.toString(), 'must be greater than zero')
  }
}

export function checkResourceQuota(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return
  checkResourceList(c, spec.hard, ['spec', 'hard'], {allowAnyName: true})
  arr(spec.scopes).forEach((s, i) => {
    const scopes = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass']
    if (typeof s === 'string' && !scopes.includes(s)) c.unsupported(['spec', 'scopes', i], s, scopes)
  })
}

export function checkLimitRange(c: Checker, o: Obj): void {
  arr(obj(o.spec)?.limits).forEach((l, i) => {
    const limit = obj(l)
    if (!limit) return
    const path: Path = ['spec', 'limits', i]
    const type = str(limit.type)
    if (!type) c.required([...path, 'type'])
    const lists: Record<string, ReturnType<typeof checkResourceList>> = {}
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
      lists[f] = checkResourceList(c, limit[f], [...path, f])
    }
    for (const [name, min] of lists.min) {
      const max = lists.max.get(name)
      if (max && min.cmp(max) > 0) c.invalid([...path, 'min', name], min.toString(), `min value ${min.toString()} is greater than max value ${max.toString()}`)
    }
    for (const [name, def] of lists.default) {
      const max = lists.max.get(name)
      const min = lists.min.get(name)
      if (max && def.cmp(max) > 0) c.invalid([...path, 'default', name], def.toString(), `default value ${def.toString()} is greater than max value ${max.toString()}`)
      if (min && def.cmp(min) < 0) c.invalid([...path, 'default', name], def.toString(), `min value ${min.toString()} is greater than default value ${def.toString()}`)
    }
    for (const [name, req] of lists.defaultRequest) {
      const def = lists.default.get(name)
      if (def && req.cmp(def) > 0) c.invalid([...path, 'defaultRequest', name], req.toString(), `default request value ${req.toString()} is greater than default limit value ${def.toString()}`)
    }
  })
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix']

export function checkIngress(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return
  const defaultBackend = obj(spec.defaultBackend)
  if (defaultBackend) checkIngressBackend(c, defaultBackend, ['spec', 'defaultBackend'])
  arr(spec.rules).forEach((r, i) => {
    const rule = obj(r)
    if (!rule) return
    const host = str(rule.host)
    if (host) {
      const msgs = host.startsWith('*.') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host)
      c.messages(['spec', 'rules', i, 'host'], host, msgs)
    }
    arr(obj(rule.http)?.paths).forEach((p, j) => {
      const path = obj(p)
      if (!path) return
      const at: Path = ['spec', 'rules', i, 'http', 'paths', j]
      const type = str(path.pathType)
      if (!type) c.required([...at, 'pathType'], 'pathType must be specified')
      else if (!PATH_TYPES.includes(type)) c.unsupported([...at, 'pathType'], type, PATH_TYPES)
      const value = str(path.path)
      if ((type === 'Exact' || type === 'Prefix') && (!value || !value.startsWith('/'))) c.invalid([...at, 'path'], value ?? '', 'must be an absolute path')
      const backend = obj(path.backend)
      if (!backend) c.required([...at, 'backend'])
      else checkIngressBackend(c, backend, [...at, 'backend'])
    })
  })
  arr(spec.tls).forEach((t, i) => {
    arr(obj(t)?.hosts).forEach((h, j) => {
      if (typeof h === 'string') c.messages(['spec', 'tls', i, 'hosts', j], h, h.startsWith('*.') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h))
    })
  })
}

function checkIngressBackend(c: Checker, backend: Obj, path: Path): void {
  const service = obj(backend.service)
  const resource = obj(backend.resource)
  if (service && resource) c.invalid(path, '', 'cannot set both resource and service backends')
  if (!service && !resource) c.invalid(path, '', 'resource or service backend is required')
  if (!service) return
  if (!str(service.name)) c.required([...path, 'service', 'name'])
  const port = obj(service.port)
  if (!port) return c.required([...path, 'service', 'port'])
  const name = str(port.name)
  const number = num(port.number)
  if (name && number !== undefined) c.invalid([...path, 'service', 'port'], port, 'cannot set both port name & port number')
  else if (name) c.messages([...path, 'service', 'port', 'name'], name, isValidPortName(name))
  else if (number !== undefined) c.messages([...path, 'service', 'port', 'number'], number, isValidPortNum(number))
  else c.required([...path, 'service', 'port'], 'port name or number is required')
}

export function checkNetworkPolicy(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return
  if (spec.podSelector) adopt(c, validateLabelSelector(spec.podSelector as LabelSelector, 'spec.podSelector'))
  arr(spec.policyTypes).forEach((t, i) => {
    if (typeof t === 'string' && t !== 'Ingress' && t !== 'Egress') c.unsupported(['spec', 'policyTypes', i], t, ['Egress', 'Ingress'])
  })
  for (const dir of ['ingress', 'egress'] as const) {
    arr(spec[dir]).forEach((r, i) => {
      arr(obj(r)?.ports).forEach((p, j) => {
        const port = obj(p)
        c.oneOf(['spec', dir, i, 'ports', j], 'protocol', port?.protocol, ['SCTP', 'TCP', 'UDP'])
        const value = port?.port
        if (typeof value === 'number') c.messages(['spec', dir, i, 'ports', j, 'port'], value, isValidPortNum(value))
        else if (typeof value === 'string') c.messages(['spec', dir, i, 'ports', j, 'port'], value, isValidPortName(value))
      })
      for (const peerField of ['from', 'to'] as const) {
        arr(obj(r)?.[peerField]).forEach((peer, j) => {
          const cidr = str(obj(obj(peer)?.ipBlock)?.cidr)
          if (cidr !== undefined && !isCidr(cidr)) c.invalid(['spec', dir, i, peerField, j, 'ipBlock', 'cidr'], cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')
        })
      }
    })
  }
}

function isCidr(s: string): boolean {
  const [ip, bits, extra] = s.split('/')
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return ip.split('.').every((x) => Number(x) <= 255) && Number(bits) <= 32
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && Number(bits) <= 128
}

export {parseQuantityField}
