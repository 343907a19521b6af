// MemoryStore: the Store contract entirely in memory, for previews and tests. Keeps every revision
// (as its watch event) until compaction, so lists at old revisions and watch replays work as with SQLite.
import {CachedStore, pageResult} from './cached-store.js'
import {CurrentIndex, startOf} from './current-index.js'
import {prefixEnd} from './key-range.js'
import {SortedKeys} from './sorted-keys.js'
import type {KeyValue, ListResult, WatchEvent} from './types.js'
import type {ReplaySource} from './watch-hub.js'

export class MemoryStore extends CachedStore {
  /** Every event after `logBase`, in revision order: log[i] has revision logBase + i + 1. */
  private log: WatchEvent[] = []
  private logBase = 0
  /** Each key's retained versions, oldest first (a DELETED event marks a tombstone). */
  private readonly versions = new Map<string, WatchEvent[]>()
  /** Keys with any retained version, live or deleted, for ordered lists at old revisions. */
  private readonly historyKeys = new SortedKeys()

  constructor() {
    super({index: new CurrentIndex(), revision: 0, compacted: 0})
  }

  protected persist(event: WatchEvent): void {
    this.log.push(event)
    const key = event.kv.key
    const versions = this.versions.get(key)
    if (versions) {
      versions.push(event)
    } else {
      this.versions.set(key, [event])
      this.historyKeys.add(key)
    }
  }

  protected unpersist(event: WatchEvent): void {
    this.log.pop()
    const key = event.kv.key
    const versions = this.versions.get(key) as WatchEvent[]
    versions.pop()
    if (versions.length === 0) {
      this.versions.delete(key)
      this.historyKeys.delete(key)
    }
  }

  protected begin(): void {}
  protected commit(): void {}
  protected rollback(): void {}

  protected listAt(prefix: string, revision: number, continueAfter: string | undefined, limit: number): ListResult {
    const end = prefixEnd(prefix)
    let [from, after] = startOf(prefix, continueAfter)
    const items: KeyValue[] = []
    for (;;) {
      const batch = limit > 0 ? Math.max(limit - items.length, 16) : 4096
      const keys = this.historyKeys.range(from, after, end, batch)
      for (const key of keys) {
        const kv = valueAt(this.versions.get(key) as WatchEvent[], revision)
        if (!kv) continue
        items.push(kv)
        if (items.length === limit) return pageResult(items, revision, this.index.countAsOf(key, end, this.writesSince(revision)))
      }
      if (keys.length < batch) return pageResult(items, revision, 0)
      from = keys[keys.length - 1]
      after = true
    }
  }

  private *writesSince(revision: number): Generator<readonly [string, boolean]> {
    for (let i = revision - this.logBase; i < this.log.length; i++) yield [this.log[i].kv.key, this.log[i].type === 'ADDED']
  }

  protected history(prefix: string, after: number, upto: number): ReplaySource {
    return (deliver) => {
      for (let revision = after + 1; revision <= upto; revision++) {
        // Indexed by revision each time round: a callback may compact (shift the log) mid-replay.
        const event = this.log[revision - 1 - this.logBase]
        if (event && event.kv.key.startsWith(prefix) && !deliver(event)) return
      }
    }
  }

  protected discard(revision: number): void {
    const dropped = this.log.splice(0, revision - this.logBase)
    this.logBase = revision
    // Only keys written in the discarded span can have versions to drop.
    const touched = new Set<string>()
    for (const event of dropped) touched.add(event.kv.key)
    for (const key of touched) {
      const versions = this.versions.get(key) as WatchEvent[]
      let last = -1 // the newest version at or below `revision`: the key's state there, kept unless a tombstone
      while (last + 1 < versions.length && versions[last + 1].kv.modRevision <= revision) last++
      const drop = last >= 0 && versions[last].type === 'DELETED' ? last + 1 : last
      if (drop > 0) versions.splice(0, drop)
      if (versions.length === 0) {
        this.versions.delete(key)
        this.historyKeys.delete(key)
      }
    }
  }

  protected release(): void {
    this.log = []
  }
}

/** The key's value as of `revision`, or undefined when it did not exist then. */
function valueAt(versions: readonly WatchEvent[], revision: number): KeyValue | undefined {
  let lo = 0
  let hi = versions.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (versions[mid].kv.modRevision <= revision) lo = mid + 1
    else hi = mid
  }
  const event = lo > 0 ? versions[lo - 1] : undefined
  return event && event.type !== 'DELETED' ? event.kv : undefined
}
