// Shared rules of persistent volumes (component-helpers/storage/volume and the PV controller's
// index.go): the annotations the binder and provisioners speak, a claim's and a volume's class,
// claimRefs, and the search for the best available volume for a claim.
import {parseQuantity, type Quantity} from '../../api/quantity.js'
import {selectorFromLabelSelector, type LabelSelector, type Selector} from '../../api/labels.js'
import {BETA_STORAGE_CLASS_ANNOTATION} from '../../apiserver/admission-storage.js'
import type {Obj} from '../../apiserver/types.js'

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed'
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller'
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by'
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner'
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner'
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node'

export function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

export function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

export function status(o: Obj): Obj {
  return (o.status ?? {}) as Obj
}

export function annotationsOf(o: Obj): Record<string, string> {
  return (meta(o).annotations ?? {}) as Record<string, string>
}

export function hasAnnotation(o: Obj, key: string): boolean {
  return key in annotationsOf(o)
}

/** GetPersistentVolumeClaimClass: the beta annotation wins over the field; "" is no class. */
export function claimClass(pvc: Obj): string {
  const a = annotationsOf(pvc)
  if (BETA_STORAGE_CLASS_ANNOTATION in a) return String(a[BETA_STORAGE_CLASS_ANNOTATION])
  return typeof spec(pvc).storageClassName === 'string' ? String(spec(pvc).storageClassName) : ''
}

/** GetPersistentVolumeClass, the same for a volume. */
export function volumeClass(pv: Obj): string {
  const a = annotationsOf(pv)
  if (BETA_STORAGE_CLASS_ANNOTATION in a) return String(a[BETA_STORAGE_CLASS_ANNOTATION])
  return typeof spec(pv).storageClassName === 'string' ? String(spec(pv).storageClassName) : ''
}

/** The key of a claim, `namespace/name`. */
export function claimKey(pvc: Obj): string {
  return `${meta(pvc).namespace}/${meta(pvc).name}`
}

/** The ObjectReference to a claim as reference.GetReference writes it (its fields in Go's order). */
export function claimRefTo(pvc: Obj): Obj {
  const m = meta(pvc)
  return {kind: 'PersistentVolumeClaim', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion}
}

/** IsVolumeBoundToClaim: the claimRef names the claim and its uid is empty or the claim's. */
export function isVolumeBoundToClaim(pv: Obj, pvc: Obj): boolean {
  const ref = spec(pv).claimRef as Obj | undefined
  if (!ref) return false
  if (ref.name !== meta(pvc).name || (ref.namespace ?? '') !== (meta(pvc).namespace ?? '')) return false
  return !ref.uid || ref.uid === meta(pvc).uid
}

/** CheckVolumeModeMismatches: both default to Filesystem. */
export function volumeModeMismatch(pvc: Obj, pv: Obj): boolean {
  return (spec(pvc).volumeMode ?? 'Filesystem') !== (spec(pv).volumeMode ?? 'Filesystem')
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function accessModesFit(pvc: Obj, pv: Obj): boolean {
  const offered = (spec(pv).accessModes ?? []) as string[]
  return ((spec(pvc).accessModes ?? []) as string[]).every((m) => offered.includes(m))
}

function quantity(v: unknown): Quantity {
  try {
    return parseQuantity(typeof v === 'string' || typeof v === 'number' ? v : '0')
  } catch {
    return parseQuantity('0')
  }
}

export function requestedStorage(pvc: Obj): Quantity {
  return quantity(((spec(pvc).resources as Obj | undefined)?.requests as Obj | undefined)?.storage)
}

export function volumeCapacity(pv: Obj): Quantity {
  return quantity((spec(pv).capacity as Obj | undefined)?.storage)
}

/**
 * The PV controller's findBestMatchForClaim: volumes are grouped by their access modes, and the
 * groups that offer every mode the claim asks for are tried from the fewest modes up; in each, a
 * volume pre-bound to the claim wins, else the smallest Available one of the claim's class that is
 * big enough, of the same volumeMode, not being deleted and matching the claim's selector. With
 * delayed binding (WaitForFirstConsumer) only a pre-bound volume is taken: the scheduler picks the others.
 */
export function findBestMatch(pvc: Obj, volumes: Obj[], delayBinding: boolean): Obj | undefined {
  const wanted = (spec(pvc).accessModes ?? []) as string[]
  const groups = new Map<string, Obj[]>()
  for (const pv of volumes) {
    const modes = [...new Set((spec(pv).accessModes ?? []) as string[])].sort()
    if (!wanted.every((m) => modes.includes(m))) continue
    const k = modes.join(',')
    if (!groups.has(k)) groups.set(k, [])
    groups.get(k)!.push(pv)
  }
  const ordered = [...groups.entries()].sort((a, b) => a[0].split(',').length - b[0].split(',').length || (a[0] < b[0] ? -1 : 1))
  let selector: Selector | null = null
  const sel = spec(pvc).selector as LabelSelector | undefined
  if (sel) selector = selectorFromLabelSelector(sel)
  for (const [, group] of ordered) {
    const found = matchIn(pvc, group, delayBinding, selector)
    if (found) return found
  }
  return undefined
}

/** FindMatchingVolume over one access-mode group (no node: the controller's path). */
function matchIn(pvc: Obj, volumes: Obj[], delayBinding: boolean, selector: Selector | null): Obj | undefined {
  const want = requestedStorage(pvc)
  const cls = claimClass(pvc)
  let best: Obj | undefined
  let bestSize: Quantity | undefined
  for (const pv of [...volumes].sort((a, b) => (String(meta(a).name) < String(meta(b).name) ? -1 : 1))) {
    if (spec(pv).claimRef && !isVolumeBoundToClaim(pv, pvc)) continue
    const size = volumeCapacity(pv)
    if (size.cmp(want) < 0) continue
    if (volumeModeMismatch(pvc, pv)) continue
    if (meta(pv).deletionTimestamp) continue
    if (isVolumeBoundToClaim(pv, pvc)) return pv
    if (delayBinding) continue
    if (status(pv).phase !== 'Available') continue
    if (selector && !selector.matches((meta(pv).labels ?? {}) as Record<string, string>)) continue
    if (volumeClass(pv) !== cls) continue
    if (!bestSize || bestSize.cmp(size) > 0) {
      best = pv
      bestSize = size
    }
  }
  return best
}

/** Names of the claims a pod uses: persistentVolumeClaim volumes and generic ephemeral ones (`<pod>-<volume>`). */
export function podClaimNames(pod: Obj): string[] {
  const out: string[] = []
  for (const v of (spec(pod).volumes ?? []) as Obj[]) {
    const pvc = v.persistentVolumeClaim as Obj | undefined
    if (pvc?.claimName) out.push(String(pvc.claimName))
    else if (v.ephemeral) out.push(`${meta(pod).name}-${v.name}`)
  }
  return out
}
