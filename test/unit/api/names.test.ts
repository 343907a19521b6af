// Cases ported from apimachinery's util/validation, api/validate/content and api/validation tests,
// plus exact-message checks against the texts the API server prints.
import {strict as assert} from 'node:assert'
import {
  type FieldError,
  aggregateFieldErrors,
  compareGoStrings,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  formatFieldError,
  formatGoValue,
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isHTTPHeaderName,
  isInRange,
  isQualifiedName,
  isValidIP,
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  quoteGo,
  validateAnnotations,
  validateLabels,
  validatePathSegmentName,
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
} from '../../../src/api/names.js'

const r = (c: string, n: number): string => c.repeat(n)

function checkValidity(name: string, fn: (v: string) => string[], good: string[], bad: string[]): void {
  describe(name, () => {
    for (const v of good) {
      it(`accepts ${JSON.stringify(v.length > 40 ? v.slice(0, 20) + '…' : v)}`, () => assert.deepEqual(fn(v), []))
    }
    for (const v of bad) {
      it(`rejects ${JSON.stringify(v.length > 40 ? v.slice(0, 20) + '…' : v)}`, () => assert.notEqual(fn(v).length, 0))
    }
  })
}

const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

checkValidity(
  'isDNS1123Label',
  isDNS1123Label,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)],
  ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)],
)

checkValidity(
  'isDNS1123Subdomain',
  isDNS1123Subdomain,
  ['a', 'ab', 'a-1', 'a--1--2--b', '0', '1a', 'a.a', 'ab.a', 'a--1--2--b.a', 'a.1', '0.a', '012.a', '0.1', '1--a--b--2.1',
    'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', r('a', 253)],
  ['', 'A', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a b', 'A.a', 'aB.a',
    'ab.A', '0.A', 'A.B.C.D.E', 'a.B.c.d.e', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', r('a', 254)],
)

checkValidity(
  'isDNS1035Label',
  isDNS1035Label,
  ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', r('a', 63)],
  ['0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.b', ' ', 'a b', r('a', 64)],
)

checkValidity(
  'isQualifiedName',
  isQualifiedName,
  ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
    '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
    r('a', 63), r('a', 253) + '/' + r('b', 63)],
  ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
    'example_com/abc', 'example.com/', '/simple', r('a', 64), r('a', 254) + '/abc'],
)

checkValidity(
  'isValidLabelValue',
  isValidLabelValue,
  ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), ''],
  ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
    '.starts.with.dot', 'ends.with.dot.', r('a', 64)],
)

