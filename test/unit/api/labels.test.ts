// Cases ported from apimachinery's labels/selector_test.go, meta/v1 helpers_test.go and
// meta/v1/validation tests, plus the exact error texts the parser produces.
import {strict as assert} from 'node:assert'
import {
  type LabelSelector,
  type Operator,
  LabelSelectorError,
  everything,
  formatLabelSelector,
  newRequirement,
  nothing,
  parseSelector,
  parseToRequirements,
  requirementToString,
  selectorFromLabelSelector,
  selectorFromSet,
  validateLabelSelector,
  validatedSelectorFromSet,
} from '../../../src/api/labels.js'
import {formatFieldError} from '../../../src/api/names.js'

function parseError(s: string): string {
  try {
    parseSelector(s)
  } catch (e) {
    assert.ok(e instanceof LabelSelectorError)
    return e.message
  }
  assert.fail(`expected ${JSON.stringify(s)} to fail`)
}

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

describe('labels.Parse round trip', () => {
  // Upstream: a good selector restrings to itself with spaces removed.
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    it(`restrings ${JSON.stringify(s)}`, () => assert.equal(parseSelector(s).toString(), s.replaceAll(' ', '')))
  }
  for (const s of ['x=a||y=b', 'x==a==b', '!x=a', 'x<a']) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseSelector(s), LabelSelectorError))
  }
  it('is deterministic', () => assert.equal(parseSelector('x=a,a=x').toString(), parseSelector('a=x,x=a').toString()))
})

describe('labels selector matching', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['', {x: 'y'}, true],
    ['x=y', {x: 'y'}, true],
    ['x=y,z=w', {x: 'y', z: 'w'}, true],
    ['x!=y,z!=w', {x: 'z', z: 'a'}, true],
    ['notin=in', {notin: 'in'}, true],
    ['x', {x: 'z'}, true],
    ['!x', {y: 'z'}, true],
    ['x>1', {x: '2'}, true],
    ['x<1', {x: '0'}, true],
    ['x=z', {}, false],
    ['x=y', {x: 'z'}, false],
    ['x=y,z=w', {x: 'w', z: 'w'}, false],
    ['x!=y,z!=w', {x: 'z', z: 'w'}, false],
    ['x', {y: 'z'}, false],
    ['!x', {x: 'z'}, false],
    ['x>1', {x: '0'}, false],
    ['x<1', {x: '2'}, false],
    ['foo=bar', {foo: 'bar', baz: 'blah'}, true],
    ['baz=blah', {foo: 'bar', baz: 'blah'}, true],
    ['foo=bar,baz=blah', {foo: 'bar', baz: 'blah'}, true],
    ['foo=blah', {foo: 'bar', baz: 'blah'}, false],
    ['baz=bar', {foo: 'bar', baz: 'blah'}, false],
    ['foo=bar,foobar=bar,baz=blah', {foo: 'bar', baz: 'blah'}, false],
    ['x in (foo),y notin (alpha)', {x: 'foo', y: 'baz'}, true],
    ['x in (foo),y in (alpha)', {x: 'foo', y: 'baz'}, false],
    ['x notin (),y', {y: ''}, true],
    ['!x,y', {y: ''}, true],
    ['x notin (),!y', {y: ''}, false],
    ['x in ()', {y: 'baz'}, false],
    ['z>1', {z: '2'}, true],
    ['z>1', {z: 'v2'}, false],
    ['x!=a', {}, true],
    ['x notin (a)', {}, true],
    ['x in (a,b)', {x: 'b'}, true],
    ['x>3', {x: '10'}, true],
    ['x<3', {x: '-4'}, true],
    ['x>9223372036854775806', {x: '9223372036854775807'}, true],
  ]
  for (const [sel, set, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(set)}`, () => {
      assert.equal(parseSelector(sel).matches(set), want)
    })
  }
  it('treats missing labels as an empty set', () => {
    assert.equal(parseSelector('!x').matches(undefined), true)
    assert.equal(parseSelector('x').matches(undefined), false)
  })
})

describe('labels.Parse set-based syntax', () => {
  const cases: [string, string][] = [
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,def)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a', 'x=a'],
    ['x>1', 'x>1'],
    ['x<7', 'x<7'],
    ['x=a,y!=b', 'x=a,y!=b'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['x==a', 'x==a'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['in in (in)', 'in in (in)'],
    ['x,y', 'x,y'],
  ]
  for (const [input, canonical] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => assert.equal(parseSelector(input).toString(), canonical))
  }
  for (const bad of ['x>-5', 'x=a||y=b', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '(']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseSelector(bad), LabelSelectorError))
  }
})

describe('labels.Parse error messages', () => {
  const cases: [string, string][] = [
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['env IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a in (x,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!!a', "unable to parse requirement: found '!', expected: identifier"],
    ['a:', `unable to parse requirement: <nil>: Invalid value: "a:": ${NAME_PART_MSG}`],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x=-a', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${LABEL_VALUE_MSG}`],
    [
      'x in (ok,-b)',
      `unable to parse requirement: values[0][x]: Invalid value: "-b": ${LABEL_VALUE_MSG}`,
    ],
    [
      'x>-b',
      `unable to parse requirement: [values[0]: Invalid value: "-b": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "-b": ${LABEL_VALUE_MSG}]`,
    ],
  ]
  for (const [input, message] of cases) it(`${JSON.stringify(input)}`, () => assert.equal(parseError(input), message))

  it('names the given path in key errors', () => {
    assert.throws(() => parseSelector('a:', 'spec.selector'), {message: /^unable to parse requirement: spec\.selector: Invalid value: "a:"/})
  })
})

