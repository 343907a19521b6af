// The DaemonSet controller on the virtual clock: with the scheduler and kubelets on the default cluster
// profile (control-plane node tainted NoSchedule, workers node-1..node-3) for end-to-end flows, and
// alone (pods stay unbound, the test plays the kubelet) where a rollout must be watched step by step.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {DaemonPlacement, FailedPodsBackoff, pinToNode, targetNodeName} from '../../../src/reconcile/controllers/daemonset-util.js'
import {newCluster, type Any, type Api} from '../apiserver/helpers.js'

const E2E = ['daemonset', 'scheduler', 'kubelet']

function cluster(controllers: string[] = E2E) {
  const c = newCluster(7, {controllers, cluster: loadClusterProfile()})
  c.cp.settle({horizonMs: 0})
  return c
}

function daemonSet(name = 'fluentd', spec: Any = {}, podSpec: Any = {}): Any {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: {name},
    spec: {
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name, image: `${name}:v1`}], ...podSpec}},
      ...spec,
    },
  }
}

const apps = {group: 'apps'}

function createDS(api: Api, body: Any): Any {
  return api.ok(api.req('create', 'daemonsets', {...apps, body}))
}

function getDS(api: Api, name = 'fluentd'): Any {
  return api.ok(api.req('get', 'daemonsets', {...apps, name}))
}

function patchDS(api: Api, patch: Any, name = 'fluentd'): Any {
  return api.ok(api.req('patch', 'daemonsets', {...apps, name, patchType: 'strategic', body: patch}))
}

function setImage(api: Api, image: string, name = 'fluentd'): Any {
  return patchDS(api, {spec: {template: {spec: {containers: [{name, image}]}}}}, name)
}

function revisions(api: Api): Any[] {
  return (api.ok(api.req('list', 'controllerrevisions', apps)).items as Any[]).sort((a, b) => a.revision - b.revision)
}

function podsOf(api: Api, app = 'fluentd'): Any[] {
  return (api.ok(api.list('pods', {labelSelector: `app=${app}`})).items as Any[]).sort((a, b) => target(a).localeCompare(target(b)) || a.metadata.name.localeCompare(b.metadata.name))
}

/** The node a daemon pod runs on or is pinned to. */
function target(p: Any): string {
  return p.spec.nodeName ?? p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]
}

function placement(api: Api, app = 'fluentd'): string[] {
  return podsOf(api, app).map(target)
}

function dsEvents(api: Api, name = 'fluentd'): string[] {
  return (api.ok(api.list('events', {fieldSelector: `involvedObject.kind=DaemonSet,involvedObject.name=${name}`})).items as Any[])
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((e) => `${e.type} ${e.reason} ${e.message}`)
}

function patchNode(api: Api, name: string, patch: Any): void {
  api.ok(api.req('patch', 'nodes', {name, namespace: undefined, patchType: 'merge', body: patch}))
}

/** Plays the kubelet: the pod running and ready since `at` (now by default). */
function markReady(api: Api, pod: Any, at: string): void {
  api.ok(api.patch('pods', pod.metadata.name, 'merge', {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: at}]}}, {}, 'status'))
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z')
}

