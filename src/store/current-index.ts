// The current value of every live key, in memory: a Map for gets plus SortedKeys for ordered prefix
// lists and counts. It backs MemoryStore's reads and SqliteStore's watch cache.
import {prefixEnd} from './key-range.js'
import {SortedKeys} from './sorted-keys.js'
import type {KeyValue} from './types.js'

export interface Page {
  items: KeyValue[]
  /** Keys after this page that still match the prefix. */
  remaining: number
}

export class CurrentIndex {
  private readonly values = new Map<string, KeyValue>()
  private keys: SortedKeys

  constructor(sorted?: {kvs: readonly KeyValue[]}) {
    if (!sorted) {
      this.keys = new SortedKeys()
      return
    }
    // Normally already in key order (read through the key index); a collation difference (SQLite
    // compares UTF-8 bytes, JS compares UTF-16 units) only costs a sort.
    const names: string[] = []
    let ordered = true
    for (const kv of sorted.kvs) {
      if (names.length > 0 && !(names[names.length - 1] < kv.key)) ordered = false
      names.push(kv.key)
      this.values.set(kv.key, kv)
    }
    if (!ordered) names.sort()
    this.keys = SortedKeys.fromSorted(names)
  }

  get size(): number {
    return this.values.size
  }

  get(key: string): KeyValue | undefined {
    return this.values.get(key)
  }

  put(kv: KeyValue): void {
    if (!this.values.has(kv.key)) this.keys.add(kv.key)
    this.values.set(kv.key, kv)
  }

  remove(key: string): void {
    if (this.values.delete(key)) this.keys.delete(key)
  }

  /** Live keys under `prefix` in key order, starting after `continueAfter`, at most `limit` (0: all). */
  page(prefix: string, continueAfter: string | undefined, limit: number): Page {
    const [from, after] = startOf(prefix, continueAfter)
    const end = prefixEnd(prefix)
    const keys = this.keys.range(from, after, end, limit > 0 ? limit : Number.POSITIVE_INFINITY)
    const items = keys.map((key) => this.values.get(key) as KeyValue)
    const remaining = limit > 0 && keys.length === limit ? this.keys.countRange(keys[keys.length - 1], true, end) : 0
    return {items, remaining}
  }

  /**
   * Live keys after `last` and before `end` as they were at an older revision, from today's count and
   * every write since that revision (in revision order; the first write per key tells whether it
   * existed then: only a creation says it did not).
   */
  countAsOf(last: string, end: string | undefined, writesSince: Iterable<readonly [key: string, created: boolean]>): number {
    let count = this.keys.countRange(last, true, end)
    const seen = new Set<string>()
    for (const [key, created] of writesSince) {
      if (key <= last || (end !== undefined && key >= end) || seen.has(key)) continue
      seen.add(key)
      if (!created) count++
      if (this.values.has(key)) count--
    }
    return count
  }

  count(prefix: string): number {
    if (prefix === '') return this.values.size
    return this.keys.countRange(prefix, false, prefixEnd(prefix))
  }

  /** Every live value in key order (consistency checks). */
  all(): KeyValue[] {
    return this.keys.toArray().map((key) => this.values.get(key) as KeyValue)
  }
}

/** Where a prefix list starts: at the prefix, or just after the continue key when that lies beyond it. */
export function startOf(prefix: string, continueAfter: string | undefined): [from: string, after: boolean] {
  return continueAfter !== undefined && continueAfter >= prefix ? [continueAfter, true] : [prefix, false]
}
