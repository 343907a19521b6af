// JSON merge patch: RFC 7386's examples, patch creation, and the three-way patch kubectl apply sends for
// custom resources (cases ported from k8s.io/apimachinery's jsonmergepatch patch_test.go).
import {strict as assert} from 'node:assert'
import {load} from 'js-yaml'
import {
  PreconditionFailedError,
  createJsonMergePatch,
  createThreeWayJsonMergePatch,
  hasConflicts,
  jsonMergePatch,
  requireKeyUnchanged,
  requireMetadataKeyUnchanged,
} from '../../../src/patch/index.js'

// RFC 7386 appendix A: original, patch, result.
const RFC_EXAMPLES: Array<[unknown, unknown, unknown]> = [
  [{a: 'b'}, {a: 'c'}, {a: 'c'}],
  [{a: 'b'}, {b: 'c'}, {a: 'b', b: 'c'}],
  [{a: 'b'}, {a: null}, {}],
  [{a: 'b', b: 'c'}, {a: null}, {b: 'c'}],
  [{a: ['b']}, {a: 'c'}, {a: 'c'}],
  [{a: 'c'}, {a: ['b']}, {a: ['b']}],
  [{a: {b: 'c'}}, {a: {b: 'd', c: null}}, {a: {b: 'd'}}],
  [{a: [{b: 'c'}]}, {a: [1]}, {a: [1]}],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{a: 'b'}, ['c'], ['c']],
  [{a: 'foo'}, null, null],
  [{a: 'foo'}, 'bar', 'bar'],
  [{e: null}, {a: 1}, {e: null, a: 1}],
  [[1, 2], {a: 'b', c: null}, {a: 'b'}],
  [{}, {a: {bb: {ccc: null}}}, {a: {bb: {}}}],
]

interface ThreeWayCase {
  description: string
  original?: object
  modified?: object
  current?: object
  threeWay: object
  result: object
}

