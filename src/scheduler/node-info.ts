// NodeInfo: one node with the pods on it and what they use (requests, non-zero requests, host
// ports, pods with affinity), kept by add/remove so a scheduling loop never recounts a node.
import type {Node, Taint} from './api.js'
import type {HostPort, PodInfo} from './pod-info.js'
import {cloneResource, emptyResource, nodeAllocatable, type Resource} from './resources.js'

/** HostPortInfo: host ports in use by IP, where 0.0.0.0 conflicts with every address. */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>()

  get size(): number {
    return this.byIP.size
  }

  add(p: HostPort): void {
    let m = this.byIP.get(p.ip)
    if (!m) this.byIP.set(p.ip, (m = new Map()))
    const k = `${p.protocol}/${p.port}`
    m.set(k, (m.get(k) ?? 0) + 1)
  }

  remove(p: HostPort): void {
    const m = this.byIP.get(p.ip)
    if (!m) return
    const k = `${p.protocol}/${p.port}`
    const n = (m.get(k) ?? 0) - 1
    if (n > 0) m.set(k, n)
    else m.delete(k)
    if (m.size === 0) this.byIP.delete(p.ip)
  }

  /** CheckConflict: a wildcard IP conflicts with any use of the port, a specific IP with itself and 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    if (p.port <= 0) return false
    const k = `${p.protocol}/${p.port}`
    if (p.ip === '0.0.0.0') {
      for (const m of this.byIP.values()) if (m.has(k)) return true
      return false
    }
    return !!this.byIP.get('0.0.0.0')?.has(k) || !!this.byIP.get(p.ip)?.has(k)
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo()
    for (const [ip, m] of this.byIP) c.byIP.set(ip, new Map(m))
    return c
  }
}

const NO_TAINTS: Taint[] = []

export class NodeInfo {
  node: Node
  readonly name: string
  labels: Record<string, string>
  taints: Taint[]
  unschedulable: boolean
  /** Position in the snapshot's node table; per-node counters are indexed by it. */
  index: number
  allocatable: Resource
  requested: Resource
  /** NonZeroRequested: CPU and memory with defaults for containers that request none. */
  nonZeroCPU = 0
  nonZeroMem = 0
  pods: PodInfo[] = []
  podsWithAffinity: PodInfo[] = []
  podsWithRequiredAntiAffinity: PodInfo[] = []
  usedPorts = new HostPortInfo()

  constructor(node: Node, index: number) {
    this.node = node
    this.name = node.metadata.name ?? ''
    this.index = index
    this.labels = node.metadata.labels ?? {}
    this.taints = node.spec?.taints ?? NO_TAINTS
    this.unschedulable = !!node.spec?.unschedulable
    this.allocatable = nodeAllocatable(node)
    this.requested = emptyResource()
  }

  /** Replaces the Node object (labels, taints, allocatable) keeping the pods. */
  setNode(node: Node): void {
    this.node = node
    this.labels = node.metadata.labels ?? {}
    this.taints = node.spec?.taints ?? NO_TAINTS
    this.unschedulable = !!node.spec?.unschedulable
    this.allocatable = nodeAllocatable(node)
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi)
    if (pi.hasAffinity) this.podsWithAffinity.push(pi)
    if (pi.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(pi)
    this.account(pi, 1)
  }

  /** Removes the pod with this key; returns it, or undefined when it is not here. */
  removePod(key: string): PodInfo | undefined {
    const i = this.pods.findIndex((p) => p.key === key)
    if (i < 0) return undefined
    const pi = this.pods[i]!
    // Splice, not swap: preemption walks pods in this order and must be deterministic.
    this.pods.splice(i, 1)
    if (pi.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.filter((p) => p !== pi)
    if (pi.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p !== pi)
    this.account(pi, -1)
    return pi
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requests.resource
    const req = this.requested
    req.milliCPU += sign * r.milliCPU
    req.memory += sign * r.memory
    req.ephemeralStorage += sign * r.ephemeralStorage
    if (r.scalar) {
      req.scalar ??= new Map()
      for (const [k, v] of r.scalar) req.scalar.set(k, (req.scalar.get(k) ?? 0) + sign * v)
    }
    this.nonZeroCPU += sign * pi.requests.non0CPU
    this.nonZeroMem += sign * pi.requests.non0Mem
    for (const p of pi.hostPorts) {
      if (sign > 0) this.usedPorts.add(p)
      else this.usedPorts.remove(p)
    }
  }

  /** A copy whose pods and usage can change without touching this one (preemption, nominated pods). */
  clone(): NodeInfo {
    const c = Object.create(NodeInfo.prototype) as NodeInfo
    Object.assign(c, this)
    c.requested = cloneResource(this.requested)
    c.pods = [...this.pods]
    c.podsWithAffinity = [...this.podsWithAffinity]
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity]
    c.usedPorts = this.usedPorts.clone()
    return c
  }
}
