// The special keys of strategic merge patch ($patch, $retainKeys, $deleteFromPrimitiveList/<field>,
// $setElementOrder/<field>) and the clean-up of patch values that land in an object unmerged.
import {
  ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST,
  ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST,
  StrategicMergePatchError,
} from './errors.js'
import {hasKey, isMap} from './json-value.js'

export const DIRECTIVE_MARKER = '$patch'
export const DELETE_DIRECTIVE = 'delete'
export const REPLACE_DIRECTIVE = 'replace'
export const MERGE_DIRECTIVE = 'merge'
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys'
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList'
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder'

/** The field a parallel-list key such as `$setElementOrder/containers` is about. */
export function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/')
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) {
      throw new StrategicMergePatchError(ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST)
    }
    throw new StrategicMergePatchError(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST)
  }
  return key.slice(slash + 1)
}

export function containsDirectiveMarker(item: unknown): boolean {
  return isMap(item) && hasKey(item, DIRECTIVE_MARKER)
}

/**
 * Drops maps carrying `$patch` from a value that is stored as is (nothing to merge it with), so
 * directives never leak into objects. Returns whether the value itself survives. Mutates the value.
 */
export function removeDirectives(value: unknown): [unknown, boolean] {
  if (Array.isArray(value)) {
    const kept: unknown[] = []
    for (const item of value) {
      const [cleaned, keep] = removeDirectives(item)
      if (keep) kept.push(cleaned)
    }
    return [kept, true]
  }
  if (isMap(value)) {
    if (hasKey(value, DIRECTIVE_MARKER)) return [null, false]
    for (const key of Object.keys(value)) {
      const [cleaned, keep] = removeDirectives(value[key])
      if (keep) value[key] = cleaned
      else delete value[key]
    }
  }
  return [value, true]
}

/** Deletes null-valued keys at any depth, so creating a field through a patch matches creating it outright. */
export function discardNullValues(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNullValues(item)
  } else if (isMap(value)) {
    for (const key of Object.keys(value)) {
      if (value[key] === null) delete value[key]
      else discardNullValues(value[key])
    }
  }
}
