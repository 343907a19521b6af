// FieldSet (fieldpath.Set): set algebra, iteration order, printed paths and the FieldsV1 encoding,
// including keys that upstream reads but never writes.
import {strict as assert} from 'node:assert'
import {FieldSet, FieldsV1Error, type Path, type PathElement, path, pathString} from '../../../../src/patch/ssa/index.js'
import {goNumberV, goQuote} from '../../../../src/patch/ssa/go-text.js'
import {deserializePathElement, serializePathElement} from '../../../../src/patch/ssa/path.js'

const f = (name: string): PathElement => ({kind: 'field', name})
const k = (...fields: Array<[string, unknown]>): PathElement => ({kind: 'key', fields})
const v = (value: unknown): PathElement => ({kind: 'value', value})
const i = (index: number): PathElement => ({kind: 'index', index})

const set = (...paths: Path[]): FieldSet => new FieldSet(paths)
const lines = (s: FieldSet): string[] => s.paths().map((p) => pathString(p))

describe('ssa: FieldSet algebra', () => {
  const ab = set(path('a', 'b'), path('a', 'c'), path('d'))

  it('has members, not their parents', () => {
    assert.equal(ab.has(path('a', 'b')), true)
    assert.equal(ab.has(path('a')), false)
    assert.equal(ab.has([]), false)
    assert.equal(ab.size, 3)
  })

  it('unions and intersects by member', () => {
    assert.deepEqual(lines(ab.union(set(path('a', 'x'), path('e')))), ['.d', '.e', '.a.b', '.a.c', '.a.x'])
    assert.deepEqual(lines(ab.intersection(set(path('a', 'c'), path('a'), path('d')))), ['.d', '.a.c'])
  })

  it('difference keeps children of a removed parent; recursive difference drops them', () => {
    const withParent = set(path('a'), path('a', 'b'), path('z'))
    assert.deepEqual(lines(withParent.difference(set(path('a')))), ['.z', '.a.b'])
    assert.deepEqual(lines(withParent.recursiveDifference(set(path('a')))), ['.z'])
    assert.deepEqual(lines(set(path('a')).difference(set(path('a', 'b')))), ['.a'])
  })

  it('leaves are members without members below them', () => {
    assert.deepEqual(lines(set(path('a'), path('a', 'b'), path('c')).leaves()), ['.c', '.a.b'])
  })

  it('iterates a node members before its children, each in path-element order', () => {
    const s = set([f('list'), i(1)], [f('list'), v('x')], [f('list'), k(['name', 'b'])], [f('list'), k(['name', 'a']), f('image')], [f('list'), f('x')])
    assert.deepEqual(lines(s), ['.list.x', '.list[name="b"]', '.list[=\"x\"]', '.list[1]', '.list[name="a"].image'])
  })

  it('orders values numbers, strings, booleans, null', () => {
    const s = set([v(null)], [v(true)], [v('a')], [v(2)], [v(1.5)])
    assert.deepEqual(lines(s), ['[=1.5]', '[=2]', '[="a"]', '[=true]', '[=null]'])
  })

  it('equals compares contents', () => {
    assert.equal(set(path('a'), path('b')).equals(set(path('b'), path('a'))), true)
    assert.equal(set(path('a')).equals(set(path('a', 'b'))), false)
  })
})

