// The pod status the kubelet writes (generateAPIPodStatus and the status manager's merge): phase,
// conditions, IPs, start time, QoS class and one status per container, in the API's field order.
import {KUBELET_CONDITIONS, conditionsAt, sandboxUp, transitionTimes, type ConditionValue} from './conditions.js'
import type {Attempt, Exit} from './model.js'
import {num, obj, objs, str, type Obj} from './obj.js'
import type {PodModel} from './pod-model.js'
import {qosClass} from './qos.js'
import {gates} from './release.js'
import {rfc3339} from './time.js'
import type {ContainerView} from './views.js'

export interface StatusInput {
  model: PodModel
  now: number
  podIP?: string
  hostIPs: string[]
}

function terminated(attempt: Attempt | undefined, exit: Exit): Obj {
  const t: Obj = {exitCode: exit.exitCode, reason: exit.reason}
  if (exit.message) t.message = exit.message
  if (attempt) {
    t.startedAt = rfc3339(attempt.startedAt)
    t.finishedAt = rfc3339(exit.at)
    t.containerID = attempt.containerID
  }
  return t
}

function stateOf(v: ContainerView, hasInit: boolean): Obj {
  const s = v.state
  switch (s.kind) {
    case 'default':
      return {waiting: {reason: hasInit ? 'PodInitializing' : 'ContainerCreating'}}
    case 'waiting':
      return {waiting: s.message ? {reason: s.reason, message: s.message} : {reason: s.reason}}
    case 'running':
      return {running: {startedAt: rfc3339(s.attempt.startedAt)}}
    case 'terminated':
      return {terminated: terminated(s.attempt, s.exit)}
  }
}

function resourcesOf(spec: Obj): Obj {
  const r = obj(spec.resources) ?? {}
  const out: Obj = {}
  for (const k of ['limits', 'requests', 'claims']) if (r[k] !== undefined) out[k] = structuredClone(r[k])
  return out
}

function volumeMounts(spec: Obj): Obj[] {
  return objs(spec.volumeMounts).map((m) => {
    const out: Obj = {name: m.name, mountPath: m.mountPath}
    if (m.readOnly === true) {
      out.readOnly = true
      // Without a runtime that enforces it, recursive read-only stays Disabled unless asked for.
      out.recursiveReadOnly = m.recursiveReadOnly === 'Enabled' || m.recursiveReadOnly === 'IfPossible' ? 'Enabled' : 'Disabled'
    }
    return out
  })
}

/** The process identity a containerd 2 runtime reports: uid/gid from the security context, groups added. */
function userOf(pod: Obj, spec: Obj): Obj {
  const podSc = obj(obj(pod.spec)?.securityContext) ?? {}
  const sc = obj(spec.securityContext) ?? {}
  const uid = num(sc.runAsUser) ?? num(podSc.runAsUser) ?? 0
  const gid = num(sc.runAsGroup) ?? num(podSc.runAsGroup) ?? 0
  const groups = [gid, ...(Array.isArray(podSc.supplementalGroups) ? podSc.supplementalGroups.filter((g): g is number => typeof g === 'number') : [])]
  const fsGroup = num(podSc.fsGroup)
  if (fsGroup !== undefined) groups.push(fsGroup)
  return {linux: {uid, gid, supplementalGroups: [...new Set(groups)]}}
}

