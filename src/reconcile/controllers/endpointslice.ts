// The EndpointSlice controller (pkg/controller/endpointslice + k8s.io/endpointslice's reconciler):
// for every Service with a selector, EndpointSlices `<service>-<random>` (labels
// kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by, owned by the Service)
// holding the selected pods as endpoints — addresses of the slice's address type, conditions
// ready/serving/terminating, nodeName, the node's zone, targetRef — grouped by the ports they resolve
// to, at most 100 per slice. The reconciler's algorithm is kept because it decides which slice an
// endpoint lands in: existing slices lose endpoints no longer wanted and take changed ones in place,
// slices being updated anyway are filled first, then the unchanged slice closest to full, then new
// slices; a create paired with a delete becomes an update (names stay stable), an empty Service gets
// one placeholder slice, and nothing is written when nothing changed. Terminating pods stay listed
// (terminating: true, ready: false), unlike in Endpoints. Topology hints and trafficDistribution are
// not computed.
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, keyString, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {isPodReady} from './pods.js'
import {
  HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker, findPort, isIPv6, isServiceIPSet, jsonEqual, keyOf, labelsOf,
  podIPs, podsForService, rfc3339Nano, serviceSelector, servicesForPodEvent, shouldPodBeInEndpoints, shouldSetHostname,
} from './endpoint-util.js'

export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
export const SLICE_MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
/** --max-endpoints-per-slice's default. */
export const MAX_ENDPOINTS_PER_SLICE = 100
const ZONE_LABEL = 'topology.kubernetes.io/zone'

type AddressType = 'IPv4' | 'IPv6'

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function endpointsOf(slice: Obj): Obj[] {
  return (slice.endpoints ?? []) as Obj[]
}

/** A port as the grouping sees it (defaults filled, so stored and computed ports compare alike). */
function canonicalPort(p: Obj): Obj {
  return {name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port, ...(p.appProtocol != null ? {appProtocol: p.appProtocol} : {})}
}

/** NewPortMapKey: the same set of ports, whatever their order, gives the same key. */
function portMapKey(ports: Obj[]): string {
  return JSON.stringify(ports.map((p) => JSON.stringify(canonicalPort(p))).sort())
}

/** hashEndpoint: an endpoint's identity — its addresses, hostname and target. */
function endpointHash(ep: Obj): string {
  const ref = (ep.targetRef ?? {}) as Obj
  return JSON.stringify([[...((ep.addresses ?? []) as string[])].sort(), ep.hostname ?? '', ref.namespace ?? '', ref.name ?? ''])
}

/** EndpointsEqualBeyondHash: node, zone, conditions and target (ignoring its resourceVersion). */
function endpointsEqualBeyondHash(a: Obj, b: Obj): boolean {
  if ((a.nodeName ?? null) !== (b.nodeName ?? null) || (a.zone ?? null) !== (b.zone ?? null)) return false
  const ca = (a.conditions ?? {}) as Obj, cb = (b.conditions ?? {}) as Obj
  for (const c of ['ready', 'serving', 'terminating']) if ((ca[c] ?? null) !== (cb[c] ?? null)) return false
  const strip = (r: unknown) => (r ? {...(r as Obj), resourceVersion: undefined} : r)
  return jsonEqual(strip(a.targetRef), strip(b.targetRef))
}

/** The address types a Service's slices have (getAddressTypesForService). */
function addressTypesFor(svc: Obj): AddressType[] {
  const spec = (svc.spec ?? {}) as Obj
  const families = (spec.ipFamilies ?? []) as string[]
  const out = new Set<AddressType>()
  for (const f of families) if (f === 'IPv4' || f === 'IPv6') out.add(f)
  if (out.size) return [...out]
  if (isServiceIPSet(svc)) return [isIPv6(String(spec.clusterIP)) ? 'IPv6' : 'IPv4']
  return ['IPv4', 'IPv6']
}