describe('labels.NewRequirement', () => {
  const cases: [string, Operator, string[], boolean][] = [
    ['x', 'in', [], false],
    ['x', 'notin', [], false],
    ['x', 'in', ['foo'], true],
    ['x', 'notin', ['foo'], true],
    ['x', 'exists', [], true],
    ['x', '!', [], true],
    ['1foo', 'in', ['bar'], true],
    ['1234', 'in', ['bar'], true],
    ['y', 'gt', ['1'], true],
    ['z', 'lt', ['6'], true],
    ['foo', 'gt', ['bar'], false],
    ['barz', 'lt', ['blah'], false],
    ['a'.repeat(254), 'exists', [], false],
    ['x', '=', ['a', 'b'], false],
    ['x', 'exists', ['a'], false],
  ]
  for (const [key, op, values, ok] of cases) {
    it(`${key.slice(0, 10)} ${op} ${JSON.stringify(values)} -> ${ok ? 'ok' : 'error'}`, () => {
      if (ok) assert.doesNotThrow(() => newRequirement(key, op, values))
      else assert.throws(() => newRequirement(key, op, values), LabelSelectorError)
    })
  }
  it('words operator and value-count errors like upstream', () => {
    assert.throws(() => newRequirement('x', 'in', []), {message: "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"})
    assert.throws(() => newRequirement('x', '=', ['a', 'b']), {message: 'values: Invalid value: ["a","b"]: exact-match compatibility requires one single value'})
    assert.throws(() => newRequirement('x', 'bogus' as Operator, []), {
      message: 'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
    })
  })
})

describe('Requirement.String', () => {
  const cases: [string, Operator, string[], string][] = [
    ['x', 'in', ['abc', 'def'], 'x in (abc,def)'],
    ['y', 'notin', ['jkl'], 'y notin (jkl)'],
    ['z', 'exists', [], 'z'],
    ['z', '!', [], '!z'],
    ['y', '!=', ['jkl'], 'y!=jkl'],
    ['z', 'notin', [''], 'z notin ()'],
    ['x', '=', ['abc'], 'x=abc'],
    ['y', '==', ['jkl'], 'y==jkl'],
    ['x', 'gt', ['2'], 'x>2'],
    ['y', 'lt', ['8'], 'y<8'],
    ['x', 'in', ['def', 'abc'], 'x in (abc,def)'],
  ]
  for (const [key, op, values, want] of cases) {
    it(want, () => assert.equal(requirementToString(newRequirement(key, op, values)), want))
  }
  it('sorts requirements by key when added', () => {
    const s = everything().add(newRequirement('z', 'exists'), newRequirement('x', 'in', ['abc', 'def']), newRequirement('y', 'notin', ['jkl']))
    assert.equal(s.toString(), 'x in (abc,def),y notin (jkl),z')
  })
})

describe('sets and special selectors', () => {
  const labels = {foo: 'bar', baz: 'blah'}
  for (const set of [{}, {foo: 'bar'}, {baz: 'blah'}, {foo: 'bar', baz: 'blah'}] as Record<string, string>[]) {
    it(`set ${JSON.stringify(set)} matches`, () => assert.ok(selectorFromSet(set).matches(labels)))
  }
  for (const set of [{foo: '=blah'}, {baz: '=bar'}, {foo: '=bar', foobar: 'bar', baz: 'blah'}] as Record<string, string>[]) {
    it(`set ${JSON.stringify(set)} does not match`, () => assert.ok(!selectorFromSet(set).matches(labels)))
  }
  it('nil and empty sets are empty selectors', () => {
    assert.ok(selectorFromSet(undefined).empty())
    assert.ok(selectorFromSet({}).empty())
  })
  it('prints a set sorted', () => assert.equal(selectorFromSet({b: '2', a: '1'}).toString(), 'a=1,b=2'))
  it('validates a set on request', () => {
    assert.throws(() => validatedSelectorFromSet({'a b': 'c'}), {message: /^key: Invalid value: "a b"/})
  })
  it('everything matches and is empty', () => {
    assert.ok(everything().matches({x: 'y'}))
    assert.ok(everything().empty())
  })
  it('nothing matches nothing and is not empty', () => {
    assert.ok(!nothing().matches({}))
    assert.ok(!nothing().empty())
    assert.equal(nothing().selectable(), false)
    assert.equal(nothing().toString(), '')
  })
  it('reports exact matches', () => {
    const s = parseSelector('a=1,b in (2),c in (3,4),d!=5')
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((k) => s.requiresExactMatch(k)), ['1', '2', undefined, undefined, undefined])
  })
  it('exposes requirements sorted by key', () => {
    assert.deepEqual(parseToRequirements('b in (y,x),a'), [
      {key: 'a', operator: 'exists', values: []},
      {key: 'b', operator: 'in', values: ['x', 'y']},
    ])
  })
})

