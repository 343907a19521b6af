// Merging a configuration into a live value (TypedValue.Merge) and comparing two values field by field
// (TypedValue.Compare). Both walk the two values side by side, as structured-merge-diff's merging walker.
import {deepEqual, hasKey, isMap, type JsonMap, put} from '../json-value.js'
import {cloneJson} from './copy.js'
import {FieldSet} from './fieldset.js'
import {type PathElement, pathElementString, pathString, serializePathElement, sharedFieldElement} from './path.js'
import {type ListType, SsaTypeError, type TypeIssue, isAtomic, listItemElement, shapeOf} from './typed.js'
import type {SsaSchema, SsaType} from './types.js'

/** What changed from lhs to rhs: fields only in rhs, fields with another value, fields only in lhs. */
export interface Comparison {
  readonly added: FieldSet
  readonly modified: FieldSet
  readonly removed: FieldSet
}

interface IndexedList {
  readonly order: PathElement[]
  /** serializePathElement of each element of order: equal ids are equal elements. */
  readonly ids: string[]
  /** The item of each element of order. */
  readonly values: unknown[]
  readonly duplicated: boolean
}

const EMPTY_INDEX: IndexedList = {order: [], ids: [], values: [], duplicated: false}

function isEmptyMap(value: JsonMap | undefined): boolean {
  if (value === undefined) return true
  for (const key in value) if (hasKey(value, key)) return false
  return true
}

/** The position of id in the list's ids, -1 if absent; a linear scan for the usual short lists. */
function find(list: IndexedList, id: string, byId: Map<string, number> | undefined): number {
  if (byId !== undefined) return byId.get(id) ?? -1
  const ids = list.ids
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i
  return -1
}

function positions(list: IndexedList): Map<string, number> | undefined {
  if (list.ids.length <= 16) return undefined
  const byId = new Map<string, number>()
  for (let i = 0; i < list.ids.length; i++) byId.set(list.ids[i], i)
  return byId
}

/**
 * Walks the two values side by side: merging (the merged value, config leaves win) or comparing (which
 * fields were added, modified or removed). Merging checks the config (rhs) strictly for items without
 * identity and duplicates; comparing reports items without identity on both sides.
 */
class Walker {
  readonly issues: TypeIssue[] = []
  // The path of the node being walked; pushed and popped around each child.
  private readonly at: PathElement[] = []
  readonly added = new FieldSet()
  readonly modified = new FieldSet()
  readonly removed = new FieldSet()

  constructor(
    private readonly schema: SsaSchema,
    private readonly merging: boolean,
  ) {}

  /** Leaves (scalars, atomic values, empty containers): the merged value, or the change recorded. */
  private leaf(lhs: unknown, rhs: unknown): unknown {
    if (this.merging) return cloneJson(rhs !== undefined ? rhs : lhs)
    if (lhs === undefined) this.added.insert(this.at)
    else if (rhs === undefined) this.removed.insert(this.at)
    else if (!deepEqual(lhs, rhs)) this.modified.insert(this.at)
    return undefined
  }

  /** After a non-leaf node's children: a node present on one side only was added or removed. */
  private post(lhs: unknown, rhs: unknown): void {
    if (this.merging) return
    if (lhs === undefined) this.added.insert(this.at)
    else if (rhs === undefined) this.removed.insert(this.at)
  }

  /** Walks a node present on at least one side; returns the merged value, undefined for none. */
  node(lhs: unknown, rhs: unknown, type: SsaType): unknown {
    const left = lhs === undefined ? undefined : shapeOf(type, lhs)
    const right = rhs === undefined ? undefined : shapeOf(type, rhs)
    // A value that changes shape (map to scalar and the like) is replaced as a whole.
    const shape = left === undefined ? right : right === undefined ? left : left === right ? left : 'leaf'
    if (shape === undefined || isAtomic(type, shape)) return this.leaf(lhs, rhs)
    let out: unknown
    if (shape === 'list') {
      const l = Array.isArray(lhs) ? lhs : undefined
      const r = Array.isArray(rhs) ? rhs : undefined
      // Empty or null on both sides stays a leaf, which keeps the empty/null distinction.
      if (!l?.length && !r?.length) return this.leaf(lhs, rhs)
      const listType = type as ListType
      const lhsIndex = this.index(listType, l, false)
      // Live items with the same key cannot be merged one by one; the list is replaced as a whole.
      if (lhsIndex.duplicated && this.merging) return this.leaf(lhs, rhs)
      out = this.listItems(listType, lhsIndex, this.index(listType, r, this.merging))
    } else {
      const l = isMap(lhs) ? lhs : undefined
      const r = isMap(rhs) ? rhs : undefined
      if (isEmptyMap(l) && isEmptyMap(r)) return this.leaf(lhs, rhs)
      out = this.mapItems(type, l, r)
    }
    this.post(lhs, rhs)
    return out
  }

  private child(pe: PathElement, lhs: unknown, rhs: unknown, type: SsaType): unknown {
    this.at.push(pe)
    const merged = this.node(lhs, rhs, type)
    this.at.pop()
    return merged
  }