const DAEMON_TOLERATIONS = [
  {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute'},
  {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute'},
  {key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule'},
  {key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule'},
  {key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule'},
  {key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule'},
]

describe('DaemonSet controller', () => {
  describe('placement (with the scheduler and kubelets)', () => {
    it('runs one pod on every worker but not on the tainted control-plane node', () => {
      const {api, cp} = cluster()
      const ds = createDS(api, daemonSet())
      cp.settle()
      const pods = podsOf(api)
      assert.deepEqual(pods.map((p) => p.spec.nodeName), ['node-1', 'node-2', 'node-3'])
      const [rev] = revisions(api)
      const hash = rev.metadata.labels['controller-revision-hash']
      assert.equal(rev.metadata.name, `fluentd-${hash}`)
      assert.equal(rev.revision, 1)
      assert.deepEqual(rev.metadata.ownerReferences.map((r: Any) => [r.kind, r.name, r.controller]), [['DaemonSet', 'fluentd', true]])
      assert.equal(rev.data.spec.template.$patch, 'replace')
      for (const p of pods) {
        assert.match(p.metadata.name, /^fluentd-[a-z0-9]{5}$/)
        assert.deepEqual(p.metadata.labels, {app: 'fluentd', 'pod-template-generation': '1', 'controller-revision-hash': hash})
        assert.deepEqual(p.metadata.ownerReferences, [{apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true}])
        assert.deepEqual(p.spec.affinity, {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: [p.spec.nodeName]}]}]}}})
        assert.deepEqual(p.spec.tolerations, DAEMON_TOLERATIONS)
        assert.equal(p.status.phase, 'Running')
      }
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3,
        observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3,
      })
      assert.deepEqual(dsEvents(api).sort(), pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort())
      const ev = (api.ok(api.list('events', {fieldSelector: 'reason=SuccessfulCreate'})).items as Any[])[0]
      assert.deepEqual(ev.source, {component: 'daemonset-controller'})
    })

    it('also runs on the control-plane node when the DaemonSet tolerates its taint', () => {
      const {api, cp} = cluster()
      createDS(api, daemonSet('fluentd', {}, {tolerations: [{key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule'}]}))
      cp.settle()
      assert.deepEqual(podsOf(api).map((p) => p.spec.nodeName), ['control-plane', 'node-1', 'node-2', 'node-3'])
      const p = podsOf(api)[0]
      assert.deepEqual(p.spec.tolerations, [{key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule'}, ...DAEMON_TOLERATIONS])
      assert.equal(getDS(api).status.desiredNumberScheduled, 4)
      assert.equal(getDS(api).status.numberReady, 4)
    })

    it('adds network-unavailable for hostNetwork pods and replaces a matching user toleration', () => {
      const {api, cp} = cluster()
      createDS(api, daemonSet('fluentd', {}, {hostNetwork: true, tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}]}))
      cp.settle()
      assert.deepEqual(podsOf(api)[0].spec.tolerations, [...DAEMON_TOLERATIONS, {key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule'}])
    })

    it('follows nodeSelector as nodes are labelled and relabelled', () => {
      const {api, cp} = cluster()
      patchNode(api, 'node-2', {metadata: {labels: {disk: 'ssd'}}})
      createDS(api, daemonSet('fluentd', {}, {nodeSelector: {disk: 'ssd'}}))
      cp.settle()
      assert.deepEqual(placement(api), ['node-2'])
      assert.equal(podsOf(api)[0].spec.nodeSelector.disk, 'ssd', 'the nodeSelector stays on the pod')
      patchNode(api, 'node-3', {metadata: {labels: {disk: 'ssd'}}})
      cp.settle()
      assert.deepEqual(placement(api), ['node-2', 'node-3'])
      const onNode2 = podsOf(api)[0].metadata.name
      patchNode(api, 'node-2', {metadata: {labels: {disk: null}}})
      cp.settle()
      assert.deepEqual(placement(api), ['node-3'])
      assert.ok(dsEvents(api).includes(`Normal SuccessfulDelete Deleted pod: ${onNode2}`))
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1,
        observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1,
      })
    })

    it('honours required node affinity of the template, then pins each pod to its node', () => {
      const {api, cp} = cluster()
      const affinity = {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a', 'zone-b']}]}]}}}
      createDS(api, daemonSet('fluentd', {}, {affinity}))
      cp.settle()
      // control-plane is in zone-a but tainted; node-3 is in zone-c.
      assert.deepEqual(placement(api), ['node-1', 'node-2'])
      assert.deepEqual(podsOf(api)[0].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['node-1']}]}])
    })

    it('gives a new node a pod', () => {
      const {api, cp} = cluster()
      createDS(api, daemonSet())
      cp.settle()
      const template = api.ok(api.get('nodes', 'node-3'))
      api.ok(api.req('create', 'nodes', {namespace: undefined, body: {
        apiVersion: 'v1', kind: 'Node',
        metadata: {name: 'node-4', labels: {...template.metadata.labels, 'kubernetes.io/hostname': 'node-4'}},
        spec: {podCIDR: '10.244.4.0/24', podCIDRs: ['10.244.4.0/24']},
        status: {capacity: template.status.capacity, allocatable: template.status.allocatable},
      }}))
      cp.settle()
      assert.deepEqual(podsOf(api).map((p) => p.spec.nodeName), ['node-1', 'node-2', 'node-3', 'node-4'])
      assert.equal(podsOf(api)[3].status.phase, 'Running')
      assert.equal(getDS(api).status.desiredNumberScheduled, 4)
      assert.equal(getDS(api).status.numberAvailable, 4)
    })

    it('removes the pod from a node tainted NoExecute unless the DaemonSet tolerates the taint', () => {
      const {api, cp} = cluster()
      createDS(api, daemonSet())
      createDS(api, daemonSet('agent', {}, {tolerations: [{key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoExecute'}]}))
      cp.settle()
      const victim = podsOf(api).find((p) => p.spec.nodeName === 'node-1')!.metadata.name
      patchNode(api, 'node-1', {spec: {taints: [{key: 'dedicated', value: 'infra', effect: 'NoExecute'}]}})
      cp.settle()
      assert.deepEqual(placement(api), ['node-2', 'node-3'])
      assert.deepEqual(placement(api, 'agent'), ['node-1', 'node-2', 'node-3'])
      assert.equal(api.get('pods', victim).status, 404, 'gone after the kubelet stopped it')
      assert.ok(dsEvents(api).includes(`Normal SuccessfulDelete Deleted pod: ${victim}`))
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2,
        observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2,
      })
      patchNode(api, 'node-1', {spec: {taints: null}})
      cp.settle()
      assert.deepEqual(placement(api), ['node-1', 'node-2', 'node-3'], 'untainted: a pod again')
    })

    it('leaves a running pod on a node tainted NoSchedule and counts it misscheduled', () => {
      const {api, cp} = cluster()
      createDS(api, daemonSet())
      cp.settle()
      patchNode(api, 'node-1', {spec: {taints: [{key: 'dedicated', value: 'infra', effect: 'NoSchedule'}]}})
      cp.settle()
      assert.deepEqual(placement(api), ['node-1', 'node-2', 'node-3'])
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 2, numberMisscheduled: 1, desiredNumberScheduled: 2, numberReady: 2,
        observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2,
      })
    })

    it('ignores a cordon: daemon pods tolerate unschedulable', () => {
      const {api, cp} = cluster()
      patchNode(api, 'node-1', {spec: {unschedulable: true, taints: [{key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule'}]}})
      createDS(api, daemonSet())
      cp.settle()
      assert.deepEqual(podsOf(api).map((p) => p.spec.nodeName), ['node-1', 'node-2', 'node-3'])
    })

    it('rolls out a new template node by node to completion', () => {
      const {api, cp} = cluster()
      createDS(api, daemonSet())
      cp.settle()
      const before = podsOf(api).map((p) => p.metadata.name)
      setImage(api, 'fluentd:v2')
      cp.settle()
      const after = podsOf(api)
      assert.deepEqual(after.map((p) => p.spec.nodeName), ['node-1', 'node-2', 'node-3'])
      assert.ok(after.every((p) => p.spec.containers[0].image === 'fluentd:v2' && p.metadata.labels['pod-template-generation'] === '2' && p.status.phase === 'Running'))
      assert.ok(after.every((p) => !before.includes(p.metadata.name)))
      const revs = revisions(api)
      assert.deepEqual(revs.map((r) => r.revision), [1, 2])
      assert.ok(after.every((p) => p.metadata.labels['controller-revision-hash'] === revs[1].metadata.labels['controller-revision-hash']))
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3,
        observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 3,
      })
      // One node at a time (maxUnavailable 1): each old pod is deleted once the previous new pod is available.
      const events = dsEvents(api).slice(3)
      assert.deepEqual(events.map((e) => e.split(' ')[1]), ['SuccessfulDelete', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate'])
      assert.deepEqual(events.filter((e) => e.includes('Deleted')).map((e) => e.split(': ')[1]).sort(), [...before].sort())
    })
  })

  describe('rollouts (the test plays the kubelet)', () => {
    function rollout(spec: Any) {
      const c = cluster(['daemonset'])
      createDS(c.api, daemonSet('fluentd', spec))
      c.cp.settle({horizonMs: 0})
      for (const p of podsOf(c.api)) markReady(c.api, p, iso(c.clock.now()))
      c.cp.settle({horizonMs: 0})
      return c
    }

    const images = (api: Api) => podsOf(api).map((p) => `${target(p)}=${p.spec.containers[0].image}${p.status?.conditions ? '' : ' (not ready)'}`)

    it('creates unbound pods pinned by affinity and leaves binding to the scheduler', () => {
      const {api} = rollout({})
      const pods = podsOf(api)
      assert.deepEqual(pods.map(target), ['node-1', 'node-2', 'node-3'])
      assert.ok(pods.every((p) => p.spec.nodeName === undefined))
    })

    it('replaces maxUnavailable pods at a time, waiting for each to become ready', () => {
      const {api, cp, clock} = rollout({})
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v2 (not ready)', 'node-2=fluentd:v1', 'node-3=fluentd:v1'])
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 2,
        observedGeneration: 2, updatedNumberScheduled: 1, numberAvailable: 2, numberUnavailable: 1,
      })
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v2 (not ready)', 'node-2=fluentd:v1', 'node-3=fluentd:v1'], 'waits while the new pod is unavailable')
      markReady(api, podsOf(api)[0], iso(clock.now()))
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v2', 'node-2=fluentd:v2 (not ready)', 'node-3=fluentd:v1'])
      markReady(api, podsOf(api)[1], iso(clock.now()))
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v2', 'node-2=fluentd:v2', 'node-3=fluentd:v2 (not ready)'])
      markReady(api, podsOf(api)[2], iso(clock.now()))
      cp.settle({horizonMs: 0})
      assert.deepEqual(getDS(api).status, {
        currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3,
        observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 3,
      })
    })

    it('takes maxUnavailable as a percentage of the nodes, rounding up', () => {
      const {api, cp} = rollout({updateStrategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '50%'}}})
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v2 (not ready)', 'node-2=fluentd:v2 (not ready)', 'node-3=fluentd:v1'])
    })

    it('replaces an unavailable old pod at once, beyond the budget', () => {
      const {api, cp} = rollout({})
      // node-3's old pod is not ready: replacing it costs no availability.
      api.ok(api.patch('pods', podsOf(api)[2].metadata.name, 'merge', {status: {conditions: [{type: 'Ready', status: 'False', lastTransitionTime: '2026-11-22T12:00:00Z'}]}}, {}, 'status'))
      cp.settle({horizonMs: 0})
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v1', 'node-2=fluentd:v1', 'node-3=fluentd:v2 (not ready)'])
    })

    it('surges with maxSurge: the new pod starts next to the old one, which goes once the new one is available', () => {
      const {api, cp, clock} = rollout({updateStrategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}})
      clock.advance(1000)
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api).sort(), ['node-1=fluentd:v1', 'node-1=fluentd:v2 (not ready)', 'node-2=fluentd:v1', 'node-3=fluentd:v1'])
      assert.equal(getDS(api).status.numberAvailable, 3, 'no node lost its pod')
      const fresh = podsOf(api).find((p) => p.spec.containers[0].image === 'fluentd:v2')!
      markReady(api, fresh, iso(clock.now()))
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api).sort(), ['node-1=fluentd:v2', 'node-2=fluentd:v1', 'node-2=fluentd:v2 (not ready)', 'node-3=fluentd:v1'])
    })

    it('waits minReadySeconds before counting a pod available and moving on', () => {
      const {api, cp, clock} = rollout({minReadySeconds: 10})
      assert.equal(getDS(api).status.numberAvailable, undefined)
      assert.equal(getDS(api).status.numberUnavailable, 3)
      cp.settle()
      assert.equal(getDS(api).status.numberAvailable, 3, 'the settle moved the clock past minReadySeconds')
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      markReady(api, podsOf(api)[0], iso(clock.now()))
      cp.settle({horizonMs: 5_000})
      assert.deepEqual(images(api), ['node-1=fluentd:v2', 'node-2=fluentd:v1', 'node-3=fluentd:v1'])
      cp.settle()
      assert.deepEqual(images(api), ['node-1=fluentd:v2', 'node-2=fluentd:v2 (not ready)', 'node-3=fluentd:v1'])
    })

    it('OnDelete: replaces only the pods someone deletes', () => {
      const {api, cp} = rollout({updateStrategy: {type: 'OnDelete'}})
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v1', 'node-2=fluentd:v1', 'node-3=fluentd:v1'])
      assert.equal(getDS(api).status.updatedNumberScheduled, undefined)
      assert.equal(getDS(api).status.observedGeneration, 2)
      api.ok(api.delete('pods', podsOf(api)[1].metadata.name))
      cp.settle({horizonMs: 0})
      assert.deepEqual(images(api), ['node-1=fluentd:v1', 'node-2=fluentd:v2 (not ready)', 'node-3=fluentd:v1'])
      assert.equal(getDS(api).status.updatedNumberScheduled, 1)
    })

    it('rolls back to an earlier template by renumbering its revision', () => {
      const {api, cp} = rollout({updateStrategy: {type: 'OnDelete'}})
      const first = revisions(api)[0].metadata.name
      setImage(api, 'fluentd:v2')
      cp.settle({horizonMs: 0})
      setImage(api, 'fluentd:v1')
      cp.settle({horizonMs: 0})
      assert.deepEqual(revisions(api).map((r) => [r.metadata.name === first, r.revision]), [[false, 2], [true, 3]])
      assert.equal(getDS(api).status.updatedNumberScheduled, 3, 'the pods run the current revision again')
    })

    it('keeps revisionHistoryLimit old revisions, never one a pod still runs', () => {
      const {api, cp} = rollout({updateStrategy: {type: 'OnDelete'}, revisionHistoryLimit: 1})
      for (const v of ['v2', 'v3', 'v4']) {
        setImage(api, `fluentd:${v}`)
        cp.settle({horizonMs: 0})
      }
      // Old revisions beyond the limit go oldest first; v1 stays (every pod still runs it) but still
      // counts, so v2 and then v3 were deleted, as upstream's cleanupHistory does.
      const images = revisions(api).map((r) => `${r.revision}:${r.data.spec.template.spec.containers[0].image}`)
      assert.deepEqual(images, ['1:fluentd:v1', '4:fluentd:v4'])
      api.ok(api.delete('pods', podsOf(api)[0].metadata.name))
      cp.settle({horizonMs: 0})
      setImage(api, 'fluentd:v5')
      cp.settle({horizonMs: 0})
      assert.deepEqual(revisions(api).map((r) => r.revision), [1, 4, 5], 'v1 and v4 both still run')
    })

    it('deletes a failed pod and creates a new one, backing off when it keeps failing', () => {
      const {api, cp, clock} = rollout({})
      const fail = (p: Any) => api.ok(api.patch('pods', p.metadata.name, 'merge', {status: {phase: 'Failed'}}, {}, 'status'))
      const first = podsOf(api)[0]
      fail(first)
      cp.settle({horizonMs: 0})
      const second = podsOf(api)[0]
      assert.notEqual(second.metadata.name, first.metadata.name)
      assert.equal(target(second), 'node-1')
      assert.ok(dsEvents(api).includes(`Warning FailedDaemonPod Found failed daemon pod default/${first.metadata.name} on node node-1, will try to kill it`))
      fail(second)
      cp.settle({horizonMs: 0})
      assert.equal(podsOf(api)[0].metadata.name, second.metadata.name, 'within the 1 s back-off')
      const t0 = clock.now().getTime()
      cp.settle({horizonMs: 5_000})
      assert.equal(clock.now().getTime() - t0, 1000, 'retried when the back-off ended')
      assert.notEqual(podsOf(api)[0].metadata.name, second.metadata.name)
      assert.equal(podsOf(api).length, 3)
    })

    it('trims a second pod on a node, keeping the oldest', () => {
      const {api, cp, clock} = rollout({})
      const keep = podsOf(api)[1]
      clock.advance(1000)
      const extra = api.ok(api.create('pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: {name: 'extra', labels: {app: 'fluentd'}},
        spec: {containers: [{name: 'c', image: 'x'}], affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['node-2']}]}]}}}},
      }))
      cp.settle({horizonMs: 0})
      assert.equal(api.get('pods', extra.metadata.name).status, 404, 'adopted, then deleted as the newer duplicate')
      assert.equal(podsOf(api)[1].metadata.name, keep.metadata.name)
      assert.ok(dsEvents(api).includes('Normal SuccessfulDelete Deleted pod: extra'))
    })

    it('reports a failed creation as FailedCreate and retries', () => {
      const {api, cp} = cluster(['daemonset'])
      api.ok(api.create('resourcequotas', {apiVersion: 'v1', kind: 'ResourceQuota', metadata: {name: 'q'}, spec: {hard: {pods: '1'}}}))
      api.ok(api.patch('resourcequotas', 'q', 'merge', {status: {hard: {pods: '1'}, used: {pods: '0'}}}, {}, 'status'))
      createDS(api, daemonSet())
      cp.settle({horizonMs: 0})
      assert.equal(podsOf(api).length, 1)
      const failed = dsEvents(api).filter((e) => e.includes('FailedCreate'))
      assert.ok(failed.length >= 1)
      assert.match(failed[0]!, /^Warning FailedCreate Error creating: pods "fluentd-[a-z0-9]{5}" is forbidden: exceeded quota: q/)
      api.ok(api.patch('resourcequotas', 'q', 'merge', {spec: {hard: {pods: '3'}}}))
      api.ok(api.patch('resourcequotas', 'q', 'merge', {status: {hard: {pods: '3'}}}, {}, 'status'))
      cp.settle()
      assert.deepEqual(placement(api), ['node-1', 'node-2', 'node-3'], 'the retry (queue back-off) created the rest')
    })
  })

  describe('helpers', () => {
    it('pins to a node by replacing every required term, keeping preferred terms and pod affinity', () => {
      const affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'zone', operator: 'In', values: ['a']}]}, {matchFields: [{key: 'metadata.name', operator: 'In', values: ['old']}]}]},
          preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, preference: {matchExpressions: [{key: 'ssd', operator: 'Exists'}]}}],
        },
        podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{topologyKey: 'kubernetes.io/hostname'}]},
      }
      const pinned = pinToNode(affinity, 'node-2') as Any
      assert.deepEqual(pinned.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['node-2']}]}]})
      assert.deepEqual(pinned.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution, affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution)
      assert.deepEqual(pinned.podAntiAffinity, affinity.podAntiAffinity)
      assert.equal(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.length, 2, 'the template is not changed')
      assert.deepEqual(pinToNode(undefined, 'n'), {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: ['n']}]}]}}})
      assert.equal(targetNodeName({spec: {affinity: pinned}}), 'node-2')
      assert.equal(targetNodeName({spec: {nodeName: 'node-9', affinity: pinned}}), 'node-9')
      assert.equal(targetNodeName({spec: {}}), undefined)
    })

    it('judges nodes: NoSchedule stops new pods, untolerated NoExecute removes running ones', () => {
      const ds = daemonSet('fluentd', {}, {tolerations: [{key: 'a', operator: 'Exists', effect: 'NoExecute'}], nodeSelector: {pool: 'x'}})
      const p = new DaemonPlacement(ds)
      const node = (taints: Any[], labels: Any = {pool: 'x'}) => ({metadata: {name: 'n', labels}, spec: {taints}})
      assert.deepEqual(p.verdict(node([])), {shouldRun: true, shouldContinueRunning: true})
      assert.deepEqual(p.verdict(node([], {pool: 'y'})), {shouldRun: false, shouldContinueRunning: false})
      assert.deepEqual(p.verdict(node([{key: 'b', effect: 'NoSchedule'}])), {shouldRun: false, shouldContinueRunning: true})
      assert.deepEqual(p.verdict(node([{key: 'a', effect: 'NoExecute'}])), {shouldRun: true, shouldContinueRunning: true})
      assert.deepEqual(p.verdict(node([{key: 'b', effect: 'NoExecute'}])), {shouldRun: false, shouldContinueRunning: false})
      assert.deepEqual(p.verdict(node([{key: 'b', effect: 'PreferNoSchedule'}])), {shouldRun: true, shouldContinueRunning: true})
      assert.deepEqual(p.verdict(node([{key: 'node.kubernetes.io/not-ready', effect: 'NoExecute'}, {key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule'}])), {shouldRun: true, shouldContinueRunning: true})
      const pinned = new DaemonPlacement(daemonSet('fluentd', {}, {nodeName: 'other'}))
      assert.deepEqual(pinned.verdict(node([], {})), {shouldRun: false, shouldContinueRunning: false})
    })

    it('backs off failed pods from 1 s, doubling up to 15 minutes', () => {
      const b = new FailedPodsBackoff()
      assert.equal(b.inBackoff('k', 0), false)
      b.next('k', 0)
      assert.equal(b.get('k'), 1000)
      assert.equal(b.inBackoff('k', 999), true)
      assert.equal(b.inBackoff('k', 1000), false)
      b.next('k', 1000)
      assert.equal(b.get('k'), 2000)
      for (let i = 0; i < 20; i++) b.next('k', 2000 + i)
      assert.equal(b.get('k'), 15 * 60 * 1000)
      b.next('k', 2020 + 31 * 60 * 1000)
      assert.equal(b.get('k'), 1000, 'idle for more than twice the maximum: starts over')
    })
  })
})