/** getEndpointPorts: the Service's ports as this pod resolves them (unresolvable ones left out). */
function endpointPorts(svc: Obj, pod: Obj): Obj[] {
  const spec = (svc.spec ?? {}) as Obj
  const ports = (spec.ports ?? []) as Obj[]
  const out: Obj[] = []
  for (const sp of ports) {
    const port = findPort(pod, sp)
    if (port === undefined) continue
    out.push({name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port, ...(sp.appProtocol ? {appProtocol: sp.appProtocol} : {})})
  }
  return out
}

/** podToEndpoint. */
function podToEndpoint(pod: Obj, node: Obj | undefined, svc: Obj, addressType: AddressType): Obj {
  const m = meta(pod)
  const serving = isPodReady(pod)
  const terminating = Boolean(m.deletionTimestamp)
  const ready = ((svc.spec as Obj).publishNotReadyAddresses === true) || (serving && !terminating)
  const ep: Obj = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: {ready, serving, terminating},
  }
  if (shouldSetHostname(pod, svc)) ep.hostname = (pod.spec as Obj).hostname
  ep.targetRef = {kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid}
  const nodeName = (pod.spec as Obj).nodeName
  if (typeof nodeName === 'string' && nodeName) ep.nodeName = nodeName
  const zone = node ? labelsOf(node)[ZONE_LABEL] : undefined
  if (zone) ep.zone = zone
  return ep
}

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; whether the copied ones differ. */
function sliceLabels(slice: Obj | undefined, svc: Obj): [Record<string, string>, boolean] {
  const reserved = (k: string) => k === SERVICE_NAME_LABEL || k === SLICE_MANAGED_BY_LABEL || k === HEADLESS_LABEL
  const strip = (l: Record<string, string>) => Object.fromEntries(Object.entries(l).filter(([k]) => !reserved(k)))
  const wanted = strip(labelsOf(svc))
  const changed = !jsonEqual(strip(slice ? labelsOf(slice) : {}), wanted)
  if (!isServiceIPSet(svc)) wanted[HEADLESS_LABEL] = ''
  wanted[SERVICE_NAME_LABEL] = String(meta(svc).name)
  wanted[SLICE_MANAGED_BY_LABEL] = ENDPOINTSLICE_CONTROLLER_NAME
  return [wanted, changed]
}

function ownerRef(svc: Obj): Obj {
  return {apiVersion: 'v1', kind: 'Service', name: meta(svc).name, uid: meta(svc).uid, controller: true, blockOwnerDeletion: true}
}

function ownedBy(slice: Obj, svc: Obj): boolean {
  return ((meta(slice).ownerReferences ?? []) as Obj[]).some((r) => r.uid === meta(svc).uid && r.kind === 'Service' && r.apiVersion === 'v1')
}

/** newEndpointSlice: not yet named (the API server completes `<service>-`). */
function newSlice(svc: Obj, ports: Obj[], addressType: AddressType): Obj {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: {generateName: `${String(meta(svc).name)}-`, namespace: meta(svc).namespace, labels: sliceLabels(undefined, svc)[0], ownerReferences: [ownerRef(svc)]},
    addressType, endpoints: [], ports,
  }
}

/** A copy of a stored slice that this sync may change (endpoints and metadata copied). */
function copySlice(slice: Obj): Obj {
  return {...slice, metadata: {...meta(slice)}, endpoints: [...endpointsOf(slice)]}
}

/** placeholderSliceCompare: namespace, labels, owners, address type; no endpoints, no ports. */
function isSamePlaceholder(existing: Obj, placeholder: Obj): boolean {
  return meta(existing).namespace === meta(placeholder).namespace && jsonEqual(labelsOf(existing), labelsOf(placeholder)) &&
    jsonEqual(meta(existing).ownerReferences ?? [], meta(placeholder).ownerReferences) && existing.addressType === placeholder.addressType &&
    endpointsOf(existing).length === 0 && ((existing.ports ?? []) as Obj[]).length === 0
}

