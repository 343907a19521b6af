// The JSONPath subset used by CRD printer columns.
import {strict as assert} from 'node:assert'
import {compileJsonPath, findResults, JsonPathError} from '../../../src/apiserver/tables/jsonpath.js'

const doc = {
  metadata: {name: 'x', labels: {'app.kubernetes.io/name': 'web', tier: 'front'}},
  spec: {replicas: 3, ports: [{name: 'http', port: 80}, {name: 'https', port: 443}], empty: null},
  status: {
    conditions: [
      {type: 'Available', status: 'True'},
      {type: 'Ready', status: 'False', reason: 'Scaling'},
    ],
  },
}

const find = (path: string): unknown[] => findResults(compileJsonPath(path), doc)

describe('tables/jsonpath', () => {
  const cases: Array<[string, unknown[]]> = [
    ['.spec.replicas', [3]],
    ['{.spec.replicas}', [3]],
    ['$.metadata.name', ['x']],
    ['.spec.ports[0].port', [80]],
    ['.spec.ports[-1].name', ['https']],
    ['.spec.ports[*].port', [80, 443]],
    ['.spec.ports[0:1].name', ['http']],
    ['.spec.ports[0,1].port', [80, 443]],
    ['.metadata.labels.app\\.kubernetes\\.io/name', ['web']],
    [".metadata.labels['app.kubernetes.io/name']", ['web']],
    ['.metadata.labels["tier"]', ['front']],
    ['.status.conditions[?(@.type=="Ready")].status', ['False']],
    [".status.conditions[?(@.type=='Available')].status", ['True']],
    ['.status.conditions[?(@.type!="Ready")].type', ['Available']],
    ['.status.conditions[?(@.reason)].reason', ['Scaling']],
    ['.spec.ports[?(@.port > 100)].name', ['https']],
    ['.spec.ports[?(@.port<=80)].name', ['http']],
    ['..port', [80, 443]],
    ['.metadata.labels.*', ['web', 'front']],
    ['.spec.missing', []],
    ['.spec.replicas.deeper', []],
    ['.spec.ports[5].name', []],
    ['.spec.empty', [null]],
  ]
  for (const [path, want] of cases) it(path, () => assert.deepEqual(find(path), want))

  it('rejects what client-go cannot parse', () => {
    assert.throws(() => compileJsonPath('.spec[unclosed'), JsonPathError)
    assert.throws(() => compileJsonPath('.spec.ports[abc]'), JsonPathError)
    assert.throws(() => compileJsonPath('spec'), JsonPathError)
  })

  it('comparing a number with a string is an error, as in text/template', () => {
    assert.throws(() => find('.spec.ports[?(@.port=="80")].name'), JsonPathError)
  })
})
