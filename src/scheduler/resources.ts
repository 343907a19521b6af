// Amounts the scheduler does arithmetic on: a pod's requests (containers summed, init containers as a
// maximum, overhead added) and a node's allocatable, as plain numbers (milli-CPU, bytes, counts).
import {parseQuantity, type Quantity} from '../api/quantity.js'
import {podResources} from '../apiserver/admission.js'
import type {Obj} from '../apiserver/types.js'
import type {Container, Node, Pod, ResourceList} from './api.js'

/** framework.Resource: the four well-known dimensions plus the scalar (extended, hugepages) ones. */
export interface Resource {
  milliCPU: number
  memory: number
  ephemeralStorage: number
  allowedPodNumber: number
  /** Extended and hugepages resources by name; null while there are none. */
  scalar: Map<string, number> | null
}

export function emptyResource(): Resource {
  return {milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: null}
}

export function cloneResource(r: Resource): Resource {
  return {...r, scalar: r.scalar ? new Map(r.scalar) : null}
}

/** What schedutil.IsScalarResourceName accepts: extended, hugepages-*, attachable-volumes-*, prefixed native. */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')
}

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a container without a request counts as when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

const quantityCache = new Map<string, Quantity | null>()

function quantity(raw: string | number | undefined): Quantity | null {
  if (raw === undefined || raw === null) return null
  const key = String(raw)
  let q = quantityCache.get(key)
  if (q === undefined) {
    try {
      q = parseQuantity(raw)
    } catch {
      q = null
    }
    // The cache only bounds work for the handful of spellings real manifests use.
    if (quantityCache.size < 10_000) quantityCache.set(key, q)
  }
  return q
}

/** Value in the unit the scheduler counts that resource in: milli-CPU, otherwise whole units. */
export function amount(name: string, raw: string | number | undefined): number {
  const q = quantity(raw)
  if (!q) return 0
  return Number(name === 'cpu' ? q.milliValue() : q.value())
}

function addTo(r: Resource, name: string, value: number): void {
  switch (name) {
    case 'cpu':
      r.milliCPU += value
      break
    case 'memory':
      r.memory += value
      break
    case 'ephemeral-storage':
      r.ephemeralStorage += value
      break
    case 'pods':
      r.allowedPodNumber += value
      break
    default:
      if (isScalarResourceName(name)) {
        r.scalar ??= new Map()
        r.scalar.set(name, (r.scalar.get(name) ?? 0) + value)
      }
  }
}

/** Resource of a ResourceList (a node's allocatable). */
export function resourceOf(list: ResourceList | null | undefined): Resource {
  const r = emptyResource()
  if (!list) return r
  for (const [name, raw] of Object.entries(list)) addTo(r, name, amount(name, raw))
  return r
}

export function nodeAllocatable(node: Node): Resource {
  return resourceOf(node.status?.allocatable)
}

/** A pod's requests for Filter, plus the non-zero CPU/memory that scoring and NonZeroRequested use. */
export interface PodRequests {
  resource: Resource
  /** True when nothing at all is requested (NodeResourcesFit then checks only the pod count). */
  none: boolean
  non0CPU: number
  non0Mem: number
}

// Pods of one template share their resource stanzas; the signature lets them share one computation.
const requestsCache = new Map<string, PodRequests>()

function listSignature(list: ResourceList | null | undefined): string {
  if (!list) return ''
  let s = ''
  for (const k in list) s += `${k}=${String(list[k])},`
  return s
}

function containersSignature(cs: Container[] | null | undefined): string {
  if (!cs) return ''
  let s = ''
  for (const c of cs) s += `${listSignature(c.resources?.requests)}${c.restartPolicy === 'Always' ? '!' : ''};`
  return s
}

export function podRequests(pod: Pod): PodRequests {
  const spec = pod.spec ?? {}
  const sig = `${containersSignature(spec.containers)}|${containersSignature(spec.initContainers)}|${listSignature(spec.overhead)}`
  let r = requestsCache.get(sig)
  if (!r) {
    r = computeRequests(pod)
    if (requestsCache.size >= 10_000) requestsCache.clear()
    requestsCache.set(sig, r)
  }
  return r
}

function computeRequests(pod: Pod): PodRequests {
  const spec = pod.spec ?? {}
  const {requests} = podResources(pod as unknown as Obj)
  const resource = emptyResource()
  for (const [name, q] of requests) addTo(resource, name, Number(name === 'cpu' ? q.milliValue() : q.value()))
  // resourcehelper.PodRequests adds every overhead entry, also those no container requests.
  const overhead = spec.overhead ?? {}
  for (const name of Object.keys(overhead)) if (!requests.has(name)) addTo(resource, name, amount(name, overhead[name]))
  const none = resource.milliCPU === 0 && resource.memory === 0 && resource.ephemeralStorage === 0 && (resource.scalar === null || resource.scalar.size === 0)
  const [non0CPU, non0Mem] = nonZeroRequests(pod)
  return {resource, none, non0CPU, non0Mem}
}

/** CPU and memory with schedutil's defaults for containers that request neither: what scoring counts. */
function nonZeroRequests(pod: Pod): [number, number] {
  const spec = pod.spec ?? {}
  const one = (c: Container): [number, number] => {
    const req = c.resources?.requests ?? {}
    return [req.cpu !== undefined ? amount('cpu', req.cpu) : DEFAULT_MILLI_CPU_REQUEST, req.memory !== undefined ? amount('memory', req.memory) : DEFAULT_MEMORY_REQUEST]
  }
  let cpu = 0
  let mem = 0
  for (const c of spec.containers ?? []) {
    const [a, b] = one(c)
    cpu += a
    mem += b
  }
  for (const c of spec.initContainers ?? []) {
    const [a, b] = one(c)
    cpu = Math.max(cpu, a)
    mem = Math.max(mem, b)
  }
  const overhead = spec.overhead ?? {}
  if (overhead.cpu !== undefined) cpu += amount('cpu', overhead.cpu)
  if (overhead.memory !== undefined) mem += amount('memory', overhead.memory)
  return [cpu, mem]
}
