// A pod's containers as the kubelet sees them at one instant, and the pod phase that follows
// (kubelet_pods.go getPhase, without the alpha ContainerRestartRules).
import type {ContainerBehaviour, RestartPolicy} from './behaviour.js'
import {segmentAt, type Attempt, type ContainerState, type ContainerTrack, type Segment} from './model.js'

export interface ContainerView {
  b: ContainerBehaviour
  track: ContainerTrack
  seg: Segment
  state: ContainerState
  ready: boolean
  started: boolean
  /** The instance whose id and image the status shows. */
  shown?: Attempt
}

export function viewAt(b: ContainerBehaviour, track: ContainerTrack, t: number): ContainerView {
  const seg = segmentAt(track, t) ?? {from: t, state: {kind: 'default'}, restartCount: 0}
  const state = seg.state
  let ready = false, started = false
  let shown = seg.shown
  if (state.kind === 'running') {
    shown = state.attempt
    started = t >= state.attempt.startedFrom
    // A regular init container is only ready once it has completed.
    ready = b.role !== 'init' && started && t >= state.attempt.readyFrom
  } else if (state.kind === 'terminated') {
    shown = state.attempt ?? seg.shown
    // A regular init container is ready once it has completed.
    ready = b.role === 'init' && state.exit.exitCode === 0
  }
  return {b, track, seg, state, ready, started, shown}
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed'

export function getPhase(views: ContainerView[], restartPolicy: RestartPolicy, podIsTerminal: boolean): PodPhase {
  let pendingInit = 0, pendingSidecars = 0, failedInit = 0
  let unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0
  const regularStarted = views.some((v) => v.b.role === 'regular' && v.state.kind === 'running')
  for (const v of views) {
    const s = v.state
    if (v.b.role === 'init') {
      if (s.kind === 'terminated') {
        if (s.exit.exitCode !== 0) failedInit++
      } else if (s.kind === 'waiting' && v.seg.last) {
        if (v.seg.last.exit.exitCode !== 0) failedInit++
      } else pendingInit++
    } else if (v.b.role === 'sidecar') {
      if (s.kind === 'running') {
        if (!v.started) pendingSidecars++
        running++
      } else if (s.kind === 'waiting' || s.kind === 'default') {
        if (!v.seg.last) {
          pendingSidecars++
          waiting++
        }
      }
    } else {
      if (s.kind === 'running') running++
      else if (s.kind === 'terminated') {
        stopped++
        if (s.exit.exitCode === 0) succeeded++
      } else if (v.seg.last) stopped++
      else waiting++
    }
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed'
  if (pendingInit > 0 || (pendingSidecars > 0 && !regularStarted) || waiting > 0) return 'Pending'
  if (running > 0 && unknown === 0) return 'Running'
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed'
    if (restartPolicy === 'Always') return 'Running'
    if (stopped === succeeded) return 'Succeeded'
    if (restartPolicy === 'Never') return 'Failed'
    return 'Running'
  }
  return 'Pending'
}
