// A shared informer: a resource's objects kept current by a list and a watch, with indexes by
// namespace and by controller owner, and handlers that controllers use to enqueue keys (handlers
// must not write: they run inside the write that caused the event).
import type {Obj, WatchStream} from '../apiserver/types.js'
import type {ControllerClient} from './client.js'
import {keyString, type ResourceRef} from './types.js'

export interface InformerHandlers {
  onAdd?(o: Obj): void
  onUpdate?(old: Obj, o: Obj): void
  onDelete?(o: Obj): void
}

export class Informer {
  private readonly objects = new Map<string, Obj>()
  private readonly byNamespace = new Map<string, Set<string>>()
  private readonly byOwner = new Map<string, Set<string>>()
  private readonly handlers: InformerHandlers[] = []
  private stream?: WatchStream

  constructor(readonly ref: ResourceRef, private readonly client: ControllerClient) {}

  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h)
  }

  /** Lists, then watches from the list's resourceVersion (no gap, no duplicate). */
  start(): void {
    const {items, resourceVersion} = this.client.list(this.ref)
    for (const o of items) this.put(o)
    for (const o of items) for (const h of this.handlers) h.onAdd?.(o)
    this.stream = this.client.watch(this.ref, resourceVersion)
    this.stream.start((e) => {
      const o = e.object
      if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        const old = this.objects.get(objKey(o))
        this.put(o)
        for (const h of this.handlers) {
          if (old) h.onUpdate?.(old, o)
          else h.onAdd?.(o)
        }
      } else if (e.type === 'DELETED') {
        this.remove(o)
        for (const h of this.handlers) h.onDelete?.(o)
      }
    })
  }

  stop(): void {
    this.stream?.stop()
  }

  get(namespace: string | undefined, name: string): Obj | undefined {
    return this.objects.get(keyString({namespace, name}))
  }

  list(namespace?: string): Obj[] {
    if (namespace === undefined) return [...this.objects.values()]
    return [...(this.byNamespace.get(namespace) ?? [])].map((k) => this.objects.get(k)!).filter(Boolean)
  }

  /** Objects whose controller (ownerReference with controller: true) has this uid. */
  ownedBy(uid: string): Obj[] {
    return [...(this.byOwner.get(uid) ?? [])].map((k) => this.objects.get(k)!).filter(Boolean)
  }

  /**
   * Objects of a namespace without a controller: what a controller may adopt. Indexed, so a
   * controller claiming its pods reads its own and the orphans instead of the whole namespace.
   */
  orphans(namespace?: string): Obj[] {
    return this.ownedBy(orphanKey(namespace ?? ''))
  }

  private put(o: Obj): void {
    const key = objKey(o)
    const old = this.objects.get(key)
    if (old) this.unindex(key, old)
    this.objects.set(key, o)
    const m = o.metadata as Obj
    const ns = (m.namespace as string | undefined) ?? ''
    if (!this.byNamespace.has(ns)) this.byNamespace.set(ns, new Set())
    this.byNamespace.get(ns)!.add(key)
    const owner = controllerUid(o) ?? orphanKey(ns)
    if (!this.byOwner.has(owner)) this.byOwner.set(owner, new Set())
    this.byOwner.get(owner)!.add(key)
  }

  private remove(o: Obj): void {
    const key = objKey(o)
    const old = this.objects.get(key)
    if (old) this.unindex(key, old)
    this.objects.delete(key)
  }

  private unindex(key: string, o: Obj): void {
    const ns = ((o.metadata as Obj).namespace as string | undefined) ?? ''
    this.byNamespace.get(ns)?.delete(key)
    this.byOwner.get(controllerUid(o) ?? orphanKey(ns))?.delete(key)
  }
}

/** The owner index's key for a namespace's uncontrolled objects (never a uid: uids have no NUL). */
function orphanKey(namespace: string): string {
  return `\x00orphans\x00${namespace}`
}

export function objKey(o: Obj): string {
  const m = o.metadata as Obj
  return keyString({namespace: m.namespace as string | undefined, name: String(m.name)})
}

export function controllerUid(o: Obj): string | undefined {
  const refs = ((o.metadata as Obj).ownerReferences ?? []) as Obj[]
  const c = refs.find((r) => r.controller === true)
  return c ? String(c.uid) : undefined
}

export function controllerRef(o: Obj): Obj | undefined {
  return (((o.metadata as Obj).ownerReferences ?? []) as Obj[]).find((r) => r.controller === true)
}
