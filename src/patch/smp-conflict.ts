// Conflict detection between two strategic merge patches (upstream's MergingMapsHaveConflicts): whether
// they set some key to different values, honouring merge keys and directives.
import {StrategicMergePatchError} from './errors.js'
import {type JsonMap, deepEqual, goFormat, goScalarString, hasKey, isMap} from './json-value.js'
import type {PatchSchema} from './schema.js'
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  MERGE_DIRECTIVE,
  REPLACE_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
} from './smp-directives.js'
import {deduplicateAndSortScalars, sliceElementKind} from './smp-order.js'

export function mergingMapsHaveConflicts(left: JsonMap, right: JsonMap, schema: PatchSchema): boolean {
  return fieldsHaveConflicts(left, right, schema, '', '')
}

function fieldsHaveConflicts(left: unknown, right: unknown, schema: PatchSchema, strategy: string, mergeKey: string): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true
    const leftMarker = hasKey(left, DIRECTIVE_MARKER)
    const rightMarker = hasKey(right, DIRECTIVE_MARKER)
    // A directive acts on the whole map, so it conflicts with anything but the same directive.
    if (leftMarker || rightMarker) {
      if (leftMarker !== rightMarker || left[DIRECTIVE_MARKER] !== right[DIRECTIVE_MARKER]) return true
    }
    if (strategy === REPLACE_DIRECTIVE) return false
    return mapsHaveConflicts(left, right, schema)
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true
    return slicesHaveConflicts(left, right, schema, strategy, mergeKey)
  }
  return !deepEqual(left, right)
}

// Parallel lists say how to merge a list, not what it holds; upstream fails looking them up as fields.
function isDirectiveKey(key: string): boolean {
  return (
    key === DIRECTIVE_MARKER ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
  )
}

function mapsHaveConflicts(left: JsonMap, right: JsonMap, schema: PatchSchema): boolean {
  for (const key of Object.keys(left)) {
    if (isDirectiveKey(key) || !hasKey(right, key)) continue
    const leftValue = left[key]
    const nested = isMap(leftValue) || Array.isArray(leftValue)
    const strategy = nested ? schema.strategy(key).strategy : ''
    const mergeKey = nested ? schema.mergeKey(key) : ''
    if (fieldsHaveConflicts(leftValue, right[key], schema.sub(key), strategy, mergeKey)) return true
  }
  return false
}

function slicesHaveConflicts(left: unknown[], right: unknown[], schema: PatchSchema, strategy: string, mergeKey: string): boolean {
  // Upstream errors on two empty lists; they cannot conflict.
  const kind = sliceElementKind(left, right)
  if (kind === undefined) return false
  if (strategy === MERGE_DIRECTIVE) {
    // Merging lists of scalars never conflict: both sides' items end up in the list.
    if (kind !== 'map') return false
    const leftItems = itemsByMergeKey(left, mergeKey)
    const rightItems = itemsByMergeKey(right, mergeKey)
    for (const [key, value] of leftItems) {
      if (rightItems.has(key) && fieldsHaveConflicts(value, rightItems.get(key), schema, '', '')) return true
    }
    return false
  }
  if (left.length !== right.length) return true
  // Scalar lists are compared as sets; lists of maps without a merge key can only be compared in order.
  const l = kind === 'map' ? left : deduplicateAndSortScalars(left)
  const r = kind === 'map' ? right : deduplicateAndSortScalars(right)
  if (l.length !== r.length) return true
  return l.some((item, i) => fieldsHaveConflicts(item, r[i], schema, '', ''))
}

function itemsByMergeKey(list: unknown[], mergeKey: string): Map<string, JsonMap> {
  const items = new Map<string, JsonMap>()
  for (const item of list) {
    if (!isMap(item)) throw new StrategicMergePatchError(`invalid element type in merging list:${goFormat(list)}`)
    if (!hasKey(item, mergeKey)) {
      throw new StrategicMergePatchError(`cannot find merge key \`${mergeKey}\` in merging list element:${goFormat(item)}`)
    }
    items.set(goScalarString(item[mergeKey]), item)
  }
  return items
}
