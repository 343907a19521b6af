// Runs reconcilers: shared informers feed each controller's work queue; drain() processes queued
// keys until every queue is empty (the control plane calls it while settling). Errors are retried
// with the queue's back-off; conflicts (409) are the normal outcome of racing writers.
import type {Clock} from '../api/clock.js'
import type {ApiServer} from '../apiserver/server.js'
import {ApiError} from '../apiserver/errors.js'
import {ControllerClient} from './client.js'
import {EventRecorder, type EventSource} from './events.js'
import {Informer} from './informer.js'
import {WorkQueue} from './queue.js'
import {keyString, parseKey, type ObjectKey, type Reconciler, type ResourceRef} from './types.js'

export interface ControllerContext {
  client: ControllerClient
  clock: Clock
  informer(ref: ResourceRef): Informer
  /** The event recorder of a component (one per source, so its de-duplication memory is shared). */
  recorder(source: EventSource): EventRecorder
}

export class Controller {
  readonly queue: WorkQueue

  constructor(readonly reconciler: Reconciler, clock: Clock) {
    this.queue = new WorkQueue(clock)
  }

  enqueue(key: ObjectKey): void {
    this.queue.add(keyString(key))
  }

  /** Queues the key after `ms` (the next successful reconcile of the key replaces this timer). */
  enqueueAfter(key: ObjectKey, ms: number, background = false): void {
    this.queue.addAfter(keyString(key), ms, background)
  }

  /** Reconciles one queued key; false when the queue is empty. */
  processOne(): boolean {
    const key = this.queue.next()
    if (key === undefined) return false
    try {
      const result = this.reconciler.reconcile(parseKey(key))
      this.queue.forget(key)
      // Reconcilers are level-based: the latest answer says when (if ever) the key needs another
      // look, replacing what an earlier one asked for — a finished rollout must not leave its old
      // progress-deadline timer behind to drag a settling virtual clock forward.
      this.queue.cancelDelayed(key)
      if (result !== 'done') this.queue.addAfter(key, result.requeueAfterMs, result.background === true)
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409) && process.env.KUBE2_DEBUG) {
        process.stderr.write(`controller ${this.reconciler.name}: ${key}: ${(e as Error).stack}\n`)
      }
      this.queue.addRateLimited(key)
    } finally {
      this.queue.done(key)
    }
    return true
  }
}

export class ControllerManager implements ControllerContext {
  readonly client: ControllerClient
  private readonly informers = new Map<string, Informer>()
  private readonly controllers: Controller[] = []
  private readonly recorders = new Map<string, EventRecorder>()
  private started = false

  constructor(readonly apiserver: ApiServer, readonly clock: Clock) {
    this.client = new ControllerClient(apiserver, 'kube-controller-manager')
  }

  informer(ref: ResourceRef): Informer {
    const key = `${ref.group}/${ref.version}/${ref.resource}`
    let inf = this.informers.get(key)
    if (!inf) {
      inf = new Informer(ref, this.client)
      this.informers.set(key, inf)
      if (this.started) inf.start()
    }
    return inf
  }

  recorder(source: EventSource): EventRecorder {
    const key = `${source.component}\x00${source.host ?? ''}`
    let r = this.recorders.get(key)
    if (!r) this.recorders.set(key, (r = new EventRecorder(new ControllerClient(this.apiserver, source.component), this.clock, source)))
    return r
  }

  /**
   * A context whose client writes as another field manager (the kubelet, the scheduler): their
   * writes show up in managedFields under their own names, as on a real cluster.
   */
  as(fieldManager: string): ControllerContext {
    const client = new ControllerClient(this.apiserver, fieldManager)
    return {client, clock: this.clock, informer: (ref) => this.informer(ref), recorder: (source) => this.recorder(source)}
  }

  /** Adds a controller; `wire` connects informer handlers to its queue. */
  add(reconciler: Reconciler, wire: (c: Controller, ctx: ControllerContext) => void): Controller {
    const c = new Controller(reconciler, this.clock)
    this.controllers.push(c)
    wire(c, this)
    return c
  }

  start(): void {
    if (this.started) return
    this.started = true
    for (const inf of this.informers.values()) inf.start()
  }

  /** Processes queued keys, round-robin over controllers, until all are empty (or `max` reconciles). */
  drain(max = 100_000): number {
    let ran = 0
    for (;;) {
      let progressed = false
      // Each controller works through what was queued when its turn came, then passes on: keys
      // queued meanwhile (a ReplicaSet woken by each of its pods) wait for the next round and are
      // de-duplicated there, as a real controller's queue batches events that arrive while it works.
      for (const c of this.controllers) {
        for (let n = c.queue.length; n > 0 && c.processOne(); n--) {
          progressed = true
          ran++
        }
      }
      if (!progressed || ran >= max) return ran
    }
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop()
    for (const c of this.controllers) c.queue.shutdown()
  }
}
