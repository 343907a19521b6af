// The resource registry: kubectl's ways of naming a resource, preferred versions, scope, removals.
import {strict as assert} from 'node:assert'
import {ResourceRegistry} from '../../../src/api/registry.js'

const r136 = ResourceRegistry.forVersion('1.36')
const id = (x: {group: string; version: string; plural: string} | undefined) => (x ? `${x.plural}.${x.version}.${x.group}` : 'none')

describe('ResourceRegistry', () => {
  const lookups: Array<[string, string]> = [
    ['deploy', 'deployments.v1.apps'],
    ['deployments', 'deployments.v1.apps'],
    ['deployment', 'deployments.v1.apps'],
    ['Deployment', 'deployments.v1.apps'],
    ['DEPLOYMENTS', 'deployments.v1.apps'],
    ['deployments.apps', 'deployments.v1.apps'],
    ['deploy.apps', 'deployments.v1.apps'],
    ['deployment.v1.apps', 'deployments.v1.apps'],
    ['deployments.v1.apps', 'deployments.v1.apps'],
    ['po', 'pods.v1.'],
    ['pods.v1', 'pods.v1.'],
    ['svc', 'services.v1.'],
    ['ns', 'namespaces.v1.'],
    ['no', 'nodes.v1.'],
    ['cm', 'configmaps.v1.'],
    ['pvc', 'persistentvolumeclaims.v1.'],
    ['hpa', 'horizontalpodautoscalers.v2.autoscaling'],
    ['horizontalpodautoscalers.v1.autoscaling', 'horizontalpodautoscalers.v1.autoscaling'],
    ['cj', 'cronjobs.v1.batch'],
    ['ing', 'ingresses.v1.networking.k8s.io'],
    ['netpol', 'networkpolicies.v1.networking.k8s.io'],
    ['pdb', 'poddisruptionbudgets.v1.policy'],
    ['crd', 'customresourcedefinitions.v1.apiextensions.k8s.io'],
    ['crds', 'customresourcedefinitions.v1.apiextensions.k8s.io'],
    ['sc', 'storageclasses.v1.storage.k8s.io'],
    ['events', 'events.v1.'],
    ['ev', 'events.v1.'],
    ['events.events.k8s.io', 'events.v1.events.k8s.io'],
    ['clusterrolebindings', 'clusterrolebindings.v1.rbac.authorization.k8s.io'],
    ['nosuchthing', 'none'],
    ['deployments.nosuchgroup', 'none'],
  ]
  for (const [arg, expected] of lookups) {
    it(`resolves ${arg}`, () => assert.equal(id(r136.lookup(arg)), expected))
  }

  it('knows scope, verbs and subresources', () => {
    const deploy = r136.forKind('apps/v1', 'Deployment')!
    assert.equal(deploy.namespaced, true)
    assert.deepEqual(deploy.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'])
    assert.deepEqual(deploy.subresources!.map((s) => s.name), ['scale', 'status'])
    assert.equal(deploy.subresources![0].kind, 'Scale')
    assert.equal(r136.forKind('v1', 'Node')!.namespaced, false)
    assert.deepEqual(r136.forKind('v1', 'Binding')!.verbs, ['create'])
    assert.ok(r136.forKind('v1', 'Pod')!.subresources!.some((s) => s.name === 'eviction' && s.group === 'policy'))
  })

  it('lists the all category in preferred versions', () => {
    assert.deepEqual(r136.category('all').map((x) => x.plural).sort(), ['cronjobs', 'daemonsets', 'deployments', 'horizontalpodautoscalers', 'jobs', 'pods', 'replicasets', 'replicationcontrollers', 'services', 'statefulsets'])
  })

  it('names removed APIs with replacements, per release', () => {
    assert.deepEqual(r136.removedApi('extensions/v1beta1', 'Ingress'), {apiVersion: 'extensions/v1beta1', kind: 'Ingress', removedIn: '1.22', replacement: 'networking.k8s.io/v1'})
    assert.equal(r136.removedApi('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')!.removedIn, '1.32')
    assert.equal(ResourceRegistry.forVersion('1.31').removedApi('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema'), undefined)
    assert.equal(r136.removedApi('policy/v1beta1', 'PodSecurityPolicy')!.replacement, '')
  })

  it('has preferred versions from discovery order', () => {
    assert.equal(r136.preferredVersion('autoscaling'), 'v2')
    assert.equal(r136.preferredVersion(''), 'v1')
    assert.equal(ResourceRegistry.forVersion('1.28').preferredVersion('flowcontrol.apiserver.k8s.io'), 'v1beta3')
  })
})
