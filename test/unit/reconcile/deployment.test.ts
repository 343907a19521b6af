// Golden scenarios of the Deployment controller on a control plane settling on a virtual clock; the
// tests play the kubelet by marking pods Ready through the status subresource.
import {strict as assert} from 'node:assert'
import {materialize} from '../../../src/apiserver/raw-list.js'
import type {WatchStream} from '../../../src/apiserver/types.js'
import {computeHash} from '../../../src/reconcile/controllers/deployment-util.js'
import {newCluster, type Any} from '../apiserver/helpers.js'
import {componentNames} from '../../../src/emulator/components.js'

type Cluster = ReturnType<typeof newCluster>

function dep(name = 'web', replicas = 3, spec: Any = {}, image = 'nginx:1.27'): Any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'web', image}]}}, ...spec},
  }
}

const REV = 'deployment.kubernetes.io/revision'

function getD(c: Cluster, name = 'web'): Any {
  return c.api.ok(c.api.get('deployments', name))
}

/** ReplicaSets of the app, oldest revision first. */
function rsList(c: Cluster, app = 'web'): Any[] {
  const items: Any[] = c.api.ok(c.api.list('replicasets', {labelSelector: `app=${app}`})).items
  return items.sort((a, b) => Number(a.metadata.annotations?.[REV] ?? 0) - Number(b.metadata.annotations?.[REV] ?? 0))
}

function podsOf(c: Cluster, rs: Any): Any[] {
  return c.api.ok(c.api.list('pods', {labelSelector: `pod-template-hash=${rs.metadata.labels['pod-template-hash']}`})).items
}

function now(c: Cluster): string {
  return c.clock.now().toISOString().replace(/\.\d+Z$/, 'Z')
}

