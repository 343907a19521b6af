// Values read against an SsaType: which shape a node takes, how list items are identified, the set of
// fields a value sets (ToFieldSet), removing a set of fields from a value, and the errors all of these raise.
import {hasKey, isMap, type JsonMap, put} from '../json-value.js'
import {FieldSet, type NodeEntry} from './fieldset.js'
import {goQuote} from './go-text.js'
import {type KeyField, type PathElement, pathString, sharedFieldElement, sortKeyFields} from './path.js'
import type {SsaSchema, SsaType} from './types.js'

export type ListType = Extract<SsaType, {kind: 'list'}>

/** How a node is handled: as a leaf, as a list of items, or as a map of fields. */
export type NodeShape = 'leaf' | 'list' | 'map'

/** One problem found while reading a value against its type, at a printed path. */
export interface TypeIssue {
  readonly path: string
  readonly message: string
}

/** A value does not fit its type (typed.ValidationErrors upstream). */
export class SsaTypeError extends Error {
  override readonly name = 'SsaTypeError'
  readonly issues: readonly TypeIssue[]

  constructor(issues: readonly TypeIssue[]) {
    const line = (i: TypeIssue): string => (i.path ? `${i.path}: ${i.message}` : i.message)
    super(issues.length === 1 ? line(issues[0]) : ['errors:', ...issues.map((i) => `  ${line(i)}`)].join('\n'))
    this.issues = issues
  }
}

/** The shape of one side of a node; null takes the type's own shape, as upstream's null is a valid map or list. */
export function shapeOf(type: SsaType, value: unknown): NodeShape {
  switch (type.kind) {
    case 'scalar':
      return 'leaf'
    case 'primitive':
      return Array.isArray(value) ? 'list' : 'leaf'
    case 'struct':
    case 'map':
      return value === null || isMap(value) ? 'map' : 'leaf'
    case 'list':
      return value === null || Array.isArray(value) ? 'list' : 'leaf'
    case 'deduced':
      return value === null || isMap(value) ? 'map' : Array.isArray(value) ? 'list' : 'leaf'
  }
}

/** Whether the node is owned and replaced as a whole. */
export function isAtomic(type: SsaType, shape: NodeShape): boolean {
  if (shape === 'leaf') return true
  switch (type.kind) {
    case 'struct':
    case 'map':
      return type.atomic
    case 'list':
      return type.relationship === 'atomic'
    case 'deduced':
      // Deduced lists are atomic, deduced maps granular.
      return shape === 'list'
    default:
      return true
  }
}

/** The element type of list items, or of values under a path element that has none. */
export function elementType(type: SsaType): SsaType {
  return type.kind === 'list' ? type.elem : {kind: 'deduced'}
}

/** The path element naming a list item, or an error message when the item cannot be identified. */
export function listItemElement(schema: SsaSchema, type: SsaType, index: number, item: unknown): PathElement | string {
  if (type.kind !== 'list' || type.relationship === 'atomic') return {kind: 'index', index}
  if (type.keys.length > 0) {
    if (item === null) return 'associative list with keys may not have a null element'
    if (!isMap(item)) return 'associative list with keys may not have non-map elements'
    const fields: KeyField[] = []
    for (const key of type.keys) {
      if (hasKey(item, key)) {
        fields.push([key, item[key]])
        continue
      }
      const def = schema.keyDefault(type.elemName, key)
      if (def === undefined) {
        return `associative list with keys has an element that omits key field ${goQuote(key)} (and doesn't have default value)`
      }
      fields.push([key, def])
    }
    return {kind: 'key', fields: sortKeyFields(fields)}
  }
  if (isMap(item)) return "associative list without keys has an element that's a map type"
  if (Array.isArray(item)) return 'not supported: associative list with lists as elements'
  if (item === null) return "associative list without keys has an element that's an explicit null"
  return {kind: 'value', value: item}
}

/** ToFieldSet: every leaf the value sets, every list item, and every map entry that is not a named field. */
export function toFieldSet(schema: SsaSchema, value: unknown, type: SsaType = schema.root): FieldSet {
  const issues: TypeIssue[] = []
  const below = collectFields(schema, value, type, [], issues)
  if (issues.length > 0) throw new SsaTypeError(issues)
  return below === ATOMIC || below === undefined ? new FieldSet() : below
}

/** collectFields' answer for a node owned as a whole. */
const ATOMIC = 'atomic'

