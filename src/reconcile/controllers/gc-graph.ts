// The garbage collector's dependency graph (graph_builder.go's role): every watched object by uid, and
// from each owner uid the uids of the objects that name it in an ownerReference (any reference, not only
// the controller one). Informer events update it and say which uids the collector must look at again.
import type {Obj} from '../../apiserver/types.js'
import type {ResourceRef} from '../types.js'

export const ORPHAN_FINALIZER = 'orphan'
export const FOREGROUND_FINALIZER = 'foregroundDeletion'

export interface GraphNode {
  uid: string
  /** The resource the object was observed in (where the collector reads and writes it). */
  ref: ResourceRef
  obj: Obj
}

export function metaOf(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

export function ownerReferences(o: Obj): Obj[] {
  return (metaOf(o).ownerReferences ?? []) as Obj[]
}

export function finalizersOf(o: Obj): string[] {
  return (metaOf(o).finalizers ?? []) as string[]
}

export function isBeingDeleted(o: Obj): boolean {
  return Boolean(metaOf(o).deletionTimestamp)
}

/** Foreground deletion in progress: the owner waits for its blocking dependents. */
export function isDeletingDependents(o: Obj): boolean {
  return isBeingDeleted(o) && finalizersOf(o).includes(FOREGROUND_FINALIZER)
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>()
  private readonly dependents = new Map<string, Set<string>>()

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid)
  }

  /** Objects with an ownerReference to `uid`. */
  dependentsOf(uid: string): GraphNode[] {
    return [...(this.dependents.get(uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is GraphNode => n !== undefined)
  }

  /** Dependents whose reference to `uid` has blockOwnerDeletion: the ones a foreground deletion waits for. */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((d) => ownerReferences(d.obj).some((r) => r.uid === uid && r.blockOwnerDeletion === true))
  }

  /** Records an added or updated object; returns the uids to process because of the change. */
  observe(ref: ResourceRef, o: Obj): string[] {
    const uid = String(metaOf(o).uid)
    const old = this.nodes.get(uid)
    this.nodes.set(uid, {uid, ref, obj: o})
    const out = new Set<string>()
    const oldOwners = old ? ownerReferences(old.obj).map((r) => String(r.uid)) : []
    const newOwners = ownerReferences(o).map((r) => String(r.uid))
    for (const u of oldOwners) if (!newOwners.includes(u)) this.dependents.get(u)?.delete(uid)
    for (const u of newOwners) {
      if (!this.dependents.has(u)) this.dependents.set(u, new Set())
      this.dependents.get(u)!.add(uid)
    }
    if (!old || JSON.stringify(ownerReferences(old.obj)) !== JSON.stringify(ownerReferences(o))) {
      for (const u of newOwners) {
        const owner = this.nodes.get(u)
        // An owner never observed may not exist: the dependent verifies its references (the graph
        // builder's virtual node). A new dependent of a foreground deletion is deleted as well.
        if (!owner || isDeletingDependents(owner.obj)) out.add(uid)
      }
      // A foreground deletion may be waiting on a reference that was just removed or unblocked.
      for (const u of new Set([...oldOwners, ...newOwners])) {
        const owner = this.nodes.get(u)
        if (owner && isDeletingDependents(owner.obj)) out.add(u)
      }
    }
    // processTransitions: an object starts waiting for its dependents to be orphaned or deleted.
    if (isBeingDeleted(o)) {
      const fin = finalizersOf(o)
      const before = old && isBeingDeleted(old.obj) ? finalizersOf(old.obj) : []
      const starts = (f: string) => fin.includes(f) && !before.includes(f)
      if (starts(ORPHAN_FINALIZER) || starts(FOREGROUND_FINALIZER)) out.add(uid)
      if (starts(FOREGROUND_FINALIZER)) for (const d of this.dependentsOf(uid)) out.add(d.uid)
    }
    return [...out]
  }

  /** Forgets a deleted object; returns its dependents (their reference now dangles) and owners waiting on it. */
  forget(o: Obj): string[] {
    const uid = String(metaOf(o).uid)
    const node = this.nodes.get(uid)
    if (!node) return []
    this.nodes.delete(uid)
    const out = new Set<string>()
    for (const r of ownerReferences(node.obj)) {
      const u = String(r.uid)
      const deps = this.dependents.get(u)
      deps?.delete(uid)
      if (deps?.size === 0) this.dependents.delete(u)
      const owner = this.nodes.get(u)
      if (owner && isDeletingDependents(owner.obj)) out.add(u)
    }
    for (const d of this.dependents.get(uid) ?? []) out.add(d)
    return [...out]
  }
}
