// resource.Quantity from k8s.io/apimachinery/pkg/api/resource: parsing, the String() the API server
// prints, comparison and arithmetic, with upstream's precision (nano units, rounded away from zero).

/** How a quantity prints: 12M, 12Mi or 12e6. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent'

/** Which of apimachinery's three parse errors (ErrFormatWrong, ErrNumeric, ErrSuffix) this is. */
export type QuantityErrorKind = 'format' | 'numeric' | 'suffix'

const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'

export const QUANTITY_ERROR_MESSAGES: Readonly<Record<QuantityErrorKind, string>> = {
  format: `quantities must match the regular expression '${QUANTITY_PATTERN}'`,
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
}

/** A string resource.ParseQuantity rejects; the message is upstream's. */
export class QuantityError extends Error {
  readonly kind: QuantityErrorKind

  constructor(kind: QuantityErrorKind) {
    super(QUANTITY_ERROR_MESSAGES[kind])
    this.name = 'QuantityError'
    this.kind = kind
  }
}

// ---------------------------------------------------------------------------------------------
// Exact decimals: unscaled × 10^exponent

interface Decimal {
  readonly unscaled: bigint
  readonly exponent: number
}

const NANO = -9
const MAX_INT64 = (1n << 63n) - 1n
const MIN_INT64 = -(1n << 63n)
const ONE: Decimal = {unscaled: 1n, exponent: 0}
const KIBI: Decimal = {unscaled: 1024n, exponent: 0}
const MAX_INT64_DECIMAL: Decimal = {unscaled: MAX_INT64, exponent: 0}

const abs = (n: bigint): bigint => (n < 0n ? -n : n)
const signOf = (n: bigint): -1 | 0 | 1 => (n === 0n ? 0 : n < 0n ? -1 : 1)
const pow10 = (n: number): bigint => 10n ** BigInt(n)
const digitCount = (n: bigint): number => (n === 0n ? 0 : abs(n).toString().length)
const toInt32 = (n: number): number => n | 0
// Avoids -0, which strict equality with 0 would reject.
const negate = (n: -1 | 0 | 1): -1 | 0 | 1 => (n === 0 ? 0 : n === 1 ? -1 : 1)
const clampInt64 = (n: bigint): bigint => (n > MAX_INT64 ? MAX_INT64 : n < MIN_INT64 ? MIN_INT64 : n)

/** Compares |a| with |b|. */
function compareMagnitude(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const x = abs(a.unscaled)
  const y = abs(b.unscaled)
  if (x === 0n || y === 0n) return x === y ? 0 : x === 0n ? -1 : 1
  // Orders of magnitude settle most comparisons without building 10^|Δexponent|, which an input
  // like 1e2000000000 would make enormous; when they tie, Δexponent is bounded by the digit counts.
  const orderX = digitCount(x) + a.exponent
  const orderY = digitCount(y) + b.exponent
  if (orderX !== orderY) return orderX > orderY ? 1 : -1
  const common = Math.min(a.exponent, b.exponent)
  const alignedX = x * pow10(a.exponent - common)
  const alignedY = y * pow10(b.exponent - common)
  return alignedX === alignedY ? 0 : alignedX > alignedY ? 1 : -1
}

function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const signA = signOf(a.unscaled)
  const signB = signOf(b.unscaled)
  if (signA !== signB) return signA > signB ? 1 : -1
  const magnitude = compareMagnitude(a, b)
  return signA < 0 ? negate(magnitude) : magnitude
}

/** The unscaled value of d at `exponent`; dropped digits round away from zero, as upstream's RoundUp. */
function rescaleAwayFromZero(d: Decimal, exponent: number): bigint {
  const shift = d.exponent - exponent
  if (shift >= 0) return d.unscaled * pow10(shift)
  const magnitude = abs(d.unscaled)
  if (magnitude === 0n) return 0n
  // Everything is dropped: the value is a non-zero fraction of one unit.
  if (-shift >= digitCount(magnitude)) return BigInt(signOf(d.unscaled))
  const divisor = pow10(-shift)
  const quotient = magnitude / divisor + (magnitude % divisor === 0n ? 0n : 1n)
  return d.unscaled < 0n ? -quotient : quotient
}

