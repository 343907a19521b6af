// toYaml against output captured from kubectl 1.32 (`kubectl patch --local -o yaml`, see
// yaml-oracle.test.ts for how the fixture is made), plus the go-yaml rules it is built from.
import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {
  YamlPrintError,
  compareYamlKeys,
  formatGoFloat,
  formatNumber,
  isYamlTimestamp,
  readBackError,
  resolvesToNonString,
  toYaml,
  yamlKeyLess,
} from '../../../src/print/yaml.js'

interface FixtureCase {
  name: string
  value: unknown
  expected?: string
  error?: string
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/yaml-kubectl.json', import.meta.url), 'utf8'),
) as FixtureCase[]

/** The document every fixture value was printed in. */
const fixtureDocument = (value: unknown) => ({apiVersion: 'x.example/v1', kind: 'T', v: value})

describe('toYaml: kubectl fixture table', () => {
  it('has a table worth the name', () => {
    assert.ok(fixture.length >= 150, `only ${fixture.length} cases`)
    assert.equal(new Set(fixture.map((c) => c.name)).size, fixture.length, 'case names must be unique')
  })
  for (const c of fixture) {
    it(c.name, () => {
      const doc = fixtureDocument(c.value)
      if (c.error !== undefined) {
        assert.throws(() => toYaml(doc), (err: unknown) => err instanceof YamlPrintError && err.message === c.error)
      } else {
        assert.equal(toYaml(doc), c.expected)
      }
    })
  }
})

describe('toYaml: JavaScript values', () => {
  it('drops undefined, function and symbol members and nulls them in arrays, like JSON.stringify', () => {
    assert.equal(toYaml({a: undefined, b: () => 1, c: Symbol('x'), d: 1}), 'd: 1\n')
    assert.equal(toYaml([undefined, () => 1, 2]), '- null\n- null\n- 2\n')
    assert.equal(toYaml({a: undefined}), '{}\n')
  })
  it('uses toJSON, so dates print as quoted RFC 3339 timestamps', () => {
    assert.equal(toYaml({t: new Date(Date.UTC(2024, 0, 2, 3, 4, 5))}), 't: "2024-01-02T03:04:05.000Z"\n')
  })
  it('prints non-finite numbers as null (JSON has no such numbers)', () => {
    assert.equal(toYaml([NaN, Infinity, -Infinity]), '- null\n- null\n- null\n')
  })
  it('prints bigints as integers, falling back to a float past uint64', () => {
    assert.equal(toYaml([2n ** 64n - 1n, -(2n ** 63n), 2n ** 64n]), '- 18446744073709551615\n- -9223372036854775808\n- 1.8446744073709552e+19\n')
  })
  it('prints top-level scalars and empty collections as go-yaml does', () => {
    assert.equal(toYaml('abc'), 'abc\n')
    assert.equal(toYaml(''), '""\n')
    assert.equal(toYaml(null), 'null\n')
    assert.equal(toYaml(undefined), 'null\n')
    assert.equal(toYaml(true), 'true\n')
    assert.equal(toYaml(1.5), '1.5\n')
    assert.equal(toYaml([]), '[]\n')
    assert.equal(toYaml({}), '{}\n')
    // A root scalar is indented as if inside a flow collection (go-yaml's increase_indent).
    assert.equal(toYaml('a\nb'), '|-\n  a\n  b\n')
    assert.equal(toYaml(['a', ['b', 'c'], {d: []}]), '- a\n- - b\n  - c\n- d: []\n')
  })
  it('replaces unpaired surrogates with U+FFFD, as Go does with invalid UTF-8', () => {
    assert.equal(toYaml({k: 'a\ud800b'}), 'k: a\ufffdb\n')
  })
  it('is deterministic when go-yaml key order is not (no total order on these keys)', () => {
    // a10 < a1b ('0' before a letter), a1b < a2 (1 < 2), a2 < a10 (2 < 10): kubectl prints these
    // in a random order; toYaml prints one of them, always the same.
    const obj = {a2: 1, a10: 2, a1b: 3}
    assert.equal(toYaml(obj), toYaml({a1b: 3, a10: 2, a2: 1}))
  })
})

