// The horizontal pod autoscaler on the virtual clock, with the scheduler, kubelets and
// metrics.k8s.io: scale-up as the rate policies allow once new pods have a metrics window, the max
// limit, the 300 s scale-down stabilization, the status and conditions, and the pure arithmetic.
import {strict as assert} from 'node:assert'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {behaviorOf, limitByBehavior, resourceReplicas, type PodSample} from '../../../src/reconcile/controllers/hpa-util.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

type Cluster = ReturnType<typeof newCluster>

const COMPONENTS = ['replicaset', 'deployment', 'scheduler', 'kubelet', 'horizontal-pod-autoscaler']

function hpaReq(c: Cluster, verb: 'create' | 'get', body?: Any) {
  const res = c.cp.handle({verb, group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespace: 'default', ...(verb === 'get' ? {name: 'web'} : {body})})
  if (res.status >= 300) throw new Error(JSON.stringify(res.body))
  return res.body as Any
}

function replicas(c: Cluster): number {
  return c.api.ok(c.api.get('deployments', 'web')).spec.replicas
}

function rescales(c: Cluster): string[] {
  return (c.api.ok(c.api.list('events')).items as Any[]).filter((e) => e.reason === 'SuccessfulRescale')
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((e) => e.message)
}

/** Lets `seconds` of cluster time pass, settling every 5 s (pods start, the HPA syncs every 15 s). */
function pass(c: Cluster, seconds: number): void {
  for (let t = 0; t < seconds; t += 5) {
    c.clock.advance(5_000)
    c.cp.settle({horizonMs: 0})
  }
}

function cond(h: Any, type: string): string {
  const x = h.status.conditions.find((k: Any) => k.type === type)
  return `${x.status}/${x.reason}: ${x.message}`
}

