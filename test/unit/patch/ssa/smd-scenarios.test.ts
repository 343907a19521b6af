// Apply/update sequences ported from structured-merge-diff's merge tests (leaf_test, set_test,
// multiple_appliers_test, nested_test): the object and each manager's fields after the operations.
import {strict as assert} from 'node:assert'
import type {JsonMap} from '../../../../src/patch/json-value.js'
import type {PatchMeta} from '../../../../src/patch/meta.js'
import {PatchSchema} from '../../../../src/patch/schema.js'
import {type Op, Scenario} from './harness.js'

const META: PatchMeta = {
  leafFields: {},
  sets: {list: {list: true, listType: 'set'}},
  associativeList: {list: {list: true, type: 'item', listType: 'map', mapKeys: ['name']}},
  item: {},
  nested: {
    listOfLists: {list: true, type: 'listOfListsItem', listType: 'map', mapKeys: ['name']},
    listOfMaps: {list: true, type: 'listOfMapsItem', listType: 'map', mapKeys: ['name']},
    struct: {type: 'nestedStruct'},
    // Untyped JSON is deduced: maps of maps, granular at every level.
    mapOfMapsRecursive: {type: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON'},
  },
  listOfListsItem: {value: {list: true, listType: 'set'}},
  listOfMapsItem: {value: {map: true}},
  nestedStruct: {},
}

interface Case {
  name: string
  /** Root definition in META; undefined for a fully deduced (schemaless) root. */
  root: string | undefined
  ops: Op[]
  object: JsonMap
  managed: Record<string, string[]>
}

const a = (apply: JsonMap, manager = 'default', extra: Partial<Op> = {}): Op => ({apply, manager, ...extra}) as Op
const u = (update: JsonMap, manager = 'controller'): Op => ({update, manager})

const CASES: Case[] = [
  // leaf_test.go
  {
    name: 'leaf: apply twice',
    root: 'leafFields',
    ops: [a({numeric: 1, string: 'string'}), a({numeric: 2, string: 'string', bool: false})],
    object: {numeric: 2, string: 'string', bool: false},
    managed: {default: ['.bool', '.numeric', '.string']},
  },
  {
    name: 'leaf: apply, update, apply without conflict',
    root: 'leafFields',
    ops: [a({numeric: 1, string: 'string'}), u({numeric: 1, string: 'string', bool: true}), a({numeric: 2, string: 'string'})],
    object: {numeric: 2, string: 'string', bool: true},
    managed: {default: ['.numeric', '.string'], controller: ['.bool']},
  },
  {
    name: 'leaf: apply, update, apply with conflict, then force',
    root: 'leafFields',
    ops: [
      a({numeric: 1, string: 'string'}),
      u({numeric: 1, string: 'controller string', bool: true}),
      a({numeric: 2, string: 'user string'}, 'default', {conflicts: 'Apply failed with 1 conflict: conflict with "controller" using v1: .string'}),
      a({numeric: 2, string: 'user string'}, 'default', {force: true}),
    ],
    object: {numeric: 2, string: 'user string', bool: true},
    managed: {default: ['.numeric', '.string'], controller: ['.bool']},
  },
  {
    name: 'leaf: apply twice removes what the second omits',
    root: 'leafFields',
    ops: [a({numeric: 1, string: 'string', bool: false}), a({string: 'new string'})],
    object: {string: 'new string'},
    managed: {default: ['.string']},
  },
  {
    name: 'leaf: an updated field survives the applier omitting it',
    root: 'leafFields',
    ops: [a({numeric: 2}), u({numeric: 1}), a({})],
    object: {numeric: 1},
    managed: {controller: ['.numeric']},
  },
  {
    name: 'leaf: an update taking the only field removes the applier entry',
    root: 'leafFields',
    ops: [a({string: 'string'}), u({string: 'new string'})],
    object: {string: 'new string'},
    managed: {controller: ['.string']},
  },
  {
    name: 'leaf: applying nothing removes the entry',
    root: 'leafFields',
    ops: [a({string: 'string'}), a({})],
    object: {},
    managed: {},
  },
  // set_test.go
  {
    name: 'set: apply twice',
    root: 'sets',
    ops: [a({list: ['a', 'c']}), a({list: ['a', 'b', 'c', 'd']})],
    object: {list: ['a', 'b', 'c', 'd']},
    managed: {default: ['.list[="a"]', '.list[="b"]', '.list[="c"]', '.list[="d"]']},
  },
  {
    name: 'set: apply, update, apply without overlap',
    root: 'sets',
    ops: [a({list: ['a', 'c']}), u({list: ['a', 'b', 'c', 'd']}), a({list: ['a', 'aprime', 'c', 'cprime']})],
    object: {list: ['a', 'b', 'aprime', 'c', 'd', 'cprime']},
    managed: {default: ['.list[="a"]', '.list[="aprime"]', '.list[="c"]', '.list[="cprime"]'], controller: ['.list[="b"]', '.list[="d"]']},
  },
  {
    name: 'set: apply, update, apply with overlap shares items',
    root: 'sets',
    ops: [a({list: ['a', 'c']}), u({list: ['a', 'b', 'c', 'd']}), a({list: ['a', 'b', 'c']})],
    object: {list: ['a', 'b', 'c', 'd']},
    managed: {default: ['.list[="a"]', '.list[="b"]', '.list[="c"]'], controller: ['.list[="b"]', '.list[="d"]']},
  },
  {
    name: 'set: apply twice reordered',
    root: 'sets',
    ops: [a({list: ['a', 'b', 'c', 'd']}), a({list: ['a', 'd', 'c', 'b']})],
    object: {list: ['a', 'd', 'c', 'b']},
    managed: {default: ['.list[="a"]', '.list[="b"]', '.list[="c"]', '.list[="d"]']},
  },
  {
    name: 'set: a reordering update owns nothing',
    root: 'sets',
    ops: [a({list: ['a', 'b', 'c', 'd']}), u({list: ['a', 'd', 'c', 'b']}), a({list: ['a', 'b', 'c', 'd']})],
    object: {list: ['a', 'b', 'c', 'd']},
    managed: {default: ['.list[="a"]', '.list[="b"]', '.list[="c"]', '.list[="d"]']},
  },
  {
    name: 'set: apply twice removes items',
    root: 'sets',
    ops: [a({list: ['a', 'b', 'c', 'd']}), a({list: ['a', 'c']})],
    object: {list: ['a', 'c']},
    managed: {default: ['.list[="a"]', '.list[="c"]']},
  },
  // multiple_appliers_test.go
  {
    name: 'appliers: removing an item keeps the other applier item',
    root: 'associativeList',
    ops: [a({list: [{name: 'a'}, {name: 'b'}]}, 'apply-one'), a({list: [{name: 'c'}]}, 'apply-two'), a({list: [{name: 'a'}]}, 'apply-one')],
    object: {list: [{name: 'a'}, {name: 'c'}]},
    managed: {'apply-one': ['.list[name="a"]', '.list[name="a"].name'], 'apply-two': ['.list[name="c"]', '.list[name="c"].name']},
  },
  {
    name: 'appliers: the same value is shared without conflict',
    root: 'associativeList',
    ops: [a({list: [{name: 'a', value: 0}]}, 'apply-one'), a({list: [{name: 'a', value: 0}]}, 'apply-two')],
    object: {list: [{name: 'a', value: 0}]},
    managed: {
      'apply-one': ['.list[name="a"]', '.list[name="a"].name', '.list[name="a"].value'],
      'apply-two': ['.list[name="a"]', '.list[name="a"].name', '.list[name="a"].value'],
    },
  },
  {
    name: 'appliers: another value conflicts',
    root: 'associativeList',
    ops: [
      a({list: [{name: 'a', value: 0}]}, 'apply-one'),
      a({list: [{name: 'a', value: 1}]}, 'apply-two', {conflicts: 'Apply failed with 1 conflict: conflict with "apply-one": .list[name="a"].value'}),
    ],
    object: {list: [{name: 'a', value: 0}]},
    managed: {'apply-one': ['.list[name="a"]', '.list[name="a"].name', '.list[name="a"].value']},
  },
  {
    name: 'appliers: an item both applied stays when one lets go',
    root: 'associativeList',
    ops: [
      a({list: [{name: 'a'}, {name: 'b'}, {name: 'c'}]}, 'apply-one'),
      a({list: [{name: 'c'}, {name: 'd'}]}, 'apply-two'),
      a({list: [{name: 'a'}]}, 'apply-one'),
    ],
    object: {list: [{name: 'a'}, {name: 'c'}, {name: 'd'}]},
    managed: {
      'apply-one': ['.list[name="a"]', '.list[name="a"].name'],
      'apply-two': ['.list[name="c"]', '.list[name="d"]', '.list[name="c"].name', '.list[name="d"].name'],
    },
  },
  {
    name: 'nested appliers: removing an item keeps the other applier sub-items',
    root: 'nested',
    ops: [
      a({listOfLists: [{name: 'a'}, {name: 'b', value: ['c']}]}, 'apply-one'),
      a({listOfLists: [{name: 'b', value: ['d']}]}, 'apply-two'),
      a({listOfLists: [{name: 'a'}]}, 'apply-one'),
    ],
    object: {listOfLists: [{name: 'a'}, {name: 'b', value: ['d']}]},
    managed: {
      'apply-one': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name'],
      'apply-two': ['.listOfLists[name="b"]', '.listOfLists[name="b"].name', '.listOfLists[name="b"].value[="d"]'],
    },
  },
  {
    name: 'nested appliers: a dangling sub-item added by an updater stays',
    root: 'nested',
    ops: [
      a({listOfLists: [{name: 'a'}, {name: 'b', value: ['c']}]}, 'apply-one'),
      a({listOfLists: [{name: 'b', value: ['d']}]}, 'apply-two'),
      u({listOfLists: [{name: 'a'}, {name: 'b', value: ['c', 'd', 'e']}]}),
      a({listOfLists: [{name: 'a'}]}, 'apply-one'),
    ],
    object: {listOfLists: [{name: 'a'}, {name: 'b', value: ['d', 'e']}]},
    managed: {
      'apply-one': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name'],
      'apply-two': ['.listOfLists[name="b"]', '.listOfLists[name="b"].name', '.listOfLists[name="b"].value[="d"]'],
      controller: ['.listOfLists[name="b"].value[="e"]'],
    },
  },
  {
    name: 'nested appliers: an item nobody else owns goes with its updated sub-items',
    root: 'nested',
    ops: [
      a({listOfLists: [{name: 'a'}, {name: 'b', value: ['c']}]}, 'apply-one'),
      a({listOfLists: [{name: 'a', value: ['b']}]}, 'apply-two'),
      u({listOfLists: [{name: 'a', value: ['b']}, {name: 'b', value: ['c', 'd']}]}),
      a({listOfLists: [{name: 'a'}]}, 'apply-one'),
    ],
    object: {listOfLists: [{name: 'a', value: ['b']}]},
    managed: {
      'apply-one': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name'],
      'apply-two': ['.listOfLists[name="a"]', '.listOfLists[name="a"].name', '.listOfLists[name="a"].value[="b"]'],
    },
  },
  // nested_test.go
  {
    name: 'nested: list of lists changes a value',
    root: 'nested',
    ops: [a({listOfLists: [{name: 'a', value: ['b', 'c']}]}), a({listOfLists: [{name: 'a', value: ['a', 'c']}]})],
    object: {listOfLists: [{name: 'a', value: ['a', 'c']}]},
    managed: {default: ['.listOfLists[name="a"]', '.listOfLists[name="a"].name', '.listOfLists[name="a"].value[="a"]', '.listOfLists[name="a"].value[="c"]']},
  },
  {
    name: 'nested: list of lists changes key and value',
    root: 'nested',
    ops: [a({listOfLists: [{name: 'a', value: ['b', 'c']}]}), a({listOfLists: [{name: 'b', value: ['a', 'c']}]})],
    object: {listOfLists: [{name: 'b', value: ['a', 'c']}]},
    managed: {default: ['.listOfLists[name="b"]', '.listOfLists[name="b"].name', '.listOfLists[name="b"].value[="a"]', '.listOfLists[name="b"].value[="c"]']},
  },
  {
    name: 'nested: list of maps changes map entries',
    root: 'nested',
    ops: [a({listOfMaps: [{name: 'a', value: {b: 'x', c: 'y'}}]}), a({listOfMaps: [{name: 'a', value: {a: 'x', c: 'z'}}]})],
    object: {listOfMaps: [{name: 'a', value: {a: 'x', c: 'z'}}]},
    managed: {default: ['.listOfMaps[name="a"]', '.listOfMaps[name="a"].name', '.listOfMaps[name="a"].value.a', '.listOfMaps[name="a"].value.c']},
  },
  {
    name: 'nested: recursive map changes a middle key',
    root: 'nested',
    ops: [a({mapOfMapsRecursive: {a: {b: {c: null}}}}), a({mapOfMapsRecursive: {a: {d: {c: null}}}})],
    object: {mapOfMapsRecursive: {a: {d: {c: null}}}},
    managed: {default: ['.mapOfMapsRecursive.a', '.mapOfMapsRecursive.a.d', '.mapOfMapsRecursive.a.d.c']},
  },
  {
    name: 'nested: applying nothing removes a whole struct',
    root: 'nested',
    ops: [a({struct: {name: 'a', value: 1}}), a({})],
    object: {},
    managed: {},
  },
  {
    name: 'nested: a struct keeps the field an updater added',
    root: 'nested',
    ops: [a({struct: {name: 'a'}}), u({struct: {name: 'a', value: 1}}), a({})],
    object: {struct: {value: 1}},
    managed: {controller: ['.struct.value']},
  },
  {
    name: 'nested: an empty struct in the config keeps the updater field',
    root: 'nested',
    ops: [a({struct: {name: 'a'}}), u({struct: {name: 'a', value: 1}}), a({struct: {}})],
    object: {struct: {value: 1}},
    managed: {controller: ['.struct.value']},
  },
  {
    name: 'nested: an updater that took over a field keeps it',
    root: 'nested',
    ops: [a({struct: {name: 'a'}}), u({struct: {name: 'b', value: 1}}), a({struct: null})],
    object: {struct: {name: 'b', value: 1}},
    managed: {controller: ['.struct.name', '.struct.value']},
  },
  {
    name: 'deduced: recursive maps shared by appliers and updaters',
    root: undefined,
    ops: [
      a({a: {b: null}, c: {d: null}}, 'apply-one'),
      a({a: null, c: {d: null}}, 'apply-two'),
      u({a: {b: {c: null}}, c: {d: {e: null}}}, 'controller-one'),
      u({a: {b: {c: {d: null}}}, c: {d: {e: {f: null}}}}, 'controller-two'),
      u({a: {b: {c: {d: {e: null}}}}, c: {d: {e: {f: {g: null}}}}}, 'controller-one'),
      a({}, 'apply-one'),
    ],
    object: {a: null, c: {d: {e: {f: {g: null}}}}},
    managed: {
      'apply-two': ['.a', '.c', '.c.d'],
      'controller-one': ['.c.d.e', '.c.d.e.f.g'],
      'controller-two': ['.c.d.e.f'],
    },
  },
]

describe('ssa: structured-merge-diff scenarios', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const s = c.root === undefined ? new Scenario(PatchSchema.schemaless(), 'v1', 'Test') : Scenario.custom(META, c.root)
      s.run(c.ops)
      assert.deepEqual(s.body(), c.object)
      assert.deepEqual(s.owned(), c.managed)
    })
  }
})
