// Server-side apply on real Kubernetes types: ownership after create and re-apply, removal of what an
// applier stops sending, shared ownership, conflicts and their messages, force, list and map types,
// null, reset status, the status subresource, and client-side apply meeting server-side apply.
import {strict as assert} from 'node:assert'
import {deepClone, type JsonMap} from '../../../../src/patch/json-value.js'
import {
  ApplyBadRequestError,
  ApplyConflictError,
  ApplyTypedObjectError,
  LAST_APPLIED_ANNOTATION,
  serverSideApply,
  trackUpdate,
} from '../../../../src/patch/ssa/index.js'
import {Scenario, kindSchema, timeAt} from './harness.js'
import {configMap, deployment} from './objects.js'

const DEPLOY = kindSchema('apps/v1', 'Deployment')

function deploy(): Scenario {
  return new Scenario(DEPLOY, 'apps/v1', 'Deployment', 'web')
}

function spec(obj: JsonMap | undefined): JsonMap {
  return (obj?.spec ?? {}) as JsonMap
}

function containers(obj: JsonMap | undefined): JsonMap[] {
  return ((spec(obj).template as JsonMap).spec as {containers: JsonMap[]}).containers
}

function conflictOf(fn: () => unknown): ApplyConflictError {
  try {
    fn()
  } catch (err) {
    if (err instanceof ApplyConflictError) return err
    throw err
  }
  throw new Error('expected an apply conflict')
}

