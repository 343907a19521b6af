// The emulator's storage contract: a revisioned key-value store like etcd (and k3s's kine over
// SQLite). One global, monotonic revision; every write gets the next one and it becomes the object's
// resourceVersion. History is kept (for watch from a revision) until compacted.
//
// Values are JSON text. The store never parses them: the API server hands it an `encode(revision)`
// function so the stored text already carries `metadata.resourceVersion` (and lists can be answered
// by joining stored texts).

export interface KeyValue {
  key: string
  /** JSON text of the object as stored (its resourceVersion equals modRevision). */
  value: string
  /** Revision of the write that created the key (etcd's create_revision). */
  createRevision: number
  /** Revision of the last write to the key (etcd's mod_revision); the object's resourceVersion. */
  modRevision: number
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface WatchEvent {
  type: WatchEventType
  /** For DELETED: the last value, with modRevision = the delete's revision. */
  kv: KeyValue
  /** For MODIFIED and DELETED: the value before this write. */
  prev?: KeyValue
}

export interface ListOptions {
  /** Read as of this revision (0 or undefined: current). Older than the compacted revision: CompactedError. */
  revision?: number
  /** At most this many items; `continueKey` then names the key to start after. */
  limit?: number
  /** Exclusive start key (from a previous page's `continueKey`). */
  continueAfter?: string
}

export interface ListResult {
  items: KeyValue[]
  /** The revision the list was read at. */
  revision: number
  /** Set when more items follow: pass it back as `continueAfter`. */
  continueKey?: string
  /** How many items remain after this page (like etcd's count - len(items)). */
  remaining?: number
}

/** A write's payload: given the revision the store assigns, the JSON text to store. */
export type Encode = (revision: number) => string

export interface Watcher {
  stop(): void
}

export interface WatchOptions {
  /** Deliver every event with revision > fromRevision (0: only future events). */
  fromRevision: number
  /** Called for each event, in revision order, synchronously after the write commits (or replayed). */
  onEvent(event: WatchEvent): void
}

export interface Store {
  /** The revision of the last committed write (0 for an empty store). */
  currentRevision(): number
  /** The oldest revision still readable: history at or below it has been compacted away. */
  compactedRevision(): number

  get(key: string): KeyValue | undefined
  /** Keys starting with `prefix`, in key order. */
  list(prefix: string, opts?: ListOptions): ListResult
  /** Count of keys under a prefix (current revision). */
  count(prefix: string): number

  /** Fails with KeyExistsError when the key exists. */
  create(key: string, encode: Encode): KeyValue
  /**
   * Replaces the value. With `expectedModRevision`, fails with ConflictError when the key's
   * modRevision differs. Fails with KeyNotFoundError when absent.
   */
  update(key: string, encode: Encode, expectedModRevision?: number): KeyValue
  /** Removes the key; returns the deleted value (modRevision = the delete's revision). Same errors as update. */
  delete(key: string, expectedModRevision?: number): KeyValue

  /**
   * Runs `fn` atomically: every write inside it commits together (or none does, if it throws) and
   * watchers see the events only after the commit. Each write still gets its own revision.
   */
  transaction<T>(fn: () => T): T

  /** Events under a prefix from a revision; CompactedError when fromRevision is older than the compacted revision. */
  watch(prefix: string, opts: WatchOptions): Watcher

  /** Discards history at and below `revision` (never the current values). */
  compact(revision: number): void

  close(): void
}

export class StoreError extends Error {}

export class KeyExistsError extends StoreError {
  constructor(readonly key: string) {
    super(`key exists: ${key}`)
  }
}

export class KeyNotFoundError extends StoreError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`)
  }
}

export class ConflictError extends StoreError {
  constructor(readonly key: string, readonly expected: number, readonly actual: number) {
    super(`revision conflict on ${key}: expected ${expected}, found ${actual}`)
  }
}

export class CompactedError extends StoreError {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`required revision ${requested} has been compacted (compacted revision ${compacted})`)
  }
}
