// The patch package: strategic merge patch, JSON merge patch and JSON patch, as kubectl and the API
// server apply and create them, plus the patch metadata that drives strategic merge patch.
export type {FieldPatchInfo, PatchMeta} from './meta.js'
export {
  PatchSchema,
  type FieldStrategy,
  type TwoWayOptions,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  mergingPatchesHaveConflicts,
  strategicMergePatch,
} from './strategic.js'
export {createJsonMergePatch, createThreeWayJsonMergePatch, hasConflicts, jsonMergePatch} from './merge.js'
export {type JsonPatchOp, type JsonPatchOperation, JsonPatchError, applyJsonPatch, validateJsonPatch} from './json.js'
export {
  MergeConflictError,
  type PreconditionFunc,
  PreconditionFailedError,
  StrategicMergePatchError,
  requireKeyUnchanged,
  requireMetadataKeyUnchanged,
} from './errors.js'
export type {JsonMap} from './json-value.js'
