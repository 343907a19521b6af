// The runner's work queue, as client-go's rate-limited queue behaves: a key is queued at most once;
// a key being processed that is added again is processed once more afterwards; failures are retried
// after an exponential back-off per key (5 ms doubling to 1000 s), forgotten on success; delayed adds
// use the clock.
import type {Clock, TimerHandle} from '../api/clock.js'

const BASE_DELAY_MS = 5
const MAX_DELAY_MS = 1000 * 1000

export class WorkQueue {
  // FIFO as an array and a head index: shift() on a 100,000-key array copies it every time.
  private queue: string[] = []
  private head = 0
  private readonly queued = new Set<string>()
  private readonly processing = new Set<string>()
  private readonly dirtyWhileProcessing = new Set<string>()
  private readonly failures = new Map<string, number>()
  private readonly delayed = new Map<string, {at: number; timer: TimerHandle}>()

  constructor(private readonly clock: Clock, private readonly onReady: () => void = () => {}) {}

  add(key: string): void {
    if (this.processing.has(key)) {
      this.dirtyWhileProcessing.add(key)
      return
    }
    if (this.queued.has(key)) return
    this.queued.add(key)
    this.queue.push(key)
    this.onReady()
  }

  /**
   * Adds the key after `ms`; an earlier pending delayed add for the key wins. `background` marks a
   * periodic resync: a settling virtual clock does not move time forward just to run it.
   */
  addAfter(key: string, ms: number, background = false): void {
    if (ms <= 0) return this.add(key)
    const at = this.clock.now().getTime() + ms
    const existing = this.delayed.get(key)
    if (existing && existing.at <= at) return
    if (existing) this.clock.clearTimeout(existing.timer)
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key)
      this.add(key)
    }, ms, {background})
    this.delayed.set(key, {at, timer})
  }

  /** Drops a pending delayed add of the key (a newer answer about when to look again replaces it). */
  cancelDelayed(key: string): void {
    const existing = this.delayed.get(key)
    if (!existing) return
    this.clock.clearTimeout(existing.timer)
    this.delayed.delete(key)
  }

  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    this.addAfter(key, Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** n))
  }

  forget(key: string): void {
    this.failures.delete(key)
  }

  /** The next key to process, or undefined when none is ready. Call done(key) afterwards. */
  next(): string | undefined {
    if (this.head >= this.queue.length) return undefined
    const key = this.queue[this.head++]!
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    this.queued.delete(key)
    this.processing.add(key)
    return key
  }

  done(key: string): void {
    this.processing.delete(key)
    if (this.dirtyWhileProcessing.delete(key)) this.add(key)
  }

  get length(): number {
    return this.queue.length - this.head
  }

  /** Keys waiting for a delayed add (back-off or requeueAfter). */
  get waiting(): number {
    return this.delayed.size
  }

  shutdown(): void {
    for (const d of this.delayed.values()) this.clock.clearTimeout(d.timer)
    this.delayed.clear()
    this.queue = []
    this.head = 0
    this.queued.clear()
  }
}
