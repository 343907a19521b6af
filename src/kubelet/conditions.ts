// The pod conditions the kubelet owns (pkg/kubelet/status/generate.go), their order in the status,
// and when each last changed: the status manager keeps a condition's lastTransitionTime while its
// status stays the same.
import type {PodModel} from './pod-model.js'
import {moments, phaseAt} from './pod-model.js'
import {obj, objs, str, type Obj} from './obj.js'
import {gates} from './release.js'
import {viewAt, type ContainerView, type PodPhase} from './views.js'

export interface ConditionValue {
  type: string
  status: 'True' | 'False'
  reason?: string
  message?: string
}

/** Condition types the kubelet writes; others (readiness gates, DisruptionTarget) are kept as they are. */
export const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers', 'PodResizePending', 'PodResizeInProgress'])

/** Go's %s of a []string: [a b]. */
function goList(names: string[]): string {
  return `[${names.join(' ')}]`
}

function containersReady(views: ContainerView[], phase: PodPhase): ConditionValue {
  const type = 'ContainersReady'
  if (phase === 'Succeeded') return {type, status: 'False', reason: 'PodCompleted'}
  if (phase === 'Failed') return {type, status: 'False', reason: 'PodFailed'}
  const unready = views.filter((v) => v.b.role !== 'init' && !v.ready).map((v) => v.b.name)
  if (unready.length > 0) return {type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${goList(unready)}`}
  return {type, status: 'True'}
}

function ready(views: ContainerView[], phase: PodPhase, pod: Obj): ConditionValue {
  const cr = containersReady(views, phase)
  if (cr.status !== 'True') return {...cr, type: 'Ready'}
  const current = objs(obj(pod.status)?.conditions)
  const problems: string[] = []
  for (const gate of objs(obj(pod.spec)?.readinessGates)) {
    const type = str(gate.conditionType) ?? ''
    const c = current.find((x) => x.type === type)
    if (!c) problems.push(`corresponding condition of pod readiness gate ${JSON.stringify(type)} does not exist.`)
    else if (c.status !== 'True') problems.push(`the status of pod readiness gate ${JSON.stringify(type)} is not "True", but ${String(c.status)}`)
  }
  if (problems.length > 0) return {type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: problems.join(', ')}
  return {type: 'Ready', status: 'True'}
}

function initialized(views: ContainerView[], phase: PodPhase): ConditionValue {
  const type = 'Initialized'
  if (phase === 'Succeeded') return {type, status: 'True', reason: 'PodCompleted'}
  if (views.some((v) => v.b.role === 'regular' && (v.state.kind === 'running' || v.state.kind === 'terminated'))) return {type, status: 'True'}
  const incomplete = views.filter((v) => (v.b.role === 'init' && !v.ready) || (v.b.role === 'sidecar' && !v.started)).map((v) => v.b.name)
  if (incomplete.length > 0) return {type, status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${goList(incomplete)}`}
  return {type, status: 'True'}
}

export function sandboxUp(model: PodModel, t: number): boolean {
  if (t < model.sandboxReadyAt) return false
  if (model.terminalAt !== undefined && t >= model.terminalAt) return false
  return true
}

/** The kubelet's conditions at `t`, in the order it writes them (PodScheduled comes last, separately). */
export function conditionsAt(model: PodModel, t: number): {phase: PodPhase; views: ContainerView[]; conditions: ConditionValue[]} {
  const views = model.behaviours.map((b, i) => viewAt(b, model.tracks[i], t))
  const phase = phaseAt(model, t)
  const conditions: ConditionValue[] = []
  if (gates.podReadyToStartContainers(model.ctx.release)) conditions.push({type: 'PodReadyToStartContainers', status: sandboxUp(model, t) ? 'True' : 'False'})
  conditions.push(initialized(views, phase), ready(views, phase, model.ctx.pod), containersReady(views, phase))
  return {phase, views, conditions}
}

/** For each condition type, when its status last changed at or before `now`. */
export function transitionTimes(model: PodModel, now: number): Map<string, number> {
  const since = new Map<string, {status: string; at: number}>()
  for (const t of moments(model, now)) {
    for (const c of conditionsAt(model, t).conditions) {
      const prev = since.get(c.type)
      if (!prev || prev.status !== c.status) since.set(c.type, {status: c.status, at: t})
    }
  }
  return new Map([...since].map(([type, v]) => [type, v.at]))
}
