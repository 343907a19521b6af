// What both Store implementations share: write rules, current-revision reads from the in-memory
// index, transactions with savepoints, and watch delivery; subclasses keep the history.
import {CurrentIndex} from './current-index.js'
import {WatchHub} from './watch-hub.js'
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  StoreError,
  type Encode,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type WatchEvent,
  type WatchOptions,
  type Watcher,
} from './types.js'
import type {ReplaySource} from './watch-hub.js'

export abstract class CachedStore implements Store {
  protected index: CurrentIndex
  private revision: number
  /** The newest revision outside any open transaction: what watchers may see. */
  private committed: number
  private compacted: number
  private readonly hub = new WatchHub()
  /** Writes of the open transaction, in order: its events after commit, its undo log on rollback. */
  private pending: WatchEvent[] = []
  private depth = 0
  private closed = false

  protected constructor(state: {index: CurrentIndex; revision: number; compacted: number}) {
    this.index = state.index
    this.revision = state.revision
    this.committed = state.revision
    this.compacted = state.compacted
  }

  // --- storage hooks -------------------------------------------------------------------------

  /** Records one write (its own commit outside a transaction). Throws to refuse it; then nothing changed. */
  protected abstract persist(event: WatchEvent): void
  /** Forgets a write of a transaction being rolled back, newest first (for storage SQL cannot roll back). */
  protected abstract unpersist(event: WatchEvent): void
  protected abstract begin(depth: number): void
  protected abstract commit(depth: number): void
  protected abstract rollback(depth: number): void
  /** Inside a transaction: true when storage dropped it behind our back (SQLite does on some I/O errors). */
  protected transactionLost(): boolean {
    return false
  }
  /** A list as of `revision` (compacted < revision < current, or equal to current inside a transaction). */
  protected abstract listAt(prefix: string, revision: number, continueAfter: string | undefined, limit: number): ListResult
  /** History events under `prefix` with after < revision <= upto, in revision order. */
  protected abstract history(prefix: string, after: number, upto: number): ReplaySource
  /** Discards history at and below `revision` (which is above the old compacted revision). */
  protected abstract discard(revision: number): void
  protected abstract release(): void

  // --- reads ---------------------------------------------------------------------------------

  currentRevision(): number {
    return this.revision
  }

  compactedRevision(): number {
    return this.compacted
  }

  get(key: string): KeyValue | undefined {
    this.assertOpen()
    return this.index.get(key)
  }

  list(prefix: string, opts: ListOptions = {}): ListResult {
    this.assertOpen()
    const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : 0
    const revision = opts.revision ?? 0
    if (revision < 0 || !Number.isInteger(revision)) throw new StoreError(`invalid revision ${revision}`)
    if (revision > this.revision) throw new StoreError(`required revision ${revision} is a future revision (current ${this.revision})`)
    if (revision !== 0 && revision < this.compacted) throw new CompactedError(revision, this.compacted)
    if (revision !== 0 && revision !== this.revision) return this.listAt(prefix, revision, opts.continueAfter, limit)
    const page = this.index.page(prefix, opts.continueAfter, limit)
    return pageResult(page.items, this.revision, page.remaining)
  }

  count(prefix: string): number {
    this.assertOpen()
    return this.index.count(prefix)
  }

  // --- writes --------------------------------------------------------------------------------

  create(key: string, encode: Encode): KeyValue {
    this.assertWritable()
    if (this.index.get(key)) throw new KeyExistsError(key)
    const revision = this.revision + 1
    const kv = freezeKv(key, encodeAt(encode, revision), revision, revision)
    this.apply(Object.freeze({type: 'ADDED', kv}))
    return kv
  }

  update(key: string, encode: Encode, expectedModRevision?: number): KeyValue {
    this.assertWritable()
    const prev = this.existing(key, expectedModRevision)
    const revision = this.revision + 1
    const kv = freezeKv(key, encodeAt(encode, revision), prev.createRevision, revision)
    this.apply(Object.freeze({type: 'MODIFIED', kv, prev}))
    return kv
  }

  delete(key: string, expectedModRevision?: number): KeyValue {
    this.assertWritable()
    const prev = this.existing(key, expectedModRevision)
    const kv = freezeKv(key, prev.value, prev.createRevision, this.revision + 1)
    this.apply(Object.freeze({type: 'DELETED', kv, prev}))
    return kv
  }

