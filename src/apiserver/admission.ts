// Built-in admission: NamespaceLifecycle (the namespace must exist and not be terminating),
// LimitRanger (defaults, minimum, maximum and ratios of container and pod resources, PVC storage)
// and ResourceQuota (usage of a namespace against its quotas, with the apiserver's messages).
import {parseQuantity, type Quantity} from '../api/quantity.js'
import type {Store} from '../store/types.js'
import {forbidden, notFound, type GroupResource} from './errors.js'
import {storagePrefix} from './catalog.js'
import {isObject, meta} from './objects.js'
import type {Obj} from './types.js'

const NAMESPACE_KEY = (ns: string) => `${storagePrefix('', 'namespaces')}${ns}`

/** Resources that exist outside any namespace lifecycle check (the namespace itself, reviews). */
// Whether a namespace (at a modRevision) is terminating: parsed once per change, not per request.
const terminatingCache = new WeakMap<object, boolean>()

export function checkNamespaceLifecycle(store: Store, gr: GroupResource, name: string, namespace: string): void {
  const kv = store.get(NAMESPACE_KEY(namespace))
  if (!kv) throw notFound({group: '', resource: 'namespaces'}, namespace)
  let terminating = terminatingCache.get(kv)
  if (terminating === undefined) {
    const ns = JSON.parse(kv.value) as Obj
    terminating = (ns.status as Obj | undefined)?.phase === 'Terminating' || meta(ns).deletionTimestamp !== undefined
    terminatingCache.set(kv, terminating)
  }
  if (terminating) {
    throw forbidden(gr, name, `unable to create new content in namespace ${namespace} because it is being terminated`)
  }
}

function listNamespaced(store: Store, group: string, plural: string, namespace: string): Obj[] {
  return store.list(`${storagePrefix(group, plural)}${namespace}/`).items.map((kv) => JSON.parse(kv.value) as Obj)
}

type ResourceList = Map<string, Quantity>

function q(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  try {
    return parseQuantity(v)
  } catch {
    return undefined
  }
}

function resourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map()
  if (!isObject(v)) return out
  for (const [k, raw] of Object.entries(v)) {
    const parsed = q(raw)
    if (parsed) out.set(k, parsed)
  }
  return out
}

function containersOf(pod: Obj): Obj[] {
  const spec = (pod.spec ?? {}) as Obj
  return [...((spec.containers ?? []) as Obj[]), ...((spec.initContainers ?? []) as Obj[])]
}

// ---- LimitRanger -------------------------------------------------------------------------------

