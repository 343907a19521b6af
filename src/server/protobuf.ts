// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), decoded to
// the JSON object a client would have sent as JSON. kubectl 1.32+ sends its typed-client requests this
// way (create <generator>, auth can-i, create token, drain's deletes and evictions), as do client-go
// programs configured for protobuf. Responses stay JSON: the server never offers protobuf.
//
// The encoding: the bytes `k8s\0`, then a runtime.Unknown {typeMeta{apiVersion, kind}, raw,
// contentEncoding, contentType} whose `raw` is the object's message. Field numbers, types and Go
// pointer-ness come from schemas/protobuf.json (scripts/generate-protobuf.ts). The Go-to-JSON rules
// applied: a non-pointer scalar at its zero value is what Go's `omitempty` leaves out, so it is
// dropped; a pointer scalar is on the wire only when set, so its zero is kept; a zero Time is null;
// structs embedded `json:",inline"` spread their fields into the parent; Time, MicroTime,
// Duration, Quantity, IntOrString, RawExtension, FieldsV1 and the ExtraValue/Verbs wrappers have their
// own JSON forms; maps arrive as repeated key/value entries.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {readFields, readPackedVarints, WireError, wireString, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, type WireField} from './protobuf-wire.js'

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf'
const MAGIC = [0x6b, 0x38, 0x73, 0x00]

type FieldRow = [number, string, number, number, string?]
interface MessageRow {
  fields: FieldRow[]
  mapEntry?: true
}
interface Table {
  generatedFrom: string
  messages: Record<string, MessageRow>
}

const FLAG_REPEATED = 1
const FLAG_POINTER = 2
const FLAG_INLINE = 4

// FieldDescriptorProto.Type
const T_DOUBLE = 1, T_FLOAT = 2, T_INT64 = 3, T_UINT64 = 4, T_INT32 = 5, T_FIXED64 = 6, T_FIXED32 = 7, T_BOOL = 8
const T_STRING = 9, T_MESSAGE = 11, T_BYTES = 12, T_UINT32 = 13, T_ENUM = 14, T_SFIXED32 = 15, T_SFIXED64 = 16, T_SINT32 = 17, T_SINT64 = 18

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1'
const TIME = `${META}.Time`
const MICROTIME = `${META}.MicroTime`
const DURATION = `${META}.Duration`
const FIELDS_V1 = `${META}.FieldsV1`
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity'
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString'
const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension'
const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown'
/** Go's zero time.Time as Unix seconds (0001-01-01T00:00:00Z): marshalled for unset non-pointer times. */
const GO_ZERO_TIME_SECONDS = -62135596800n

/** Kinds every group version accepts (meta/v1's option types, registered in each group). */
const META_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status', 'WatchEvent', 'PartialObjectMetadata', 'Table'])

class DecodeError extends Error {}

/** The envelope names a kind this server has no protobuf message for (custom resources, apiextensions). */
export class UnknownProtobufKind extends Error {}

interface Message {
  name: string
  byNumber: Map<number, FieldRow>
  mapEntry: boolean
}

let loaded: {table: Table; messages: Map<string, Message>} | undefined

function table(): {table: Table; messages: Map<string, Message>} {
  if (!loaded) {
    const t = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/protobuf.json', import.meta.url)), 'utf8')) as Table
    const messages = new Map<string, Message>()
    for (const [name, row] of Object.entries(t.messages)) {
      messages.set(name, {name, byNumber: new Map(row.fields.map((f) => [f[0], f])), mapEntry: row.mapEntry === true})
    }
    loaded = {table: t, messages}
  }
  return loaded
}

/** Whether a body starts with the Kubernetes protobuf magic. */
export function isKubernetesProtobuf(body: Uint8Array): boolean {
  return body.length >= 4 && MAGIC.every((b, i) => body[i] === b)
}

/**
 * The proto message name for a group/version/kind: `k8s.io.api.<pkg>.<version>.<Kind>` found through the
 * OpenAPI definition names of the kinds we serve (definition `io.k8s.api.apps.v1.Deployment` is message
 * `k8s.io.api.apps.v1.Deployment`), meta/v1's options for any group, and the package of any other kind
 * of the same group version (Eviction, TokenRequest, Scale).
 */
