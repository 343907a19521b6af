// Merging a configuration into a live value (TypedValue.Merge) and comparing two values field by field
// (TypedValue.Compare). Both walk the two values side by side, as structured-merge-diff's merging walker.
import {deepClone, deepEqual, hasKey, isMap, type JsonMap, put} from '../json-value.js'
import {FieldSet} from './fieldset.js'
import {type PathElement, fieldElement, pathElementString, pathElementsEqual, pathString, serializePathElement} from './path.js'
import {type ListType, SsaTypeError, type TypeIssue, isAtomic, listItemElement, shapeOf} from './typed.js'
import type {SsaSchema, SsaType} from './types.js'

/** What changed from lhs to rhs: fields only in rhs, fields with another value, fields only in lhs. */
export interface Comparison {
  readonly added: FieldSet
  readonly modified: FieldSet
  readonly removed: FieldSet
}

interface Rules {
  /** Which side is checked for duplicate list items and unidentifiable items. */
  readonly strict: boolean
  /** Called on leaves (scalars, atomic values, empty containers); returns the merged value. */
  leaf(lhs: unknown, rhs: unknown, at: readonly PathElement[]): unknown
  /** Called after a non-leaf node's children. */
  post?(lhs: unknown, rhs: unknown, at: readonly PathElement[]): void
}

interface IndexedList {
  readonly order: PathElement[]
  readonly items: Map<string, unknown>
  readonly duplicated: boolean
}

class Walker {
  readonly issues: TypeIssue[] = []

  constructor(
    private readonly schema: SsaSchema,
    private readonly rules: Rules,
  ) {}

  /** Walks a node present on at least one side; returns the merged value, undefined for none. */
  node(lhs: unknown, rhs: unknown, type: SsaType, at: readonly PathElement[]): unknown {
    const left = lhs === undefined ? undefined : shapeOf(type, lhs)
    const right = rhs === undefined ? undefined : shapeOf(type, rhs)
    // A value that changes shape (map to scalar and the like) is replaced as a whole.
    const shape = left === undefined ? right : right === undefined ? left : left === right ? left : 'leaf'
    if (shape === undefined || isAtomic(type, shape)) return this.rules.leaf(lhs, rhs, at)
    let out: unknown
    if (shape === 'list') {
      const l = Array.isArray(lhs) ? lhs : undefined
      const r = Array.isArray(rhs) ? rhs : undefined
      // Empty or null on both sides stays a leaf, which keeps the empty/null distinction.
      if (!l?.length && !r?.length) return this.rules.leaf(lhs, rhs, at)
      const listType = type as ListType
      const lhsIndex = this.index(listType, l, at, false)
      // Live items with the same key cannot be merged one by one; the list is replaced as a whole.
      if (lhsIndex.duplicated && this.rules.strict) return this.rules.leaf(lhs, rhs, at)
      out = this.listItems(listType, lhsIndex, this.index(listType, r, at, this.rules.strict), at)
    } else {
      const l = isMap(lhs) ? lhs : undefined
      const r = isMap(rhs) ? rhs : undefined
      if ((!l || Object.keys(l).length === 0) && (!r || Object.keys(r).length === 0)) return this.rules.leaf(lhs, rhs, at)
      out = this.mapItems(type, l, r, at)
    }
    this.rules.post?.(lhs, rhs, at)
    return out
  }

  private mapItems(type: SsaType, lhs: JsonMap | undefined, rhs: JsonMap | undefined, at: readonly PathElement[]): unknown {
    const out: JsonMap = {}
    const keys = [...Object.keys(lhs ?? {}), ...Object.keys(rhs ?? {}).filter((key) => !lhs || !hasKey(lhs, key))]
    for (const key of keys) {
      const l = lhs && hasKey(lhs, key) ? lhs[key] : undefined
      const r = rhs && hasKey(rhs, key) ? rhs[key] : undefined
      const merged = this.node(l, r, this.schema.field(type, key), [...at, fieldElement(key)])
      if (merged !== undefined) put(out, key, merged)
    }
    return Object.keys(out).length > 0 ? out : undefined
  }

