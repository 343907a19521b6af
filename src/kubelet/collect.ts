// Reading a simulated pod over a window of time: the events and log lines that fall in it, the
// containers that restarted, and the next instant anything happens.
import {logLines, type LogLine} from './logs.js'
import type {TimedEvent} from './model.js'
import type {PodModel} from './pod-model.js'
import {obj, objs, type Obj} from './obj.js'
import {parseTime} from './time.js'

export interface PodEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  fieldPath?: string
  /** When the kubelet recorded it. */
  at: Date
  /** Stable across calls, for dropping repeats. */
  id: string
}

export interface WindowInput {
  model: PodModel
  since: number
  now: number
  podIP: string
  hostIP: string
  maxLogLines: number
}

export interface WindowResult {
  events: PodEvent[]
  logs: LogLine[]
  restartedContainers: string[]
  next?: number
  /** The next instant anything but a log line happens. */
  nextState?: number
}

function toEvent(e: TimedEvent): PodEvent {
  const out: PodEvent = {type: e.type, reason: e.reason, message: e.message, at: new Date(e.at), id: e.id}
  if (e.fieldPath) out.fieldPath = e.fieldPath
  return out
}

export function readWindow(input: WindowInput): WindowResult {
  const {model, since, now} = input
  let next: number | undefined
  const later = (t: number | undefined) => {
    if (t !== undefined && Number.isFinite(t) && t > now && (next === undefined || t < next)) next = t
  }
  const all: TimedEvent[] = [...model.events]
  const restarted: string[] = []
  later(model.sandboxReadyAt)
  later(model.terminalAt)
  model.tracks.forEach((track) => {
    all.push(...track.events)
    later(track.nextAt)
    for (const s of track.segments) later(s.from)
    for (const a of track.attempts) {
      later(a.startedFrom)
      later(a.readyFrom)
      if (a.index > 0 && a.startedAt > since && a.startedAt <= now && !restarted.includes(track.name)) restarted.push(track.name)
    }
  })
  const events = all.filter((e) => e.at > since && e.at <= now).sort((a, b) => a.at - b.at).map(toEvent)
  for (const e of all) later(e.at)
  const lc = {ctx: model.ctx, podIP: input.podIP, hostIP: input.hostIP, kernelVersion: model.ctx.profile.node.kernelVersion}
  const logs = logLines(lc, model.behaviours, model.tracks, since, now, input.maxLogLines)
  const nextState = next
  later(logs.next)
  return {events, logs: logs.lines, restartedContainers: restarted, next, nextState}
}

/** The latest instant the status records: a fallback start for the window of a call. */
export function statusMark(pod: Obj): number {
  const status = obj(pod.status)
  if (!status || !status.startTime) return -Infinity
  let mark = parseTime(status.startTime) ?? -Infinity
  const see = (v: unknown) => {
    const t = parseTime(v)
    if (t !== undefined && t > mark) mark = t
  }
  for (const c of objs(status.conditions)) see(c.lastTransitionTime)
  for (const cs of [...objs(status.initContainerStatuses), ...objs(status.containerStatuses)]) {
    for (const st of [obj(cs.state), obj(cs.lastState)]) {
      see(obj(st?.running)?.startedAt)
      see(obj(st?.terminated)?.finishedAt)
    }
  }
  return mark
}
