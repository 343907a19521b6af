// Field paths as structured-merge-diff models them: the four kinds of path element, their total order
// (which fixes FieldsV1 key order and conflict order), their printed form and their FieldsV1 keys.
import {deepEqual, isMap} from '../json-value.js'
import {compareGo as compareGoStrings, goJson, goJsonString, goNumberV, goQuote} from './go-text.js'

/** One key field of an associative-list item: the field's name and its value. */
export type KeyField = readonly [name: string, value: unknown]

export type PathElement =
  /** A field of a struct or an entry of a map. */
  | {readonly kind: 'field'; readonly name: string}
  /** An item of a map-type list, by its key fields sorted by name. */
  | {readonly kind: 'key'; readonly fields: readonly KeyField[]}
  /** An item of a set-type list, by its value. */
  | {readonly kind: 'value'; readonly value: unknown}
  /** A position in a list that has no identity for its items. */
  | {readonly kind: 'index'; readonly index: number}

export type Path = readonly PathElement[]

export function fieldElement(name: string): PathElement {
  return {kind: 'field', name}
}

// Field elements of the names walks meet, shared (path elements are never changed).
const FIELD_ELEMENTS_LIMIT = 20_000
let fieldElements = new Map<string, PathElement>()

/** fieldElement, the same element for the same name. */
export function sharedFieldElement(name: string): PathElement {
  let pe = fieldElements.get(name)
  if (pe === undefined) {
    pe = {kind: 'field', name}
    if (fieldElements.size >= FIELD_ELEMENTS_LIMIT) fieldElements = new Map()
    fieldElements.set(name, pe)
  }
  return pe
}

/** A path from field names, for reset fields and tests: `path('spec', 'replicas')`. */
export function path(...names: string[]): Path {
  return names.map(fieldElement)
}

const KIND_ORDER = {field: 0, key: 1, value: 2, index: 3} as const

/** Total order of path elements: fields, then keys, then values, then indexes. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.kind === 'field' && b.kind === 'field') return compareGoStrings(a.name, b.name)
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
  switch (a.kind) {
    case 'field':
      return compareGoStrings(a.name, (b as typeof a).name)
    case 'key':
      return compareKeyFields(a.fields, (b as typeof a).fields)
    case 'value':
      return compareValues(a.value, (b as typeof a).value)
    case 'index':
      return Math.sign(a.index - (b as typeof a).index)
  }
}

export function pathElementsEqual(a: PathElement, b: PathElement): boolean {
  if (a.kind !== b.kind) return false
  switch (a.kind) {
    case 'field':
      return a.name === (b as typeof a).name
    case 'key': {
      const other = (b as typeof a).fields
      return a.fields.length === other.length && a.fields.every(([n, v], i) => n === other[i][0] && deepEqual(v, other[i][1]))
    }
    case 'value':
      return deepEqual(a.value, (b as typeof a).value)
    case 'index':
      return a.index === (b as typeof a).index
  }
}

export function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = comparePathElements(a[i], b[i])
    if (c !== 0) return c
  }
  return Math.sign(a.length - b.length)
}

function compareKeyFields(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const byName = compareGoStrings(a[i][0], b[i][0])
    if (byName !== 0) return byName
    const byValue = compareValues(a[i][1], b[i][1])
    if (byValue !== 0) return byValue
  }
  return Math.sign(a.length - b.length)
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0
  if (typeof v === 'string') return 1
  if (typeof v === 'boolean') return 2
  if (Array.isArray(v)) return 3
  if (isMap(v)) return 4
  return 5
}

/** value.Compare: numbers, strings, booleans, lists, maps, null; numbers compare numerically. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a)
  const rb = valueRank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return compareGoStrings(a, b)
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < a.length && i < b.length; i++) {
      const c = compareValues(a[i], b[i])
      if (c !== 0) return c
    }
    return Math.sign(a.length - b.length)
  }
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareGoStrings)
    for (const key of keys) {
      if (!Object.hasOwn(a, key)) return 1
      if (!Object.hasOwn(b, key)) return -1
      const c = compareValues(a[key], b[key])
      if (c !== 0) return c
    }
  }
  return 0
}

/** value.ToString: how values appear inside printed paths (`[name="web"]`, `[=80]`). */
export function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number') return goNumberV(v)
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map((item) => valueToString(item)).join(',')}]`
  if (isMap(v)) {
    return Object.keys(v)
      .sort(compareGoStrings)
      .map((key) => `${key}=${valueToString(v[key])}`)
      .join('')
  }
  return '{{undefined}}'
}

/** PathElement.String: `.name`, `[k=v,k2=v2]`, `[=v]`, `[3]`. */
export function pathElementString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`
    case 'key':
      return `[${pe.fields.map(([name, value]) => `${name}=${valueToString(value)}`).join(',')}]`
    case 'value':
      return `[=${valueToString(pe.value)}]`
    case 'index':
      return `[${pe.index}]`
  }
}

