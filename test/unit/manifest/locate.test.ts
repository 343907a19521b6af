// locateLine and formatFieldPath: field paths of read objects mapped back to file lines.
import {strict as assert} from 'node:assert'
import {formatFieldPath, locateLine} from '../../../src/manifest/index.js'
import {configMap, readContent, removeTempDirs} from './helpers.js'

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        ports:
        - containerPort: 80
          name: http
        - containerPort: 9090

          name: metrics
      - name: sidecar
        image: envoy
`

describe('locateLine', () => {
  after(removeTempDirs)

  it('finds nested fields and sequence items, adding the document offset', async () => {
    const r = await readContent(`${configMap('first')}---\n${deployment}`)
    const doc = r.objects[1]
    const at = (path: (string | number)[]) => locateLine(doc, path)
    assert.equal(at(['spec', 'template', 'spec', 'containers', 0, 'ports', 1, 'name']), 21)
    assert.equal(at(['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort']), 17)
    assert.equal(at(['spec', 'template', 'spec', 'containers', 1]), 22)
    assert.equal(at(['spec', 'template', 'spec', 'containers']), 13)
    assert.equal(at(['metadata', 'name']), 9)
  })

  it('falls back to the nearest existing ancestor, then to the document line', async () => {
    const r = await readContent(`${configMap('first')}---\n# comment\n${deployment}`)
    const doc = r.objects[1]
    assert.equal(locateLine(doc, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits']), 15)
    assert.equal(locateLine(doc, ['spec', 'template', 'spec', 'containers', 7, 'name']), 14)
    assert.equal(locateLine(doc, ['status', 'phase']), 7)
    assert.equal(locateLine(doc, []), 7)
    assert.equal(doc.line, 7)
  })

  it('works for flow style', async () => {
    const r = await readContent('apiVersion: v1\nkind: Pod\nmetadata: {name: p,\n  labels: {a: b}}\nspec: {containers: [\n  {name: a, image: x},\n  {name: b,\n   image: y}]}\n')
    const doc = r.objects[0]
    assert.equal(locateLine(doc, ['metadata', 'labels', 'a']), 4)
    assert.equal(locateLine(doc, ['spec', 'containers', 1, 'image']), 8)
    assert.equal(locateLine(doc, ['spec', 'containers', 1]), 7)
  })

  it('works for JSON, including a JSON stream', async () => {
    const first = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'a'}})
    const second = JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [{name: 'c', image: 'i'}]}}, null, 2)
    const r = await readContent(`${first}\n\n${second}\n`, 'pods.json')
    const doc = r.objects[1]
    assert.equal(doc.line, 3)
    assert.equal(locateLine(doc, ['spec', 'containers', 0, 'image']), 13)
  })

  it('resolves keys by the same YAML 1.1 rules as the reader', async () => {
    const r = await readContent(`${configMap('a')}data:\n  "plain": 1\n  yes: 2\n  0644: 3\n`)
    const doc = r.objects[0]
    assert.deepEqual(Object.keys(doc.object.data as object).sort(), ['420', 'plain', 'true'])
    assert.equal(locateLine(doc, ['data', 'plain']), 6)
    assert.equal(locateLine(doc, ['data', 'true']), 7)
    assert.equal(locateLine(doc, ['data', '420']), 8)
  })

  it('finds the value kept for a repeated key, and fields that come from a merge key', async () => {
    const r = await readContent(`${configMap('a')}base: &b\n  image: one\nspec:\n  <<: *b\n  name: x\n  name: y\n`)
    const doc = r.objects[0]
    assert.equal(locateLine(doc, ['spec', 'name']), 10)
    assert.equal(locateLine(doc, ['spec', 'image']), 6)
  })

  it('finds fields of List items through their item path', async () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n`
    const r = await readContent(text)
    const b = r.objects[1]
    assert.equal(b.line, 7)
    assert.equal(locateLine(b, [...(b.itemPath ?? []), 'metadata', 'name']), 10)
    assert.equal(locateLine(b, [...(b.itemPath ?? []), 'spec']), 7)
  })
})

describe('formatFieldPath', () => {
  it('writes fields with dots and indexes in brackets', () => {
    assert.equal(formatFieldPath(['spec', 'template', 'spec', 'containers', 0, 'ports', 1, 'name']), 'spec.template.spec.containers[0].ports[1].name')
    assert.equal(formatFieldPath([]), '')
    assert.equal(formatFieldPath([0, 'a']), '[0].a')
  })

  it('puts keys that are not plain names in brackets', () => {
    assert.equal(formatFieldPath(['metadata', 'labels', 'app.kubernetes.io/name']), 'metadata.labels[app.kubernetes.io/name]')
    assert.equal(formatFieldPath(['data', 'my key']), 'data[my key]')
  })
})
