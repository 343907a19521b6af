// The whole pod in the simulation: sandbox, init containers one after another (a sidecar lets the
// next one start once it has started), then the regular containers started in order, sidecars
// stopped when a job-like pod's containers are done, and the moment the pod turns terminal.
import {annotationProblems, containerBehaviour, podContainers, type ContainerBehaviour, type PodContext} from './behaviour.js'
import {buildTrack, eventId} from './container-track.js'
import {jittered} from './hash.js'
import type {ContainerTrack, TimedEvent} from './model.js'
import {gracePeriodMs, stopTrack} from './stop.js'
import {getPhase, viewAt, type PodPhase} from './views.js'

export interface PodModel {
  ctx: PodContext
  t0: number
  sandboxReadyAt: number
  behaviours: ContainerBehaviour[]
  tracks: ContainerTrack[]
  /** Pod-level events (annotation problems). */
  events: TimedEvent[]
  /** When the phase turned Succeeded or Failed (the sandbox is torn down then). */
  terminalAt?: number
  /** Set by termination: the final phase is forced terminal from then on. */
  terminatedAt?: number
}

export interface ModelInput {
  ctx: PodContext
  t0: number
  since: number
  now: number
  podIP: string
}

const TOO_FAR = Number.MAX_SAFE_INTEGER

export function buildPodModel(input: ModelInput): PodModel {
  const {ctx, t0} = input
  const timing = ctx.profile.timing
  const sync = timing.syncSeconds * 1000
  const sandboxReadyAt = t0 + jittered(timing.sandboxSeconds * 1000, timing.jitter, `${ctx.uid}/sandbox`)
  const behaviours = podContainers(ctx.pod).map(({c, role}) => containerBehaviour(ctx, c, role))
  const tracks: ContainerTrack[] = []
  const idle = (b: ContainerBehaviour): ContainerTrack => ({name: b.name, role: b.role, fieldPath: b.fieldPath, segments: [{from: t0, state: {kind: 'default'}, restartCount: 0}], attempts: [], events: []})
  let slot: number | undefined = sandboxReadyAt
  const pulled = new Map<string, number>()
  for (const b of behaviours) {
    if (slot === undefined) {
      tracks.push(idle(b))
      continue
    }
    const track = buildTrack({ctx, b, t0, slotStart: slot, since: input.since, now: input.now, podIP: input.podIP, pulled})
    tracks.push(track)
    if (b.role === 'init') slot = track.finishedAt !== undefined && track.succeeded ? track.finishedAt + sync : undefined
    else if (b.role === 'sidecar') {
      const first = track.attempts[0]
      slot = first && first.startedFrom < TOO_FAR ? first.startedFrom + sync : undefined
    } else slot = track.slotEnd
  }
  const model: PodModel = {ctx, t0, sandboxReadyAt, behaviours, tracks, events: []}
  stopSidecarsOfFinishedPod(model)
  const problems = annotationProblems(ctx, behaviours.map((b) => b.name))
  model.events = problems.map((message) => ({id: eventId(t0, undefined, 'InvalidAnnotation', message), at: t0, type: 'Warning', reason: 'InvalidAnnotation', message}))
  model.terminalAt = firstTerminalMoment(model)
  return model
}

/** When a job-like pod's regular containers are all done, the kubelet stops its sidecars. */
function stopSidecarsOfFinishedPod(model: PodModel): void {
  const {ctx} = model
  if (ctx.restartPolicy === 'Always') return
  const regular = model.tracks.filter((t) => t.role === 'regular')
  const sidecars = model.tracks.map((t, i) => ({t, i})).filter(({t}) => t.role === 'sidecar')
  if (sidecars.length === 0 || regular.length === 0 || regular.some((t) => t.finishedAt === undefined)) return
  const at = Math.max(...regular.map((t) => t.finishedAt!)) + ctx.profile.timing.syncSeconds * 1000
  const grace = gracePeriodMs({spec: ctx.pod.spec})
  for (const {t, i} of sidecars) model.tracks[i] = stopTrack(ctx, model.behaviours[i], t, at, grace)
}

/** Every instant at which some container's state, readiness or start changes. */
export function moments(model: PodModel, upTo: number): number[] {
  const set = new Set<number>([model.t0, model.sandboxReadyAt])
  for (const track of model.tracks) {
    for (const s of track.segments) set.add(s.from)
    for (const a of track.attempts) {
      if (Number.isFinite(a.startedFrom)) set.add(a.startedFrom)
      if (Number.isFinite(a.readyFrom)) set.add(a.readyFrom)
    }
  }
  if (model.terminalAt !== undefined) set.add(model.terminalAt)
  return [...set].filter((t) => t <= upTo).sort((a, b) => a - b)
}

export function phaseAt(model: PodModel, t: number): PodPhase {
  const views = model.behaviours.map((b, i) => viewAt(b, model.tracks[i], t))
  const terminal = model.terminatedAt !== undefined && t >= model.terminatedAt
  return getPhase(views, model.ctx.restartPolicy, terminal)
}

function firstTerminalMoment(model: PodModel): number | undefined {
  for (const t of moments(model, TOO_FAR)) {
    const phase = phaseAt(model, t)
    if (phase === 'Succeeded' || phase === 'Failed') return t
  }
  return undefined
}
