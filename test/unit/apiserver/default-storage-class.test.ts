// DefaultStorageClass admission: claims created without a class get the default one (kind's
// `standard`, bootstrapped with every cluster); "" and the beta annotation are classes already; the
// newest default wins, then the smaller name; updates are not defaulted.
import {strict as assert} from 'node:assert'
import type {ApiRequest} from '../../../src/apiserver/types.js'
import {newCluster, type Any} from './helpers.js'

type Cluster = ReturnType<typeof newCluster>

function classes(c: Cluster, req: Partial<ApiRequest> & Pick<ApiRequest, 'verb'>): Any {
  const res = c.cp.handle({group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', ...req} as ApiRequest)
  if (res.status >= 300) throw new Error(`${req.verb}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as Any
}

function defaultClass(name: string, annotations: Record<string, string> = {'storageclass.kubernetes.io/is-default-class': 'true'}): Any {
  return {apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name, annotations}, provisioner: 'example.com/x'}
}

function claim(name: string, spec: Any = {}, annotations?: Record<string, string>): Any {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name, ...(annotations ? {annotations} : {})},
    spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}, ...spec},
  }
}

function cluster(): Cluster {
  return newCluster(9, {controllers: false})
}

describe('DefaultStorageClass admission', () => {
  it('bootstraps kind\'s default class', () => {
    const c = cluster()
    const sc = classes(c, {verb: 'get', name: 'standard'})
    assert.deepEqual(sc.metadata.annotations, {'storageclass.kubernetes.io/is-default-class': 'true'})
    assert.equal(sc.provisioner, 'rancher.io/local-path')
    assert.equal(sc.reclaimPolicy, 'Delete')
    assert.equal(sc.volumeBindingMode, 'WaitForFirstConsumer')
  })

  it('sets the default class on claims created without one, and only then', () => {
    const c = cluster()
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('plain'))).spec.storageClassName, 'standard')
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('none', {storageClassName: ''}))).spec.storageClassName, '')
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('mine', {storageClassName: 'fast'}))).spec.storageClassName, 'fast')
    const beta = c.api.ok(c.api.create('persistentvolumeclaims', claim('beta', {}, {'volume.beta.kubernetes.io/storage-class': 'slow'})))
    assert.equal(beta.spec.storageClassName, undefined)
    // Stored as answered; a dry run shows the defaulted class too.
    assert.equal(c.api.ok(c.api.get('persistentvolumeclaims', 'plain')).spec.storageClassName, 'standard')
    const dry = c.api.ok(c.api.create('persistentvolumeclaims', claim('dry'), {dryRun: 'All'}))
    assert.equal(dry.spec.storageClassName, 'standard')
  })

  it('does nothing without a default class, and does not default on update', () => {
    const c = cluster()
    classes(c, {verb: 'patch', name: 'standard', patchType: 'merge', body: {metadata: {annotations: {'storageclass.kubernetes.io/is-default-class': 'false'}}}})
    const created = c.api.ok(c.api.create('persistentvolumeclaims', claim('early')))
    assert.equal(created.spec.storageClassName, undefined)
    classes(c, {verb: 'create', body: defaultClass('fast', {'storageclass.kubernetes.io/is-default-class': 'True'})})
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('still'))).spec.storageClassName, undefined) // "True" is not "true"
    classes(c, {verb: 'create', body: defaultClass('beta-default', {'storageclass.beta.kubernetes.io/is-default-class': 'true'})})
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('late'))).spec.storageClassName, 'beta-default')
    const updated = c.api.ok(c.api.patch('persistentvolumeclaims', 'early', 'merge', {metadata: {labels: {touched: 'yes'}}}))
    assert.equal(updated.spec.storageClassName, undefined)
  })

  it('picks the newest default class, then the smallest name', () => {
    const c = cluster()
    // Same creation second as `standard`: the smaller name wins.
    classes(c, {verb: 'create', body: defaultClass('zeta')})
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('a'))).spec.storageClassName, 'standard')
    classes(c, {verb: 'create', body: defaultClass('alpha')})
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('b'))).spec.storageClassName, 'alpha')
    // A second later: newer wins whatever its name.
    c.clock.advance(1000)
    classes(c, {verb: 'create', body: defaultClass('zz-newest')})
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('c'))).spec.storageClassName, 'zz-newest')
    classes(c, {verb: 'delete', name: 'zz-newest'})
    assert.equal(c.api.ok(c.api.create('persistentvolumeclaims', claim('d'))).spec.storageClassName, 'alpha')
  })
})
