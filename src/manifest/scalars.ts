// Resolution of plain (unquoted, untagged) YAML scalars the way kubectl sees them: sigs.k8s.io/yaml
// decodes with a go-yaml v2 fork, which follows YAML 1.1 (yes/no/on/off booleans, 0644 octal, ...).

export const ScalarKind = {Str: 0, Null: 1, Bool: 2, Int: 3, Float: 4} as const
export type ScalarKind = (typeof ScalarKind)[keyof typeof ScalarKind]

/** What the last call to resolvePlainScalar found; read right after the call (no allocation per scalar). */
export const resolved: {kind: ScalarKind; value: unknown} = {kind: ScalarKind.Str, value: undefined}

// go-yaml looks a scalar up in a fixed table before trying numbers, and only when its first
// character could start one of the table's entries or a number.
const FIXED = new Map<string, [ScalarKind, unknown]>()
const fixed = (kind: ScalarKind, value: unknown, spellings: string[]) => {
  for (const s of spellings) FIXED.set(s, [kind, value])
}
fixed(ScalarKind.Bool, true, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
fixed(ScalarKind.Bool, false, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
fixed(ScalarKind.Null, null, ['', '~', 'null', 'Null', 'NULL'])
fixed(ScalarKind.Float, Number.NaN, ['.nan', '.NaN', '.NAN'])
fixed(ScalarKind.Float, Number.POSITIVE_INFINITY, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'])
fixed(ScalarKind.Float, Number.NEGATIVE_INFINITY, ['-.inf', '-.Inf', '-.INF'])

const Hint = {None: 0, Sign: 1, Digit: 2, Table: 3, Dot: 4} as const
const HINTS = new Uint8Array(128)
HINTS[0x2b] = Hint.Sign
HINTS[0x2d] = Hint.Sign
for (let c = 0x30; c <= 0x39; c++) HINTS[c] = Hint.Digit
for (const ch of 'yYnNtTfFoO~') HINTS[ch.charCodeAt(0)] = Hint.Table
HINTS[0x2e] = Hint.Dot

// Go's strconv.ParseInt with base 0 (after go-yaml drops every '_'); a leading 0 means octal.
const GO_INT = /^([-+]?)(?:0([xX])([0-9a-fA-F]+)|0([bB])([01]+)|0([oO])([0-7]+)|(0[0-7]*)|([1-9][0-9]*))$/
// go-yaml's own float pattern, tried once the integer parse failed.
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
// Scalars starting with '.' go straight to strconv.ParseFloat, which wants digits after the dot.
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/

/**
 * Resolves a plain scalar. Returns false when it stays a string; otherwise true, with the kind and
 * value in `resolved`. Timestamps stay strings: go-yaml v2 hands them back as the original text when
 * decoding into interface{}, which is what kubectl does.
 */
export function resolvePlainScalar(s: string): boolean {
  const first = s.length === 0 ? -1 : s.charCodeAt(0)
  const hint = first < 0 ? Hint.Table : first < 128 ? HINTS[first] : Hint.None
  if (hint === Hint.None) return false
  const entry = FIXED.get(s)
  if (entry !== undefined) {
    resolved.kind = entry[0]
    resolved.value = entry[1]
    return true
  }
  if (hint === Hint.Table) return false
  if (hint === Hint.Dot) {
    if (!DOT_FLOAT.test(s)) return false
    return setFloat(Number(s))
  }
  const plain = s.includes('_') ? s.replaceAll('_', '') : s
  const int = parseGoInt(plain)
  if (int !== undefined) {
    resolved.kind = ScalarKind.Int
    resolved.value = int
    return true
  }
  if (GO_FLOAT.test(plain)) return setFloat(Number(plain))
  return false
}

function setFloat(value: number): boolean {
  // strconv.ParseFloat reports out-of-range values as errors, and go-yaml then keeps the string.
  if (!Number.isFinite(value)) return false
  resolved.kind = ScalarKind.Float
  resolved.value = value
  return true
}

/** A Go integer literal (sign, 0x/0b/0o or legacy-octal prefix) as a number, or undefined. */
export function parseGoInt(s: string): number | undefined {
  const m = GO_INT.exec(s)
  if (m === null) return undefined
  let base = 10
  let digits: string
  if (m[2] !== undefined) {
    base = 16
    digits = m[3]
  } else if (m[4] !== undefined) {
    base = 2
    digits = m[5]
  } else if (m[6] !== undefined) {
    base = 8
    digits = m[7]
  } else if (m[8] !== undefined) {
    base = 8
    digits = m[8]
  } else {
    digits = m[9]
  }
  // Past 2^53 parseInt would round differently from Go; BigInt keeps the exact value until the
  // final conversion, the same rounding JSON decoding does in kubectl.
  let value = digits.length <= 12 ? Number.parseInt(digits, base) : Number(bigFromDigits(digits, base))
  if (m[1] === '-') value = -value
  return value === 0 ? 0 : value
}

function bigFromDigits(digits: string, base: number): bigint {
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : ''
  return BigInt(prefix + digits)
}

/** The value kubectl would see for an unquoted scalar (a string when nothing else matches). */
export function resolveScalar(s: string): unknown {
  return resolvePlainScalar(s) ? resolved.value : s
}
