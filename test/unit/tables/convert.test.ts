// The Table envelope convertToTable builds: list metadata, column definitions, row objects per
// includeObject, printer choice for built-in, unknown and custom kinds, CRD printer columns, APIService.
import {strict as assert} from 'node:assert'
import {asPartialObjectMetadata, printerFor} from '../../../src/apiserver/tables/index.js'
import {ago, cells, headers, table} from './helpers.js'

type Json = Record<string, unknown>

const cm = (name: string, extra: Json = {}): Json => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {name, namespace: 'default', uid: 'u-' + name, resourceVersion: '42', creationTimestamp: ago(60), labels: {a: 'b'}, ...extra},
  data: {k: 'v'},
})

describe('tables/convert', () => {
  describe('envelope', () => {
    it('is a meta.k8s.io/v1 Table with list metadata', () => {
      const t = table('ConfigMap', '', [cm('a'), cm('b')], {listMeta: {resourceVersion: '100', continue: 'tok', remainingItemCount: 3}})
      assert.equal(t.kind, 'Table')
      assert.equal(t.apiVersion, 'meta.k8s.io/v1')
      assert.deepEqual(t.metadata, {resourceVersion: '100', continue: 'tok', remainingItemCount: 3})
      assert.equal(t.rows.length, 2)
    })
    it('omits empty list metadata but keeps a remainingItemCount of 0', () => {
      assert.deepEqual(table('ConfigMap', '', [], {listMeta: {resourceVersion: '', remainingItemCount: 0}}).metadata, {remainingItemCount: 0})
    })
    it("a single object's table carries its resourceVersion", () => {
      assert.deepEqual(table('ConfigMap', '', [cm('a')]).metadata, {resourceVersion: '42'})
    })
    it('column definitions carry type, format, description and priority', () => {
      const cols = table('Pod', '', []).columnDefinitions
      assert.deepEqual(Object.keys(cols[0]!), ['name', 'type', 'format', 'description', 'priority'])
      assert.equal(cols[0]!.format, 'name')
      assert.match(cols[0]!.description, /^Name must be unique within a namespace/)
      assert.match(cols[4]!.description, /^CreationTimestamp is a timestamp/)
      assert.equal(cols[3]!.type, 'string')
      assert.equal(cols[5]!.priority, 1)
    })
    it('noHeaders leaves the column definitions out', () => {
      assert.deepEqual(table('Pod', '', [], {noHeaders: true}).columnDefinitions, [])
    })
    it('tables are fresh copies: editing one does not leak into the next', () => {
      const first = table('Pod', '', [])
      first.columnDefinitions[0]!.name = 'changed'
      assert.equal(table('Pod', '', []).columnDefinitions[0]!.name, 'Name')
    })
  })

  describe('row objects', () => {
    it('default (Metadata): PartialObjectMetadata with the whole ObjectMeta', () => {
      const row = table('ConfigMap', '', [cm('a', {ownerReferences: [{apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'x'}], managedFields: [{manager: 'kubectl'}]})]).rows[0]!
      assert.deepEqual(row.object, {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: {
          name: 'a',
          namespace: 'default',
          uid: 'u-a',
          resourceVersion: '42',
          creationTimestamp: ago(60),
          labels: {a: 'b'},
          ownerReferences: [{apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'x'}],
          managedFields: [{manager: 'kubectl'}],
        },
      })
    })
    it('PartialObjectMetadata keeps Go field order and a null creationTimestamp', () => {
      const p = asPartialObjectMetadata({metadata: {labels: {x: 'y'}, name: 'n', generation: 0, annotations: {}, finalizers: []}})
      assert.deepEqual(p.metadata, {name: 'n', creationTimestamp: null, labels: {x: 'y'}})
      assert.deepEqual(Object.keys(asPartialObjectMetadata(cm('z')).metadata), ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'labels'])
    })
    it('the metadata is copied, not shared', () => {
      const o = cm('a')
      const p = table('ConfigMap', '', [o]).rows[0]!.object as {metadata: {labels: Record<string, string>}}
      p.metadata.labels['a'] = 'changed'
      assert.deepEqual((o['metadata'] as Json)['labels'], {a: 'b'})
    })
    it('Object: the object itself', () => {
      const o = cm('a')
      assert.equal(table('ConfigMap', '', [o], {includeObject: 'Object'}).rows[0]!.object, o)
    })
    it('None: null', () => {
      assert.equal(table('ConfigMap', '', [cm('a')], {includeObject: 'None'}).rows[0]!.object, null)
    })
  })

  describe('printer choice', () => {
    it('built-in kinds use their printer', () => assert.deepEqual(headers('ConfigMap', ''), ['Name', 'Data', 'Age']))
    it('a kind of a built-in group without a printer gets NAME / CREATED AT', () => {
      assert.deepEqual(headers('CustomResourceDefinition', 'apiextensions.k8s.io'), ['Name', 'Created At'])
      assert.deepEqual(headers('LimitRange', ''), ['Name', 'Created At'])
    })
    it('a kind of another group is a custom resource with the default AGE column', () => {
      const t = table('Widget', 'example.com', [{metadata: {name: 'w1', creationTimestamp: ago(7200)}}])
      assert.deepEqual(
        t.columnDefinitions.map((c) => [c.name, c.type]),
        [
          ['Name', 'string'],
          ['Age', 'date'],
        ],
      )
      assert.deepEqual(t.rows[0]!.cells, ['w1', '120m'])
    })
    it('printerFor is stable for built-in kinds', () => assert.equal(printerFor('apps', 'Deployment'), printerFor('apps', 'Deployment')))
  })

  describe('custom resources with additionalPrinterColumns', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: {name: 'w1', namespace: 'default', creationTimestamp: ago(300)},
      spec: {size: 3, ratio: 0.25, enabled: true, owner: 'team-a', tags: ['x', 'y'], config: {b: 1, a: '<x>'}},
      status: {
        conditions: [
          {type: 'Synced', status: 'False'},
          {type: 'Ready', status: 'True', lastTransitionTime: ago(90)},
        ],
        phase: 'Running',
      },
    }
    const columns = [
      {name: 'Owner', type: 'string', jsonPath: '.spec.owner'},
      {name: 'Size', type: 'integer', jsonPath: '.spec.size'},
      {name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1},
      {name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled'},
      {name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status'},
      {name: 'Since', type: 'date', jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime'},
      {name: 'Tags', type: 'string', jsonPath: '.spec.tags'},
      {name: 'Config', type: 'string', jsonPath: '.spec.config'},
      {name: 'Missing', type: 'string', jsonPath: '.status.nothing'},
      {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp'},
    ]
    it('columns follow the definitions after NAME', () => {
      const t = table('Widget', 'example.com', [], {printerColumns: columns})
      assert.deepEqual(
        t.columnDefinitions.map((c) => [c.name, c.type, c.priority]),
        [['Name', 'string', 0], ...columns.map((c) => [c.name, c.type, c.priority ?? 0])],
      )
      assert.equal(t.columnDefinitions[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.owner')
    })
    it('cells are typed by the column type; strings print JSON for lists and maps', () => {
      assert.deepEqual(cells('Widget', 'example.com', widget, {printerColumns: columns}), [
        'w1',
        'team-a',
        3,
        0.25,
        true,
        'True',
        '90s',
        '["x","y"]',
        '{"a":"\\u003cx\\u003e","b":1}',
        null,
        '5m',
      ])
    })
    it('values of the wrong type become empty cells; bad dates are <invalid>', () => {
      const cols = [
        {name: 'A', type: 'integer', jsonPath: '.spec.owner'},
        {name: 'B', type: 'boolean', jsonPath: '.spec.size'},
        {name: 'C', type: 'date', jsonPath: '.spec.owner'},
        {name: 'D', type: 'integer', jsonPath: '.spec.ratio'},
        {name: 'E', type: 'string', jsonPath: '.spec.size'},
      ]
      assert.deepEqual(cells('Widget', 'example.com', widget, {printerColumns: cols}), ['w1', null, null, '<invalid>', 0, '3'])
    })
    it('a column whose JSONPath does not parse ends the column list', () => {
      const cols = [
        {name: 'Owner', type: 'string', jsonPath: '.spec.owner'},
        {name: 'Broken', type: 'string', jsonPath: '.spec[unclosed'},
        {name: 'Size', type: 'integer', jsonPath: '.spec.size'},
      ]
      assert.deepEqual(headers('Widget', 'example.com', {printerColumns: cols}), ['Name', 'Owner'])
    })
  })

  describe('APIService', () => {
    const svc = (spec: Json, conditions: Json[]): Json => ({metadata: {name: 'v1beta1.metrics.k8s.io', creationTimestamp: ago(86400)}, spec, status: {conditions}})
    it('columns', () => assert.deepEqual(headers('APIService', 'apiregistration.k8s.io'), ['Name', 'Service', 'Available', 'Age']))
    it('local and remote, available or not', () => {
      assert.deepEqual(cells('APIService', 'apiregistration.k8s.io', svc({}, [{type: 'Available', status: 'True', reason: 'Local'}])), ['v1beta1.metrics.k8s.io', 'Local', 'True', '24h'])
      assert.deepEqual(
        cells('APIService', 'apiregistration.k8s.io', svc({service: {namespace: 'kube-system', name: 'metrics-server'}}, [{type: 'Available', status: 'False', reason: 'MissingEndpoints'}])).slice(1, 3),
        ['kube-system/metrics-server', 'False (MissingEndpoints)'],
      )
      assert.equal(cells('APIService', 'apiregistration.k8s.io', svc({}, []))[2], 'Unknown')
    })
  })
})
