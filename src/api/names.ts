// Name, key and value validation with the API server's exact wording (k8s.io/apimachinery
// util/validation, api/validate/content and api/validation), plus field.Error formatting.

// ---------------------------------------------------------------------------------------------
// Field errors

export type FieldErrorType =
  | 'Required value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Duplicate value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Not found'
  | 'Internal error'

/**
 * One field-level validation error. `value` left undefined means "no value to show": the body is
 * then just the type, as apimachinery does for errors built without a bad value.
 */
export interface FieldError {
  field: string
  type: FieldErrorType
  value?: unknown
  detail?: string
}

// These types never print the bad value, whatever it is.
const VALUELESS_TYPES: ReadonlySet<FieldErrorType> = new Set(['Required value', 'Forbidden', 'Too long', 'Internal error'])

/** The text after `field: `, as field.Error.ErrorBody() renders it. */
export function formatFieldErrorBody(e: FieldError): string {
  let s: string = e.type
  if (!VALUELESS_TYPES.has(e.type) && e.value !== undefined) s += ': ' + formatGoValue(e.value)
  if (e.detail) s += ': ' + e.detail
  return s
}

/** field.Error.Error(): `metadata.name: Invalid value: "Web": a lowercase RFC 1123 ...`. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${formatFieldErrorBody(e)}`
}

/**
 * ErrorList.ToAggregate().Error(): duplicates dropped, one message alone, several as `[a, b]`.
 * Returns '' for an empty list.
 */
export function aggregateFieldErrors(errors: readonly FieldError[]): string {
  return aggregateMessages(errors.map(formatFieldError))
}

/** utilerrors.Aggregate's rendering of a list of messages. */
export function aggregateMessages(messages: readonly string[]): string {
  const unique = [...new Set(messages)]
  if (unique.length === 0) return ''
  if (unique.length === 1) return unique[0]!
  return '[' + unique.join(', ') + ']'
}

export function fieldRequired(field: string, detail = ''): FieldError {
  return {field, type: 'Required value', detail}
}

export function fieldInvalid(field: string, value: unknown, detail = ''): FieldError {
  return {field, type: 'Invalid value', value, detail}
}

export function fieldForbidden(field: string, detail = ''): FieldError {
  return {field, type: 'Forbidden', detail}
}

export function fieldDuplicate(field: string, value: unknown): FieldError {
  return {field, type: 'Duplicate value', value}
}

export function fieldNotFound(field: string, value: unknown): FieldError {
  return {field, type: 'Not found', value}
}

export function fieldNotSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? 'supported values: ' + supported.map(quoteGo).join(', ') : ''
  return {field, type: 'Unsupported value', value, detail}
}

/** field.TooLong: the value is never shown; a negative limit gives the generic wording. */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long'
  return {field, type: 'Too long', detail}
}

/** field.TooMany: a negative actual count leaves the count out. */
export function fieldTooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items'
  return {field, type: 'Too many', value: actual >= 0 ? actual : undefined, detail}
}

export function fieldInternal(field: string, message: string): FieldError {
  return {field, type: 'Internal error', detail: message}
}

// ---------------------------------------------------------------------------------------------
// Go value rendering

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
const SHORT_ESCAPES: Record<number, string> = {7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r'}

/** strconv.Quote / %q: double-quoted, Go escapes, printable Unicode kept as is. */
export function quoteGo(s: string): string {
  let out = '"'
  for (const ch of s) {
    let cp = ch.codePointAt(0)!
    // A lone surrogate would have been replaced by U+FFFD on its way into a Go string.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd
    if (cp === 0x22 || cp === 0x5c) out += '\\' + String.fromCodePoint(cp)
    else if (PRINTABLE.test(String.fromCodePoint(cp))) out += String.fromCodePoint(cp)
    else if (SHORT_ESCAPES[cp] !== undefined) out += SHORT_ESCAPES[cp]
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0')
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0')
    else out += '\\U' + cp.toString(16).padStart(8, '0')
  }
  return out + '"'
}

/** %v of a float64: shortest digits, exponent form outside 1e-4 <= |f| < 1e21 with a 2-digit exponent. */
function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const [mantissa, expText] = n.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp < -4 || exp >= 21) {
    const sign = exp < 0 ? '-' : '+'
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  return String(n)
}

