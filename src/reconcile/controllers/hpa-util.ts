// The arithmetic of the horizontal pod autoscaler (pkg/controller/podautoscaler), kept pure: the
// replica count a Resource metric asks for (replica_calculator.go: ready, unready and missing pods,
// the 10 % tolerance, the rebalancing that never reverses direction), the stabilization window, and
// the scale-rate policies of spec.behavior with their defaults.
import type {Obj} from '../../apiserver/types.js'

export const TOLERANCE = 0.1
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000
export const DELAY_OF_INITIAL_READINESS_MS = 30_000

export interface PodSample {
  name: string
  /** Sum of the containers' requests for the resource (milli-units), undefined when one is missing. */
  request: number | undefined
  /** Usage in milli-units, undefined without metrics. */
  usage: number | undefined
  phase: string
  deleting: boolean
  /** The Ready condition: its status and when it last changed. */
  readyCondition?: {ready: boolean; since: number}
  startTime?: number
}

export interface ResourceResult {
  replicas: number
  /** Average utilization in percent of requests (Utilization targets). */
  utilization: number
  /** Average usage per pod in milli-units. */
  averageValue: number
}

/** groupPods: which pods count, which are not ready yet (CPU only), which have no metrics. */
function groupPods(pods: PodSample[], cpu: boolean, now: number, windowMs: number, sampledAt: number) {
  const ready: PodSample[] = [], unready: PodSample[] = [], missing: PodSample[] = []
  for (const p of pods) {
    if (p.deleting || p.phase === 'Failed') continue
    if (p.phase === 'Pending') {
      unready.push(p)
      continue
    }
    if (p.usage === undefined) {
      missing.push(p)
      continue
    }
    if (cpu) {
      let isUnready: boolean
      const rc = p.readyCondition
      if (!rc || p.startTime === undefined) isUnready = true
      // Still starting: unready, or ready for less than one metrics window.
      else if (p.startTime + CPU_INITIALIZATION_PERIOD_MS > now) isUnready = !rc.ready || sampledAt < rc.since + windowMs
      // Later: only a pod that has never been ready is left out.
      else isUnready = !rc.ready && p.startTime + DELAY_OF_INITIAL_READINESS_MS > rc.since
      if (isUnready) {
        unready.push(p)
        continue
      }
    }
    ready.push(p)
  }
  return {ready, unready, missing}
}

/**
 * GetResourceReplicas: `target` is a utilization in percent (or, with `averageValue`, milli-units
 * per pod). Throws the controller's errors for missing requests or metrics.
 */