describe('ssa: FieldsV1', () => {
  it('encodes members as {} and marks nodes that are also members with "."', () => {
    const s = set(path('metadata', 'labels'), path('metadata', 'labels', 'app'), path('spec', 'replicas'))
    assert.deepEqual(s.toFieldsV1(), {'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}}, 'f:spec': {'f:replicas': {}}})
    assert.deepEqual(Object.keys(s.toFieldsV1()['f:metadata'] as object), ['f:labels'])
  })

  it('writes keys with their fields sorted by name and values as Go JSON', () => {
    const port = k(['containerPort', 80], ['protocol', 'TCP'])
    assert.equal(serializePathElement(port), 'k:{"containerPort":80,"protocol":"TCP"}')
    assert.equal(serializePathElement(v('a<b&c')), 'v:"a\\u003cb\\u0026c"')
    assert.equal(serializePathElement(v(1.5)), 'v:1.5')
    assert.equal(serializePathElement(i(3)), 'i:3')
    assert.deepEqual(deserializePathElement('k:{"protocol":"TCP","containerPort":80}'), port)
  })

  it('round-trips a realistic container set', () => {
    const fields = {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {'.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}, 'f:protocol': {}}},
              },
            },
          },
        },
      },
    }
    const s = FieldSet.fromFieldsV1(fields)
    assert.deepEqual(s.toFieldsV1(), fields)
    assert.deepEqual(JSON.stringify(s.toFieldsV1()), JSON.stringify(fields))
    assert.ok(s.has([f('spec'), f('template'), f('spec'), f('containers'), k(['name', 'web']), f('ports'), k(['containerPort', 80], ['protocol', 'TCP'])]))
  })

  it('sorts what it reads, drops unknown key kinds and treats {".":{}} as a member', () => {
    const s = FieldSet.fromFieldsV1({'f:b': {}, 'x:future': {}, 'f:a': {'.': {}}, 'i:2': {}, 'v:"s"': {}})
    assert.deepEqual(lines(s), ['.a', '.b', '[="s"]', '[2]'])
    assert.deepEqual(Object.keys(s.toFieldsV1()), ['f:a', 'f:b', 'v:"s"', 'i:2'])
  })

  it('rejects malformed keys', () => {
    assert.throws(() => FieldSet.fromFieldsV1({f: {}}), FieldsV1Error)
    assert.throws(() => FieldSet.fromFieldsV1({'fx': {}}), /missing colon: fx/)
    assert.throws(() => FieldSet.fromFieldsV1({'k:[1]': {}}), /expected object/)
    assert.throws(() => FieldSet.fromFieldsV1({'f:a': 1}), FieldsV1Error)
  })
})

describe('ssa: printed paths', () => {
  it('prints keys, values and indexes as conflict messages do', () => {
    assert.equal(pathString([f('spec'), f('ports'), k(['port', 80], ['protocol', 'TCP']), f('targetPort')]), '.spec.ports[port=80,protocol="TCP"].targetPort')
    assert.equal(pathString([f('metadata'), f('finalizers'), v('example.com/x')]), '.metadata.finalizers[="example.com/x"]')
    assert.equal(pathString([f('args'), i(0)]), '.args[0]')
    assert.equal(pathString(path('metadata', 'labels', 'app.kubernetes.io/name')), '.metadata.labels.app.kubernetes.io/name')
  })

  it('formats like Go: %q strings and %v floats', () => {
    assert.equal(goQuote('a"b\\c\n\u0001é'), '"a\\"b\\\\c\\n\\x01é"')
    assert.equal(goNumberV(1e6 + 0.5), '1.0000005e+06')
    assert.equal(goNumberV(0.5), '0.5')
    assert.equal(goNumberV(0.00001), '1e-05')
    assert.equal(goNumberV(123456), '123456')
  })
})

describe('ssa: FieldSet independence', () => {
  it('inserting into the result of an operation leaves its inputs alone', () => {
    const a = new FieldSet([path('spec', 'replicas')])
    const b = new FieldSet([path('spec', 'paused')])
    const u = a.union(b)
    u.insert(path('spec', 'minReadySeconds'))
    const sub = u.withPrefix({kind: 'field', name: 'spec'})
    sub.insert(path('x'))
    assert.deepEqual(a.paths().map((p) => pathString(p)), ['.spec.replicas'])
    assert.deepEqual(b.paths().map((p) => pathString(p)), ['.spec.paused'])
    assert.deepEqual(u.paths().map((p) => pathString(p)), ['.spec.minReadySeconds', '.spec.paused', '.spec.replicas'])
  })
})
