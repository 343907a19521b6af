// Strategic merge patch as the API server applies it and kubectl creates it (k8s.io/apimachinery
// pkg/util/strategicpatch): applying a patch, two-way and three-way patch creation, conflict detection.
import {
  ERR_BAD_JSON_DOC,
  MergeConflictError,
  type PreconditionFunc,
  StrategicMergePatchError,
  checkPreconditions,
} from './errors.js'
import {type JsonMap, deepClone, isMap} from './json-value.js'
import {PatchSchema} from './schema.js'
import {APPLY_OPTIONS, COMBINE_PATCHES_OPTIONS, mergeMap} from './smp-apply.js'
import {mergingMapsHaveConflicts} from './smp-conflict.js'
import {diffMaps} from './smp-diff.js'

export {PatchSchema, type FieldStrategy} from './schema.js'

export interface TwoWayOptions {
  /** Checks the created patch must pass (see requireKeyUnchanged); a failure throws PreconditionFailedError. */
  readonly preconditions?: readonly PreconditionFunc[]
}

/**
 * Applies a strategic merge patch to an object and returns the result. Neither input is modified.
 * Throws StrategicMergePatchError for malformed patches, with upstream's message.
 */
export function strategicMergePatch(original: object, patch: object, schema: PatchSchema): JsonMap {
  return mergeMap(documentCopy(original), documentCopy(patch), schema, APPLY_OPTIONS)
}

/** The patch that turns `original` into `modified`, as kubectl computes it (CreateTwoWayMergePatch). */
export function createTwoWayMergePatch(original: object, modified: object, schema: PatchSchema, opts: TwoWayOptions = {}): JsonMap {
  const patch = diffMaps(documentCopy(original), documentCopy(modified), schema, {setElementOrder: true})
  checkPreconditions(patch, opts.preconditions ?? [])
  return deepClone(patch)
}

/**
 * The patch `kubectl apply` sends (CreateThreeWayMergePatch): deletions are what `modified` dropped from
 * `original` (the last-applied configuration), additions and changes are what `modified` sets differently
 * from `current` (the live object). Without `overwrite`, a patch that changes what was changed on the
 * live object since `original` throws MergeConflictError.
 */
export function createThreeWayMergePatch(
  original: object | null | undefined,
  modified: object | null | undefined,
  current: object | null | undefined,
  schema: PatchSchema,
  overwrite = true,
  preconditions: readonly PreconditionFunc[] = [],
): JsonMap {
  const originalMap = documentCopy(original ?? {})
  const modifiedMap = documentCopy(modified ?? {})
  const currentMap = documentCopy(current ?? {})
  const delta = diffMaps(currentMap, modifiedMap, schema, {ignoreDeletions: true, setElementOrder: true})
  const deletions = diffMaps(originalMap, modifiedMap, schema, {ignoreChangesAndAdditions: true, setElementOrder: true})
  const patch = deepClone(mergeMap(deletions, delta, schema, COMBINE_PATCHES_OPTIONS))
  checkPreconditions(patch, preconditions)
  if (!overwrite) {
    const changed = diffMaps(originalMap, currentMap, schema, {})
    if (mergingMapsHaveConflicts(patch, changed, schema)) throw new MergeConflictError(patch, changed)
  }
  return patch
}

/** Whether two strategic merge patches set some key to different values (MergingMapsHaveConflicts). */
export function mergingPatchesHaveConflicts(left: object, right: object, schema: PatchSchema): boolean {
  return mergingMapsHaveConflicts(documentCopy(left), documentCopy(right), schema)
}

function documentCopy(value: object): JsonMap {
  if (!isMap(value)) throw new StrategicMergePatchError(ERR_BAD_JSON_DOC)
  return deepClone(value)
}