/** getSliceToFill: the slice that would be closest to full after taking `n` more endpoints. */
function sliceToFill(slices: Obj[], n: number, max: number): Obj | undefined {
  let best: Obj | undefined
  let closest = max
  for (const s of slices) {
    const diff = max - (n + endpointsOf(s).length)
    if (diff >= 0 && diff < closest) {
      closest = diff
      best = s
      if (diff === 0) return best
    }
  }
  return best
}

function popFirst(set: Map<string, Obj>): Obj {
  const [k, v] = set.entries().next().value as [string, Obj]
  set.delete(k)
  return v
}

interface Plan {
  create: Obj[]
  update: Obj[]
  delete: Obj[]
}

export class EndpointSliceReconciler implements Reconciler {
  readonly name = 'endpointslice'
  private readonly triggerTimes = new TriggerTimeTracker()
  /** The Service whose slices this controller is writing (its own writes do not requeue it). */
  writing: string | undefined

  constructor(private readonly ctx: ControllerContext, private readonly maxPerSlice = MAX_ENDPOINTS_PER_SLICE) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const namespace = String(key.namespace)
    const svc = this.ctx.informer(RESOURCES.services).get(namespace, key.name)
    // A deleted Service's slices go with it through their owner reference (garbage collector).
    if (!svc) {
      this.triggerTimes.delete(namespace, key.name)
      return 'done'
    }
    const spec = (svc.spec ?? {}) as Obj
    if (spec.type === 'ExternalName' || !serviceSelector(svc)) return 'done'
    const pods = podsForService(this.ctx.informer(RESOURCES.pods), svc)
    const slices = this.ctx.informer(RESOURCES.endpointslices).list(namespace).filter((s) => {
      const l = labelsOf(s)
      return l[SERVICE_NAME_LABEL] === key.name && l[SLICE_MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER_NAME && !meta(s).deletionTimestamp
    })
    const triggerTime = this.triggerTimes.compute(svc, pods)
    const errors: string[] = []
    const types = addressTypesFor(svc)
    const unsupported = slices.filter((s) => !types.includes(s.addressType as AddressType))
    this.writing = keyString(key)
    try {
      for (const t of types) {
        const plan = this.planAddressType(svc, pods, slices.filter((s) => s.addressType === t), t, errors)
        this.finalize(svc, plan, triggerTime)
      }
      for (const s of unsupported) this.ctx.client.delete(RESOURCES.endpointslices, namespace, String(meta(s).name))
    } finally {
      this.writing = undefined
    }
    // Pods on nodes that do not exist (yet) were left out: look again with back-off.
    if (errors.length) throw new Error(errors.join('; '))
    return 'done'
  }

