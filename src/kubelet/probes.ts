// When probes make a container started and ready, as the kubelet's probe workers do: a probe runs
// every periodSeconds from the container's start, counts once initialDelaySeconds have passed, and
// readiness is only probed once the container has started.
import {num, obj, str, objs, type Obj} from './obj.js'
import type {ProbeFailureProfile} from './profile.js'

export interface ProbeTiming {
  initialDelayMs: number
  periodMs: number
  successThreshold: number
}

export function probeTiming(probe: Obj | undefined): ProbeTiming | undefined {
  if (!probe) return undefined
  const delay = num(probe.initialDelaySeconds) ?? 0
  const period = num(probe.periodSeconds) ?? 10
  const success = num(probe.successThreshold) ?? 1
  return {initialDelayMs: Math.max(0, delay) * 1000, periodMs: Math.max(1, period) * 1000, successThreshold: Math.max(1, success)}
}

/** Index of the first probe tick (k × period after start) that is at or past `notBeforeMs` and the initial delay. */
function firstCountedTick(p: ProbeTiming, notBeforeMs: number): number {
  return Math.max(Math.ceil(p.initialDelayMs / p.periodMs), Math.ceil(Math.max(0, notBeforeMs) / p.periodMs))
}

/** When `started` turns true, as an offset from the container's start. */
export function startedOffset(container: Obj): number {
  const p = probeTiming(obj(container.startupProbe))
  if (!p) return 0
  return (firstCountedTick(p, 0) + p.successThreshold - 1) * p.periodMs
}

/** When `ready` turns true, as an offset from the container's start; Infinity when it never does. */
export function readyOffset(container: Obj, startedMs: number, unready: boolean): number {
  if (unready) return Infinity
  const p = probeTiming(obj(container.readinessProbe))
  if (!p) return startedMs
  return (firstCountedTick(p, startedMs) + p.successThreshold - 1) * p.periodMs
}

/** Offsets of the failing readiness probes of an `unready` container, from the first counted one. */
export function failingProbeOffsets(container: Obj, startedMs: number, fromMs: number, toMs: number, limit: number): number[] {
  const p = probeTiming(obj(container.readinessProbe))
  if (!p) return []
  const out: number[] = []
  let k = Math.max(firstCountedTick(p, startedMs), Math.ceil(fromMs / p.periodMs))
  for (; out.length < limit; k++) {
    const off = k * p.periodMs
    out.push(off)
    if (off > toMs) break
  }
  return out
}

function resolvePort(container: Obj, port: unknown): string {
  if (typeof port === 'number') return String(port)
  const named = objs(container.ports).find((p) => p.name === port)
  return named && typeof named.containerPort === 'number' ? String(named.containerPort) : String(port ?? '')
}

/** What a failing readiness probe reports, by handler. */
export function probeFailureOutput(container: Obj, texts: ProbeFailureProfile, podIP: string): string {
  const probe = obj(container.readinessProbe) ?? {}
  if (obj(probe.httpGet)) return texts.httpGet
  if (obj(probe.grpc)) return texts.grpc
  const tcp = obj(probe.tcpSocket)
  if (tcp) return texts.tcpSocket.replaceAll('{podIP}', podIP).replaceAll('{port}', resolvePort(container, tcp.port))
  return texts.exec
}

/** The path an HTTP readiness or liveness probe asks for, if any. */
export function httpProbePath(container: Obj): string | undefined {
  for (const key of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const http = obj(obj(container[key])?.httpGet)
    if (http) return str(http.path) ?? '/'
  }
  return undefined
}
