// JSON merge patch (RFC 7386): applying one, creating one between two documents, and the three-way patch
// kubectl apply sends for kinds without strategic merge metadata (k8s.io/apimachinery pkg/util/jsonmergepatch).
import {MergeConflictError, type PreconditionFunc, checkPreconditions} from './errors.js'
import {type JsonMap, deepClone, deepEqual, hasKey, isMap, kindOf, put} from './json-value.js'

/**
 * Applies a merge patch: objects merge recursively and null deletes a key; anything else, arrays
 * included, replaces the target. Neither input is modified.
 */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return deepClone(patch)
  const result: JsonMap = isMap(target) ? deepClone(target) : {}
  for (const key of Object.keys(patch)) {
    const value = patch[key]
    if (value === null) delete result[key]
    else put(result, key, jsonMergePatch(hasKey(result, key) ? result[key] : undefined, value))
  }
  return result
}

/**
 * The merge patch that turns `original` into `modified`: changed and added keys with their new values,
 * removed keys as null, nested objects as nested patches. Arrays are sent whole when they differ.
 */
export function createJsonMergePatch(original: unknown, modified: unknown): unknown {
  if (!isMap(original) || !isMap(modified)) return deepClone(modified)
  return deepClone(objectDiff(original, modified))
}

function objectDiff(original: JsonMap, modified: JsonMap): JsonMap {
  const patch: JsonMap = {}
  for (const key of Object.keys(modified)) {
    const before = original[key]
    const after = modified[key]
    if (!hasKey(original, key) || kindOf(before) !== kindOf(after)) {
      put(patch, key, after)
    } else if (isMap(before) && isMap(after)) {
      const nested = objectDiff(before, after)
      if (Object.keys(nested).length > 0) put(patch, key, nested)
    } else if (!deepEqual(before, after)) {
      put(patch, key, after)
    }
  }
  for (const key of Object.keys(original)) {
    if (!hasKey(modified, key)) put(patch, key, null)
  }
  return patch
}

/**
 * The merge patch `kubectl apply` sends for custom resources (CreateThreeWayJSONMergePatch): additions and
 * changes from `current` (the live object) to `modified`, deletions from `original` (the last-applied
 * configuration) to `modified`. Throws MergeConflictError when the two disagree about a key.
 */
export function createThreeWayJsonMergePatch(
  original: object | null | undefined,
  modified: object | null | undefined,
  current: object | null | undefined,
  preconditions: readonly PreconditionFunc[] = [],
): JsonMap {
  const addAndChange = keepOrDeleteNull(objectDiff(asDocument(current), asDocument(modified)), false)
  const deletions = keepOrDeleteNull(objectDiff(asDocument(original), asDocument(modified)), true)
  if (hasConflicts(addAndChange, deletions)) throw new MergeConflictError(addAndChange, deletions)
  const patch = jsonMergePatch(deletions, addAndChange) as JsonMap
  checkPreconditions(patch, preconditions)
  return patch
}

function asDocument(value: object | null | undefined): JsonMap {
  return isMap(value) ? deepClone(value) : {}
}

/**
 * Keeps only the nulls of a patch (its deletions) or only everything else (its additions and changes).
 * An explicitly empty object is a value, not an empty nested patch.
 */
function keepOrDeleteNull(patch: JsonMap, keepNull: boolean): JsonMap {
  const out: JsonMap = {}
  for (const key of Object.keys(patch)) {
    const value = patch[key]
    if (value === null) {
      if (keepNull) put(out, key, null)
    } else if (isMap(value)) {
      if (Object.keys(value).length === 0) {
        if (!keepNull) put(out, key, value)
        continue
      }
      const nested = keepOrDeleteNull(value, keepNull)
      if (Object.keys(nested).length > 0) put(out, key, nested)
    } else if (!keepNull) {
      put(out, key, value)
    }
  }
  return out
}

/**
 * Whether two JSON values overlap with different values at some key (mergepatch.HasConflicts): maps
 * conflict only at keys both have, lists item by item, scalars when unequal.
 */
export function hasConflicts(left: unknown, right: unknown): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true
    return Object.keys(left).some((key) => hasKey(right, key) && hasConflicts(left[key], right[key]))
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return true
    return left.some((item, i) => hasConflicts(item, right[i]))
  }
  return !deepEqual(left, right)
}
