// Watches (from a resourceVersion, initial events, selectors, bookmarks, 410 after compaction) and
// subresources (scale, binding, eviction with PodDisruptionBudgets, log) and admission (quota, limits).
import {strict as assert} from 'node:assert'
import {newCluster, deployment, pod, Api, type Any} from './helpers.js'
import {VirtualClock} from '../../../src/api/clock.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import type {WatchEventOut, WatchStream} from '../../../src/apiserver/types.js'

function collect(stream: WatchStream): WatchEventOut[] {
  const events: WatchEventOut[] = []
  stream.start((e) => events.push(e))
  return events
}

describe('apiserver: watch', () => {
  it('delivers changes after a resourceVersion, in order, with the right types', () => {
    const {api} = newCluster()
    const rv = api.ok(api.list('pods')).metadata.resourceVersion
    const events = collect(api.req('watch', 'pods', {query: {resourceVersion: rv}}).body as WatchStream)
    api.ok(api.create('pods', pod('a')))
    api.ok(api.patch('pods', 'a', 'merge', {metadata: {labels: {x: 'y'}}}))
    api.ok(api.delete('pods', 'a'))
    assert.deepEqual(events.map((e) => `${e.type} ${(e.object as Any).metadata.name}`), ['ADDED a', 'MODIFIED a', 'DELETED a'])
    const rvs = events.map((e) => Number((e.object as Any).metadata.resourceVersion))
    assert.deepEqual([...rvs].sort((x, y) => x - y), rvs)
  })

  it('resourceVersion "" or "0" starts with the current objects as ADDED', () => {
    const {api} = newCluster()
    api.ok(api.create('pods', pod('a')))
    const events = collect(api.req('watch', 'pods', {query: {}}).body as WatchStream)
    api.ok(api.create('pods', pod('b')))
    assert.deepEqual(events.map((e) => `${e.type} ${(e.object as Any).metadata.name}`), ['ADDED a', 'ADDED b'])
  })

  it('with a selector, objects moving in and out of it are ADDED and DELETED', () => {
    const {api} = newCluster()
    const rv = api.ok(api.list('pods')).metadata.resourceVersion
    const events = collect(api.req('watch', 'pods', {query: {resourceVersion: rv, labelSelector: 'app=web'}}).body as WatchStream)
    api.ok(api.create('pods', pod('a', {app: 'other'})))
    api.ok(api.patch('pods', 'a', 'merge', {metadata: {labels: {app: 'web'}}}))
    api.ok(api.patch('pods', 'a', 'merge', {metadata: {labels: {app: 'gone'}}}))
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED'])
  })

  it('sendInitialEvents ends the initial events with an annotated BOOKMARK; bookmarks follow on the clock', () => {
    const {api, clock} = newCluster()
    api.ok(api.create('pods', pod('a')))
    const events = collect(api.req('watch', 'pods', {query: {sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true'}}).body as WatchStream)
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'BOOKMARK'])
    assert.deepEqual((events[1].object as Any).metadata.annotations, {'k8s.io/initial-events-end': 'true'})
    clock.advance(61_000)
    assert.equal(events[2]?.type, 'BOOKMARK')
    assert.equal((events[2].object as Any).kind, 'Pod')
  })

  it('a watch from a compacted resourceVersion gets 410 Expired as an ERROR event', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('pods', pod('a')))
    const old = Number(api.ok(api.get('pods', 'a')).metadata.resourceVersion)
    api.ok(api.patch('pods', 'a', 'merge', {metadata: {labels: {v: '2'}}}))
    cp.store.compact(cp.store.currentRevision())
    const events = collect(api.req('watch', 'pods', {query: {resourceVersion: String(old)}}).body as WatchStream)
    assert.equal(events.length, 1)
    assert.equal(events[0].type, 'ERROR')
    assert.equal((events[0].object as Any).code, 410)
    assert.equal((events[0].object as Any).reason, 'Expired')
    assert.match((events[0].object as Any).message, /^too old resource version: \d+ \(\d+\)$/)
  })

  it('stops on timeoutSeconds', () => {
    const {api, clock} = newCluster()
    let ended = false
    const stream = api.req('watch', 'pods', {query: {timeoutSeconds: '5', resourceVersion: '1'}}).body as WatchStream
    stream.start(() => {}, () => (ended = true))
    clock.advance(4000)
    assert.equal(ended, false)
    clock.advance(2000)
    assert.equal(ended, true)
  })
})

