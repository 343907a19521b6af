// The horizontal pod autoscaler (pkg/controller/podautoscaler) for autoscaling/v2 objects: every
// 15 s it reads the target's scale, the pods its selector takes and their usage from
// metrics.k8s.io (src/apiserver/metrics.ts), computes the replicas each metric asks for (the
// largest wins), stabilizes the recommendation (scale-down looks back 300 s by default), limits the
// rate by spec.behavior's policies and min/max, and rescales through the scale subresource. Status
// and the AbleToScale / ScalingActive / ScalingLimited conditions and the Events carry the real
// reasons and messages.
//
// Resource and ContainerResource metrics are computed; Pods, Object and External metrics need a
// custom or external metrics API, which the emulator does not serve: they fail as they do on a
// cluster without one. The periodic sync is a background timer (it is a resync, not something due),
// so a settling virtual clock does not run an autoscaler on its own; time moves it.
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import {selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import {parseQuantity} from '../../api/quantity.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler, type ResourceRef} from '../types.js'
import {rfc3339} from '../events.js'
import {behaviorOf, limitByBehavior, resourceReplicas, type PodSample, type ScaleEvent} from './hpa-util.js'

export const COMPONENT = 'horizontal-pod-autoscaler'
export const SYNC_PERIOD_MS = 15_000
const METRICS_WINDOW_MS = 15_000

const TARGETS: Record<string, ResourceRef> = {
  'apps/Deployment': RESOURCES.deployments, 'apps/ReplicaSet': RESOURCES.replicasets, 'apps/StatefulSet': RESOURCES.statefulsets,
  '/ReplicationController': RESOURCES.replicationcontrollers,
}

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}
function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

function milli(q: unknown): number | undefined {
  if (typeof q !== 'string' && typeof q !== 'number') return undefined
  try {
    return parseQuantity(q).asApproximateFloat64() * 1000
  } catch {
    return undefined
  }
}

/** A milli-unit amount as the quantity the status shows: `250m`, `64Mi`-like values in bytes. */
function quantityText(m: number, resource: string): string {
  if (resource === 'cpu') return `${Math.round(m)}m`
  const units = Math.round(m / 1000)
  return units % 1000 === 0 ? `${units / 1000}k` : String(units)
}

interface Condition {
  type: string
  status: 'True' | 'False'
  reason: string
  message: string
}

interface Proposal {
  replicas: number
  metricName: string
  current: Obj
}

export class HPAReconciler implements Reconciler {
  readonly name = 'horizontal-pod-autoscaler'
  private readonly recommendations = new Map<string, Array<{at: number; replicas: number}>>()
  private readonly ups = new Map<string, ScaleEvent[]>()
  private readonly downs = new Map<string, ScaleEvent[]>()

  constructor(private readonly ctx: ControllerContext) {}