function containerStatus(model: PodModel, v: ContainerView, hasInit: boolean): Obj {
  const {release} = model.ctx
  const spec = v.b.spec
  const shown = v.shown
  const out: Obj = {name: v.b.name, state: stateOf(v, hasInit)}
  const last = v.seg.last
  out.lastState = last ? {terminated: terminated(last.attempt, last.exit)} : {}
  out.ready = v.ready
  out.restartCount = v.seg.restartCount
  out.image = shown ? shown.image : v.b.image
  out.imageID = shown ? shown.imageID : ''
  if (shown) out.containerID = shown.containerID
  out.started = v.started
  if (shown && gates.allocatedResourcesStatus(release)) {
    const requests = obj(obj(spec.resources)?.requests)
    if (requests && Object.keys(requests).length > 0) out.allocatedResources = structuredClone(requests)
  }
  if (shown && gates.containerResourcesStatus(release)) out.resources = resourcesOf(spec)
  if (gates.volumeMountStatus(release)) {
    const mounts = volumeMounts(spec)
    if (mounts.length > 0) out.volumeMounts = mounts
  }
  // Only containerd 2 reports the user; 1.7 leaves it out.
  if (shown && gates.containerUserStatus(release) && /^containerd:\/\/([2-9]|\d\d)\./.test(model.ctx.runtimeVersion)) {
    out.user = userOf(model.ctx.pod, spec)
  }
  return out
}

function conditionJson(c: ConditionValue, at: number | string, generation: number | undefined): Obj {
  const out: Obj = {type: c.type}
  if (generation !== undefined) out.observedGeneration = generation
  out.status = c.status
  out.lastProbeTime = null
  out.lastTransitionTime = typeof at === 'string' ? at : rfc3339(at)
  if (c.reason) out.reason = c.reason
  if (c.message) out.message = c.message
  return out
}

export function buildStatus(input: StatusInput): Obj {
  const {model, now} = input
  const {ctx} = model
  const pod = ctx.pod
  const old = obj(pod.status) ?? {}
  const generation = gates.observedGeneration(ctx.release) ? (num(obj(pod.metadata)?.generation) ?? 1) : undefined
  const {phase: computed, views, conditions} = conditionsAt(model, now)
  // Pods never leave a terminal phase.
  const oldPhase = str(old.phase)
  const phase = oldPhase === 'Succeeded' || oldPhase === 'Failed' ? oldPhase : computed
  const times = transitionTimes(model, now)
  const status: Obj = {}
  if (generation !== undefined) status.observedGeneration = generation
  status.phase = phase
  const oldConditions = objs(old.conditions)
  const kept = oldConditions.filter((c) => !KUBELET_CONDITIONS.has(String(c.type))).map((c) => structuredClone(c))
  const scheduled = oldConditions.find((c) => c.type === 'PodScheduled' && c.status === 'True')
  status.conditions = [
    ...kept,
    ...conditions.map((c) => conditionJson(c, times.get(c.type) ?? model.t0, generation)),
    conditionJson(
      {type: 'PodScheduled', status: 'True'},
      str(scheduled?.lastTransitionTime) ?? model.t0,
      generation === undefined ? undefined : (num(scheduled?.observedGeneration) ?? generation),
    ),
  ]
  if (phase === oldPhase) {
    if (str(old.message)) status.message = old.message
    if (str(old.reason)) status.reason = old.reason
  }
  if (str(old.nominatedNodeName)) status.nominatedNodeName = old.nominatedNodeName
  if (input.hostIPs.length > 0) {
    status.hostIP = input.hostIPs[0]
    if (gates.hostIPs(ctx.release)) status.hostIPs = input.hostIPs.map((ip) => ({ip}))
  }
  const hostNetwork = obj(pod.spec)?.hostNetwork === true
  const podIP = hostNetwork ? input.hostIPs[0] : input.podIP
  if (podIP && (hostNetwork || sandboxUp(model, now) || str(old.podIP))) {
    status.podIP = podIP
    status.podIPs = [{ip: podIP}]
  }
  status.startTime = rfc3339(model.t0)
  const hasInit = model.behaviours.some((b) => b.role !== 'regular')
  const init = views.filter((v) => v.b.role !== 'regular').map((v) => containerStatus(model, v, hasInit))
  const regular = views.filter((v) => v.b.role === 'regular').map((v) => containerStatus(model, v, hasInit))
  if (init.length > 0) status.initContainerStatuses = init
  status.containerStatuses = regular
  status.qosClass = qosClass(pod)
  if (Array.isArray(old.resourceClaimStatuses)) status.resourceClaimStatuses = structuredClone(old.resourceClaimStatuses)
  return status
}
