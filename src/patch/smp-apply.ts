// Merging a strategic merge patch into an object (upstream's mergeMap and mergeSlice). Works in place on
// values the caller owns: the public functions pass it deep copies.
import {
  ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS,
  ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST,
  StrategicMergePatchError,
  errBadArgType,
  errBadPatchType,
  errNoMergeKey,
} from './errors.js'
import {type JsonMap, deepEqual, goFormat, hasKey, isMap, kindOf, put} from './json-value.js'
import type {PatchSchema} from './schema.js'
import {
  DELETE_DIRECTIVE,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  MERGE_DIRECTIVE,
  REPLACE_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  containsDirectiveMarker,
  discardNullValues,
  extractKey,
  removeDirectives,
} from './smp-directives.js'
import {
  deduplicateScalars,
  extractToDeleteItems,
  findMapByKey,
  mergeKeyValueEqual,
  normalizeElementOrder,
  partitionByPresence,
  sliceElementKind,
} from './smp-order.js'

export interface MergeOptions {
  /**
   * Apply parallel lists ($deleteFromPrimitiveList, $setElementOrder) and $retainKeys, as the server
   * does. Off when merging two patches into one (three-way patch creation): they are carried over.
   */
  readonly mergeParallelList: boolean
  /** Drop nulls that delete nothing, as the server does; off to keep them in a merged patch. */
  readonly ignoreUnmatchedNulls: boolean
}

export const APPLY_OPTIONS: MergeOptions = {mergeParallelList: true, ignoreUnmatchedNulls: true}
export const COMBINE_PATCHES_OPTIONS: MergeOptions = {mergeParallelList: false, ignoreUnmatchedNulls: false}

export function mergeMap(original: JsonMap | undefined, patch: JsonMap, schema: PatchSchema, opts: MergeOptions): JsonMap {
  if (hasKey(patch, DIRECTIVE_MARKER)) return applyMapDirective(patch[DIRECTIVE_MARKER], patch)
  const target = original ?? {}
  applyRetainKeysDirective(target, patch, opts)
  mergePatchIntoOriginal(target, patch, schema, opts)
  for (const key of Object.keys(patch)) mergeField(target, key, patch[key], schema, opts)
  return target
}

function applyMapDirective(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[DIRECTIVE_MARKER]
    return patch
  }
  if (directive === DELETE_DIRECTIVE) return {}
  throw errBadPatchType(directive, patch)
}

function mergeField(target: JsonMap, key: string, patchValue: unknown, schema: PatchSchema, opts: MergeOptions): void {
  let field = key
  let isDeleteList = false
  if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
    if (!opts.mergeParallelList) {
      put(target, key, patchValue)
      return
    }
    field = extractKey(key, DELETE_FROM_PRIMITIVE_LIST_PREFIX)
    isDeleteList = true
  }
  if (patchValue === null) {
    delete target[field]
    if (opts.ignoreUnmatchedNulls) return
  }
  if (!hasKey(target, field) || kindOf(target[field]) !== kindOf(patchValue)) {
    // A deletion list never creates the list it deletes from.
    if (!isDeleteList) storeUnmerged(target, field, patchValue, opts)
    return
  }
  const current = target[field]
  if (isMap(current) && isMap(patchValue)) {
    const {strategy} = schema.strategy(field)
    put(target, field, strategy === REPLACE_DIRECTIVE ? patchValue : mergeMap(current, patchValue, schema.sub(field), opts))
  } else if (Array.isArray(current) && Array.isArray(patchValue)) {
    const {strategy} = schema.strategy(field)
    const merged = mergeList(current, patchValue, schema.sub(field), strategy, schema.mergeKey(field), isDeleteList, opts)
    put(target, field, merged.merged)
  } else {
    storeUnmerged(target, field, patchValue, opts)
  }
}

function storeUnmerged(target: JsonMap, field: string, value: unknown, opts: MergeOptions): void {
  if (opts.ignoreUnmatchedNulls) discardNullValues(value)
  const [cleaned, keep] = removeDirectives(value)
  if (keep) put(target, field, cleaned)
  else delete target[field]
}

// ---------------------------------------------------------------------------------------------
// $retainKeys