/** A minimal apply config for the web Deployment with the given spec. */
function webConfig(specBody: JsonMap, metadata: JsonMap = {}): JsonMap {
  return {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', ...metadata}, spec: specBody}
}

describe('ssa: serverSideApply', () => {
  it('create: the object is the config, owned without "." on structs and maps', () => {
    const s = deploy()
    const obj = s.apply(deployment(), 'kubectl')
    assert.deepEqual(spec(obj), spec(deployment()))
    const [entry] = s.entries()
    assert.deepEqual(
      {manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion, time: entry.time},
      {manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z'},
    )
    assert.deepEqual(entry.fieldsV1, {
      'f:metadata': {'f:labels': {'f:app': {}}},
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': {'f:labels': {'f:app': {}}},
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}}},
              },
            },
          },
        },
      },
    })
  })

  it('matches the apiserver for apply, then two merge patches by one updater (TestApplyManagedFields)', () => {
    const s = new Scenario(kindSchema('v1', 'ConfigMap'), 'v1', 'ConfigMap', 'test-cm')
    s.apply({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'test-cm', namespace: 'default', labels: {'test-label': 'test'}}, data: {key: 'value'}}, 'apply_test')
    const patched = deepClone(s.object) as JsonMap
    ;(patched.data as JsonMap)['new-key'] = 'value'
    s.update(patched, 'updater')
    const again = deepClone(s.object) as JsonMap
    ;(again.data as JsonMap).key = 'new value'
    s.update(again, 'updater')
    assert.deepEqual(s.entries(), [
      {manager: 'apply_test', operation: 'Apply', apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {'f:metadata': {'f:labels': {'f:test-label': {}}}}},
      {manager: 'updater', operation: 'Update', apiVersion: 'v1', time: '2024-01-01T00:00:02Z', fieldsType: 'FieldsV1', fieldsV1: {'f:data': {'f:key': {}, 'f:new-key': {}}}},
    ])
    assert.deepEqual(s.object?.data, {key: 'new value', 'new-key': 'value'})
  })

  it('removes a container port the applier stopped sending (TestApplyRemoveContainerPort)', () => {
    const s = deploy()
    s.apply(deployment(), 'apply_test')
    const without = deployment()
    delete containers(without)[0].ports
    s.apply(without, 'apply_test')
    assert.equal(containers(s.object)[0].ports, undefined)
    assert.equal(JSON.stringify(s.entries()).includes('f:ports'), false)
  })

  it('an apply that sets nothing leaves no entry (TestApplyRemovesEmptyManagedFields)', () => {
    const s = new Scenario(kindSchema('v1', 'ConfigMap'), 'v1', 'ConfigMap', 'test-cm')
    const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'test-cm', namespace: 'default'}}
    s.apply(cm, 'apply_test')
    s.apply(cm, 'apply_test')
    assert.equal((s.object?.metadata as JsonMap).managedFields, undefined)
  })

  it('keeps a field another manager still owns when the applier drops it', () => {
    const s = deploy()
    s.apply(webConfig({replicas: 3, paused: false}), 'a')
    s.apply(webConfig({replicas: 3}), 'b')
    s.apply(webConfig({paused: false}), 'a')
    assert.equal(spec(s.object).replicas, 3)
    assert.deepEqual(s.owned(), {a: ['.spec.paused'], b: ['.spec.replicas']})
  })

  it('the same value applied by two managers is shared, without conflict', () => {
    const s = deploy()
    s.apply(webConfig({replicas: 3}), 'a')
    s.apply(webConfig({replicas: 3}), 'b')
    assert.deepEqual(s.owned(), {a: ['.spec.replicas'], b: ['.spec.replicas']})
    // The second apply changed nothing in the object, so its entry gets no time.
    assert.equal(s.entries().find((e) => e.manager === 'b')?.time, undefined)
  })

  it('conflicts between two appliers name the other applier without a version', () => {
    const s = deploy()
    s.apply(webConfig({replicas: 3}), 'a')
    const err = conflictOf(() => s.apply(webConfig({replicas: 5}), 'b'))
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "a": .spec.replicas')
    assert.deepEqual(err.conflicts, [{manager: 'a', apiVersion: 'apps/v1', field: '.spec.replicas', message: 'conflict with "a"'}])
    assert.equal(spec(s.object).replicas, 3)
  })

  it('conflicts with an updater name it with its version', () => {
    const s = deploy()
    s.update(deployment({replicas: 3}), 'kubectl-client-side-apply')
    const err = conflictOf(() => s.apply(webConfig({replicas: 5}), 'mgr'))
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas')
  })

  it('lists several conflicts grouped by manager', () => {
    const s = deploy()
    s.update(deployment({replicas: 3, image: 'nginx:1.26'}), 'alpha')
    s.apply(webConfig({replicas: 3, paused: false}), 'zeta')
    const err = conflictOf(() =>
      s.apply(webConfig({replicas: 9, paused: true, template: {spec: {containers: [{name: 'web', image: 'nginx:2'}]}}}), 'newcomer'),
    )
    assert.equal(
      err.message,
      [
        'Apply failed with 4 conflicts: conflicts with "alpha" using apps/v1:',
        '- .spec.replicas',
        '- .spec.template.spec.containers[name="web"].image',
        'conflicts with "zeta":',
        '- .spec.paused',
        '- .spec.replicas',
      ].join('\n'),
    )
    assert.deepEqual(
      err.conflicts.map((c) => `${c.manager} ${c.field}`),
      ['alpha .spec.replicas', 'alpha .spec.template.spec.containers[name="web"].image', 'zeta .spec.paused', 'zeta .spec.replicas'],
    )
  })

  it('force takes the field and removes it from the previous owner', () => {
    const s = deploy()
    s.apply(webConfig({replicas: 3, paused: false}), 'a')
    s.apply(webConfig({replicas: 5}), 'b', {force: true})
    assert.equal(spec(s.object).replicas, 5)
    assert.deepEqual(s.owned(), {a: ['.spec.paused'], b: ['.spec.replicas']})
  })

  it('an updater that changes an applied field takes it; the applier omitting it later keeps it in place', () => {
    const s = deploy()
    s.apply(webConfig({replicas: 3, paused: false}), 'applier')
    const scaled = deepClone(s.object) as JsonMap
    spec(scaled).replicas = 7
    s.update(scaled, 'hpa')
    assert.deepEqual(s.owned(), {applier: ['.spec.paused'], hpa: ['.spec.replicas']})
    s.apply(webConfig({paused: false}), 'applier')
    assert.equal(spec(s.object).replicas, 7)
    const err = conflictOf(() => s.apply(webConfig({replicas: 3, paused: false}), 'applier'))
    assert.equal(err.conflicts[0].message, 'conflict with "hpa" using apps/v1')
  })

  it('merges containers by name: each applier keeps its own container', () => {
    const s = deploy()
    s.apply(deployment(), 'app')
    s.apply(webConfig({template: {spec: {containers: [{name: 'sidecar', image: 'envoy'}]}}}), 'mesh')
    assert.deepEqual(containers(s.object).map((c) => c.name), ['web', 'sidecar'])
    s.apply(deployment({image: 'nginx:1.26'}), 'app')
    assert.deepEqual(containers(s.object).map((c) => `${c.name}=${c.image}`), ['web=nginx:1.26', 'sidecar=envoy'])
    s.apply(webConfig({}), 'mesh')
    assert.deepEqual(containers(s.object).map((c) => c.name), ['web'])
  })

  it('merges ports by containerPort and protocol', () => {
    const s = deploy()
    s.apply(deployment(), 'app')
    s.apply(webConfig({template: {spec: {containers: [{name: 'web', ports: [{containerPort: 80, protocol: 'UDP'}, {containerPort: 443}]}]}}}), 'other')
    const ports = containers(s.object)[0].ports as JsonMap[]
    assert.deepEqual(ports, [{containerPort: 80}, {containerPort: 80, protocol: 'UDP'}, {containerPort: 443}])
    const other = s.entries().find((e) => e.manager === 'other')?.fieldsV1 as JsonMap
    const c = (((other['f:spec'] as JsonMap)['f:template'] as JsonMap)['f:spec'] as JsonMap)['f:containers'] as JsonMap
    assert.deepEqual(Object.keys((c['k:{"name":"web"}'] as JsonMap)['f:ports'] as JsonMap), [
      'k:{"containerPort":80,"protocol":"UDP"}',
      'k:{"containerPort":443,"protocol":"TCP"}',
    ])
  })

  it('treats finalizers as a set: appliers add and remove their own items', () => {
    const s = deploy()
    s.apply(webConfig({}, {finalizers: ['a.example.com/x']}), 'one')
    s.apply(webConfig({}, {finalizers: ['b.example.com/y']}), 'two')
    assert.deepEqual((s.object?.metadata as JsonMap).finalizers, ['a.example.com/x', 'b.example.com/y'])
    s.apply(webConfig({}, {finalizers: []}), 'one')
    assert.deepEqual((s.object?.metadata as JsonMap).finalizers, ['b.example.com/y'])
    assert.deepEqual(s.owned(), {two: ['.metadata.finalizers[="b.example.com/y"]']})
  })

  it('owns and replaces an atomic list (args) as a whole', () => {
    const s = deploy()
    const withArgs = (args: string[]): JsonMap => webConfig({template: {spec: {containers: [{name: 'web', args}]}}})
    s.apply(withArgs(['--a', '--b']), 'one')
    s.apply(withArgs(['--a', '--b']), 'two')
    const err = conflictOf(() => s.apply(withArgs(['--c']), 'two'))
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "one": .spec.template.spec.containers[name="web"].args')
    s.apply(withArgs(['--c']), 'two', {force: true})
    assert.deepEqual(containers(s.object)[0].args, ['--c'])
    assert.deepEqual(s.owned().one, ['.spec.template.spec.containers[name="web"]', '.spec.template.spec.containers[name="web"].name'])
  })

  it('granular labels: two appliers own different keys of one map', () => {
    const s = deploy()
    s.apply(webConfig({}, {labels: {team: 'a'}}), 'one')
    s.apply(webConfig({}, {labels: {tier: 'web'}}), 'two')
    assert.deepEqual((s.object?.metadata as JsonMap).labels, {team: 'a', tier: 'web'})
    s.apply(webConfig({}, {labels: {}}), 'one')
    assert.deepEqual((s.object?.metadata as JsonMap).labels, {tier: 'web'})
  })

  it('atomic nodeSelector: changing any key conflicts on the whole map', () => {
    const s = deploy()
    const withSelector = (sel: JsonMap): JsonMap => webConfig({template: {spec: {nodeSelector: sel}}})
    s.apply(withSelector({disk: 'ssd'}), 'one')
    const err = conflictOf(() => s.apply(withSelector({disk: 'ssd', zone: 'a'}), 'two'))
    assert.equal(err.conflicts[0].field, '.spec.template.spec.nodeSelector')
    s.apply(withSelector({zone: 'a'}), 'two', {force: true})
    assert.deepEqual((spec(s.object).template as {spec: JsonMap}).spec.nodeSelector, {zone: 'a'})
  })

  it('null in the config removes the field and keeps it owned', () => {
    const s = deploy()
    s.apply(webConfig({replicas: 3}), 'one')
    s.apply(webConfig({replicas: null}), 'one')
    assert.equal('replicas' in spec(s.object), false)
    assert.deepEqual(s.owned(), {one: ['.spec.replicas']})
  })

  it('ignores status on the main resource and keeps the live status', () => {
    const s = deploy()
    s.apply({...deployment(), status: {replicas: 9}}, 'one')
    assert.equal(s.object?.status, undefined)
    s.object = {...(s.object as JsonMap), status: {replicas: 1}}
    s.apply({...deployment(), status: {replicas: 9}}, 'one')
    assert.deepEqual(s.object?.status, {replicas: 1})
    assert.equal(JSON.stringify(s.entries()).includes('f:status'), false)
  })

  it('the status subresource owns status only and leaves spec alone', () => {
    const s = deploy()
    s.apply(deployment(), 'one')
    s.apply({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {replicas: 100}, status: {readyReplicas: 2}}, 'controller', {subresource: 'status'})
    assert.equal(spec(s.object).replicas, 2)
    assert.deepEqual(s.object?.status, {readyReplicas: 2})
    const entry = s.entries().find((e) => e.manager === 'controller')
    assert.equal(entry?.subresource, 'status')
    assert.deepEqual(entry?.fieldsV1, {'f:status': {'f:readyReplicas': {}}})
  })

  it('a repeated identical apply changes nothing, not even the entry time', () => {
    const s = deploy()
    s.apply(deployment(), 'one')
    const before = deepClone(s.object)
    s.apply(deployment(), 'one')
    assert.deepEqual(s.object, before)
  })

  it('objects nobody tracked: existing fields belong to before-first-apply', () => {
    const live = {...deployment({replicas: 4}), metadata: {name: 'web', namespace: 'default', uid: 'u1'}}
    const err = conflictOf(() =>
      serverSideApply({live, config: webConfig({replicas: 5}), manager: 'one', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(1)}),
    )
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas')
    const out = serverSideApply({live, config: webConfig({replicas: 4}), manager: 'one', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(1)})
    const managers = ((out as {metadata: {managedFields: Array<{manager: string}>}}).metadata.managedFields).map((e) => e.manager)
    assert.deepEqual(managers, ['one', 'before-first-apply'])
  })

  it('custom resources without schema: nested maps merge and removed keys go', () => {
    const s = new Scenario(kindSchema('example.com/v1', 'Widget'), 'example.com/v1', 'Widget', 'w')
    s.apply({spec: {size: 1, config: {a: 1, b: 2}, list: [1, 2]}}, 'one')
    s.apply({spec: {config: {c: 3}}}, 'two')
    s.apply({spec: {size: 1, config: {a: 1}, list: [3]}}, 'one')
    assert.deepEqual(s.body(), {spec: {size: 1, config: {a: 1, c: 3}, list: [3]}})
    assert.deepEqual(s.owned().two, ['.spec', '.spec.config', '.spec.config.c'])
  })
})

