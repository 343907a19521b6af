// The API server's create/get/list/update/patch/delete semantics, with the real status codes and texts.
import {strict as assert} from 'node:assert'
import {newCluster, deployment, pod, type Any} from './helpers.js'

describe('apiserver: create and get', () => {
  it('creates with uid, creationTimestamp, resourceVersion, generation and defaults', () => {
    const {api} = newCluster()
    const res = api.create('deployments', deployment())
    assert.equal(res.status, 201)
    const d = res.body as Any
    assert.match(d.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(d.metadata.creationTimestamp, '2026-11-22T12:00:00Z')
    assert.match(d.metadata.resourceVersion, /^\d+$/)
    assert.equal(d.metadata.generation, 1)
    assert.deepEqual(d.spec.strategy, {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}})
    assert.equal(d.spec.revisionHistoryLimit, 10)
    assert.equal(d.spec.progressDeadlineSeconds, 600)
    assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent')
    assert.equal(d.spec.template.spec.restartPolicy, 'Always')
    assert.deepEqual(api.ok(api.get('deployments', 'web')), d)
  })

  it('generates names from generateName', () => {
    const {api} = newCluster()
    const d = api.ok(api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {generateName: 'cfg-'}}))
    assert.match(d.metadata.name, /^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  it('refuses duplicates (409 AlreadyExists) and reports unknown objects (404 NotFound) in kubectl\'s words', () => {
    const {api} = newCluster()
    api.ok(api.create('deployments', deployment()))
    const dup = api.create('deployments', deployment())
    assert.equal(dup.status, 409)
    assert.equal((dup.body as Any).message, 'deployments.apps "web" already exists')
    assert.equal((dup.body as Any).reason, 'AlreadyExists')
    const missing = api.get('deployments', 'nope')
    assert.equal(missing.status, 404)
    assert.deepEqual(missing.body, {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound', details: {name: 'nope', group: 'apps', kind: 'deployments'}, code: 404})
  })

  it('validates: 422 Invalid with the apiserver\'s aggregate message and causes', () => {
    const {api} = newCluster()
    const bad = deployment()
    ;(bad as Any).spec.replicas = -1
    ;(bad as Any).spec.selector.matchLabels = {app: 'other'}
    const res = api.create('deployments', bad)
    assert.equal(res.status, 422)
    const s = res.body as Any
    assert.equal(s.reason, 'Invalid')
    assert.equal(s.message, 'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`]')
    assert.deepEqual(s.details.causes[0], {reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas'})
  })

  it('unknown fields: Strict refuses, Warn drops with a warning', () => {
    const {api} = newCluster()
    const d = deployment()
    ;(d as Any).spec.bogus = 1
    const strict = api.create('deployments', d, {fieldValidation: 'Strict'})
    assert.equal(strict.status, 400)
    assert.equal((strict.body as Any).message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogus"')
    const warn = api.create('deployments', d)
    assert.equal(warn.status, 201)
    assert.deepEqual(warn.warnings, ['unknown field "spec.bogus"'])
    assert.equal((warn.body as Any).spec.bogus, undefined)
  })

  it('needs the namespace to exist and not to be terminating', () => {
    const {api} = newCluster()
    const res = api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}}, {}, 'nowhere')
    assert.equal(res.status, 404)
    assert.equal((res.body as Any).message, 'namespaces "nowhere" not found')
  })

  it('dry-run runs admission and validation and stores nothing', () => {
    const {api, cp} = newCluster()
    const before = cp.store.currentRevision()
    const res = api.create('deployments', deployment(), {dryRun: 'All'})
    assert.equal(res.status, 201)
    assert.equal((res.body as Any).spec.revisionHistoryLimit, 10)
    assert.equal(cp.store.currentRevision(), before)
    assert.equal(api.get('deployments', 'web').status, 404)
    const bad = deployment()
    ;(bad as Any).spec.replicas = -2
    assert.equal(api.create('deployments', bad, {dryRun: 'All'}).status, 422)
  })

  it('allocates ClusterIPs and node ports for Services, and refuses taken ones', () => {
    const {api} = newCluster()
    const svc = (name: string, spec: Any) => ({apiVersion: 'v1', kind: 'Service', metadata: {name}, spec: {ports: [{port: 80}], selector: {app: 'web'}, ...spec}})
    const a = api.ok(api.create('services', svc('a', {type: 'NodePort'})))
    assert.match(a.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/)
    assert.deepEqual(a.spec.clusterIPs, [a.spec.clusterIP])
    assert.ok(a.spec.ports[0].nodePort >= 30000 && a.spec.ports[0].nodePort <= 32767)
    assert.equal(a.spec.ports[0].targetPort, 80)
    const taken = api.create('services', svc('b', {clusterIP: a.spec.clusterIP}))
    assert.equal(taken.status, 422)
    assert.match((taken.body as Any).message, /failed to allocate IP .*: provided IP is already allocated/)
    assert.equal(api.ok(api.get('services', 'kubernetes')).spec.clusterIP, '10.96.0.1')
  })
})

describe('apiserver: list', () => {
  function seed() {
    const c = newCluster()
    for (let i = 0; i < 10; i++) c.api.ok(c.api.create('pods', pod(`p${i}`, {app: i % 2 ? 'odd' : 'even', tier: 'web'})))
    return c
  }

  it('lists with label and field selectors', () => {
    const {api} = seed()
    assert.equal(api.ok(api.list('pods')).items.length, 10)
    assert.equal(api.ok(api.list('pods', {labelSelector: 'app=odd'})).items.length, 5)
    assert.deepEqual(api.ok(api.list('pods', {labelSelector: 'app in (odd),tier!=db', fieldSelector: 'metadata.name=p3'})).items.map((p: Any) => p.metadata.name), ['p3'])
    assert.equal(api.ok(api.list('pods', {fieldSelector: 'status.phase=Pending'})).items.length, 10)
    const bad = api.list('pods', {fieldSelector: 'spec.bogus=x'})
    assert.equal(bad.status, 400)
    assert.match((bad.body as Any).message, /field label not supported: spec.bogus/)
  })

  it('pages with limit and continue, and counts what remains', () => {
    const {api} = seed()
    const seen: string[] = []
    let cont: string | undefined
    let pages = 0
    do {
      const page = api.ok(api.list('pods', {limit: '3', ...(cont ? {continue: cont} : {})}))
      seen.push(...page.items.map((p: Any) => p.metadata.name))
      if (pages === 0) assert.equal(page.metadata.remainingItemCount, 7)
      cont = page.metadata.continue
      pages++
    } while (cont)
    assert.equal(pages, 4)
    assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'])
  })

  it('answers unfiltered lists from the stored texts, equal to the decoded objects', () => {
    const {api} = seed()
    api.ok(api.patch('pods', 'p1', 'strategic', {metadata: {labels: {extra: 'x'}}}))
    const res = api.list('pods')
    const body = res.body as {toJsonText(): string; toObject(): Any}
    assert.equal(typeof body.toJsonText, 'function', 'a raw list')
    const fromText = JSON.parse(body.toJsonText())
    assert.deepEqual(fromText, body.toObject())
    assert.equal(fromText.items.length, 10)
    assert.deepEqual(fromText.items[1], api.ok(api.get('pods', 'p1')))
  })

  it('lists across namespaces and reports the list\'s resourceVersion', () => {
    const {api} = seed()
    api.ok(api.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}}))
    api.ok(api.create('pods', pod('x'), {}, 'other'))
    const all = api.ok(api.list('pods', {}, null))
    assert.equal(all.items.length, 11)
    assert.equal(all.kind, 'PodList')
    assert.match(all.metadata.resourceVersion, /^\d+$/)
  })
})