function applyRetainKeysDirective(original: JsonMap, patch: JsonMap, opts: MergeOptions): void {
  if (!hasKey(patch, RETAIN_KEYS_DIRECTIVE)) return
  const retainKeys = patch[RETAIN_KEYS_DIRECTIVE]
  delete patch[RETAIN_KEYS_DIRECTIVE]
  if (!opts.mergeParallelList) {
    carryDirective(original, RETAIN_KEYS_DIRECTIVE, retainKeys, () => {
      return new StrategicMergePatchError(
        `${goFormat(original[RETAIN_KEYS_DIRECTIVE])} and ${goFormat(retainKeys)} are not deep equal: ` +
          'this may happen when calculating the 3-way diff patch',
      )
    })
    return
  }
  if (!Array.isArray(retainKeys)) throw new StrategicMergePatchError(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS)
  const retained = new Set<unknown>(retainKeys)
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
      continue
    }
    // Everything the patch sets must be retained, or it would clear what it sets.
    if (!retained.has(key)) throw new StrategicMergePatchError(ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS)
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key]
  }
}

/** When merging two patches, a directive both carry must agree; one only the second carries moves over. */
function carryDirective(original: JsonMap, key: string, value: unknown, mismatch: () => Error): void {
  if (!hasKey(original, key)) put(original, key, value)
  else if (!deepEqual(original[key], value)) throw mismatch()
}

// ---------------------------------------------------------------------------------------------
// $setElementOrder

function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, schema: PatchSchema, opts: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX) || !hasKey(patch, key)) continue
    const order = patch[key]
    if (!opts.mergeParallelList) {
      carryDirective(original, key, order, () => new StrategicMergePatchError(ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST))
    }
    delete patch[key]
    if (!Array.isArray(order)) throw errBadArgType('list', order)
    applyElementOrder(original, patch, extractKey(key, SET_ELEMENT_ORDER_PREFIX), order, schema, opts)
  }
}

/** Merges the list `field` of the patch (if any) and orders the result by the $setElementOrder list. */
function applyElementOrder(
  original: JsonMap,
  patch: JsonMap,
  field: string,
  order: unknown[],
  schema: PatchSchema,
  opts: MergeOptions,
): void {
  const foundOriginal = hasKey(original, field)
  const foundPatch = hasKey(patch, field)
  if (!foundOriginal && !foundPatch) return
  const originalList = foundOriginal ? asList(original[field]) : []
  const patchList = foundPatch ? asList(patch[field]) : []
  const {strategy} = schema.strategy(field)
  const mergeKey = schema.mergeKey(field)
  validatePatchWithSetOrderList(patchList, order, mergeKey)

  let result: ListMerge
  if (!foundPatch) result = {merged: originalList, liveOrder: originalList}
  else if (!foundOriginal) result = {merged: removeDirectives(patchList)[0] as unknown[], liveOrder: []}
  else result = mergeList(originalList, patchList, schema.sub(field), strategy, mergeKey, false, opts)

  const kind = sliceElementKind(originalList, patchList)
  const [patchItems, serverOnly] = partitionByPresence(result.merged, order, mergeKey)
  const ordered =
    kind === undefined ? result.merged : normalizeElementOrder(patchItems, serverOnly, order, result.liveOrder, mergeKey, kind)
  put(original, field, ordered)
  delete patch[field]
}

function asList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw errBadArgType('list', value)
  return value
}

