// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job (Complete or
// Failed condition True) with spec.ttlSecondsAfterFinished is deleted, with Foreground propagation
// and a UID precondition, that many seconds after the condition's lastTransitionTime. Until then the
// Job is requeued for its expiry with a work timer, so a settling virtual clock moves to it.
import type {Obj} from '../../apiserver/types.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'

const meta = (o: Obj): Obj => (o.metadata ?? {}) as Obj

/** When the Job finished (its Complete/Failed condition's lastTransitionTime), if it did and has a TTL. */
export function jobFinishTime(job: Obj): number | undefined {
  for (const c of (((job.status ?? {}) as Obj).conditions ?? []) as Obj[]) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      return typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : undefined
    }
  }
  return undefined
}

function ttlSeconds(job: Obj): number | undefined {
  const ttl = ((job.spec ?? {}) as Obj).ttlSecondsAfterFinished
  return typeof ttl === 'number' ? ttl : undefined
}

/** Finished, with a TTL, and not already being deleted. */
const needsCleanup = (job: Obj): boolean => !meta(job).deletionTimestamp && ttlSeconds(job) !== undefined && jobFinishTime(job) !== undefined

export class TTLAfterFinishedReconciler implements Reconciler {
  readonly name = 'ttl-after-finished'

  constructor(private readonly ctx: ControllerContext) {}

  /** Milliseconds until the Job expires (<= 0: expired), or undefined when it needs no cleanup. */
  private timeLeft(job: Obj): number | undefined {
    if (!needsCleanup(job)) return undefined
    return jobFinishTime(job)! + ttlSeconds(job)! * 1000 - this.ctx.clock.now().getTime()
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const job = this.ctx.informer(RESOURCES.jobs).get(key.namespace, key.name)
    if (!job) return 'done'
    const left = this.timeLeft(job)
    if (left === undefined) return 'done'
    if (left > 0) return {requeueAfterMs: left}
    // The cached TTL may be stale: check the Job as stored before deleting it.
    const fresh = this.ctx.client.get(RESOURCES.jobs, key.namespace, key.name)
    if (!fresh) return 'done'
    const freshLeft = this.timeLeft(fresh)
    if (freshLeft === undefined) return 'done'
    if (freshLeft > 0) return {requeueAfterMs: freshLeft}
    this.ctx.client.delete(RESOURCES.jobs, key.namespace, key.name, {propagationPolicy: 'Foreground', preconditions: {uid: meta(fresh).uid}})
    return 'done'
  }
}

export function addTTLAfterFinishedController(m: ControllerManager): void {
  m.add(new TTLAfterFinishedReconciler(m), (c, ctx) => {
    const enqueue = (job: Obj) => {
      if (needsCleanup(job)) c.enqueue({namespace: String(meta(job).namespace), name: String(meta(job).name)})
    }
    ctx.informer(RESOURCES.jobs).addHandlers({onAdd: enqueue, onUpdate: (_, job) => enqueue(job)})
  })
}
