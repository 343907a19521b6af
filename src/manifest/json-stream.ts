// Reads a JSON input the way kubectl does once it has seen a leading `{`: a stream of JSON values
// one after another, each becoming a document; a syntax error ends the stream.

export interface JsonValue {
  /** The value's text, from its first to its last character. */
  text: string
  /** Offset of `text` in the whole input. */
  start: number
  value: unknown
}

export interface JsonStreamError {
  message: string
  /** Offset in the whole input that the error refers to. */
  offset: number
}

export interface JsonStream {
  values: JsonValue[]
  error?: JsonStreamError
}

/** kubectl treats an input as JSON when its first non-space character is `{` (Go's unicode.IsSpace). */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x7b) return true
    if (!isGoSpace(c)) return false
  }
  return false
}

function isGoSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x1680 || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

export function readJsonStream(text: string): JsonStream {
  // Nearly every JSON manifest is one value; parse it whole before scanning value boundaries.
  const trimmedStart = skipSpace(text, 0)
  let end = text.length
  while (end > trimmedStart && isJsonSpace(text.charCodeAt(end - 1))) end--
  try {
    const value: unknown = JSON.parse(text)
    return {values: [{text: text.slice(trimmedStart, end), start: trimmedStart, value}]}
  } catch {
    // Several values, or a syntax error: find out which, value by value.
  }
  const values: JsonValue[] = []
  let pos = trimmedStart
  while (pos < text.length) {
    const stop = scanValue(text, pos)
    const slice = text.slice(pos, stop)
    try {
      values.push({text: slice, start: pos, value: JSON.parse(slice)})
    } catch (err) {
      return {values, error: syntaxError(err, pos, slice.length)}
    }
    pos = skipSpace(text, stop)
  }
  return {values}
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && isJsonSpace(text.charCodeAt(pos))) pos++
  return pos
}

/** End of the value starting at `pos`: bracket depth outside strings, or the end of a bare token. */
function scanValue(text: string, pos: number): number {
  const first = text.charCodeAt(pos)
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) {
    let i = pos
    while (i < text.length && !isJsonSpace(text.charCodeAt(i)) && !'{}[]",'.includes(text[i])) i++
    return i === pos ? pos + 1 : i
  }
  let depth = 0
  let inString = false
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) {
        inString = false
        if (depth === 0) return i + 1
      }
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) depth++
    else if (c === 0x7d || c === 0x5d) {
      depth--
      if (depth <= 0) return i + 1
    }
  }
  return text.length
}

function syntaxError(err: unknown, start: number, length: number): JsonStreamError {
  const raw = err instanceof Error ? err.message : String(err)
  const at = /at position (\d+)/.exec(raw)
  const offset = start + (at ? Number(at[1]) : length)
  // V8 appends the position (and in newer versions line and column) relative to the value it was
  // given; the reader reports the file line itself.
  const message = raw.replace(/ in JSON at position \d+(?: \(line \d+ column \d+\))?$/, '')
  return {message, offset}
}