/** Applies LimitRange defaults to a Pod's containers (mutating admission). */
export function applyLimitRangeDefaults(store: Store, pod: Obj, namespace: string): void {
  const set: string[] = []
  for (const lr of listNamespaced(store, '', 'limitranges', namespace)) {
    for (const item of (((lr.spec as Obj | undefined)?.limits ?? []) as Obj[])) {
      if (item.type !== 'Container') continue
      const defaults = resourceList(item.default)
      const defaultRequests = resourceList(item.defaultRequest)
      for (const c of containersOf(pod)) {
        const res = ((c.resources ??= {}) as Obj)
        const limits = ((res.limits ??= {}) as Obj)
        const requests = ((res.requests ??= {}) as Obj)
        const setReq: string[] = [], setLim: string[] = []
        for (const [name, v] of defaultRequests) {
          if (requests[name] === undefined) {
            requests[name] = limits[name] ?? v.toString()
            setReq.push(name)
          }
        }
        for (const [name, v] of defaults) {
          if (limits[name] === undefined) {
            limits[name] = v.toString()
            setLim.push(name)
          }
          if (requests[name] === undefined) {
            requests[name] = limits[name]
            if (!setReq.includes(name)) setReq.push(name)
          }
        }
        if (Object.keys(limits).length === 0) delete res.limits
        if (Object.keys(requests).length === 0) delete res.requests
        if (setReq.length) set.push(`${setReq.join(', ')} request for container ${c.name}`)
        if (setLim.length) set.push(`${setLim.join(', ')} limit for container ${c.name}`)
      }
    }
  }
  if (set.length > 0) {
    const m = meta(pod)
    m.annotations = {...(m.annotations ?? {}), 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${set.join('; ')}`}
  }
}

/** LimitRange minimum/maximum/ratio checks for Pods and PVCs (validating admission). */
export function checkLimitRanges(store: Store, gr: GroupResource, o: Obj, namespace: string): void {
  const kind = o.kind
  if (kind !== 'Pod' && kind !== 'PersistentVolumeClaim') return
  const errors: string[] = []
  for (const lr of listNamespaced(store, '', 'limitranges', namespace)) {
    for (const item of (((lr.spec as Obj | undefined)?.limits ?? []) as Obj[])) {
      const min = resourceList(item.min)
      const max = resourceList(item.max)
      const ratio = resourceList(item.maxLimitRequestRatio)
      if (kind === 'Pod' && item.type === 'Container') {
        for (const c of containersOf(o)) {
          const res = (c.resources ?? {}) as Obj
          checkBounds(errors, 'Container', resourceList(res.requests), resourceList(res.limits), min, max, ratio)
        }
      } else if (kind === 'Pod' && item.type === 'Pod') {
        const requests: ResourceList = new Map(), limits: ResourceList = new Map()
        for (const c of (((o.spec as Obj | undefined)?.containers ?? []) as Obj[])) {
          const res = (c.resources ?? {}) as Obj
          addInto(requests, resourceList(res.requests))
          addInto(limits, resourceList(res.limits))
        }
        checkBounds(errors, 'Pod', requests, limits, min, max, ratio)
      } else if (kind === 'PersistentVolumeClaim' && item.type === 'PersistentVolumeClaim') {
        const res = ((o.spec as Obj | undefined)?.resources ?? {}) as Obj
        checkBounds(errors, 'PersistentVolumeClaim', resourceList(res.requests), resourceList(res.limits), min, max, new Map())
      }
    }
  }
  if (errors.length > 0) throw forbidden(gr, String(meta(o).name ?? ''), errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`)
}

function checkBounds(errors: string[], what: string, requests: ResourceList, limits: ResourceList, min: ResourceList, max: ResourceList, ratio: ResourceList): void {
  for (const [name, m] of min) {
    const req = requests.get(name)
    if (!req) errors.push(`minimum ${name} usage per ${what} is ${m.toString()}.  No request is specified`)
    else if (req.cmp(m) < 0) errors.push(`minimum ${name} usage per ${what} is ${m.toString()}, but request is ${req.toString()}`)
  }
  for (const [name, m] of max) {
    const lim = limits.get(name) ?? (what === 'PersistentVolumeClaim' ? requests.get(name) : undefined)
    if (!lim) errors.push(`maximum ${name} usage per ${what} is ${m.toString()}.  No limit is specified`)
    else if (lim.cmp(m) > 0) errors.push(`maximum ${name} usage per ${what} is ${m.toString()}, but ${what === 'PersistentVolumeClaim' ? 'request' : 'limit'} is ${lim.toString()}`)
  }
  for (const [name, r] of ratio) {
    const req = requests.get(name), lim = limits.get(name)
    if (!req || !lim || req.isZero()) continue
    const actual = Number(lim.milliValue()) / Number(req.milliValue())
    if (actual > r.asApproximateFloat64()) {
      errors.push(`${name} max limit to request ratio per ${what} is ${r.toString()}, but provided ratio is ${actual.toFixed(6)}`)
    }
  }
}

function addInto(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) into.set(k, into.has(k) ? into.get(k)!.add(v) : v)
}

// ---- ResourceQuota -----------------------------------------------------------------------------