  private event(hpa: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder({component: COMPONENT}).event(hpa, type, reason, message)
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const id = `${key.namespace}/${key.name}`
    const hpa = this.ctx.informer(RESOURCES.horizontalpodautoscalers).get(key.namespace, key.name)
    if (!hpa) {
      this.recommendations.delete(id)
      this.ups.delete(id)
      this.downs.delete(id)
      return 'done'
    }
    const conditions = new Map<string, Condition>()
    const set = (type: string, status: Condition['status'], reason: string, message: string) => conditions.set(type, {type, status, reason, message})
    const s = spec(hpa)
    const ref = (s.scaleTargetRef ?? {}) as Obj
    const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : ''
    const target = TARGETS[`${group}/${ref.kind}`]
    const ns = String(meta(hpa).namespace)
    const targetObj = target ? this.ctx.client.get(target, ns, String(ref.name)) : undefined
    if (!target || !targetObj) {
      const msg = target ? `${String(ref.kind).toLowerCase()}s.${group || 'core'} "${ref.name}" not found` : `no matches for kind "${ref.kind}" in group "${group}"`
      set('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`)
      this.event(hpa, 'Warning', 'FailedGetScale', msg)
      this.writeStatus(hpa, conditions, {current: Number((hpa.status as Obj | undefined)?.currentReplicas ?? 0), desired: 0})
      return {requeueAfterMs: SYNC_PERIOD_MS, background: true}
    }
    set('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale")
    const current = typeof spec(targetObj).replicas === 'number' ? spec(targetObj).replicas as number : 1
    const min = typeof s.minReplicas === 'number' ? s.minReplicas : 1
    const max = Number(s.maxReplicas ?? 1)
    const now = this.ctx.clock.now().getTime()
    let desired = current
    let rescaleReason = ''
    let metricsStatus: Obj[] | undefined
    if (current === 0 && min !== 0) {
      desired = 0
      set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero')
    } else if (current > max) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas'
      desired = max
    } else if (current < min) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas'
      desired = min
    } else {
      const pods = this.podsOf(targetObj, ns)
      const {proposals, errors} = this.computeMetrics(hpa, pods, current, now)
      const best = proposals.reduce<Proposal | undefined>((a, p) => (!a || p.replicas > a.replicas ? p : a), undefined)
      if (!best || (errors.length && (best.replicas < current))) {
        // Invalid metrics: no scale-down on partial information.
        const first = errors[0] ?? {reason: 'FailedGetResourceMetric', message: 'no metrics'}
        set('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.message}`)
        this.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${errors.length} invalid out of ${errors.length + proposals.length}), first error is: ${first.message}`)
        metricsStatus = proposals.map((p) => p.current)
        if (!best) {
          this.writeStatus(hpa, conditions, {current, desired: current, metrics: metricsStatus})
          return {requeueAfterMs: SYNC_PERIOD_MS, background: true}
        }
      } else {
        set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.metricName}`)
      }
      metricsStatus = proposals.map((p) => p.current)
      const stabilized = this.stabilize(`${ns}/${key.name}`, hpa, best.replicas, current, now)
      if (stabilized !== best.replicas) set('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation')
      else set('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size')
      const limited = limitByBehavior(stabilized, current, min, max, this.ups.get(id) ?? [], this.downs.get(id) ?? [], behaviorOf(hpa), now)
      set('ScalingLimited', limited.reason === 'DesiredWithinRange' ? 'False' : 'True', limited.reason, limited.message)
      desired = limited.replicas
      if (desired > current) rescaleReason = `${best.metricName} above target`
      if (desired < current) rescaleReason = 'All metrics below target'
    }
    let lastScaleTime = (hpa.status as Obj | undefined)?.lastScaleTime as string | undefined
    if (desired !== current) {
      try {
        this.ctx.client.patch(target, ns, String(ref.name), 'merge', {spec: {replicas: desired}}, 'scale')
      } catch (e) {
        const msg = (e as Error).message
        set('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`)
        this.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${msg}`)
        this.writeStatus(hpa, conditions, {current, desired: current, metrics: metricsStatus})
        if (e instanceof ApiError && e.code === 409) throw e
        return {requeueAfterMs: SYNC_PERIOD_MS, background: true}
      }
      set('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`)
      this.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`)
      const list = desired > current ? this.ups : this.downs
      list.set(id, [...(list.get(id) ?? []).filter((e) => e.at > now - 30 * 60_000), {at: now, change: Math.abs(desired - current)}])
      lastScaleTime = rfc3339(this.ctx.clock.now())
    }
    this.writeStatus(hpa, conditions, {current, desired, metrics: metricsStatus, lastScaleTime})
    return {requeueAfterMs: SYNC_PERIOD_MS, background: true}
  }

  private podsOf(target: Obj, ns: string): Obj[] {
    let sel
    try {
      sel = selectorFromLabelSelector(spec(target).selector as LabelSelector)
    } catch {
      return []
    }
    return this.ctx.informer(RESOURCES.pods).list(ns).filter((p) => sel.matches((meta(p).labels ?? {}) as Record<string, string>))
  }

  /** One proposal per metric that could be computed, and the errors of the others. */
  private computeMetrics(hpa: Obj, pods: Obj[], current: number, now: number): {proposals: Proposal[]; errors: Array<{reason: string; message: string}>} {
    const metrics = ((spec(hpa).metrics ?? [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}]) as Obj[])
    const proposals: Proposal[] = []
    const errors: Array<{reason: string; message: string}> = []
    let usage: Map<string, Obj> | undefined
    const podMetrics = () => (usage ??= this.podMetrics(String(meta(hpa).namespace), pods))
    for (const m of metrics) {
      const type = String(m.type)
      if (type === 'Resource' || type === 'ContainerResource') {
        const src = (type === 'Resource' ? m.resource : m.containerResource) as Obj
        const resource = String(src.name)
        const container = type === 'ContainerResource' ? String(src.container) : undefined
        const tgt = (src.target ?? {}) as Obj
        const kind = tgt.type === 'AverageValue' ? 'AverageValue' : 'Utilization'
        const targetValue = kind === 'Utilization' ? Number(tgt.averageUtilization ?? 0) : milli(tgt.averageValue) ?? 0
        const what = container ? `${resource} container resource` : `${resource} resource`
        const metricName = kind === 'Utilization' ? `${what} utilization (percentage of request)` : what
        try {
          const {samples, sampledAt} = this.samples(pods, podMetrics(), resource, container)
          const r = resourceReplicas(current, samples, resource, targetValue, kind, now, METRICS_WINDOW_MS, sampledAt)
          const currentStatus: Obj = kind === 'Utilization'
            ? {averageUtilization: r.utilization, averageValue: quantityText(r.averageValue, resource)}
            : {averageValue: quantityText(r.averageValue, resource)}
          const body = container ? {name: resource, container, current: currentStatus} : {name: resource, current: currentStatus}
          proposals.push({replicas: r.replicas, metricName, current: {type, [type === 'Resource' ? 'resource' : 'containerResource']: body}})
        } catch (e) {
          const message = `failed to get ${resource} ${kind === 'Utilization' ? 'utilization' : 'usage'}: ${(e as Error).message}`
          errors.push({reason: type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric', message})
          this.event(hpa, 'Warning', type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric', message)
        }
        continue
      }
      const metricName = String((((m.pods ?? m.object ?? m.external ?? {}) as Obj).metric as Obj | undefined)?.name ?? '')
      const api = type === 'External' ? 'external.metrics.k8s.io' : 'custom.metrics.k8s.io'
      const message = `unable to get metric ${metricName}: unable to fetch metrics from ${type === 'External' ? 'external' : 'custom'} metrics API: the server could not find the requested resource (get ${api})`
      const reason = type === 'Pods' ? 'FailedGetPodsMetric' : type === 'Object' ? 'FailedGetObjectMetric' : 'FailedGetExternalMetric'
      errors.push({reason, message})
      this.event(hpa, 'Warning', reason, message)
    }
    return {proposals, errors}
  }

  /** PodMetrics by pod name, from the metrics API. */
  private podMetrics(ns: string, pods: Obj[]): Map<string, Obj> {
    const out = new Map<string, Obj>()
    if (pods.length === 0) return out
    try {
      for (const m of this.ctx.client.list(RESOURCES.podmetrics, ns).items) out.set(String(meta(m).name), m)
    } catch {
      // No metrics API: every pod is missing its metrics.
    }
    return out
  }

  private samples(pods: Obj[], metrics: Map<string, Obj>, resource: string, container?: string): {samples: PodSample[]; sampledAt: number} {
    let sampledAt = 0
    const samples = pods.map((p): PodSample => {
      const st = (p.status ?? {}) as Obj
      const containers = (spec(p).containers ?? []) as Obj[]
      let request: number | undefined = 0
      for (const c of containers) {
        if (container && c.name !== container) continue
        const r = milli((((c.resources ?? {}) as Obj).requests as Obj | undefined)?.[resource])
        if (r === undefined) request = undefined
        else if (request !== undefined) request += r
      }
      const m = metrics.get(String(meta(p).name))
      let usage: number | undefined
      if (m) {
        usage = 0
        for (const c of (m.containers ?? []) as Obj[]) {
          if (container && c.name !== container) continue
          usage += milli(((c.usage ?? {}) as Obj)[resource]) ?? 0
        }
        sampledAt = Math.max(sampledAt, Date.parse(String(m.timestamp)))
      }
      const rc = ((st.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')
      const start = Date.parse(String(st.startTime ?? ''))
      return {
        name: String(meta(p).name), request, usage, phase: String(st.phase ?? 'Pending'), deleting: !!meta(p).deletionTimestamp,
        readyCondition: rc ? {ready: rc.status === 'True', since: Date.parse(String(rc.lastTransitionTime ?? '')) || 0} : undefined,
        startTime: Number.isNaN(start) ? undefined : start,
      }
    })
    return {samples, sampledAt}
  }

  /** stabilizeRecommendationWithBehaviors: the lowest recent up- and highest recent down-recommendation bound the change. */
  private stabilize(id: string, hpa: Obj, proposed: number, current: number, now: number): number {
    const b = behaviorOf(hpa)
    const longest = Math.max(b.up.stabilizationWindowSeconds, b.down.stabilizationWindowSeconds) * 1000
    const recs = (this.recommendations.get(id) ?? []).filter((r) => r.at > now - longest)
    let up = proposed, down = proposed
    for (const r of recs) {
      if (r.at > now - b.up.stabilizationWindowSeconds * 1000) up = Math.min(up, r.replicas)
      if (r.at > now - b.down.stabilizationWindowSeconds * 1000) down = Math.max(down, r.replicas)
    }
    recs.push({at: now, replicas: proposed})
    this.recommendations.set(id, recs)
    let result = current
    if (result < up) result = up
    if (result > down) result = down
    return result
  }

  private writeStatus(hpa: Obj, conditions: Map<string, Condition>, s: {current: number; desired: number; metrics?: Obj[]; lastScaleTime?: string}): void {
    const old = (hpa.status ?? {}) as Obj
    const oldConds = (old.conditions ?? []) as Obj[]
    const now = rfc3339(this.ctx.clock.now())
    const conds = ['AbleToScale', 'ScalingActive', 'ScalingLimited'].flatMap((type) => {
      const c = conditions.get(type)
      const prev = oldConds.find((x) => x.type === type)
      if (!c) return prev ? [prev] : []
      const since = prev && prev.status === c.status ? prev.lastTransitionTime : now
      return [{type, status: c.status, lastTransitionTime: since, reason: c.reason, message: c.message}]
    })
    const status: Obj = {
      observedGeneration: meta(hpa).generation,
      ...(s.lastScaleTime ? {lastScaleTime: s.lastScaleTime} : {}),
      currentReplicas: s.current, desiredReplicas: s.desired,
      ...(s.metrics && s.metrics.length ? {currentMetrics: s.metrics} : {}),
      conditions: conds,
    }
    if (JSON.stringify(status) === JSON.stringify(old)) return
    this.ctx.client.updateStatus(RESOURCES.horizontalpodautoscalers, {...hpa, status})
  }
}

export function addHPAController(m: ControllerManager): void {
  m.add(new HPAReconciler(m), (c, ctx) => {
    ctx.informer(RESOURCES.horizontalpodautoscalers).addHandlers({
      onAdd: (h) => c.enqueue({namespace: String(meta(h).namespace), name: String(meta(h).name)}),
      onUpdate: (o, h) => {
        // Its own status writes do not need another sync; spec changes do.
        if (meta(o).generation !== meta(h).generation) c.enqueue({namespace: String(meta(h).namespace), name: String(meta(h).name)})
      },
      onDelete: (h) => c.enqueue({namespace: String(meta(h).namespace), name: String(meta(h).name)}),
    })
  })
}
