// Cases ported from apimachinery's meta/v1 controller_ref_test.go and api/validation
// objectmeta_test.go (owner references), with the API server's exact messages.
import {strict as assert} from 'node:assert'
import {formatFieldError} from '../../../src/api/names.js'
import {
  type OwnedObject,
  type OwnerReference,
  getControllerOf,
  hasOwner,
  isControlledBy,
  newControllerRef,
  validateOwnerReferences,
} from '../../../src/api/owner.js'

const gvk = {group: 'group', version: 'v1', kind: 'Kind'}

describe('controller references', () => {
  it('newControllerRef fills every field and sets both flags', () => {
    const ref = newControllerRef({metadata: {name: 'name', uid: 'uid1'}}, gvk)
    assert.deepEqual(ref, {apiVersion: 'group/v1', kind: 'Kind', name: 'name', uid: 'uid1', controller: true, blockOwnerDeletion: true})
  })
  it('newControllerRef accepts an apiVersion and the core group', () => {
    assert.equal(newControllerRef({metadata: {name: 'n', uid: 'u'}}, {apiVersion: 'apps/v1', kind: 'ReplicaSet'}).apiVersion, 'apps/v1')
    assert.equal(newControllerRef({metadata: {name: 'n', uid: 'u'}}, {version: 'v1', kind: 'Pod'}).apiVersion, 'v1')
  })

  const owner1: OwnedObject = {metadata: {uid: 'uid1', name: 'name1'}}
  const controllerRef = newControllerRef(owner1, gvk)
  const obj2: OwnedObject = {
    metadata: {
      uid: 'uid2',
      name: 'name1',
      ownerReferences: [
        {apiVersion: 'v1', kind: 'K', name: 'owner1', uid: 'o1', controller: false},
        controllerRef,
        {apiVersion: 'v1', kind: 'K', name: 'owner2', uid: 'o2', controller: false},
      ],
    },
  }

  it('getControllerOf is undefined without a controller', () => assert.equal(getControllerOf(owner1), undefined))
  it('getControllerOf finds the controlling reference', () => {
    const c = getControllerOf(obj2)!
    assert.equal(c.name, controllerRef.name)
    assert.equal(c.uid, controllerRef.uid)
  })
  it('getControllerOf returns a copy', () => {
    getControllerOf(obj2)!.name = 'changed'
    assert.equal(obj2.metadata!.ownerReferences![1]!.name, 'name1')
  })
  it('getControllerOf ignores references with controller unset', () => {
    const ref = {...controllerRef}
    delete ref.controller
    assert.equal(getControllerOf({metadata: {ownerReferences: [ref, ref]}}), undefined)
  })

  it('isControlledBy follows one level only', () => {
    const a: OwnedObject = {metadata: {uid: 'uid1'}}
    const b: OwnedObject = {metadata: {uid: 'uid2', ownerReferences: [newControllerRef(a, gvk)]}}
    const c: OwnedObject = {metadata: {uid: 'uid3', ownerReferences: [newControllerRef(b, gvk)]}}
    assert.ok(isControlledBy(b, a))
    assert.ok(isControlledBy(c, b))
    assert.ok(!isControlledBy(c, a))
  })
  it('hasOwner looks at every reference', () => {
    assert.ok(hasOwner(obj2, 'o2'))
    assert.ok(hasOwner(obj2, 'uid1'))
    assert.ok(!hasOwner(obj2, 'nope'))
    assert.ok(!hasOwner({}, 'x'))
  })
})

describe('ValidateOwnerReferences', () => {
  const ref = (over: Partial<OwnerReference>): OwnerReference => ({
    apiVersion: 'customresourceVersion',
    kind: 'customresourceKind',
    name: 'name',
    uid: '1',
    ...over,
  })
  const cases: [string, OwnerReference[], string[]][] = [
    ['third-party extension', [ref({})], []],
    ['core group apiVersion', [ref({apiVersion: 'v1', kind: 'Pod'})], []],
    ['named group apiVersion', [ref({apiVersion: 'apps/v1', kind: 'ReplicaSet'})], []],
    [
      'Event may not own',
      [ref({apiVersion: 'v1', kind: 'Event'})],
      ['metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"name","uid":"1"}: /v1, Kind=Event is disallowed from being an owner'],
    ],
    ['events.k8s.io Event may own', [ref({apiVersion: 'events.k8s.io/v1', kind: 'Event'})], []],
    ['too many slashes', [ref({apiVersion: 'a/b/c', kind: 'Pod'})], ['metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty']],
    ['empty version', [ref({apiVersion: 'foo/', kind: 'Pod'})], ['metadata.ownerReferences.apiVersion: Invalid value: "foo/": version must not be empty']],
    ['empty apiVersion', [ref({apiVersion: ''})], ['metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty']],
    ['empty kind', [ref({kind: ''})], ['metadata.ownerReferences.kind: Invalid value: "": must not be empty']],
    ['empty name', [ref({name: ''})], ['metadata.ownerReferences.name: Invalid value: "": must not be empty']],
    ['empty uid', [ref({uid: ''})], ['metadata.ownerReferences.uid: Invalid value: "": must not be empty']],
    [
      'everything empty',
      [{apiVersion: '', kind: '', name: '', uid: ''}],
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    ],
    [
      'one controller among several',
      [ref({uid: '1', controller: false}), ref({uid: '2', controller: true}), ref({uid: '3', controller: false}), ref({uid: '4'})],
      [],
    ],
  ]
  for (const [name, refs, want] of cases) {
    it(name, () => assert.deepEqual(validateOwnerReferences(refs).map(formatFieldError), want))
  }

  it('refuses two controllers and shows the whole list', () => {
    const refs = [
      ref({kind: 'customresourceKind1', uid: '1', controller: false}),
      ref({kind: 'customresourceKind2', uid: '2', controller: true}),
      ref({kind: 'customresourceKind3', uid: '3', controller: true}),
      ref({kind: 'customresourceKind4', uid: '4'}),
    ]
    const shown =
      '[{"apiVersion":"customresourceVersion","kind":"customresourceKind1","name":"name","uid":"1","controller":false},' +
      '{"apiVersion":"customresourceVersion","kind":"customresourceKind2","name":"name","uid":"2","controller":true},' +
      '{"apiVersion":"customresourceVersion","kind":"customresourceKind3","name":"name","uid":"3","controller":true},' +
      '{"apiVersion":"customresourceVersion","kind":"customresourceKind4","name":"name","uid":"4"}]'
    assert.deepEqual(validateOwnerReferences(refs).map(formatFieldError), [
      `metadata.ownerReferences: Invalid value: ${shown}: Only one reference can have Controller set to true. Found "true" in references for customresourceKind2/name and customresourceKind3/name`,
    ])
  })
  it('reports each extra controller against the first', () => {
    const refs = [ref({kind: 'A', controller: true}), ref({kind: 'B', controller: true}), ref({kind: 'C', controller: true})]
    const details = validateOwnerReferences(refs).map((e) => e.detail)
    assert.deepEqual(details, [
      'Only one reference can have Controller set to true. Found "true" in references for A/name and B/name',
      'Only one reference can have Controller set to true. Found "true" in references for A/name and C/name',
    ])
  })
  it('uses the given path and tolerates a missing list', () => {
    assert.equal(validateOwnerReferences([ref({uid: ''})], 'x.ownerReferences')[0]!.field, 'x.ownerReferences.uid')
    assert.deepEqual(validateOwnerReferences(undefined), [])
    assert.deepEqual(validateOwnerReferences(null), [])
  })
})
