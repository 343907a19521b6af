// Watch streams over the store: events after a resourceVersion (or the current objects first),
// filtered by label and field selectors with the watch cache's rule that an object moving into or
// out of the selection is seen as ADDED or DELETED; bookmarks, sendInitialEvents, timeouts, and
// 410 Expired as an ERROR event when the start is compacted.
import type {Clock, TimerHandle} from '../api/clock.js'
import {CompactedError, type KeyValue, type Store, type Watcher} from '../store/types.js'
import type {Selection} from './selection.js'
import type {Obj, WatchEventOut, WatchStream} from './types.js'
import {gone} from './errors.js'

export interface WatchSpec {
  store: Store
  clock: Clock
  prefix: string
  selection: Selection
  /** Deliver changes after this revision. */
  fromRevision: number
  /** Objects to send as ADDED first (resourceVersion "" or "0", or sendInitialEvents). */
  initial?: Obj[]
  /** After the initial objects, a BOOKMARK annotated k8s.io/initial-events-end. */
  initialEventsEnd?: boolean
  bookmarks: boolean
  timeoutMs?: number
  /** kind and apiVersion for bookmark objects. */
  kind: string
  apiVersion: string
  decode(kv: KeyValue): Obj
  /** What watchers are told when the start revision is compacted. */
  compactedMessage(requested: number, compacted: number): string
}

const BOOKMARK_INTERVAL_MS = 60_000

export function createWatch(spec: WatchSpec): WatchStream {
  let watcher: Watcher | undefined
  let bookmarkTimer: TimerHandle | undefined
  let timeoutTimer: TimerHandle | undefined
  let stopped = false
  let lastRevision = spec.fromRevision
  let end: (() => void) | undefined

  const stop = () => {
    if (stopped) return
    stopped = true
    watcher?.stop()
    if (bookmarkTimer) spec.clock.clearTimeout(bookmarkTimer)
    if (timeoutTimer) spec.clock.clearTimeout(timeoutTimer)
    end?.()
  }

  return {
    start(onEvent, onEnd) {
      end = onEnd
      const emit = (e: WatchEventOut) => {
        if (!stopped) onEvent(e)
      }
      for (const o of spec.initial ?? []) emit({type: 'ADDED', object: o})
      if (spec.initialEventsEnd) {
        emit({type: 'BOOKMARK', object: bookmarkObject(spec, lastRevision, true)})
      }
      try {
        watcher = spec.store.watch(spec.prefix, {
          fromRevision: spec.fromRevision,
          onEvent: (event) => {
            lastRevision = event.kv.modRevision
            const out = translate(spec, event.type, event.kv, event.prev)
            if (out) emit(out)
          },
        })
      } catch (e) {
        if (e instanceof CompactedError) {
          emit({type: 'ERROR', object: gone(spec.compactedMessage(e.requested, e.compacted)).status as unknown as Obj})
          stop()
          return
        }
        throw e
      }
      if (spec.bookmarks) {
        const tick = () => {
          emit({type: 'BOOKMARK', object: bookmarkObject(spec, Math.max(lastRevision, spec.store.currentRevision()), false)})
          bookmarkTimer = spec.clock.setTimeout(tick, BOOKMARK_INTERVAL_MS, {background: true})
        }
        bookmarkTimer = spec.clock.setTimeout(tick, BOOKMARK_INTERVAL_MS, {background: true})
      }
      if (spec.timeoutMs !== undefined && spec.timeoutMs > 0) timeoutTimer = spec.clock.setTimeout(stop, spec.timeoutMs, {background: true})
    },
    stop,
  }
}

function translate(spec: WatchSpec, type: 'ADDED' | 'MODIFIED' | 'DELETED', kv: KeyValue, prev?: KeyValue): WatchEventOut | undefined {
  const sel = spec.selection
  if (type === 'ADDED') {
    const o = spec.decode(kv)
    return sel.matches(o) ? {type, object: o} : undefined
  }
  if (type === 'DELETED') {
    const o = spec.decode(kv)
    return sel.matches(o) ? {type, object: o} : undefined
  }
  const o = spec.decode(kv)
  if (sel.empty) return {type, object: o}
  const now = sel.matches(o)
  const before = prev ? sel.matches(spec.decode(prev)) : false
  if (now && before) return {type: 'MODIFIED', object: o}
  if (now) return {type: 'ADDED', object: o}
  if (before) return {type: 'DELETED', object: o}
  return undefined
}

function bookmarkObject(spec: WatchSpec, revision: number, initialEventsEnd: boolean): Obj {
  const metadata: Obj = {resourceVersion: String(revision)}
  if (initialEventsEnd) metadata.annotations = {'k8s.io/initial-events-end': 'true'}
  return {kind: spec.kind, apiVersion: spec.apiVersion, metadata}
}