describe('apiserver: subresources', () => {
  it('scale reads and writes replicas of a Deployment', () => {
    const {api} = newCluster()
    api.ok(api.create('deployments', deployment()))
    const scale = api.ok(api.req('get', 'deployments', {name: 'web', subresource: 'scale'}))
    assert.equal(scale.kind, 'Scale')
    assert.equal(scale.apiVersion, 'autoscaling/v1')
    assert.deepEqual(scale.spec, {replicas: 2})
    assert.equal(scale.status.selector, 'app=web')
    api.ok(api.patch('deployments', 'web', 'merge', {spec: {replicas: 7}}, {}, 'scale'))
    assert.equal(api.ok(api.get('deployments', 'web')).spec.replicas, 7)
    assert.equal(api.patch('deployments', 'web', 'merge', {spec: {replicas: -1}}, {}, 'scale').status, 422)
  })

  it('binding assigns a pod to a node once', () => {
    const {api} = newCluster()
    api.ok(api.create('pods', pod('a')))
    const res = api.req('create', 'pods', {name: 'a', subresource: 'binding', body: {apiVersion: 'v1', kind: 'Binding', metadata: {name: 'a'}, target: {kind: 'Node', name: 'node-1'}}})
    assert.equal(res.status, 201)
    const p = api.ok(api.get('pods', 'a'))
    assert.equal(p.spec.nodeName, 'node-1')
    assert.equal(p.status.conditions[0].type, 'PodScheduled')
    const again = api.req('create', 'pods', {name: 'a', subresource: 'binding', body: {target: {kind: 'Node', name: 'node-2'}}})
    assert.equal(again.status, 409)
    assert.equal((again.body as Any).message, 'Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "node-1"')
  })

  it('eviction is refused with 429 while the PodDisruptionBudget allows no disruption', () => {
    const {api} = newCluster()
    api.ok(api.create('pods', pod('a', {app: 'db'}, {nodeName: 'n1'})))
    api.ok(api.patch('pods', 'a', 'merge', {status: {phase: 'Running'}}, {}, 'status'))
    api.ok(api.create('poddisruptionbudgets', {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {name: 'db'}, spec: {minAvailable: 1, selector: {matchLabels: {app: 'db'}}}}))
    const evict = () => api.req('create', 'pods', {name: 'a', subresource: 'eviction', body: {apiVersion: 'policy/v1', kind: 'Eviction', metadata: {name: 'a'}}})
    const pending = evict()
    assert.equal(pending.status, 429)
    assert.match(JSON.stringify(pending.body), /is still being processed by the server/)
    // What the disruption controller writes: one healthy pod, one needed.
    api.ok(api.patch('poddisruptionbudgets', 'db', 'merge', {status: {observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1}}, {}, 'status'))
    const blocked = evict()
    assert.equal(blocked.status, 429)
    assert.equal((blocked.body as Any).message, "Cannot evict pod as it would violate the pod's disruption budget.")
    assert.equal((blocked.body as Any).details.causes[0].message, 'The disruption budget db needs 1 healthy pods and has 1 currently')
    api.ok(api.patch('poddisruptionbudgets', 'db', 'merge', {status: {disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1}}, {}, 'status'))
    assert.equal(evict().status, 201)
    assert.equal(api.ok(api.get('pods', 'a')).metadata.deletionTimestamp !== undefined, true)
    assert.equal(api.ok(api.get('poddisruptionbudgets', 'db')).status.disruptionsAllowed, 0)
  })

  it('log needs a container name when a pod has several', () => {
    const {api} = newCluster()
    api.ok(api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'two'}, spec: {containers: [{name: 'a', image: 'x'}, {name: 'b', image: 'y'}]}}))
    const res = api.req('get', 'pods', {name: 'two', subresource: 'log'})
    assert.equal(res.status, 400)
    assert.equal((res.body as Any).message, 'a container name must be specified for pod two, choose one of: [a b]')
  })
})

describe('apiserver: admission', () => {
  it('ResourceQuota refuses what would exceed it, and keeps status.used current', () => {
    const {api} = newCluster()
    api.ok(api.create('resourcequotas', {apiVersion: 'v1', kind: 'ResourceQuota', metadata: {name: 'compute'}, spec: {hard: {pods: '2', 'requests.cpu': '250m'}}}))
    api.ok(api.create('pods', pod('a')))
    api.ok(api.create('pods', pod('b')))
    const q = api.ok(api.get('resourcequotas', 'compute'))
    assert.deepEqual(q.status.used, {pods: '2', 'requests.cpu': '200m'})
    const third = api.create('pods', pod('c'))
    assert.equal(third.status, 403)
    assert.equal((third.body as Any).message, 'pods "c" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=100m, used: pods=2,requests.cpu=200m, limited: pods=2,requests.cpu=250m')
    const noRequests = api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'd'}, spec: {containers: [{name: 'c', image: 'x'}]}})
    assert.equal(noRequests.status, 403)
    assert.equal((noRequests.body as Any).message, 'pods "d" is forbidden: failed quota: compute: must specify requests.cpu for: c')
  })

  it('LimitRange fills defaults and refuses what is out of bounds', () => {
    const {api} = newCluster()
    api.ok(api.create('limitranges', {apiVersion: 'v1', kind: 'LimitRange', metadata: {name: 'lr'}, spec: {limits: [{type: 'Container', default: {cpu: '500m'}, defaultRequest: {cpu: '100m'}, max: {cpu: '1'}}]}}))
    const p = api.ok(api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'a'}, spec: {containers: [{name: 'c', image: 'x'}]}}))
    assert.deepEqual(p.spec.containers[0].resources, {limits: {cpu: '500m'}, requests: {cpu: '100m'}})
    assert.equal(p.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container c; cpu limit for container c')
    const big = api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'b'}, spec: {containers: [{name: 'c', image: 'x', resources: {limits: {cpu: '2'}}}]}})
    assert.equal(big.status, 403)
    assert.equal((big.body as Any).message, 'pods "b" is forbidden: maximum cpu usage per Container is 1, but limit is 2')
  })
})