export function messageForKind(apiVersion: string, kind: string, definitionFor: (group: string, version: string, kind: string) => string | undefined, packagesFor: (group: string, version: string) => string[]): string | undefined {
  const slash = apiVersion.indexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1)
  const {messages} = table()
  const def = definitionFor(group, version, kind)
  if (def) {
    const name = definitionToMessage(def)
    if (messages.has(name)) return name
  }
  if (META_KINDS.has(kind) && messages.has(`${META}.${kind}`)) return `${META}.${kind}`
  for (const pkg of packagesFor(group, version)) {
    const name = definitionToMessage(`${pkg}.${kind}`)
    if (messages.has(name)) return name
  }
  return undefined
}

/** `io.k8s.api.core.v1.Pod` -> `k8s.io.api.core.v1.Pod` (the proto package is the Go import path's). */
export function definitionToMessage(def: string): string {
  return def.startsWith('io.k8s.') ? `k8s.io.${def.slice('io.k8s.'.length)}` : def
}

export interface DecodedProtobuf {
  apiVersion: string
  kind: string
  object: Record<string, unknown>
}

/**
 * Decodes a `k8s\0`-prefixed body. `resolve` names the message for the envelope's apiVersion/kind.
 * Throws an Error with a client-facing message on anything it cannot read.
 */
export function decodeKubernetesProtobuf(body: Uint8Array, resolve: (apiVersion: string, kind: string) => string | undefined): DecodedProtobuf {
  if (!isKubernetesProtobuf(body)) throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]')
  try {
    const envelope = readFields(body.subarray(4))
    let apiVersion = ''
    let kind = ''
    let raw: Uint8Array = new Uint8Array(0)
    let contentEncoding = ''
    for (const f of envelope) {
      if (f.number === 1 && f.bytes) {
        for (const t of readFields(f.bytes)) {
          if (t.number === 1) apiVersion = wireString(t)
          else if (t.number === 2) kind = wireString(t)
        }
      } else if (f.number === 2 && f.bytes) raw = f.bytes
      else if (f.number === 3) contentEncoding = wireString(f)
    }
    if (contentEncoding) throw new DecodeError(`unsupported content encoding ${JSON.stringify(contentEncoding)}`)
    if (!kind) throw new DecodeError('Object \'Kind\' is missing in the protobuf envelope')
    const name = resolve(apiVersion, kind)
    if (!name) throw new UnknownProtobufKind(`no kind "${kind}" is registered for version "${apiVersion}"`)
    const object: Record<string, unknown> = {apiVersion, kind, ...decodeMessage(raw, name)}
    return {apiVersion, kind, object}
  } catch (e) {
    if (e instanceof DecodeError) throw new Error(e.message)
    if (e instanceof WireError) throw new Error(`unable to decode protobuf body: ${e.message}`)
    throw e
  }
}

function message(name: string): Message {
  const m = table().messages.get(name)
  if (!m) throw new DecodeError(`protobuf message ${name} is not known to this server`)
  return m
}

/** One message's bytes as the JSON object Go would marshal for it. */
export function decodeMessage(bytes: Uint8Array, name: string): Record<string, unknown> {
  const m = message(name)
  const out: Record<string, unknown> = {}
  for (const f of readFields(bytes)) {
    const row = m.byNumber.get(f.number)
    if (!row) continue // a field this table does not know (newer client): dropped, as an older server does
    const [, json, type, flags, typeName] = row
    if (flags & FLAG_REPEATED) {
      if (type === T_MESSAGE && message(typeName!).mapEntry) {
        const map = (out[json] ??= {}) as Record<string, unknown>
        const entry = mapEntry(f, typeName!)
        map[entry[0]] = entry[1]
      } else {
        const list = (out[json] ??= []) as unknown[]
        if (f.wire === WIRE_BYTES && isPackable(type)) list.push(...unpack(f, type))
        else list.push(scalarOrMessage(f, type, typeName))
      }
      continue
    }
    const value = scalarOrMessage(f, type, typeName)
    if (value === undefined) continue
    if (flags & FLAG_INLINE && value !== null && typeof value === 'object') {
      Object.assign(out, value)
      continue
    }
    if (!(flags & FLAG_POINTER) && type !== T_MESSAGE && isZero(value)) {
      delete out[json]
      continue
    }
    out[json] = value
  }
  return out
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false
}

function isPackable(type: number): boolean {
  return type !== T_STRING && type !== T_BYTES && type !== T_MESSAGE
}

