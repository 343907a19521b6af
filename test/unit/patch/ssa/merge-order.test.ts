// TypedValue.Merge on sets, associative lists and null/empty containers: the triplets of
// structured-merge-diff's typed/merge_test.go (live, config, merged), including the merged list order.
import {strict as assert} from 'node:assert'
import type {PatchMeta} from '../../../../src/patch/meta.js'
import {compareValues, mergeValues} from '../../../../src/patch/ssa/merge.js'
import {SsaSchema} from '../../../../src/patch/ssa/types.js'

const META: PatchMeta = {
  grabBag: {
    setStr: {list: true, listType: 'set'},
    setBool: {list: true, listType: 'set'},
    setNumeric: {list: true, listType: 'set'},
  },
  myRoot: {
    list: {list: true, type: 'myElement', listType: 'map', mapKeys: ['key', 'id']},
    atomicList: {list: true, listType: 'atomic'},
  },
  myElement: {value: {map: true}},
  nestedMap: {inner: {map: true, mapType: 'atomic'}},
  nestedList: {inner: {list: true, listType: 'atomic'}},
}

type Triplet = [lhs: string, rhs: string, out: string]

const CASES: Array<{name: string; root: string; triplets: Triplet[]}> = [
  {
    name: 'null/empty map',
    root: 'nestedMap',
    triplets: [
      ['{}', '{"inner":{}}', '{"inner":{}}'],
      ['{}', '{"inner":null}', '{"inner":null}'],
      ['{"inner":null}', '{"inner":{}}', '{"inner":{}}'],
      ['{"inner":{}}', '{"inner":null}', '{"inner":null}'],
      ['{"inner":{}}', '{"inner":{}}', '{"inner":{}}'],
    ],
  },
  {
    name: 'null/empty list',
    root: 'nestedList',
    triplets: [
      ['{}', '{"inner":[]}', '{"inner":[]}'],
      ['{}', '{"inner":null}', '{"inner":null}'],
      ['{"inner":null}', '{"inner":[]}', '{"inner":[]}'],
      ['{"inner":[]}', '{"inner":null}', '{"inner":null}'],
      ['{"inner":[]}', '{"inner":[]}', '{"inner":[]}'],
    ],
  },
  {
    name: 'struct grab bag',
    root: 'grabBag',
    triplets: [
      ['{"numeric":1}', '{"numeric":3.14159}', '{"numeric":3.14159}'],
      ['{"numeric":3.14159}', '{"numeric":1}', '{"numeric":1}'],
      ['{"string":"aoeu"}', '{"bool":true}', '{"string":"aoeu","bool":true}'],
      ['{"setStr":["a","b","c"]}', '{"setStr":["a","b"]}', '{"setStr":["a","b","c"]}'],
      ['{"setStr":["a","b"]}', '{"setStr":["a","b","c"]}', '{"setStr":["a","b","c"]}'],
      ['{"setStr":["a","b","c"]}', '{"setStr":[]}', '{"setStr":["a","b","c"]}'],
      ['{"setStr":[]}', '{"setStr":["a","b","c"]}', '{"setStr":["a","b","c"]}'],
      ['{"setStr":["a","b"]}', '{"setStr":["b","a"]}', '{"setStr":["b","a"]}'],
      ['{"setStr":["a","b","c"]}', '{"setStr":["d","e","f"]}', '{"setStr":["a","b","c","d","e","f"]}'],
      ['{"setStr":["a","b","c"]}', '{"setStr":["c","d","e","f"]}', '{"setStr":["a","b","c","d","e","f"]}'],
      ['{"setStr":["a","b","c","g","f"]}', '{"setStr":["c","d","e","f"]}', '{"setStr":["a","b","c","g","d","e","f"]}'],
      ['{"setStr":["a","b","c"]}', '{"setStr":["d","e","f","x","y","z"]}', '{"setStr":["a","b","c","d","e","f","x","y","z"]}'],
      ['{"setStr":["c","d","e","f"]}', '{"setStr":["a","c","e"]}', '{"setStr":["a","c","d","e","f"]}'],
      ['{"setStr":["a","b","c","x","y","z"]}', '{"setStr":["d","e","f"]}', '{"setStr":["a","b","c","x","y","z","d","e","f"]}'],
      ['{"setStr":["a","b","c","x","y","z"]}', '{"setStr":["d","e","f","x","y","z"]}', '{"setStr":["a","b","c","d","e","f","x","y","z"]}'],
      ['{"setStr":["c","a","g","f"]}', '{"setStr":["c","f","a","g"]}', '{"setStr":["c","f","a","g"]}'],
      ['{"setStr":["a","b","c","d"]}', '{"setStr":["d","e","f","a"]}', '{"setStr":["b","c","d","e","f","a"]}'],
      [
        '{"setStr":["c","d","e","f","g","h","i","j"]}',
        '{"setStr":["2","h","3","e","4","k","l"]}',
        '{"setStr":["c","d","f","g","2","h","i","j","3","e","4","k","l"]}',
      ],
      [
        '{"setStr":["a","b","c","d","e","f","g","h","i","j"]}',
        '{"setStr":["1","b","2","h","3","e","4","k","l"]}',
        '{"setStr":["a","1","b","c","d","f","g","2","h","i","j","3","e","4","k","l"]}',
      ],
      ['{"setBool":[true]}', '{"setBool":[false]}', '{"setBool":[true,false]}'],
      ['{"setNumeric":[1,2,3.14159]}', '{"setNumeric":[1,2,3]}', '{"setNumeric":[1,2,3.14159,3]}'],
    ],
  },
  {
    name: 'associative list',
    root: 'myRoot',
    triplets: [
      ['{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}', '{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}', '{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}'],
      [
        '{"list":[{"key":"a","id":1,"value":{"a":"a"}}]}',
        '{"list":[{"key":"a","id":2,"value":{"a":"a"}}]}',
        '{"list":[{"key":"a","id":1,"value":{"a":"a"}},{"key":"a","id":2,"value":{"a":"a"}}]}',
      ],
      ['{"list":[{"key":"a","id":1},{"key":"b","id":1}]}', '{"list":[{"key":"a","id":1},{"key":"a","id":2}]}', '{"list":[{"key":"a","id":1},{"key":"b","id":1},{"key":"a","id":2}]}'],
      ['{"list":[{"key":"b","id":2}]}', '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}', '{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}'],
      ['{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}', '{"list":[{"key":"c","id":3},{"key":"b","id":2}]}', '{"list":[{"key":"a","id":1},{"key":"c","id":3},{"key":"b","id":2}]}'],
      ['{"list":[{"key":"a","id":1},{"key":"b","id":2},{"key":"c","id":3}]}', '{"list":[{"key":"c","id":3},{"key":"a","id":1}]}', '{"list":[{"key":"b","id":2},{"key":"c","id":3},{"key":"a","id":1}]}'],
      ['{"atomicList":["a","a","a"]}', '{"atomicList":null}', '{"atomicList":null}'],
      ['{"atomicList":["a","b","c"]}', '{"atomicList":[]}', '{"atomicList":[]}'],
      ['{"atomicList":["a","a","a"]}', '{"atomicList":["a","a"]}', '{"atomicList":["a","a"]}'],
    ],
  },
]

describe('ssa: merge (typed/merge_test.go)', () => {
  for (const c of CASES) {
    const schema = new SsaSchema(META, c.root)
    c.triplets.forEach(([lhs, rhs, out], i) => {
      it(`${c.name} #${i}: ${lhs} + ${rhs}`, () => {
        assert.deepEqual(mergeValues(schema, JSON.parse(lhs), JSON.parse(rhs)), JSON.parse(out))
      })
    })
  }

  it('compares without caring for list order in sets, but for values', () => {
    const schema = new SsaSchema(META, 'grabBag')
    const c = compareValues(schema, {setStr: ['a', 'b'], numeric: 1}, {setStr: ['b', 'c'], numeric: 2, bool: true})
    assert.equal(c.added.toString(), '.bool\n.setStr[="c"]')
    assert.equal(c.modified.toString(), '.numeric')
    assert.equal(c.removed.toString(), '.setStr[="a"]')
  })
})
