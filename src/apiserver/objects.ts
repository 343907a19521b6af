// Small helpers over untyped Kubernetes objects used throughout the API server.
import type {Obj} from './types.js'

export type Meta = {
  name?: string
  generateName?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  deletionGracePeriodSeconds?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
  ownerReferences?: Array<Record<string, unknown>>
  managedFields?: unknown[]
  [k: string]: unknown
}

export function meta(o: Obj): Meta {
  if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) o.metadata = {}
  return o.metadata as Meta
}

/** Objects are parsed from JSON and written back as JSON: a JSON round trip is an exact deep copy. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** RFC 3339 in UTC with seconds, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises. */
export function rfc3339Micro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** The five characters the apiserver appends to generateName (utilrand.String). */
export function randomSuffix(random: () => number, length = 5): string {
  let s = ''
  for (let i = 0; i < length; i++) s += NAME_ALPHABET[Math.floor(random() * NAME_ALPHABET.length)]
  return s
}

/** A version 4 UUID from the given random source (deterministic under a seeded source). */
export function uuid(random: () => number): string {
  const b: number[] = []
  for (let i = 0; i < 16; i++) b.push(Math.floor(random() * 256))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** A small seeded PRNG (mulberry32), so an emulated cluster's names and uids are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]))
  }
  const ka = Object.keys(a as Obj), kb = Object.keys(b as Obj)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Obj)[k], (b as Obj)[k]))
}