  /** reconcileByAddressType: what to create, update and delete for one address type. */
  private planAddressType(svc: Obj, pods: Obj[], existing: Obj[], addressType: AddressType, errors: string[]): Plan {
    const plan: Plan = {create: [], update: [], delete: []}
    const existingByPorts = new Map<string, Obj[]>()
    for (const s of existing) {
      if (!ownedBy(s, svc)) {
        plan.delete.push(s)
        continue
      }
      const k = portMapKey((s.ports ?? []) as Obj[])
      existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s])
    }
    const desiredPorts = new Map<string, Obj[]>()
    const desired = new Map<string, Map<string, Obj>>()
    const nodes = this.ctx.informer(RESOURCES.nodes)
    const publishNotReady = (svc.spec as Obj).publishNotReadyAddresses === true
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue
      const ports = endpointPorts(svc, pod)
      const k = portMapKey(ports)
      if (!desired.has(k)) desired.set(k, new Map())
      if (!desiredPorts.has(k)) desiredPorts.set(k, ports)
      const nodeName = String((pod.spec as Obj).nodeName ?? '')
      const node = nodes.get(undefined, nodeName)
      if (!node && !publishNotReady) {
        errors.push(`skipping Pod ${String(meta(pod).name)} for Service ${String(meta(svc).namespace)}/${String(meta(svc).name)}: Node ${nodeName} Not Found`)
        continue
      }
      const ep = podToEndpoint(pod, node, svc, addressType)
      if ((ep.addresses as string[]).length) desired.get(k)!.set(endpointHash(ep), ep)
    }
    for (const [k, eps] of desired) {
      const p = this.planPorts(svc, existingByPorts.get(k) ?? [], eps, desiredPorts.get(k)!, addressType)
      plan.create.push(...p.create)
      plan.update.push(...p.update)
      plan.delete.push(...p.delete)
    }
    for (const [k, slices] of existingByPorts) if (!desired.has(k)) plan.delete.push(...slices)
    // A Service without endpoints still has one (empty) slice.
    if (existing.length === plan.delete.length && plan.create.length === 0) {
      const placeholder = newSlice(svc, [], addressType)
      if (plan.delete.length === 1 && isSamePlaceholder(plan.delete[0], placeholder)) plan.delete = []
      else plan.create.push(placeholder)
    }
    return plan
  }

  /** reconcileByPortMapping, for the slices of one set of ports. */
  private planPorts(svc: Obj, existing: Obj[], desired: Map<string, Obj>, ports: Obj[], addressType: AddressType): Plan {
    const byName = new Map<string, Obj>()
    const unchanged = new Set<string>(), toUpdate = new Set<string>(), toDelete = new Set<string>()
    // 1. Drop endpoints no longer wanted, take changed ones in place, follow the Service's labels.
    for (const slice of existing) {
      const name = String(meta(slice).name)
      byName.set(name, slice)
      const kept: Obj[] = []
      let changed = false
      for (const ep of endpointsOf(slice)) {
        const h = endpointHash(ep)
        const want = desired.get(h)
        if (!want) continue
        kept.push(want)
        if (!endpointsEqualBeyondHash(want, ep)) changed = true
        desired.delete(h)
      }
      const [labels, labelsChanged] = sliceLabels(slice, svc)
      if (changed || kept.length !== endpointsOf(slice).length) {
        if (kept.length === 0) toDelete.add(name)
        else {
          const copy = copySlice(slice)
          copy.endpoints = kept
          ;(copy.metadata as Obj).labels = labels
          byName.set(name, copy)
          toUpdate.add(name)
        }
      } else if (labelsChanged) {
        const copy = copySlice(slice)
        ;(copy.metadata as Obj).labels = labels
        byName.set(name, copy)
        toUpdate.add(name)
      } else unchanged.add(name)
    }
    // 2. Slices written anyway take new endpoints first, the fullest first.
    if (desired.size && toUpdate.size) {
      const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => endpointsOf(b).length - endpointsOf(a).length)
      for (const s of slices) while (desired.size && endpointsOf(s).length < this.maxPerSlice) (s.endpoints as Obj[]).push(popFirst(desired))
    }
    // 3. The rest go to the unchanged slice that ends closest to full, else to new slices.
    const create: Obj[] = []
    while (desired.size) {
      let fill: Obj | undefined
      if (desired.size < this.maxPerSlice && unchanged.size) {
        const found = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, this.maxPerSlice)
        if (found) {
          fill = copySlice(found)
          byName.set(String(meta(found).name), fill)
        }
      }
      fill ??= newSlice(svc, ports, addressType)
      while (desired.size && endpointsOf(fill).length < this.maxPerSlice) (fill.endpoints as Obj[]).push(popFirst(desired))
      const name = meta(fill).name
      if (name) {
        toUpdate.add(String(name))
        unchanged.delete(String(name))
      } else create.push(fill)
    }
    return {create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!)}
  }

  /** finalize: creates paired with deletes become updates; then create, update, delete. */
  private finalize(svc: Obj, plan: Plan, triggerTime: number | undefined): void {
    const namespace = String(meta(svc).namespace)
    const svcName = `${namespace}/${String(meta(svc).name)}`
    for (let i = 0; i < plan.delete.length && plan.create.length;) {
      const old = plan.delete[i]
      const fresh = plan.create[plan.create.length - 1]
      if (old.addressType === fresh.addressType && ownedBy(old, svc)) {
        const fm = meta(fresh)
        plan.create.pop()
        plan.update.push({...old, ...fresh, metadata: {...meta(old), labels: fm.labels, ownerReferences: fm.ownerReferences, annotations: undefined}})
        plan.delete.splice(i, 1)
      } else i++
    }
    if (!meta(svc).deletionTimestamp) {
      for (const s of plan.create) {
        try {
          this.ctx.client.create(RESOURCES.endpointslices, namespace, stored(s, triggerTime))
        } catch (e) {
          if (e instanceof ApiError && e.code === 403 && /being terminated/.test(e.message)) return
          throw new Error(`failed to create EndpointSlice for Service ${svcName}: ${(e as Error).message}`, {cause: e})
        }
      }
    }
    for (const s of plan.update) {
      try {
        this.ctx.client.update(RESOURCES.endpointslices, stored(s, triggerTime))
      } catch (e) {
        if (e instanceof ApiError && e.code === 409) throw e
        throw new Error(`failed to update ${String(meta(s).name)} EndpointSlice for Service ${svcName}: ${(e as Error).message}`, {cause: e})
      }
    }
    for (const s of plan.delete) this.ctx.client.delete(RESOURCES.endpointslices, namespace, String(meta(s).name))
  }
}

