// Delivers committed events to watchers in revision order, each exactly once, including a new
// watcher's history replay followed by live events.
import type {WatchEvent, Watcher} from './types.js'

export class Subscription implements Watcher {
  stopped = false
  constructor(
    readonly prefix: string,
    readonly onEvent: (event: WatchEvent) => void,
    /** Revision of the newest event this watcher has been given (or was told it need not get). */
    public last: number,
    private readonly hub: WatchHub,
  ) {}

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.hub.remove(this)
  }
}

/** A source of history for a replay: calls `deliver` in revision order until it returns false. */
export type ReplaySource = (deliver: (event: WatchEvent) => boolean) => void

/**
 * Live events are queued and drained, so a watcher that writes from its callback cannot reorder
 * anyone's stream. Replay and live delivery share one per-watcher "last delivered" revision, so
 * they meet with no gap and no duplicate, however they interleave.
 */
export class WatchHub {
  private readonly subs = new Set<Subscription>()
  private queue: WatchEvent[] = []
  private draining = false

  subscribe(prefix: string, onEvent: (event: WatchEvent) => void, last: number): Subscription {
    const sub = new Subscription(prefix, onEvent, last, this)
    this.subs.add(sub)
    return sub
  }

  remove(sub: Subscription): void {
    this.subs.delete(sub)
  }

  /** Hands committed events (in revision order) to every matching watcher. */
  publish(events: readonly WatchEvent[]): void {
    if (this.subs.size === 0 && !this.draining) return
    for (const event of events) this.queue.push(event)
    if (!this.draining) this.drain()
  }

  /**
   * Replays history (revisions in (sub.last, upto]) to one watcher, then marks it caught up to
   * `upto`. Live events published meanwhile (by the watcher's own callback) wait in the queue.
   */
  replay(sub: Subscription, upto: number, source: ReplaySource): void {
    const outer = this.draining
    this.draining = true
    try {
      source((event) => {
        this.deliver(sub, event)
        return !sub.stopped
      })
      if (sub.last < upto) sub.last = upto
    } catch (err) {
      sub.stop()
      throw err
    } finally {
      if (!outer) {
        this.draining = false
        this.drain()
      }
    }
  }

  stopAll(): void {
    for (const sub of [...this.subs]) sub.stop()
  }

  private drain(): void {
    this.draining = true
    try {
      // The queue may grow while we drain (callbacks that write); read its length each time round.
      for (let i = 0; i < this.queue.length; i++) {
        const event = this.queue[i]
        for (const sub of this.subs) this.deliver(sub, event)
      }
    } finally {
      this.queue = []
      this.draining = false
    }
  }

  private deliver(sub: Subscription, event: WatchEvent): void {
    const revision = event.kv.modRevision
    if (sub.stopped || revision <= sub.last || !event.kv.key.startsWith(sub.prefix)) return
    sub.last = revision
    try {
      sub.onEvent(event)
    } catch (err) {
      // The write is already committed, so its caller must not see this failure. The watcher has
      // missed an event and cannot go on gap-free: stop it and surface the error as uncaught.
      sub.stop()
      queueMicrotask(() => {
        throw err
      })
    }
  }
}
