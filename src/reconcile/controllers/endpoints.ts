// The Endpoints controller (pkg/controller/endpoint): for every Service with a selector, an Endpoints
// object of the same name listing the selected pods' IPs — ready ones under `addresses`, the others
// under `notReadyAddresses` (all ready with publishNotReadyAddresses), each Service port resolved
// against the pod (named targetPorts through container ports) — in the canonical packed layout of
// RepackSubsets. Terminating pods are left out, labels follow the Service's (plus
// `service.kubernetes.io/headless` and the controller's managed-by label), more than 1000 addresses
// are truncated and marked, and the object goes when the Service goes. Services without a selector
// (and ExternalName ones) are left alone: their Endpoints are somebody else's.
import {createHash} from 'node:crypto'
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {isPodReady} from './pods.js'
import {
  HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker, findPort, isIPv6, isServiceIPSet, jsonEqual, keyOf, podIPs,
  podsForService, rfc3339Nano, serviceSelector, servicesForPodEvent, shouldPodBeInEndpoints, shouldSetHostname,
} from './endpoint-util.js'

/** The most addresses one Endpoints object carries (maxCapacity). */
export const MAX_ENDPOINTS_CAPACITY = 1000
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity'
export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by'
export const ENDPOINT_CONTROLLER_NAME = 'endpoint-controller'
/** Endpoints carrying this annotation are leader-election records, never cleaned up. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader'

/** One pod's address offering one port (null: a headless Service without ports), ready or not. */
export interface AddressPort {
  address: Obj
  ready: boolean
  port: Obj | null
}

function addressKey(a: Obj): string {
  return `${String(a.ip)}\x00${String((a.targetRef as Obj | undefined)?.uid ?? '')}`
}

function hashOf(v: unknown): string {
  return createHash('md5').update(JSON.stringify(v)).digest('hex')
}

/** LessEndpointAddress: by IP (bytewise), then by the target's uid. */
function compareAddresses(a: Obj, b: Obj): number {
  const ia = String(a.ip), ib = String(b.ip)
  if (ia !== ib) return ia < ib ? -1 : 1
  const ua = (a.targetRef as Obj | undefined)?.uid, ub = (b.targetRef as Obj | undefined)?.uid
  if (ub === undefined) return ua === undefined ? 0 : 1
  if (ua === undefined) return -1
  return String(ua) < String(ub) ? -1 : String(ua) > String(ub) ? 1 : 0
}

/**
 * RepackSubsets: every (address, port) pair regrouped so that each subset holds the addresses that
 * offer exactly the same ports (an address not ready for one port is not ready for it at all), then
 * sorted — addresses by IP and uid, ports and subsets by a hash of their content (the real order is a
 * hash order too; ours is a different but equally stable one).
 */
export function repackSubsets(entries: AddressPort[]): Obj[] {
  const addrs = new Map<string, Obj>()
  const byPort = new Map<string, {port: Obj | null; ready: Map<string, boolean>}>()
  for (const e of entries) {
    const ak = addressKey(e.address)
    if (!addrs.has(ak)) addrs.set(ak, e.address)
    const pk = e.port ? JSON.stringify([e.port.name ?? '', e.port.port, e.port.protocol, e.port.appProtocol ?? null]) : '\x00sentinel'
    let slot = byPort.get(pk)
    if (!slot) byPort.set(pk, (slot = {port: e.port, ready: new Map()}))
    const was = slot.ready.get(ak)
    if (was === undefined || was) slot.ready.set(ak, e.ready)
  }
  const groups = new Map<string, {ready: Map<string, boolean>; ports: Obj[]}>()
  for (const {port, ready} of byPort.values()) {
    const key = [...ready.entries()].map(([k, r]) => `${k}\x00${r}`).sort().join('\x01')
    let g = groups.get(key)
    if (!g) groups.set(key, (g = {ready, ports: []}))
    if (port) g.ports.push(port)
  }
  const subsets: Obj[] = []
  for (const g of groups.values()) {
    const ready: Obj[] = [], notReady: Obj[] = []
    for (const [k, r] of g.ready) (r ? ready : notReady).push(addrs.get(k)!)
    ready.sort(compareAddresses)
    notReady.sort(compareAddresses)
    const ports = [...g.ports].sort((a, b) => (hashOf(a) < hashOf(b) ? -1 : 1))
    subsets.push({...(ready.length ? {addresses: ready} : {}), ...(notReady.length ? {notReadyAddresses: notReady} : {}), ...(ports.length ? {ports} : {})})
  }
  return subsets.sort((a, b) => (hashOf(a) < hashOf(b) ? -1 : 1))
}