/** encoding/json.Marshal: HTML-sensitive characters and line separators are escaped as Go does. */
function marshalGoJSON(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))
  if (text === undefined) return 'null'
  return text
    .replace(/\\ud[89a-f][0-9a-f]{2}/g, '\\ufffd')
    .replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

/**
 * How field.Error shows a bad value: strings with %q, numbers and booleans plain, anything else as
 * JSON. Objects keep their own key order (Go structs print in declaration order).
 */
export function formatGoValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoteGo(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'number':
      if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value)
      return formatGoFloat(value)
    default:
      return marshalGoJSON(value)
  }
}

/** Go's string ordering (UTF-8 bytes, i.e. code points), which sort.Strings and map-key sorting use. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    // A surrogate stands for a code point above U+FFFF, so it outranks any other BMP unit.
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    if (sx !== sy) return sx ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

/** len() of a Go string: limits are counted in UTF-8 bytes. */
function byteLength(s: string): number {
  // ASCII (nearly every name) is one byte a character; only other text needs counting.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : Buffer.byteLength(s, 'utf8')
}

/**
 * Remembers the answers of a pure string validator: manifests repeat the same label keys and values
 * (app.kubernetes.io/name, ...) thousands of times. Bounded; the returned arrays must not be changed.
 */
function memoize(fn: (value: string) => string[], max = 4096): (value: string) => string[] {
  const cache = new Map<string, string[]>()
  return (value) => {
    let r = cache.get(value)
    if (r === undefined) {
      r = fn(value)
      if (cache.size >= max) cache.clear()
      cache.set(value, r)
    }
    return r
  }
}

// ---------------------------------------------------------------------------------------------
// Message builders

/** validation.MaxLenError, used for DNS names and keys. */
function maxLenChars(length: number): string {
  return `must be no more than ${length} characters`
}

/** content.MaxLenError, used for label keys and values (the newer package counts bytes). */
function maxLenBytes(length: number): string {
  return `must be no more than ${length} bytes`
}

function regexError(message: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${pattern}')`
  // Each example is followed by ", " and later ones are preceded by " or ", hence the double space.
  const shown = examples.map((e) => `'${e}', `).join(' or ')
  return `${message} (e.g. ${shown}regex used for validation is '${pattern}')`
}

function emptyError(): string {
  return 'must be non-empty'
}

function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`
}

function chdirPrefixErrors(value: string): string[] {
  if (value === '.') return [`must not be '.'`]
  if (value === '..') return [`must not be '..'`]
  if (value.startsWith('..')) return [`must not start with '..'`]
  return []
}

// ---------------------------------------------------------------------------------------------
// DNS names

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?'
const WILDCARD_DNS1123_SUBDOMAIN_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`