describe('LabelSelectorAsSelector', () => {
  const matchExpressions = [{key: 'baz', operator: 'In', values: ['qux', 'norf']}]
  const cases: [LabelSelector | null | undefined, string][] = [
    [{matchLabels: {foo: 'bar'}}, 'foo=bar'],
    [{matchExpressions}, 'baz in (norf,qux)'],
    [{matchLabels: {foo: 'bar'}, matchExpressions}, 'baz in (norf,qux),foo=bar'],
    [{matchExpressions: [{key: 'a', operator: 'Exists'}, {key: 'b', operator: 'DoesNotExist'}, {key: 'c', operator: 'NotIn', values: ['x']}]}, 'a,!b,c notin (x)'],
  ]
  for (const [ls, want] of cases) it(want, () => assert.equal(selectorFromLabelSelector(ls).toString(), want))
  it('a missing selector selects nothing', () => {
    assert.ok(!selectorFromLabelSelector(null).matches({}))
    assert.ok(!selectorFromLabelSelector(undefined).empty())
  })
  it('an empty selector selects everything', () => {
    assert.ok(selectorFromLabelSelector({}).matches({a: 'b'}))
    assert.ok(selectorFromLabelSelector({matchLabels: {}, matchExpressions: []}).empty())
  })
  it('rejects values with Exists', () => {
    assert.throws(() => selectorFromLabelSelector({matchExpressions: [{key: 'baz', operator: 'Exists', values: ['qux', 'norf']}]}), {
      message: 'values: Invalid value: ["qux","norf"]: values set must be empty for exists and does not exist',
    })
  })
  it('rejects In without values, showing nil', () => {
    assert.throws(() => selectorFromLabelSelector({matchExpressions: [{key: 'a', operator: 'In', values: []}]}), {
      message: "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    })
  })
  it('rejects an unknown operator', () => {
    assert.throws(() => selectorFromLabelSelector({matchExpressions: [{key: 'a', operator: 'Equals'}]}), {
      message: '"Equals" is not a valid pod selector operator',
    })
  })
  it('formats for describe', () => {
    assert.equal(formatLabelSelector({matchLabels: {app: 'web'}}), 'app=web')
    assert.equal(formatLabelSelector({}), '<none>')
    assert.equal(formatLabelSelector(null), '<none>')
    assert.equal(formatLabelSelector({matchExpressions: [{key: 'a', operator: 'Bad'}]}), '<error>')
  })
})

describe('ValidateLabelSelector', () => {
  const cases: [LabelSelector | null, string[]][] = [
    [null, []],
    [{matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'In', values: ['a']}]}, []],
    [
      {matchExpressions: [{key: 'a', operator: 'In'}]},
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      {matchExpressions: [{key: 'a', operator: 'NotIn', values: []}]},
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      {matchExpressions: [{key: 'a', operator: 'Exists', values: ['x']}]},
      ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [
      {matchExpressions: [{key: 'ok', operator: 'Exists'}, {key: 'a', operator: 'Equals', values: ['x']}]},
      ['spec.selector.matchExpressions[1].operator: Invalid value: "Equals": not a valid selector operator'],
    ],
    [
      {matchExpressions: [{key: '-a', operator: 'DoesNotExist'}]},
      [`spec.selector.matchExpressions[0].key: Invalid value: "-a": ${NAME_PART_MSG}`],
    ],
    [
      {matchExpressions: [{key: 'a', operator: 'In', values: ['ok', '-bad']}]},
      [`spec.selector.matchExpressions[0].values[1]: Invalid value: "-bad": ${LABEL_VALUE_MSG}`],
    ],
    [{matchLabels: {'a b': 'c'}}, [`spec.selector.matchLabels: Invalid value: "a b": ${NAME_PART_MSG}`]],
  ]
  cases.forEach(([ls, want], i) => {
    it(`case ${i}: ${want[0] ?? 'valid'}`, () => assert.deepEqual(validateLabelSelector(ls, 'spec.selector').map(formatFieldError), want))
  })
  it('can tolerate invalid values for old objects', () => {
    const ls = {matchExpressions: [{key: 'a', operator: 'In', values: ['-bad']}]}
    assert.deepEqual(validateLabelSelector(ls, 'spec.selector', {allowInvalidLabelValueInSelector: true}), [])
  })
})
