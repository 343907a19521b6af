// The managed fields of a create in one walk. On a create nobody owns anything yet, so the general
// update (Compare against the kind's zero object, ownership changes of other managers, the placeholder
// entry, stripping) reduces to: the writer owns every field the zero object does not already hold with
// the same value, less the reset fields (with everything below them) and the stripped metadata fields.
// This walk computes that set straight into its FieldsV1 form while it copies the object, and gives up
// (undefined) on anything the general path reports as an error or handles specially, such as list items
// without identity or with the same key.
import {deepEqual, isMap, type JsonMap, put} from '../json-value.js'
import {cloneJson} from './copy.js'
import type {FieldSet} from './fieldset.js'
import {compareGo} from './go-text.js'
import {type PathElement, comparePathElements, fieldElement, serializePathElement} from './path.js'
import {type ListType, isAtomic, listItemElement, shapeOf} from './typed.js'
import type {SsaSchema, SsaType} from './types.js'

type FieldsV1 = Record<string, unknown>

/** One owned node below a map or list: its FieldsV1 key, how it sorts, and its encoded subtree. */
interface Entry {
  readonly key: string
  /** The field name for map entries, else the list item's element. */
  readonly name: string | undefined
  readonly pe: PathElement | undefined
  readonly fields: FieldsV1
}

/** Thrown inside the walk when the general path has to decide. */
class GiveUp {}
const GIVE_UP = new GiveUp()

const EMPTY: readonly Entry[] = []

function isEmptyMap(value: JsonMap | undefined): boolean {
  if (value === undefined) return true
  for (const key in value) if (Object.hasOwn(value, key)) return false
  return true
}

function byElement(a: Entry, b: Entry): number {
  if (a.name !== undefined && b.name !== undefined) return compareGo(a.name, b.name)
  return comparePathElements(a.pe ?? fieldElement(a.name ?? ''), b.pe ?? fieldElement(b.name ?? ''))
}

/** Sorts by element; an insertion sort, as most nodes have a handful of entries, often in order. */
function sortEntries(entries: Entry[]): void {
  if (entries.length > 16) {
    entries.sort(byElement)
    return
  }
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i]
    let j = i - 1
    while (j >= 0 && byElement(entries[j], entry) > 0) {
      entries[j + 1] = entries[j]
      j--
    }
    entries[j + 1] = entry
  }
}

function encode(entries: readonly Entry[] | Entry[], member: boolean): FieldsV1 {
  const out: FieldsV1 = {}
  if (entries.length === 0) return out
  if (member) out['.'] = {}
  if (entries.length > 1) sortEntries(entries as Entry[])
  for (let i = 0; i < entries.length; i++) out[entries[i].key] = entries[i].fields
  return out
}

// `f:name` keys, kept so that the same string (internalized once used as a key) serves every object.
const FIELD_KEYS_LIMIT = 20_000
let fieldKeys = new Map<string, string>()

function fieldKey(name: string): string {
  let key = fieldKeys.get(name)
  if (key === undefined) {
    key = `f:${name}`
    if (fieldKeys.size >= FIELD_KEYS_LIMIT) fieldKeys = new Map()
    fieldKeys.set(name, key)
  }
  return key
}

function copyLeaf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? cloneJson(value) : value
}

class CreateWalk {
  constructor(private readonly schema: SsaSchema) {}

