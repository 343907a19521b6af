// The simulated kubelet's entry point for a pod bound to a simulated node: given the pod as stored
// and the time, the status to write, the events and log lines since the last call, and when to call
// again. Pure: the same pod, profile and time give the same answer.
import {readWindow, statusMark} from './collect.js'
import {nodeHostIPs, podContext} from './context.js'
import {jittered} from './hash.js'
import {jsonEqual, meta, obj, spec, str} from './obj.js'
import {buildPodModel} from './pod-model.js'
import type {PodStateArgs, PodStateResult} from './types.js'
import {buildStatus} from './status.js'
import {terminatingPodState} from './termination.js'
import {floorSecond, parseTime} from './time.js'

export type {PodStateArgs, PodStateResult} from './types.js'

export function nextPodState(args: PodStateArgs): PodStateResult {
  if (meta(args.pod).deletionTimestamp) return terminatingPodState(args)
  const now = args.now.getTime()
  const ctx = podContext(args)
  const status = obj(args.pod.status) ?? {}
  const t0 = parseTime(status.startTime) ?? floorSecond(now)
  const since = args.since?.getTime() ?? statusMark(args.pod)
  const hostIPs = nodeHostIPs(args.node)
  const timing = ctx.profile.timing
  const sandboxAt = t0 + jittered(timing.sandboxSeconds * 1000, timing.jitter, `${ctx.uid}/sandbox`)
  const hostNetwork = spec(args.pod).hostNetwork === true
  let podIP = str(status.podIP)
  if (!podIP && hostNetwork) podIP = hostIPs[0]
  if (!podIP && now >= sandboxAt) podIP = args.podIP(args.pod)
  const model = buildPodModel({ctx, t0, since, now, podIP: podIP ?? ''})
  const next = buildStatus({model, now, podIP, hostIPs})
  const window = readWindow({model, since, now, podIP: podIP ?? '', hostIP: hostIPs[0], maxLogLines: args.maxLogLines ?? 1000})
  const result: PodStateResult = {events: window.events, logs: window.logs}
  if (!jsonEqual(next, args.pod.status)) result.status = next
  if (window.restartedContainers.length > 0) result.restartedContainers = window.restartedContainers
  if (window.next !== undefined) result.wakeAt = new Date(window.next)
  if (window.nextState !== undefined) result.stateWakeAt = new Date(window.nextState)
  return result
}
