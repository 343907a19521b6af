// Service ClusterIP and NodePort allocation, as the apiserver's allocators do: ClusterIPs from the
// service CIDR (10.96.0.0/12 by default; the first address is the `kubernetes` Service's), node
// ports from 30000-32767; a requested value must be free, otherwise one is picked at random (seeded
// in the emulator, so clusters are reproducible). The state is rebuilt from stored Services.
import type {Problem} from '../schema/problems.js'
import {problem} from '../schema/problems.js'

export class IpAllocator {
  private readonly base: number
  private readonly size: number
  private readonly used = new Set<number>()

  constructor(cidr: string, private readonly random: () => number) {
    const [ip, bits] = cidr.split('/')
    this.base = ipToInt(ip)
    this.size = 2 ** (32 - Number(bits))
  }

  /** The n-th address of the range (1 = the first usable one). */
  addressAt(n: number): string {
    return intToIp(this.base + n)
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip) - this.base
    return n > 0 && n < this.size - 1
  }

  markUsed(ip: string): void {
    if (this.contains(ip)) this.used.add(ipToInt(ip))
  }

  release(ip: string): void {
    this.used.delete(ipToInt(ip))
  }

  isFree(ip: string): boolean {
    return !this.used.has(ipToInt(ip))
  }

  allocate(): string | undefined {
    const usable = this.size - 2
    if (this.used.size >= usable) return undefined
    for (;;) {
      const n = this.base + 1 + Math.floor(this.random() * usable)
      if (!this.used.has(n)) {
        this.used.add(n)
        return intToIp(n)
      }
    }
  }
}

export class PortAllocator {
  private readonly used = new Set<number>()

  constructor(readonly min: number, readonly max: number, private readonly random: () => number) {}

  contains(port: number): boolean {
    return port >= this.min && port <= this.max
  }

  markUsed(port: number): void {
    this.used.add(port)
  }

  release(port: number): void {
    this.used.delete(port)
  }

  isFree(port: number): boolean {
    return !this.used.has(port)
  }

  allocate(): number | undefined {
    const size = this.max - this.min + 1
    if (this.used.size >= size) return undefined
    for (;;) {
      const p = this.min + Math.floor(this.random() * size)
      if (!this.used.has(p)) {
        this.used.add(p)
        return p
      }
    }
  }
}

export class ServiceAllocators {
  readonly ips: IpAllocator
  readonly ports: PortAllocator

  constructor(readonly serviceCIDR: string, nodePortRange: [number, number], random: () => number) {
    this.ips = new IpAllocator(serviceCIDR, random)
    this.ports = new PortAllocator(nodePortRange[0], nodePortRange[1], random)
  }

  /** Records what an existing Service holds. */
  observe(svc: Record<string, unknown>): void {
    const spec = (svc.spec ?? {}) as Record<string, unknown>
    for (const ip of clusterIPs(spec)) this.ips.markUsed(ip)
    for (const p of (spec.ports ?? []) as Array<Record<string, unknown>>) if (typeof p.nodePort === 'number') this.ports.markUsed(p.nodePort)
  }

  release(svc: Record<string, unknown>): void {
    const spec = (svc.spec ?? {}) as Record<string, unknown>
    for (const ip of clusterIPs(spec)) this.ips.release(ip)
    for (const p of (spec.ports ?? []) as Array<Record<string, unknown>>) if (typeof p.nodePort === 'number') this.ports.release(p.nodePort)
  }

  /**
   * Fills spec.clusterIP(s) and node ports of a Service being created. Returns the problems the
   * apiserver reports for requested values that cannot be had; allocates nothing then.
   */
  allocateFor(svc: Record<string, unknown>): Problem[] {
    const spec = (svc.spec ??= {}) as Record<string, unknown>
    const type = (spec.type as string | undefined) ?? 'ClusterIP'
    const problems: Problem[] = []
    const wantIP = spec.clusterIP as string | undefined
    const needsIP = type !== 'ExternalName' && wantIP !== 'None'
    if (needsIP && wantIP) {
      if (!this.ips.contains(wantIP)) problems.push(problem(['spec', 'clusterIPs'], 'Invalid value', `failed to allocate IP ${wantIP}: the provided IP (${wantIP}) is not in the valid range. The range of valid IPs is ${this.serviceCIDR}`, [wantIP]))
      else if (!this.ips.isFree(wantIP)) problems.push(problem(['spec', 'clusterIPs'], 'Invalid value', `failed to allocate IP ${wantIP}: provided IP is already allocated`, [wantIP]))
    }
    const ports = (spec.ports ?? []) as Array<Record<string, unknown>>
    const needsNodePorts = type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
    if (needsNodePorts) {
      ports.forEach((p, i) => {
        const n = p.nodePort
        if (typeof n !== 'number' || n === 0) return
        if (!this.ports.contains(n)) problems.push(problem(['spec', 'ports', i, 'nodePort'], 'Invalid value', `provided port is not in the valid range. The range of valid ports is ${this.ports.min}-${this.ports.max}`, n))
        else if (!this.ports.isFree(n)) problems.push(problem(['spec', 'ports', i, 'nodePort'], 'Invalid value', 'provided port is already allocated', n))
      })
    }
    if (problems.length > 0) return problems
    if (needsIP) {
      const ip = wantIP ?? this.ips.allocate()
      if (wantIP) this.ips.markUsed(wantIP)
      if (ip) {
        spec.clusterIP = ip
        spec.clusterIPs = [ip]
      }
    } else if (wantIP === 'None') {
      spec.clusterIPs = ['None']
    }
    if (needsNodePorts) {
      for (const p of ports) {
        if (typeof p.nodePort === 'number' && p.nodePort !== 0) this.ports.markUsed(p.nodePort)
        else p.nodePort = this.ports.allocate()
      }
    }
    return []
  }
}

function clusterIPs(spec: Record<string, unknown>): string[] {
  const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : typeof spec.clusterIP === 'string' ? [spec.clusterIP] : []
  return ips.filter((ip) => ip && ip !== 'None')
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
}
