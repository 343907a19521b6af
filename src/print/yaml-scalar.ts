// Scalar decisions of go-yaml v2 as used by `kubectl -o yaml`: which strings must be quoted because
// they would read back as something else (resolve.go), and how numbers are spelled.

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** Plain scalars go-yaml maps to bool, null, float or merge; a hit means the string needs quotes. */
const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  '<<',
])

/**
 * go-yaml only looks further at a plain scalar when its first byte hints at a non-string:
 * S(ign), D(igit), M(ap-only words) or '.' (float). Anything else (even "<<") is a string.
 */
function hint(s: string): string {
  if (s === '') return 'N'
  const c = s[0]
  if (c === '+' || c === '-') return 'S'
  if (c >= '0' && c <= '9') return 'D'
  if ('yYnNtTfFoO~'.includes(c)) return 'M'
  if (c === '.') return '.'
  return ''
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0)
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  if (lower >= 0x61 && lower <= 0x7a) return lower - 0x61 + 10
  return 99
}

/** strconv.ParseUint(s, base, 64) without underscores; undefined when Go reports an error. */
function parseUintGo(s: string, base: number): bigint | undefined {
  if (s === '') return undefined
  let digits = s
  let radix = base
  if (base === 0) {
    radix = 10
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : ''
      if (p === 'b') [radix, digits] = [2, s.slice(2)]
      else if (p === 'o') [radix, digits] = [8, s.slice(2)]
      else if (p === 'x') [radix, digits] = [16, s.slice(2)]
      else [radix, digits] = [8, s.slice(1)]
    }
  }
  let n = 0n
  const big = BigInt(radix)
  for (const c of digits) {
    const d = digitValue(c)
    if (d >= radix) return undefined
    n = n * big + BigInt(d)
    if (n > UINT64_MAX) return undefined
  }
  return n
}