function exactInteger(d: Decimal): bigint | undefined {
  if (d.exponent >= 0) return d.unscaled * pow10(d.exponent)
  if (d.unscaled === 0n) return 0n
  if (-d.exponent >= digitCount(d.unscaled)) return undefined
  const divisor = pow10(-d.exponent)
  return d.unscaled % divisor === 0n ? d.unscaled / divisor : undefined
}

function add(a: Decimal, b: Decimal): Decimal {
  // Like int64Amount.Add, a zero operand leaves the other's scale alone.
  if (b.unscaled === 0n) return a
  if (a.unscaled === 0n) return b
  const exponent = Math.min(a.exponent, b.exponent)
  const sum = a.unscaled * pow10(a.exponent - exponent) + b.unscaled * pow10(b.exponent - exponent)
  return {unscaled: sum, exponent}
}

// ---------------------------------------------------------------------------------------------
// Parsing

const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
])
const BINARY_SUFFIXES = new Map<string, number>([
  ['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60],
])
const SUFFIX_LETTERS = 'eEinumkKMGTP'

// The int64 fast path handles at most this many digits; past it upstream takes its inf.Dec path,
// which matters because only the fast path keeps the input spelling (see Parsed.literal).
const MAX_FAST_DIGITS = 18

interface Scanned {
  readonly negative: boolean
  /** Digits before the point without leading zeros, or '0'. */
  readonly whole: string
  readonly fraction: string
  readonly suffix: string
  /** Whether the numeric part had a digit at all: the inf.Dec path needs one. */
  readonly hasDigits: boolean
}

interface Unit {
  readonly base: 2 | 10
  readonly exponent: number
  readonly format: QuantityFormat
}

interface Parsed extends Decimal {
  readonly format: QuantityFormat
  /** The input, when upstream caches it as the String() result instead of canonicalising. */
  readonly literal?: string
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

function skipDigits(text: string, from: number): number {
  let pos = from
  while (isDigit(text[pos])) pos++
  return pos
}

/**
 * Splits the input the way upstream's hand-written scanner does. It is looser than the regular
 * expression in the error message: "-", "." or a bare suffix like "Ki" all scan as zero.
 */
function scan(text: string): Scanned {
  const negative = text[0] === '-'
  let pos = negative || text[0] === '+' ? 1 : 0
  while (text[pos] === '0') pos++
  if (pos === text.length) return {negative, whole: '0', fraction: '', suffix: '', hasDigits: true}
  const wholeStart = pos
  pos = skipDigits(text, pos)
  const whole = text.slice(wholeStart, pos) || '0'
  let fraction = ''
  if (text[pos] === '.') {
    const fractionStart = pos + 1
    pos = skipDigits(text, fractionStart)
    fraction = text.slice(fractionStart, pos)
  }
  const hasDigits = /[0-9]/.test(text.slice(0, pos))
  const suffixStart = pos
  while (pos < text.length && SUFFIX_LETTERS.includes(text[pos])) pos++
  if (text[pos] === '+' || text[pos] === '-') pos++
  pos = skipDigits(text, pos)
  if (pos < text.length) throw new QuantityError('format')
  return {negative, whole, fraction, suffix: text.slice(suffixStart), hasDigits}
}

/** strconv.ParseInt(s, 10, 64). */
function parseGoInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined
  const value = BigInt(text)
  return value < MIN_INT64 || value > MAX_INT64 ? undefined : value
}

function interpretSuffix(suffix: string): Unit | undefined {
  const decimal = DECIMAL_SUFFIXES.get(suffix)
  if (decimal !== undefined) return {base: 10, exponent: decimal, format: 'DecimalSI'}
  const binary = BINARY_SUFFIXES.get(suffix)
  if (binary !== undefined) return {base: 2, exponent: binary, format: 'BinarySI'}
  if (suffix.length < 2 || (suffix[0] !== 'e' && suffix[0] !== 'E')) return undefined
  const exponent = parseGoInt64(suffix.slice(1))
  if (exponent === undefined) return undefined
  // Upstream narrows the int64 to int32 without a check, so huge exponents wrap.
  return {base: 10, exponent: Number(BigInt.asIntN(32, exponent)), format: 'DecimalExponent'}
}

const withSign = (magnitude: bigint, negative: boolean): bigint => (negative ? -magnitude : magnitude)

/**
 * The inf.Dec path: keep at most nano precision, rounding away from zero so that asking for a tiny
 * amount still yields some; cap BinarySI at 2^63-1; print a binary fraction below one as decimal.
 */
function settle(exact: Decimal, format: QuantityFormat): Parsed {
  if (exact.unscaled === 0n) return {...exact, format}
  // Rescaling to nano is what upstream does too (the float conversion depends on it), but past
  // 10^330 the float is infinite either way and the rescale would only cost memory.
  const value =
    exact.exponent > 330 ? exact : {unscaled: rescaleAwayFromZero(exact, NANO), exponent: NANO}
  if (format !== 'BinarySI') return {...value, format}
  if (compareMagnitude(value, MAX_INT64_DECIMAL) > 0) {
    return {unscaled: withSign(MAX_INT64, value.unscaled < 0n), exponent: 0, format}
  }
  return {...value, format: compareMagnitude(value, ONE) < 0 ? 'DecimalSI' : format}
}

function parseDecimal(text: string, scanned: Scanned, unit: Unit): Parsed {
  const digits = scanned.whole + scanned.fraction
  const scale = toInt32(unit.exponent - scanned.fraction.length)
  if (digits.length <= MAX_FAST_DIGITS && scale >= NANO) {
    // Upstream's fast path trusts a spelling whose scale is a multiple of three, without trailing
    // "000" and without a leading zero, and String() returns it verbatim: "1.500" stays "1.500".
    const verbatim = scale % 3 === 0 && !digits.endsWith('000') && digits[0] !== '0'
    const unscaled = withSign(BigInt(digits), scanned.negative)
    return {unscaled, exponent: scale, format: unit.format, literal: verbatim ? text : undefined}
  }
  if (!scanned.hasDigits) throw new QuantityError('numeric')
  // inf.Scale arithmetic is int32 as well.
  const exponent = -toInt32(scanned.fraction.length + toInt32(-unit.exponent))
  return settle({unscaled: withSign(BigInt(digits), scanned.negative), exponent}, unit.format)
}

function parseBinary(text: string, scanned: Scanned, unit: Unit): Parsed {
  const shift = BigInt(unit.exponent)
  // The fast path estimates that 2^(10k) costs about 3k decimal digits of an int64.
  const fitsFastPath = 14 - scanned.whole.length - (3 * unit.exponent) / 10 >= 0
  if (scanned.fraction === '' && fitsFastPath) {
    const whole = BigInt(scanned.whole)
    // Kept verbatim only when the multiplier is not a multiple of 8, i.e. it cannot fold into a
    // larger suffix.
    const verbatim = (whole & 7n) !== 0n
    const unscaled = withSign(whole << shift, scanned.negative)
    return {unscaled, exponent: 0, format: 'BinarySI', literal: verbatim ? text : undefined}
  }
  if (!scanned.hasDigits) throw new QuantityError('numeric')
  const magnitude = BigInt(scanned.whole + scanned.fraction) << shift
  return settle({unscaled: withSign(magnitude, scanned.negative), exponent: -scanned.fraction.length}, 'BinarySI')
}

function parseParts(text: string): Parsed {
  if (text === '') throw new QuantityError('format')
  if (text === '0') return {unscaled: 0n, exponent: 0, format: 'DecimalSI', literal: '0'}
  const scanned = scan(text)
  const unit = interpretSuffix(scanned.suffix)
  if (unit === undefined) throw new QuantityError('suffix')
  return unit.base === 2 ? parseBinary(text, scanned, unit) : parseDecimal(text, scanned, unit)
}

// ---------------------------------------------------------------------------------------------
// Printing

const DECIMAL_SUFFIX_BY_EXPONENT = new Map<number, string>(
  [...DECIMAL_SUFFIXES].map(([suffix, exponent]) => [exponent, suffix]),
)
// Upstream has no suffix for 1024^7 and beyond and then prints the bare mantissa; kept as is.
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']

const exponentSuffix = (exponent: number): string => (exponent === 0 ? '' : `e${exponent}`)

/** Mantissa with no fractional digits and an exponent that is a multiple of three. */
function decimalForm(d: Decimal, format: 'DecimalSI' | 'DecimalExponent'): string {
  const digits = abs(d.unscaled).toString()
  const trimmed = digits.replace(/0+$/, '')
  const exponent = d.exponent + digits.length - trimmed.length
  const padding = ((exponent % 3) + 3) % 3
  const scaled = exponent - padding
  // DecimalSI stops at E (10^18); further out upstream switches to exponent notation rather than
  // lose the magnitude.
  const suffix =
    format === 'DecimalSI'
      ? (DECIMAL_SUFFIX_BY_EXPONENT.get(scaled) ?? exponentSuffix(scaled))
      : exponentSuffix(scaled)
  return `${d.unscaled < 0n ? '-' : ''}${trimmed}${'0'.repeat(padding)}${suffix}`
}

/** Undefined when BinarySI cannot print the value exactly, and the decimal form is used instead. */
function binaryForm(d: Decimal): string | undefined {
  // Below 1Ki there is no suffix to gain, and decimal keeps fractions such as 0.5 from rounding.
  if (compareMagnitude(d, KIBI) < 0) return undefined
  const integer = exactInteger(d)
  if (integer === undefined) return undefined
  let mantissa = abs(integer)
  let power = 0
  while (mantissa % 1024n === 0n) {
    mantissa /= 1024n
    power++
  }
  return `${integer < 0n ? '-' : ''}${mantissa}${BINARY_SUFFIX_BY_POWER[power] ?? ''}`
}

// math.Pow10 builds 10^n from these tables; using the same ones gives bit-identical floats.
const POW10_SMALL = Array.from({length: 32}, (_, i) => Number(`1e${i}`))
const POW10_POSITIVE_32 = [1e0, 1e32, 1e64, 1e96, 1e128, 1e160, 1e192, 1e224, 1e256, 1e288]
const POW10_NEGATIVE_32 = [1e-0, 1e-32, 1e-64, 1e-96, 1e-128, 1e-160, 1e-192, 1e-224, 1e-256, 1e-288, 1e-320]

function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return POW10_POSITIVE_32[Math.floor(n / 32)] * POW10_SMALL[n % 32]
  if (n < 0 && n >= -323) return POW10_NEGATIVE_32[Math.floor(-n / 32)] / POW10_SMALL[-n % 32]
  return n > 0 ? Infinity : 0
}

