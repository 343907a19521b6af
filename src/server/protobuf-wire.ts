// The protocol-buffers wire format, read side only: enough to walk the messages Kubernetes clients
// send (`application/vnd.kubernetes.protobuf`) and the FileDescriptorProtos the protobuf table is
// generated from (scripts/generate-protobuf.ts). Values are returned raw; their meaning comes from the
// message's descriptor.

export const WIRE_VARINT = 0
export const WIRE_FIXED64 = 1
export const WIRE_BYTES = 2
export const WIRE_FIXED32 = 5

/** One field occurrence: a varint as bigint, fixed-width and length-delimited values as bytes. */
export interface WireField {
  number: number
  wire: number
  varint?: bigint
  bytes?: Uint8Array
}

export class WireError extends Error {}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let lo = 0
  let shift = 0
  // Fast path: up to 4 bytes (28 bits) fit a JS number exactly.
  for (let i = 0; i < 4; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint')
    const b = buf[pos++]!
    lo |= (b & 0x7f) << shift
    if (b < 0x80) return [BigInt(lo >>> 0), pos]
    shift += 7
  }
  let value = BigInt(lo >>> 0)
  let big = 28n
  for (let i = 4; i < 10; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint')
    const b = buf[pos++]!
    value |= BigInt(b & 0x7f) << big
    if (b < 0x80) return [BigInt.asUintN(64, value), pos]
    big += 7n
  }
  throw new WireError('varint longer than 10 bytes')
}

/** Every field of one message, in wire order (repeated fields appear once per element). */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = []
  let pos = 0
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos)
    pos = p1
    const number = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (number === 0) throw new WireError('field number 0')
    switch (wire) {
      case WIRE_VARINT: {
        const [v, p] = readVarint(buf, pos)
        pos = p
        out.push({number, wire, varint: v})
        break
      }
      case WIRE_FIXED64:
        if (pos + 8 > buf.length) throw new WireError('truncated fixed64')
        out.push({number, wire, bytes: buf.subarray(pos, pos + 8)})
        pos += 8
        break
      case WIRE_BYTES: {
        const [len, p] = readVarint(buf, pos)
        const n = Number(len)
        if (p + n > buf.length) throw new WireError('truncated length-delimited field')
        out.push({number, wire, bytes: buf.subarray(p, p + n)})
        pos = p + n
        break
      }
      case WIRE_FIXED32:
        if (pos + 4 > buf.length) throw new WireError('truncated fixed32')
        out.push({number, wire, bytes: buf.subarray(pos, pos + 4)})
        pos += 4
        break
      default:
        throw new WireError(`unsupported wire type ${wire}`)
    }
  }
  return out
}

/** The varints of a packed repeated scalar field. */
export function readPackedVarints(buf: Uint8Array): bigint[] {
  const out: bigint[] = []
  let pos = 0
  while (pos < buf.length) {
    const [v, p] = readVarint(buf, pos)
    out.push(v)
    pos = p
  }
  return out
}

const utf8 = new TextDecoder('utf-8')

export function wireString(f: WireField): string {
  return f.bytes ? utf8.decode(f.bytes) : ''
}

export function wireNumber(f: WireField): number {
  return f.varint === undefined ? 0 : Number(f.varint)
}
