// The garbage collector (pkg/controller/garbagecollector): deletes objects whose owners are all gone,
// orphans the dependents of an owner deleted with the `orphan` finalizer, and carries out foreground
// deletion (`foregroundDeletion`). Keys are object uids; the graph comes from shared informers.
import type {ResourceCatalog} from '../../apiserver/catalog.js'
import {ApiError} from '../../apiserver/errors.js'
import type {Obj} from '../../apiserver/types.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler, type ResourceRef} from '../types.js'
import {
  DependencyGraph, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, finalizersOf, isBeingDeleted, isDeletingDependents, metaOf, ownerReferences,
  type GraphNode,
} from './gc-graph.js'

const core = (resource: string, namespaced = true): ResourceRef => ({group: '', version: 'v1', resource, namespaced})

/**
 * The resources the collector watches: those that own or are owned in practice. (The real collector
 * watches every resource that supports list, watch and delete; an owner of another kind is still
 * verified by a GET, but its deletion is only noticed when its dependents are next looked at.)
 */
export const GC_RESOURCES: readonly ResourceRef[] = [
  RESOURCES.pods, RESOURCES.replicasets, RESOURCES.deployments, RESOURCES.statefulsets, RESOURCES.daemonsets,
  RESOURCES.controllerrevisions, RESOURCES.jobs, RESOURCES.cronjobs, RESOURCES.services, RESOURCES.endpoints,
  RESOURCES.endpointslices, core('configmaps'), core('secrets'), RESOURCES.persistentvolumeclaims, RESOURCES.serviceaccounts,
  RESOURCES.nodes, RESOURCES.persistentvolumes, RESOURCES.poddisruptionbudgets,
]

type Propagation = 'Orphan' | 'Background' | 'Foreground'

/** Owner references sorted by what the owner's state means for the dependent. */
interface Classified {
  solid: Obj[]
  dangling: Obj[]
  waitingForDependentsDeletion: Obj[]
}

export class GarbageCollector implements Reconciler {
  readonly name = 'garbagecollector'
  readonly graph = new DependencyGraph()
  /** Set when the controller is wired: processing an owner queues its dependents. */
  enqueue: (uid: string) => void = () => {}