const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`)
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`)
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`)
const WILDCARD_DNS1123_SUBDOMAIN_RE = new RegExp(`^${WILDCARD_DNS1123_SUBDOMAIN_FMT}$`)

export const DNS1123_LABEL_MAX_LENGTH = 63
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253
export const DNS1035_LABEL_MAX_LENGTH = 63
export const LABEL_VALUE_MAX_LENGTH = 63
export const QUALIFIED_NAME_MAX_LENGTH = 63
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const WILDCARD_DNS1123_SUBDOMAIN_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenChars(DNS1123_LABEL_MAX_LENGTH))
  if (!DNS1123_LABEL_RE.test(value)) {
    // Length was already reported, so a value that is a subdomain but not a label has dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'))
  }
  return errs
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenChars(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  return errs
}

/** The content-package variant used for label-key prefixes: same rule, byte-worded length message. */
function isDNS1123SubdomainForKey(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenBytes(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'))
  return errs
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenChars(DNS1035_LABEL_MAX_LENGTH))
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'))
  return errs
}

/** `*.example.com`: exactly one leading wildcard label. */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenChars(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!WILDCARD_DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(WILDCARD_DNS1123_SUBDOMAIN_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, '*.example.com'))
  }
  return errs
}

// ---------------------------------------------------------------------------------------------
// Label keys and values

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`)
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`)
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

/**
 * A label key, annotation key or finalizer: `[prefix/]name`, the prefix a DNS subdomain, the name
 * at most 63 bytes of [-A-Za-z0-9_.] starting and ending alphanumeric.
 */
export const isQualifiedName = memoize(qualifiedNameErrors)

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) {
    name = parts[0]!
  } else if (parts.length === 2) {
    const prefix = parts[0]!
    name = parts[1]!
    if (prefix.length === 0) errs.push('prefix part ' + emptyError())
    else errs.push(...isDNS1123SubdomainForKey(prefix).map((m) => 'prefix part ' + m))
  } else {
    return [
      'a valid label key ' +
        regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]
  }
  if (name.length === 0) errs.push('name part ' + emptyError())
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push('name part ' + maxLenBytes(QUALIFIED_NAME_MAX_LENGTH))
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push('name part ' + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'))
  }
  return errs
}

export const isValidLabelValue = memoize(labelValueErrors)

function labelValueErrors(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenBytes(LABEL_VALUE_MAX_LENGTH))
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'))
  return errs
}

// ---------------------------------------------------------------------------------------------
// Ports, numbers, identifiers

const PORT_NAME_CHARSET_RE = /^[-a-z0-9]+$/
const PORT_NAME_LETTER_RE = /[a-z]/

/** An IANA_SVC_NAME (RFC 6335), lower case only. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = []
  if (byteLength(port) > 15) errs.push(maxLenChars(15))
  if (!PORT_NAME_CHARSET_RE.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!PORT_NAME_LETTER_RE.test(port)) errs.push('must contain at least one letter (a-z)')
  if (port.includes('--')) errs.push('must not contain consecutive hyphens')
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen')
  return errs
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)]
}

export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)]
}

const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*'
const C_IDENTIFIER_RE = new RegExp(`^${C_IDENTIFIER_FMT}$`)
const C_IDENTIFIER_MSG =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'"

export function isCIdentifier(value: string): string[] {
  return C_IDENTIFIER_RE.test(value) ? [] : [regexError(C_IDENTIFIER_MSG, C_IDENTIFIER_FMT, 'my_name', 'MY_NAME', 'MyName')]
}

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*'
const ENV_VAR_NAME_RE = new RegExp(`^${ENV_VAR_NAME_FMT}$`)
const ENV_VAR_NAME_MSG =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"

export function isEnvVarName(value: string): string[] {
  const errs: string[] = []
  if (!ENV_VAR_NAME_RE.test(value)) {
    errs.push(regexError(ENV_VAR_NAME_MSG, ENV_VAR_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'))
  }
  errs.push(...chdirPrefixErrors(value))
  return errs
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+'
const CONFIG_MAP_KEY_RE = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`)
const CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"