/**
 * truncateEndpoints: over capacity, ready addresses are kept first; each subset keeps its share
 * (rounded up) of what fits. Returns the truncated subsets, or undefined when they fit.
 */
export function truncateSubsets(subsets: Obj[]): Obj[] | undefined {
  const count = (s: Obj, f: string) => ((s[f] ?? []) as Obj[]).length
  const totalReady = subsets.reduce((n, s) => n + count(s, 'addresses'), 0)
  const totalNotReady = subsets.reduce((n, s) => n + count(s, 'notReadyAddresses'), 0)
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return undefined
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady
  const numTotal = truncateReady ? totalReady : totalNotReady
  let canBeAdded = max
  return subsets.map((s) => {
    const field = truncateReady ? 'addresses' : 'notReadyAddresses'
    const take = Math.min(Math.ceil((count(s, field) / numTotal) * max), canBeAdded)
    const kept = ((s[field] ?? []) as Obj[]).slice(0, take)
    canBeAdded -= kept.length
    const out: Obj = {...s, [field]: kept}
    if (truncateReady) delete out.notReadyAddresses
    if (kept.length === 0) delete out[field]
    return out
  })
}

/** The Endpoints address of a pod for the Service's first IP family (podToEndpointAddressForService). */
function podAddress(svc: Obj, pod: Obj): Obj | undefined {
  const families = ((svc.spec as Obj).ipFamilies ?? []) as string[]
  const ips = podIPs(pod)
  const v6 = families.length ? families[0] === 'IPv6' : isIPv6(String((svc.spec as Obj).clusterIP && (svc.spec as Obj).clusterIP !== 'None' ? (svc.spec as Obj).clusterIP : ips[0] ?? ''))
  const ip = ips.find((x) => isIPv6(x) === v6)
  if (!ip) return undefined
  const m = pod.metadata as Obj
  const address: Obj = {ip}
  if (shouldSetHostname(pod, svc)) address.hostname = (pod.spec as Obj).hostname
  address.nodeName = String((pod.spec as Obj).nodeName ?? '')
  address.targetRef = {kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid}
  return address
}

/** The subsets a Service's pods make (before truncation). */
export function desiredSubsets(svc: Obj, pods: Obj[]): Obj[] {
  const spec = svc.spec as Obj
  const tolerateUnready = spec.publishNotReadyAddresses === true
  const ports = (spec.ports ?? []) as Obj[]
  const entries: AddressPort[] = []
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue
    const address = podAddress(svc, pod)
    if (!address) continue
    const ready = tolerateUnready || isPodReady(pod)
    if (ports.length === 0) {
      if (spec.clusterIP === 'None') entries.push({address, ready, port: null})
      continue
    }
    for (const sp of ports) {
      const port = findPort(pod, sp)
      if (port === undefined) continue
      entries.push({address, ready, port: {...(sp.name ? {name: sp.name} : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? {appProtocol: sp.appProtocol} : {})}})
    }
  }
  return repackSubsets(entries)
}

/** Subsets equal but for targetRef resourceVersions (endpointSubsetsEqualIgnoreResourceVersion). */
function subsetsEqual(a: Obj[], b: Obj[]): boolean {
  const strip = (subsets: Obj[]) => subsets.map((s) => {
    const out: Obj = {...s}
    for (const f of ['addresses', 'notReadyAddresses']) {
      if (!s[f]) continue
      out[f] = (s[f] as Obj[]).map((a) => (a.targetRef ? {...a, targetRef: {...(a.targetRef as Obj), resourceVersion: undefined}} : a))
    }
    return out
  })
  return jsonEqual(strip(a), strip(b))
}

export class EndpointsReconciler implements Reconciler {
  readonly name = 'endpoint'
  private readonly triggerTimes = new TriggerTimeTracker()

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const namespace = String(key.namespace)
    const svc = this.ctx.informer(RESOURCES.services).get(namespace, key.name)
    if (!svc) {
      // The Service is gone: so are its Endpoints.
      this.ctx.client.delete(RESOURCES.endpoints, namespace, key.name)
      this.triggerTimes.delete(namespace, key.name)
      return 'done'
    }
    const spec = (svc.spec ?? {}) as Obj
    if (spec.type === 'ExternalName' || !serviceSelector(svc)) return 'done'
    const pods = podsForService(this.ctx.informer(RESOURCES.pods), svc)
    // Computed on every sync, so the tracker's memory is current even when nothing is written.
    const triggerTime = this.triggerTimes.compute(svc, pods)
    const subsets = desiredSubsets(svc, pods)