describe('HorizontalPodAutoscaler controller', () => {
  it('scales a Deployment up on CPU utilization as fast as the policies allow, up to maxReplicas, and down after the stabilization window', () => {
    const c = newCluster(7, {controllers: COMPONENTS, cluster: loadClusterProfile()})
    c.api.ok(c.api.create('deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'},
      spec: {replicas: 1, selector: {matchLabels: {app: 'web'}}, template: {
        metadata: {labels: {app: 'web'}, annotations: {'kube2.dev/cpu-usage': '200m'}},
        spec: {containers: [{name: 'web', image: 'nginx:1.27', resources: {requests: {cpu: '100m', memory: '64Mi'}}}]},
      }},
    }))
    c.cp.settle({horizonMs: 30_000})
    hpaReq(c, 'create', {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: 'web'},
      spec: {scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'}, minReplicas: 1, maxReplicas: 10, metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 50}}}]},
    })
    c.cp.settle({horizonMs: 0})
    // The pod has been ready for less than a metrics window: its sample does not count yet.
    let h = hpaReq(c, 'get')
    assert.equal(cond(h, 'ScalingActive'), 'False/FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)')
    assert.equal(replicas(c), 1)
    pass(c, 30)
    // 200m used of 100m requested: 200 % against a 50 % target asks for 4 pods; 4 more are allowed per 15 s.
    assert.equal(replicas(c), 4)
    h = hpaReq(c, 'get')
    assert.equal(h.status.currentMetrics[0].resource.current.averageUtilization, 200)
    assert.equal(h.status.currentMetrics[0].resource.current.averageValue, '200m')
    assert.equal(cond(h, 'ScalingLimited'), 'False/DesiredWithinRange: the desired count is within the acceptable range')
    pass(c, 120)
    assert.equal(replicas(c), 10)
    h = hpaReq(c, 'get')
    assert.equal(cond(h, 'ScalingLimited'), 'True/TooManyReplicas: the desired replica count is more than the maximum replica count')
    assert.equal(cond(h, 'ScalingActive'), 'True/ValidMetricFound: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)')
    assert.deepEqual(rescales(c), [4, 8, 10].map((n) => `New size: ${n}; reason: cpu resource utilization (percentage of request) above target`), '4 -> 8: limited to doubling; 8 -> 10: the maximum')

    // Load drops to 20 % of the request: 10 pods at 20 % against 50 % want 4, but only after 300 s.
    for (const p of c.api.ok(c.api.list('pods', {labelSelector: 'app=web'})).items as Any[]) {
      c.api.ok(c.api.patch('pods', p.metadata.name, 'merge', {metadata: {annotations: {'kube2.dev/cpu-usage': '20m'}}}))
    }
    pass(c, 60)
    assert.equal(replicas(c), 10)
    h = hpaReq(c, 'get')
    assert.equal(cond(h, 'AbleToScale'), 'True/ScaleDownStabilized: recent recommendations were higher than current one, applying the highest recent recommendation')
    assert.equal(h.status.desiredReplicas, 10)
    pass(c, 300)
    assert.equal(replicas(c), 4)
    assert.equal(rescales(c).at(-1), 'New size: 4; reason: All metrics below target')
    h = hpaReq(c, 'get')
    assert.ok(h.status.lastScaleTime)
    assert.equal(h.status.currentMetrics[0].resource.current.averageUtilization, 20)
  })

  it('reports metrics it cannot get', () => {
    const c = newCluster(7, {controllers: ['replicaset', 'deployment', 'horizontal-pod-autoscaler']})
    c.api.ok(c.api.create('deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'},
      spec: {replicas: 1, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx'}]}}},
    }))
    c.cp.settle({horizonMs: 0})
    hpaReq(c, 'create', {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: 'web'},
      spec: {scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'}, maxReplicas: 3, metrics: [{type: 'Pods', pods: {metric: {name: 'qps'}, target: {type: 'AverageValue', averageValue: '10'}}}]},
    })
    c.cp.settle({horizonMs: 0})
    const h = hpaReq(c, 'get')
    assert.match(cond(h, 'ScalingActive'), /^False\/FailedGetPodsMetric: the HPA was unable to compute the replica count: unable to get metric qps: /)
    assert.equal(replicas(c), 1)
  })

  it('computes replicas as the replica calculator does', () => {
    const now = Date.UTC(2026, 10, 22, 12, 10, 0)
    const pod = (name: string, usage: number | undefined, o: Partial<PodSample> = {}): PodSample => ({name, request: 100, usage, phase: 'Running', deleting: false, readyCondition: {ready: true, since: now - 600_000}, startTime: now - 700_000, ...o})
    assert.equal(resourceReplicas(2, [pod('a', 55), pod('b', 50)], 'cpu', 50, 'Utilization', now, 15_000, now).replicas, 2, 'within the 10 % tolerance')
    assert.equal(resourceReplicas(2, [pod('a', 100), pod('b', 100)], 'cpu', 50, 'Utilization', now, 15_000, now).replicas, 4)
    // A pod without metrics counts as using the whole target on a scale-down: fewer pods go.
    assert.equal(resourceReplicas(3, [pod('a', 10), pod('b', 10), pod('c', undefined)], 'cpu', 50, 'Utilization', now, 15_000, now).replicas, 2)
    // A pod still starting counts as using nothing on a scale-up.
    assert.equal(resourceReplicas(2, [pod('a', 100), pod('b', 0, {startTime: now - 10_000, readyCondition: {ready: false, since: now - 10_000}})], 'cpu', 50, 'Utilization', now, 15_000, now).replicas, 2)
    assert.throws(() => resourceReplicas(1, [pod('a', 10, {request: undefined})], 'cpu', 50, 'Utilization', now, 15_000, now), /missing request for cpu in pod a/)
    assert.equal(resourceReplicas(2, [pod('a', 300), pod('b', 300)], 'memory', 100, 'AverageValue', now, 15_000, now).replicas, 6)
    const b = behaviorOf({spec: {}})
    assert.deepEqual(limitByBehavior(20, 2, 1, 50, [], [], b, now), {replicas: 6, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate'})
    assert.deepEqual(limitByBehavior(1, 10, 3, 50, [], [], b, now), {replicas: 3, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count'})
    const slow = behaviorOf({spec: {behavior: {scaleDown: {policies: [{type: 'Pods', value: 1, periodSeconds: 60}]}}}})
    assert.deepEqual(limitByBehavior(1, 10, 1, 50, [], [{at: now - 30_000, change: 1}], slow, now).replicas, 10, 'one pod per minute, one already gone')
  })
})