export function resourceReplicas(current: number, pods: PodSample[], resource: string, target: number, kind: 'Utilization' | 'AverageValue', now: number, windowMs: number, sampledAt: number): ResourceResult {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count')
  const withMetrics = pods.filter((p) => p.usage !== undefined)
  if (withMetrics.length === 0) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`)
  const {ready, unready, missing} = groupPods(pods, resource === 'cpu', now, windowMs, sampledAt)
  const counted = ready
  const usageOf = (ps: PodSample[]) => ps.reduce((s, p) => s + (p.usage ?? 0), 0)
  let requestOf = (ps: PodSample[]) => ps.reduce((s, p) => s + (p.request ?? 0), 0)
  if (kind === 'Utilization') {
    for (const p of pods) if (p.request === undefined || p.request === 0) throw new Error(`missing request for ${resource} in pod ${p.name}`)
  } else {
    requestOf = (ps) => ps.length * target
  }
  if (counted.length === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)')
  const ratioOf = (usage: number, ps: PodSample[]) => {
    const req = requestOf(ps)
    return kind === 'Utilization' ? (usage * 100) / req / target : usage / req
  }
  const usage = usageOf(counted)
  const utilization = kind === 'Utilization' ? Math.floor((usage * 100) / Math.max(1, requestOf(counted))) : 0
  const averageValue = counted.length ? Math.floor(usage / counted.length) : 0
  const ratio = counted.length ? ratioOf(usage, counted) : 0
  const rebalanceUnready = unready.length > 0 && ratio > 1
  if (!rebalanceUnready && missing.length === 0) {
    if (Math.abs(1 - ratio) <= TOLERANCE) return {replicas: current, utilization, averageValue}
    return {replicas: Math.ceil(ratio * counted.length), utilization, averageValue}
  }
  // Rebalance: missing pods use the whole target on a scale-down and nothing on a scale-up;
  // unready pods nothing on a scale-up.
  let extraUsage = 0
  const extraPods: PodSample[] = []
  for (const p of missing) {
    if (ratio < 1) extraUsage += kind === 'Utilization' ? ((p.request ?? 0) * target) / 100 : target
    extraPods.push(p)
  }
  if (rebalanceUnready) extraPods.push(...unready)
  const all = [...counted, ...extraPods]
  const newRatio = ratioOf(usage + extraUsage, all)
  if (Math.abs(1 - newRatio) <= TOLERANCE || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return {replicas: current, utilization, averageValue}
  const replicas = Math.ceil(newRatio * all.length)
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) return {replicas: current, utilization, averageValue}
  return {replicas, utilization, averageValue}
}

export interface ScalingRules {
  stabilizationWindowSeconds: number
  selectPolicy: 'Max' | 'Min' | 'Disabled'
  policies: Array<{type: 'Pods' | 'Percent'; value: number; periodSeconds: number}>
}

/** spec.behavior with the API's defaults (scale up: 4 pods or 100 % per 15 s; scale down: 100 % per 15 s after 300 s). */
export function behaviorOf(hpa: Obj): {up: ScalingRules; down: ScalingRules} {
  const b = (((hpa.spec ?? {}) as Obj).behavior ?? {}) as Obj
  const rules = (r: Obj | undefined, dflt: ScalingRules): ScalingRules => ({
    stabilizationWindowSeconds: typeof r?.stabilizationWindowSeconds === 'number' ? r.stabilizationWindowSeconds : dflt.stabilizationWindowSeconds,
    selectPolicy: (r?.selectPolicy as ScalingRules['selectPolicy'] | undefined) ?? dflt.selectPolicy,
    policies: Array.isArray(r?.policies) && (r!.policies as unknown[]).length ? (r!.policies as ScalingRules['policies']) : dflt.policies,
  })
  return {
    up: rules(b.scaleUp as Obj | undefined, {stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{type: 'Pods', value: 4, periodSeconds: 15}, {type: 'Percent', value: 100, periodSeconds: 15}]}),
    down: rules(b.scaleDown as Obj | undefined, {stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{type: 'Percent', value: 100, periodSeconds: 15}]}),
  }
}

export interface ScaleEvent {
  at: number
  change: number
}

function changedWithin(events: ScaleEvent[], periodSeconds: number, now: number): number {
  return events.filter((e) => e.at > now - periodSeconds * 1000).reduce((s, e) => s + e.change, 0)
}

/** calculateScaleUpLimitWithScalingRules */
export function scaleUpLimit(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity
  for (const p of rules.policies) {
    const start = current - changedWithin(ups, p.periodSeconds, now) + changedWithin(downs, p.periodSeconds, now)
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100))
    result = rules.selectPolicy === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed)
  }
  return result
}

/** calculateScaleDownLimitWithBehaviors */
export function scaleDownLimit(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity
  for (const p of rules.policies) {
    const start = current - changedWithin(ups, p.periodSeconds, now) + changedWithin(downs, p.periodSeconds, now)
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100))
    result = rules.selectPolicy === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed)
  }
  return result
}

/** convertDesiredReplicasWithBehaviorRate: the desired count within min/max and the scale rate. */
export function limitByBehavior(desired: number, current: number, min: number, max: number, ups: ScaleEvent[], downs: ScaleEvent[], b: {up: ScalingRules; down: ScalingRules}, now: number): {replicas: number; reason: string; message: string} {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, ups, downs, b.up, now))
    let allowed = max, reason = 'TooManyReplicas', message = 'the desired replica count is more than the maximum replica count'
    if (allowed > limit) {
      allowed = limit
      reason = 'ScaleUpLimit'
      message = 'the desired replica count is increasing faster than the maximum scale rate'
    }
    if (desired > allowed) return {replicas: allowed, reason, message}
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, ups, downs, b.down, now))
    let allowed = min, reason = 'TooFewReplicas', message = 'the desired replica count is less than the minimum replica count'
    if (allowed < limit) {
      allowed = limit
      reason = 'ScaleDownLimit'
      message = 'the desired replica count is decreasing faster than the maximum scale rate'
    }
    if (desired < allowed) return {replicas: allowed, reason, message}
  }
  return {replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range'}
}
