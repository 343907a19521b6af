// Go's text forms that server-side apply output depends on: encoding/json (sorted keys, HTML escaping),
// strconv.Quote (%q) and fmt's %v of a float64, as they appear in field paths, FieldsV1 keys and messages.
import {compareGoStrings, isMap} from '../json-value.js'

const HTML_UNSAFE = /[<>&\u2028\u2029]/g
const HTML_UNSAFE_TEST = /[<>&\u2028\u2029]/

/** A string as encoding/json writes it: JSON escaping plus \u003c, \u003e, \u0026, \u2028, \u2029. */
export function goJsonString(s: string): string {
  if (s.length <= 64) {
    let plain = true
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      // Printable ASCII other than ", \, <, > and &: written as is.
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
        plain = false
        break
      }
    }
    if (plain) return `"${s}"`
  }
  const json = JSON.stringify(s)
  if (!HTML_UNSAFE_TEST.test(json)) return json
  return json.replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Go's string order (the bytes of UTF-8), as compareGoStrings, without encoding: UTF-16 code units
 * order the same way as long as the first difference involves no surrogate.
 */
export function compareGo(a: string, b: string): number {
  if (a === b) return 0
  const n = a.length < b.length ? a.length : b.length
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i)
    const cb = b.charCodeAt(i)
    if (ca !== cb) {
      if (ca < 0xd800 && cb < 0xd800) return ca < cb ? -1 : 1
      return compareGoStrings(a, b)
    }
  }
  // One is a prefix of the other: its bytes are a prefix too, unless the next unit completes a pair.
  const next = a.length > n ? a.charCodeAt(n) : b.charCodeAt(n)
  if (next >= 0xdc00 && next <= 0xdfff) return compareGoStrings(a, b)
  return a.length < b.length ? -1 : 1
}

/** A decoded JSON value as encoding/json marshals it: compact, map keys sorted bytewise. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goJsonString(value)
  // encoding/json and JavaScript switch to exponent form at the same magnitudes (1e21, 1e-7).
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map((item) => goJson(item)).join(',')}]`
  if (isMap(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareGo)
    return `{${keys.map((key) => `${goJsonString(key)}:${goJson(value[key])}`).join(',')}}`
  }
  return 'null'
}

const SHORT_ESCAPES: Record<number, string> = {7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r'}

function isPrintable(code: number): boolean {
  if (code < 0x20 || code === 0x7f) return false
  if (code >= 0x80 && code <= 0xa0) return false
  if (code === 0xad || code === 0x2028 || code === 0x2029) return false
  return !(code >= 0xd800 && code <= 0xdfff)
}

/** strconv.Quote: what %q prints for manager names and string values in field paths. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (isPrintable(code)) out += ch
    else if (SHORT_ESCAPES[code] !== undefined) out += SHORT_ESCAPES[code]
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd'
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += `\\U${code.toString(16).padStart(8, '0')}`
  }
  return `${out}"`
}

/**
 * fmt's %v of a number decoded from JSON. Integral values are int64 there (plain digits); the others are
 * float64, which %v prints in the shortest form, switching to an exponent below 1e-4 and from 1e6 on.
 */
export function goNumberV(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n)
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'
  const [mantissa, expText] = n.toExponential().split('e')
  const exp = Number(expText)
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  return String(n)
}
