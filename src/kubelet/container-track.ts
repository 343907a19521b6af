// One container's life in the simulation, the way the kubelet drives it: pull (or find) the image,
// create, start, run until it exits, restart with the crash-loop back-off (10s doubling to 5m, the
// first restart immediate), or retry a failing pull with the image back-off.
import type {ContainerBehaviour, PodContext} from './behaviour.js'
import {jittered, sha256Hex} from './hash.js'
import * as msg from './messages.js'
import type {Attempt, ContainerTrack, Exit, Segment} from './model.js'
import {failingProbeOffsets, probeFailureOutput, readyOffset, startedOffset} from './probes.js'

export interface TrackInput {
  ctx: PodContext
  b: ContainerBehaviour
  /** When the pod was first synced: the container shows its default waiting state from then. */
  t0: number
  /** When the kubelet first gets to this container. */
  slotStart: number
  /** Periodic events at or before this are not generated (they were reported already). */
  since: number
  /** Generation stops at the first moment past this. */
  now: number
  /** The pod's IP, for probe failure texts. */
  podIP: string
  /** Images pulled for the pod's earlier containers, and when each pull finished: the node has them then. */
  pulled: Map<string, number>
}

interface BackOffEntry {
  backoff: number
  lastUpdate: number
}

/** client-go's flowcontrol.Backoff.Next: reset when stable for twice the maximum, else double. */
function nextBackOff(e: BackOffEntry | undefined, eventTime: number, at: number, initial: number, max: number): BackOffEntry {
  if (!e || eventTime - e.lastUpdate > 2 * max) return {backoff: initial, lastUpdate: at}
  return {backoff: Math.min(e.backoff * 2, max), lastUpdate: at}
}

function inBackOffSince(e: BackOffEntry | undefined, eventTime: number, at: number, max: number): boolean {
  if (!e || eventTime - e.lastUpdate > 2 * max) return false
  return at - eventTime < e.backoff
}

export function containerID(ctx: PodContext, name: string, attempt: number): string {
  return `${ctx.runtime}://${sha256Hex(`container:${ctx.uid}/${name}/${attempt}`)}`
}

export function eventId(at: number, fieldPath: string | undefined, reason: string, message: string): string {
  return `${at.toString(36)}-${sha256Hex(`${fieldPath ?? ''}|${reason}|${message}`).slice(0, 12)}`
}

class TrackBuilder {
  readonly track: ContainerTrack
  private readonly ctx: PodContext
  private readonly b: ContainerBehaviour
  private readonly input: TrackInput

  constructor(input: TrackInput) {
    this.input = input
    this.ctx = input.ctx
    this.b = input.b
    this.track = {name: input.b.name, role: input.b.role, fieldPath: input.b.fieldPath, segments: [{from: input.t0, state: {kind: 'default'}, restartCount: 0}], attempts: [], events: []}
  }

  ms(what: string, attempt: number, seconds: number): number {
    return jittered(seconds * 1000, this.ctx.profile.timing.jitter, `${this.ctx.uid}/${this.b.name}/${attempt}/${what}`)
  }

  event(at: number, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const fieldPath = this.b.fieldPath
    this.track.events.push({id: eventId(at, fieldPath, reason, message), at, type, reason, message, fieldPath})
  }

  segment(s: Segment): void {
    this.track.segments.push(s)
  }

  /** Repeats `emit` at from, from + every, … before `until`, skipping those reported already. */
  periodic(from: number, every: number, until: number, emit: (t: number) => void): void {
    if (!(from < until)) return
    const {since, now} = this.input
    let k = since >= from ? Math.floor((since - from) / every) + 1 : 0
    for (;; k++) {
      const t = from + k * every
      if (t >= until) return
      emit(t)
      if (t > now) return
    }
  }