checkValidity(
  'isValidPortName',
  isValidPortName,
  ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
  ['longerthan15characters', '', r('a', 16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'],
)

checkValidity(
  'isValidPercent',
  isValidPercent,
  ['0%', '00000%', '1%', '01%', '99%', '100%', '101%'],
  ['', '0', '100', '0.0%', '99.9%', 'hundred', ' 1%', '1% ', '-0%', '-1%', '+1%'],
)

checkValidity(
  'isConfigMapKey',
  isConfigMapKey,
  ['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'],
  ['.', '..', '..bad', 'b*d', 'bad!&bad'],
)

checkValidity(
  'isWildcardDNS1123Subdomain',
  isWildcardDNS1123Subdomain,
  ['*.example.com', '*.bar.com', '*.foo.bar.com'],
  ['*.*.bar.com', '*.foo.*.com', '*bar.com', 'f*.bar.com', '*'],
)

checkValidity(
  'isHTTPHeaderName',
  isHTTPHeaderName,
  ['Accept-Encoding', 'Host', 'If-Modified-Since', 'X-Forwarded-For', 'a', '-a', 'a-', '--abc-123', 'A--1--2--B'],
  ['Host:', 'X-Forwarded-For:', 'X-@Home', '', '_', 'a.b', ' ', 'a b', '#a#', '^', ',', ';', '=', '<', '?', '@', '{'],
)

checkValidity(
  'isCIdentifier',
  isCIdentifier,
  ['a', 'ab', 'abc', 'a1', '_a', 'a_', 'a_b', 'a_1', '__1__2__b', '__abc_123', 'A', 'AB', 'AbC', 'A1', '_A', 'A_', 'A_B'],
  ['', '1', '123', '1a', '-', 'a-', '-a', 'a-b', 'a.b', ' ', 'a b', '#a#', '^'],
)

checkValidity(
  'isEnvVarName',
  isEnvVarName,
  ['a', 'abc', 'A', 'ABC', 'aBc', 'A1', 'A_1', 'a-1', 'A-1', '.a', '-a', '_a', 'a.b', 'my.env-name', 'MY_ENV.NAME'],
  ['', '1', '123', '1a', '.', '..', '..a', 'a b', '#a#', '^', 'a=b'],
)

checkValidity(
  'isValidIP',
  isValidIP,
  ['0.0.0.0', '1.1.1.1', '127.0.0.1', '192.168.0.1', '255.255.255.255', '010.001.002.003', '::', '::1', '2001:db8::ffff',
    '2001:0db8:0000:0000:0000:0000:0000:0001', '1:2:3:4:5:6:7:8', '::ffff:1.2.3.4', '::1.2.3.4', '1::8'],
  ['', 'a', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.4 ', '-1.2.3.4', '1..2.3', '1:2:3:4:5:6:7:8:9', ':::', '1::2::3',
    '1:2:3:4:5:6:7::8', '1.2.3.4/24', 'fe80::1%eth0', 'g::1', '1:2:3:4:5:6:1.2.3.4:5'],
)

describe('IPv4 / IPv6 distinction', () => {
  const cases: [string, boolean, boolean][] = [
    ['1.2.3.4', true, false],
    ['::ffff:1.2.3.4', true, false],
    ['::ffff:0102:0304', true, false],
    ['2001:db8::1', false, true],
    ['::1', false, true],
    ['nonsense', false, false],
  ]
  for (const [ip, v4, v6] of cases) {
    it(`${ip}: v4=${v4} v6=${v6}`, () => {
      assert.equal(isValidIPv4Address(ip).length === 0, v4)
      assert.equal(isValidIPv6Address(ip).length === 0, v6)
    })
  }
  it('words the failures as apimachinery does', () => {
    assert.deepEqual(isValidIP('x'), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'])
    assert.deepEqual(isValidIPv4Address('::1'), ['must be a valid IPv4 address'])
    assert.deepEqual(isValidIPv6Address('1.2.3.4'), ['must be a valid IPv6 address'])
  })
})

describe('numeric ranges', () => {
  for (const p of [1, 2, 1000, 16384, 32768, 65535]) it(`port ${p} is valid`, () => assert.deepEqual(isValidPortNum(p), []))
  for (const p of [0, -1, 65536, 100000]) {
    it(`port ${p} is invalid`, () => assert.deepEqual(isValidPortNum(p), ['must be between 1 and 65535, inclusive']))
  }
  const ranges: [number, number, number, boolean][] = [
    [1, 0, 10, true], [5, 5, 20, true], [25, 10, 25, true], [1, 2, 10, false], [5, -4, 2, false], [25, 100, 120, false],
  ]
  for (const [v, lo, hi, ok] of ranges) {
    it(`isInRange(${v}, ${lo}, ${hi}) is ${ok}`, () => {
      assert.deepEqual(isInRange(v, lo, hi), ok ? [] : [`must be between ${lo} and ${hi}, inclusive`])
    })
  }
})

describe('exact messages', () => {
  const cases: [string, () => string[], string[]][] = [
    ['uppercase label', () => isDNS1123Label('Web'), [DNS_LABEL_MSG]],
    ['label with dots', () => isDNS1123Label('a.b'), ['must not contain dots']],
    ['long label', () => isDNS1123Label(r('a', 64)), ['must be no more than 63 characters']],
    ['long label with bad chars', () => isDNS1123Label(r('A', 64)), ['must be no more than 63 characters', DNS_LABEL_MSG]],
    ['bad subdomain', () => isDNS1123Subdomain('a_b'), [DNS_SUBDOMAIN_MSG]],
    ['long subdomain', () => isDNS1123Subdomain(r('a', 254)), ['must be no more than 253 characters']],
    ['bad 1035 label', () => isDNS1035Label('1a'), [DNS1035_MSG]],
    ['qualified name ending in dash', () => isQualifiedName('cantendwithadash-'), [NAME_PART_MSG]],
    ['empty name part', () => isQualifiedName('example.com/'), ['name part must be non-empty', NAME_PART_MSG]],
    ['empty prefix', () => isQualifiedName('/simple'), ['prefix part must be non-empty']],
    ['uppercase prefix', () => isQualifiedName('Example.com/abc'), ['prefix part ' + DNS_SUBDOMAIN_MSG]],
    ['long prefix', () => isQualifiedName(r('a', 254) + '/abc'), ['prefix part must be no more than 253 bytes']],
    ['long name part', () => isQualifiedName(r('a', 64)), ['name part must be no more than 63 bytes']],
    [
      'two slashes',
      () => isQualifiedName('only/one/slash'),
      [
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    ['bad label value', () => isValidLabelValue('-x'), [LABEL_VALUE_MSG]],
    ['long label value', () => isValidLabelValue(r('a', 64)), ['must be no more than 63 bytes']],
    ['multi-byte value counts bytes', () => isValidLabelValue(r('é', 32)), ['must be no more than 63 bytes', LABEL_VALUE_MSG]],
    [
      'port name problems',
      () => isValidPortName('-12--'),
      [
        'must contain at least one letter (a-z)',
        'must not contain consecutive hyphens',
        'must not begin or end with a hyphen',
      ],
    ],
    ['long port name', () => isValidPortName(r('a', 16)), ['must be no more than 15 characters']],
    ['port name charset', () => isValidPortName('a_b'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
    [
      'env var name',
      () => isEnvVarName('1a'),
      [
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
      ],
    ],
    ['env var ..', () => isEnvVarName('..'), ["must not be '..'"]],
    ['config key .', () => isConfigMapKey('.'), ["must not be '.'"]],
    ['config key ..bad', () => isConfigMapKey('..bad'), ["must not start with '..'"]],
    [
      'config key charset',
      () => isConfigMapKey('b*d'),
      ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
    ],
    [
      'percent',
      () => isValidPercent('1.5%'),
      ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ],
    [
      'C identifier',
      () => isCIdentifier('1a'),
      ["a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"],
    ],
    [
      'wildcard',
      () => isWildcardDNS1123Subdomain('*'),
      ["a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    ],
    [
      'HTTP header',
      () => isHTTPHeaderName('a b'),
      ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"],
    ],
  ]
  for (const [name, fn, want] of cases) it(name, () => assert.deepEqual(fn(), want))
})

describe('validatePathSegmentName', () => {
  const cases: [string, boolean, string[]][] = [
    ['a', false, []],
    ['.', false, ["may not be '.'"]],
    ['..', false, ["may not be '..'"]],
    ['.', true, []],
    ['..', true, []],
    ['a/b', false, ["may not contain '/'"]],
    ['a%b', false, ["may not contain '%'"]],
    ['a/%b', false, ["may not contain '/'", "may not contain '%'"]],
    ['a/b', true, ["may not contain '/'"]],
    ['...', false, []],
    ['.a', false, []],
  ]
  for (const [name, prefix, want] of cases) {
    it(`${JSON.stringify(name)} prefix=${prefix}`, () => assert.deepEqual(validatePathSegmentName(name, prefix), want))
  }
})

describe('name validators and generateName', () => {
  const cases: [string, (n: string, p: boolean) => string[], string, boolean, boolean][] = [
    ['subdomain', nameIsDNSSubdomain, 'foo-', true, true],
    ['subdomain', nameIsDNSSubdomain, 'foo-', false, false],
    ['subdomain', nameIsDNSSubdomain, 'foo.bar-', true, true],
    ['subdomain', nameIsDNSSubdomain, 'Foo-', true, false],
    ['label', nameIsDNSLabel, 'web-', true, true],
    ['label', nameIsDNSLabel, 'web.x-', true, false],
    ['label', nameIsDNSLabel, '-', true, false],
    ['1035', nameIsDNS1035Label, 'svc-', true, true],
    ['1035', nameIsDNS1035Label, '1svc-', true, false],
    // The mask drops two characters, so a two-character prefix is judged as "a".
    ['label', nameIsDNSLabel, '_-', true, true],
  ]
  for (const [kind, fn, name, prefix, ok] of cases) {
    it(`${kind} ${JSON.stringify(name)} prefix=${prefix} -> ${ok ? 'valid' : 'invalid'}`, () => {
      assert.equal(fn(name, prefix).length === 0, ok)
    })
  }
})

describe('validateLabels / validateAnnotations', () => {
  it('accepts good labels', () => assert.deepEqual(validateLabels({app: 'web', 'example.com/tier': ''}), []))
  it('reports a bad key and a bad value on the map path', () => {
    assert.deepEqual(validateLabels({'-x': 'ok', y: 'bad value'}).map(formatFieldError), [
      `metadata.labels: Invalid value: "-x": ${NAME_PART_MSG}`,
      `metadata.labels: Invalid value: "bad value": ${LABEL_VALUE_MSG}`,
    ])
  })
  it('uses the given path', () => {
    assert.equal(validateLabels({'a b': 'c'}, 'spec.template.metadata.labels')[0]!.field, 'spec.template.metadata.labels')
  })

  const goodAnnotations: Record<string, string>[] = [
    {simple: 'bar'}, {'now-with-dashes': 'bar'}, {'1-starts-with-num': 'bar'}, {'1234': 'bar'}, {'simple/simple': 'bar'},
    {'now.with.dots/simple': 'bar'}, {'1.2.3.4/5678': 'bar'}, {UpperCase123: 'bar'},
    {'Example.COM/Key': 'case does not matter'},
    {a: r('b', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 1)},
    {a: r('b', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2 - 1), c: r('d', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2 - 1)},
  ]
  goodAnnotations.forEach((a, i) => it(`accepts annotations case ${i}`, () => assert.deepEqual(validateAnnotations(a), [])))

  const badNames: [Record<string, string>, string][] = [
    [{'nospecialchars^=@': 'bar'}, 'name part must consist of'],
    [{'cantendwithadash-': 'bar'}, 'name part must consist of'],
    [{'only/one/slash': 'bar'}, 'a valid label key must consist of'],
    [{[r('a', 254)]: 'bar'}, 'must be no more than'],
  ]
  badNames.forEach(([a, want], i) =>
    it(`rejects annotation key case ${i}`, () => {
      const errs = validateAnnotations(a)
      assert.equal(errs.length, 1)
      assert.ok(errs[0]!.detail!.includes(want), errs[0]!.detail)
    }),
  )
  it('keeps the original key in the message', () => {
    assert.equal(formatFieldError(validateAnnotations({'Bad_': 'x'})[0]!), `metadata.annotations: Invalid value: "Bad_": ${NAME_PART_MSG}`)
  })
  const oversized: Record<string, string>[] = [
    {a: r('b', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES)},
    {a: r('b', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2), c: r('d', TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 2)},
  ]
  for (const a of oversized) {
    it(`rejects ${Object.keys(a).length} annotation(s) over 256 KiB`, () => {
      assert.deepEqual(validateAnnotations(a).map(formatFieldError), ['metadata.annotations: Too long: may not be more than 262144 bytes'])
    })
  }
})

describe('formatFieldError', () => {
  const cases: [FieldError, string][] = [
    [{field: 'spec.selector', type: 'Required value'}, 'spec.selector: Required value'],
    [fieldRequired('metadata.name', 'name or generateName is required'), 'metadata.name: Required value: name or generateName is required'],
    [fieldNotSupported('spec.x', 'Foo', ['A', 'B']), 'spec.x: Unsupported value: "Foo": supported values: "A", "B"'],
    [{field: 'spec.replicas', type: 'Invalid value', value: -1, detail: 'must be greater than or equal to 0'}, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [{field: 'f', type: 'Invalid value', value: true}, 'f: Invalid value: true'],
    [{field: 'f', type: 'Invalid value', value: null, detail: 'field is immutable'}, 'f: Invalid value: null: field is immutable'],
    [{field: 'f', type: 'Invalid value', value: ['a', 'b']}, 'f: Invalid value: ["a","b"]'],
    [{field: 'f', type: 'Invalid value', value: {k: '<&>'}}, 'f: Invalid value: {"k":"\\u003c\\u0026\\u003e"}'],
    [{field: 'f', type: 'Invalid value', value: 'a"b\\c\nd\u0001'}, 'f: Invalid value: "a\\"b\\\\c\\nd\\x01"'],
    [{field: 'f', type: 'Duplicate value', value: 'x'}, 'f: Duplicate value: "x"'],
    [{field: 'f', type: 'Not found', value: 'x'}, 'f: Not found: "x"'],
    [{field: 'f', type: 'Forbidden', detail: 'not allowed on this type'}, 'f: Forbidden: not allowed on this type'],
    [fieldTooLong('metadata.annotations', 262144), 'metadata.annotations: Too long: may not be more than 262144 bytes'],
    [fieldTooLong('f', 1), 'f: Too long: may not be more than 1 byte'],
    [fieldTooMany('f', 5, 3), 'f: Too many: 5: must have at most 3 items'],
    [fieldTooMany('f', -1, 1), 'f: Too many: must have at most 1 item'],
    [{field: 'f', type: 'Internal error', detail: 'boom'}, 'f: Internal error: boom'],
  ]
  for (const [e, want] of cases) it(want, () => assert.equal(formatFieldError(e), want))

  it('aggregates like ToAggregate: dedup, brackets for several', () => {
    const a = fieldRequired('a')
    assert.equal(aggregateFieldErrors([a, a]), 'a: Required value')
    assert.equal(aggregateFieldErrors([a, fieldRequired('b')]), '[a: Required value, b: Required value]')
    assert.equal(aggregateFieldErrors([]), '')
  })
})

describe('Go value rendering', () => {
  const quotes: [string, string][] = [
    ['plain', '"plain"'],
    ['Māori', '"Māori"'],
    ['tab\there', '"tab\\there"'],
    ['\u00a0', '"\\u00a0"'],
    ['\x7f', '"\\x7f"'],
    ['\u{1F600}', '"\u{1F600}"'],
    ['\u{E0001}', '"\\U000e0001"'],
  ]
  for (const [s, want] of quotes) it(`quotes ${JSON.stringify(s)}`, () => assert.equal(quoteGo(s), want))
  const numbers: [number, string][] = [[0.5, '0.5'], [1e-5, '1e-05'], [1.5e21, '1.5e+21'], [3, '3'], [-7, '-7']]
  for (const [n, want] of numbers) it(`prints ${n} as ${want}`, () => assert.equal(formatGoValue(n), want))
  it('sorts strings by code point like Go', () => {
    assert.deepEqual(['b', 'B', '\uffff', '\u{10000}', 'a'].sort(compareGoStrings), ['B', 'a', 'b', '\uffff', '\u{10000}'])
  })
})