describe('go-yaml key order', () => {
  const sorted = (keys: string[]) => [...keys].sort(compareYamlKeys)
  it('puts letters after everything else and compares letters by code point', () => {
    assert.deepEqual(sorted(['b', 'a', 'B', 'é']), ['B', 'a', 'b', 'é'])
    assert.equal(yamlKeyLess('a', '_'), false)
    assert.equal(yamlKeyLess('_', 'a'), true)
  })
  it('compares other non-letters by their digit run, an empty run counting as 0', () => {
    assert.deepEqual(sorted(['1', '_', '-', '😀']), ['-', '_', '😀', '1'])
  })
  it('compares digit runs as numbers', () => {
    assert.deepEqual(sorted(['a10', 'a9', 'a100', 'a1']), ['a1', 'a9', 'a10', 'a100'])
    assert.deepEqual(sorted(['10', '9', '1']), ['1', '9', '10'])
  })
  it('orders equal numbers by the length of the run, leading zeros last', () => {
    assert.deepEqual(sorted(['01', '1', '001']), ['1', '01', '001'])
  })
  it('treats a differing 0 after non-zero digits as part of the bigger number', () => {
    assert.equal(yamlKeyLess('10', '19'), true)
    assert.equal(yamlKeyLess('19', '100'), true)
  })
  it('compares shorter prefixes first', () => {
    assert.equal(yamlKeyLess('ab', 'abc'), true)
    assert.equal(yamlKeyLess('abc', 'ab'), false)
    assert.equal(yamlKeyLess('x', 'x'), false)
  })
  it('handles non-ASCII digits and letters', () => {
    assert.equal(yamlKeyLess('中', 'a'), false)
    assert.equal(yamlKeyLess('a', '中'), true)
    assert.deepEqual(sorted(['a', '1', '٣', '２']), ['1', '٣', '２', 'a'])
  })
})

describe('go-yaml resolution of plain scalars', () => {
  const nonStrings = ['true', 'Yes', 'n', 'OFF', '~', 'null', '', '1', '-1', '+1', '0x1F', '0o17', '017', '0b101', '0b-1',
    '1_000', '08', '1.5', '.5', '1.', '1e3', '.inf', '-.Inf', '.NaN', '2024-01-01', '2024-01-01T00:00:00Z',
    '2024-1-2 3:04:05.6']
  const strings = ['yES', 'tRue', 'nULL', '_1', '1e999', '.5e999', '0x', '1:20', 'x', '-', '.', 'inf', 'NaN', '2024-02-30',
    '2023-02-29', '2024-01-01T00:00:00', '2024-01-01 ', '1.2.3', '<<', '0xFFFFFFFFFFFFFFFFFF']
  for (const s of nonStrings) it(`${JSON.stringify(s)} reads back as a non-string`, () => assert.equal(resolvesToNonString(s), true))
  for (const s of strings) it(`${JSON.stringify(s)} reads back as a string`, () => assert.equal(resolvesToNonString(s), false))
  it('recognises only real calendar dates and times as timestamps', () => {
    assert.equal(isYamlTimestamp('2024-02-29'), true)
    assert.equal(isYamlTimestamp('2100-02-29'), false)
    assert.equal(isYamlTimestamp('2024-01-01T23:59:59.999+24:00'), true)
    assert.equal(isYamlTimestamp('2024-01-01T23:59:59+24:61'), false)
    assert.equal(isYamlTimestamp('2024-01-01T24:00:00Z'), false)
  })
})

describe('number formatting', () => {
  it('prints integers that fit int64 or uint64 in full', () => {
    assert.equal(formatNumber(0), '0')
    assert.equal(formatNumber(-0), '0')
    assert.equal(formatNumber(1e6), '1000000')
    // Go's JSON encoder writes the shortest digits, and that text is what go-yaml reads back.
    assert.equal(formatNumber(2 ** 64 - 2048), '18446744073709550000')
    assert.equal(formatNumber(2 ** 63), '9223372036854776000')
    // ...which for -2^63 is just past the int64 range, so it turns into a float.
    assert.equal(formatNumber(-(2 ** 63)), '-9.223372036854776e+18')
    assert.equal(formatNumber(-(2 ** 62)), '-4611686018427388000')
  })
  it('prints everything else as Go %g, exponent from 1e21 or below 1e-4', () => {
    assert.equal(formatNumber(2 ** 64), '1.8446744073709552e+19')
    assert.equal(formatNumber(1e21), '1e+21')
    assert.equal(formatNumber(1234567.5), '1.2345675e+06')
    assert.equal(formatNumber(123456.5), '123456.5')
    assert.equal(formatNumber(0.0001), '0.0001')
    assert.equal(formatNumber(0.00001), '1e-05')
    assert.equal(formatNumber(5e-324), '5e-324')
  })
  it('formats like strconv.FormatFloat(x, g, -1, 64)', () => {
    assert.equal(formatGoFloat(100), '100')
    assert.equal(formatGoFloat(1e6), '1e+06')
    assert.equal(formatGoFloat(-2.5e-7), '-2.5e-07')
    assert.equal(formatGoFloat(1.5e300), '1.5e+300')
    assert.equal(formatGoFloat(-0), '-0')
  })
})

describe('errors kubectl reports instead of printing', () => {
  it('names the first problem in JSON order with go-yaml line numbers', () => {
    assert.equal(readBackError({a: 'x'}), undefined)
    assert.equal(readBackError({b: 'a\u0085--- x', a: 'x\u0085'})?.message, 'yaml: line 3: found unexpected document indicator')
    assert.equal(readBackError({b: '\u007f', a: {'k\u0085': 1}})?.message, "yaml: line 1: did not find expected ',' or '}'")
    assert.equal(readBackError(['\u0080'])?.message, 'yaml: control characters are not allowed')
  })
  it('throws YamlPrintError from toYaml', () => {
    assert.throws(() => toYaml({k: '\u0099'}), YamlPrintError)
  })
})