  constructor(private readonly ctx: ControllerContext, private readonly catalog: Pick<ResourceCatalog, 'forKind' | 'all'>) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const node = this.graph.get(key.name)
    // Gone: its dependents were queued when its deletion was observed.
    if (!node) return 'done'
    if (isBeingDeleted(node.obj)) {
      const fin = finalizersOf(node.obj)
      // Orphaning first; removing its finalizer is an update that brings the owner back for foreground.
      if (fin.includes(ORPHAN_FINALIZER)) return this.attemptToOrphan(node)
      if (fin.includes(FOREGROUND_FINALIZER)) return this.processDeletingDependents(node)
      // "Being deleted" is a one-way trip: its dependents are handled once it is gone.
      return 'done'
    }
    return this.attemptToDelete(node)
  }

  /** Removes the owner's references from all its dependents, then the `orphan` finalizer from it. */
  private attemptToOrphan(owner: GraphNode): ReconcileResult {
    for (const dep of this.graph.dependentsOf(owner.uid)) this.removeOwnerReferences(dep, [owner.uid])
    this.removeFinalizer(owner, ORPHAN_FINALIZER)
    return 'done'
  }

  /** A foreground deletion ends once no dependent blocks it; until then its dependents are being deleted. */
  private processDeletingDependents(owner: GraphNode): ReconcileResult {
    const blocking = this.graph.blockingDependentsOf(owner.uid)
    if (blocking.length === 0) {
      this.removeFinalizer(owner, FOREGROUND_FINALIZER)
      return 'done'
    }
    for (const dep of this.graph.dependentsOf(owner.uid)) if (!isDeletingDependents(dep.obj)) this.enqueue(dep.uid)
    return 'done'
  }

  /** attemptToDeleteItem: deletes the object if no owner of it remains, or drops references to owners that are gone. */
  private attemptToDelete(node: GraphNode): ReconcileResult {
    const refs = ownerReferences(node.obj)
    if (refs.length === 0) return 'done'
    const c = this.classify(node, refs)
    // An owner that cannot be resolved (unknown kind, or namespaced owner of a cluster-scoped object)
    // is left alone, not retried forever.
    if (!c) return 'done'
    if (c.solid.length > 0) {
      // Waiting references go too, or their owners would wait on this object forever.
      const drop = [...c.dangling, ...c.waitingForDependentsDeletion].map((r) => String(r.uid))
      if (drop.length > 0) this.removeOwnerReferences(node, drop)
      return 'done'
    }
    let target = node.obj
    if (c.waitingForDependentsDeletion.length > 0 && this.graph.dependentsOf(node.uid).length > 0) {
      // A dependent that is itself deleting dependents may block on this object: a cycle. As the
      // collector does, unblock this object's own references before deleting it in the foreground.
      if (this.graph.dependentsOf(node.uid).some((d) => isDeletingDependents(d.obj))) target = this.unblockOwnerReferences(node)
      this.deleteObject(node, target, 'Foreground')
      return 'done'
    }
    // No owner left: collected, honouring a propagation finalizer it already carries.
    const fin = finalizersOf(target)
    this.deleteObject(node, target, fin.includes(ORPHAN_FINALIZER) ? 'Orphan' : fin.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background')
    return 'done'
  }

  /** Looks each owner up by apiVersion, kind and name; an absent owner or one with another uid dangles. */
  private classify(node: GraphNode, refs: Obj[]): Classified | undefined {
    const out: Classified = {solid: [], dangling: [], waitingForDependentsDeletion: []}
    const namespace = metaOf(node.obj).namespace as string | undefined
    for (const r of refs) {
      const ownerRef = this.resolve(String(r.apiVersion ?? ''), String(r.kind ?? ''))
      if (!ownerRef) return undefined
      if (ownerRef.namespaced && !namespace) return undefined
      const owner = this.ctx.client.get(ownerRef, ownerRef.namespaced ? namespace : undefined, String(r.name))
      if (!owner || metaOf(owner).uid !== r.uid) out.dangling.push(r)
      else if (isDeletingDependents(owner)) out.waitingForDependentsDeletion.push(r)
      else out.solid.push(r)
    }
    return out
  }

  /** kind -> resource through the API server's catalog; another served version of the group will do. */
  private resolve(apiVersion: string, kind: string): ResourceRef | undefined {
    const i = apiVersion.indexOf('/')
    const group = i < 0 ? '' : apiVersion.slice(0, i)
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1)
    const r = this.catalog.forKind(group, version, kind) ?? this.catalog.all().find((x) => x.group === group && x.kind === kind)
    return r ? {group: r.group, version: r.version, resource: r.plural, namespaced: r.namespaced} : undefined
  }

  private removeOwnerReferences(node: GraphNode, uids: string[]): void {
    const m = metaOf(node.obj)
    const refs = ownerReferences(node.obj)
    const kept = refs.filter((r) => !uids.includes(String(r.uid)))
    if (kept.length === refs.length) return
    this.patchMeta(node, {ownerReferences: kept.length ? kept : null, resourceVersion: m.resourceVersion})
  }

  private unblockOwnerReferences(node: GraphNode): Obj {
    const refs = ownerReferences(node.obj)
    if (!refs.some((r) => r.blockOwnerDeletion === true)) return node.obj
    const unblocked = refs.map((r) => (r.blockOwnerDeletion === true ? {...r, blockOwnerDeletion: false} : r))
    return this.patchMeta(node, {ownerReferences: unblocked, resourceVersion: metaOf(node.obj).resourceVersion}) ?? node.obj
  }

  private removeFinalizer(node: GraphNode, finalizer: string): void {
    const m = metaOf(node.obj)
    const fin = finalizersOf(node.obj)
    if (!fin.includes(finalizer)) return
    const rest = fin.filter((f) => f !== finalizer)
    this.patchMeta(node, {finalizers: rest.length ? rest : null, resourceVersion: m.resourceVersion})
  }

  /** A merge patch of metadata guarded by resourceVersion (a conflict is retried); a missing object is fine. */
  private patchMeta(node: GraphNode, metadata: Obj): Obj | undefined {
    const m = metaOf(node.obj)
    const namespace = m.namespace as string | undefined
    try {
      return this.ctx.client.patch(node.ref, namespace, String(m.name), 'merge', {metadata})
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined
      throw e
    }
  }

  /** Deletes with the uid and resourceVersion of what was examined as preconditions. */
  private deleteObject(node: GraphNode, latest: Obj, propagationPolicy: Propagation): void {
    const m = metaOf(latest)
    this.ctx.client.delete(node.ref, m.namespace as string | undefined, String(m.name), {
      propagationPolicy,
      preconditions: {uid: node.uid, resourceVersion: m.resourceVersion},
    })
  }
}

/** Adds the collector, watching those of GC_RESOURCES that this API server serves. */
export function addGarbageCollector(m: ControllerManager): GarbageCollector {
  const catalog = m.apiserver.catalog
  const gc = new GarbageCollector(m, catalog)
  m.add(gc, (c, ctx) => {
    gc.enqueue = (uid) => c.enqueue({name: uid})
    const enqueueAll = (uids: string[]) => {
      for (const uid of uids) c.enqueue({name: uid})
    }
    for (const ref of GC_RESOURCES) {
      if (!catalog.lookup(ref.group, ref.version, ref.resource)) continue
      ctx.informer(ref).addHandlers({
        onAdd: (o) => enqueueAll(gc.graph.observe(ref, o)),
        onUpdate: (_, o) => enqueueAll(gc.graph.observe(ref, o)),
        onDelete: (o) => enqueueAll(gc.graph.forget(o)),
      })
    }
  })
  return gc
}