/** What one object adds to a namespace's usage, by quota resource name. */
export function usageOf(o: Obj, group: string, plural: string): ResourceList {
  const u: ResourceList = new Map()
  const one = parseQuantity('1')
  u.set(`count/${group ? `${plural}.${group}` : plural}`, one)
  const legacy: Record<string, string> = {pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets', persistentvolumeclaims: 'persistentvolumeclaims', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas'}
  if (!group && legacy[plural]) u.set(legacy[plural], one)
  if (o.kind === 'Pod') {
    const phase = (o.status as Obj | undefined)?.phase
    if (phase === 'Succeeded' || phase === 'Failed') return new Map()
    const {requests, limits} = podResources(o)
    for (const [k, v] of requests) {
      u.set(`requests.${k}`, v)
      if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') u.set(k, v)
    }
    for (const [k, v] of limits) u.set(`limits.${k}`, v)
  }
  if (o.kind === 'Service') {
    const spec = (o.spec ?? {}) as Obj
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') u.set('services.nodeports', parseQuantity(String(((spec.ports ?? []) as unknown[]).length)))
    if (spec.type === 'LoadBalancer') u.set('services.loadbalancers', one)
  }
  if (o.kind === 'PersistentVolumeClaim') {
    const storage = q((((o.spec as Obj | undefined)?.resources as Obj | undefined)?.requests as Obj | undefined)?.storage)
    if (storage) u.set('requests.storage', storage)
  }
  return u
}

/**
 * A Pod's effective requests and limits, as the resource helper computes them: regular containers
 * and sidecars (init containers with restartPolicy Always) summed; each init container's peak is its
 * own plus the sidecars started before it; the pod takes the larger of the two, plus overhead.
 */
export function podResources(pod: Obj): {requests: ResourceList; limits: ResourceList} {
  const spec = (pod.spec ?? {}) as Obj
  const out = {requests: new Map() as ResourceList, limits: new Map() as ResourceList}
  for (const which of ['requests', 'limits'] as const) {
    const total: ResourceList = new Map()
    for (const c of (spec.containers ?? []) as Obj[]) addInto(total, resourceList(((c.resources ?? {}) as Obj)[which]))
    const sidecars: ResourceList = new Map()
    const initPeak: ResourceList = new Map()
    for (const c of (spec.initContainers ?? []) as Obj[]) {
      const own = resourceList(((c.resources ?? {}) as Obj)[which])
      let peak: ResourceList
      if (c.restartPolicy === 'Always') {
        addInto(total, own)
        addInto(sidecars, own)
        peak = new Map(sidecars)
      } else {
        peak = new Map(own)
        addInto(peak, sidecars)
      }
      for (const [k, v] of peak) if (!initPeak.has(k) || initPeak.get(k)!.cmp(v) < 0) initPeak.set(k, v)
    }
    for (const [k, v] of initPeak) if (!total.has(k) || total.get(k)!.cmp(v) < 0) total.set(k, v)
    out[which] = total
  }
  // Overhead counts for resources the pod asks for at all (requests) and for set limits.
  const overhead = resourceList(spec.overhead)
  for (const [k, v] of overhead) {
    if (out.requests.has(k)) out.requests.set(k, out.requests.get(k)!.add(v))
    if (out.limits.has(k)) out.limits.set(k, out.limits.get(k)!.add(v))
  }
  return out
}

interface QuotaKind {
  group: string
  plural: string
}

/** Every kind a quota may count, to recompute usage. */
const COUNTED: QuotaKind[] = [
  {group: '', plural: 'pods'}, {group: '', plural: 'services'}, {group: '', plural: 'configmaps'}, {group: '', plural: 'secrets'},
  {group: '', plural: 'persistentvolumeclaims'}, {group: '', plural: 'replicationcontrollers'}, {group: '', plural: 'resourcequotas'},
  {group: 'apps', plural: 'deployments'}, {group: 'apps', plural: 'replicasets'}, {group: 'apps', plural: 'statefulsets'}, {group: 'apps', plural: 'daemonsets'},
  {group: 'batch', plural: 'jobs'}, {group: 'batch', plural: 'cronjobs'},
]

