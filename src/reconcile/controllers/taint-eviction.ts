// The taint eviction controller (pkg/controller/tainteviction, its own controller since 1.29): a pod
// on a node with a NoExecute taint it does not tolerate is deleted at once; one that tolerates every
// such taint is deleted when the shortest tolerationSeconds among the tolerations used runs out (a
// toleration without tolerationSeconds tolerates for ever). The pod first gets the DisruptionTarget
// condition (DeletionByTaintManager) and the Event TaintManagerEviction; a taint removed in time
// cancels the eviction ("Cancelling deletion of Pod …").
//
// The real controller starts a pod's clock when it first sees the pod under a NoExecute taint. Here
// that moment is computed from the objects — the earliest NoExecute taint's timeAdded, or the time
// the pod was scheduled if later — so the timer is the same in every process that looks (each
// embedded-CLI command is a new process). Time-outs are work timers: a deletion will happen then.
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {rfc3339} from '../events.js'
import {toleratesTaint} from '../../scheduler/taints.js'
import type {Taint, Toleration} from '../../scheduler/api.js'

export const COMPONENT = 'taint-eviction-controller'

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

/** The shortest tolerationSeconds of the tolerations used, in ms; -1 for "for ever" (getMinTolerationTime). */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0
  let min = Infinity
  for (const t of used) {
    if (typeof t.tolerationSeconds !== 'number') continue
    if (t.tolerationSeconds <= 0) return 0
    min = Math.min(min, t.tolerationSeconds)
  }
  return min === Infinity ? -1 : min * 1000
}

/** What to do with a pod under the node's NoExecute taints: nothing, delete now, or delete at `at`. */
export function evictionPlan(pod: Obj, taints: readonly Taint[]): {kind: 'none'} | {kind: 'now'} | {kind: 'at'; at: number} {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute')
  if (noExecute.length === 0) return {kind: 'none'}
  const tolerations = ((spec(pod).tolerations ?? []) as Toleration[])
  const used: Toleration[] = []
  for (const taint of noExecute) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint))
    if (matching.length === 0) return {kind: 'now'}
    used.push(...matching)
  }
  const ms = minTolerationMs(used)
  if (ms < 0) return {kind: 'none'}
  if (ms === 0) return {kind: 'now'}
  const added = noExecute.map((t) => Date.parse(String((t as Taint & {timeAdded?: string}).timeAdded ?? ''))).filter((t) => !Number.isNaN(t))
  const scheduled = (((pod.status ?? {}) as Obj).conditions as Obj[] | undefined ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'True')
  const boundAt = Date.parse(String(scheduled?.lastTransitionTime ?? ''))
  const start = Math.max(added.length ? Math.min(...added) : -Infinity, Number.isNaN(boundAt) ? -Infinity : boundAt)
  return Number.isFinite(start) ? {kind: 'at', at: start + ms} : {kind: 'now'}
}

export class TaintEvictionReconciler implements Reconciler {
  readonly name = 'taint-eviction'
  /** Pods with an eviction pending, to say so when it is cancelled. */
  private readonly pending = new Set<string>()

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const id = `${key.namespace}/${key.name}`
    const pod = this.ctx.informer(RESOURCES.pods).get(key.namespace, key.name)
    if (!pod || meta(pod).deletionTimestamp) {
      this.pending.delete(id)
      return 'done'
    }
    const nodeName = spec(pod).nodeName
    const node = typeof nodeName === 'string' && nodeName ? this.ctx.informer(RESOURCES.nodes).get(undefined, nodeName) : undefined
    const plan = evictionPlan(pod, node ? ((spec(node).taints ?? []) as Taint[]) : [])
    if (plan.kind === 'none') {
      if (this.pending.delete(id)) this.ctx.recorder({component: COMPONENT}).event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${id}`)
      return 'done'
    }
    const now = this.ctx.clock.now().getTime()
    if (plan.kind === 'at' && plan.at > now) {
      this.pending.add(id)
      return {requeueAfterMs: plan.at - now}
    }
    this.pending.delete(id)
    this.evict(pod, id)
    return 'done'
  }

  private evict(pod: Obj, id: string): void {
    const ns = String(meta(pod).namespace), name = String(meta(pod).name)
    this.ctx.recorder({component: COMPONENT}).event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${id}`)
    const condition = {type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.ctx.clock.now())}
    try {
      this.ctx.client.patch(RESOURCES.pods, ns, name, 'strategic', {status: {conditions: [condition]}}, 'status')
      this.ctx.client.delete(RESOURCES.pods, ns, name)
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return
      throw e
    }
  }
}

export function addTaintEvictionController(m: ControllerManager): void {
  m.add(new TaintEvictionReconciler(m), (c, ctx) => {
    const pods = ctx.informer(RESOURCES.pods)
    const podKey = (p: Obj): ObjectKey => ({namespace: String(meta(p).namespace), name: String(meta(p).name)})
    pods.addHandlers({
      onAdd: (p) => {
        if (spec(p).nodeName) c.enqueue(podKey(p))
      },
      onUpdate: (old, p) => {
        if (spec(p).nodeName && (spec(old).nodeName !== spec(p).nodeName || JSON.stringify(spec(old).tolerations) !== JSON.stringify(spec(p).tolerations) || !!meta(old).deletionTimestamp !== !!meta(p).deletionTimestamp)) c.enqueue(podKey(p))
      },
      onDelete: (p) => c.enqueue(podKey(p)),
    })
    const noExecute = (n: Obj) => JSON.stringify(((spec(n).taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute'))
    ctx.informer(RESOURCES.nodes).addHandlers({
      onUpdate: (old, n) => {
        if (noExecute(old) === noExecute(n)) return
        const name = String(meta(n).name)
        for (const p of pods.list()) if (spec(p).nodeName === name) c.enqueue(podKey(p))
      },
    })
  })
}
