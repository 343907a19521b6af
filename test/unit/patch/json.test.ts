// JSON patch (RFC 6902): the six operations, pointer escaping, and errors that name the failing operation.
import {strict as assert} from 'node:assert'
import {JsonPatchError, applyJsonPatch, validateJsonPatch} from '../../../src/patch/index.js'

const deployment = () => ({
  metadata: {name: 'web', labels: {app: 'web', 'example.com/tier': 'fe'} as Record<string, string>},
  spec: {replicas: 2, template: {spec: {containers: [{name: 'a', image: 'a:1'}, {name: 'b', image: 'b:1'}]}}},
})

function failure(fn: () => unknown): JsonPatchError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof JsonPatchError, `expected a JsonPatchError, got ${String(err)}`)
    return err
  }
  assert.fail('expected the patch to fail')
}

describe('JSON patch', () => {
  describe('operations', () => {
    const cases: Array<[string, unknown[], (d: ReturnType<typeof deployment>) => void]> = [
      ['add a map key', [{op: 'add', path: '/metadata/annotations', value: {a: 'b'}}], (d) => Object.assign(d.metadata, {annotations: {a: 'b'}})],
      ['add replaces an existing key', [{op: 'add', path: '/spec/replicas', value: 5}], (d) => (d.spec.replicas = 5)],
      [
        'add into a list by index',
        [{op: 'add', path: '/spec/template/spec/containers/1', value: {name: 'c'}}],
        (d) => d.spec.template.spec.containers.splice(1, 0, {name: 'c'} as {name: string; image: string}),
      ],
      [
        'add at the end of a list with -',
        [{op: 'add', path: '/spec/template/spec/containers/-', value: {name: 'c'}}],
        (d) => d.spec.template.spec.containers.push({name: 'c'} as {name: string; image: string}),
      ],
      ['remove a key', [{op: 'remove', path: '/metadata/labels/app'}], (d) => delete d.metadata.labels.app],
      ['remove a list item', [{op: 'remove', path: '/spec/template/spec/containers/0'}], (d) => d.spec.template.spec.containers.shift()],
      ['replace a value', [{op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'b:2'}], (d) => (d.spec.template.spec.containers[1].image = 'b:2')],
      ['escaped pointer tokens', [{op: 'replace', path: '/metadata/labels/example.com~1tier', value: 'be'}], (d) => (d.metadata.labels['example.com/tier'] = 'be')],
      [
        'move',
        [{op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name'}],
        (d) => {
          d.metadata.labels = {'example.com/tier': 'fe', name: 'web'}
        },
      ],
      [
        'copy',
        [{op: 'copy', from: '/spec/template/spec/containers/0', path: '/spec/template/spec/containers/-'}],
        (d) => d.spec.template.spec.containers.push({name: 'a', image: 'a:1'}),
      ],
      ['test that passes, then replace', [{op: 'test', path: '/spec/replicas', value: 2}, {op: 'replace', path: '/spec/replicas', value: 3}], (d) => (d.spec.replicas = 3)],
    ]
    for (const [name, ops, edit] of cases) {
      it(name, () => {
        const expected = deployment()
        edit(expected)
        assert.deepStrictEqual(applyJsonPatch(deployment(), ops), expected)
      })
    }

    it('replaces the whole document at the root path', () => {
      assert.deepStrictEqual(applyJsonPatch({a: 1}, [{op: 'replace', path: '', value: {b: 2}}]), {b: 2})
    })

    it('never modifies the input, even when a later operation fails', () => {
      const doc = deployment()
      const before = structuredClone(doc)
      const ok = applyJsonPatch(doc, [{op: 'remove', path: '/metadata/labels'}])
      assert.deepStrictEqual(doc, before)
      assert.notDeepStrictEqual(ok, before)
      assert.throws(() => applyJsonPatch(doc, [{op: 'remove', path: '/metadata/labels'}, {op: 'remove', path: '/nope'}]), JsonPatchError)
      assert.deepStrictEqual(doc, before)
    })
  })

  describe('operations that do not apply', () => {
    it('a failed test names the operation and the path', () => {
      const err = failure(() =>
        applyJsonPatch(deployment(), [
          {op: 'replace', path: '/metadata/name', value: 'x'},
          {op: 'test', path: '/spec/replicas', value: 3},
        ]),
      )
      assert.equal(err.index, 1)
      assert.equal(err.path, '/spec/replicas')
      assert.equal(err.malformed, false)
      assert.equal(err.detail, 'testing value /spec/replicas failed: test failed')
      assert.equal(err.message, 'JSON patch operation 1 (test /spec/replicas) failed: testing value /spec/replicas failed: test failed')
    })
    it('removing a missing key', () => {
      const err = failure(() => applyJsonPatch(deployment(), [{op: 'remove', path: '/metadata/annotations'}]))
      assert.equal(err.detail, 'remove operation does not apply: doc is missing path: "/metadata/annotations": missing value')
    })
    it('replacing a missing key', () => {
      const err = failure(() => applyJsonPatch(deployment(), [{op: 'replace', path: '/spec/paused', value: true}]))
      assert.equal(err.detail, 'replace operation does not apply: doc is missing key: /spec/paused: missing value')
    })
    it('adding below a missing parent', () => {
      const err = failure(() => applyJsonPatch(deployment(), [{op: 'add', path: '/status/replicas', value: 1}]))
      assert.equal(err.detail, 'add operation does not apply: doc is missing path: "/status/replicas": missing value')
    })
    it('adding below a scalar', () => {
      const err = failure(() => applyJsonPatch(deployment(), [{op: 'add', path: '/spec/replicas/x', value: 1}]))
      assert.match(err.detail, /^add operation does not apply/)
    })
    it('an out-of-range list index', () => {
      const err = failure(() => applyJsonPatch(deployment(), [{op: 'add', path: '/spec/template/spec/containers/5', value: {}}]))
      assert.equal(err.index, 0)
      assert.match(err.detail, /Unable to access invalid index: 5/)
    })
    it('moving from a missing path', () => {
      const err = failure(() => applyJsonPatch(deployment(), [{op: 'move', from: '/spec/nope', path: '/spec/x'}]))
      assert.match(err.detail, /^move operation does not apply: doc is missing from path: \/spec\/nope/)
    })
  })

  describe('malformed patches', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['not a list', {op: 'add', path: '/a', value: 1}, /a JSON patch must be a list of operations/],
      ['an operation that is not an object', ['add'], /operation 0: an operation must be an object/],
      ['an unknown operation', [{op: 'merge', path: '/a'}], /operation 0 \(merge \/a\): unsupported operation "merge"/],
      ['a missing path', [{op: 'remove'}], /operation 0 \(remove\): missing "path"/],
      ['a path that is not a pointer', [{op: 'remove', path: 'a'}], /"path" must be a JSON pointer/],
      ['a missing value', [{op: 'test', path: '/a', value: 1}, {op: 'add', path: '/a'}], /operation 1 \(add \/a\): missing "value"/],
      ['a missing from', [{op: 'copy', path: '/a'}], /missing "from"/],
    ]
    for (const [name, ops, message] of cases) {
      it(name, () => {
        const err = failure(() => applyJsonPatch({a: 1}, ops))
        assert.equal(err.malformed, true)
        assert.match(err.message, /^the server rejected our request due to an error in our request: /)
        assert.match(err.message, message)
      })
    }
    it('validates every operation before applying any', () => {
      assert.throws(() => validateJsonPatch([{op: 'add', path: '/a', value: 1}, {op: 'bogus', path: '/b'}]), {index: 1})
    })
  })
})
