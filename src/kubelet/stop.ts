// Stopping a container the way the kubelet does: a Killing event, the preStop hook, SIGTERM, and
// SIGKILL (exit 137) if the grace period runs out first.
import type {ContainerBehaviour, PodContext} from './behaviour.js'
import {eventId, cutTrack} from './container-track.js'
import {jittered} from './hash.js'
import * as msg from './messages.js'
import {segmentAt, type Attempt, type ContainerTrack, type Exit} from './model.js'
import {num, obj, str, type Obj} from './obj.js'

/** How long the preStop hook takes: a sleep action, or an exec of `sleep N`; other hooks are quick. */
export function preStopMs(container: Obj): number {
  const hook = obj(obj(container.lifecycle)?.preStop)
  if (!hook) return 0
  const sleep = num(obj(hook.sleep)?.seconds)
  if (sleep !== undefined) return sleep * 1000
  const cmd = obj(hook.exec)?.command
  if (Array.isArray(cmd)) {
    const text = cmd.map((x) => str(x) ?? '').join(' ')
    const m = /(?:^|[\s;&])sleep\s+(\d+(?:\.\d+)?)(?:$|[\s;&])/.exec(text)
    if (m) return Number(m[1]) * 1000
  }
  return 100
}

/** The grace period of a stop: the deletion's, else the pod's terminationGracePeriodSeconds (default 30). */
export function gracePeriodMs(pod: Obj): number {
  const m = obj(pod.metadata) ?? {}
  const s = obj(pod.spec) ?? {}
  const seconds = num(m.deletionGracePeriodSeconds) ?? num(s.terminationGracePeriodSeconds) ?? 30
  return Math.max(0, seconds) * 1000
}

/**
 * The track cut off at `at`, where the kubelet decides to stop the container: a running instance
 * gets a Killing event and exits after its preStop hook and SIGTERM, or is killed when the grace
 * period ends. Nothing restarts after `at`.
 */
export function stopTrack(ctx: PodContext, b: ContainerBehaviour, track: ContainerTrack, at: number, graceMs: number): ContainerTrack {
  const cut = cutTrack(track, at)
  const seg = segmentAt(cut, at)
  if (!seg || seg.state.kind !== 'running') return cut
  const running = seg.state.attempt
  const message = msg.killingMessage(b.name)
  cut.events.push({id: eventId(at, b.fieldPath, msg.REASON.killing, message), at, type: 'Normal', reason: msg.REASON.killing, message, fieldPath: b.fieldPath})
  const hookMs = Math.min(preStopMs(b.spec), graceMs)
  const termMs = jittered(b.stop.seconds * 1000, ctx.profile.timing.jitter, `${ctx.uid}/${b.name}/${running.index}/stop`)
  let exit: Exit
  if (b.stop.ignoreSigterm || hookMs + termMs > graceMs) exit = {at: at + graceMs, exitCode: 137, reason: 'Error'}
  else exit = {at: at + hookMs + termMs, exitCode: b.stop.exitCode, reason: b.stop.exitCode === 0 ? 'Completed' : 'Error'}
  const stopped: Attempt = {...running, exit, stopRequestedAt: at + hookMs}
  const swap = (a: Attempt): Attempt => (a.index === stopped.index ? stopped : a)
  cut.attempts = cut.attempts.map(swap)
  cut.segments = cut.segments.map((s) => ({
    ...s,
    state: s.state.kind === 'running' ? {...s.state, attempt: swap(s.state.attempt)} : s.state.kind === 'terminated' && s.state.attempt ? {...s.state, attempt: swap(s.state.attempt)} : s.state,
    last: s.last && {...s.last, attempt: swap(s.last.attempt)},
    shown: s.shown && swap(s.shown),
  }))
  cut.segments.push({from: exit.at, state: {kind: 'terminated', attempt: stopped, exit}, restartCount: seg.restartCount, last: seg.last})
  cut.finishedAt = exit.at
  cut.succeeded = exit.exitCode === 0
  return cut
}