  build(): ContainerTrack {
    const {ctx, b} = this
    const {timing, backOff} = ctx.profile
    const initial = backOff.initialSeconds * 1000, max = backOff.maxSeconds * 1000
    const sync = timing.syncSeconds * 1000, resync = timing.resyncSeconds * 1000
    const {now} = this.input
    let t = this.input.slotStart
    let index = 0
    let restartCount = 0
    let crash: BackOffEntry | undefined
    let pull: BackOffEntry | undefined
    let last: Segment['last']
    let pulled = false
    let pullTries = 0
    for (;;) {
      if (t > now) {
        this.track.nextAt = t
        break
      }
      // Image.
      if (b.neverPullMissing) {
        this.segment({from: t, state: {kind: 'waiting', reason: 'ErrImageNeverPull', message: msg.neverPullMessage(b.image)}, restartCount, last})
        this.track.slotEnd ??= t
        this.periodic(t, resync, Infinity, (at) => {
          this.event(at, 'Warning', msg.REASON.neverPull, msg.neverPullMessage(b.image))
          this.event(at, 'Warning', msg.REASON.failed, msg.errorMessage('ErrImageNeverPull'))
        })
        break
      }
      const cachedAt = this.input.pulled.get(b.ref.normalized)
      // An image meant to fail is never found, whoever else pulled the same name.
      const onNode = !b.pullFails && (pulled || b.presentOnNode || (cachedAt !== undefined && cachedAt <= t))
      const needPull = b.pullPolicy === 'Always' || (!onNode && b.pullPolicy !== 'Never')
      if (needPull) {
        this.event(t, 'Normal', msg.REASON.pulling, msg.pullingMessage(b.image))
        if (b.pullFails) {
          const failedAt = t + this.ms('pullfail', pullTries, timing.pullFailSeconds)
          pullTries++
          this.event(failedAt, 'Warning', msg.REASON.failed, msg.pullFailedMessage(b.image, b.pullError))
          this.event(failedAt, 'Warning', msg.REASON.failed, msg.errorMessage('ErrImagePull'))
          this.segment({from: failedAt, state: {kind: 'waiting', reason: 'ErrImagePull', message: b.pullError}, restartCount, last, shown: this.track.attempts.at(-1)})
          this.track.slotEnd ??= failedAt
          pull = nextBackOff(pull, failedAt, failedAt, initial, max)
          const retryAt = failedAt + pull.backoff
          const firstSync = failedAt + sync
          if (firstSync < retryAt) {
            const waiting = msg.pullBackOffWaitingMessage(ctx.release, b.image, b.pullError)
            this.segment({from: firstSync, state: {kind: 'waiting', reason: 'ImagePullBackOff', message: waiting}, restartCount, last, shown: this.track.attempts.at(-1)})
            this.periodic(firstSync, resync, retryAt, (at) => {
              this.event(at, 'Normal', msg.REASON.backOff, msg.pullBackOffEventMessage(b.image))
              this.event(at, 'Warning', msg.REASON.failed, msg.errorMessage('ImagePullBackOff'))
            })
          }
          t = retryAt
          continue
        }
        const seconds = onNode ? timing.cachedPullSeconds : b.pullSeconds
        const pullMs = this.ms('pull', index, seconds)
        // "including waiting" adds the time queued behind other pulls and the bookkeeping around it.
        const totalMs = pullMs + Math.round(this.ms('pullwait', index, 0.02))
        this.event(t + totalMs, 'Normal', msg.REASON.pulled, msg.pulledMessage(ctx.release, b.image, pullMs, totalMs, b.sizeBytes))
        t += totalMs
        pulled = true
        if (!this.input.pulled.has(b.ref.normalized)) this.input.pulled.set(b.ref.normalized, t)
      } else {
        this.event(t, 'Normal', msg.REASON.pulled, msg.alreadyPresentMessage(ctx.release, b.image))
        pulled = true
      }
      // Create and start.
      const createdAt = t + this.ms('create', index, timing.createSeconds)
      const startedAt = createdAt + this.ms('start', index, timing.startSeconds)
      this.event(createdAt, 'Normal', msg.REASON.created, msg.createdMessage(ctx.release, b.name))
      this.event(startedAt, 'Normal', msg.REASON.started, msg.startedMessage(ctx.release, b.name))
      const startedOff = startedOffset(b.spec)
      const unready = b.simulate === 'unready'
      const attempt: Attempt = {
        index,
        containerID: containerID(ctx, b.name, index),
        image: b.ref.normalized,
        imageID: b.imageID,
        createdAt,
        startedAt,
        startedFrom: startedAt + startedOff,
        readyFrom: startedAt + readyOffset(b.spec, startedOff, unready),
      }
      if (b.run.kind === 'exit') {
        const at = startedAt + this.ms('run', index, b.run.ms / 1000)
        attempt.exit = {at, exitCode: b.run.exitCode, reason: b.run.reason}
      }
      this.track.attempts.push(attempt)
      restartCount = index
      this.segment({from: startedAt, state: {kind: 'running', attempt}, restartCount, last})
      this.track.slotEnd ??= startedAt
      if (unready && b.role !== 'init') {
        const output = probeFailureOutput(b.spec, ctx.profile.probeFailures, this.input.podIP)
        const end = attempt.exit?.at ?? Infinity
        const from = Math.max(0, this.input.since - startedAt)
        for (const off of failingProbeOffsets(b.spec, startedOff, from, now - startedAt, 10_000)) {
          const at = startedAt + off
          if (at >= end) break
          if (at > this.input.since) this.event(at, 'Warning', msg.REASON.unhealthy, msg.unhealthyMessage('Readiness', output))
        }
      }
      if (!attempt.exit) break
      const exit: Exit = attempt.exit
      this.segment({from: exit.at, state: {kind: 'terminated', attempt, exit}, restartCount, last})
      last = {attempt, exit}
      const restart = b.restartPolicy === 'Always' || (b.restartPolicy === 'OnFailure' && exit.exitCode !== 0)
      if (!restart) {
        this.track.finishedAt = exit.at
        this.track.succeeded = exit.exitCode === 0
        break
      }
      // The next sync sees the exited container; doBackOff keys the back-off on its finish time.
      const firstSync = exit.at + sync
      let restartAt = firstSync
      if (inBackOffSince(crash, exit.at, firstSync, max)) {
        const backoff = crash!.backoff
        restartAt = exit.at + backoff
        const waiting = msg.crashBackOffWaitingMessage(backoff, b.name, ctx.desc)
        this.segment({from: firstSync, state: {kind: 'waiting', reason: 'CrashLoopBackOff', message: waiting}, restartCount, last, shown: attempt})
        this.periodic(firstSync, resync, restartAt, (at) => this.event(at, 'Warning', msg.REASON.backOff, msg.crashBackOffEventMessage(b.name, ctx.desc)))
      }
      crash = nextBackOff(crash, exit.at, restartAt, initial, max)
      index++
      t = restartAt
    }
    return this.track
  }
}