function namespaceUsage(store: Store, namespace: string, names: Set<string>): ResourceList {
  const used: ResourceList = new Map()
  for (const k of COUNTED) {
    const prefixName = `count/${k.group ? `${k.plural}.${k.group}` : k.plural}`
    const relevant = [...names].some((n) => n === prefixName || n === k.plural || (k.plural === 'pods' && /^(requests|limits)\.|^(cpu|memory|ephemeral-storage)$/.test(n)) || (k.plural === 'services' && n.startsWith('services.')) || (k.plural === 'persistentvolumeclaims' && n === 'requests.storage'))
    if (!relevant) continue
    for (const o of listNamespaced(store, k.group, k.plural, namespace)) addInto(used, usageOf(o, k.group, k.plural))
  }
  return used
}

/**
 * Checks a new object against every ResourceQuota of its namespace (403 with the apiserver's
 * texts). Quotas on resources the object's containers do not declare (requests.cpu without a cpu
 * request) fail with `must specify`.
 */
export function checkQuota(store: Store, gr: GroupResource, o: Obj, namespace: string, group: string, plural: string): void {
  const quotas = listNamespaced(store, '', 'resourcequotas', namespace)
  if (quotas.length === 0) return
  const delta = usageOf(o, group, plural)
  for (const quota of quotas) {
    const hard = resourceList((quota.spec as Obj | undefined)?.hard)
    const name = String(meta(quota).name)
    if (o.kind === 'Pod') {
      const missing: string[] = []
      for (const r of [...hard.keys()].sort()) {
        if (!/^(requests|limits)\.(cpu|memory|ephemeral-storage)$|^(cpu|memory)$/.test(r)) continue
        const needed = r.includes('.') ? r : `requests.${r}`
        const [kind, res] = needed.split('.')
        const lacking = ((o.spec as Obj | undefined)?.containers as Obj[] | undefined ?? []).filter((c) => ((c.resources as Obj | undefined)?.[kind] as Obj | undefined)?.[res] === undefined).map((c) => String(c.name))
        if (lacking.length > 0) missing.push(`${r} for: ${lacking.join(',')}`)
      }
      if (missing.length > 0) throw forbidden(gr, String(meta(o).name ?? ''), `failed quota: ${name}: must specify ${missing.join('; ')}`)
    }
    const relevant = [...hard.keys()].filter((k) => delta.has(k)).sort()
    if (relevant.length === 0) continue
    const used = namespaceUsage(store, namespace, new Set(relevant))
    const exceeded = relevant.filter((k) => (used.get(k) ?? parseQuantity('0')).add(delta.get(k)!).cmp(hard.get(k)!) > 0)
    if (exceeded.length > 0) {
      const fmt = (m: ResourceList | ((k: string) => Quantity)) => exceeded.map((k) => `${k}=${(typeof m === 'function' ? m(k) : m.get(k) ?? parseQuantity('0')).toString()}`).join(',')
      throw forbidden(gr, String(meta(o).name ?? ''), `exceeded quota: ${name}, requested: ${fmt(delta)}, used: ${fmt((k) => used.get(k) ?? parseQuantity('0'))}, limited: ${fmt(hard)}`)
    }
  }
}

/** The quota's status as the quota controller keeps it: hard copied from spec, used recomputed. */
export function quotaStatus(store: Store, quota: Obj, namespace: string): Obj {
  const hard = resourceList((quota.spec as Obj | undefined)?.hard)
  const used = namespaceUsage(store, namespace, new Set(hard.keys()))
  const usedOut: Record<string, string> = {}
  const hardOut: Record<string, string> = {}
  for (const k of [...hard.keys()].sort()) {
    hardOut[k] = hard.get(k)!.toString()
    usedOut[k] = (used.get(k) ?? parseQuantity('0')).toString()
  }
  return {hard: hardOut, used: usedOut}
}
