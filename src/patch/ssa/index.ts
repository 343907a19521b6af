// Server-side apply and managed-fields tracking, as the Kubernetes apiserver does them
// (structured-merge-diff plus the apiserver's field manager).
import type {PatchSchema} from '../schema.js'
import type {FieldSet} from './fieldset.js'
import {toFieldSet} from './typed.js'
import {SsaSchema} from './types.js'

export {ApplyConflictError, type ApplyConflict} from './conflict.js'
export {
  ApplyBadRequestError,
  ApplyTypedObjectError,
  type ServerSideApplyArgs,
  type TrackUpdateArgs,
  serverSideApply,
  trackUpdate,
} from './field-manager.js'
export {FieldSet, FieldsV1Error} from './fieldset.js'
export {LAST_APPLIED_ANNOTATION} from './last-applied.js'
export {type ManagedFieldsEntry, type ManagedFieldsOperation, ManagedFieldsError, formatTime} from './managed.js'
export {type KeyField, type Path, type PathElement, path, pathString} from './path.js'
export {SsaTypeError} from './typed.js'

/** The fields an object sets, as ToFieldSet computes them (nothing stripped). */
export function fieldSetOf(obj: object, schema: PatchSchema): FieldSet {
  return toFieldSet(SsaSchema.from(schema), obj)
}
