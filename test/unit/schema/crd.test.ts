// CRD structural schemas converted for Ajv, and the validator using them.
import {strict as assert} from 'node:assert'
import {convertStructural, crdToSchemas, jsonSchemaFileToSchemas} from '../../../src/schema/crd.js'
import {SchemaValidator, withoutNulls} from '../../../src/schema/validator.js'
import {formatProblem} from '../../../src/schema/problems.js'

describe('custom resource schemas', () => {
  it('converts draft-4 exclusive limits, int-or-string, embedded resources, and drops prose and CEL', () => {
    const out = convertStructural({
      type: 'object', description: 'x',
      properties: {
        a: {type: 'integer', minimum: 1, exclusiveMinimum: true, 'x-kubernetes-validations': [{rule: 'self > 1'}]},
        b: {'x-kubernetes-int-or-string': true, anyOf: [{type: 'integer'}, {type: 'string'}]},
        c: {type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true},
        d: {type: 'string', format: 'duration', pattern: '^[0-9]+(s|m)$'},
      },
    })
    assert.deepEqual(out, {
      type: 'object',
      properties: {
        a: {type: 'integer', exclusiveMinimum: 1},
        b: {type: ['integer', 'string']},
        c: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {apiVersion: {type: 'string'}, kind: {type: 'string'}, metadata: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}}, required: ['apiVersion', 'kind']},
        d: {type: 'string', pattern: '^[0-9]+(s|m)$'},
      },
    })
  })

  it('reads served versions and scope from a CRD', () => {
    const schemas = crdToSchemas({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      spec: {group: 'example.com', scope: 'Cluster', names: {kind: 'Gadget'}, versions: [
        {name: 'v1', served: true, schema: {openAPIV3Schema: {type: 'object'}}},
        {name: 'v1alpha1', served: false, schema: {openAPIV3Schema: {type: 'object'}}},
      ]},
    })
    assert.deepEqual(schemas.map((s) => [s.group, s.version, s.kind, s.namespaced]), [['example.com', 'v1', 'Gadget', false]])
  })

  it('names JSON Schema files by their file name conventions', () => {
    assert.deepEqual(jsonSchemaFileToSchemas({type: 'object'}, 'certificate-cert-manager.io-v1.json', 'x').map((s) => [s.group, s.version, s.kind]), [['cert-manager.io', 'v1', 'certificate']])
    assert.deepEqual(jsonSchemaFileToSchemas({type: 'object'}, 'certificate_v1.json', 'cert-manager.io').map((s) => [s.group, s.version, s.kind]), [['cert-manager.io', 'v1', 'certificate']])
    assert.deepEqual(jsonSchemaFileToSchemas({type: 'object', 'x-kubernetes-group-version-kind': [{group: 'a.io', version: 'v2', kind: 'Thing'}]}, 'whatever.json', 'x').map((s) => s.kind), ['Thing'])
    assert.deepEqual(jsonSchemaFileToSchemas({type: 'object'}, 'README.json', 'x'), [])
  })

  it('validates metadata of custom resources as ObjectMeta, and prunes nothing in non-strict mode', () => {
    const v = new SchemaValidator({kubernetesVersion: '1.36', strict: false})
    v.addCustomResourceDefinition({apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: {group: 'example.com', names: {kind: 'Gadget'}, versions: [{name: 'v1', served: true, schema: {openAPIV3Schema: {type: 'object', properties: {spec: {type: 'object'}}}}}]}})
    const r = v.validate({apiVersion: 'example.com/v1', kind: 'Gadget', metadata: {name: 'g', labels: 'notamap'}, spec: {anything: 1}})
    assert.deepEqual(r.problems.map(formatProblem), ['metadata.labels: Invalid value: "notamap": must be of type object'])
    const strict = new SchemaValidator({kubernetesVersion: '1.36', strict: true})
    strict.addCustomResourceDefinition({apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: {group: 'example.com', names: {kind: 'Gadget'}, versions: [{name: 'v1', served: true, schema: {openAPIV3Schema: {type: 'object', properties: {spec: {type: 'object'}}}}}]}})
    assert.deepEqual(strict.validate({apiVersion: 'example.com/v1', kind: 'Gadget', metadata: {name: 'g'}, spec: {anything: 1}}).problems.map(formatProblem), ['spec.anything: unknown field'])
  })

  it('drops nulls without copying objects that have none', () => {
    const clean = {a: {b: [1, {c: 2}]}}
    assert.equal(withoutNulls(clean), clean)
    const dirty = {a: {b: [1, {c: null, d: 2}]}, e: null, f: {g: 1}}
    const out = withoutNulls(dirty)
    assert.deepEqual(out, {a: {b: [1, {d: 2}]}, f: {g: 1}})
    assert.equal(out.f, dirty.f)
    assert.deepEqual(dirty.e, null, 'the input is not changed')
  })
})
