// Computing a strategic merge patch between two objects (upstream's diffMaps and diffLists), with the
// options three-way patch creation uses to keep only additions and changes, or only deletions.
import {ERR_NO_LIST_OF_LISTS, StrategicMergePatchError, errBadArgType, errNoMergeKey} from './errors.js'
import {type JsonKind, type JsonMap, compareGoStrings, deepEqual, goScalarString, hasKey, isMap, kindOf, put} from './json-value.js'
import type {PatchSchema} from './schema.js'
import {
  DELETE_DIRECTIVE,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  MERGE_DIRECTIVE,
  REPLACE_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
} from './smp-directives.js'
import {
  deduplicateScalars,
  mergeKeyValueEqual,
  normalizeSliceOrder,
  sliceElementKind,
  sortScalars,
} from './smp-order.js'

export interface DiffOptions {
  /** Emit $setElementOrder lists for merging lists whose content or order changed. */
  readonly setElementOrder?: boolean
  /** Leave out additions and changes (only deletions remain). */
  readonly ignoreChangesAndAdditions?: boolean
  /** Leave out deletions (only additions and changes remain). */
  readonly ignoreDeletions?: boolean
  /** Emit $retainKeys for this map: set from the field's retainKeys strategy, not by callers. */
  readonly buildRetainKeysDirective?: boolean
}

export function diffMaps(original: JsonMap, modified: JsonMap, schema: PatchSchema, opts: DiffOptions): JsonMap {
  const patch: JsonMap = {}
  const retainKeys: string[] = []
  for (const key of Object.keys(modified)) {
    const modifiedValue = modified[key]
    if (opts.buildRetainKeysDirective && modifiedValue !== null) retainKeys.push(key)
    if (!hasKey(original, key)) {
      if (!opts.ignoreChangesAndAdditions) put(patch, key, modifiedValue)
      continue
    }
    diffValue(key, original[key], modifiedValue, patch, schema, opts)
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) {
      if (!hasKey(modified, key)) put(patch, key, null)
    }
  }
  // The directive is only worth sending when the patch does something or there is something to clear.
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    put(patch, RETAIN_KEYS_DIRECTIVE, sortScalars(retainKeys))
  }
  return patch
}

function diffValue(key: string, originalValue: unknown, modifiedValue: unknown, patch: JsonMap, schema: PatchSchema, opts: DiffOptions): void {
  if (key === DIRECTIVE_MARKER) {
    if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') {
      throw new StrategicMergePatchError(`invalid value for special key: ${DIRECTIVE_MARKER}`)
    }
    if (originalValue !== modifiedValue) put(patch, key, modifiedValue)
    return
  }
  if (kindOf(originalValue) !== kindOf(modifiedValue)) {
    if (!opts.ignoreChangesAndAdditions) put(patch, key, modifiedValue)
    return
  }
  if (isMap(originalValue) && isMap(modifiedValue)) diffMapField(key, originalValue, modifiedValue, patch, schema, opts)
  else if (Array.isArray(originalValue) && Array.isArray(modifiedValue)) {
    diffListField(key, originalValue, modifiedValue, patch, schema, opts)
  } else replaceIfNotEqual(key, originalValue, modifiedValue, patch, opts)
}

function diffMapField(key: string, original: JsonMap, modified: JsonMap, patch: JsonMap, schema: PatchSchema, opts: DiffOptions): void {
  const {retainKeys, strategy} = schema.strategy(key)
  if (strategy === REPLACE_DIRECTIVE) {
    if (!opts.ignoreChangesAndAdditions) put(patch, key, modified)
    return
  }
  const value = diffMaps(original, modified, schema.sub(key), {...opts, buildRetainKeysDirective: retainKeys})
  if (Object.keys(value).length > 0) put(patch, key, value)
}

function diffListField(key: string, original: unknown[], modified: unknown[], patch: JsonMap, schema: PatchSchema, opts: DiffOptions): void {
  const {retainKeys, strategy} = schema.strategy(key)
  if (strategy !== MERGE_DIRECTIVE) {
    replaceIfNotEqual(key, original, modified, patch, opts)
    return
  }
  const listOpts = {...opts, buildRetainKeysDirective: retainKeys}
  const {add, remove, order} = diffLists(original, modified, schema.sub(key), schema.mergeKey(key), listOpts)
  if (add.length > 0) put(patch, key, add)
  if (remove.length > 0) put(patch, `${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/${key}`, remove)
  if (order.length > 0) put(patch, `${SET_ELEMENT_ORDER_PREFIX}/${key}`, order)
}

function replaceIfNotEqual(key: string, original: unknown, modified: unknown, patch: JsonMap, opts: DiffOptions): void {
  if (opts.ignoreChangesAndAdditions || deepEqual(original, modified)) return
  put(patch, key, modified)
}

/** Whether `original` has a non-null field `modified` lacks. */
function hasAdditionalNewField(original: JsonMap, modified: JsonMap): boolean {
  return Object.keys(original).some((key) => original[key] !== null && !hasKey(modified, key))
}

interface ListDiff {
  /** The patch list: additions and changes, then deletion directives for lists of maps. */
  readonly add: unknown[]
  /** The $deleteFromPrimitiveList list. */
  readonly remove: unknown[]
  /** The $setElementOrder list. */
  readonly order: unknown[]
}

const NO_LIST_DIFF: ListDiff = {add: [], remove: [], order: []}