/** strconv.ParseInt(s, base, 64): an optional sign, then ParseUint, then the int64 range. */
function parseIntGo(s: string, base: number): bigint | undefined {
  if (s === '') return undefined
  let neg = false
  let rest = s
  if (s[0] === '+') rest = s.slice(1)
  else if (s[0] === '-') [neg, rest] = [true, s.slice(1)]
  const u = parseUintGo(rest, base)
  if (u === undefined) return undefined
  const v = neg ? -u : u
  return v < INT64_MIN || v > INT64_MAX ? undefined : v
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/

/** strconv.ParseFloat succeeds on these decimal spellings unless the value overflows. */
function parsesAsFiniteFloat(s: string): boolean {
  return Number.isFinite(Number(s))
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/

/** YAML 1.1 sexagesimal numbers ("1:20"), which go-yaml quotes for other parsers' sake. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false
  const c = s[0]
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false
  return BASE60_FLOAT.test(s)
}

function isAsciiDigit(s: string, i: number): boolean {
  return i < s.length && s[i] >= '0' && s[i] <= '9'
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/**
 * Whether Go's time.Parse accepts `s` under one of go-yaml's timestamp layouts
 * ("2006-1-2T15:4:5.999999999Z07:00", the same with 't', "2006-1-2 15:4:5.999999999", "2006-1-2").
 */
function parsesWithLayout(s: string, sep: 'T' | 't' | ' ' | ''): boolean {
  let pos = 4
  // getnum(value, false): one or two digits.
  const num = (): number | undefined => {
    if (!isAsciiDigit(s, pos)) return undefined
    if (!isAsciiDigit(s, pos + 1)) return Number(s[pos++])
    const v = Number(s.slice(pos, pos + 2))
    pos += 2
    return v
  }
  const lit = (c: string): boolean => {
    if (s[pos] !== c) return false
    pos++
    return true
  }
  const year = Number(s.slice(0, 4))
  if (!lit('-')) return false
  const month = num()
  if (month === undefined || month < 1 || month > 12 || !lit('-')) return false
  const day = num()
  if (day === undefined || day > 31) return false
  if (sep !== '') {
    if (sep === ' ') {
      // A layout space matches any run of spaces, but something other than a space is an error.
      if (pos < s.length && s[pos] !== ' ') return false
      while (s[pos] === ' ') pos++
    } else if (!lit(sep)) return false
    const hour = num()
    if (hour === undefined || hour > 23 || !lit(':')) return false
    const minute = num()
    if (minute === undefined || minute > 59 || !lit(':')) return false
    const second = num()
    if (second === undefined || second > 59) return false
    if ((s[pos] === '.' || s[pos] === ',') && isAsciiDigit(s, pos + 1)) {
      pos++
      while (isAsciiDigit(s, pos)) pos++
    }
    if (sep !== ' ') {
      if (s[pos] === 'Z') pos++
      else {
        if (s.length - pos < 6 || s[pos + 3] !== ':') return false
        if (s[pos] !== '+' && s[pos] !== '-') return false
        const hh = s.slice(pos + 1, pos + 3)
        const mm = s.slice(pos + 4, pos + 6)
        if (!/^[0-9]{2}$/.test(hh) || !/^[0-9]{2}$/.test(mm)) return false
        if (Number(hh) > 24 || Number(mm) > 60) return false
        pos += 6
      }
    }
  }
  if (pos !== s.length) return false
  return day >= 1 && day <= daysIn(month, year)
}

/** go-yaml's parseTimestamp: only strings starting with exactly four digits and '-' qualify. */
export function isYamlTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false
  return (['T', 't', ' ', ''] as const).some((sep) => parsesWithLayout(s, sep))
}

/**
 * Whether go-yaml's resolve() reads the plain scalar `s` as anything but a string (bool, null,
 * int, float, timestamp, merge key). Such strings are emitted double-quoted.
 */
export function resolvesToNonString(s: string): boolean {
  const h = hint(s)
  if (h === '') return false
  if (RESOLVE_MAP.has(s)) return true
  if (h === '.') return DOT_FLOAT.test(s) && parsesAsFiniteFloat(s)
  if (h !== 'D' && h !== 'S') return false
  if (isYamlTimestamp(s)) return true
  const plain = s.replaceAll('_', '')
  if (parseIntGo(plain, 0) !== undefined || parseUintGo(plain, 0) !== undefined) return true
  if (YAML_STYLE_FLOAT.test(plain) && parsesAsFiniteFloat(plain)) return true
  if (plain.startsWith('0b')) {
    const rest = plain.slice(2)
    return parseIntGo(rest, 2) !== undefined || parseUintGo(rest, 2) !== undefined
  }
  if (plain.startsWith('-0b')) return parseIntGo('-' + plain.slice(3), 2) !== undefined
  return false
}

/** encoder.stringv: a string may be written plain only if it reads back as the same string. */
export function canBePlain(s: string): boolean {
  return !resolvesToNonString(s) && !isBase60Float(s)
}

/** strconv.FormatFloat(x, 'g', -1, 64): shortest digits, exponent form below 1e-4 or from 1e6. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan'
  if (x === Infinity) return '.inf'
  if (x === -Infinity) return '-.inf'
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  const [mantissa, expText] = x.toExponential().split('e')
  const exp = Number(expText)
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+'
    const digits = String(Math.abs(exp)).padStart(2, '0')
    return `${mantissa}e${sign}${digits}`
  }
  // JavaScript also prints shortest digits in positional notation over this range.
  return String(x)
}

/**
 * A number the way kubectl prints it: Go's encoding/json writes the float64 (positional up to
 * 1e21), go-yaml reads that text back as an int64 or uint64 when it fits and prints it verbatim,
 * otherwise as a float in %g form.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return 'null'
  if (Number.isInteger(x) && Math.abs(x) < 1e21) {
    const text = String(x)
    const n = BigInt(text)
    if (n >= INT64_MIN && n <= UINT64_MAX) return text
  }
  return formatGoFloat(x)
}

/** A bigint as an integer field of that size would print; past uint64 go-yaml falls back to float. */
export function formatBigInt(n: bigint): string {
  if (n >= INT64_MIN && n <= UINT64_MAX) return n.toString()
  const x = Number(n)
  // ParseFloat overflows to an error, leaving go-yaml with the digits as a plain string.
  return Number.isFinite(x) ? formatGoFloat(x) : n.toString()
}