  private index(type: ListType, list: unknown[] | undefined, at: readonly PathElement[], reportDuplicates: boolean): IndexedList {
    const order: PathElement[] = []
    const items = new Map<string, unknown>()
    let duplicated = false
    ;(list ?? []).forEach((item, i) => {
      const pe = listItemElement(this.schema, type, i, item)
      if (typeof pe === 'string') {
        this.issues.push({path: pathString(at), message: `element ${i}: ${pe}`})
        return
      }
      const id = serializePathElement(pe)
      if (items.has(id)) {
        duplicated = true
        if (reportDuplicates) this.issues.push({path: pathString(at), message: `duplicate entries for key ${pathElementString(pe)}`})
        return
      }
      items.set(id, item)
      order.push(pe)
    })
    return {order, items, duplicated}
  }

  // Order of the merged list: the config's order for the items it sends, with live-only items kept
  // where they were relative to the items both sides share.
  private listItems(type: ListType, lhs: IndexedList, rhs: IndexedList, at: readonly PathElement[]): unknown {
    const out: unknown[] = []
    const inLhs = (pe: PathElement): boolean => lhs.items.has(serializePathElement(pe))
    const inRhs = (pe: PathElement): boolean => rhs.items.has(serializePathElement(pe))
    const item = (pe: PathElement, l: unknown, r: unknown): void => {
      const merged = this.node(l, r, type.elem, [...at, pe])
      if (merged !== undefined) out.push(merged)
    }
    const shared = rhs.order.filter(inLhs)
    let sharedAt = 0
    let l = 0
    let r = 0
    while (l < lhs.order.length || r < rhs.order.length) {
      const before = l + r
      if (l < lhs.order.length && r < rhs.order.length) {
        const pe = lhs.order[l]
        if (pathElementsEqual(pe, rhs.order[r])) {
          const id = serializePathElement(pe)
          item(pe, lhs.items.get(id), rhs.items.get(id))
          l++
          r++
          sharedAt++
          continue
        }
        const nextShared = shared[sharedAt]
        if (inRhs(pe) && nextShared !== undefined && !pathElementsEqual(nextShared, pe)) {
          // A shared item that the config places later: it is merged when the config reaches it.
          l++
          continue
        }
      }
      if (l < lhs.order.length && !inRhs(lhs.order[l])) {
        item(lhs.order[l], lhs.items.get(serializePathElement(lhs.order[l])), undefined)
        l++
        continue
      }
      if (r < rhs.order.length) {
        const pe = rhs.order[r]
        const id = serializePathElement(pe)
        item(pe, lhs.items.get(id), rhs.items.get(id))
        r++
        const nextShared = shared[sharedAt]
        if (nextShared !== undefined && pathElementsEqual(nextShared, pe)) sharedAt++
      }
      // Defensive: never spin if the positions stop moving.
      if (l + r === before) l++
    }
    return out.length > 0 ? out : undefined
  }
}

/** The live value with the config merged in: config leaves win, nothing is removed. */
export function mergeValues(schema: SsaSchema, lhs: unknown, rhs: unknown, type: SsaType = schema.root): unknown {
  const walker = new Walker(schema, {
    strict: true,
    leaf: (l, r) => deepClone(r !== undefined ? r : l),
  })
  const out = walker.node(lhs, rhs, type, [])
  if (walker.issues.length > 0) throw new SsaTypeError(walker.issues)
  return out === undefined ? null : out
}

/** Compare: which fields rhs added, modified or removed relative to lhs. */
export function compareValues(schema: SsaSchema, lhs: unknown, rhs: unknown, type: SsaType = schema.root): Comparison {
  const added = new FieldSet()
  const modified = new FieldSet()
  const removed = new FieldSet()
  const walker = new Walker(schema, {
    strict: false,
    leaf: (l, r, at) => {
      if (l === undefined) added.insert(at)
      else if (r === undefined) removed.insert(at)
      else if (!deepEqual(l, r)) modified.insert(at)
      return undefined
    },
    post: (l, r, at) => {
      if (l === undefined) added.insert(at)
      else if (r === undefined) removed.insert(at)
    },
  })
  walker.node(lhs, rhs, type, [])
  if (walker.issues.length > 0) throw new SsaTypeError(walker.issues)
  return {added, modified, removed}
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
