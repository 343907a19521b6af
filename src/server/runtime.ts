// A ControlPlane that runs by itself in real time, for a server: after every write and after every
// timer that fires (a container starting, a requeue, a heartbeat) the controllers' queues are
// drained — settle()'s work without moving any clock — in batches that yield to I/O between them.
// Kubelet phases that take seconds of simulated time take seconds of wall time here, as on a cluster.
import {RealClock, type Clock, type TimerHandle, type TimerOptions} from '../api/clock.js'
import {ControlPlane, type ControlPlaneOptions} from '../emulator/control-plane.js'
import type {ApiServer} from '../apiserver/server.js'
import type {ApiRequest, ApiResponse} from '../apiserver/types.js'
import type {ApiBackend} from './http-server.js'

/** A real clock that tells its owner after each timer callback (so due work gets drained). */
export class NotifyingClock implements Clock {
  private readonly real = new RealClock()
  onFired: () => void = () => undefined

  now(): Date {
    return this.real.now()
  }

  setTimeout(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle {
    void opts
    return this.real.setTimeout(() => {
      try {
        fn()
      } finally {
        this.onFired()
      }
    }, ms)
  }

  clearTimeout(handle: TimerHandle): void {
    this.real.clearTimeout(handle)
  }
}

/** Reconciles per batch before yielding to the event loop (requests keep being served meanwhile). */
const DRAIN_BATCH = 2000

const READ_VERBS = new Set(['get', 'list', 'watch'])

export class ServerRuntime implements ApiBackend {
  readonly controlPlane: ControlPlane
  readonly clock: NotifyingClock
  private scheduled?: NodeJS.Immediate
  private closed = false
  /** Set while draining: errors are reported here rather than ending the process. */
  onError: (e: unknown) => void = (e) => {
    if (process.env.KUBE2_DEBUG) process.stderr.write(`kube2 server: draining controllers: ${(e as Error)?.stack ?? String(e)}\n`)
  }

  constructor(opts: Omit<ControlPlaneOptions, 'clock'>) {
    this.clock = new NotifyingClock()
    this.clock.onFired = () => this.scheduleDrain()
    this.controlPlane = new ControlPlane({...opts, clock: this.clock})
    // The informers' initial lists queued every existing object.
    this.scheduleDrain()
  }

  get apiserver(): ApiServer {
    return this.controlPlane.apiserver
  }

  get kubernetesVersion(): string {
    return this.controlPlane.kubernetesVersion
  }

  handle(req: ApiRequest): ApiResponse {
    const res = this.controlPlane.handle(req)
    if (!READ_VERBS.has(req.verb)) this.scheduleDrain()
    return res
  }

  /** Drains soon (once, however many writes ask before it runs). */
  scheduleDrain(): void {
    if (this.scheduled || this.closed) return
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined
      this.drainBatch()
    })
  }

  /** One batch of queued work; another is scheduled while work remains. */
  private drainBatch(): void {
    if (this.closed) return
    try {
      const ran = this.controlPlane.controllers.drain(DRAIN_BATCH)
      const finalized = this.controlPlane.apiserver.finalizeNamespaces()
      if (ran > 0 || finalized) this.scheduleDrain()
    } catch (e) {
      this.onError(e)
      // Retried a little later, not in a tight loop if the failure persists.
      setTimeout(() => this.scheduleDrain(), 1000).unref()
    }
  }

  /** Everything due now, synchronously (tests; a shutdown that wants the cluster at rest). */
  drainNow(maxRounds = 10_000): void {
    this.controlPlane.settle({maxRounds})
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.scheduled) clearImmediate(this.scheduled)
    this.controlPlane.close()
  }
}
