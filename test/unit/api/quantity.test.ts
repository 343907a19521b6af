// Cases ported from apimachinery's pkg/api/resource/quantity_test.go, plus the quirks of its scanner.
import {strict as assert} from 'node:assert'
import {
  type QuantityFormat,
  QUANTITY_ERROR_MESSAGES,
  Quantity,
  QuantityError,
  isValidQuantity,
  parseQuantity,
} from '../../../src/api/quantity.js'

const MOST_POSITIVE = (1n << 63n) - 1n
const MOST_NEGATIVE = -(1n << 63n)
const KI = 1024n
const MI = KI * KI
const GI = MI * KI
const TI = GI * KI

/** decQuantity / intQuantity from the Go tests: unscaled × 10^exponent. */
const negate = (n: -1 | 0 | 1): number => (n === 0 ? 0 : -n)

const dec = (unscaled: bigint | number, exponent: number, format: QuantityFormat = 'DecimalSI'): Quantity =>
  new Quantity(BigInt(unscaled), exponent, format)

describe('api/quantity', () => {
  describe('parseQuantity: value, format and String()', () => {
    // [input, String(), canonical when String() keeps the input spelling, format]
    const table: Array<[string, string, string | undefined, QuantityFormat]> = [
      ['0', '0', undefined, 'DecimalSI'],
      ['0n', '0', undefined, 'DecimalSI'],
      ['0u', '0', undefined, 'DecimalSI'],
      ['0m', '0', undefined, 'DecimalSI'],
      ['0Ki', '0', undefined, 'BinarySI'],
      ['0k', '0', undefined, 'DecimalSI'],
      ['0Mi', '0', undefined, 'BinarySI'],
      ['0M', '0', undefined, 'DecimalSI'],
      ['0Gi', '0', undefined, 'BinarySI'],
      ['0G', '0', undefined, 'DecimalSI'],
      ['0Ti', '0', undefined, 'BinarySI'],
      ['0T', '0', undefined, 'DecimalSI'],
      ['1', '1', undefined, 'DecimalSI'],
      // binary suffixes
      ['1Ki', '1Ki', undefined, 'BinarySI'],
      ['8Ki', '8Ki', undefined, 'BinarySI'],
      ['7Mi', '7Mi', undefined, 'BinarySI'],
      ['6Gi', '6Gi', undefined, 'BinarySI'],
      ['5Ti', '5Ti', undefined, 'BinarySI'],
      ['4Pi', '4Pi', undefined, 'BinarySI'],
      ['3Ei', '3Ei', undefined, 'BinarySI'],
      ['10Ti', '10Ti', undefined, 'BinarySI'],
      ['100Ti', '100Ti', undefined, 'BinarySI'],
      // decimal suffixes
      ['5n', '5n', undefined, 'DecimalSI'],
      ['4u', '4u', undefined, 'DecimalSI'],
      ['3m', '3m', undefined, 'DecimalSI'],
      ['9', '9', undefined, 'DecimalSI'],
      ['8k', '8k', undefined, 'DecimalSI'],
      ['50k', '50k', undefined, 'DecimalSI'],
      ['7M', '7M', undefined, 'DecimalSI'],
      ['6G', '6G', undefined, 'DecimalSI'],
      ['5T', '5T', undefined, 'DecimalSI'],
      ['40T', '40T', undefined, 'DecimalSI'],
      ['300T', '300T', undefined, 'DecimalSI'],
      ['2P', '2P', undefined, 'DecimalSI'],
      ['1E', '1E', undefined, 'DecimalSI'],
      // decimal exponents; an upper-case E is echoed as typed
      ['1E-3', '1E-3', '1e-3', 'DecimalExponent'],
      ['1e3', '1e3', undefined, 'DecimalExponent'],
      ['1E6', '1E6', '1e6', 'DecimalExponent'],
      ['1e9', '1e9', undefined, 'DecimalExponent'],
      ['1E12', '1E12', '1e12', 'DecimalExponent'],
      ['1e15', '1e15', undefined, 'DecimalExponent'],
      ['1E18', '1E18', '1e18', 'DecimalExponent'],
      // nonstandard but still parsable
      ['1e14', '100e12', undefined, 'DecimalExponent'],
      ['1e13', '10e12', undefined, 'DecimalExponent'],
      ['100.035k', '100.035k', '100035', 'DecimalSI'],
      // things that look like floating point
      ['0.001', '1m', undefined, 'DecimalSI'],
      ['0.0005k', '500m', undefined, 'DecimalSI'],
      ['0.005', '5m', undefined, 'DecimalSI'],
      ['0.05', '50m', undefined, 'DecimalSI'],
      ['0.5', '500m', undefined, 'DecimalSI'],
      ['0.00050k', '500m', undefined, 'DecimalSI'],
      ['0.00500', '5m', undefined, 'DecimalSI'],
      ['0.05000', '50m', undefined, 'DecimalSI'],
      ['0.50000', '500m', undefined, 'DecimalSI'],
      ['0.5e0', '500e-3', undefined, 'DecimalExponent'],
      ['0.5e-1', '50e-3', undefined, 'DecimalExponent'],
      ['0.5e-2', '5e-3', undefined, 'DecimalExponent'],
      ['10.035M', '10.035M', '10035k', 'DecimalSI'],
      ['1.2e3', '1200', undefined, 'DecimalExponent'],
      ['1.3E+6', '1300e3', undefined, 'DecimalExponent'],
      ['1.40e9', '1400e6', undefined, 'DecimalExponent'],
      ['1.53E12', '1530e9', undefined, 'DecimalExponent'],
      ['1.6e15', '1600e12', undefined, 'DecimalExponent'],
      ['1.7E18', '1700e15', undefined, 'DecimalExponent'],
      ['9.01', '9010m', undefined, 'DecimalSI'],
      ['8.1k', '8100', undefined, 'DecimalSI'],
      ['7.123456M', '7.123456M', '7123456', 'DecimalSI'],
      ['6.987654321G', '6.987654321G', '6987654321', 'DecimalSI'],
      ['5.444T', '5.444T', '5444G', 'DecimalSI'],
      ['40.1T', '40100G', undefined, 'DecimalSI'],
      ['300.2T', '300200G', undefined, 'DecimalSI'],
      ['2.5P', '2500T', undefined, 'DecimalSI'],
      ['1.01E', '1010P', undefined, 'DecimalSI'],
      // things that saturate or round
      ['3.001n', '4n', undefined, 'DecimalSI'],
      ['1.1E-9', '2e-9', undefined, 'DecimalExponent'],
      ['0.0000000001', '1n', undefined, 'DecimalSI'],
      ['0.0000000005', '1n', undefined, 'DecimalSI'],
      ['0.00000000050', '1n', undefined, 'DecimalSI'],
      ['0.5e-9', '1e-9', undefined, 'DecimalExponent'],
      ['0.9n', '1n', undefined, 'DecimalSI'],
      ['0.00000012345', '124n', undefined, 'DecimalSI'],
      ['0.00000012354', '124n', undefined, 'DecimalSI'],
      ['9Ei', '9223372036854775807', undefined, 'BinarySI'],
      ['9223372036854775807Ki', '9223372036854775807', undefined, 'BinarySI'],
      ['12E', '12E', undefined, 'DecimalSI'],
      // fractional binary amounts
      ['100.035Ki', '102435840m', undefined, 'BinarySI'],
      ['0.5Mi', '512Ki', undefined, 'BinarySI'],
      ['0.05Gi', '53687091200m', undefined, 'BinarySI'],
      ['0.025Ti', '27487790694400m', undefined, 'BinarySI'],
      // things written by trolls
      ['0.000000000001Ki', '2n', undefined, 'DecimalSI'],
      ['.001', '1m', undefined, 'DecimalSI'],
      ['.0001k', '100m', undefined, 'DecimalSI'],
      ['1.', '1.', '1', 'DecimalSI'],
      ['1.G', '1.G', '1G', 'DecimalSI'],
    ]

    for (const [input, string, canonical, format] of table) {
      it(`${input} -> ${string}`, () => {
        const q = parseQuantity(input)
        assert.equal(q.toString(), string)
        assert.equal(q.canonical(), canonical ?? string)
        assert.equal(q.format, format)
      })
    }

    it('negates every case with a leading "-" and keeps the format', () => {
      for (const [input, string, , format] of table) {
        const q = parseQuantity(`-${input}`)
        assert.equal(q.toString(), q.isZero() ? '0' : `-${string}`, input)
        assert.equal(q.format, format, input)
        assert.equal(q.cmp(parseQuantity(input).neg()), 0, input)
      }
    })

    it('accepts an explicit "+", which String() echoes when it keeps the spelling', () => {
      // Canonical spellings upstream recomputes anyway: a binary multiplier divisible by 8, or one
      // with more digits than its int64 fast path allows for the suffix.
      const recomputed = new Set(['0', '8Ki', '4Pi', '3Ei', '100Ti'])
      for (const [input, string, canonical, format] of table) {
        const q = parseQuantity(`+${input}`)
        const kept = canonical !== undefined || (string === input && !recomputed.has(input))
        assert.equal(q.toString(), kept ? `+${input}` : string, input)
        assert.equal(q.canonical(), canonical ?? string, input)
        assert.equal(q.format, format, input)
      }
    })
  })

  describe('String() of constructed values (TestQuantityString)', () => {
    // [value, canonical, an alternate spelling that parses to it]
    const table: Array<[Quantity, string, string?]> = [
      [dec(GI, 0, 'BinarySI'), '1Gi', '1024Mi'],
      [dec(300n * MI, 0, 'BinarySI'), '300Mi', '307200Ki'],
      [dec(6n * KI, 0, 'BinarySI'), '6Ki'],
      [dec(1001n * GI, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
      [dec(TI, 0, 'BinarySI'), '1Ti', '1024Gi'],
      [dec(5, 0, 'BinarySI'), '5', '5000m'],
      [dec(500, -3, 'BinarySI'), '500m', '0.5'],
      [dec(1, 9), '1G', '1000M'],
      [dec(1000, 6), '1G', '0.001T'],
      [dec(1000000, 3), '1G'],
      [dec(1000000000, 0), '1G'],
      [dec(1, -3), '1m', '1000u'],
      [dec(80, -3), '80m'],
      [dec(1080, -3), '1080m', '1.08'],
      [dec(108, -2), '1080m', '1080000000n'],
      [dec(10800, -4), '1080m'],
      [dec(300, 6), '300M'],
      [dec(1, 12), '1T'],
      [dec(1, 18), '1E'],
      [dec(1, 21), '1e21', '1000E'],
      [dec(5, 21), '5e21', '5000E'],
      [dec(1, 24), '1e24', '1000000E'],
      [dec(1234567, 6), '1234567M'],
      [dec(1234567, -3, 'BinarySI'), '1234567m'],
      [dec(3, 3), '3k'],
      [dec(1025, 0, 'BinarySI'), '1025'],
      [dec(0, 0), '0'],
      [dec(0, 0, 'BinarySI'), '0'],
      [dec(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
      [dec(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
      [dec(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
      [dec(80, -3, 'DecimalExponent'), '80e-3'],
      [dec(300, 6, 'DecimalExponent'), '300e6'],
      [dec(1, 12, 'DecimalExponent'), '1e12'],
      [dec(1, 3, 'DecimalExponent'), '1e3'],
      [dec(3, 3, 'DecimalExponent'), '3e3'],
      [dec(0, 0, 'DecimalExponent'), '0', '00'],
      [dec(1, -9), '1n'],
      [dec(80, -9), '80n'],
      [dec(1080, -9), '1080n'],
      [dec(108, -8), '1080n'],
      [dec(10800, -10), '1080n'],
      [dec(1, -6), '1u'],
      [dec(80, -6), '80u'],
      [dec(1080, -6), '1080u'],
    ]

    for (const [q, canonical, alternate] of table) {
      it(`${canonical}${alternate === undefined ? '' : ` (also from ${alternate})`}`, () => {
        assert.equal(q.toString(), canonical)
        const reparsed = parseQuantity(canonical)
        assert.equal(reparsed.toString(), canonical)
        assert.equal(reparsed.cmp(q), 0)
        if (alternate !== undefined) assert.equal(parseQuantity(alternate).toString(), canonical)
        if (!q.isZero()) assert.equal(q.neg().toString(), `-${canonical}`)
      })
    }
  })

  describe('String() after parsing (TestQuantityParseEmit)', () => {
    const table: Array<[string, string]> = [
      ['1Ki', '1Ki'],
      ['1Mi', '1Mi'],
      ['1Gi', '1Gi'],
      ['1024Mi', '1Gi'],
      ['1000M', '1G'],
      ['.001Ki', '1024m'],
      ['.000001Ki', '1024u'],
      ['.000000001Ki', '1024n'],
      ['.000000000001Ki', '2n'],
      // from the task's examples
      ['100m', '100m'],
      ['1.5Gi', '1536Mi'],
      ['0.1', '100m'],
      ['1000', '1k'],
      ['12e6', '12e6'],
      ['1M', '1M'],
      ['-1.5', '-1500m'],
      ['1.44', '1440m'],
    ]
    for (const [input, expected] of table) {
      it(`${input} -> ${expected}, -${input} -> -${expected}`, () => {
        assert.equal(parseQuantity(input).toString(), expected)
        const negative = input.startsWith('-') ? input.slice(1) : `-${input}`
        const negated = expected.startsWith('-') ? expected.slice(1) : `-${expected}`
        assert.equal(parseQuantity(negative).toString(), negated)
      })
    }
  })

  describe('numbers beyond int64 (TestParseQuantity)', () => {
    // [input, String() when it differs from the input]
    const table: Array<[string, string?]> = [
      ['-999999999999999999'],
      ['999999999999999999'],
      ['-999999999999999999.0', '-999999999999999999'],
      ['999999999999999999.1', '999999999999999999100m'],
      ['-9999999999999999999'],
      ['9999999999999999999'],
      ['-1E'],
      ['-1000000000000000000', '-1E'],
      ['1000000000000000000', '1E'],
      ['1.0E', '1E'],
      ['-1000000000000000000.0', '-1E'],
      ['9999999999999999999000m', '9999999999999999999'],
      ['-9999999999999999999.1', '-9999999999999999999100m'],
      ['1.0000000000000000001E', '1000000000000000000100m'],
      ['-1.000000000000000001E', '-1000000000000000001'],
      ['1000000000000000001'],
      ['10E'],
      ['-10000000000000000000', '-10E'],
      ['10.0E', '10E'],
      ['10000000000000000000000m', '10E'],
      ['-10.0000000000000000001E', '-10000000000000000000100m'],
      ['10.000000000000000001E', '10000000000000000001'],
      ['-9223372036854775809'],
      ['9223372036854775806.0', '9223372036854775806'],
      ['-9223372036854775809000m', '-9223372036854775809'],
      ['9223372036854775806.1', '9223372036854775806100m'],
      ['-9223372036854775808'],
      ['9223372036854775807.0', '9223372036854775807'],
      ['-9223372036854775808.1', '-9223372036854775808100m'],
      ['9223372036854775808'],
      ['9223372036854775808000m', '9223372036854775808'],
      ['18446744073709551616'],
    ]
    for (const [input, expected] of table) {
      it(`${input} -> ${expected ?? input}`, () => {
        assert.equal(parseQuantity(input).toString(), expected ?? input)
      })
    }
  })

  describe('spellings String() echoes instead of canonicalising', () => {
    // apimachinery's parse fast path caches the input as the String() result; kubernetes#138165
    const table: Array<[string, string]> = [
      ['1.001', '1001m'],
      ['1.500', '1500m'],
      ['+1', '1'],
      ['01', '1'],
      ['+01Ki', '1Ki'],
      ['1e+3', '1e3'],
      ['1e03', '1e3'],
      ['12.345k', '12345'],
    ]
    for (const [input, canonical] of table) {
      it(`${input} prints as typed, canonical ${canonical}`, () => {
        const q = parseQuantity(input)
        assert.equal(q.toString(), input)
        assert.equal(q.canonical(), canonical)
        assert.equal(q.cmp(parseQuantity(canonical)), 0)
      })
    }

    it('arithmetic drops the kept spelling', () => {
      assert.equal(parseQuantity('+1').add(parseQuantity('0')).toString(), '1')
      assert.equal(parseQuantity('1.500').neg().toString(), '-1500m')
    })
  })

  describe('invalid input', () => {
    const table: Array<[string, 'format' | 'numeric' | 'suffix']> = [
      ['', 'format'],
      ['1.1.M', 'format'],
      ['1+1.0M', 'format'],
      ['0.1mi', 'suffix'],
      ['0.1am', 'format'],
      ['aoeu', 'format'],
      ['.5i', 'suffix'],
      ['1i', 'suffix'],
      ['-3.01i', 'suffix'],
      ['-3.01e-', 'suffix'],
      [' 1', 'format'],
      ['1 ', 'format'],
      ['Non-Numeric', 'format'],
      ['invalid', 'format'],
      ['1e', 'suffix'],
      ['1ee3', 'suffix'],
      ['1Mi5', 'suffix'],
      ['1e3M', 'format'],
      ['1KI', 'format'],
      ['1ki', 'suffix'],
      ['1e9223372036854775808', 'suffix'],
      ['0x10', 'format'],
      ['1_000', 'format'],
      ['1,5', 'format'],
      ['e-10', 'numeric'],
      ['-.e-10', 'numeric'],
    ]
    for (const [input, kind] of table) {
      it(`rejects ${JSON.stringify(input)} (${kind})`, () => {
        assert.throws(
          () => parseQuantity(input),
          (error: unknown) =>
            error instanceof QuantityError && error.kind === kind && error.message === QUANTITY_ERROR_MESSAGES[kind],
        )
        assert.equal(isValidQuantity(input), QUANTITY_ERROR_MESSAGES[kind])
      })
    }

    it('uses apimachinery messages', () => {
      assert.equal(
        isValidQuantity('1x'),
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      )
      assert.equal(isValidQuantity('1mi'), "unable to parse quantity's suffix")
      assert.equal(isValidQuantity('e-10'), 'unable to parse numeric part of quantity')
      assert.equal(isValidQuantity('1Gi'), undefined)
    })

    it('accepts what the scanner accepts even without digits', () => {
      for (const [input, format] of [
        ['.', 'DecimalSI'],
        ['-', 'DecimalSI'],
        ['+.', 'DecimalSI'],
        ['Ki', 'BinarySI'],
        ['m', 'DecimalSI'],
        ['e5', 'DecimalExponent'],
        ['0e-10', 'DecimalExponent'],
      ] as const) {
        const q = parseQuantity(input)
        assert.ok(q.isZero(), input)
        assert.equal(q.toString(), '0', input)
        assert.equal(q.format, format, input)
      }
    })
  })

  describe('numbers', () => {
    const table: Array<[number, string]> = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [0.5, '500m'],
      [0.1, '100m'],
      [1000, '1k'],
      [-2.25, '-2250m'],
      [1e21, '1e21'],
      [1e-7, '100e-9'],
      [1.5e-10, '1e-9'],
      [0.0000015, '1500n'],
    ]
    for (const [input, canonical] of table) {
      it(`${input} -> ${canonical}`, () => assert.equal(parseQuantity(input).canonical(), canonical))
    }

    it('rejects NaN and infinities', () => {
      for (const n of [NaN, Infinity, -Infinity]) assert.throws(() => parseQuantity(n), QuantityError)
    })
  })

  describe('cmp', () => {
    it('compares parsed quantities (TestQuantityCmp)', () => {
      const table: Array<[string, string, -1 | 0 | 1]> = [
        ['0', '0', 0],
        ['100m', '50m', 1],
        ['50m', '100m', -1],
        ['10000T', '100Gi', 1],
        ['1Gi', '1073741824', 0],
        ['1G', '1Gi', -1],
        ['-1', '1n', -1],
        ['0.5', '500m', 0],
        ['1e2000000000', '9Ei', 1],
        ['-1e2000000000', '-9Ei', -1],
      ]
      for (const [x, y, expected] of table) {
        assert.equal(parseQuantity(x).cmp(parseQuantity(y)), expected, `${x} vs ${y}`)
        assert.equal(parseQuantity(y).cmp(parseQuantity(x)), negate(expected), `${y} vs ${x}`)
      }
    })

    it('compares across scales (TestQuantityCmpInt64AndDec)', () => {
      const e18 = 10n ** 18n
      const table: Array<[Quantity, Quantity, -1 | 0 | 1]> = [
        [dec(901, -2), dec(901, -2), 0],
        [dec(90, -1), dec(901, -2), -1],
        [dec(901, -2), dec(900, -2), 1],
        [dec(0, 0), dec(0, 0), 0],
        [dec(0, 1), dec(0, -1), 0],
        [dec(800, -3), dec(1, 0), -1],
        [dec(800, -3), dec(79, -2), 1],
        [dec(MOST_POSITIVE, 0), dec(1, -1), 1],
        [dec(MOST_POSITIVE, 1), dec(1, 0), 1],
        [dec(MOST_POSITIVE, 1), dec(1, 1), 1],
        [dec(MOST_POSITIVE, 1), dec(0, 1), 1],
        [dec(MOST_POSITIVE, -16), dec(1, 3), -1],
        [dec(MOST_NEGATIVE, 0), dec(0, 0), -1],
        [dec(MOST_NEGATIVE, -18), dec(-1, 0), -1],
        [dec(MOST_NEGATIVE, -19), dec(-1, 0), 1],
        [dec(e18, -17), dec(1, 1), 0],
        [dec(e18, -17), dec(-10, 0), 1],
        [dec(-e18, -17), dec(-10, 0), 0],
        [dec(e18, -17), dec(1, 0), 1],
        [dec(e18 + 1n, -17), dec(1, 1), 1],
        [dec(e18 - 1n, -17), dec(1, 1), -1],
      ]
      for (const [a, b, expected] of table) {
        assert.equal(a.cmp(b), expected, `${a.canonical()} vs ${b.canonical()}`)
        assert.equal(b.cmp(a), negate(expected), `${b.canonical()} vs ${a.canonical()}`)
        assert.equal(a.equals(b), expected === 0)
      }
    })
  })

  describe('arithmetic', () => {
    it('adds, taking the format of a zero receiver from the operand (TestAdd)', () => {
      const zero = dec(0, 0)
      const table: Array<[Quantity, Quantity, Quantity, QuantityFormat]> = [
        [dec(10, 0), dec(1, 1), dec(20, 0), 'DecimalSI'],
        [dec(10, 0), dec(1, 0, 'BinarySI'), dec(11, 0), 'DecimalSI'],
        [dec(10, 0, 'BinarySI'), dec(1, 0), dec(11, 0), 'BinarySI'],
        [zero, dec(50, 0), dec(50, 0), 'DecimalSI'],
        [dec(50, 0), zero, dec(50, 0), 'DecimalSI'],
        [zero, zero, zero, 'DecimalSI'],
      ]
      for (const [a, b, expected, format] of table) {
        const sum = a.add(b)
        assert.equal(sum.cmp(expected), 0, `${a.canonical()} + ${b.canonical()} = ${sum.canonical()}`)
        assert.equal(sum.format, format)
      }
    })

    it('subtracts (TestSub)', () => {
      const zero = dec(0, 0)
      const table: Array<[Quantity, Quantity, Quantity, QuantityFormat]> = [
        [dec(10, 0), dec(1, 1), dec(0, 0), 'DecimalSI'],
        [dec(10, 0), dec(1, 0, 'BinarySI'), dec(9, 0), 'DecimalSI'],
        [dec(10, 0, 'BinarySI'), dec(1, 0), dec(9, 0), 'BinarySI'],
        [zero, dec(50, 0), dec(-50, 0), 'DecimalSI'],
        [dec(50, 0), zero, dec(50, 0), 'DecimalSI'],
        [zero, zero, zero, 'DecimalSI'],
      ]
      for (const [a, b, expected, format] of table) {
        const difference = a.sub(b)
        assert.equal(difference.cmp(expected), 0, `${a.canonical()} - ${b.canonical()} = ${difference.canonical()}`)
        assert.equal(difference.format, format)
      }
    })

    it('keeps the suffix when adding or subtracting zero', () => {
      const zero = parseQuantity('0')
      for (const text of ['100m', '1Gi']) {
        const q = parseQuantity(text)
        assert.equal(q.add(zero).toString(), text)
        assert.equal(zero.add(q).toString(), text)
        assert.equal(q.sub(zero).toString(), text)
        assert.equal(zero.sub(q).toString(), `-${text}`)
      }
    })

    it('goes past int64 without wrapping (TestNegAndSubAtMostNegative)', () => {
      assert.equal(dec(MOST_NEGATIVE, 0).neg().toString(), '9223372036854775808')
      assert.equal(dec(1, 0).sub(dec(MOST_NEGATIVE, 0)).toString(), '9223372036854775809')
      assert.equal(dec(1, 1).sub(dec(MOST_NEGATIVE, 0)).toString(), '9223372036854775818')
      assert.equal(dec(MOST_NEGATIVE, -3).neg().toString(), '9223372036854775808m')
      assert.equal(dec(1, -3).sub(dec(MOST_NEGATIVE, -3)).toString(), '9223372036854775809m')
      const eight = dec(0, 0).sub(dec(MOST_NEGATIVE, 0, 'BinarySI'))
      assert.equal(eight.format, 'BinarySI')
      assert.equal(eight.toString(), '8Ei')
      assert.equal(eight.cmp(parseQuantity('9223372036854775808')), 0)
      // 8Ei itself is capped on parse (kubernetes#140674)
      assert.equal(parseQuantity('8Ei').toString(), '9223372036854775807')
    })

    it('negates (TestQuantityNeg, TestNeg)', () => {
      assert.equal(dec(901, -2).neg().toString(), '-9010m')
      assert.equal(dec(10, 0, 'BinarySI').neg().cmp(dec(-10, 0)), 0)
      assert.equal(dec(-10, 0, 'BinarySI').neg().cmp(dec(10, 0)), 0)
      assert.ok(dec(0, 0).neg().isZero())
      assert.equal(dec(0, 0).neg().toString(), '0')
    })

    it('cancels additions and subtractions across scales', () => {
      let sum = dec(0, 0)
      const parts = Array.from({length: 40}, (_, i) => dec(BigInt(i) * 7919n + 13n, (i % 20) - 10))
      for (const part of parts) sum = sum.add(part)
      assert.ok(!sum.isZero())
      for (const part of parts) sum = sum.sub(part)
      assert.ok(sum.isZero())
    })

    it('reports sign and zero', () => {
      assert.equal(parseQuantity('-1n').sign(), -1)
      assert.equal(parseQuantity('0Ki').sign(), 0)
      assert.equal(parseQuantity('3').sign(), 1)
      assert.ok(parseQuantity('0.0').isZero())
      assert.ok(!parseQuantity('0.0000000000001').isZero())
    })
  })

  describe('constructors', () => {
    it('fromMilli (TestMilliNewSet)', () => {
      const table: Array<[number, QuantityFormat, string, boolean]> = [
        [1, 'DecimalSI', '1m', true],
        [1000, 'DecimalSI', '1', true],
        [1234000, 'DecimalSI', '1234', true],
        [1024, 'BinarySI', '1024m', false],
        [1000000, 'invalidFormatDefaultsToExponent' as QuantityFormat, '1e3', true],
        [1024 * 1024, 'BinarySI', '1048576m', false],
      ]
      for (const [value, format, expected, exact] of table) {
        const q = Quantity.fromMilli(value, format)
        assert.equal(q.toString(), expected)
        if (exact) assert.equal(parseQuantity(q.toString()).milliValue(), BigInt(value))
      }
    })

    it('fromValue (TestNewSet)', () => {
      const table: Array<[number, QuantityFormat, string]> = [
        [1, 'DecimalSI', '1'],
        [1000, 'DecimalSI', '1k'],
        [1234000, 'DecimalSI', '1234k'],
        [1024, 'BinarySI', '1Ki'],
        [1000000, 'invalidFormatDefaultsToExponent' as QuantityFormat, '1e6'],
        [1024 * 1024, 'BinarySI', '1Mi'],
      ]
      for (const [value, format, expected] of table) {
        const q = Quantity.fromValue(value, format)
        assert.equal(q.toString(), expected)
        assert.equal(parseQuantity(q.toString()).value(), BigInt(value))
      }
      assert.equal(Quantity.fromValue(MOST_POSITIVE, 'DecimalSI').value(), MOST_POSITIVE)
      assert.throws(() => Quantity.fromValue(1.5, 'DecimalSI'), RangeError)
    })

    it('scaled constructor (TestNewScaledSet)', () => {
      const table: Array<[number, number, string]> = [
        [1, -9, '1n'],
        [1000, -9, '1u'],
        [1, -6, '1u'],
        [1000, -6, '1m'],
        [1, -3, '1m'],
        [1000, -3, '1'],
        [1, 0, '1'],
        [0, -9, '0'],
        [0, -6, '0'],
        [0, -3, '0'],
        [0, 0, '0'],
      ]
      for (const [value, scale, expected] of table) {
        const q = dec(value, scale)
        assert.equal(q.toString(), expected)
        assert.equal(parseQuantity(q.toString()).scaledValue(scale), BigInt(value))
      }
    })
  })

  describe('integer accessors', () => {
    it('scaledValue (TestScaledValue)', () => {
      const table: Array<[number, number, bigint]> = [
        [-9, -9, 1n],
        [-9, -6, 1n],
        [-9, -3, 1n],
        [-9, 0, 1n],
        [-6, -9, 1000n],
        [-6, -6, 1n],
        [-6, -3, 1n],
        [-6, 0, 1n],
        [-3, -9, 1000000n],
        [-3, -6, 1000n],
        [-3, -3, 1n],
        [-3, 0, 1n],
        [0, -9, 1000000000n],
        [0, -6, 1000000n],
        [0, -3, 1000n],
        [0, 0, 1n],
        [2, -2, 10000n],
      ]
      for (const [from, to, expected] of table) {
        assert.equal(dec(1, from).scaledValue(to), expected, `1e${from} in 1e${to}`)
      }
    })

    it('value and milliValue round away from zero', () => {
      const table: Array<[string, bigint, bigint]> = [
        ['1.5', 2n, 1500n],
        ['-1.5', -2n, -1500n],
        ['100m', 1n, 100n],
        ['1.5m', 1n, 2n],
        ['-1.5m', -1n, -2n],
        ['1n', 1n, 1n],
        ['-1n', -1n, -1n],
        ['1Gi', GI, GI * 1000n],
        ['1Mi', MI, MI * 1000n],
        ['0', 0n, 0n],
        ['9Ei', MOST_POSITIVE, MOST_POSITIVE],
        ['1e30', MOST_POSITIVE, MOST_POSITIVE],
        ['-1e30', MOST_NEGATIVE, MOST_NEGATIVE],
      ]
      for (const [input, value, milli] of table) {
        const q = parseQuantity(input)
        assert.equal(q.value(), value, `${input} value`)
        assert.equal(q.milliValue(), milli, `${input} milliValue`)
      }
    })
  })

  describe('asApproximateFloat64', () => {
    it('matches Go on constructed values (TestQuantityAsApproximateFloat64)', () => {
      const seven = 7 * 1024 * 1024
      const table: Array<[Quantity, number]> = []
      for (const format of ['DecimalSI', 'DecimalExponent', 'BinarySI'] as const) {
        table.push(
          [dec(0, 0, format), 0],
          [dec(1, 0, format), 1],
          [dec(1024, 0, format), 1024],
          [dec(8 * 1024, 0, format), 8 * 1024],
          [dec(seven, 0, format), seven],
          [dec(seven, 1, format), seven * 10],
          [dec(seven, 4, format), seven * 10000],
          [dec(seven, 8, format), seven * 100000000],
          [dec(seven, -1, format), seven * 0.1],
          [dec(seven, -8, format), seven / 100000000],
        )
      }
      table.push(
        [dec(MOST_POSITIVE, 0), 9223372036854775807],
        [dec(MOST_POSITIVE, 0, 'BinarySI'), 9223372036854775807],
        [dec(12, 18), 1.2e19],
        [dec(12, 500), Infinity],
        [dec(-12, 500), -Infinity],
      )
      for (const [q, expected] of table) {
        assert.equal(q.asApproximateFloat64(), expected, `${q.format} ${q.canonical()}`)
      }
    })

    it('matches Go on parsed values (TestStringQuantityAsApproximateFloat64)', () => {
      const table: Array<[string, number]> = [
        ['2Ki', 2048],
        ['1.1Ki', 1126.4],
        ['1Mi', 1.048576e6],
        ['2Gi', 2.147483648e9],
        ['100m', 0.1],
        ['-1.5', -1.5],
      ]
      for (const [input, expected] of table) assert.equal(parseQuantity(input).asApproximateFloat64(), expected, input)
    })
  })

  it('serialises to JSON as its String()', () => {
    assert.equal(JSON.stringify({cpu: parseQuantity('0.5'), memory: parseQuantity('1024Mi')}), '{"cpu":"500m","memory":"1Gi"}')
  })
})
