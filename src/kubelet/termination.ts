// Graceful deletion as the kubelet carries it out: on seeing deletionTimestamp it stops every running
// container (Killing, preStop, SIGTERM, SIGKILL when the grace period ends; sidecars after the
// regular containers), marks what never ran as ContainerStatusUnknown, moves the pod to a terminal
// phase and then deletes the pod object.
import {readWindow, statusMark} from './collect.js'
import {nodeHostIPs, podContext} from './context.js'
import type {PodStateArgs, PodStateResult} from './types.js'
import {segmentAt} from './model.js'
import {jsonEqual, meta, num, obj, str} from './obj.js'
import {buildPodModel} from './pod-model.js'
import {buildStatus} from './status.js'
import {gracePeriodMs, stopTrack} from './stop.js'
import {floorSecond, parseTime} from './time.js'

export const UNKNOWN_STATUS_MESSAGE = 'The container could not be located when the pod was terminated'

export function terminatingPodState(args: Omit<PodStateArgs, 'podIP'> & Partial<Pick<PodStateArgs, 'podIP'>>): PodStateResult {
  const now = args.now.getTime()
  const m = meta(args.pod)
  const status = obj(args.pod.status) ?? {}
  const deletionAt = parseTime(m.deletionTimestamp) ?? now
  const graceMs = gracePeriodMs(args.pod)
  // The kubelet sees the deletion when it is requested: deletionTimestamp is that moment plus the grace period.
  const observed = deletionAt - (num(m.deletionGracePeriodSeconds) ?? 0) * 1000
  const phase = str(status.phase)
  const t0 = parseTime(status.startTime)
  if (t0 === undefined || phase === 'Succeeded' || phase === 'Failed') {
    // Nothing runs: the pod object can go at once.
    return {events: [], logs: [], deleteAt: new Date(Math.min(now, Math.max(observed, floorSecond(now))))}
  }
  const ctx = podContext(args)
  const since = args.since?.getTime() ?? statusMark(args.pod)
  const hostIPs = nodeHostIPs(args.node)
  const podIP = str(status.podIP) ?? (obj(args.pod.spec)?.hostNetwork === true ? hostIPs[0] : '')
  const model = buildPodModel({ctx, t0, since, now: Math.max(now, observed), podIP})
  const at = Math.max(observed, t0)
  let end = at
  // Regular and init containers first, sidecars once those have exited.
  model.tracks = model.tracks.map((track, i) => {
    if (track.role === 'sidecar') return track
    const stopped = stopTrack(ctx, model.behaviours[i], track, at, graceMs)
    if (stopped.finishedAt !== undefined && stopped.finishedAt > end) end = stopped.finishedAt
    return stopped
  })
  const sidecarsAt = end
  model.tracks = model.tracks.map((track, i) => {
    if (track.role !== 'sidecar') return track
    const stopped = stopTrack(ctx, model.behaviours[i], track, sidecarsAt, Math.max(0, graceMs - (sidecarsAt - at)))
    if (stopped.finishedAt !== undefined && stopped.finishedAt > end) end = stopped.finishedAt
    return stopped
  })
  // TerminatePod: whatever is not terminated by then is reported as an unknown failure.
  for (const track of model.tracks) {
    const seg = segmentAt(track, end)
    if (!seg || seg.state.kind === 'terminated') continue
    track.segments.push({from: end, state: {kind: 'terminated', exit: {at: end, exitCode: 137, reason: 'ContainerStatusUnknown', message: UNKNOWN_STATUS_MESSAGE}}, restartCount: seg.restartCount, last: seg.last, shown: seg.shown})
  }
  model.terminatedAt = end
  model.terminalAt = model.terminalAt !== undefined && model.terminalAt <= at ? model.terminalAt : end
  const next = buildStatus({model, now, podIP: podIP || undefined, hostIPs})
  const window = readWindow({model, since, now, podIP, hostIP: hostIPs[0], maxLogLines: args.maxLogLines ?? 1000})
  const result: PodStateResult = {events: window.events, logs: window.logs, deleteAt: new Date(end)}
  if (!jsonEqual(next, args.pod.status)) result.status = next
  if (window.restartedContainers.length > 0) result.restartedContainers = window.restartedContainers
  const wake = window.next !== undefined && window.next < end ? window.next : end > now ? end : undefined
  if (wake !== undefined) result.wakeAt = new Date(wake)
  return result
}
