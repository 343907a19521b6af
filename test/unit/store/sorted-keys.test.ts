// SortedKeys (the chunked ordered set behind prefix lists) against a plain sorted array, through
// enough inserts and deletes to split and merge chunks.
import {strict as assert} from 'node:assert'
import {prefixEnd} from '../../../src/store/key-range.js'
import {SortedKeys} from '../../../src/store/sorted-keys.js'

describe('SortedKeys', () => {
  it('matches a sorted array through random adds, deletes, ranges and counts', () => {
    const set = new SortedKeys()
    const model = new Set<string>()
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const key = () => `/k/${rand(30)}/${rand(4000)}`
    for (let step = 0; step < 60_000; step++) {
      const k = key()
      // Grow for the first half, then shrink: exercises both splitting and merging.
      if (rand(10) < (step < 30_000 ? 7 : 2)) assert.equal(set.add(k), !model.has(k) && !!model.add(k))
      else assert.equal(set.delete(k), model.delete(k))
      if (step % 2000 === 0 || step === 59_999) {
        const sorted = [...model].sort()
        assert.deepEqual(set.toArray(), sorted)
        assert.equal(set.size, sorted.length)
        const prefix = `/k/${rand(30)}/`
        const from = `${prefix}${rand(4000)}`
        const end = prefixEnd(prefix)
        const inRange = sorted.filter((x) => x > from && x < (end as string))
        assert.deepEqual(set.range(from, true, end, 50), inRange.slice(0, 50))
        assert.equal(set.countRange(from, true, end), inRange.length)
        assert.equal(set.countRange(prefix, false, end), sorted.filter((x) => x.startsWith(prefix)).length)
        assert.equal(set.has(from), model.has(from))
      }
    }
  })

  it('builds from sorted keys and keeps them ordered', () => {
    const keys = Array.from({length: 3000}, (_, i) => `k${String(i).padStart(5, '0')}`)
    const set = SortedKeys.fromSorted(keys)
    set.add('k00010x')
    set.delete('k00000')
    assert.deepEqual(set.range('k0001', false, 'k00012', 10), ['k00010', 'k00010x', 'k00011'])
    assert.equal(set.countRange('', false, undefined), 3000)
  })

  it('prefixEnd bounds exactly the keys that start with the prefix', () => {
    assert.equal(prefixEnd('/a/'), '/a0')
    assert.equal(prefixEnd(''), undefined)
    assert.equal(prefixEnd('a\uffff'), 'b')
    for (const k of ['/a/', '/a/x', '/a/\uffff']) assert.ok(k < (prefixEnd('/a/') as string))
    assert.ok(!('/a0' < (prefixEnd('/a/') as string)))
  })
})