  transaction<T>(fn: () => T): T {
    this.assertWritable()
    const depth = this.depth
    const mark = this.pending.length
    this.begin(depth)
    this.depth++
    let result: T
    try {
      result = fn()
      if (isThenable(result)) throw new StoreError('transaction functions must be synchronous (it returned a promise)')
      if (depth === 0 && this.transactionLost()) throw new StoreError('the storage aborted the transaction')
      this.commit(depth)
    } catch (err) {
      // A lost storage transaction took the outer levels' writes with it: undo all of them too.
      const lost = this.transactionLost()
      if (!lost) this.rollback(depth)
      this.depth--
      this.undo(lost ? 0 : mark)
      throw err
    }
    this.depth--
    if (depth === 0) {
      const events = this.pending
      this.pending = []
      this.committed = this.revision
      this.hub.publish(events)
    }
    return result
  }

  // --- watch and compaction ------------------------------------------------------------------

  watch(prefix: string, opts: WatchOptions): Watcher {
    this.assertOpen()
    const from = opts.fromRevision
    if (from < 0 || !Number.isInteger(from)) throw new StoreError(`invalid watch revision ${from}`)
    if (from !== 0 && from < this.compacted) throw new CompactedError(from, this.compacted)
    const upto = this.committed
    const start = from === 0 ? upto : from
    const sub = this.hub.subscribe(prefix, opts.onEvent, start)
    if (start < upto) this.hub.replay(sub, upto, this.history(prefix, start, upto))
    return sub
  }

  compact(revision: number): void {
    this.assertOpen()
    if (this.depth > 0) throw new StoreError('cannot compact inside a transaction')
    if (!Number.isInteger(revision)) throw new StoreError(`invalid revision ${revision}`)
    if (revision > this.committed) throw new StoreError(`cannot compact to future revision ${revision} (current ${this.committed})`)
    if (revision <= this.compacted) return
    this.discard(revision)
    this.compacted = revision
  }

  close(): void {
    if (this.closed) return
    if (this.depth > 0) throw new StoreError('cannot close inside a transaction')
    this.closed = true
    this.hub.stopAll()
    this.release()
  }

  // --- internals -----------------------------------------------------------------------------

  private existing(key: string, expectedModRevision: number | undefined): KeyValue {
    const prev = this.index.get(key)
    if (!prev) throw new KeyNotFoundError(key)
    if (expectedModRevision !== undefined && expectedModRevision !== prev.modRevision) {
      throw new ConflictError(key, expectedModRevision, prev.modRevision)
    }
    return prev
  }

  private apply(event: WatchEvent): void {
    this.persist(event)
    this.revision = event.kv.modRevision
    if (event.type === 'DELETED') this.index.remove(event.kv.key)
    else this.index.put(event.kv)
    if (this.depth > 0) {
      this.pending.push(event)
    } else {
      this.committed = this.revision
      this.hub.publish([event])
    }
  }

  /** Reverts the open transaction's writes back to `mark`, newest first. */
  private undo(mark: number): void {
    while (this.pending.length > mark) {
      const event = this.pending.pop() as WatchEvent
      if (event.prev) this.index.put(event.prev)
      else this.index.remove(event.kv.key)
      this.unpersist(event)
      this.revision = event.kv.modRevision - 1
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('store is closed')
  }

  private assertWritable(): void {
    this.assertOpen()
    if (this.depth > 0 && this.transactionLost()) throw new StoreError('the storage aborted the transaction')
  }
}

export function pageResult(items: KeyValue[], revision: number, remaining: number): ListResult {
  const result: ListResult = {items, revision, remaining}
  if (remaining > 0) result.continueKey = items[items.length - 1].key
  return result
}

function encodeAt(encode: Encode, revision: number): string {
  const value = encode(revision)
  if (typeof value !== 'string') throw new StoreError(`encode must return a string, got ${typeof value}`)
  return value
}

function freezeKv(key: string, value: string, createRevision: number, modRevision: number): KeyValue {
  return Object.freeze({key, value, createRevision, modRevision})
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as {then?: unknown}).then === 'function'
}