// ---------------------------------------------------------------------------------------------
// Quantity

// Input spellings String() returns verbatim; kept off the object so it stays a plain value.
const literals = new WeakMap<Quantity, string>()

function toBigInt(value: number | bigint): bigint {
  if (typeof value === 'bigint') return value
  if (!Number.isInteger(value)) throw new RangeError(`quantity value must be an integer, got ${value}`)
  return BigInt(value)
}

/**
 * An exact amount, unscaled × 10^exponent, and the format it prints in. Immutable: arithmetic
 * returns new quantities. The unscaled/exponent pair follows upstream's internal representation,
 * which only asApproximateFloat64 can observe.
 */
export class Quantity {
  readonly format: QuantityFormat
  private readonly unscaled: bigint
  private readonly exponent: number

  /** unscaled × 10^exponent, like NewScaledQuantity / NewDecimalQuantity. */
  constructor(unscaled: bigint, exponent: number, format: QuantityFormat) {
    if (!Number.isSafeInteger(exponent)) throw new RangeError(`quantity exponent must be an integer, got ${exponent}`)
    this.unscaled = unscaled
    this.exponent = exponent
    this.format = format
  }

  /** NewQuantity: an integer amount. */
  static fromValue(value: number | bigint, format: QuantityFormat): Quantity {
    return new Quantity(toBigInt(value), 0, format)
  }