/** What a kubelet would write for every pod not yet ready: running and ready since now. */
function markAllReady(c: Cluster): number {
  let n = 0
  for (const p of c.api.ok(c.api.list('pods')).items as Any[]) {
    if ((p.status?.conditions ?? []).some((x: Any) => x.type === 'Ready' && x.status === 'True')) continue
    c.api.ok(c.api.patch('pods', p.metadata.name, 'merge', {status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True', lastTransitionTime: now(c)}]}}, {}, 'status'))
    n++
  }
  return n
}

/** Settles without moving the clock (step-by-step rollouts must not run into the progress deadline). */
function step(c: Cluster): void {
  c.cp.settle({horizonMs: 0})
}

/** Marks pods ready and settles until the rollout has nothing left to do. */
function complete(c: Cluster): void {
  for (let i = 0; i < 50; i++) {
    step(c)
    if (markAllReady(c) === 0) return
  }
  throw new Error('rollout did not finish')
}

function cond(d: Any, type: string): Any {
  return (d.status.conditions ?? []).find((x: Any) => x.type === type)
}

function setImage(c: Cluster, image: string, name = 'web'): void {
  c.api.ok(c.api.patch('deployments', name, 'merge', {spec: {template: {spec: {containers: [{name: 'web', image}]}}}}))
}

/** Replicas (spec) and pods of each ReplicaSet, oldest revision first: [[spec, pods], ...]. */
function shape(c: Cluster): number[][] {
  return rsList(c).map((rs) => [rs.spec.replicas, podsOf(c, rs).length])
}

describe('Deployment controller', () => {
  it('creates the new ReplicaSet named from the template hash, with labels, selector, annotations and pods', () => {
    const c = newCluster()
    const created = c.api.ok(c.api.create('deployments', dep()))
    step(c)
    const [rs, ...more] = rsList(c)
    assert.equal(more.length, 0)
    const hash = computeHash(created.spec.template)
    assert.equal(rs.metadata.name, `web-${hash}`)
    assert.deepEqual(rs.metadata.labels, {app: 'web', 'pod-template-hash': hash})
    assert.deepEqual(rs.spec.selector, {matchLabels: {app: 'web', 'pod-template-hash': hash}})
    assert.equal(rs.spec.template.metadata.labels['pod-template-hash'], hash)
    assert.deepEqual(rs.metadata.annotations, {[REV]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4'})
    assert.deepEqual(rs.metadata.ownerReferences, [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true}])
    assert.equal(rs.spec.replicas, 3)
    assert.equal(podsOf(c, rs).length, 3)
    assert.equal(getD(c).metadata.annotations[REV], '1')
  })

  it('reports unavailable replicas and a progressing rollout before pods are ready', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep()))
    step(c)
    const d = getD(c)
    const rs = rsList(c)[0]!
    const t = now(c)
    assert.deepEqual(d.status, {
      observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3,
      conditions: [
        {type: 'Available', status: 'False', lastUpdateTime: t, lastTransitionTime: t, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'},
        {type: 'Progressing', status: 'True', lastUpdateTime: t, lastTransitionTime: t, reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs.metadata.name}" is progressing.`},
      ],
    })
  })

  it('reports availability and a finished rollout once pods are ready, keeping the transition times', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep()))
    step(c)
    const created = now(c)
    c.clock.advance(5000)
    markAllReady(c)
    step(c)
    const d = getD(c)
    const rs = rsList(c)[0]!
    assert.deepEqual({...d.status, conditions: undefined}, {observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined})
    const available = cond(d, 'Available'), progressing = cond(d, 'Progressing')
    assert.deepEqual([available.status, available.reason, available.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'])
    assert.equal(available.lastTransitionTime, now(c))
    assert.deepEqual([progressing.status, progressing.reason, progressing.message], ['True', 'NewReplicaSetAvailable', `ReplicaSet "${rs.metadata.name}" has successfully progressed.`])
    assert.equal(progressing.lastTransitionTime, created, 'still True since the rollout began')
    assert.equal(progressing.lastUpdateTime, now(c))
  })

  it('goes through NewReplicaSetCreated, ReplicaSetUpdated and NewReplicaSetAvailable', () => {
    const c = newCluster()
    const seen: string[] = []
    const w = materialize(c.cp.handle({verb: 'watch', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', query: {}})).body as WatchStream
    w.start((e) => {
      const p = ((e.object.status as Any | undefined)?.conditions ?? []).find((x: Any) => x.type === 'Progressing')
      if (p && seen[seen.length - 1] !== `${p.reason}: ${p.message}`) seen.push(`${p.reason}: ${p.message}`)
    })
    c.api.ok(c.api.create('deployments', dep()))
    complete(c)
    w.stop()
    const name = rsList(c)[0]!.metadata.name
    assert.deepEqual(seen, [
      `NewReplicaSetCreated: Created new replica set "${name}"`,
      `ReplicaSetUpdated: ReplicaSet "${name}" is progressing.`,
      `NewReplicaSetAvailable: ReplicaSet "${name}" has successfully progressed.`,
    ])
  })

  it('rolls with maxSurge 1 / maxUnavailable 0: one extra pod, an old one removed only once the new one is available', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 3, {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}})))
    complete(c)
    setImage(c, 'nginx:1.28')
    step(c)
    assert.deepEqual(shape(c), [[3, 3], [1, 1]], 'surge: one new pod, no old one removed')
    const [oldRS, newRS] = rsList(c)
    assert.equal(newRS!.metadata.annotations[REV], '2')
    assert.equal(getD(c).metadata.annotations[REV], '2')
    assert.equal(getD(c).status.updatedReplicas, 1)
    step(c)
    assert.deepEqual(shape(c), [[3, 3], [1, 1]], 'nothing moves while the new pod is not available')
    const steps: number[][][] = []
    for (let i = 0; i < 3; i++) {
      markAllReady(c)
      step(c)
      steps.push(shape(c))
    }
    assert.deepEqual(steps, [
      [[2, 2], [2, 2]],
      [[1, 1], [3, 3]],
      [[0, 0], [3, 3]],
    ])
    markAllReady(c)
    step(c)
    const d = getD(c)
    assert.deepEqual([d.status.replicas, d.status.updatedReplicas, d.status.availableReplicas, d.status.unavailableReplicas], [3, 3, 3, undefined])
    assert.equal(cond(d, 'Progressing').reason, 'NewReplicaSetAvailable')
    assert.equal(cond(d, 'Progressing').message, `ReplicaSet "${newRS!.metadata.name}" has successfully progressed.`)
    assert.equal(rsList(c)[0]!.metadata.name, oldRS!.metadata.name, 'the old ReplicaSet stays, at zero, as history')
  })

  it('records ScalingReplicaSet events on the Deployment and pod events on its ReplicaSets', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 2, {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}})))
    complete(c)
    setImage(c, 'nginx:1.28')
    complete(c)
    const [oldRS, newRS] = rsList(c).map((rs) => rs.metadata.name as string)
    const events = (c.api.ok(c.api.list('events')).items as Any[])
      .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    const onDeployment = events.filter((e) => e.involvedObject.kind === 'Deployment').map((e) => [e.reason, e.message, e.source.component])
    assert.deepEqual(onDeployment, [
      ['ScalingReplicaSet', `Scaled up replica set ${oldRS} from 0 to 2`, 'deployment-controller'],
      ['ScalingReplicaSet', `Scaled up replica set ${newRS} from 0 to 1`, 'deployment-controller'],
      ['ScalingReplicaSet', `Scaled down replica set ${oldRS} from 2 to 1`, 'deployment-controller'],
      ['ScalingReplicaSet', `Scaled up replica set ${newRS} from 1 to 2`, 'deployment-controller'],
      ['ScalingReplicaSet', `Scaled down replica set ${oldRS} from 1 to 0`, 'deployment-controller'],
    ])
    const onOld = events.filter((e) => e.involvedObject.name === oldRS)
    assert.deepEqual(onOld.map((e) => e.reason), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulDelete'])
    assert.match(onOld[0]!.message, new RegExp(`^Created pod: ${oldRS}-[a-z0-9]{5}$`))
    assert.match(onOld[2]!.message, new RegExp(`^Deleted pod: ${oldRS}-[a-z0-9]{5}$`))
    assert.equal(onOld[0]!.source.component, 'replicaset-controller')
  })

  it('rolls with maxSurge 0 / maxUnavailable 1: an old pod goes first', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 3, {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}})))
    complete(c)
    setImage(c, 'nginx:1.28')
    step(c)
    assert.deepEqual(shape(c), [[2, 2], [1, 1]])
    assert.equal(cond(getD(c), 'Available').status, 'True', '2 available of 3 is the minimum')
    complete(c)
    assert.deepEqual(shape(c), [[0, 0], [3, 3]])
  })

  it('Recreate: scales the old ReplicaSet to zero and creates the new one only when its pods are gone', () => {
    // Without the pod GC: these pods are not bound to a node, and it would mark a terminating
    // unscheduled pod Failed (which lets Recreate go on, as it should).
    const c = newCluster(7, {controllers: componentNames().filter((n) => n !== 'pod-garbage-collector')})
    c.api.ok(c.api.create('deployments', dep('web', 2, {strategy: {type: 'Recreate'}})))
    complete(c)
    const [oldRS] = rsList(c)
    const [stuck] = podsOf(c, oldRS!)
    c.api.ok(c.api.patch('pods', stuck.metadata.name, 'merge', {metadata: {finalizers: ['test/hold']}}))
    setImage(c, 'nginx:1.28')
    step(c)
    assert.deepEqual(rsList(c).map((rs) => rs.spec.replicas), [0], 'no new ReplicaSet while an old pod terminates')
    assert.ok(c.api.ok(c.api.get('pods', stuck.metadata.name)).metadata.deletionTimestamp)
    assert.equal(cond(getD(c), 'Available').status, 'False')
    c.api.ok(c.api.patch('pods', stuck.metadata.name, 'merge', {metadata: {finalizers: null}}))
    step(c)
    assert.deepEqual(shape(c), [[0, 0], [2, 2]])
    assert.equal(rsList(c)[1]!.metadata.annotations[REV], '2')
    complete(c)
    assert.equal(cond(getD(c), 'Progressing').reason, 'NewReplicaSetAvailable')
  })

  it('undo to the previous template reuses its ReplicaSet and bumps its revision', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep()))
    complete(c)
    setImage(c, 'nginx:1.28')
    complete(c)
    const [v1, v2] = rsList(c)
    setImage(c, 'nginx:1.27')
    complete(c)
    const after = rsList(c)
    assert.deepEqual(after.map((rs) => rs.metadata.name), [v2!.metadata.name, v1!.metadata.name], 'no third ReplicaSet')
    const back = after[1]!
    assert.equal(back.metadata.annotations[REV], '3')
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision-history'], '1')
    assert.equal(back.spec.replicas, 3)
    assert.equal(after[0]!.spec.replicas, 0)
    assert.equal(getD(c).metadata.annotations[REV], '3')
  })

  it('scales proportionally when replicas change mid-rollout', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 10)))
    complete(c)
    setImage(c, 'nginx:1.28')
    step(c)
    assert.deepEqual(shape(c), [[8, 8], [5, 5]], 'surge 3, unavailable 2 of 10')
    c.api.ok(c.api.patch('deployments', 'web', 'merge', {spec: {replicas: 20}}))
    step(c)
    assert.deepEqual(shape(c), [[15, 15], [10, 10]], '12 more shared 7/5 by size, within 20 + surge 5')
    for (const rs of rsList(c)) {
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '20')
      assert.equal(rs.metadata.annotations['deployment.kubernetes.io/max-replicas'], '25')
    }
    complete(c)
    assert.deepEqual(shape(c), [[0, 0], [20, 20]])
  })

  it('scales the only active ReplicaSet when no rollout is under way', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep()))
    complete(c)
    c.api.ok(c.api.patch('deployments', 'web', 'merge', {spec: {replicas: 1}}))
    step(c)
    const [rs] = rsList(c)
    assert.deepEqual([rs!.spec.replicas, podsOf(c, rs!).length], [1, 1])
    assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '1')
    assert.equal(rs!.metadata.annotations['deployment.kubernetes.io/max-replicas'], '2')
    assert.deepEqual([getD(c).status.replicas, getD(c).status.availableReplicas], [1, 1])
  })

  it('paused: no rollout, scaling still applies, and the Progressing condition says so', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep()))
    complete(c)
    c.api.ok(c.api.patch('deployments', 'web', 'merge', {spec: {paused: true}}))
    setImage(c, 'nginx:1.28')
    c.api.ok(c.api.patch('deployments', 'web', 'merge', {spec: {replicas: 5}}))
    step(c)
    assert.deepEqual(shape(c), [[5, 5]], 'no new ReplicaSet, but scaled')
    const p = cond(getD(c), 'Progressing')
    assert.deepEqual([p.status, p.reason, p.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused'])
    c.api.ok(c.api.patch('deployments', 'web', 'merge', {spec: {paused: false}}))
    step(c)
    assert.equal(rsList(c).length, 2, 'resumed: the rollout starts')
    complete(c)
    assert.deepEqual(shape(c), [[0, 0], [5, 5]])
    assert.equal(cond(getD(c), 'Progressing').reason, 'NewReplicaSetAvailable')
  })

  it('keeps only revisionHistoryLimit old ReplicaSets, deleting the oldest', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 2, {revisionHistoryLimit: 1})))
    complete(c)
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      setImage(c, image)
      complete(c)
    }
    const left = rsList(c)
    assert.deepEqual(left.map((rs) => rs.metadata.annotations[REV]), ['3', '4'])
    assert.deepEqual(left.map((rs) => rs.spec.template.spec.containers[0].image), ['nginx:3', 'nginx:4'])
  })

  it('revisionHistoryLimit 0 removes every old ReplicaSet once the rollout is complete', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 2, {revisionHistoryLimit: 0})))
    complete(c)
    setImage(c, 'nginx:2')
    step(c)
    assert.equal(rsList(c).length, 2, 'not during the rollout')
    complete(c)
    assert.deepEqual(rsList(c).map((rs) => rs.metadata.annotations[REV]), ['2'])
  })

  it('marks the rollout timed out after progressDeadlineSeconds without progress, then recovers', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 2, {progressDeadlineSeconds: 60})))
    step(c)
    const started = c.clock.now().getTime()
    c.cp.settle({horizonMs: 30_000})
    assert.equal(cond(getD(c), 'Progressing').reason, 'ReplicaSetUpdated', 'not before the deadline')
    c.cp.settle({horizonMs: 10 * 60_000})
    const d = getD(c)
    const p = cond(d, 'Progressing')
    const name = rsList(c)[0]!.metadata.name
    assert.deepEqual([p.status, p.reason, p.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`])
    const elapsed = c.clock.now().getTime() - started
    assert.ok(elapsed > 60_000 && elapsed < 61_000, `checked right after the deadline (${elapsed} ms)`)
    assert.equal(cond(d, 'Available').status, 'False')
    markAllReady(c)
    step(c)
    const q = cond(getD(c), 'Progressing')
    assert.deepEqual([q.status, q.reason], ['True', 'NewReplicaSetAvailable'])
  })

  it('progress pushes the deadline back', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 2, {progressDeadlineSeconds: 60, strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}})))
    complete(c)
    setImage(c, 'nginx:2')
    step(c)
    c.cp.settle({horizonMs: 50_000})
    markAllReady(c)
    step(c)
    c.cp.settle({horizonMs: 50_000})
    assert.notEqual(cond(getD(c), 'Progressing').reason, 'ProgressDeadlineExceeded', 'the new pod becoming ready was progress')
    c.cp.settle({horizonMs: 120_000})
    assert.equal(cond(getD(c), 'Progressing').reason, 'ProgressDeadlineExceeded')
  })

  it('waits minReadySeconds before counting pods available', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 2, {minReadySeconds: 30})))
    step(c)
    assert.equal(rsList(c)[0]!.spec.minReadySeconds, 30)
    markAllReady(c)
    c.cp.settle({horizonMs: 10_000})
    let d = getD(c)
    assert.deepEqual([d.status.readyReplicas, d.status.availableReplicas, d.status.unavailableReplicas], [2, undefined, 2])
    c.cp.settle({horizonMs: 30_000})
    d = getD(c)
    assert.deepEqual([d.status.availableReplicas, d.status.unavailableReplicas], [2, undefined])
    assert.equal(cond(d, 'Available').status, 'True')
  })

  it('adopts an orphan ReplicaSet with its template instead of creating one', () => {
    const c = newCluster()
    const t = dep().spec.template
    c.api.ok(c.api.create('replicasets', {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: 'manual', labels: {app: 'web'}}, spec: {replicas: 3, selector: {matchLabels: {app: 'web'}}, template: t}}))
    step(c)
    const d = c.api.ok(c.api.create('deployments', dep()))
    step(c)
    const [rs, ...more] = rsList(c)
    assert.equal(more.length, 0)
    assert.equal(rs!.metadata.name, 'manual')
    assert.equal(rs!.metadata.ownerReferences[0].uid, d.metadata.uid)
    assert.equal(rs!.metadata.annotations[REV], '1')
    assert.equal(getD(c).metadata.annotations[REV], '1')
  })

  it('releases a ReplicaSet whose labels stop matching', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 1)))
    complete(c)
    const [rs] = rsList(c)
    c.api.ok(c.api.patch('replicasets', rs!.metadata.name, 'merge', {metadata: {labels: {app: 'other'}}}))
    step(c)
    assert.equal(c.api.ok(c.api.get('replicasets', rs!.metadata.name)).metadata.ownerReferences, undefined)
    assert.equal(rsList(c).length, 1, 'a replacement ReplicaSet was created')
  })

  it('copies the Deployment annotations to the new ReplicaSet, except kubectl last-applied', () => {
    const c = newCluster()
    const d = dep()
    d.metadata.annotations = {team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}'}
    c.api.ok(c.api.create('deployments', d))
    step(c)
    const a = rsList(c)[0]!.metadata.annotations
    assert.equal(a.team, 'a')
    assert.equal(a['kubectl.kubernetes.io/last-applied-configuration'], undefined)
  })

  it('picks another name when the hash collides with a foreign ReplicaSet', () => {
    const c = newCluster()
    const d = dep()
    const hash = computeHash(c.api.ok(c.api.create('deployments', d, {dryRun: 'All'})).spec.template)
    c.api.ok(c.api.create('replicasets', {apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {name: `web-${hash}`, labels: {app: 'squatter'}}, spec: {replicas: 0, selector: {matchLabels: {app: 'squatter'}}, template: {metadata: {labels: {app: 'squatter'}}, spec: {containers: [{name: 'c', image: 'x'}]}}}}))
    const created = c.api.ok(c.api.create('deployments', d))
    step(c)
    const got = getD(c)
    assert.equal(got.status.collisionCount, 1)
    const [rs] = rsList(c)
    assert.equal(rs!.metadata.name, `web-${computeHash(created.spec.template, 1)}`)
    assert.equal(podsOf(c, rs!).length, 3)
  })

  it('a Deployment at zero replicas is available with an empty ReplicaSet', () => {
    const c = newCluster()
    c.api.ok(c.api.create('deployments', dep('web', 0)))
    step(c)
    const [rs] = rsList(c)
    assert.equal(rs!.spec.replicas, 0)
    const d = getD(c)
    assert.deepEqual([cond(d, 'Available').status, cond(d, 'Progressing').reason], ['True', 'NewReplicaSetAvailable'])
  })
})