  /**
   * Copies r (defined, as a copy holds it) and adds the owned entry for it to out. l is the zero object's
   * value at the same place (undefined where it has none). ignored and strip are the reset fields
   * (removed with everything below them) and stripped fields (members only) at the parent's level.
   */
  node(
    r: unknown,
    l: unknown,
    type: SsaType,
    name: string | undefined,
    pe: PathElement | undefined,
    key: string,
    ignored: FieldSet | undefined,
    strip: FieldSet | undefined,
    out: Entry[],
  ): unknown {
    let dropped = false
    let stripped = false
    if (ignored !== undefined || strip !== undefined) {
      const elem = pe ?? fieldElement(name ?? '')
      // Reset fields are not owned, with all below them; their values still have to read well.
      dropped = ignored !== undefined && ignored.hasMember(elem)
      stripped = strip !== undefined && strip.hasMember(elem)
      ignored = dropped ? undefined : ignored?.child(elem)
      strip = dropped ? undefined : strip?.child(elem)
    }
    let entries: Entry[] | readonly Entry[] = EMPTY
    let owned: boolean
    let copy: unknown
    const right = shapeOf(type, r)
    const shape = l === undefined ? right : shapeOf(type, l) === right ? right : 'leaf'
    if (shape === 'leaf' || isAtomic(type, shape)) {
      copy = copyLeaf(r)
      owned = l === undefined || !deepEqual(l, copy)
    } else if (shape === 'list') {
      if (Array.isArray(l) && l.length > 0) throw GIVE_UP
      if (!Array.isArray(r) || r.length === 0) {
        copy = copyLeaf(r)
        owned = l === undefined || !deepEqual(l, copy)
      } else {
        const items: Entry[] = []
        copy = this.list(r, type as ListType, ignored, strip, items)
        entries = items
        owned = l === undefined
      }
    } else {
      const zero = isMap(l) ? l : undefined
      const fields: Entry[] = []
      // null, or a map whose copy has no entries: a leaf against an empty zero value, else only removals.
      copy = r === null ? null : this.map(r as JsonMap, zero, type, ignored, strip, fields)
      if (r === null || this.copied === 0) owned = isEmptyMap(zero) && (l === undefined || !deepEqual(l, copy))
      else {
        entries = fields
        owned = l === undefined
      }
    }
    if (dropped) return copy
    const member = owned && !stripped
    if (member || entries.length > 0) out.push({key, name, pe, fields: encode(entries, member)})
    return copy
  }

  /** The number of entries the last map copy got. */
  private copied = 0

  private map(r: JsonMap, zero: JsonMap | undefined, type: SsaType, ignored: FieldSet | undefined, strip: FieldSet | undefined, entries: Entry[]): JsonMap {
    const copy: JsonMap = {}
    let copied = 0
    for (const key of Object.keys(r)) {
      const value = r[key]
      if (value === undefined) continue
      copied++
      const l = zero !== undefined && Object.hasOwn(zero, key) ? zero[key] : undefined
      const v = this.node(value, l, this.schema.field(type, key), key, undefined, fieldKey(key), ignored, strip, entries)
      if (key === '__proto__') put(copy, key, v)
      else copy[key] = v
    }
    this.copied = copied
    return copy
  }

  private list(items: unknown[], type: ListType, ignored: FieldSet | undefined, strip: FieldSet | undefined, entries: Entry[]): unknown[] {
    const copy: unknown[] = []
    const seen = items.length > 1 ? new Set<string>() : undefined
    for (let i = 0; i < items.length; i++) {
      const raw = items[i]
      // A hole or undefined item: the general path decides.
      if (raw === undefined) throw GIVE_UP
      const pe = listItemElement(this.schema, type, i, raw)
      if (typeof pe === 'string') throw GIVE_UP
      const key = serializePathElement(pe)
      if (seen) {
        if (seen.has(key)) throw GIVE_UP
        seen.add(key)
      }
      copy.push(this.node(raw, undefined, type.elem, undefined, pe, key, ignored, strip, entries))
    }
    return copy
  }
}

/**
 * The object as the general path stores it (copied, without managedFields) and the FieldsV1 of the
 * fields its writer owns (undefined for none); undefined when the general path has to decide.
 */
export function createdFields(
  schema: SsaSchema,
  updated: JsonMap,
  zero: JsonMap,
  ignored: FieldSet | undefined,
  strip: FieldSet,
): {object: JsonMap; fieldsV1: FieldsV1 | undefined} | undefined {
  const walk = new CreateWalk(schema)
  const entries: Entry[] = []
  let object: JsonMap
  try {
    object = {}
    const root = schema.root
    for (const key of Object.keys(updated)) {
      let value = updated[key]
      if (value === undefined) continue
      if (key === 'metadata' && isMap(value) && Object.hasOwn(value, 'managedFields')) {
        const meta: JsonMap = {}
        for (const metaKey of Object.keys(value)) if (metaKey !== 'managedFields') put(meta, metaKey, value[metaKey])
        value = meta
      }
      const l = Object.hasOwn(zero, key) ? zero[key] : undefined
      put(object, key, walk.node(value, l, schema.field(root, key), key, undefined, fieldKey(key), ignored, strip, entries))
    }
  } catch (err) {
    if (err === GIVE_UP) return undefined
    throw err
  }
  // An empty object is a leaf of the root, whose membership is never recorded: the same as no entries.
  return {object, fieldsV1: entries.length > 0 ? encode(entries, false) : undefined}
}
