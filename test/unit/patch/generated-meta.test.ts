// Strategic merge patch driven by the generated schemas/v1.NN/patch.json (not a hand-made fixture):
// the kubectl apply flows the command-set milestone will rely on.
import {strict as assert} from 'node:assert'
import {loadPatchMeta} from '../../../src/schema/files.js'
import {createThreeWayMergePatch, createTwoWayMergePatch, PatchSchema, strategicMergePatch} from '../../../src/patch/index.js'

const meta = loadPatchMeta('1.36')

describe('strategic merge patch with the generated patch metadata', () => {
  it('finds the merge keys kubectl uses', () => {
    const deploy = PatchSchema.forKind(meta, 'apps/v1', 'Deployment')
    const podSpec = deploy.sub('spec').sub('template').sub('spec')
    assert.equal(podSpec.mergeKey('containers'), 'name')
    assert.equal(podSpec.sub('containers').mergeKey('ports'), 'containerPort')
    assert.deepEqual(podSpec.strategy('volumes'), {strategy: 'merge', retainKeys: true})
    assert.equal(PatchSchema.forKind(meta, 'v1', 'Service').sub('spec').mergeKey('ports'), 'port')
  })

  it('three-way apply: merges containers by name and keeps what others changed on the live object', () => {
    const schema = PatchSchema.forKind(meta, 'apps/v1', 'Deployment')
    const container = (image: string, extra: object = {}) => ({name: 'web', image, ...extra})
    const lastApplied = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {template: {spec: {containers: [container('nginx:1.25'), {name: 'sidecar', image: 'envoy'}]}}}}
    const modified = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', labels: {tier: 'front'}}, spec: {template: {spec: {containers: [container('nginx:1.27', {env: [{name: 'MODE', value: 'prod'}]})]}}}}
    const live = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', annotations: {'deployment.kubernetes.io/revision': '3'}},
      spec: {replicas: 5, template: {spec: {containers: [container('nginx:1.25', {imagePullPolicy: 'IfNotPresent'}), {name: 'sidecar', image: 'envoy'}, {name: 'injected', image: 'istio'}]}}},
    }
    const patch = createThreeWayMergePatch(lastApplied, modified, live, schema)
    const result = strategicMergePatch(live, patch, schema) as typeof live
    assert.deepEqual(result.spec.template.spec.containers, [
      {name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', env: [{name: 'MODE', value: 'prod'}]},
      {name: 'injected', image: 'istio'},
    ])
    assert.equal(result.spec.replicas, 5, 'replicas is not in the config: the live value (an autoscaler) stays')
    assert.deepEqual(result.metadata, {name: 'web', labels: {tier: 'front'}, annotations: {'deployment.kubernetes.io/revision': '3'}})
    // A field the config declares wins over the live value.
    const declared = createThreeWayMergePatch({...lastApplied, spec: {...lastApplied.spec, replicas: 2}}, {...modified, spec: {...modified.spec, replicas: 2}}, live, schema)
    assert.equal((strategicMergePatch(live, declared, schema) as typeof live).spec.replicas, 2)
  })

  it('two-way patch round-trips a Service with ports merged by port', () => {
    const schema = PatchSchema.forKind(meta, 'v1', 'Service')
    const a = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's', labels: {a: '1'}}, spec: {selector: {app: 'x'}, ports: [{port: 80, targetPort: 8080}, {port: 443}]}}
    const b = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's', labels: {b: '2'}}, spec: {selector: {app: 'x'}, ports: [{port: 443, name: 'https'}, {port: 8443}]}}
    const patch = createTwoWayMergePatch(a, b, schema)
    assert.deepEqual(strategicMergePatch(a, patch, schema), b)
  })
})
