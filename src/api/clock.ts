// Time for every component that waits: the real clock for the daemon, a virtual clock for embedded
// commands, previews and tests (which never sleep: they advance time and run what became due).

export interface TimerHandle {
  readonly id: number
}

export interface TimerOptions {
  /**
   * Periodic housekeeping (compaction, bookmarks, heartbeats): a virtual clock does not move time
   * forward just to run these while settling.
   */
  background?: boolean
}

export interface Clock {
  now(): Date
  setTimeout(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export class RealClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>()
  private next = 1

  now(): Date {
    return new Date()
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.next++
    const t = setTimeout(() => {
      this.timers.delete(id)
      fn()
    }, Math.max(0, ms))
    // Timers must not keep a CLI process alive on their own.
    t.unref()
    this.timers.set(id, t)
    return {id}
  }

  clearTimeout(handle: TimerHandle): void {
    const t = this.timers.get(handle.id)
    if (t) clearTimeout(t)
    this.timers.delete(handle.id)
  }
}

interface VirtualTimer {
  id: number
  at: number
  seq: number
  fn: () => void
  background: boolean
}

/** A binary min-heap of timers by (time, creation); cancelled timers are skipped when they surface. */
class TimerHeap {
  private readonly items: VirtualTimer[] = []

  push(t: VirtualTimer): void {
    const a = this.items
    a.push(t)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(a[i]!, a[parent]!)) break
      ;[a[i], a[parent]] = [a[parent]!, a[i]!]
      i = parent
    }
  }

  /** The earliest timer still live in `live`, dropping cancelled ones on the way. */
  peek(live: Map<number, VirtualTimer>): VirtualTimer | undefined {
    while (this.items.length > 0) {
      const top = this.items[0]!
      if (live.get(top.id) === top) return top
      this.pop()
    }
    return undefined
  }

  pop(): VirtualTimer | undefined {
    const a = this.items
    if (a.length === 0) return undefined
    const top = a[0]
    const last = a.pop()!
    if (a.length > 0) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1, r = l + 1
        let m = i
        if (l < a.length && before(a[l]!, a[m]!)) m = l
        if (r < a.length && before(a[r]!, a[m]!)) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m]!, a[i]!]
        i = m
      }
    }
    return top
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}

/**
 * Time moves only when told to; due timers run in (time, creation) order. Timers live in two heaps
 * (all of them, and work timers only) so a cluster with 100,000 pending timers stays fast.
 */
export class VirtualClock implements Clock {
  private current: number
  private readonly timers = new Map<number, VirtualTimer>()
  private readonly all = new TimerHeap()
  private readonly work = new TimerHeap()
  private next = 1

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  setTimeout(fn: () => void, ms: number, opts: TimerOptions = {}): TimerHandle {
    const id = this.next++
    const t: VirtualTimer = {id, at: this.current + Math.max(0, ms), seq: id, fn, background: opts.background === true}
    this.timers.set(id, t)
    this.all.push(t)
    if (!t.background) this.work.push(t)
    return {id}
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id)
  }

  /** When the earliest pending timer is due (only work timers with `workOnly`), or undefined. */
  nextTimerAt(workOnly = false): number | undefined {
    return (workOnly ? this.work : this.all).peek(this.timers)?.at
  }

  pending(): number {
    return this.timers.size
  }

  /** Runs every timer due now (including ones they schedule for now). Returns how many ran. */
  runDue(): number {
    let ran = 0
    for (;;) {
      const t = this.all.peek(this.timers)
      if (!t || t.at > this.current) return ran
      this.all.pop()
      this.timers.delete(t.id)
      t.fn()
      ran++
    }
  }

  /** Moves time forward by `ms`, running timers in order as their time comes. */
  advance(ms: number): void {
    const end = this.current + ms
    for (;;) {
      const at = this.nextTimerAt()
      if (at === undefined || at > end) break
      this.current = Math.max(this.current, at)
      this.runDue()
    }
    this.current = end
  }

  /** Jumps to the next timer (if any) and runs what is due; returns false when nothing is pending. */
  advanceToNext(): boolean {
    const at = this.nextTimerAt()
    if (at === undefined) return false
    this.current = Math.max(this.current, at)
    this.runDue()
    return true
  }
}
