// Copies of decoded JSON with deepClone's exact semantics, made faster: one pass that leaves
// metadata.managedFields out instead of copying and deleting it, and no copy at all for a value that is
// only read and already looks like its copy.
import {deepClone, isMap, type JsonMap, put} from '../json-value.js'
import {fastPathsEnabled} from './fast-paths.js'

/** deepClone: undefined map values dropped, undefined list items null, holes kept, `__proto__` an own key. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    const out: unknown[] = []
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      // Holes and undefined items: rare enough to leave to deepClone.
      if (item === undefined) return deepClone(value)
      out.push(typeof item === 'object' && item !== null ? cloneJson(item) : item)
    }
    return out as T
  }
  return cloneMap(value as JsonMap, undefined) as T
}

function cloneMap(value: JsonMap, skip: string | undefined): JsonMap {
  const out: JsonMap = {}
  for (const key of Object.keys(value)) {
    const v = value[key]
    if (v === undefined || key === skip) continue
    const copy = typeof v === 'object' && v !== null ? cloneJson(v) : v
    if (key === '__proto__') put(out, key, copy)
    else out[key] = copy
  }
  return out
}

/** withoutManagedFields: a deep copy of an object without metadata.managedFields ({} for a non-object). */
export function cloneWithoutManagedFields(obj: unknown): JsonMap {
  if (!isMap(obj)) return {}
  const out: JsonMap = {}
  for (const key of Object.keys(obj)) {
    const v = obj[key]
    if (v === undefined) continue
    let copy: unknown
    if (key === 'metadata' && isMap(v)) copy = cloneMap(v, 'managedFields')
    else copy = typeof v === 'object' && v !== null ? cloneJson(v) : v
    if (key === '__proto__') put(out, key, copy)
    else out[key] = copy
  }
  return out
}

/**
 * Whether a value reads exactly like its deepClone: plain objects and arrays only, no undefined
 * anywhere (map values, list items, holes).
 */
function readsLikeCopy(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return value !== undefined
  if (depth > 200) return false
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (item === undefined) return false
      if (typeof item === 'object' && item !== null && !readsLikeCopy(item, depth + 1)) return false
    }
    return true
  }
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return false
  for (const key of Object.keys(value)) {
    const v = (value as JsonMap)[key]
    if (v === undefined) return false
    if (typeof v === 'object' && v !== null && !readsLikeCopy(v, depth + 1)) return false
  }
  return true
}

/**
 * withoutManagedFields for a value that is only read (the live object): the object itself, or a shallow
 * copy of it and its metadata without managedFields; a deep copy when a shared one would read differently.
 */
export function readOnlyWithoutManagedFields(obj: unknown): JsonMap {
  if (!isMap(obj)) return {}
  if (!fastPathsEnabled() || !readsLikeCopyOutside(obj)) return cloneWithoutManagedFields(obj)
  const meta = obj.metadata
  if (!isMap(meta) || !Object.hasOwn(meta, 'managedFields')) return obj
  const metaCopy: JsonMap = {}
  for (const key of Object.keys(meta)) if (key !== 'managedFields') put(metaCopy, key, meta[key])
  const out: JsonMap = {}
  for (const key of Object.keys(obj)) put(out, key, key === 'metadata' ? metaCopy : obj[key])
  return out
}

/** readsLikeCopy for an object, leaving out metadata.managedFields. */
function readsLikeCopyOutside(obj: JsonMap): boolean {
  const proto: unknown = Object.getPrototypeOf(obj)
  if (proto !== Object.prototype && proto !== null) return false
  for (const key of Object.keys(obj)) {
    const v = obj[key]
    if (key === 'metadata' && isMap(v)) {
      const metaProto: unknown = Object.getPrototypeOf(v)
      if (metaProto !== Object.prototype && metaProto !== null) return false
      for (const metaKey of Object.keys(v)) {
        if (metaKey !== 'managedFields' && !readsLikeCopy(v[metaKey], 1)) return false
      }
    } else if (!readsLikeCopy(v, 0)) {
      return false
    }
  }
  return true
}
