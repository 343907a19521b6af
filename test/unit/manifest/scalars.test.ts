// YAML values as kubectl (go-yaml v2, YAML 1.1) decodes them, through the reader's js-yaml schema.
import {strict as assert} from 'node:assert'
import {loadYamlDocument, resolveScalar} from '../../../src/manifest/index.js'

const valueOf = (scalar: string): unknown => (loadYamlDocument(`v: ${scalar}\n`, false).value as {v: unknown}).v

describe('manifest YAML scalars (go-yaml v2 rules)', () => {
  const table: [string, unknown][] = [
    // YAML 1.1 booleans, exactly the spellings go-yaml knows
    ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true],
    ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false],
    ['on', true], ['On', true], ['ON', true], ['off', false], ['Off', false], ['OFF', false],
    ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
    ['yES', 'yES'], ['tRUE', 'tRUE'], ['oN', 'oN'], ['yes!', 'yes!'], ['on-call', 'on-call'],
    // nulls
    ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'],
    // integers: legacy octal, hex, binary, 0o, signs, underscores
    ['0644', 420], ['-0644', -420], ['+0644', 420], ['0', 0], ['00', 0], ['-0', 0],
    ['0x1F', 31], ['0X1f', 31], ['-0x1F', -31], ['0b101', 5], ['0B101', 5], ['-0b101', -5],
    ['0o17', 15], ['0O17', 15], ['+1', 1], ['-17', -17], ['1_000', 1000], ['1__0', 10], ['0x_1F', 31],
    ['12345678901234567890', 12345678901234567890], ['0x', '0x'], ['0b2', '0b2'],
    // a non-octal leading zero falls through to the float pattern
    ['09', 9], ['0999', 999],
    // floats
    ['1.5', 1.5], ['1e3', 1000], ['1E3', 1000], ['1e+3', 1000], ['-1.5e-3', -0.0015], ['.5', 0.5], ['+.5', 0.5],
    ['-.5', -0.5], ['1.', 1], ['1_0.5', 10.5], ['1e400', '1e400'], ['._5', '._5'], ['.', '.'], ['1e', '1e'],
    ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity], ['+.inf', Infinity], ['-.inf', -Infinity],
    ['-.Inf', -Infinity], ['.iNF', '.iNF'],
    // strings that other YAML libraries turn into something else
    ['2001-12-14', '2001-12-14'], ['2001-12-14T21:59:43.10Z', '2001-12-14T21:59:43.10Z'], ['1:30', '1:30'],
    ['12:30:00', '12:30:00'], ['_1', '_1'], ['+', '+'], ['0.0.0.0', '0.0.0.0'], ['1.2.3', '1.2.3'],
    ['<<', '<<'], ['=', '='],
  ]
  for (const [scalar, expected] of table) {
    it(`${scalar} -> ${typeof expected === 'string' ? JSON.stringify(expected) : String(expected)}`, () => {
      assert.deepEqual(valueOf(scalar), expected)
      assert.deepEqual(resolveScalar(scalar), expected)
    })
  }

  it('leaves a lone sign a string', () => {
    assert.equal(resolveScalar('-'), '-')
    assert.equal(resolveScalar('+'), '+')
  })

  it('resolves .nan to NaN', () => {
    assert.ok(Number.isNaN(valueOf('.nan')))
    assert.ok(Number.isNaN(valueOf('.NaN')))
    assert.equal(valueOf('.naN'), '.naN')
  })

  it('keeps quoted scalars as strings', () => {
    const doc = loadYamlDocument(`a: "yes"\nb: '0644'\nc: "1e3"\nd: 'null'\ne: "~"\n`, false).value
    assert.deepEqual(doc, {a: 'yes', b: '0644', c: '1e3', d: 'null', e: '~'})
  })

  it('reads an empty value as null', () => {
    assert.deepEqual(loadYamlDocument('a:\nb: ""\n', false).value, {a: null, b: ''})
  })

  it('turns resolved map keys into strings the way kubectl does', () => {
    const doc = loadYamlDocument('yes: 1\nn: 2\n0644: 3\n0x10: 4\n1.5: 5\n"on": 6\nnull: 7\n', false).value
    assert.deepEqual(doc, {true: 1, false: 2, 420: 3, 16: 4, '1.5': 5, on: 6, null: 7})
  })

  it('honours explicit tags', () => {
    const doc = loadYamlDocument(
      'a: !!str 0644\nb: !!int "0644"\nc: !!float "1"\nd: !!bool "yes"\ne: !!null ""\nf: !!str yes\ng: !!binary aGVsbG8=\nh: !!timestamp 2001-12-14\n',
      false,
    ).value
    assert.deepEqual(doc, {a: '0644', b: 420, c: 1, d: true, e: null, f: 'yes', g: 'hello', h: '2001-12-14'})
  })

  it('rejects an explicit tag its value does not fit', () => {
    assert.throws(() => loadYamlDocument('a: !!int abc\n', false), /cannot resolve a node with !<tag:yaml.org,2002:int>/)
  })

  it('passes unknown tags through instead of failing', () => {
    const doc = loadYamlDocument('a: !foo bar\nb: !Ref [x]\nc: !!set {x: null}\n', false).value
    assert.deepEqual(doc, {a: 'bar', b: ['x'], c: {x: null}})
  })

  it('applies merge keys, with keys written in the map winning', () => {
    const doc = loadYamlDocument(
      'base: &b {image: nginx, pull: Always}\nother: &o {port: 80, image: other}\nc:\n  <<: [*b, *o]\n  pull: Never\n',
      false,
    ).value as Record<string, unknown>
    assert.deepEqual(doc.c, {image: 'nginx', pull: 'Never', port: 80})
  })

  it('lets the last duplicate key win unless strict', () => {
    assert.deepEqual(loadYamlDocument('image: a\nimage: b\n', false).value, {image: 'b'})
    assert.throws(() => loadYamlDocument('image: a\nimage: b\n', true), /duplicated mapping key/)
  })

  it('reports NaN and infinities, which kubectl cannot encode as JSON', () => {
    assert.equal(loadYamlDocument('a: .inf\n', false).nonFinite, true)
    assert.equal(loadYamlDocument('a: !!float .nan\n', false).nonFinite, true)
    assert.equal(loadYamlDocument('a: 1.5\nb: ".inf"\n', false).nonFinite, false)
  })

  it('allows nesting deeper than js-yaml allows by default', () => {
    const depth = 300
    let text = ''
    for (let i = 0; i < depth; i++) text += `${' '.repeat(i * 2)}k${i}:\n`
    text += `${' '.repeat(depth * 2)}leaf: 1\n`
    let node = loadYamlDocument(text, false).value as Record<string, unknown>
    for (let i = 0; i < depth; i++) node = node[`k${i}`] as Record<string, unknown>
    assert.deepEqual(node, {leaf: 1})
  })
})