function unpack(f: WireField, type: number): unknown[] {
  const bytes = f.bytes!
  if (type === T_DOUBLE || type === T_FIXED64 || type === T_SFIXED64) {
    const out: unknown[] = []
    for (let i = 0; i + 8 <= bytes.length; i += 8) out.push(scalarOrMessage({number: f.number, wire: WIRE_FIXED64, bytes: bytes.subarray(i, i + 8)}, type))
    return out
  }
  if (type === T_FLOAT || type === T_FIXED32 || type === T_SFIXED32) {
    const out: unknown[] = []
    for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(scalarOrMessage({number: f.number, wire: WIRE_FIXED32, bytes: bytes.subarray(i, i + 4)}, type))
    return out
  }
  return readPackedVarints(bytes).map((v) => scalarOrMessage({number: f.number, wire: WIRE_VARINT, varint: v}, type))
}

function mapEntry(f: WireField, typeName: string): [string, unknown] {
  const m = message(typeName)
  let key: unknown = ''
  let value: unknown
  for (const e of readFields(f.bytes ?? new Uint8Array(0))) {
    const row = m.byNumber.get(e.number)
    if (!row) continue
    const v = scalarOrMessage(e, row[2], row[4])
    if (e.number === 1) key = v
    else if (e.number === 2) value = v
  }
  if (value === undefined) value = zeroOf(m.byNumber.get(2))
  return [String(key), value]
}

function zeroOf(row: FieldRow | undefined): unknown {
  if (!row) return null
  switch (row[2]) {
    case T_STRING: case T_BYTES: return ''
    case T_BOOL: return false
    case T_MESSAGE: return row[4] === QUANTITY ? '0' : row[4] === INT_OR_STRING ? 0 : {}
    default: return 0
  }
}

function expectWire(f: WireField, wire: number): void {
  if (f.wire !== wire) throw new DecodeError(`protobuf field ${f.number} has wire type ${f.wire}, expected ${wire}`)
}

function scalarOrMessage(f: WireField, type: number, typeName?: string): unknown {
  switch (type) {
    case T_STRING:
      expectWire(f, WIRE_BYTES)
      return wireString(f)
    case T_BYTES:
      expectWire(f, WIRE_BYTES)
      return Buffer.from(f.bytes!).toString('base64')
    case T_BOOL:
      expectWire(f, WIRE_VARINT)
      return f.varint !== 0n
    case T_INT32: case T_ENUM:
      expectWire(f, WIRE_VARINT)
      return Number(BigInt.asIntN(32, f.varint!))
    case T_INT64:
      expectWire(f, WIRE_VARINT)
      return Number(BigInt.asIntN(64, f.varint!))
    case T_UINT32: case T_UINT64:
      expectWire(f, WIRE_VARINT)
      return Number(f.varint!)
    case T_SINT32: case T_SINT64: {
      expectWire(f, WIRE_VARINT)
      const v = f.varint!
      return Number((v >> 1n) ^ -(v & 1n))
    }
    case T_DOUBLE:
      expectWire(f, WIRE_FIXED64)
      return Buffer.from(f.bytes!).readDoubleLE(0)
    case T_FIXED64:
      expectWire(f, WIRE_FIXED64)
      return Number(Buffer.from(f.bytes!).readBigUInt64LE(0))
    case T_SFIXED64:
      expectWire(f, WIRE_FIXED64)
      return Number(Buffer.from(f.bytes!).readBigInt64LE(0))
    case T_FLOAT:
      expectWire(f, WIRE_FIXED32)
      return Buffer.from(f.bytes!).readFloatLE(0)
    case T_FIXED32:
      expectWire(f, WIRE_FIXED32)
      return Buffer.from(f.bytes!).readUInt32LE(0)
    case T_SFIXED32:
      expectWire(f, WIRE_FIXED32)
      return Buffer.from(f.bytes!).readInt32LE(0)
    case T_MESSAGE:
      expectWire(f, WIRE_BYTES)
      return special(f.bytes!, typeName!)
    default:
      throw new DecodeError(`protobuf field ${f.number} has an unsupported type ${type}`)
  }
}