  private mapItems(type: SsaType, lhs: JsonMap | undefined, rhs: JsonMap | undefined): unknown {
    const out: JsonMap | undefined = this.merging ? {} : undefined
    let any = false
    // for-in over own keys: Object.keys' order without the array.
    if (lhs) {
      for (const key in lhs) {
        if (!hasKey(lhs, key)) continue
        const r = rhs && hasKey(rhs, key) ? rhs[key] : undefined
        const merged = this.child(sharedFieldElement(key), lhs[key], r, this.schema.field(type, key))
        if (merged !== undefined && out) {
          put(out, key, merged)
          any = true
        }
      }
    }
    if (rhs) {
      for (const key in rhs) {
        if (!hasKey(rhs, key) || (lhs && hasKey(lhs, key))) continue
        const merged = this.child(sharedFieldElement(key), undefined, rhs[key], this.schema.field(type, key))
        if (merged !== undefined && out) {
          put(out, key, merged)
          any = true
        }
      }
    }
    return any ? out : undefined
  }

  private index(type: ListType, list: unknown[] | undefined, reportDuplicates: boolean): IndexedList {
    if (!list || list.length === 0) return EMPTY_INDEX
    const order: PathElement[] = []
    const ids: string[] = []
    const values: unknown[] = []
    let seen: Set<string> | undefined
    let duplicated = false
    // forEach, as before: holes are skipped.
    list.forEach((item, i) => {
      const pe = listItemElement(this.schema, type, i, item)
      if (typeof pe === 'string') {
        this.issues.push({path: pathString(this.at), message: `element ${i}: ${pe}`})
        return
      }
      const id = serializePathElement(pe)
      let repeated: boolean
      if (ids.length < 16) {
        repeated = ids.includes(id)
      } else {
        if (seen === undefined) seen = new Set(ids)
        repeated = seen.has(id)
      }
      if (repeated) {
        duplicated = true
        if (reportDuplicates) this.issues.push({path: pathString(this.at), message: `duplicate entries for key ${pathElementString(pe)}`})
        return
      }
      seen?.add(id)
      order.push(pe)
      ids.push(id)
      values.push(item)
    })
    return {order, ids, values, duplicated}
  }

  private item(pe: PathElement, l: number, r: number, lhs: IndexedList, rhs: IndexedList, type: ListType, out: unknown[] | undefined): void {
    const merged = this.child(pe, l < 0 ? undefined : lhs.values[l], r < 0 ? undefined : rhs.values[r], type.elem)
    if (merged !== undefined && out) out.push(merged)
  }

  // Order of the merged list: the config's order for the items it sends, with live-only items kept
  // where they were relative to the items both sides share.
  private listItems(type: ListType, lhs: IndexedList, rhs: IndexedList): unknown {
    const out: unknown[] | undefined = this.merging ? [] : undefined
    if (lhs.order.length === 0) {
      // Nothing live: the config's items in its order.
      for (let r = 0; r < rhs.order.length; r++) this.item(rhs.order[r], -1, r, lhs, rhs, type, out)
      return out && out.length > 0 ? out : undefined
    }
    if (rhs.order.length === 0) {
      for (let l = 0; l < lhs.order.length; l++) this.item(lhs.order[l], l, -1, lhs, rhs, type, out)
      return out && out.length > 0 ? out : undefined
    }
    const lhsAt = positions(lhs)
    const rhsAt = positions(rhs)
    // Where each side's items are on the other side (-1: not there).
    const inRhs = lhs.ids.map((id) => find(rhs, id, rhsAt))
    const inLhs = rhs.ids.map((id) => find(lhs, id, lhsAt))
    const shared: number[] = []
    for (let r = 0; r < inLhs.length; r++) if (inLhs[r] >= 0) shared.push(r)
    let sharedAt = 0
    let l = 0
    let r = 0
    while (l < lhs.order.length || r < rhs.order.length) {
      const before = l + r
      if (l < lhs.order.length && r < rhs.order.length) {
        if (inRhs[l] === r) {
          this.item(lhs.order[l], l, r, lhs, rhs, type, out)
          l++
          r++
          sharedAt++
          continue
        }
        const nextShared = shared[sharedAt]
        if (inRhs[l] >= 0 && nextShared !== undefined && nextShared !== inRhs[l]) {
          // A shared item that the config places later: it is merged when the config reaches it.
          l++
          continue
        }
      }
      if (l < lhs.order.length && inRhs[l] < 0) {
        this.item(lhs.order[l], l, -1, lhs, rhs, type, out)
        l++
        continue
      }
      if (r < rhs.order.length) {
        this.item(rhs.order[r], inLhs[r], r, lhs, rhs, type, out)
        if (shared[sharedAt] === r) sharedAt++
        r++
      }
      // Defensive: never spin if the positions stop moving.
      if (l + r === before) l++
    }
    return out && out.length > 0 ? out : undefined
  }
}

/** The live value with the config merged in: config leaves win, nothing is removed. */
export function mergeValues(schema: SsaSchema, lhs: unknown, rhs: unknown, type: SsaType = schema.root): unknown {
  const walker = new Walker(schema, true)
  const out = walker.node(lhs, rhs, type)
  if (walker.issues.length > 0) throw new SsaTypeError(walker.issues)
  return out === undefined ? null : out
}

/** Compare: which fields rhs added, modified or removed relative to lhs. */
export function compareValues(schema: SsaSchema, lhs: unknown, rhs: unknown, type: SsaType = schema.root): Comparison {
  const walker = new Walker(schema, false)
  walker.node(lhs, rhs, type)
  if (walker.issues.length > 0) throw new SsaTypeError(walker.issues)
  return {added: walker.added, modified: walker.modified, removed: walker.removed}
}

/** Comparison.ExcludeFields: drops ignored fields (and everything under them) from all three sets. */
export function excludeFields(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored || ignored.isEmpty()) return c
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  }
}
