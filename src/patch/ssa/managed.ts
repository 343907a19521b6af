// metadata.managedFields as the apiserver reads and writes it: manager identifiers (the entry without
// its fields, time and, for appliers, version), decoding with its checks, encoding and entry order.
import {compareGoStrings, isMap} from '../json-value.js'
import {FieldSet} from './fieldset.js'
import {goJsonString, goQuote} from './go-text.js'

export type ManagedFieldsOperation = 'Apply' | 'Update'

export interface ManagedFieldsEntry {
  manager: string
  operation: ManagedFieldsOperation
  apiVersion: string
  /** RFC 3339 in seconds, UTC (`2024-05-01T10:00:00Z`). */
  time?: string
  fieldsType: 'FieldsV1'
  fieldsV1: Record<string, unknown>
  subresource?: string
}

/** The fields one manager owns, at the version it used, and whether it got them by applying. */
export interface VersionedSet {
  readonly set: FieldSet
  readonly apiVersion: string
  readonly applied: boolean
}

/** Per manager identifier: owned fields and the time of the manager's last change. */
export interface Managed {
  readonly fields: Map<string, VersionedSet>
  readonly times: Map<string, string | undefined>
}

export function emptyManaged(): Managed {
  return {fields: new Map(), times: new Map()}
}

/** Thrown when metadata.managedFields cannot be decoded. */
export class ManagedFieldsError extends Error {
  override readonly name = 'ManagedFieldsError'
}

export interface ManagerInfo {
  manager: string
  operation: string
  apiVersion?: string
  subresource?: string
}

/**
 * BuildManagerIdentifier: the entry as encoding/json writes it (struct field order, empty fields
 * omitted) without fieldsType, fieldsV1 and time; appliers also drop apiVersion so that one applier
 * keeps one entry across versions.
 */
export function managerIdentifier(info: ManagerInfo): string {
  const parts: string[] = []
  if (info.manager) parts.push(`"manager":${goJsonString(info.manager)}`)
  if (info.operation) parts.push(`"operation":${goJsonString(info.operation)}`)
  if (info.apiVersion && info.operation !== 'Apply') parts.push(`"apiVersion":${goJsonString(info.apiVersion)}`)
  if (info.subresource) parts.push(`"subresource":${goJsonString(info.subresource)}`)
  return `{${parts.join(',')}}`
}

// Parsed identifiers: the same few managers come back on every write. Entries are copied out.
const IDENTIFIERS_LIMIT = 10_000
let identifiers = new Map<string, ManagerInfo | undefined>()

export function parseManagerIdentifier(id: string): ManagerInfo | undefined {
  let info = identifiers.get(id)
  if (info === undefined && !identifiers.has(id)) {
    info = parseIdentifier(id)
    if (identifiers.size >= IDENTIFIERS_LIMIT) identifiers = new Map()
    identifiers.set(id, info)
  }
  return info === undefined ? undefined : {...info}
}

function parseIdentifier(id: string): ManagerInfo | undefined {
  try {
    const parsed: unknown = JSON.parse(id)
    if (!isMap(parsed)) return undefined
    const text = (key: string): string => (typeof parsed[key] === 'string' ? (parsed[key] as string) : '')
    return {manager: text('manager'), operation: text('operation'), apiVersion: text('apiVersion'), subresource: text('subresource')}
  } catch {
    return undefined
  }
}

/** printManager: how conflict messages name a manager (`"kubectl" using apps/v1` for updaters). */
export function printManager(id: string): string {
  const info = parseManagerIdentifier(id)
  if (!info) return goQuote(id)
  let text = goQuote(info.manager)
  if (info.subresource) text = `${text} with subresource ${goQuote(info.subresource)}`
  // Identifiers never carry a time, so updaters print without "at <time>".
  if (info.operation === 'Update') return `${text} using ${info.apiVersion ?? ''}`
  return text
}

/** metav1.Time in JSON: RFC 3339, whole seconds, UTC. */
export function formatTime(now: string | Date): string {
  const date = now instanceof Date ? now : new Date(now)
  if (Number.isNaN(date.getTime())) throw new RangeError(`invalid time: ${String(now)}`)
  return date.toISOString().replace(/\.\d+Z$/, 'Z')
}

function unixSeconds(time: string | undefined): number {
  if (time === undefined) return 0
  const ms = Date.parse(time)
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000)
}

function text(entry: Record<string, unknown>, key: string): string {
  const v = entry[key]
  return typeof v === 'string' ? v : ''
}

/** DecodeManagedFields: entries keyed by manager identifier; a repeated identifier keeps the last entry. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged()
  if (entries === undefined || entries === null) return managed
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list')
  entries.forEach((raw, i) => {
    const entry: Record<string, unknown> = isMap(raw) ? raw : {}
    const operation = text(entry, 'operation')
    if (operation !== 'Apply' && operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`')
    const apiVersion = text(entry, 'apiVersion')
    if (apiVersion === '') throw new ManagedFieldsError('apiVersion must not be empty')
    const fieldsType = text(entry, 'fieldsType')
    if (fieldsType === '') throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`)
    if (fieldsType !== 'FieldsV1') throw new ManagedFieldsError(`invalid fieldsType ${goQuote(fieldsType)} in managed fields entry ${i}`)
    const id = managerIdentifier({manager: text(entry, 'manager'), operation, apiVersion, subresource: text(entry, 'subresource')})
    let set: FieldSet
    try {
      set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {})
    } catch (err) {
      throw new ManagedFieldsError(`error decoding versioned set from entry ${i}: error decoding set: ${(err as Error).message}`)
    }
    managed.fields.set(id, {set, apiVersion, applied: operation === 'Apply'})
    const time = text(entry, 'time')
    managed.times.set(id, time === '' ? undefined : time)
  })
  return managed
}

/** encodeManagedFields: one entry per manager, ordered by operation, time, manager, version, subresource. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = []
  for (const [id, vs] of managed.fields) {
    const info = parseManagerIdentifier(id) ?? {manager: '', operation: 'Update'}
    const entry: ManagedFieldsEntry = {
      manager: info.manager,
      operation: vs.applied ? 'Apply' : (info.operation as ManagedFieldsOperation),
      apiVersion: vs.apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: vs.set.toFieldsV1(),
    }
    const time = managed.times.get(id)
    if (time !== undefined) {
      // Keep Go's field order: time sits between apiVersion and fieldsType.
      const {fieldsType, fieldsV1} = entry
      delete (entry as Partial<ManagedFieldsEntry>).fieldsType
      delete (entry as Partial<ManagedFieldsEntry>).fieldsV1
      Object.assign(entry, {time, fieldsType, fieldsV1})
    }
    if (info.subresource) entry.subresource = info.subresource
    entries.push(entry)
  }
  const byBytes = compareGoStrings
  return entries.sort(
    (p, q) =>
      byBytes(p.operation, q.operation) ||
      unixSeconds(p.time) - unixSeconds(q.time) ||
      byBytes(p.manager, q.manager) ||
      byBytes(p.apiVersion, q.apiVersion) ||
      byBytes(p.subresource ?? '', q.subresource ?? ''),
  )
}

/**
 * Whether a request asks to clear managed fields: an empty list, or a list of one empty entry
 * (`managedFields: [{}]`).
 */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false
  if (entries.length === 0) return true
  if (entries.length !== 1 || !isMap(entries[0])) return false
  const only = entries[0]
  return Object.keys(only).every((key) => {
    const v = only[key]
    return v === null || v === undefined || v === ''
  })
}
