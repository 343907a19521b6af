// Cases ported from apimachinery's fields/selector_test.go, plus the exact error texts.
import {strict as assert} from 'node:assert'
import {
  FieldSelectorError,
  escapeFieldValue,
  everythingFields,
  fieldSelectorFromSet,
  parseAndTransformFieldSelector,
  parseFieldSelector,
  unescapeFieldValue,
} from '../../../src/api/fields.js'

function parseError(s: string): string {
  try {
    parseFieldSelector(s)
  } catch (e) {
    assert.ok(e instanceof FieldSelectorError)
    return e.message
  }
  assert.fail(`expected ${JSON.stringify(s)} to fail`)
}

describe('fields.ParseSelector round trip', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    it(`restrings ${JSON.stringify(s)}`, () => assert.equal(parseFieldSelector(s).toString(), s))
  }
  for (const s of ['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x']) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseFieldSelector(s), FieldSelectorError))
  }
  it('is deterministic', () => assert.equal(parseFieldSelector('x=a,a=x').toString(), parseFieldSelector('a=x,x=a').toString()))
})

describe('fields canonical form and requirements', () => {
  const cases: [string, string, [string, string, string][]][] = [
    ['b=1,a=2', 'a=2,b=1', [['a', '=', '2'], ['b', '=', '1']]],
    ['a==1', 'a=1', [['a', '=', '1']]],
    ['a!=1', 'a!=1', [['a', '!=', '1']]],
    ['a=', 'a=', [['a', '=', '']]],
    ['a=1,', 'a=1', [['a', '=', '1']]],
    [',a=1', 'a=1', [['a', '=', '1']]],
    ['k=\\,,k2=v2', 'k2=v2,k=\\,', [['k2', '=', 'v2'], ['k', '=', ',']]],
    ['k=\\\\,k2=v2', 'k2=v2,k=\\\\', [['k2', '=', 'v2'], ['k', '=', '\\']]],
    ['k=\\\\\\,,k2=v2', 'k2=v2,k=\\\\\\,', [['k2', '=', 'v2'], ['k', '=', '\\,']]],
    ['함=수,목=록', '목=록,함=수', [['목', '=', '록'], ['함', '=', '수']]],
    ['metadata.name=web,status.phase!=Running', 'metadata.name=web,status.phase!=Running', [['metadata.name', '=', 'web'], ['status.phase', '!=', 'Running']]],
    ['=', '', []],
    ['spec.nodeName=', 'spec.nodeName=', [['spec.nodeName', '=', '']]],
  ]
  for (const [input, canonical, reqs] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(canonical)}`, () => {
      const s = parseFieldSelector(input)
      assert.equal(s.toString(), canonical)
      assert.deepEqual(
        s.requirements().map((r) => [r.field, r.operator, r.value]),
        reqs,
      )
    })
  }
})

describe('fields error messages', () => {
  const cases: [string, string][] = [
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['x=\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
  ]
  for (const [input, message] of cases) it(JSON.stringify(input), () => assert.equal(parseError(input), message))
})

describe('fields escaping', () => {
  const pairs: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ]
  for (const [raw, escaped] of pairs) {
    it(`escapes ${JSON.stringify(raw)}`, () => {
      assert.equal(escapeFieldValue(raw), escaped)
      assert.equal(unescapeFieldValue(escaped), raw)
    })
  }
  for (const bad of ['\\', '\\\\\\', '\\a']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => unescapeFieldValue(bad), {message: /invalid escape sequence/}))
  }
  it('refuses a bare comma', () => {
    assert.throws(() => unescapeFieldValue('a,b'), {message: 'invalid field selector: unescaped character in value: 44'})
  })
})

describe('fields matching', () => {
  const fieldset = {foo: 'bar', baz: 'blah', complex: '=value\\,\\'}
  const cases: [string, Record<string, string>, boolean][] = [
    ['', {x: 'y'}, true],
    ['x=y', {x: 'y'}, true],
    ['x=y,z=w', {x: 'y', z: 'w'}, true],
    ['x!=y,z!=w', {x: 'z', z: 'a'}, true],
    ['notin=in', {notin: 'in'}, true],
    ['x=y', {x: 'z'}, false],
    ['x=y,z=w', {x: 'w', z: 'w'}, false],
    ['x!=y,z!=w', {x: 'z', z: 'w'}, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    ['missing=', {}, true],
    ['missing!=', {}, false],
    ['missing!=x', {}, true],
  ]
  for (const [sel, set, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'}`, () => assert.equal(parseFieldSelector(sel).matches(set), want))
  }
})

describe('fields sets, emptiness and exact matches', () => {
  const labels = {foo: 'bar', baz: 'blah'}
  for (const set of [{}, {foo: 'bar'}, {baz: 'blah'}, {foo: 'bar', baz: 'blah'}] as Record<string, string>[]) {
    it(`set ${JSON.stringify(set)} matches`, () => assert.ok(fieldSelectorFromSet(set).matches(labels)))
  }
  for (const set of [{foo: '=blah'}, {baz: '=bar'}, {foo: '=bar', foobar: 'bar', baz: 'blah'}] as Record<string, string>[]) {
    it(`set ${JSON.stringify(set)} does not match`, () => assert.ok(!fieldSelectorFromSet(set).matches(labels)))
  }
  it('nil and empty sets are empty', () => {
    assert.ok(fieldSelectorFromSet(null).empty())
    assert.ok(fieldSelectorFromSet({}).empty())
    assert.ok(everythingFields().empty())
    assert.ok(everythingFields().matches({x: 'y'}))
  })
  it('a set escapes its values when printed', () => assert.equal(fieldSelectorFromSet({a: 'x,y'}).toString(), 'a=x\\,y'))
  it('single terms are not empty', () => {
    assert.ok(!parseFieldSelector('a=b').empty())
    assert.ok(!parseFieldSelector('a!=b').empty())
  })
  const exact: [string, string, string | undefined][] = [
    ['', 'test', undefined],
    ['a=b', 'test', undefined],
    ['test=b', 'test', 'b'],
    ['test=', 'test', ''],
    ['test!=b', 'test', undefined],
    ['a=x,test=b', 'test', 'b'],
  ]
  for (const [sel, field, want] of exact) {
    it(`requiresExactMatch(${JSON.stringify(sel)}, ${field})`, () => assert.equal(parseFieldSelector(sel).requiresExactMatch(field), want))
  }
})

describe('fields transform', () => {
  it('rewrites terms and drops ones mapped to nothing', () => {
    const s = parseAndTransformFieldSelector('metadata.name=web,drop=me', (f, v) => (f === 'drop' ? ['', ''] : [f.toUpperCase(), v]))
    assert.equal(s.toString(), 'METADATA.NAME=web')
  })
  it('propagates a rejection', () => {
    assert.throws(
      () =>
        parseAndTransformFieldSelector('bogus=1', (f) => {
          throw new Error(`"${f}" is not a known field selector`)
        }),
      {message: '"bogus" is not a known field selector'},
    )
  })
})