describe('apiserver: custom resources', () => {
  it('serves the kinds of a CRD at once, validates them, and removes them with it', () => {
    const {api, cp} = newCluster()
    api.ok(api.create('customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'widgets.example.com'},
      spec: {group: 'example.com', scope: 'Namespaced', names: {kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList'},
        versions: [{name: 'v1', served: true, storage: true, schema: {openAPIV3Schema: {type: 'object', properties: {spec: {type: 'object', properties: {size: {type: 'integer', minimum: 1}}}}}}}]},
    }))
    const crd = api.ok(api.get('customresourcedefinitions', 'widgets.example.com'))
    assert.equal(crd.status.conditions.find((c: Any) => c.type === 'Established').status, 'True')
    const w = (spec: Any) => cp.handle({verb: 'create', group: 'example.com', version: 'v1', resource: 'widgets', namespace: 'default', body: {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}, spec}})
    assert.equal(w({size: 0}).status, 422)
    assert.equal(w({size: 2}).status, 201)
    const smp = cp.handle({verb: 'patch', group: 'example.com', version: 'v1', resource: 'widgets', namespace: 'default', name: 'w', patchType: 'strategic', body: {spec: {size: 3}}})
    assert.equal(smp.status, 415)
    api.ok(api.delete('customresourcedefinitions', 'widgets.example.com'))
    assert.equal(cp.handle({verb: 'list', group: 'example.com', version: 'v1', resource: 'widgets', namespace: 'default'}).status, 404)
  })
})

describe('control plane', () => {
  it('compacts history every five minutes up to the revision seen at the previous tick', () => {
    const {api, cp, clock} = newCluster()
    const start = cp.store.currentRevision()
    api.ok(api.create('pods', pod('a')))
    const early = cp.store.currentRevision()
    clock.advance(5 * 60 * 1000)
    assert.equal(cp.store.compactedRevision(), start, 'the first tick compacts up to the revision seen at start')
    api.ok(api.create('pods', pod('b')))
    clock.advance(5 * 60 * 1000)
    assert.equal(cp.store.compactedRevision(), early, 'the next one up to the revision seen at the first tick')
    const events: unknown[] = []
    ;(api.req('watch', 'pods', {query: {resourceVersion: String(start)}}).body as WatchStream).start((e) => events.push(e))
    assert.equal((events[0] as Any).type, 'ERROR')
  })

  it('serves pod logs from the log reader, with tailLines and timestamps', () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 22, 12))
    const cp = new ControlPlane({
      store: new MemoryStore(), clock, seed: 1, kubernetesVersion: '1.36',
      logs: {read: (_ns, p, c, o) => (o.previous ? '' : `2026-11-22T11:59:00.000000000Z ${(p.metadata as Any).name}/${c} line 1\n2026-11-22T11:59:30.000000000Z line 2\n2026-11-22T11:59:59.000000000Z line 3\n`)},
    })
    const api = new Api(cp)
    api.ok(api.create('pods', pod('a')))
    const log = (query: Record<string, string>) => api.ok(api.req('get', 'pods', {name: 'a', subresource: 'log', query})) as unknown as string
    assert.equal(log({}), 'a/c line 1\nline 2\nline 3\n')
    assert.equal(log({tailLines: '2'}), 'line 2\nline 3\n')
    assert.equal(log({tailLines: '1', timestamps: 'true'}), '2026-11-22T11:59:59.000000000Z line 3\n')
    assert.equal(log({sinceSeconds: '45'}), 'line 2\nline 3\n')
    assert.equal(api.req('get', 'pods', {name: 'a', subresource: 'log', query: {container: 'nope'}}).status, 400)
  })
})
