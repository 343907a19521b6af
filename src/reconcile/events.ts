// Events as client-go's recorders write them, for every component of the emulated control plane.
//
// - `EventRecorder` is the legacy core/v1 recorder (controllers, kubelet): source {component, host},
//   firstTimestamp/lastTimestamp/count, and the EventCorrelator's de-duplication — the same event
//   (object, type, reason, message, source) seen again bumps `count` and `lastTimestamp` of the
//   existing Event instead of creating another. Like client-go, the correlator's memory is a bounded
//   LRU (4,096 entries) and is not persisted: a restarted component starts new Events.
// - `newStyleEvent` is what the events.k8s.io/v1 recorder (kube-scheduler) produces, read back through
//   core/v1: eventTime, action, reportingController/Instance, no first/last timestamps.
//
// Event names are `<object name>.<hex of the Unix time in ns>`, unique per recorder.
import type {Clock} from '../api/clock.js'
import type {Obj} from '../apiserver/types.js'
import {ApiError} from '../apiserver/errors.js'
import type {ControllerClient} from './client.js'
import {RESOURCES} from './types.js'

export type EventType = 'Normal' | 'Warning'

export interface EventSource {
  component: string
  host?: string
}

/** What an Event points at (its involvedObject). */
export interface ObjectReference {
  kind: string
  namespace?: string
  name: string
  uid?: string
  apiVersion?: string
  resourceVersion?: string
  fieldPath?: string
}

/** The reference an Event carries for an object as stored. */
export function referenceTo(o: Obj, fieldPath?: string): ObjectReference {
  const m = o.metadata as Obj
  const ref: ObjectReference = {kind: String(o.kind), name: String(m.name), apiVersion: String(o.apiVersion)}
  if (m.namespace) ref.namespace = String(m.namespace)
  if (m.uid) ref.uid = String(m.uid)
  if (m.resourceVersion) ref.resourceVersion = String(m.resourceVersion)
  if (fieldPath) ref.fieldPath = fieldPath
  return ref
}

/** RFC 3339 with seconds, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z')
}

/** metav1.MicroTime: six fractional digits. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(6, '0').slice(0, 6)}Z`)
}

const LRU_SIZE = 4096

interface Seen {
  namespace: string
  name: string
  count: number
}

/**
 * Unique `<name>.<hex ns>` names: nanoseconds from the clock, bumped past the last one used. One
 * namer per clock (that is, per control plane), shared by every recorder: two components recording
 * about one object in the same millisecond must not pick the same name.
 */
class EventNamer {
  private last = 0n

  next(objectName: string, at: Date): string {
    let ns = BigInt(at.getTime()) * 1_000_000n
    if (ns <= this.last) ns = this.last + 1n
    this.last = ns
    return `${objectName}.${ns.toString(16)}`
  }

  static forClock(clock: Clock): EventNamer {
    let n = namers.get(clock)
    if (!n) namers.set(clock, (n = new EventNamer()))
    return n
  }
}

const namers = new WeakMap<Clock, EventNamer>()
/** How often a create whose name is taken (by an earlier process on the same state) tries the next one. */
const NAME_RETRIES = 8

export class EventRecorder {
  private readonly seen = new Map<string, Seen>()
  private readonly namer: EventNamer

  constructor(private readonly client: ControllerClient, private readonly clock: Clock, readonly source: EventSource) {
    this.namer = EventNamer.forClock(clock)
  }

  /** Records an event about `object` (a stored object or a reference), `at` defaulting to now. */
  event(object: Obj | ObjectReference, type: EventType, reason: string, message: string, opts: {at?: Date; fieldPath?: string} = {}): void {
    const ref = 'metadata' in object ? referenceTo(object as Obj, opts.fieldPath) : {...(object as ObjectReference), ...(opts.fieldPath ? {fieldPath: opts.fieldPath} : {})}
    const at = opts.at ?? this.clock.now()
    const namespace = ref.namespace || 'default'
    const key = [ref.kind, namespace, ref.name, ref.uid ?? '', ref.fieldPath ?? '', type, reason, message, this.source.component, this.source.host ?? ''].join('\x00')
    const prior = this.seen.get(key)
    if (prior) {
      this.seen.delete(key)
      this.seen.set(key, prior)
      prior.count++
      try {
        this.client.patch(RESOURCES.events, prior.namespace, prior.name, 'merge', {count: prior.count, lastTimestamp: rfc3339(at)})
        return
      } catch (e) {
        // Gone (deleted by its TTL or by hand): record it afresh.
        if (!(e instanceof ApiError && e.code === 404)) throw e
        this.seen.delete(key)
      }
    }
    const t = rfc3339(at)
    const ev: Obj = {
      apiVersion: 'v1', kind: 'Event',
      metadata: {name: '', namespace},
      involvedObject: {...ref},
      reason, message,
      source: {...this.source},
      firstTimestamp: t, lastTimestamp: t, count: 1, type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    }
    const name = this.create(namespace, ev, ref.name, at)
    if (name === undefined) return
    this.seen.set(key, {namespace, name, count: 1})
    if (this.seen.size > LRU_SIZE) this.seen.delete(this.seen.keys().next().value!)
  }

  /** An events.k8s.io/v1-style event (what kube-scheduler writes), e.g. action `Binding`. */
  newStyle(object: Obj | ObjectReference, type: EventType, reason: string, action: string, note: string, reportingInstance: string, at = this.clock.now()): void {
    const ref = 'metadata' in object ? referenceTo(object as Obj) : (object as ObjectReference)
    const namespace = ref.namespace || 'default'
    const ev: Obj = {
      apiVersion: 'v1', kind: 'Event',
      metadata: {name: '', namespace},
      involvedObject: {...ref},
      reason, message: note,
      source: {},
      firstTimestamp: null, lastTimestamp: null,
      type, eventTime: microTime(at), action,
      reportingComponent: this.source.component,
      reportingInstance,
    }
    this.create(namespace, ev, ref.name, at)
  }

  /**
   * Creates an Event under a fresh name (the next one when a name is taken) and returns the name; a
   * namespace being deleted (or gone) swallows it, as the real recorder does.
   */
  private create(namespace: string, ev: Obj, objectName: string, at: Date): string | undefined {
    for (let attempt = 0; attempt < NAME_RETRIES; attempt++) {
      const name = this.namer.next(objectName, at)
      ;(ev.metadata as Obj).name = name
      try {
        this.client.create(RESOURCES.events, namespace, ev)
        return name
      } catch (e) {
        if (e instanceof ApiError && e.code === 409 && e.status.reason === 'AlreadyExists') continue
        if (e instanceof ApiError && (e.code === 403 || e.code === 404 || e.code === 409)) return undefined
        throw e
      }
    }
    return undefined
  }
}