/** The patch list's items must appear in the $setElementOrder list, in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return
  const items = mergeKey === '' ? patchList : extractToDeleteItems(patchList)[0]
  let p = 0
  let o = 0
  while (p < items.length && o < order.length) {
    if (containsDirectiveMarker(items[p])) {
      p++
      continue
    }
    if (mergeKeyValueEqual(items[p], order[o], mergeKey)) p++
    o++
  }
  if (p < items.length && o >= order.length) {
    throw new StrategicMergePatchError(
      `the order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goFormat(order)}`,
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Lists

interface ListMerge {
  readonly merged: unknown[]
  /**
   * The live list as upstream's $setElementOrder handling ends up seeing it: mergeSlice shifts deleted
   * items out of the live list's backing array and appends new items into the space freed, so the live
   * order it orders server-only items by has the first new items where the deleted ones were.
   */
  readonly liveOrder: unknown[]
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  schema: PatchSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  opts: MergeOptions,
): ListMerge {
  // A deletion list deletes whatever the field's strategy.
  if (strategy !== MERGE_DIRECTIVE && !isDeleteList) return {merged: patch, liveOrder: original}
  if (original.length === 0 && patch.length === 0) return {merged: original, liveOrder: original}
  const kind = sliceElementKind(original, patch) ?? 'null'
  if (kind !== 'map') {
    if (opts.mergeParallelList && isDeleteList) return {merged: deleteFromSlice(original, patch), liveOrder: original}
    const merged = deduplicateScalars([...original, ...patch])
    const [patchItems, serverOnly] = partitionByPresence(merged, patch, '')
    return {merged: normalizeElementOrder(patchItems, serverOnly, patch, original, '', kind), liveOrder: original}
  }
  if (mergeKey === '') throw new StrategicMergePatchError(`cannot merge lists without merge key for ${schema.name}`)
  const special = applySpecialElements(original, patch, mergeKey)
  const {merged, appended} = mergeListItems(special.original, special.patch, mergeKey, schema, opts)
  const [patchItems, serverOnly] = partitionByPresence(merged, special.patch, mergeKey)
  const ordered = normalizeElementOrder(patchItems, serverOnly, special.patch, special.original, mergeKey, kind)
  const liveOrder = special.replaced ? special.afterDeletes : [...special.afterDeletes, ...appended].slice(0, original.length)
  return {merged: ordered, liveOrder}
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const doomed = new Set(toDelete)
  return current.filter((item) => !doomed.has(item))
}

interface SpecialElements {
  /** What to merge the patch's plain items into: the live list less deletions, or the replacement. */
  readonly original: unknown[]
  readonly patch: unknown[]
  readonly afterDeletes: unknown[]
  readonly replaced: boolean
}

/** Applies `$patch: delete` and `$patch: replace` items of a patch list of maps. */
function applySpecialElements(original: unknown[], patch: unknown[], mergeKey: string): SpecialElements {
  let remaining = original
  const plain: unknown[] = []
  let replaced = false
  for (const item of patch) {
    const map = item as JsonMap
    if (!hasKey(map, DIRECTIVE_MARKER)) {
      plain.push(item)
      continue
    }
    const directive = map[DIRECTIVE_MARKER]
    if (directive === DELETE_DIRECTIVE) {
      if (!hasKey(map, mergeKey)) throw errNoMergeKey(map, mergeKey)
      remaining = deleteMatchingEntries(remaining, mergeKey, map[mergeKey])
    } else if (directive === REPLACE_DIRECTIVE) {
      replaced = true
    } else if (directive === MERGE_DIRECTIVE) {
      throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch')
    } else {
      throw errBadPatchType(directive, map)
    }
  }
  if (replaced) return {original: plain, patch: [], afterDeletes: remaining, replaced}
  return {original: remaining, patch: plain, afterDeletes: remaining, replaced}
}

function deleteMatchingEntries(list: unknown[], mergeKey: string, value: unknown): unknown[] {
  let remaining = list
  for (let found = findMapByKey(remaining, mergeKey, value); found; found = findMapByKey(remaining, mergeKey, value)) {
    const at = found.index
    remaining = [...remaining.slice(0, at), ...remaining.slice(at + 1)]
  }
  return remaining
}

/** Merges each patch item into the item with its merge key, or appends it. */
function mergeListItems(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  schema: PatchSchema,
  opts: MergeOptions,
): {merged: unknown[]; appended: unknown[]} {
  const merged = [...original]
  const appended: unknown[] = []
  for (const item of patch) {
    const map = item as JsonMap
    if (!hasKey(map, mergeKey)) throw errNoMergeKey(map, mergeKey)
    const found = findMapByKey(merged, mergeKey, map[mergeKey])
    if (found) {
      merged[found.index] = mergeMap(found.map, map, schema, opts)
    } else {
      merged.push(item)
      appended.push(item)
    }
  }
  return {merged, appended}
}