/** Messages whose JSON form is not an object of their fields. undefined means "leave the field out". */
function special(bytes: Uint8Array, name: string): unknown {
  switch (name) {
    case TIME: case MICROTIME: {
      let seconds = 0n
      let nanos = 0
      for (const f of readFields(bytes)) {
        if (f.number === 1) seconds = BigInt.asIntN(64, f.varint ?? 0n)
        else if (f.number === 2) nanos = Number(BigInt.asIntN(32, f.varint ?? 0n))
      }
      // Go's zero time marshals to JSON as null (omitempty does not apply to structs).
      if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) return null
      if (seconds === 0n && nanos === 0 && bytes.length === 0) return null
      return formatTime(seconds, nanos, name === MICROTIME)
    }
    case DURATION: {
      let ns = 0n
      for (const f of readFields(bytes)) if (f.number === 1) ns = BigInt.asIntN(64, f.varint ?? 0n)
      return goDuration(ns)
    }
    case QUANTITY: {
      for (const f of readFields(bytes)) if (f.number === 1) return wireString(f)
      return '0'
    }
    case INT_OR_STRING: {
      let type = 0
      let intVal = 0
      let strVal = ''
      for (const f of readFields(bytes)) {
        if (f.number === 1) type = Number(f.varint ?? 0n)
        else if (f.number === 2) intVal = Number(BigInt.asIntN(32, f.varint ?? 0n))
        else if (f.number === 3) strVal = wireString(f)
      }
      return type === 1 ? strVal : intVal
    }
    case RAW_EXTENSION: case FIELDS_V1: {
      let raw: Uint8Array | undefined
      for (const f of readFields(bytes)) if (f.number === 1) raw = f.bytes
      return raw && raw.length > 0 ? embedded(raw) : undefined
    }
    case UNKNOWN:
      return embedded(Buffer.concat([Buffer.from(MAGIC), Buffer.from(bytes)]))
  }
  if (name.endsWith('.ExtraValue') || name === `${META}.Verbs`) {
    return readFields(bytes).filter((f) => f.number === 1).map(wireString)
  }
  return decodeMessage(bytes, name)
}

/** Bytes of an embedded object: JSON, or protobuf with its own envelope. */
function embedded(raw: Uint8Array): unknown {
  if (isKubernetesProtobuf(raw)) return decodeKubernetesProtobuf(raw, embeddedResolver ?? (() => undefined)).object
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'))
  } catch {
    throw new DecodeError('an embedded object is neither JSON nor Kubernetes protobuf')
  }
}

let embeddedResolver: ((apiVersion: string, kind: string) => string | undefined) | undefined

/** The resolver used for objects embedded in RawExtensions (set by the server that decodes bodies). */
export function setEmbeddedResolver(resolve: (apiVersion: string, kind: string) => string | undefined): void {
  embeddedResolver = resolve
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0')
}

/** RFC 3339 in UTC as Kubernetes writes it: seconds for Time, microseconds for MicroTime. */
function formatTime(seconds: bigint, nanos: number, micro: boolean): string {
  const d = new Date(Number(seconds) * 1000)
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  return micro ? `${base}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${base}Z`
}

/** Go's time.Duration.String(): "1h2m3.5s", "150ms", "0s". */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s'
  const neg = ns < 0n
  let u = neg ? -ns : ns
  let out: string
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n]
    out = fraction(u, div) + unit
  } else {
    const h = u / 3_600_000_000_000n
    u -= h * 3_600_000_000_000n
    const m = u / 60_000_000_000n
    u -= m * 60_000_000_000n
    out = `${fraction(u, 1_000_000_000n)}s`
    if (h > 0n) out = `${h}h${m}m${out}`
    else if (m > 0n) out = `${m}m${out}`
  }
  return neg ? `-${out}` : out
}

function fraction(v: bigint, div: bigint): string {
  const whole = v / div
  const rest = v % div
  if (rest === 0n) return String(whole)
  const digits = String(div).length - 1
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`
}

/**
 * A resolver for a Kubernetes release's built-in kinds (`resources` from its ResourceRegistry): the
 * kinds' own definitions, then any message in the package of the same group version (subresource
 * bodies such as Eviction, Scale, TokenRequest), then meta/v1's option kinds.
 */
export function kindResolver(resources: Array<{group: string; version: string; kind: string; definition?: string}>): (apiVersion: string, kind: string) => string | undefined {
  const defs = new Map<string, string>()
  const packages = new Map<string, Set<string>>()
  for (const r of resources) {
    if (!r.definition) continue
    defs.set(`${r.group}/${r.version}/${r.kind}`, r.definition)
    const pkg = r.definition.slice(0, r.definition.lastIndexOf('.'))
    const gv = `${r.group}/${r.version}`
    if (!packages.has(gv)) packages.set(gv, new Set())
    packages.get(gv)!.add(pkg)
  }
  const cache = new Map<string, string | undefined>()
  return (apiVersion, kind) => {
    const key = `${apiVersion}/${kind}`
    if (!cache.has(key)) {
      cache.set(key, messageForKind(apiVersion, kind, (g, v, k) => defs.get(`${g}/${v}/${k}`), (g, v) => [...(packages.get(`${g}/${v}`) ?? [])]))
    }
    return cache.get(key)
  }
}

/** The table's provenance, for error messages and docs. */
export function protobufTableSource(): string {
  return table().table.generatedFrom
}
