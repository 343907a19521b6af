// Owner references: finding an object's controller (metav1 controller_ref.go) and the API server's
// validation of metadata.ownerReferences (apimachinery api/validation/objectmeta.go).
import {type FieldError, fieldInvalid} from './names.js'

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller?: boolean
  blockOwnerDeletion?: boolean
}

/** The slice of an object these helpers read. */
export interface OwnedObject {
  metadata?: {
    name?: string
    uid?: string
    ownerReferences?: OwnerReference[] | null
  } | null
}

/** The owner's type, either as an apiVersion or as group and version. */
export type OwnerType = {apiVersion: string; kind: string} | {group?: string; version: string; kind: string}

/** The first reference with controller: true, copied; undefined when there is none. */
export function getControllerOf(obj: OwnedObject): OwnerReference | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true)
  return ref ? {...ref} : undefined
}

/** Whether `obj`'s controller reference points at `owner` (compared by UID only). */
export function isControlledBy(obj: OwnedObject, owner: OwnedObject): boolean {
  const ref = getControllerOf(obj)
  return ref !== undefined && ref.uid === (owner.metadata?.uid ?? '')
}

/** Whether any owner reference of `obj` carries `uid`. */
export function hasOwner(obj: OwnedObject, uid: string): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r) => r.uid === uid)
}

function apiVersionOf(type: OwnerType): string {
  if ('apiVersion' in type) return type.apiVersion
  return type.group ? `${type.group}/${type.version}` : type.version
}

/** metav1.NewControllerRef: a controlling reference that also blocks the owner's foreground deletion. */
export function newControllerRef(owner: OwnedObject, type: OwnerType): OwnerReference {
  return {
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  }
}

interface GroupVersionKind {
  group: string
  version: string
  kind: string
}

/**
 * schema.FromAPIVersionAndKind: `v1` is the core group, `g/v` a named one; anything with more
 * slashes does not parse and leaves group and version empty.
 */
function gvkOf(apiVersion: string, kind: string): GroupVersionKind {
  if (apiVersion === '' || apiVersion === '/') return {group: '', version: '', kind}
  const parts = apiVersion.split('/')
  if (parts.length === 1) return {group: '', version: apiVersion, kind}
  if (parts.length === 2) return {group: parts[0]!, version: parts[1]!, kind}
  return {group: '', version: '', kind}
}

// Events are excluded because they are garbage collected by TTL, not by ownership.
const BANNED_OWNERS: readonly GroupVersionKind[] = [{group: '', version: 'v1', kind: 'Event'}]

/** The reference as Go serializes the struct: declaration order, unset booleans left out. */
function asGoStruct(ref: OwnerReference): Record<string, unknown> {
  const out: Record<string, unknown> = {
    apiVersion: ref.apiVersion ?? '',
    kind: ref.kind ?? '',
    name: ref.name ?? '',
    uid: ref.uid ?? '',
  }
  if (ref.controller !== undefined && ref.controller !== null) out.controller = ref.controller
  if (ref.blockOwnerDeletion !== undefined && ref.blockOwnerDeletion !== null) out.blockOwnerDeletion = ref.blockOwnerDeletion
  return out
}

function validateOwnerReference(ref: OwnerReference, fieldPath: string): FieldError[] {
  const errs: FieldError[] = []
  const gvk = gvkOf(ref.apiVersion ?? '', ref.kind ?? '')
  if (!gvk.version) errs.push(fieldInvalid(`${fieldPath}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'))
  if (!gvk.kind) errs.push(fieldInvalid(`${fieldPath}.kind`, ref.kind ?? '', 'must not be empty'))
  if (!ref.name) errs.push(fieldInvalid(`${fieldPath}.name`, ref.name ?? '', 'must not be empty'))
  if (!ref.uid) errs.push(fieldInvalid(`${fieldPath}.uid`, ref.uid ?? '', 'must not be empty'))
  const banned = BANNED_OWNERS.some((b) => b.group === gvk.group && b.version === gvk.version && b.kind === gvk.kind)
  if (banned) {
    const gvkText = `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`
    errs.push(fieldInvalid(fieldPath, asGoStruct(ref), `${gvkText} is disallowed from being an owner`))
  }
  return errs
}

/**
 * ValidateOwnerReferences. Errors name the list path itself (`metadata.ownerReferences.uid`, no
 * index), exactly as the API server reports them.
 */
export function validateOwnerReferences(
  refs: readonly OwnerReference[] | null | undefined,
  fieldPath = 'metadata.ownerReferences',
): FieldError[] {
  const list = refs ?? []
  const errs: FieldError[] = []
  let firstController = ''
  for (const ref of list) {
    errs.push(...validateOwnerReference(ref, fieldPath))
    if (ref.controller !== true) continue
    const current = `${ref.kind}/${ref.name}`
    if (firstController === '') {
      firstController = current
    } else {
      errs.push(
        fieldInvalid(
          fieldPath,
          list.map(asGoStruct),
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
        ),
      )
    }
  }
  return errs
}