/** A key of a ConfigMap's or Secret's data; it becomes a file name, so `.` and `..` are refused. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenChars(DNS1123_SUBDOMAIN_MAX_LENGTH))
  if (!CONFIG_MAP_KEY_RE.test(value)) errs.push(regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'))
  errs.push(...chdirPrefixErrors(value))
  return errs
}

const PERCENT_FMT = '[0-9]+%'
const PERCENT_RE = new RegExp(`^${PERCENT_FMT}$`)

export function isValidPercent(percent: string): string[] {
  return PERCENT_RE.test(percent)
    ? []
    : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%')]
}

const HTTP_HEADER_NAME_FMT = '[-A-Za-z0-9]+'
const HTTP_HEADER_NAME_RE = new RegExp(`^${HTTP_HEADER_NAME_FMT}$`)

export function isHTTPHeaderName(value: string): string[] {
  return HTTP_HEADER_NAME_RE.test(value)
    ? []
    : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", HTTP_HEADER_NAME_FMT, 'X-Header-Name')]
}

// ---------------------------------------------------------------------------------------------
// IP addresses. The API server parses "sloppily" (Go 1.16 net.ParseIP): IPv4 octets may carry
// leading zeros, which are read as decimal.

const IPV4_LEN = 4
const IPV6_LEN = 16
const PARSE_LIMIT = 0xffffff

function readDecimal(s: string, from: number): [value: number, end: number] | undefined {
  let n = 0
  let i = from
  for (; i < s.length && s[i]! >= '0' && s[i]! <= '9'; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48)
    if (n >= PARSE_LIMIT) return undefined
  }
  return i === from ? undefined : [n, i]
}

function readHex(s: string, from: number): [value: number, end: number] | undefined {
  let n = 0
  let i = from
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 16)
    if (Number.isNaN(d)) break
    n = n * 16 + d
    if (n >= PARSE_LIMIT) return undefined
  }
  return i === from ? undefined : [n, i]
}

function parseIPv4Bytes(s: string): number[] | undefined {
  const out: number[] = []
  let pos = 0
  for (let j = 0; j < IPV4_LEN; j++) {
    if (pos >= s.length) return undefined
    if (j > 0) {
      if (s[pos] !== '.') return undefined
      pos++
    }
    const read = readDecimal(s, pos)
    if (!read || read[0] > 0xff) return undefined
    out.push(read[0])
    pos = read[1]
  }
  return pos === s.length ? out : undefined
}

function parseIPv6Bytes(input: string): number[] | undefined {
  const ip = new Array<number>(IPV6_LEN).fill(0)
  let s = input
  let ellipsis = -1
  if (s.startsWith('::')) {
    ellipsis = 0
    s = s.slice(2)
    if (s.length === 0) return ip
  }
  let i = 0
  while (i < IPV6_LEN) {
    const read = readHex(s, 0)
    if (!read || read[0] > 0xffff) return undefined
    const [n, c] = read
    if (c < s.length && s[c] === '.') {
      // A dotted quad may only fill the last 32 bits (or sit anywhere after an ellipsis).
      if (ellipsis < 0 && i !== IPV6_LEN - IPV4_LEN) return undefined
      if (i + IPV4_LEN > IPV6_LEN) return undefined
      const v4 = parseIPv4Bytes(s)
      if (!v4) return undefined
      ip.splice(i, IPV4_LEN, ...v4)
      s = ''
      i += IPV4_LEN
      break
    }
    ip[i] = n >> 8
    ip[i + 1] = n & 0xff
    i += 2
    s = s.slice(c)
    if (s.length === 0) break
    if (s[0] !== ':' || s.length === 1) return undefined
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined
      ellipsis = i
      s = s.slice(1)
      if (s.length === 0) break
    }
  }
  if (s.length !== 0) return undefined
  if (i < IPV6_LEN) {
    if (ellipsis < 0) return undefined
    const shift = IPV6_LEN - i
    for (let j = i - 1; j >= ellipsis; j--) ip[j + shift] = ip[j]!
    for (let j = ellipsis + shift - 1; j >= ellipsis; j--) ip[j] = 0
  } else if (ellipsis >= 0) {
    // "::" must stand for at least one zero group.
    return undefined
  }
  return ip
}

/** The 16-byte form of an address (IPv4 as IPv4-mapped IPv6), or undefined when it does not parse. */
function parseIPSloppy(s: string): number[] | undefined {
  for (const ch of s) {
    if (ch === '.') {
      const v4 = parseIPv4Bytes(s)
      return v4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4] : undefined
    }
    if (ch === ':') return parseIPv6Bytes(s)
  }
  return undefined
}

