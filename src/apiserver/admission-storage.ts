// DefaultStorageClass admission (plugin/pkg/admission/storage/storageclass/setdefault): a
// PersistentVolumeClaim created without any class (no spec.storageClassName and no beta
// `volume.beta.kubernetes.io/storage-class` annotation) gets the cluster's default StorageClass.
// An explicit "" is a class ("no class, bind only to class-less PVs") and is left alone.
//
// The default is the class annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the
// beta key); with several, the newest by creationTimestamp wins and ties go to the smaller name, as
// GetDefaultClass in pkg/volume/util does. The PV controller uses the same choice to assign a class
// retroactively to unbound claims created before a default existed.
import type {Store} from '../store/types.js'
import {storagePrefix} from './catalog.js'
import {isObject} from './objects.js'
import type {Obj} from './types.js'

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class'
export const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class'
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class'

function annotations(o: Obj): Record<string, unknown> {
  const m = o.metadata
  return isObject(m) && isObject(m.annotations) ? (m.annotations as Record<string, unknown>) : {}
}

/** IsDefaultAnnotation: either key set to exactly "true". */
export function isDefaultClass(sc: Obj): boolean {
  const a = annotations(sc)
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true'
}

/** PersistentVolumeClaimHasClass: the beta annotation or the field, even when empty. */
export function claimHasClass(pvc: Obj): boolean {
  if (BETA_STORAGE_CLASS_ANNOTATION in annotations(pvc)) return true
  const spec = isObject(pvc.spec) ? pvc.spec : {}
  return typeof spec.storageClassName === 'string'
}

/** The default class among `classes`: newest creationTimestamp first, then smallest name. */
export function pickDefaultClass(classes: Iterable<Obj>): Obj | undefined {
  let best: Obj | undefined
  let bestAt = 0
  let bestName = ''
  for (const sc of classes) {
    if (!isDefaultClass(sc)) continue
    const m = (sc.metadata ?? {}) as Obj
    const at = Date.parse(String(m.creationTimestamp ?? '')) || 0
    const name = String(m.name ?? '')
    if (!best || at > bestAt || (at === bestAt && name < bestName)) {
      best = sc
      bestAt = at
      bestName = name
    }
  }
  return best
}

/** The StorageClasses as stored. */
function storedClasses(store: Store): Obj[] {
  return store.list(storagePrefix('storage.k8s.io', 'storageclasses')).items.map((kv) => JSON.parse(kv.value) as Obj)
}

/** Mutating admission on PVC create: sets spec.storageClassName to the default class when no class is asked for. */
export function applyDefaultStorageClass(store: Store, pvc: Obj): void {
  if (claimHasClass(pvc)) return
  const def = pickDefaultClass(storedClasses(store))
  if (!def) return
  const spec = isObject(pvc.spec) ? pvc.spec : (pvc.spec = {})
  spec.storageClassName = String((def.metadata as Obj).name)
}