/** The fields set below a node (undefined for none), built bottom-up; ATOMIC when the node is a leaf. */
function collectFields(schema: SsaSchema, value: unknown, type: SsaType, at: PathElement[], issues: TypeIssue[]): FieldSet | undefined | typeof ATOMIC {
  const shape = shapeOf(type, value)
  if (isAtomic(type, shape)) return ATOMIC
  const entries: NodeEntry[] = []
  if (shape === 'list') {
    if (!Array.isArray(value)) return undefined
    const itemType = elementType(type)
    // forEach, as before: holes are skipped.
    value.forEach((item, i) => {
      const pe = listItemElement(schema, type, i, item)
      if (typeof pe === 'string') {
        issues.push({path: pathString(at), message: `element ${i}: ${pe}`})
        return
      }
      at.push(pe)
      const below = collectFields(schema, item, itemType, at, issues)
      at.pop()
      entries.push({pe, member: true, set: below === ATOMIC ? undefined : below})
    })
  } else {
    if (!isMap(value)) return undefined
    for (const key of Object.keys(value)) {
      const pe = sharedFieldElement(key)
      const fieldType = schema.field(type, key)
      at.push(pe)
      const below = collectFields(schema, value[key], fieldType, at, issues)
      at.pop()
      entries.push({pe, member: below === ATOMIC || !schema.isNamed(type, key), set: below === ATOMIC ? undefined : below})
    }
  }
  return entries.length > 0 ? FieldSet.fromEntries(entries) : undefined
}

/**
 * RemoveItems: the value without the fields, list items and map entries of the set. A map or list left
 * with nothing becomes null, as upstream's walker leaves it (the typed round trip then drops it).
 */
export function removeItems(schema: SsaSchema, value: unknown, remove: FieldSet, type: SsaType = schema.root): unknown {
  const out = removeFrom(schema, value, remove, type)
  return out === undefined ? null : out
}

function removeFrom(schema: SsaSchema, value: unknown, remove: FieldSet, type: SsaType): unknown {
  const shape = shapeOf(type, value)
  if (shape === 'leaf') return value
  if (shape === 'list') {
    if (!Array.isArray(value) || value.length === 0 || isAtomic(type, shape)) return undefined
    const items: unknown[] = []
    value.forEach((item, i) => {
      const pe = listItemElement(schema, type, i, item)
      // Items that cannot be identified were rejected before; keep them untouched.
      if (typeof pe === 'string') {
        items.push(item)
        return
      }
      if (remove.hasMember(pe)) return
      const below = remove.child(pe)
      items.push(below && !below.isEmpty() ? (removeFrom(schema, item, below, elementType(type)) ?? null) : item)
    })
    return items.length > 0 ? items : undefined
  }
  if (!isMap(value) || Object.keys(value).length === 0 || isAtomic(type, shape)) return undefined
  const out: JsonMap = {}
  for (const key of Object.keys(value)) {
    const pe = sharedFieldElement(key)
    if (remove.hasMember(pe)) continue
    const below = remove.child(pe)
    put(out, key, below && !below.isEmpty() ? (removeFrom(schema, value[key], below, schema.field(type, key)) ?? null) : value[key])
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/**
 * EnsureNamedFieldsAreMembers: the set plus every named struct field that has members under it, so that
 * pruning can remove a whole struct an applier stopped sending.
 */
export function ensureNamedFieldsAreMembers(schema: SsaSchema, set: FieldSet, type: SsaType = schema.root): FieldSet {
  const nodes = set.childNodes()
  const named: PathElement[] = []
  let same = true
  const children = nodes.map((node) => {
    let childType: SsaType = SCALAR
    if (node.pe.kind === 'field' && (type.kind === 'struct' || type.kind === 'map' || type.kind === 'deduced')) {
      if (schema.isNamed(type, node.pe.name)) {
        named.push(node.pe)
        if (same && !set.hasMember(node.pe)) same = false
      }
      childType = schema.field(type, node.pe.name)
    } else if (node.pe.kind === 'key' && type.kind === 'list') {
      childType = type.elem
    }
    const below = ensureNamedFieldsAreMembers(schema, node.set, childType)
    if (below !== node.set) same = false
    return {pe: node.pe, set: below}
  })
  // Nothing to add anywhere below: the set itself (sets are never changed once built).
  if (same) return set
  // The children are in order, so the named ones are too.
  return set.withMembers(named, children)
}

const SCALAR: SsaType = {kind: 'scalar'}

/**
 * The typed round trip of the stored object: explicit nulls in schema-known objects are dropped (they
 * decode to zero values), while untyped (deduced) content keeps them, as the apiserver stores it.
 */
export function dropNulls(schema: SsaSchema, value: unknown, type: SsaType = schema.root): unknown {
  if (type.kind === 'deduced' || type.kind === 'scalar' || type.kind === 'primitive') return value
  const shape = shapeOf(type, value)
  if (shape === 'list' && Array.isArray(value)) return value.map((item) => dropNulls(schema, item, elementType(type)))
  if (shape !== 'map' || !isMap(value)) return value
  const out: JsonMap = {}
  for (const key of Object.keys(value)) {
    // Fields of typed objects decode null to nothing; untyped entries keep it.
    if (value[key] === null && (type.kind !== 'struct' || schema.isNamed(type, key))) continue
    put(out, key, dropNulls(schema, value[key], schema.field(type, key)))
  }
  return out
}
