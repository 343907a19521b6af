// What the Endpoints and EndpointSlice controllers share (k8s.io/endpointslice/util and
// pkg/api/v1/pod in kubernetes/kubernetes): which pods belong in a Service's endpoints, how a
// Service port resolves against a pod (FindPort), which Services a pod event concerns, and the
// trigger-time tracker behind the `endpoints.kubernetes.io/last-change-trigger-time` annotation.
import type {Obj} from '../../apiserver/types.js'
import type {Informer} from '../informer.js'
import type {ObjectKey} from '../types.js'
import {isPodReady} from './pods.js'

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time'
export const HEADLESS_LABEL = 'service.kubernetes.io/headless'

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

function status(o: Obj): Obj {
  return (o.status ?? {}) as Obj
}

export function labelsOf(o: Obj): Record<string, string> {
  return (meta(o).labels ?? {}) as Record<string, string>
}

/** The Service's selector; undefined when it has none (such a Service selects nothing, not everything). */
export function serviceSelector(svc: Obj): Record<string, string> | undefined {
  const s = spec(svc).selector
  return s && typeof s === 'object' ? (s as Record<string, string>) : undefined
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false
  return true
}

/** The pods of the Service's namespace its selector matches. */
export function podsForService(pods: Informer, svc: Obj): Obj[] {
  const selector = serviceSelector(svc)
  if (!selector) return []
  return pods.list(String(meta(svc).namespace)).filter((p) => selectorMatches(selector, labelsOf(p)))
}

/** ClusterIP set and not `None` (helper.IsServiceIPSet). */
export function isServiceIPSet(svc: Obj): boolean {
  const ip = spec(svc).clusterIP
  return typeof ip === 'string' && ip !== '' && ip !== 'None'
}

export function podIPs(p: Obj): string[] {
  const st = status(p)
  const ips = ((st.podIPs ?? []) as Obj[]).map((x) => String(x.ip ?? '')).filter(Boolean)
  if (ips.length === 0 && typeof st.podIP === 'string' && st.podIP) ips.push(st.podIP)
  return ips
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':')
}

/**
 * ShouldPodBeInEndpoints: not terminal, has an IP, and (unless terminating pods are wanted) not
 * being deleted.
 */
export function shouldPodBeInEndpoints(p: Obj, includeTerminating: boolean): boolean {
  const phase = status(p).phase
  if (phase === 'Succeeded' || phase === 'Failed') return false
  if (podIPs(p).length === 0) return false
  if (!includeTerminating && meta(p).deletionTimestamp) return false
  return true
}

/** ShouldSetHostname: the pod's hostname is published when its subdomain is the Service's name. */
export function shouldSetHostname(p: Obj, svc: Obj): boolean {
  const ps = spec(p)
  return typeof ps.hostname === 'string' && ps.hostname !== '' && ps.subdomain === meta(svc).name && meta(svc).namespace === meta(p).namespace
}

/**
 * FindPort: a numeric targetPort is used as is (the port itself when targetPort is unset, as the
 * apiserver defaults it); a named one is looked up among the containers' ports (and restartable
 * init containers', i.e. sidecars) with the Service port's protocol. Undefined when nothing matches.
 */
export function findPort(p: Obj, svcPort: Obj): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port
  if (typeof target === 'number') return target
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target)
  const protocol = svcPort.protocol ?? 'TCP'
  const ps = spec(p)
  const sidecars = ((ps.initContainers ?? []) as Obj[]).filter((c) => c.restartPolicy === 'Always')
  for (const c of [...((ps.containers ?? []) as Obj[]), ...sidecars]) {
    for (const port of (c.ports ?? []) as Obj[]) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return Number(port.containerPort)
    }
  }
  return undefined
}

/**
 * podEndpointsChanged: [whether the pod changed in a way its endpoints show (deletion, readiness,
 * IPs), whether its Service membership may have changed (labels, hostname, subdomain)].
 */
