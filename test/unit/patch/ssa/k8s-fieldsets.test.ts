// Field sets and FieldsV1 of real Kubernetes types from the generated 1.36 metadata: list-map keys
// (with key defaults), sets, atomic lists, atomic structs and maps, and deduced custom resources.
import {strict as assert} from 'node:assert'
import {isMap, type JsonMap} from '../../../../src/patch/json-value.js'
import {fieldSetOf} from '../../../../src/patch/ssa/index.js'
import {kindSchema} from './harness.js'
import {configMap, deployment, service} from './objects.js'

/** The FieldsV1 node under the given keys. */
function dig(fields: unknown, ...keys: string[]): unknown {
  let node = fields
  for (const key of keys) node = isMap(node) ? node[key] : undefined
  return node
}

describe('ssa: field sets of Kubernetes objects', () => {
  it('Deployment: containers by name, ports by containerPort+protocol with the TCP default', () => {
    const fields = fieldSetOf(deployment(), kindSchema('apps/v1', 'Deployment')).toFieldsV1()
    assert.deepEqual(fields, {
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': {'f:labels': {'f:app': {}}, 'f:name': {}, 'f:namespace': {}},
      'f:spec': {
        'f:replicas': {},
        // LabelSelector is an atomic struct: owned whole.
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

  it('Service: ports keyed by port+protocol, atomic selector map', () => {
    const s = fieldSetOf(service(), kindSchema('v1', 'Service'))
    assert.deepEqual(s.toFieldsV1()['f:spec'], {
      'f:ports': {'k:{"port":80,"protocol":"TCP"}': {'.': {}, 'f:name': {}, 'f:port': {}, 'f:targetPort': {}}},
      'f:selector': {},
      'f:type': {},
    })
  })

  it('ConfigMap: data entries are map items', () => {
    const s = fieldSetOf(configMap({a: '1', b: '2'}), kindSchema('v1', 'ConfigMap'))
    assert.deepEqual(s.toFieldsV1()['f:data'], {'f:a': {}, 'f:b': {}})
  })

  it('finalizers are a set, args an atomic list, nodeSelector an atomic map, env a map by name', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', finalizers: ['example.com/a', 'example.com/b']},
      spec: {
        nodeSelector: {disk: 'ssd'},
        containers: [{name: 'c', args: ['--x', '--y'], env: [{name: 'A', value: '1'}], envFrom: [{configMapRef: {name: 'x'}}]}],
        tolerations: [{key: 'k', operator: 'Exists'}],
      },
    }
    const s = fieldSetOf(pod, kindSchema('v1', 'Pod')).toFieldsV1()
    assert.deepEqual(dig(s, 'f:metadata', 'f:finalizers'), {'v:"example.com/a"': {}, 'v:"example.com/b"': {}})
    assert.deepEqual(dig(s, 'f:spec'), {
      'f:containers': {
        'k:{"name":"c"}': {'.': {}, 'f:args': {}, 'f:env': {'k:{"name":"A"}': {'.': {}, 'f:name': {}, 'f:value': {}}}, 'f:envFrom': {}, 'f:name': {}},
      },
      'f:nodeSelector': {},
      'f:tolerations': {},
    })
  })

  it('env valueFrom references are atomic structs', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p'},
      spec: {containers: [{name: 'c', env: [{name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}]}]},
    }
    const env = dig(fieldSetOf(pod, kindSchema('v1', 'Pod')).toFieldsV1(), 'f:spec', 'f:containers', 'k:{"name":"c"}', 'f:env')
    assert.deepEqual(env, {'k:{"name":"NODE"}': {'.': {}, 'f:name': {}, 'f:valueFrom': {'f:fieldRef': {}}}})
  })

  it('topologySpreadConstraints use both map keys, sorted in the key', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p'},
      spec: {containers: [], topologySpreadConstraints: [{whenUnsatisfiable: 'DoNotSchedule', topologyKey: 'zone', maxSkew: 1}]},
    }
    const s = fieldSetOf(pod, kindSchema('v1', 'Pod'))
    assert.deepEqual(Object.keys(dig(s.toFieldsV1(), 'f:spec', 'f:topologySpreadConstraints') as JsonMap), ['k:{"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}'])
  })

  it('custom resources without a schema are deduced: nested maps are members, lists atomic', () => {
    const cr = {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w', labels: {a: 'b'}}, spec: {size: 3, ports: [1, 2], nested: {x: 1}}}
    const s = fieldSetOf(cr, kindSchema('example.com/v1', 'Widget'))
    assert.deepEqual(dig(s.toFieldsV1(), 'f:spec'), {'.': {}, 'f:nested': {'.': {}, 'f:x': {}}, 'f:ports': {}, 'f:size': {}})
    assert.deepEqual(dig(s.toFieldsV1(), 'f:metadata'), {'f:labels': {'f:a': {}}, 'f:name': {}})
  })

  it('rejects a list-map item without its key', () => {
    const bad = deployment()
    ;(dig(bad, 'spec', 'template', 'spec') as JsonMap).containers = [{image: 'x'}]
    assert.throws(
      () => fieldSetOf(bad, kindSchema('apps/v1', 'Deployment')),
      {message: '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)'},
    )
  })
})
