// List helpers of strategic merge patch: element kinds, scalar sorting and de-duplication, lookups by
// merge key, and the ordering of merged lists (patch order first, then the live object's order).
import {
  ERR_NO_LIST_OF_LISTS,
  StrategicMergePatchError,
  errBadArgType,
  errNoMergeKey,
} from './errors.js'
import {type JsonKind, type JsonMap, compareGoStrings, goFormat, goScalarString, hasKey, isMap, kindOf} from './json-value.js'

/**
 * The kind shared by every element of the lists, or undefined when they are all empty. Upstream rejects
 * lists of lists and lists mixing kinds.
 */
export function sliceElementKind(...lists: readonly unknown[][]): JsonKind | undefined {
  let kind: JsonKind | undefined
  for (const list of lists) {
    for (const item of list) {
      const current = kindOf(item)
      if (kind === undefined) {
        if (current === 'list') throw new StrategicMergePatchError(ERR_NO_LIST_OF_LISTS)
        kind = current
      } else if (kind !== current) {
        throw new StrategicMergePatchError(`list element types are not identical: ${goFormat(lists)}`)
      }
    }
  }
  return kind
}

/** Scalars sorted by their %v string, as upstream sorts them (so 10 sorts before 9). */
export function sortScalars(list: readonly unknown[]): unknown[] {
  return [...list].sort((a, b) => compareGoStrings(goScalarString(a), goScalarString(b)))
}

/**
 * Removes repeated scalars the way upstream does: a repeat is overwritten by the last element, so the
 * order changes; callers that care re-sort afterwards.
 */
export function deduplicateScalars(list: readonly unknown[]): unknown[] {
  const s = [...list]
  let last = s.length - 1
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (s[i] === s[j]) {
        s[j] = s[last]
        s.length = last
        last--
        j--
      }
    }
  }
  return s
}

export function deduplicateAndSortScalars(list: readonly unknown[]): unknown[] {
  return sortScalars(deduplicateScalars(list))
}

/** The value an item is identified by in a list: its merge key for maps, itself for scalars. */
function identity(item: unknown, mergeKey: string, kind: JsonKind): unknown {
  if (kind !== 'map') return item
  return isMap(item) ? (item[mergeKey] ?? null) : null
}

/** The position of the first item of `list` with the same identity as `value`, or -1. */
export function indexOfItem(list: readonly unknown[], value: unknown, mergeKey: string, kind: JsonKind): number {
  const wanted = identity(value, mergeKey, kind)
  return list.findIndex((item) => identity(item, mergeKey, kind) === wanted)
}

export function findMapByKey(list: readonly unknown[], key: string, value: unknown): {map: JsonMap; index: number} | undefined {
  for (let index = 0; index < list.length; index++) {
    const item = list[index]
    if (!isMap(item)) throw new StrategicMergePatchError(`value for key ${index} is not a map`)
    if (hasKey(item, key) && item[key] === value) return {map: item, index}
  }
  return undefined
}

export function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right
  if (!isMap(left)) throw errBadArgType('map', left)
  if (!isMap(right)) throw errBadArgType('map', right)
  if (!hasKey(left, mergeKey)) throw errNoMergeKey(left, mergeKey)
  if (!hasKey(right, mergeKey)) throw errNoMergeKey(right, mergeKey)
  return left[mergeKey] === right[mergeKey]
}

export function validateMergeKeyInLists(mergeKey: string, ...lists: ReadonlyArray<readonly unknown[]>): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw errBadArgType('map', item)
      if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey)
    }
  }
}

/** Splits list items into those to keep and those carrying `$patch: delete`. */
export function extractToDeleteItems(list: readonly unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = []
  const toDelete: unknown[] = []
  for (const item of list) {
    if (!isMap(item)) throw errBadArgType('map', item)
    if (item.$patch === 'delete') toDelete.push(item)
    else keep.push(item)
  }
  return [keep, toDelete]
}

/** Partitions items into those whose identity appears in `partitionBy` and the rest, keeping order. */
export function partitionByPresence(
  list: readonly unknown[],
  partitionBy: readonly unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const present: unknown[] = []
  const absent: unknown[] = []
  if (mergeKey === '') {
    const wanted = new Set(partitionBy)
    for (const item of list) {
      if (wanted.has(item)) present.push(item)
      else absent.push(item)
    }
    return [present, absent]
  }
  for (const item of list) {
    if (!isMap(item)) throw errBadArgType('map', item)
    if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey)
    if (findMapByKey(partitionBy, mergeKey, item[mergeKey]) === undefined) absent.push(item)
    else present.push(item)
  }
  return [present, absent]
}

/** Sorts items by their position in `order`; deletion directives go last. */
export function normalizeSliceOrder(
  toSort: readonly unknown[],
  order: readonly unknown[],
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  if (kind === 'map') validateMergeKeyInLists(mergeKey, toSort, order)
  const [keep, toDelete] = kind === 'map' ? extractToDeleteItems(toSort) : [[...toSort], []]
  const position = (item: unknown): number => indexOfItem(order, item, mergeKey, kind)
  const sorted = keep.sort((a, b) => {
    const pa = position(a)
    const pb = position(b)
    return pa >= 0 && pb >= 0 ? pa - pb : 0
  })
  return [...sorted, ...toDelete]
}

/**
 * Orders a merged list: the patch's items in the patch's order, the server-only items in the live
 * object's order, interleaved where the live order relates them.
 */
export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  const patch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind)
  const server = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind)
  return mergeSortedSlice(server, patch, serverOrder, mergeKey, kind)
}

/**
 * Merges two sorted, disjoint lists. A left item goes first only when both items are in the live list
 * and it comes first there; anything the live list does not know puts the right item first.
 */
function mergeSortedSlice(
  left: readonly unknown[],
  right: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  const leftFirst = (l: unknown, r: unknown): boolean => {
    const li = indexOfItem(serverOrder, l, mergeKey, kind)
    const ri = indexOfItem(serverOrder, r, mergeKey, kind)
    return li >= 0 && ri >= 0 && li < ri
  }
  const out: unknown[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++])
    else if (j >= right.length) out.push(left[i++])
    else if (leftFirst(left[i], right[j])) out.push(left[i++])
    else out.push(right[j++])
  }
  return out
}