    const current = this.ctx.informer(RESOURCES.endpoints).get(namespace, key.name)
    const svcLabels = ((svc.metadata as Obj).labels ?? {}) as Record<string, string>
    const labels: Record<string, string> = {...svcLabels}
    if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = ''
    else delete labels[HEADLESS_LABEL]
    labels[ENDPOINTS_MANAGED_BY_LABEL] = ENDPOINT_CONTROLLER_NAME
    if (current) {
      const cm = current.metadata as Obj
      const annotations = (cm.annotations ?? {}) as Record<string, string>
      const curSubsets = (current.subsets ?? []) as Obj[]
      // capacityAnnotationSetCorrectly: an over-capacity mark is never "correct", so a truncated
      // Endpoints is rewritten on every sync (the API server drops identical writes).
      const capacityOk = subsetsCount(curSubsets) <= MAX_ENDPOINTS_CAPACITY && !(OVER_CAPACITY_ANNOTATION in annotations)
      if (subsetsEqual(curSubsets, subsets) && jsonEqual(cm.labels ?? {}, labels) && capacityOk) return 'done'
    }

    const annotations: Record<string, string> = {...(((current?.metadata as Obj | undefined)?.annotations ?? {}) as Record<string, string>)}
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime)
    else delete annotations[LAST_CHANGE_TRIGGER_TIME]
    const truncated = truncateSubsets(subsets)
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated'
    else delete annotations[OVER_CAPACITY_ANNOTATION]
    const finalSubsets = truncated ?? subsets

    const metadata: Obj = current
      ? {...(current.metadata as Obj), labels, annotations: Object.keys(annotations).length ? annotations : undefined}
      : {name: key.name, namespace, labels, ...(Object.keys(annotations).length ? {annotations} : {})}
    if (metadata.annotations === undefined) delete metadata.annotations
    const body: Obj = {apiVersion: 'v1', kind: 'Endpoints', metadata, ...(finalSubsets.length ? {subsets: finalSubsets} : {})}
    try {
      if (current) this.ctx.client.update(RESOURCES.endpoints, body)
      else this.ctx.client.create(RESOURCES.endpoints, namespace, body)
    } catch (e) {
      // A terminating namespace refuses new objects for good: drop the key.
      if (!current && e instanceof ApiError && e.code === 403 && /being terminated/.test(e.message)) return 'done'
      const events = this.ctx.recorder({component: ENDPOINT_CONTROLLER_NAME})
      const message = (e as Error).message
      if (current) events.event(body, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${key.name}: ${message}`)
      else events.event(body, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${key.name}: ${message}`)
      throw e
    }
    return 'done'
  }
}

function subsetsCount(subsets: Obj[]): number {
  return subsets.reduce((n, s) => n + ((s.addresses ?? []) as Obj[]).length + ((s.notReadyAddresses ?? []) as Obj[]).length, 0)
}

export function addEndpointsController(m: ControllerManager): void {
  m.add(new EndpointsReconciler(m), (c, ctx) => {
    const services = ctx.informer(RESOURCES.services)
    services.addHandlers({onAdd: (o) => c.enqueue(keyOf(o)), onUpdate: (_, o) => c.enqueue(keyOf(o)), onDelete: (o) => c.enqueue(keyOf(o))})
    ctx.informer(RESOURCES.pods).addHandlers({
      onAdd: (p) => servicesForPodEvent(services, undefined, p).forEach((k) => c.enqueue(k)),
      onUpdate: (old, p) => servicesForPodEvent(services, old, p).forEach((k) => c.enqueue(k)),
      onDelete: (p) => servicesForPodEvent(services, p, undefined).forEach((k) => c.enqueue(k)),
    })
    ctx.informer(RESOURCES.endpoints).addHandlers({
      // Leftovers (the controller's own Endpoints whose Service went while it was not running) are
      // looked at when first seen; a deleted Endpoints is recreated if its Service still wants one.
      onAdd: (o) => {
        const m = o.metadata as Obj
        const labels = (m.labels ?? {}) as Record<string, string>
        const annotations = (m.annotations ?? {}) as Record<string, string>
        if (labels[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINT_CONTROLLER_NAME && !(LEADER_ANNOTATION in annotations)) c.enqueue(keyOf(o))
      },
      onDelete: (o) => c.enqueue(keyOf(o)),
    })
  })
}