export function buildTrack(input: TrackInput): ContainerTrack {
  return new TrackBuilder(input).build()
}

/** The track as it stands at `t`: nothing after it (used before stopping or cutting it off). */
export function cutTrack(track: ContainerTrack, t: number): ContainerTrack {
  const attempts = track.attempts.filter((a) => a.createdAt <= t).map((a) => (a.exit && a.exit.at > t ? {...a, exit: undefined} : a))
  const byIndex = new Map(attempts.map((a) => [a.index, a]))
  const fix = (a: Attempt): Attempt => byIndex.get(a.index) ?? a
  const segments = track.segments
    .filter((s) => s.from <= t)
    .map((s): Segment => {
      const state = s.state.kind === 'running' ? {...s.state, attempt: fix(s.state.attempt)} : s.state.kind === 'terminated' && s.state.attempt ? {...s.state, attempt: fix(s.state.attempt)} : s.state
      return {...s, state, shown: s.shown && fix(s.shown)}
    })
  const finished = track.finishedAt !== undefined && track.finishedAt <= t
  return {
    ...track,
    attempts,
    segments,
    events: track.events.filter((e) => e.at <= t),
    finishedAt: finished ? track.finishedAt : undefined,
    succeeded: finished ? track.succeeded : undefined,
    slotEnd: track.slotEnd !== undefined && track.slotEnd <= t ? track.slotEnd : undefined,
    nextAt: undefined,
  }
}
