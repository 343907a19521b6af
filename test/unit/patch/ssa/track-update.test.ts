// Managed fields of non-apply writes (create, update, patch): what the writer owns, what others lose,
// entry merging, order and times, reset and client-supplied managedFields, untracked objects, the cap.
import {strict as assert} from 'node:assert'
import {deepClone, type JsonMap} from '../../../../src/patch/json-value.js'
import {type ManagedFieldsEntry, trackUpdate} from '../../../../src/patch/ssa/index.js'
import {Scenario, kindSchema, timeAt} from './harness.js'
import {configMap, deployment} from './objects.js'

const DEPLOY = kindSchema('apps/v1', 'Deployment')
const CM = kindSchema('v1', 'ConfigMap')

function cmScenario(): Scenario {
  return new Scenario(CM, 'v1', 'ConfigMap', 'cfg')
}

function entriesOf(obj: object): ManagedFieldsEntry[] {
  return ((obj as JsonMap).metadata as {managedFields?: ManagedFieldsEntry[]}).managedFields ?? []
}

describe('ssa: trackUpdate', () => {
  it('create: kubectl client-side apply owns what it sent, with "." on maps absent from the empty object', () => {
    const created = trackUpdate({
      old: undefined,
      updated: {...deployment(), metadata: {...(deployment().metadata as JsonMap), annotations: {'kubectl.kubernetes.io/last-applied-configuration': '{}\n'}}},
      manager: 'kubectl-client-side-apply',
      schema: DEPLOY,
      apiVersion: 'apps/v1',
      now: '2024-03-01T12:34:56.789Z',
    })
    const [entry] = entriesOf(created)
    assert.deepEqual(Object.keys(entry), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1'])
    assert.equal(entry.time, '2024-03-01T12:34:56Z')
    assert.deepEqual(entry.fieldsV1, {
      'f:metadata': {
        'f:annotations': {'.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {}},
        'f:labels': {'.': {}, 'f:app': {}},
      },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}},
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': {'.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}}},
              },
            },
          },
        },
      },
    })
  })

  it('create: a custom resource compares against apiVersion and kind only', () => {
    const s = new Scenario(kindSchema('example.com/v1', 'Widget'), 'example.com/v1', 'Widget')
    s.update({spec: {size: 1}}, 'creator')
    assert.deepEqual(s.entries()[0].fieldsV1, {'f:spec': {'.': {}, 'f:size': {}}})
  })

  it('an update takes changed fields from others and adds new ones', () => {
    const s = cmScenario()
    s.update(configMap({a: '1', b: '2'}), 'creator')
    s.update(configMap({a: 'changed', b: '2', c: '3'}), 'editor')
    // The creator added the data map itself (it is absent from the empty object), so it owns it too.
    assert.deepEqual(s.owned(), {creator: ['.data', '.data.b'], editor: ['.data.a', '.data.c']})
  })

  it('removing a field removes it from every owner', () => {
    const s = cmScenario()
    s.update(configMap({a: '1', b: '2'}), 'creator')
    s.update(configMap({a: '1'}), 'editor')
    assert.deepEqual(s.owned(), {creator: ['.data', '.data.a']})
  })

  it('merges the updates of one manager into one entry with the latest time', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}), 'creator')
    s.update(configMap({a: '1', b: '2'}), 'editor')
    s.update(configMap({a: '1', b: '2', c: '3'}), 'editor')
    const editor = s.entries().filter((e) => e.manager === 'editor')
    assert.equal(editor.length, 1)
    assert.equal(editor[0].time, '2024-01-01T00:00:02Z')
    assert.deepEqual(s.owned().editor, ['.data.b', '.data.c'])
  })

  it('keeps separate entries per apiVersion and per subresource', () => {
    const schema = kindSchema('apps/v1', 'Deployment')
    const first = trackUpdate({old: undefined, updated: deployment(), manager: 'm', schema, apiVersion: 'apps/v1', now: timeAt(0)})
    const scaled = deepClone(first) as JsonMap
    ;(scaled.spec as JsonMap).replicas = 5
    const afterScale = trackUpdate({old: first, updated: scaled, manager: 'm', schema, apiVersion: 'apps/v1', now: timeAt(1), subresource: 'scale'})
    const entries = entriesOf(afterScale)
    assert.deepEqual(
      entries.map((e) => [e.manager, e.operation, e.subresource ?? '']),
      [
        ['m', 'Update', ''],
        ['m', 'Update', 'scale'],
      ],
    )
    assert.deepEqual(entries[1].fieldsV1, {'f:spec': {'f:replicas': {}}})
  })

  it('a write that changes nothing leaves the entries and times alone', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}), 'creator')
    const before = deepClone(s.entries())
    s.update(configMap({a: '1'}), 'other')
    assert.deepEqual(s.entries(), before)
  })

  it('strips metadata that nobody owns: name, namespace, uid, resourceVersion, generation, creationTimestamp', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}, {uid: 'u', resourceVersion: '1', generation: 1, creationTimestamp: '2024-01-01T00:00:00Z', selfLink: '/x'}), 'creator')
    assert.deepEqual(s.owned(), {creator: ['.data', '.data.a']})
  })

  it('status is a reset field of the main resource; the status subresource owns it', () => {
    const schema = kindSchema('apps/v1', 'Deployment')
    const created = trackUpdate({old: undefined, updated: {...deployment(), status: {replicas: 1}}, manager: 'creator', schema, apiVersion: 'apps/v1', now: timeAt(0)})
    assert.equal(JSON.stringify(entriesOf(created)).includes('f:status'), false)
    const next = {...deepClone(created), status: {replicas: 2, readyReplicas: 2}}
    const updated = trackUpdate({old: created, updated: next, manager: 'kube-controller-manager', schema, apiVersion: 'apps/v1', now: timeAt(1), subresource: 'status'})
    const controller = entriesOf(updated).find((e) => e.subresource === 'status')
    assert.deepEqual(controller?.fieldsV1, {'f:status': {'f:readyReplicas': {}, 'f:replicas': {}}})
  })

  it('orders entries by operation, then time, then manager', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}), 'zeta')
    s.apply(configMap({b: '2'}), 'applier')
    s.update(configMap({a: '1', b: '2', c: '3'}), 'alpha')
    assert.deepEqual(
      s.entries().map((e) => `${e.operation}:${e.manager}`),
      ['Apply:applier', 'Update:zeta', 'Update:alpha'],
    )
  })

  it('honours managedFields sent with the update', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}), 'creator')
    const sent = {
      ...configMap({a: '1'}),
      metadata: {name: 'cfg', namespace: 'default', managedFields: [{manager: 'someone', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {'f:data': {'f:a': {}}}}]},
    }
    s.update(sent, 'editor')
    assert.deepEqual(s.owned(), {someone: ['.data.a']})
  })

  it('resets managedFields sent as [{}]; the object then stays untracked', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}, {uid: 'u1'}), 'creator')
    s.update({...configMap({a: '1'}, {uid: 'u1'}), metadata: {name: 'cfg', uid: 'u1', managedFields: [{}]}}, 'editor')
    assert.deepEqual(s.entries(), [])
    s.update(configMap({a: '2'}, {uid: 'u1'}), 'editor')
    assert.deepEqual(s.entries(), [])
  })

  it('an empty managedFields list also resets', () => {
    const s = cmScenario()
    s.update(configMap({a: '1'}, {uid: 'u1'}), 'creator')
    s.update({...configMap({a: '1'}, {uid: 'u1'}), metadata: {name: 'cfg', uid: 'u1', managedFields: []}}, 'editor')
    assert.equal((s.object?.metadata as JsonMap).managedFields, undefined)
  })

  it('caps update entries at ten, folding the oldest into ancient-changes', () => {
    const s = cmScenario()
    for (let n = 0; n < 12; n++) {
      const data: Record<string, string> = {}
      for (let m = 0; m <= n; m++) data[`k${m}`] = String(m)
      s.update(configMap(data), `manager-${String(n).padStart(2, '0')}`)
    }
    const managers = s.entries().map((e) => e.manager)
    assert.equal(managers.length, 10)
    assert.equal(managers[0], 'ancient-changes')
    assert.deepEqual(s.owned()['ancient-changes'], ['.data', '.data.k0', '.data.k1', '.data.k2'])
    assert.equal(s.entries()[0].time, timeAt(2).replace('.000', ''))
  })

  it('drops managedFields instead of failing when the object does not fit its schema', () => {
    const bad = deployment()
    ;((bad.spec as JsonMap).template as {spec: {containers: unknown[]}}).spec.containers = [{image: 'x'}]
    const out = trackUpdate({old: undefined, updated: bad, manager: 'm', schema: DEPLOY, apiVersion: 'apps/v1', now: timeAt(0)})
    assert.equal((out as {metadata: JsonMap}).metadata.managedFields, undefined)
  })
})