/** Path.String, as apiserver conflict messages print fields: `.spec.template.spec.containers[name="web"].image`. */
export function pathString(p: Path): string {
  return p.map((pe) => pathElementString(pe)).join('')
}

// FieldsV1 keys of decoded key and value elements, which live on in the decoding cache.
const serialized = new WeakMap<PathElement, string>()

/** The FieldsV1 key of a path element: `f:name`, `k:{"name":"web"}`, `v:"x"`, `i:0`. */
export function serializePathElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`
    case 'key':
      return serialized.get(pe) ?? keyElementString(pe.fields)
    case 'value':
      return serialized.get(pe) ?? `v:${goJson(pe.value)}`
    case 'index':
      return `i:${pe.index}`
  }
}

function keyElementString(fields: readonly KeyField[]): string {
  let key = 'k:{'
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) key += ','
    key += `${goJsonString(fields[i][0])}:${goJson(fields[i][1])}`
  }
  return `${key}}`
}

/** Thrown for a FieldsV1 key that cannot be read. */
export class PathElementSyntaxError extends Error {
  override readonly name = 'PathElementSyntaxError'
}

/** Sorts key fields by name, keeping the order of equal names (Go's sort.SliceStable). */
export function sortKeyFields(fields: KeyField[]): KeyField[] {
  if (fields.length < 2) return fields
  if (fields.length === 2) return compareGoStrings(fields[0][0], fields[1][0]) > 0 ? [fields[1], fields[0]] : fields
  return fields
    .map((field, i) => ({field, i}))
    .sort((x, y) => compareGoStrings(x.field[0], y.field[0]) || x.i - y.i)
    .map(({field}) => field)
}

/**
 * Reads a FieldsV1 key. Returns undefined for keys of an unknown kind, which upstream skips so that a
 * newer encoding does not break older readers.
 */
export function deserializePathElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new PathElementSyntaxError('key must be 2 characters long:')
  if (s[1] !== ':') throw new PathElementSyntaxError(`missing colon: ${s}`)
  const body = s.slice(2)
  switch (s[0]) {
    case 'f':
      return {kind: 'field', name: body}
    case 'v':
      return {kind: 'value', value: parseJson(body)}
    case 'k': {
      const parsed = parseJson(body)
      if (!isMap(parsed)) throw new PathElementSyntaxError('expected object')
      return {kind: 'key', fields: sortKeyFields(Object.keys(parsed).map((name): KeyField => [name, parsed[name]]))}
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new PathElementSyntaxError(`strconv.Atoi: parsing ${goQuote(body)}: invalid syntax`)
      return {kind: 'index', index: Number(body)}
    }
    default:
      return undefined
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new PathElementSyntaxError(`parsing JSON: ${(err as Error).message}`)
  }
}

// Decoded FieldsV1 keys: managed fields repeat the same keys across entries, objects and requests.
const DECODED_LIMIT = 20_000
let decoded = new Map<string, PathElement | undefined>()

/** deserializePathElement for FieldsV1 decoding, remembering the elements of keys seen before (shared, never changed). */
export function decodePathElement(s: string): PathElement | undefined {
  let pe = decoded.get(s)
  if (pe === undefined && !decoded.has(s)) {
    pe = deserializePathElement(s)
    if (decoded.size >= DECODED_LIMIT) decoded = new Map()
    decoded.set(s, pe)
    if (pe?.kind === 'key' || pe?.kind === 'value') serialized.set(pe, serializePathElement(pe))
  }
  return pe
}
