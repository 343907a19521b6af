// The pod garbage collector (pkg/controller/podgc): force-deletes pods nobody else will finish —
// pods bound to a Node that no longer exists (after a 40 s quarantine, in case the node is being
// re-registered), terminating pods on a NotReady node tainted node.kubernetes.io/out-of-service,
// terminating pods that were never scheduled, and the oldest terminated pods beyond the threshold
// (12,500; evicted ones first). Pods still running are first marked Failed (with a DisruptionTarget
// condition for orphans) so their owners see them end, then deleted with grace period 0.
//
// The real controller lists everything every 20 s; here the informers wake a single key when
// something relevant changes, and the quarantine is a work timer, so a settling virtual clock moves
// to it (a deleted node's pods disappear 40 s later, as on a real cluster).
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ReconcileResult, type Reconciler} from '../types.js'

/** --terminated-pod-gc-threshold's default. */
export const TERMINATED_POD_THRESHOLD = 12_500
/** How long a missing node must stay missing before its pods are deleted. */
export const QUARANTINE_MS = 40_000
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service'
const KEY = {name: 'podgc'}

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function nodeNameOf(p: Obj): string {
  return String(((p.spec ?? {}) as Obj).nodeName ?? '')
}

function phaseOf(p: Obj): string {
  return String(((p.status ?? {}) as Obj).phase ?? '')
}

export function isTerminated(p: Obj): boolean {
  const phase = phaseOf(p)
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown' && phase !== ''
}

function isEvicted(p: Obj): boolean {
  const st = (p.status ?? {}) as Obj
  return st.phase === 'Failed' && st.reason === 'Evicted'
}

function nodeReady(node: Obj): boolean {
  const conds = (((node.status ?? {}) as Obj).conditions ?? []) as Obj[]
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

function outOfService(node: Obj): boolean {
  return !nodeReady(node) && (((node.spec ?? {}) as Obj).taints as Obj[] | undefined ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT)
}

/** Evicted pods first, then the oldest, names breaking ties (byEvictionAndCreationTimestamp). */
function byEvictionAndCreation(a: Obj, b: Obj): number {
  const ea = isEvicted(a), eb = isEvicted(b)
  if (ea !== eb) return ea ? -1 : 1
  const ta = Date.parse(String(meta(a).creationTimestamp ?? 0)), tb = Date.parse(String(meta(b).creationTimestamp ?? 0))
  if (ta !== tb) return ta - tb
  return String(meta(a).name).localeCompare(String(meta(b).name))
}

export class PodGCReconciler implements Reconciler {
  readonly name = 'pod-garbage-collector'
  /** Missing node name -> when this controller first saw a pod bound to it. */
  private readonly missingSince = new Map<string, number>()

  constructor(private readonly ctx: ControllerContext, private readonly threshold = TERMINATED_POD_THRESHOLD) {}

  reconcile(): ReconcileResult {
    const pods = this.ctx.informer(RESOURCES.pods).list()
    const nodes = this.ctx.informer(RESOURCES.nodes)
    const now = this.ctx.clock.now().getTime()

    if (this.threshold > 0) {
      const terminated = pods.filter(isTerminated)
      const excess = terminated.length - this.threshold
      if (excess > 0) for (const p of terminated.sort(byEvictionAndCreation).slice(0, excess)) this.markFailedAndDelete(p)
    }

    for (const p of pods) {
      if (!meta(p).deletionTimestamp) continue
      const nodeName = nodeNameOf(p)
      if (!nodeName) {
        this.markFailedAndDelete(p)
        continue
      }
      const node = nodes.get(undefined, nodeName)
      if (node && outOfService(node)) this.markFailedAndDelete(p)
    }

    let wake: number | undefined
    const stillMissing = new Set<string>()
    for (const p of pods) {
      const nodeName = nodeNameOf(p)
      if (!nodeName || nodes.get(undefined, nodeName)) continue
      stillMissing.add(nodeName)
      const since = this.missingSince.get(nodeName) ?? now
      this.missingSince.set(nodeName, since)
      if (now - since < QUARANTINE_MS) {
        wake = Math.min(wake ?? Infinity, since + QUARANTINE_MS)
        continue
      }
      // The informer may lag a write: ask the API server before deleting, as the real one does.
      if (this.ctx.client.get(RESOURCES.nodes, undefined, nodeName)) continue
      this.markFailedAndDelete(p, {type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists'})
    }
    for (const name of [...this.missingSince.keys()]) if (!stillMissing.has(name)) this.missingSince.delete(name)
    return wake === undefined ? 'done' : {requeueAfterMs: Math.max(1, wake - now)}
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and the condition) unless terminal, then delete now. */
  private markFailedAndDelete(p: Obj, condition?: Obj): void {
    const m = meta(p)
    const ns = String(m.namespace), name = String(m.name)
    try {
      if (!isTerminated(p)) {
        const status = structuredClone((p.status ?? {}) as Obj)
        status.phase = 'Failed'
        if (condition) {
          const at = this.ctx.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
          const conds = ((status.conditions ?? []) as Obj[]).filter((c) => c.type !== condition.type)
          const old = ((status.conditions ?? []) as Obj[]).find((c) => c.type === condition.type)
          const lastTransitionTime = old && old.status === condition.status ? old.lastTransitionTime : at
          status.conditions = [...conds, {...condition, lastProbeTime: null, lastTransitionTime}]
        }
        this.ctx.client.updateStatus(RESOURCES.pods, {...p, status})
      }
      this.ctx.client.delete(RESOURCES.pods, ns, name, {gracePeriodSeconds: 0, preconditions: {uid: m.uid}})
    } catch (e) {
      // Gone already, or replaced by a pod of the same name: nothing left to collect.
      if (e instanceof ApiError && (e.code === 404 || (e.code === 409 && e.status.reason !== 'Conflict'))) return
      throw e
    }
  }
}

/** The component; `threshold` is --terminated-pod-gc-threshold (0 turns that collection off). */
export function addPodGarbageCollector(m: ControllerManager, _env?: unknown, threshold = TERMINATED_POD_THRESHOLD): void {
  m.add(new PodGCReconciler(m, threshold), (c, ctx) => {
    const nodes = ctx.informer(RESOURCES.nodes)
    let terminated = 0
    const relevant = (p: Obj): boolean => {
      const nodeName = nodeNameOf(p)
      if (nodeName && !nodes.get(undefined, nodeName)) return true
      if (meta(p).deletionTimestamp && (!nodeName || outOfService(nodes.get(undefined, nodeName) ?? {}))) return true
      return false
    }
    ctx.informer(RESOURCES.pods).addHandlers({
      onAdd: (p) => {
        if (isTerminated(p)) terminated++
        if (relevant(p) || (threshold > 0 && terminated > threshold)) c.enqueue(KEY)
      },
      onUpdate: (old, p) => {
        terminated += Number(isTerminated(p)) - Number(isTerminated(old))
        if (relevant(p) || (threshold > 0 && terminated > threshold && isTerminated(p))) c.enqueue(KEY)
      },
      onDelete: (p) => {
        if (isTerminated(p)) terminated--
      },
    })
    nodes.addHandlers({
      onDelete: () => c.enqueue(KEY),
      onAdd: () => c.enqueue(KEY),
      onUpdate: (old, n) => {
        if (outOfService(n) && !outOfService(old)) c.enqueue(KEY)
      },
    })
  })
}