function isIPv4Mapped(ip: readonly number[]): boolean {
  return ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff
}

export function isValidIP(value: string): string[] {
  return parseIPSloppy(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']
}

/** IPv4, including IPv4-mapped IPv6 such as `::ffff:1.2.3.4`, as Go's To4() sees it. */
export function isValidIPv4Address(value: string): string[] {
  const ip = parseIPSloppy(value)
  return ip && isIPv4Mapped(ip) ? [] : ['must be a valid IPv4 address']
}

export function isValidIPv6Address(value: string): string[] {
  const ip = parseIPSloppy(value)
  return ip && !isIPv4Mapped(ip) ? [] : ['must be a valid IPv6 address']
}

// ---------------------------------------------------------------------------------------------
// Object names (api/validation)

const PATH_SEGMENT_MAY_NOT_BE = ['.', '..']
const PATH_SEGMENT_MAY_NOT_CONTAIN = ['/', '%']

/**
 * A name must survive being a URL path segment. With `prefix` (generateName) only the forbidden
 * substrings are checked, since a suffix will follow.
 */
export function validatePathSegmentName(name: string, prefix = false): string[] {
  if (!prefix) {
    for (const bad of PATH_SEGMENT_MAY_NOT_BE) if (name === bad) return [`may not be '${bad}'`]
  }
  return PATH_SEGMENT_MAY_NOT_CONTAIN.filter((bad) => name.includes(bad)).map((bad) => `may not contain '${bad}'`)
}

/**
 * A generateName may end in '-' because random characters follow. Upstream swaps the last two
 * characters for one 'a'; kept as is so the same prefixes pass and fail.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name
}

/** ValidateNameFunc type: `prefix` is true when validating a generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[]

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)

export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name)

export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name)

export const validateNamespaceName: NameValidator = nameIsDNSLabel

// ---------------------------------------------------------------------------------------------
// Metadata maps

/** Errors for one label key, reported on `fieldPath` (apimachinery does not index by key). */
export function validateLabelName(key: string, fieldPath: string): FieldError[] {
  return isQualifiedName(key).map((m) => fieldInvalid(fieldPath, key, m))
}

/** metav1validation.ValidateLabels. Keys are visited in sorted order so output is stable. */
export function validateLabels(labels: Record<string, string> | undefined, fieldPath = 'metadata.labels'): FieldError[] {
  if (labels === undefined) return []
  // Nearly all labels are valid: check unsorted first, and sort (for Go's error order) only to report.
  let anyError = false
  for (const key in labels) {
    if (isQualifiedName(key).length > 0 || isValidLabelValue(labels[key]!).length > 0) {
      anyError = true
      break
    }
  }
  if (!anyError) return []
  const errs: FieldError[] = []
  for (const key of Object.keys(labels).sort(compareGoStrings)) {
    errs.push(...validateLabelName(key, fieldPath))
    const value = labels![key]!
    for (const m of isValidLabelValue(value)) errs.push(fieldInvalid(fieldPath, value, m))
  }
  return errs
}

/** Sum of key and value lengths in bytes, the quantity the 256 KiB limit applies to. */
export function annotationsSize(annotations: Record<string, string> | undefined): number {
  let total = 0
  for (const [k, v] of Object.entries(annotations ?? {})) total += byteLength(k) + byteLength(v)
  return total
}

/**
 * apimachinery ValidateAnnotations: keys follow the label-key rule case-insensitively (they are
 * lowered before checking, the message shows the original), and keys plus values together may not
 * exceed 256 KiB.
 */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  fieldPath = 'metadata.annotations',
): FieldError[] {
  const errs: FieldError[] = []
  for (const key of Object.keys(annotations ?? {}).sort(compareGoStrings)) {
    for (const m of isQualifiedName(key.toLowerCase())) errs.push(fieldInvalid(fieldPath, key, m))
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    errs.push(fieldTooLong(fieldPath, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES))
  }
  return errs
}