  /** NewMilliQuantity: value thousandths. */
  static fromMilli(value: number | bigint, format: QuantityFormat): Quantity {
    return new Quantity(toBigInt(value), -3, format)
  }

  private get decimal(): Decimal {
    return {unscaled: this.unscaled, exponent: this.exponent}
  }

  /**
   * Quantity.String(): the canonical form, except that a parsed spelling upstream considers
   * canonical is returned as typed ("+1", "1.500", "1E3"), as the API server echoes it.
   */
  toString(): string {
    return literals.get(this) ?? this.canonical()
  }

  /** The canonical form, always recomputed: "1.500" gives "1500m". */
  canonical(): string {
    if (this.unscaled === 0n) return '0'
    if (this.format === 'BinarySI') return binaryForm(this.decimal) ?? decimalForm(this.decimal, 'DecimalSI')
    // Anything that is not a known format prints as DecimalExponent, as upstream does.
    return decimalForm(this.decimal, this.format === 'DecimalSI' ? 'DecimalSI' : 'DecimalExponent')
  }

  toJSON(): string {
    return this.toString()
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return compareDecimal(this.decimal, other.decimal)
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0
  }

  isZero(): boolean {
    return this.unscaled === 0n
  }

  sign(): -1 | 0 | 1 {
    return signOf(this.unscaled)
  }