describe('apiserver: update and patch', () => {
  it('409 Conflict on a stale resourceVersion; unconditional update without one', () => {
    const {api} = newCluster()
    const d = api.ok(api.create('deployments', deployment()))
    d.spec.replicas = 5
    const first = api.ok(api.update('deployments', 'web', d))
    assert.equal(first.spec.replicas, 5)
    const stale = api.update('deployments', 'web', d)
    assert.equal(stale.status, 409)
    assert.equal((stale.body as Any).message, 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again')
    delete d.metadata.resourceVersion
    d.spec.replicas = 6
    assert.equal(api.ok(api.update('deployments', 'web', d)).spec.replicas, 6)
  })

  it('bumps generation on spec changes only; status goes through /status', () => {
    const {api} = newCluster()
    const d = api.ok(api.create('deployments', deployment()))
    d.metadata.labels.extra = 'yes'
    const labelled = api.ok(api.update('deployments', 'web', d))
    assert.equal(labelled.metadata.generation, 1)
    labelled.spec.replicas = 3
    labelled.status = {replicas: 99}
    const scaled = api.ok(api.update('deployments', 'web', labelled))
    assert.equal(scaled.metadata.generation, 2)
    assert.deepEqual(scaled.status, {}, 'status is not written through the main resource (a new Deployment\'s is {})')
    const withStatus = api.ok(api.patch('deployments', 'web', 'merge', {status: {replicas: 3, observedGeneration: 2}, spec: {replicas: 50}}, {}, 'status'))
    assert.equal(withStatus.status.replicas, 3)
    assert.equal(withStatus.spec.replicas, 3, 'spec is not written through /status')
    assert.equal(withStatus.metadata.generation, 2)
  })

  it('an update that changes nothing keeps the resourceVersion', () => {
    const {api} = newCluster()
    const d = api.ok(api.create('deployments', deployment()))
    const same = api.ok(api.update('deployments', 'web', d))
    assert.equal(same.metadata.resourceVersion, d.metadata.resourceVersion)
  })

  it('refuses changes to immutable fields', () => {
    const {api} = newCluster()
    const d = api.ok(api.create('deployments', deployment()))
    d.spec.selector.matchLabels = {app: 'web', v: '2'}
    d.spec.template.metadata.labels.v = '2'
    const res = api.update('deployments', 'web', d)
    assert.equal(res.status, 422)
    assert.match((res.body as Any).message, /spec.selector: Invalid value: .*field is immutable/)
  })

  it('patches with JSON patch, merge patch and strategic merge patch', () => {
    const {api} = newCluster()
    api.ok(api.create('deployments', deployment()))
    assert.equal(api.ok(api.patch('deployments', 'web', 'json', [{op: 'replace', path: '/spec/replicas', value: 4}])).spec.replicas, 4)
    const failed = api.patch('deployments', 'web', 'json', [{op: 'test', path: '/spec/replicas', value: 9}])
    assert.equal(failed.status, 422)
    assert.deepEqual(api.ok(api.patch('deployments', 'web', 'merge', {metadata: {labels: {a: 'b'}}})).metadata.labels, {app: 'web', a: 'b'})
    const smp = api.ok(api.patch('deployments', 'web', 'strategic', {spec: {template: {spec: {containers: [{name: 'side', image: 'envoy'}]}}}}))
    assert.deepEqual(smp.spec.template.spec.containers.map((c: Any) => c.name), ['side', 'web'], 'merged by name: the patch items first, then the server-only ones')
    const merged = api.ok(api.patch('deployments', 'web', 'merge', {spec: {template: {spec: {containers: [{name: 'only', image: 'x'}]}}}}))
    assert.equal(merged.spec.template.spec.containers.length, 1, 'a merge patch replaces lists')
  })
})

describe('apiserver: server-side apply', () => {
  it('creates, tracks managedFields, reports conflicts, and force takes over', () => {
    const {api} = newCluster()
    const config = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {replicas: 2, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx:1'}]}}}}
    const created = api.patch('deployments', 'web', 'apply', config, {fieldManager: 'alice'})
    assert.equal(created.status, 201)
    const mf = (created.body as Any).metadata.managedFields
    assert.equal(mf[0].manager, 'alice')
    assert.equal(mf[0].operation, 'Apply')
    assert.ok(mf[0].fieldsV1['f:spec']['f:replicas'])
    const clash = api.patch('deployments', 'web', 'apply', {...config, spec: {...config.spec, replicas: 5}}, {fieldManager: 'bob'})
    assert.equal(clash.status, 409)
    assert.equal((clash.body as Any).message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas')
    const forced = api.ok(api.patch('deployments', 'web', 'apply', {...config, spec: {...config.spec, replicas: 5}}, {fieldManager: 'bob', force: 'true'}))
    assert.equal(forced.spec.replicas, 5)
    const noManager = api.patch('deployments', 'web', 'apply', config)
    assert.equal(noManager.status, 400)
  })
})

describe('apiserver: delete', () => {
  it('deletes at once, honouring uid and resourceVersion preconditions', () => {
    const {api} = newCluster()
    const d = api.ok(api.create('deployments', deployment()))
    const wrongUid = api.delete('deployments', 'web', {preconditions: {uid: 'nope'}})
    assert.equal(wrongUid.status, 409)
    assert.equal((wrongUid.body as Any).message, `Precondition failed: UID in precondition: nope, UID in object meta: ${d.metadata.uid}`)
    const res = api.ok(api.delete('deployments', 'web', {preconditions: {uid: d.metadata.uid}}))
    assert.equal(res.kind, 'Status')
    assert.equal(res.status, 'Success')
    assert.equal(api.get('deployments', 'web').status, 404)
  })

  it('finalizers keep an object with a deletionTimestamp until they are removed', () => {
    const {api, clock} = newCluster()
    api.ok(api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', finalizers: ['example.com/hold']}}))
    const held = api.ok(api.delete('configmaps', 'c'))
    assert.equal(held.metadata.deletionTimestamp, '2026-11-22T12:00:00Z')
    clock.advance(5000)
    const still = api.ok(api.get('configmaps', 'c'))
    assert.deepEqual(still.metadata.finalizers, ['example.com/hold'])
    api.ok(api.patch('configmaps', 'c', 'merge', {metadata: {finalizers: null}}))
    assert.equal(api.get('configmaps', 'c').status, 404)
  })

  it('propagation policies add the orphan and foregroundDeletion finalizers', () => {
    const {api} = newCluster()
    api.ok(api.create('deployments', deployment('a')))
    api.ok(api.create('deployments', deployment('b')))
    assert.deepEqual(api.ok(api.delete('deployments', 'a', {propagationPolicy: 'Orphan'})).metadata.finalizers, ['orphan'])
    assert.deepEqual(api.ok(api.delete('deployments', 'b', {propagationPolicy: 'Foreground'})).metadata.finalizers, ['foregroundDeletion'])
    assert.equal(api.delete('deployments', 'b', {propagationPolicy: 'Sideways'}).status, 400)
  })

  it('pods bound to a node are deleted gracefully; unbound ones at once', () => {
    const {api} = newCluster()
    api.ok(api.create('pods', pod('bound', {app: 'x'}, {nodeName: 'node-1'})))
    api.ok(api.create('pods', pod('free')))
    const graceful = api.ok(api.delete('pods', 'bound'))
    assert.equal(graceful.metadata.deletionGracePeriodSeconds, 30)
    assert.equal(graceful.metadata.deletionTimestamp, '2026-11-22T12:00:30Z')
    assert.equal(api.get('pods', 'bound').status, 200)
    api.ok(api.delete('pods', 'free'))
    assert.equal(api.get('pods', 'free').status, 404)
    api.ok(api.delete('pods', 'bound', {gracePeriodSeconds: 0}))
    assert.equal(api.get('pods', 'bound').status, 404)
  })

  it('deletecollection with a selector', () => {
    const {api} = newCluster()
    for (const n of ['a', 'b', 'c']) api.ok(api.create('pods', pod(n, {app: n === 'c' ? 'keep' : 'go'})))
    const res = api.ok(api.req('deletecollection', 'pods', {query: {labelSelector: 'app=go'}}))
    assert.equal(res.items.length, 2)
    assert.deepEqual(api.ok(api.list('pods')).items.map((p: Any) => p.metadata.name), ['c'])
  })

  it('dry-run delete leaves the object', () => {
    const {api} = newCluster()
    api.ok(api.create('deployments', deployment()))
    api.ok(api.delete('deployments', 'web', {}, {dryRun: 'All'}))
    assert.equal(api.get('deployments', 'web').status, 200)
  })

  it('a namespace goes Terminating, its contents are removed, then it is gone', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team'}}))
    api.ok(api.create('deployments', deployment(), {}, 'team'))
    api.ok(api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}}, {}, 'team'))
    const terminating = api.ok(api.delete('namespaces', 'team'))
    assert.equal(terminating.status.phase, 'Terminating')
    const refused = api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'late'}}, {}, 'team')
    assert.equal(refused.status, 403)
    assert.equal((refused.body as Any).message, 'configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated')
    cp.settle()
    assert.equal(api.get('namespaces', 'team').status, 404)
    assert.equal(api.list('deployments', {}, 'team').status, 200)
    assert.equal(api.ok(api.list('deployments', {}, 'team')).items.length, 0)
  })
})
