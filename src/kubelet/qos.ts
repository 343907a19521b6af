// The pod's QoS class as the kubelet computes it (pkg/apis/core/v1/helper/qos): only cpu and memory
// count; Guaranteed needs every container to limit both with requests equal to limits.
import {parseQuantity, type Quantity} from '../api/quantity.js'
import {obj, objs, spec, str, type Obj} from './obj.js'

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort'

const QOS_RESOURCES = new Set(['cpu', 'memory'])

function positive(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  try {
    const q = parseQuantity(v)
    return q.sign() > 0 ? q : undefined
  } catch {
    return undefined
  }
}

function addInto(into: Map<string, Quantity>, name: string, q: Quantity): void {
  const prev = into.get(name)
  into.set(name, prev ? prev.add(q) : q)
}

/** status.qosClass when already set (it never changes), else computed from the spec. */
export function qosClass(pod: Obj): QOSClass {
  const existing = str(obj(pod.status)?.qosClass)
  if (existing === 'Guaranteed' || existing === 'Burstable' || existing === 'BestEffort') return existing
  return computeQOS(pod)
}

export function computeQOS(pod: Obj): QOSClass {
  const s = spec(pod)
  const requests = new Map<string, Quantity>()
  const limits = new Map<string, Quantity>()
  let guaranteed = true
  const podLevel = obj(s.resources)
  // Pod-level resources (PodLevelResources), when they name cpu or memory, decide on their own.
  const podLevelUsed = podLevel !== undefined && [obj(podLevel.requests), obj(podLevel.limits)].some((l) => l && Object.keys(l).some((k) => QOS_RESOURCES.has(k)))
  const sets: Obj[] = podLevelUsed ? [podLevel!] : [...objs(s.containers), ...objs(s.initContainers)].map((c) => obj(c.resources) ?? {})
  for (const res of sets) {
    for (const [name, v] of Object.entries(obj(res.requests) ?? {})) {
      const q = QOS_RESOURCES.has(name) ? positive(v) : undefined
      if (q) addInto(requests, name, q)
    }
    const found = new Set<string>()
    for (const [name, v] of Object.entries(obj(res.limits) ?? {})) {
      const q = QOS_RESOURCES.has(name) ? positive(v) : undefined
      if (!q) continue
      found.add(name)
      addInto(limits, name, q)
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name)
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false
        break
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}