function podEndpointsChanged(old: Obj, cur: Obj): [boolean, boolean] {
  const labelsChanged = !sameStringMap(labelsOf(old), labelsOf(cur)) || spec(old).hostname !== spec(cur).hostname || spec(old).subdomain !== spec(cur).subdomain
  if (meta(old).deletionTimestamp !== meta(cur).deletionTimestamp) return [true, labelsChanged]
  if (isPodReady(old) !== isPodReady(cur)) return [true, labelsChanged]
  const a = ((status(old).podIPs ?? []) as Obj[]).map((x) => x.ip), b = ((status(cur).podIPs ?? []) as Obj[]).map((x) => x.ip)
  if (a.length !== b.length || a.some((ip, i) => ip !== b[i])) return [true, labelsChanged]
  return [false, labelsChanged]
}

function sameStringMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k])
}

function servicesMatching(services: Informer, namespace: string, labels: Record<string, string>): Map<string, ObjectKey> {
  const out = new Map<string, ObjectKey>()
  for (const svc of services.list(namespace)) {
    const selector = serviceSelector(svc)
    if (selector && selectorMatches(selector, labels)) out.set(String(meta(svc).name), {namespace, name: String(meta(svc).name)})
  }
  return out
}

/**
 * The Services a pod event concerns (GetServicesToUpdateOnPodChange): on add and delete, those
 * selecting the pod; on update, nothing unless its endpoints or membership may have changed — then
 * the current Services, plus the former ones (all of them when the pod changed too, otherwise only
 * the Services it joined or left).
 */
export function servicesForPodEvent(services: Informer, old: Obj | undefined, cur: Obj | undefined): ObjectKey[] {
  const pod = (cur ?? old)!
  const namespace = String(meta(pod).namespace)
  if (!old || !cur) return [...servicesMatching(services, namespace, labelsOf(pod)).values()]
  if (meta(old).resourceVersion === meta(cur).resourceVersion) return []
  const [podChanged, labelsChanged] = podEndpointsChanged(old, cur)
  if (!podChanged && !labelsChanged) return []
  const now = servicesMatching(services, namespace, labelsOf(cur))
  if (!labelsChanged) return [...now.values()]
  const before = servicesMatching(services, namespace, labelsOf(old))
  const out = new Map<string, ObjectKey>()
  for (const [k, v] of now) if (podChanged || !before.has(k)) out.set(k, v)
  for (const [k, v] of before) if (podChanged || !now.has(k)) out.set(k, v)
  return [...out.values()]
}

/** time.RFC3339Nano of a UTC instant: fractional seconds only when non-zero, trailing zeros trimmed. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d+)Z$/, (_, f: string) => (/^0+$/.test(f) ? 'Z' : `.${f.replace(/0+$/, '')}Z`))
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : t
}

/**
 * TriggerTimeTracker: per Service, the pods' Ready-condition transition times and the Service's
 * creation time seen at the previous sync; a sync's trigger time is the earliest of those that moved
 * since (the Service's creation time for a Service seen for the first time). In memory, like the
 * controller's: a restarted controller starts afresh.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, {service: number | undefined; pods: Map<string, number>}>()

  /** The trigger time (ms) to export, or undefined when the annotation should be cleared. */
  compute(svc: Obj, pods: Obj[]): number | undefined {
    const key = `${String(meta(svc).namespace)}/${String(meta(svc).name)}`
    const state = this.states.get(key)
    let min: number | undefined
    const podTimes = new Map<string, number>()
    for (const p of pods) {
      const ready = ((status(p).conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')
      const t = parseTime(ready?.lastTransitionTime)
      if (t === undefined) continue
      const name = String(meta(p).name)
      podTimes.set(name, t)
      const last = state?.pods.get(name)
      if (last === undefined || t > last) min = min === undefined ? t : Math.min(min, t)
    }
    const created = parseTime(meta(svc).creationTimestamp)
    if (created !== undefined && (state?.service === undefined || created > state.service)) min = min === undefined ? created : Math.min(min, created)
    this.states.set(key, {service: created, pods: podTimes})
    return state ? min : created
  }

  delete(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`)
  }
}

/** Structural equality of JSON values, ignoring object key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => jsonEqual(x, b[i]))
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Obj)[k], (b as Obj)[k]))
}

/** The service key an object event maps to (same namespace and name). */
export function keyOf(o: Obj): ObjectKey {
  return {namespace: String(meta(o).namespace), name: String(meta(o).name)}
}