  /** A zero receiver takes the other operand's format, as upstream's Add does. */
  add(other: Quantity): Quantity {
    const sum = add(this.decimal, other.decimal)
    return new Quantity(sum.unscaled, sum.exponent, this.isZero() ? other.format : this.format)
  }

  /** A zero receiver takes the other operand's format, as upstream's Sub does. */
  sub(other: Quantity): Quantity {
    return this.add(other.neg())
  }

  neg(): Quantity {
    return new Quantity(-this.unscaled, this.exponent, this.format)
  }

  /** Value(): the integer amount, rounded away from zero. */
  value(): bigint {
    return this.scaledValue(0)
  }

  /** MilliValue(): the amount in thousandths, rounded away from zero. */
  milliValue(): bigint {
    return this.scaledValue(-3)
  }

  /**
   * ScaledValue(): the amount in units of 10^scale, rounded away from zero. Where upstream's int64
   * overflows (undefined there) this saturates at the int64 bounds.
   */
  scaledValue(scale: number): bigint {
    if (this.unscaled === 0n) return 0n
    const shift = this.exponent - scale
    if (shift > 0 && digitCount(this.unscaled) + shift > 19) return this.unscaled < 0n ? MIN_INT64 : MAX_INT64
    return clampInt64(rescaleAwayFromZero(this.decimal, scale))
  }

  /** AsApproximateFloat64(): float(unscaled) × 10^exponent, ±Infinity when out of range. */
  asApproximateFloat64(): number {
    const base = Number(this.unscaled)
    return this.exponent === 0 ? base : base * goPow10(this.exponent)
  }
}

/**
 * resource.ParseQuantity. A number (YAML may give one) is parsed from its JavaScript spelling, which
 * is also what JSON.stringify would send. Throws QuantityError.
 */
export function parseQuantity(input: string | number): Quantity {
  const parsed = parseParts(typeof input === 'number' ? String(input) : input)
  const quantity = new Quantity(parsed.unscaled, parsed.exponent, parsed.format)
  if (parsed.literal !== undefined) literals.set(quantity, parsed.literal)
  return quantity
}

/** The message ParseQuantity would fail with, or undefined for a valid quantity. */
export function isValidQuantity(input: string | number): string | undefined {
  try {
    parseQuantity(input)
    return undefined
  } catch (error) {
    if (error instanceof QuantityError) return error.message
    throw error
  }
}
