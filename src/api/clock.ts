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

/** Time moves only when told to; due timers run in (time, creation) order. */
export class VirtualClock implements Clock {
  private current: number
  private readonly timers = new Map<number, VirtualTimer>()
  private next = 1

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime()
  }

  now(): Date {
    return new Date(this.current)
  }

  setTimeout(fn: () => void, ms: number, opts: TimerOptions = {}): TimerHandle {
    const id = this.next++
    this.timers.set(id, {id, at: this.current + Math.max(0, ms), seq: id, fn, background: opts.background === true})
    return {id}
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id)
  }

  /** When the earliest pending timer is due (only work timers with `workOnly`), or undefined. */
  nextTimerAt(workOnly = false): number | undefined {
    let min: number | undefined
    for (const t of this.timers.values()) {
      if (workOnly && t.background) continue
      if (min === undefined || t.at < min) min = t.at
    }
    return min
  }

  pending(): number {
    return this.timers.size
  }

  /** Runs every timer due now (including ones they schedule for now). Returns how many ran. */
  runDue(): number {
    let ran = 0
    for (;;) {
      const due = [...this.timers.values()].filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at || a.seq - b.seq)
      if (due.length === 0) return ran
      const t = due[0]
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