/**
 * The slice as written: the trigger-time annotation set (or cleared), and empty lists as the real
 * API returns them after a round trip through its storage (`null`).
 */
function stored(s: Obj, triggerTime: number | undefined): Obj {
  const annotations: Record<string, string> = {...((meta(s).annotations ?? {}) as Record<string, string>)}
  if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime)
  else delete annotations[LAST_CHANGE_TRIGGER_TIME]
  const metadata: Obj = {...meta(s)}
  if (Object.keys(annotations).length) metadata.annotations = annotations
  else delete metadata.annotations
  const endpoints = endpointsOf(s), ports = (s.ports ?? []) as Obj[]
  return {...s, metadata, endpoints: endpoints.length ? endpoints : null, ports: ports.length ? ports : null}
}

export function addEndpointSliceController(m: ControllerManager): void {
  const r = new EndpointSliceReconciler(m)
  m.add(r, (c, ctx) => {
    const services = ctx.informer(RESOURCES.services)
    services.addHandlers({onAdd: (o) => c.enqueue(keyOf(o)), onUpdate: (_, o) => c.enqueue(keyOf(o)), onDelete: (o) => c.enqueue(keyOf(o))})
    ctx.informer(RESOURCES.pods).addHandlers({
      onAdd: (p) => servicesForPodEvent(services, undefined, p).forEach((k) => c.enqueue(k)),
      onUpdate: (old, p) => servicesForPodEvent(services, old, p).forEach((k) => c.enqueue(k)),
      onDelete: (p) => servicesForPodEvent(services, p, undefined).forEach((k) => c.enqueue(k)),
    })
    // Somebody else changing or deleting a managed slice brings the Service back to be reconciled
    // (the controller's own writes do not: what its EndpointSliceTracker achieves).
    const sliceChanged = (s: Obj) => {
      const l = labelsOf(s)
      const svcName = l[SERVICE_NAME_LABEL]
      if (l[SLICE_MANAGED_BY_LABEL] !== ENDPOINTSLICE_CONTROLLER_NAME || !svcName) return
      const key = {namespace: String(meta(s).namespace), name: svcName}
      if (r.writing !== keyString(key)) c.enqueue(key)
    }
    ctx.informer(RESOURCES.endpointslices).addHandlers({
      onAdd: sliceChanged,
      onUpdate: (old, s) => {
        sliceChanged(s)
        if (labelsOf(old)[SLICE_MANAGED_BY_LABEL] !== labelsOf(s)[SLICE_MANAGED_BY_LABEL]) sliceChanged(old)
      },
      onDelete: sliceChanged,
    })
  })
}
