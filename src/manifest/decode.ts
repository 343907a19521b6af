// Turns the bytes of a manifest input into text the way kubectl's reader does (a UTF-8 BOM is
// dropped, a UTF-16 BOM switches decoding), and tells binary data apart before YAML sees it.
import {isUtf8} from 'node:buffer'

export type DecodedInput = {text: string} | {binary: string; line: number}

export function decodeInput(bytes: Uint8Array): DecodedInput {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    return fromUtf16(buf)
  }
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf
  const nul = body.indexOf(0)
  if (nul >= 0) return binary(`NUL byte at offset ${nul}`, body, nul)
  if (!isUtf8(body)) {
    const bad = firstInvalidUtf8(body)
    return binary(`invalid UTF-8 at offset ${bad}`, body, bad)
  }
  return {text: body.toString('utf8')}
}

function fromUtf16(buf: Buffer): DecodedInput {
  const bigEndian = buf[0] === 0xfe
  const body = Buffer.from(buf.subarray(2, buf.length - (buf.length % 2)))
  if (bigEndian) body.swap16()
  const text = body.toString('utf16le')
  const nul = text.indexOf('\0')
  if (nul >= 0) return {binary: `NUL character at offset ${nul * 2 + 2} of UTF-16 text`, line: lineAt(text, nul)}
  return {text}
}

function binary(what: string, body: Buffer, offset: number): DecodedInput {
  let line = 1
  for (let i = body.indexOf(0x0a); i >= 0 && i < offset; i = body.indexOf(0x0a, i + 1)) line++
  return {binary: `binary data, not YAML or JSON text: ${what}`, line}
}

function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++
  return line
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0
  while (i < buf.length) {
    const b = buf[i]
    let need: number
    let min: number
    if (b < 0x80) {
      i++
      continue
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else {
      return i
    }
    let cp = b & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return buf.length
}
