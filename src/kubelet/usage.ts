// Simulated resource usage of a running pod, per container (what metrics.k8s.io would serve): a
// fraction of each request, or the image's typical usage, with a wobble fixed per time window;
// never above a limit, and an `oomkilled` container climbing toward its memory limit.
import {parseQuantity, type Quantity} from '../api/quantity.js'
import {containerBehaviour, podContainers} from './behaviour.js'
import {podContext} from './context.js'
import {unit} from './hash.js'
import {obj, objs, str, type Obj} from './obj.js'
import type {PodProfile} from './profile.js'
import {parseTime} from './time.js'

export const CPU_USAGE_ANNOTATION = 'kube2.dev/cpu-usage'
export const MEMORY_USAGE_ANNOTATION = 'kube2.dev/memory-usage'

export interface ContainerUsage {
  name: string
  /** Nanocores, as metrics-server reports them: 1234567n. */
  cpu: string
  /** Kibibytes: 12345Ki. */
  memory: string
}

export interface PodUsage {
  cpu: string
  memory: string
  containers: ContainerUsage[]
}

function quantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  try {
    return parseQuantity(v)
  } catch {
    return undefined
  }
}

export function podUsage(pod: Obj, profile: PodProfile, now: Date): PodUsage {
  const ctx = podContext({pod, profile})
  const status = obj(pod.status) ?? {}
  const running = new Map<string, number>()
  for (const cs of [...objs(status.initContainerStatuses), ...objs(status.containerStatuses)]) {
    const started = parseTime(obj(obj(cs.state)?.running)?.startedAt)
    if (started !== undefined) running.set(String(cs.name), started)
  }
  const u = profile.usage
  const window = Math.floor(now.getTime() / (u.windowSeconds * 1000))
  const containers: ContainerUsage[] = []
  let cpuTotal = 0, memTotal = 0
  // kube2.dev/cpu-usage and kube2.dev/memory-usage set the pod's usage outright (split evenly over
  // its running containers): how a user or a test drives an autoscaler.
  const annotations = (obj(pod.metadata)?.annotations ?? {}) as Record<string, unknown>
  const setCpu = quantity(annotations[CPU_USAGE_ANNOTATION])?.asApproximateFloat64()
  const setMem = quantity(annotations[MEMORY_USAGE_ANNOTATION])?.asApproximateFloat64()
  const runningApps = podContainers(pod).filter(({c}) => running.has(str(c.name) ?? '')).length || 1
  for (const {c, role} of podContainers(pod)) {
    const name = str(c.name) ?? ''
    const startedAt = running.get(name)
    if (startedAt === undefined) continue
    const b = containerBehaviour(ctx, c, role)
    const res = obj(c.resources) ?? {}
    const req = obj(res.requests) ?? {}, lim = obj(res.limits) ?? {}
    const wobble = (what: string) => 1 + u.noise * (2 * unit(`${ctx.uid}/${name}/${what}/${window}`) - 1)
    const baseline = b.usage ?? u.default
    const reqCpu = quantity(req.cpu), reqMem = quantity(req.memory)
    let cpu = (reqCpu ? reqCpu.asApproximateFloat64() * u.cpuFraction : (quantity(baseline.cpu)?.asApproximateFloat64() ?? 0)) * wobble('cpu')
    let mem = (reqMem ? reqMem.asApproximateFloat64() * u.memoryFraction : (quantity(baseline.memory)?.asApproximateFloat64() ?? 0)) * wobble('memory')
    if (setCpu !== undefined) cpu = setCpu / runningApps
    if (setMem !== undefined) mem = setMem / runningApps
    const limCpu = quantity(lim.cpu)?.asApproximateFloat64()
    const limMem = quantity(lim.memory)?.asApproximateFloat64()
    if (b.simulate === 'oomkilled' && limMem !== undefined) {
      const progress = Math.min(1, Math.max(0, (now.getTime() - startedAt) / (profile.run.oomSeconds * 1000)))
      mem = limMem * (0.6 + 0.4 * progress)
    }
    if (limCpu !== undefined) cpu = Math.min(cpu, limCpu)
    if (limMem !== undefined) mem = Math.min(mem, limMem)
    const nano = Math.round(cpu * 1e9)
    const ki = Math.round(mem / 1024)
    cpuTotal += nano
    memTotal += ki
    containers.push({name, cpu: `${nano}n`, memory: `${ki}Ki`})
  }
  return {cpu: `${cpuTotal}n`, memory: `${memTotal}Ki`, containers}
}