describe('ssa: client-side apply meeting server-side apply', () => {
  function csaCreated(replicas: number): JsonMap {
    const obj = deployment({replicas})
    const lastApplied = JSON.stringify(deployment({replicas})) + '\n'
    ;(obj.metadata as JsonMap).annotations = {[LAST_APPLIED_ANNOTATION]: lastApplied}
    return trackUpdate({old: undefined, updated: obj, manager: 'kubectl-client-side-apply', schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(0)}) as JsonMap
  }

  it('kubectl takes over fields the last-applied configuration still accounts for, and rewrites it', () => {
    const live = csaCreated(2)
    const config = deployment({replicas: 5})
    const out = serverSideApply({live, config, manager: 'kubectl', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(1)}) as JsonMap
    assert.equal(spec(out).replicas, 5)
    const annotation = ((out.metadata as JsonMap).annotations as JsonMap)[LAST_APPLIED_ANNOTATION]
    assert.equal(
      annotation,
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":5,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.25","name":"web","ports":[{"containerPort":80}]}]}}}}\n',
    )
    const entries = (out.metadata as {managedFields: Array<{manager: string; fieldsV1: JsonMap}>}).managedFields
    const csa = entries.find((e) => e.manager === 'kubectl-client-side-apply')
    assert.equal(JSON.stringify(csa?.fieldsV1).includes('f:replicas'), false)
  })

  it('other managers still conflict with the client-side apply fields', () => {
    const live = csaCreated(2)
    const err = conflictOf(() =>
      serverSideApply({live, config: deployment({replicas: 5}), manager: 'my-tool', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(1)}),
    )
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas')
  })

  it('fields that drifted from the last-applied configuration still conflict', () => {
    const live = csaCreated(2)
    const scaled = deepClone(live)
    spec(scaled).replicas = 3
    const afterScale = trackUpdate({old: live, updated: scaled, manager: 'kubectl-client-side-apply', schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(1)})
    const err = conflictOf(() =>
      serverSideApply({live: afterScale, config: deployment({replicas: 5}), manager: 'kubectl', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(2)}),
    )
    assert.equal(err.conflicts.map((c) => c.field).join(), '.spec.replicas')
  })
})