// createJSONMergePatchTestCaseData from jsonmergepatch's tests.
const THREE_WAY_CASES = load(`
- description: nil original
  modified: {name: 1, value: 1}
  current: {name: 1, other: a}
  threeWay: {value: 1}
  result: {name: 1, value: 1, other: a}
- description: nil patch
  original: {name: 1}
  modified: {name: 1}
  current: {name: 1}
  threeWay: {}
  result: {name: 1}
- description: add field to map
  original: {name: 1}
  modified: {name: 1, value: 1}
  current: {name: 1, other: a}
  threeWay: {value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field to map with conflict
  original: {name: 1}
  modified: {name: 1, value: 1}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field and delete field from map
  original: {name: 1}
  modified: {value: 1}
  current: {name: 1, other: a}
  threeWay: {name: null, value: 1}
  result: {value: 1, other: a}
- description: add field and delete field from map with conflict
  original: {name: 1}
  modified: {value: 1}
  current: {name: a, other: a}
  threeWay: {name: null, value: 1}
  result: {value: 1, other: a}
- description: delete field from nested map
  original: {simpleMap: {key1: 1, key2: 1}}
  modified: {simpleMap: {key1: 1}}
  current: {simpleMap: {key1: 1, key2: 1, other: a}}
  threeWay: {simpleMap: {key2: null}}
  result: {simpleMap: {key1: 1, other: a}}
- description: delete field from nested map with conflict
  original: {simpleMap: {key1: 1, key2: 1}}
  modified: {simpleMap: {key1: 1}}
  current: {simpleMap: {key1: a, key2: 1, other: a}}
  threeWay: {simpleMap: {key1: 1, key2: null}}
  result: {simpleMap: {key1: 1, other: a}}
- description: delete all fields from map
  original: {name: 1, value: 1}
  modified: {}
  current: {name: 1, value: 1, other: a}
  threeWay: {name: null, value: null}
  result: {other: a}
- description: delete all fields from map with conflict
  original: {name: 1, value: 1}
  modified: {}
  current: {name: 1, value: a, other: a}
  threeWay: {name: null, value: null}
  result: {other: a}
- description: add field and delete all fields from map
  original: {name: 1, value: 1}
  modified: {other: a}
  current: {name: 1, value: 1, other: a}
  threeWay: {name: null, value: null}
  result: {other: a}
- description: add field and delete all fields from map with conflict
  original: {name: 1, value: 1}
  modified: {other: a}
  current: {name: 1, value: 1, other: b}
  threeWay: {name: null, value: null, other: a}
  result: {other: a}
- description: replace list of scalars
  original: {intList: [1, 2]}
  modified: {intList: [2, 3]}
  current: {intList: [1, 2]}
  threeWay: {intList: [2, 3]}
  result: {intList: [2, 3]}
- description: replace list of scalars with conflict
  original: {intList: [1, 2]}
  modified: {intList: [2, 3]}
  current: {intList: [1, 4]}
  threeWay: {intList: [2, 3]}
  result: {intList: [2, 3]}
- description: patch with different scalar type
  original: {foo: 1}
  modified: {foo: true}
  current: {foo: 1, bar: 2}
  threeWay: {foo: true}
  result: {foo: true, bar: 2}
- description: patch from scalar to list
  original: {foo: 0}
  modified: {foo: [1, 2]}
  current: {foo: 0, bar: 2}
  threeWay: {foo: [1, 2]}
  result: {foo: [1, 2], bar: 2}
- description: patch from list to scalar
  original: {foo: [1, 2]}
  modified: {foo: 0}
  current: {foo: [1, 2], bar: 2}
  threeWay: {foo: 0}
  result: {foo: 0, bar: 2}
- description: patch from scalar to map
  original: {foo: 0}
  modified: {foo: {baz: 1}}
  current: {foo: 0, bar: 2}
  threeWay: {foo: {baz: 1}}
  result: {foo: {baz: 1}, bar: 2}
- description: patch from map to scalar
  original: {foo: {baz: 1}}
  modified: {foo: 0}
  current: {foo: {baz: 1}, bar: 2}
  threeWay: {foo: 0}
  result: {foo: 0, bar: 2}
- description: patch from map to list
  original: {foo: {baz: 1}}
  modified: {foo: [1, 2]}
  current: {foo: {baz: 1}, bar: 2}
  threeWay: {foo: [1, 2]}
  result: {foo: [1, 2], bar: 2}
- description: patch from list to map
  original: {foo: [1, 2]}
  modified: {foo: {baz: 0}}
  current: {foo: [1, 2], bar: 2}
  threeWay: {foo: {baz: 0}}
  result: {foo: {baz: 0}, bar: 2}
- description: patch with different nested types
  original: {foo: [{a: true}, 2, false]}
  modified: {foo: [1, false, {b: 1}]}
  current: {foo: [{a: true}, 2, false], bar: 0}
  threeWay: {foo: [1, false, {b: 1}]}
  result: {foo: [1, false, {b: 1}], bar: 0}
- description: patch array with nil
  original: {foo: [{a: true}, null, false], bar: [], drop: [1]}
  modified: {foo: [1, false, {b: 1}], bar: [c, null, null, a], drop: [null]}
  current: {foo: [{a: true}, 2, false], bar: [c, null, null, a], drop: null}
  threeWay: {foo: [1, false, {b: 1}], drop: [null]}
  result: {foo: [1, false, {b: 1}], drop: [null], bar: [c, null, null, a]}
`) as ThreeWayCase[]

