// ControllerRevisions as pkg/controller/history makes them for StatefulSets and DaemonSets: a
// snapshot of the parent's pod template (`data`), a revision number, a name `<parent>-<hash>` with
// the hash in the `controller.kubernetes.io/hash` label, owned by the parent.
import type {Obj} from '../../apiserver/types.js'
import {canonicalJson, safeEncodeString} from './deployment-util.js'

export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash'

/** FNV-32 (not 32a: the history package uses fnv.New32) over bytes. */
function fnv32(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0
    h = (h ^ b) >>> 0
  }
  return h
}

/** HashControllerRevision: FNV-32 of the data, then of the collision count's decimal digits. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let h = fnv32(new TextEncoder().encode(canonicalJson(data ?? {})))
  if (collisionCount !== undefined) h = fnv32(new TextEncoder().encode(String(collisionCount)), h)
  return safeEncodeString(String(h))
}

/** ControllerRevisionName: the parent's name (cut to 223 characters) and the hash. */
export function controllerRevisionName(parentName: string, hash: string): string {
  return `${parentName.length > 223 ? parentName.slice(0, 223) : parentName}-${hash}`
}

/**
 * NewControllerRevision: labels copied from the template's labels plus the hash label, a controller
 * ownerReference to the parent, the data and the revision number.
 */
export function newControllerRevision(parent: Obj, templateLabels: Record<string, string>, data: Obj, revision: number, collisionCount?: number): Obj {
  const m = parent.metadata as Obj
  const hash = hashRevisionData(data, collisionCount)
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(String(m.name), hash),
      namespace: m.namespace,
      labels: {...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash},
      ownerReferences: [{apiVersion: parent.apiVersion, kind: parent.kind, name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true}],
    },
    data,
    revision,
  }
}

/** Revisions sorted by revision number, then by creation time and name (history.SortControllerRevisions). */
export function sortRevisions(revs: Obj[]): Obj[] {
  return [...revs].sort((a, b) => Number(a.revision) - Number(b.revision)
    || String((a.metadata as Obj).creationTimestamp ?? '').localeCompare(String((b.metadata as Obj).creationTimestamp ?? ''))
    || String((a.metadata as Obj).name).localeCompare(String((b.metadata as Obj).name)))
}

/** The next revision number: one past the highest. */
export function nextRevision(revs: Obj[]): number {
  return revs.reduce((max, r) => Math.max(max, Number(r.revision) || 0), 0) + 1
}
