// Helpers over decoded JSON values (objects, arrays, scalars) shared by the patch implementations,
// including the Go-flavoured formatting that upstream error messages and orderings depend on.

export type JsonMap = {[key: string]: unknown}

/** What Go's reflect.TypeOf tells apart in a decoded JSON value; numbers are one kind here. */
export type JsonKind = 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null'

export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function kindOf(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'list'
  switch (typeof value) {
    case 'object':
      return 'map'
    case 'string':
      return 'string'
    case 'number':
    case 'bigint':
      return 'number'
    case 'boolean':
      return 'boolean'
    default:
      return 'null'
  }
}

export function hasKey(map: JsonMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key)
}

/** Sets a key without ever touching the prototype: JSON may carry a "__proto__" key. */
export function put(map: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, {value, enumerable: true, writable: true, configurable: true})
  } else {
    map[key] = value
  }
}

/** A deep copy with JSON's view of undefined: absent in objects, null in arrays. */
export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : deepClone(item))) as T
  if (isMap(value)) {
    const out: JsonMap = {}
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) put(out, key, deepClone(value[key]))
    }
    return out as T
  }
  return value
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]))
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    return keys.every((key) => hasKey(b, key) && deepEqual(a[key], b[key]))
  }
  return false
}

/** fmt's %v of a decoded JSON scalar: what upstream sorts and compares list items and merge keys by. */
export function goScalarString(value: unknown): string {
  if (value === null || value === undefined) return '<nil>'
  if (typeof value === 'number') return goNumberString(value)
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return String(value)
  return goFormat(value)
}

function goNumberString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n)
  // %v of a float64 is %g: exponent with a sign and at least two digits.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2')
}

/** fmt's %v of a decoded JSON value, as upstream messages print maps and slices. */
export function goFormat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => goFormat(item)).join(' ')}]`
  if (isMap(value)) {
    const keys = Object.keys(value).sort(compareGoStrings)
    return `map[${keys.map((key) => `${key}:${goFormat(value[key])}`).join(' ')}]`
  }
  return goScalarString(value)
}

/** The Go type name of a decoded JSON value, as reflect prints it in mergepatch.ErrBadArgType. */
export function goTypeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'map':
      return 'map[string]interface {}'
    case 'list':
      return '[]interface {}'
    case 'string':
      return 'string'
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64'
    case 'boolean':
      return 'bool'
    default:
      return '<nil>'
  }
}

const ABOVE_SURROGATES = /[\uD800-\uFFFF]/

/** Go's string ordering (bytes of UTF-8), which differs from UTF-16 order only above the BMP. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0
  if (!ABOVE_SURROGATES.test(a) && !ABOVE_SURROGATES.test(b)) return a < b ? -1 : 1
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