function diffLists(original: unknown[], modified: unknown[], schema: PatchSchema, mergeKey: string, opts: DiffOptions): ListDiff {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return NO_LIST_DIFF
    return {add: modified, remove: [], order: []}
  }
  const kind = sliceElementKind(original, modified)
  if (kind === 'map') return diffListsOfMapsWithOrder(original, modified, schema, mergeKey, opts)
  if (kind === 'list') throw new StrategicMergePatchError(ERR_NO_LIST_OF_LISTS)
  return diffListsOfScalarsWithOrder(original, modified, opts, kind ?? 'null')
}

function diffListsOfMapsWithOrder(
  original: unknown[],
  modified: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  opts: DiffOptions,
): ListDiff {
  const {changes, deletions} = diffListsOfMaps(original, modified, schema, mergeKey, opts)
  const add = [...normalizeSliceOrder(changes, modified, mergeKey, 'map'), ...deletions]
  const orderSame = isOrderSame(original, modified, mergeKey)
  const wanted =
    opts.setElementOrder &&
    ((!opts.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!opts.ignoreDeletions && add.length > 0))
  const order = wanted ? modified.map((item) => ({[mergeKey]: (item as JsonMap)[mergeKey] ?? null})) : []
  return {add, remove: [], order}
}

function diffListsOfScalarsWithOrder(original: unknown[], modified: unknown[], opts: DiffOptions, kind: JsonKind): ListDiff {
  const sortedOriginal = sortScalars(original)
  const {additions, deletions} = diffListsOfScalars(sortedOriginal, modified, opts)
  const add = normalizeSliceOrder(additions, modified, '', kind)
  // Upstream compares the live list after sorting it in place, so an unsorted list that did not change
  // still gets its order sent.
  const changed = !deepEqual(sortedOriginal, modified)
  const wanted = opts.setElementOrder && ((!opts.ignoreDeletions && deletions.length > 0) || (!opts.ignoreChangesAndAdditions && changed))
  return {add, remove: deletions, order: wanted ? modified : []}
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false
  return modified.every((item, i) => mergeKeyValueEqual(original[i], item, mergeKey))
}

/** Walks both lists sorted by their %v strings, as upstream does, collecting additions and deletions. */
function diffListsOfScalars(sortedOriginal: unknown[], modified: unknown[], opts: DiffOptions): {additions: unknown[]; deletions: unknown[]} {
  const sortedModified = sortScalars(modified)
  const additions: unknown[] = []
  const deletions: unknown[] = []
  let o = 0
  let m = 0
  while (o < sortedOriginal.length || m < sortedModified.length) {
    const cmp = compareAt(sortedOriginal, o, sortedModified, m)
    if (cmp === 0) {
      o++
      m++
    } else if (cmp > 0) {
      if (!opts.ignoreChangesAndAdditions) additions.push(sortedModified[m])
      m++
    } else {
      if (!opts.ignoreDeletions) deletions.push(sortedOriginal[o])
      o++
    }
  }
  return {additions, deletions: deduplicateScalars(deletions)}
}

/**
 * Compares the items at the two positions by %v string: negative when the left item is missing from the
 * right list, positive when the right item is missing from the left one. An exhausted list compares last.
 */
function compareAt(left: unknown[], l: number, right: unknown[], r: number): number {
  if (l >= left.length) return 1
  if (r >= right.length) return -1
  return compareGoStrings(goScalarString(left[l]), goScalarString(right[r]))
}

/** Pairs the maps of both lists by merge key: recursive patches for changed ones, directives for deleted. */
function diffListsOfMaps(
  original: unknown[],
  modified: unknown[],
  schema: PatchSchema,
  mergeKey: string,
  opts: DiffOptions,
): {changes: unknown[]; deletions: unknown[]} {
  const sortedOriginal = sortMapsByMergeKey(original, mergeKey)
  const sortedModified = sortMapsByMergeKey(modified, mergeKey)
  const changes: unknown[] = []
  const deletions: unknown[] = []
  let o = 0
  let m = 0
  while (o < sortedOriginal.length || m < sortedModified.length) {
    const left = o < sortedOriginal.length ? mapWithMergeKey(sortedOriginal[o], mergeKey) : undefined
    const right = m < sortedModified.length ? mapWithMergeKey(sortedModified[m], mergeKey) : undefined
    const cmp = left === undefined ? 1 : right === undefined ? -1 : compareGoStrings(left.key, right.key)
    if (cmp === 0 && left && right) {
      const value = diffMaps(left.map, right.map, schema, opts)
      if (Object.keys(value).length > 0) {
        put(value, mergeKey, right.map[mergeKey])
        changes.push(value)
      }
      o++
      m++
    } else if (cmp > 0 && right) {
      if (!opts.ignoreChangesAndAdditions) changes.push(right.map)
      m++
    } else if (left) {
      if (!opts.ignoreDeletions) deletions.push({[mergeKey]: left.map[mergeKey], [DIRECTIVE_MARKER]: DELETE_DIRECTIVE})
      o++
    }
  }
  return {changes, deletions}
}

function mapWithMergeKey(item: unknown, mergeKey: string): {map: JsonMap; key: string} {
  if (!isMap(item)) throw errBadArgType('map', item)
  if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey)
  return {map: item, key: goScalarString(item[mergeKey])}
}

function sortMapsByMergeKey(list: unknown[], mergeKey: string): unknown[] {
  const keyOf = (item: unknown): string => goScalarString(isMap(item) ? (item[mergeKey] ?? null) : null)
  for (const item of list) if (!isMap(item)) throw errBadArgType('map', item)
  return [...list].sort((a, b) => compareGoStrings(keyOf(a), keyOf(b)))
}