describe('ssa: apply errors', () => {
  const args = {live: undefined, manager: 'm', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(0)}

  it('refuses managedFields in the config', () => {
    const config = webConfig({}, {managedFields: []})
    assert.throws(() => serverSideApply({...args, config}), (e: unknown) => e instanceof ApplyBadRequestError && e.message === 'metadata.managedFields must be nil')
  })

  it('refuses a config of another version', () => {
    const config = {...webConfig({}), apiVersion: 'extensions/v1beta1'}
    assert.throws(() => serverSideApply({...args, config}), {
      message: 'Incorrect version specified in apply patch. Specified patch version: extensions/v1beta1, expected: apps/v1',
    })
  })

  it('reports list items without their key as the typed patch error', () => {
    const config = {...webConfig({template: {spec: {containers: [{image: 'x'}]}}}), metadata: {name: 'web', namespace: 'ns'}}
    assert.throws(
      () => serverSideApply({...args, config}),
      (e: unknown) =>
        e instanceof ApplyTypedObjectError &&
        e.message ===
          'failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    )
  })

  it('reports duplicate keys in the config', () => {
    const config = webConfig({template: {spec: {containers: [{name: 'a'}, {name: 'a'}]}}})
    assert.throws(() => serverSideApply({...args, config}), /\.spec\.template\.spec\.containers: duplicate entries for key \[name="a"\]/)
  })

  it('refuses live managedFields it cannot decode', () => {
    const live = {...configMap({a: '1'}), metadata: {name: 'cfg', managedFields: [{manager: 'x', operation: 'Patch', apiVersion: 'v1'}]}}
    const cm = kindSchema('v1', 'ConfigMap')
    assert.throws(
      () => serverSideApply({...args, live, config: configMap({a: '2'}), schema: cm, apiVersion: 'v1'}),
      {message: 'failed to decode managed fields: operation must be `Apply` or `Update`'},
    )
  })
})
