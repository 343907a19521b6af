// Small helpers the registry strategies share: untyped field access on decoded JSON objects, the
// apiserver's notion of "semantically equal", release comparison and problem constructors.
import {parseQuantity, Quantity} from '../../api/quantity.js'
import {problem, type Path, type Problem} from '../../schema/problems.js'

export type Obj = Record<string, unknown>

export interface StrategyContext {
  /** Kubernetes release to follow, `1.28` … `1.36` (a `v` prefix and a patch number are accepted). */
  kubernetesVersion: string
  /** The cluster's Service IP families, primary first. Defaults to a single-stack IPv4 cluster. */
  serviceIPFamilies?: ReadonlyArray<'IPv4' | 'IPv6'>
  /** The object's uid, once the store has assigned it: a Job's generated selector needs it. */
  uid?: string
  /** Clock for the timestamps a strategy writes (conditions, PV phase transitions): a time or a clock. */
  now?: Date | (() => Date)
  /** Custom resources only: whether the CRD enables the status subresource. */
  statusSubresource?: boolean
}

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

export function objs(v: unknown): Obj[] {
  return arr(v).filter((x): x is Obj => obj(x) !== undefined)
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined
}

/** The object at `o[key]`, created empty when absent (or not an object). */
export function child(o: Obj, key: string): Obj {
  const existing = obj(o[key])
  if (existing) return existing
  const created: Obj = {}
  o[key] = created
  return created
}

/** Sets `o[key]` when it is absent: what a Go defaulter does for a nil pointer or an empty string. */
export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value
}

/** Sets `o[key]` only when it is absent or null (pointer fields, where "" is a real value). */
export function setIfNil(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value
}

export function metadata(o: Obj): Obj {
  return child(o, 'metadata')
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

/** Minor release number of `1.36`, `v1.36.2`. */
export function minorOf(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version)
  return m ? Number(m[1]) : 0
}

export function atLeast(ctx: Pick<StrategyContext, 'kubernetesVersion'>, minor: number): boolean {
  return minorOf(ctx.kubernetesVersion) >= minor
}

export function nowISO(ctx: StrategyContext): string {
  // metav1.Time serializes at second precision in RFC 3339.
  const now = typeof ctx.now === 'function' ? ctx.now() : (ctx.now ?? new Date())
  return now.toISOString().replace(/\.\d+Z$/, 'Z')
}

// ---------------------------------------------------------------------------------------------
// Equality

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true
  if (Array.isArray(v)) return v.length === 0
  const o = obj(v)
  return o !== undefined && Object.keys(o).every((k) => o[k] === undefined)
}

/**
 * apiequality.Semantic.DeepEqual over decoded JSON. Go tells a nil map or slice from an empty one;
 * here absent, null, {} and [] are all equal, because the stored object has already lost its empty
 * omitempty fields while a request still carries them, and treating them as different would report
 * changes nobody made.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (isEmpty(a) && isEmpty(b)) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x, i) => semanticEqual(x, b[i]))
  }
  const oa = obj(a)
  const ob = obj(b)
  if (oa && ob) {
    const keys = new Set([...Object.keys(oa), ...Object.keys(ob)])
    for (const k of keys) if (!semanticEqual(oa[k], ob[k])) return false
    return true
  }
  return false
}

// ---------------------------------------------------------------------------------------------
// Quantities

/**
 * SetDefaults_ResourceList: every value rounded up to milli precision and written back as the
 * string the apiserver prints (a number becomes its canonical string, `0.5` becomes `500m`).
 * Unparseable values are left for validation to report.
 */
export function roundResourceList(list: unknown): void {
  const o = obj(list)
  if (!o) return
  for (const [key, value] of Object.entries(o)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue
    let q: Quantity
    try {
      q = parseQuantity(value)
    } catch {
      continue
    }
    const milli = q.milliValue()
    const rounded = Quantity.fromMilli(milli, q.format)
    // Only a quantity with precision below a thousandth changes; huge values (saturated milli) stay.
    const saturated = milli >= (1n << 63n) - 1n || milli <= -(1n << 63n)
    o[key] = !saturated && q.cmp(rounded) !== 0 ? rounded.canonical() : q.toString()
  }
}

export function quantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined
  try {
    return parseQuantity(v)
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Problems

/** FieldImmutableErrorMsg. */
export const IMMUTABLE = 'field is immutable'

/** ValidateImmutableField: Invalid(path, new, "field is immutable") when the values differ. */
export function immutable(out: Problem[], path: Path, newValue: unknown, oldValue: unknown): void {
  if (!semanticEqual(newValue, oldValue)) out.push(problem(path, 'Invalid value', IMMUTABLE, goValue(newValue)))
}

/** The bad value as field.Error shows it: nil pointers as null, everything else as is. */
export function goValue(v: unknown): unknown {
  return v === undefined ? null : v
}

export function forbidden(path: Path, detail: string): Problem {
  return problem(path, 'Forbidden', detail)
}

export function invalid(path: Path, value: unknown, detail: string): Problem {
  return problem(path, 'Invalid value', detail, goValue(value))
}
