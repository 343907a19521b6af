// Drives the simulated kubelet on a virtual clock the way the control plane will: call the engine,
// write the status it returns, record events and logs, and sleep until it asks to be woken.
import {VirtualClock} from '../../../src/api/clock.js'
import {nextPodState} from '../../../src/kubelet/engine.js'
import type {PodEvent} from '../../../src/kubelet/collect.js'
import type {LogLine} from '../../../src/kubelet/logs.js'
import type {Obj} from '../../../src/kubelet/obj.js'
import {loadPodProfile} from '../../../src/kubelet/profile-load.js'
import type {PodProfile} from '../../../src/kubelet/profile.js'

export const T0 = Date.UTC(2026, 0, 1)

export const profile: PodProfile = loadPodProfile()

/** The default profile with exact durations (no jitter), for tests that check times. */
export const exact: PodProfile = {...profile, timing: {...profile.timing, jitter: 0}}

export const node: Obj = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {name: 'sim-1', creationTimestamp: '2025-12-31T00:00:00Z'},
  spec: {podCIDR: '10.244.1.0/24'},
  status: {addresses: [{type: 'InternalIP', address: '172.18.0.3'}, {type: 'Hostname', address: 'sim-1'}]},
}

export interface PodOptions {
  name?: string
  restartPolicy?: string
  annotations?: Record<string, string>
  containers?: Obj[]
  initContainers?: Obj[]
  spec?: Obj
}

/** A pod as the API server stores it once scheduled: defaulted, bound, PodScheduled set. */
export function makePod(o: PodOptions = {}): Obj {
  const name = o.name ?? 'web'
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default', uid: `uid-${name}`, generation: 1, creationTimestamp: new Date(T0).toISOString().replace('.000', ''), ...(o.annotations ? {annotations: o.annotations} : {})},
    spec: {
      nodeName: 'sim-1',
      restartPolicy: o.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: 30,
      ...(o.initContainers ? {initContainers: o.initContainers} : {}),
      containers: o.containers ?? [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}],
      ...o.spec,
    },
    status: {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z'}], qosClass: 'BestEffort'},
  }
}

export interface Step {
  at: number
  status?: Obj
  events: PodEvent[]
  logs: LogLine[]
  restarted?: string[]
}

export interface Run {
  pod: Obj
  steps: Step[]
  events: PodEvent[]
  logs: LogLine[]
  clock: VirtualClock
  /** The status as written at or before `t` (ms since T0). */
  statusAt(t: number): Obj
}

export interface DriveOptions {
  profile?: PodProfile
  kubernetesVersion?: string
  start?: number
  nodeImages?: ReadonlySet<string>
}

/** Runs the engine on a virtual clock from T0 + start until T0 + untilMs, as a controller would. */
export function drive(pod: Obj, untilMs: number, opts: DriveOptions = {}): Run {
  const clock = new VirtualClock(T0 + (opts.start ?? 0))
  const steps: Step[] = []
  let current = pod
  let since: Date | undefined
  let ips = 0
  const sync = (): void => {
    const now = clock.now()
    const r = nextPodState({pod: current, node, profile: opts.profile ?? profile, now, podIP: () => `10.244.1.${10 + ips++}`, since, kubernetesVersion: opts.kubernetesVersion, nodeImages: opts.nodeImages})
    since = now
    if (r.status) current = {...current, status: r.status}
    steps.push({at: now.getTime() - T0, status: r.status, events: r.events, logs: r.logs, restarted: r.restartedContainers})
    if (r.wakeAt && r.wakeAt.getTime() <= T0 + untilMs) clock.setTimeout(sync, r.wakeAt.getTime() - now.getTime())
  }
  sync()
  clock.advance(T0 + untilMs - clock.now().getTime())
  return {
    pod: current,
    steps,
    events: steps.flatMap((s) => s.events),
    logs: steps.flatMap((s) => s.logs),
    clock,
    statusAt(t: number): Obj {
      let found: Obj = {}
      for (const s of steps) if (s.at <= t && s.status) found = s.status
      return found
    },
  }
}

export function containerStatus(status: Obj, name: string): Obj {
  const all = [...((status.initContainerStatuses ?? []) as Obj[]), ...((status.containerStatuses ?? []) as Obj[])]
  const found = all.find((c) => c.name === name)
  if (!found) throw new Error(`no status for container ${name}`)
  return found
}

export function condition(status: Obj, type: string): Obj | undefined {
  return ((status.conditions ?? []) as Obj[]).find((c) => c.type === type)
}

export function waitingReason(status: Obj, name: string): string | undefined {
  return ((containerStatus(status, name).state as Obj).waiting as Obj | undefined)?.reason as string | undefined
}

export function seconds(ms: number): number {
  return Math.round(ms) / 1000
}