describe('JSON merge patch', () => {
  describe('RFC 7386 examples', () => {
    RFC_EXAMPLES.forEach(([original, patch, result], i) => {
      it(`example ${i + 1}: ${JSON.stringify(patch)}`, () => {
        assert.deepStrictEqual(jsonMergePatch(original, patch), result)
      })
    })
  })

  describe('applying', () => {
    it('does not modify its inputs', () => {
      const target = {a: {b: 1, c: [1, 2]}, d: 'x'}
      const patch = {a: {b: null, e: {f: 1}}, d: null}
      const targetCopy = structuredClone(target)
      const patchCopy = structuredClone(patch)
      assert.deepStrictEqual(jsonMergePatch(target, patch), {a: {c: [1, 2], e: {f: 1}}})
      assert.deepStrictEqual(target, targetCopy)
      assert.deepStrictEqual(patch, patchCopy)
    })
    it('replaces a null target value with the patch object, minus its nulls', () => {
      assert.deepStrictEqual(jsonMergePatch({a: null}, {a: {b: 1, c: null}}), {a: {b: 1}})
    })
    it('keeps "__proto__" as a plain key', () => {
      const result = jsonMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>
      assert.equal(Object.getPrototypeOf(result), Object.prototype)
      assert.deepStrictEqual(Object.keys(result), ['__proto__'])
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
    })
  })

  describe('creating', () => {
    const pairs: Array<[string, object, object, object]> = [
      ['no change', {a: 1, b: {c: [1]}}, {a: 1, b: {c: [1]}}, {}],
      ['changed scalar and added key', {a: 1}, {a: 2, b: 'x'}, {a: 2, b: 'x'}],
      ['removed key', {a: 1, b: 2}, {a: 1}, {b: null}],
      ['nested change', {spec: {replicas: 1, paused: true}}, {spec: {replicas: 3}}, {spec: {replicas: 3, paused: null}}],
      ['changed list is sent whole', {list: [1, 2, 3]}, {list: [1, 2]}, {list: [1, 2]}],
      ['type change', {a: {b: 1}}, {a: [1]}, {a: [1]}],
      ['emptied map', {a: {b: 1}}, {a: {}}, {a: {b: null}}],
    ]
    for (const [name, original, modified, patch] of pairs) {
      it(name, () => {
        assert.deepStrictEqual(createJsonMergePatch(original, modified), patch)
        assert.deepStrictEqual(jsonMergePatch(original, patch), modified)
      })
    }
    it('replaces a non-object document outright', () => {
      assert.deepStrictEqual(createJsonMergePatch([1], [2]), [2])
      assert.deepStrictEqual(createJsonMergePatch({a: 1}, 'x'), 'x')
    })
  })

  describe('three-way patches', () => {
    for (const c of THREE_WAY_CASES) {
      it(c.description, () => {
        const patch = createThreeWayJsonMergePatch(c.original, c.modified, c.current)
        assert.deepStrictEqual(patch, c.threeWay)
        assert.deepStrictEqual(jsonMergePatch(c.current ?? {}, patch), c.result)
      })
    }
    it('checks preconditions on the patch, as kubectl apply does for apiVersion, kind and name', () => {
      const pre = [requireKeyUnchanged('apiVersion'), requireKeyUnchanged('kind'), requireMetadataKeyUnchanged('name')]
      const cr = {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}, spec: {size: 1}}
      assert.deepStrictEqual(createThreeWayJsonMergePatch(cr, {...cr, spec: {size: 2}}, cr, pre), {spec: {size: 2}})
      assert.throws(() => createThreeWayJsonMergePatch(cr, {...cr, metadata: {name: 'x'}}, cr, pre), PreconditionFailedError)
      assert.throws(() => createThreeWayJsonMergePatch(cr, {...cr, kind: 'Gadget'}, cr, pre), {
        message: 'precondition failed for: map[kind:Gadget]',
      })
    })
  })

  describe('hasConflicts', () => {
    const cases: Array<[string, unknown, unknown, boolean]> = [
      ['disjoint keys', {a: 1}, {b: 2}, false],
      ['same value', {a: {b: 1}}, {a: {b: 1, c: 2}}, false],
      ['different scalar', {a: 1}, {a: 2}, true],
      ['map against scalar', {a: {b: 1}}, {a: 1}, true],
      ['null against value', {a: null}, {a: 'x'}, true],
      ['lists of different length', {a: [1]}, {a: [1, 2]}, true],
      ['lists differing in an item', {a: [1, {b: 1}]}, {a: [1, {b: 2}]}, true],
      ['equal lists', {a: [1, {b: 1}]}, {a: [1, {b: 1}]}, false],
    ]
    for (const [name, left, right, expected] of cases) {
      it(name, () => assert.equal(hasConflicts(left, right), expected))
    }
  })
})
