// The Deployment controller (pkg/controller/deployment): owns ReplicaSets by selector, creates the
// new one per template, rolls (RollingUpdate/Recreate), scales proportionally, cleans up history and
// writes the status and conditions `kubectl rollout status` reads.
import {selectorFromLabelSelector, type LabelSelector, type Selector} from '../../api/labels.js'
import {ApiError} from '../../apiserver/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {controllerRef} from '../informer.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {
  annotationsOf, byCreation, byRevision, bySizeNewer, bySizeOlder, canonicalJson, computeHash, deploymentComplete,
  deploymentProgressing, deploymentTimedOut, desiredReplicasAnnotation, equalIgnoreHash, getCondition, hasProgressDeadline,
  isActive, isRollingUpdate, maxRevision, maxSurge, maxUnavailable, metaOf, newCondition, newRSNewReplicas, num,
  POD_TEMPLATE_HASH_LABEL, proportion, REASON, removeCondition, replicasAnnotationsNeedUpdate, replicasOf, REVISION_ANNOTATION,
  setCondition, setNewReplicaSetAnnotations, type Condition, setReplicasAnnotations, specOf, specReplicaSum, statusOf, statusSum,
} from './deployment-util.js'

const PROGRESSING = 'Progressing'
const AVAILABLE = 'Available'

export class DeploymentReconciler implements Reconciler {
  readonly name = 'deployment'

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const cached = this.ctx.informer(RESOURCES.deployments).get(key.namespace, key.name)
    if (!cached) return 'done'
    return new DeploymentSync(this.ctx, structuredClone(cached)).run()
  }
}

/** One syncDeployment: `d` is a private copy, replaced by what the apiserver returns after each status write. */
class DeploymentSync {
  private readonly selector: Selector
  private readonly namespace: string

  constructor(private readonly ctx: ControllerContext, private d: Obj) {
    this.namespace = String(metaOf(d).namespace)
    const ls = specOf(d).selector as LabelSelector | undefined
    this.selector = selectorFromLabelSelector(ls)
  }

  run(): ReconcileResult {
    const ls = (specOf(this.d).selector ?? {}) as LabelSelector
    if (Object.keys(ls.matchLabels ?? {}).length + (ls.matchExpressions ?? []).length === 0) {
      // A Deployment selecting everything would fight every other controller: only observe it.
      if (num(statusOf(this.d).observedGeneration) < num(metaOf(this.d).generation)) {
        this.writeStatus({...statusOf(this.d), observedGeneration: metaOf(this.d).generation})
      }
      return 'done'
    }
    const rsList = this.claimReplicaSets()
    const podMap = this.podMap(rsList)
    if (metaOf(this.d).deletionTimestamp) {
      const {newRS, oldRSs} = this.allReplicaSets(rsList, false)
      this.syncDeploymentStatus([...oldRSs, newRS], newRS)
      return 'done'
    }
    this.checkPausedConditions()
    if (specOf(this.d).paused) return this.sync(rsList)
    if (this.isScalingEvent(rsList)) return this.sync(rsList)
    return isRollingUpdate(this.d) ? this.rolloutRolling(rsList) : this.rolloutRecreate(rsList, podMap)
  }

  private now(): Date {
    return this.ctx.clock.now()
  }

  private get rsInformer() {
    return this.ctx.informer(RESOURCES.replicasets)
  }

  /** The cached (current) version of a ReplicaSet after our writes; informers update inside the write. */
  private fresh(rs: Obj | undefined): Obj | undefined {
    if (!rs) return undefined
    return this.rsInformer.get(this.namespace, String(metaOf(rs).name)) ?? rs
  }

  // -------------------------------------------------------------------------------------------
  // Ownership

  /** ReplicaSets this Deployment controls and that match its selector; adopts matching orphans, releases non-matching ones. */
  private claimReplicaSets(): Obj[] {
    const m = metaOf(this.d)
    const uid = String(m.uid)
    const out: Obj[] = []
    let canAdopt: boolean | undefined
    for (const rs of this.rsInformer.list(this.namespace)) {
      const rm = metaOf(rs)
      const owner = controllerRef(rs)
      const matches = this.selector.matches((rm.labels ?? {}) as Record<string, string>)
      if (owner?.uid === uid) {
        if (matches) out.push(rs)
        else if (!m.deletionTimestamp) this.setOwner(rs, false)
      } else if (!owner && matches && !rm.deletionTimestamp && !m.deletionTimestamp) {
        // As RecheckDeletionTimestamp: adopt only if the live Deployment is still this one and not being deleted.
        if (canAdopt === undefined) {
          const live = this.ctx.client.get(RESOURCES.deployments, this.namespace, String(m.name))
          canAdopt = !!live && metaOf(live).uid === uid && !metaOf(live).deletionTimestamp
        }
        if (canAdopt) out.push(this.setOwner(rs, true))
      }
    }
    return out
  }

  private setOwner(rs: Obj, own: boolean): Obj {
    const rm = metaOf(rs)
    const others = ((rm.ownerReferences ?? []) as Obj[]).filter((r) => r.controller !== true)
    const refs = own ? [...others, deploymentRef(this.d)] : others
    return this.ctx.client.patch(RESOURCES.replicasets, this.namespace, String(rm.name), 'merge', {metadata: {ownerReferences: refs.length ? refs : null, resourceVersion: rm.resourceVersion}})
  }

  /** Pods of the Deployment grouped by the uid of the claimed ReplicaSet that controls them. */
  private podMap(rsList: Obj[]): Map<string, Obj[]> {
    const out = new Map<string, Obj[]>()
    const pods = this.ctx.informer(RESOURCES.pods)
    for (const rs of rsList) {
      const uid = String(metaOf(rs).uid)
      out.set(uid, pods.ownedBy(uid).filter((p) => metaOf(p).namespace === this.namespace && this.selector.matches((metaOf(p).labels ?? {}) as Record<string, string>)))
    }
    return out
  }

  // -------------------------------------------------------------------------------------------
  // New and old ReplicaSets

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and all the others. */
  private allReplicaSets(rsList: Obj[], create: boolean): {newRS?: Obj; oldRSs: Obj[]} {
    const template = specOf(this.d).template
    const existing = [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(specOf(rs).template, template))
    const oldRSs = rsList.filter((rs) => rs !== existing)
    return {newRS: this.newReplicaSet(oldRSs, existing, create), oldRSs}
  }

  private newReplicaSet(oldRSs: Obj[], existing: Obj | undefined, create: boolean): Obj | undefined {
    const d = this.d
    const newRevision = maxRevision(oldRSs) + 1
    if (existing) {
      const copy = structuredClone(existing)
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true)
      const minReady = num(specOf(d).minReadySeconds)
      if (annotationsUpdated || num(specOf(copy).minReadySeconds) !== minReady) {
        // The ReplicaSet's update event brings us back to record the revision on the Deployment.
        ;(copy.spec as Obj).minReadySeconds = minReady
        return this.ctx.client.update(RESOURCES.replicasets, copy)
      }
      let needsUpdate = this.setDeploymentRevision(annotationsOf(copy)[REVISION_ANNOTATION] ?? '')
      if (hasProgressDeadline(d) && !getCondition(statusOf(d), PROGRESSING)) {
        // Progress is estimated from the first time this controller noticed the new ReplicaSet.
        setCondition(this.mutableStatus(), newCondition(PROGRESSING, 'True', REASON.foundNewRS, `Found new replica set "${metaOf(copy).name}"`, this.now()))
        needsUpdate = true
      }
      if (needsUpdate) this.pushStatus()
      return copy
    }
    if (!create) return undefined

    const status = statusOf(d)
    const hash = computeHash(specOf(d).template, typeof status.collisionCount === 'number' ? status.collisionCount : undefined)
    const template = structuredClone((specOf(d).template ?? {}) as Obj)
    const tm = (template.metadata ??= {}) as Obj
    tm.labels = {...((tm.labels ?? {}) as Record<string, string>), [POD_TEMPLATE_HASH_LABEL]: hash}
    const selector = structuredClone((specOf(d).selector ?? {}) as Obj)
    selector.matchLabels = {...((selector.matchLabels ?? {}) as Record<string, string>), [POD_TEMPLATE_HASH_LABEL]: hash}
    const name = `${metaOf(d).name}-${hash}`
    const rs: Obj = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {name, namespace: this.namespace, labels: tm.labels, ownerReferences: [deploymentRef(d)]},
      spec: {replicas: 0, minReadySeconds: num(specOf(d).minReadySeconds), selector, template},
    }
    ;(rs.spec as Obj).replicas = newRSNewReplicas(d, [...oldRSs, rs], rs)
    setNewReplicaSetAnnotations(d, rs, newRevision, false)

    let created: Obj
    let alreadyExists = false
    try {
      created = this.ctx.client.create(RESOURCES.replicasets, this.namespace, rs)
    } catch (e) {
      if (e instanceof ApiError && e.status.reason === 'AlreadyExists') {
        const found = this.ctx.client.get(RESOURCES.replicasets, this.namespace, name)
        if (found && controllerRef(found)?.uid === metaOf(d).uid && equalIgnoreHash(specOf(found).template, specOf(d).template)) {
          // Our cache was behind: it is ours.
          created = found
          alreadyExists = true
        } else {
          // Another template hashed to this name: a different collisionCount gives another name next time.
          this.mutableStatus().collisionCount = num(status.collisionCount) + 1
          this.pushStatus()
          throw e
        }
      } else {
        const msg = `Failed to create new replica set "${name}": ${(e as Error).message}`
        if (hasProgressDeadline(d)) {
          setCondition(this.mutableStatus(), newCondition(PROGRESSING, 'False', REASON.rsCreateError, msg, this.now()))
          this.pushStatus()
        }
        this.event('Warning', REASON.rsCreateError, msg)
        throw e
      }
    }
    const size = replicasOf(created)
    if (!alreadyExists && size > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${size}`)
    let needsUpdate = this.setDeploymentRevision(String(newRevision))
    if (!alreadyExists && hasProgressDeadline(this.d)) {
      setCondition(this.mutableStatus(), newCondition(PROGRESSING, 'True', REASON.newRSCreated, `Created new replica set "${name}"`, this.now()))
      needsUpdate = true
    }
    if (needsUpdate) this.pushStatus()
    return created
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder({component: 'deployment-controller'}).event(this.d, type, reason, message)
  }

  /** SetDeploymentRevision on the working copy; true when it changed. */
  private setDeploymentRevision(revision: string): boolean {
    const m = metaOf(this.d)
    const a = (m.annotations ?? {}) as Record<string, string>
    if (a[REVISION_ANNOTATION] === revision) return false
    m.annotations = {...a, [REVISION_ANNOTATION]: revision}
    return true
  }

  private mutableStatus(): Obj {
    return (this.d.status ??= {}) as Obj
  }

  /** Writes the working copy (status and, through the status subresource, its annotations) and keeps the result. */
  private pushStatus(): void {
    this.d = this.ctx.client.updateStatus(RESOURCES.deployments, this.d)
  }

  private writeStatus(status: Obj): void {
    this.d = this.ctx.client.updateStatus(RESOURCES.deployments, {...this.d, status})
  }

  // -------------------------------------------------------------------------------------------
  // Scaling

  /** scaleReplicaSet: size and replica annotations; `scaled` only when the size changed. */
  private scaleReplicaSet(rs: Obj, size: number): {scaled: boolean; rs: Obj} {
    const replicas = replicasOf(this.d)
    const max = replicas + maxSurge(this.d)
    const sizeChanges = replicasOf(rs) !== size
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, replicas, max)) return {scaled: false, rs}
    const copy = structuredClone(rs)
    ;(copy.spec as Obj).replicas = size
    setReplicasAnnotations(copy, replicas, max)
    const updated = this.ctx.client.update(RESOURCES.replicasets, copy)
    if (sizeChanges) {
      const from = replicasOf(rs)
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${from < size ? 'up' : 'down'} replica set ${metaOf(rs).name} from ${from} to ${size}`)
    }
    return {scaled: sizeChanges, rs: updated}
  }

  /** isScalingEvent: an active ReplicaSet was sized for a different `replicas` than the Deployment's now. */
  private isScalingEvent(rsList: Obj[]): boolean {
    const {newRS, oldRSs} = this.allReplicaSets(rsList, false)
    for (const rs of [...oldRSs, newRS].filter(isActive)) {
      const desired = desiredReplicasAnnotation(rs)
      if (desired !== undefined && desired !== replicasOf(this.d)) return true
    }
    return false
  }

  /** sync: scaling and, when paused, history cleanup; no rollout. */
  private sync(rsList: Obj[]): ReconcileResult {
    const {newRS, oldRSs} = this.allReplicaSets(rsList, false)
    this.scale(newRS, oldRSs)
    const fresh = oldRSs.map((rs) => this.fresh(rs)!)
    if (specOf(this.d).paused) this.cleanup(fresh)
    this.syncDeploymentStatus([...fresh, this.fresh(newRS)], this.fresh(newRS))
    return 'done'
  }

  /**
   * scale: one active ReplicaSet takes the whole size; a saturated new one drains the old; otherwise
   * (RollingUpdate) the difference is spread over the active ReplicaSets by their share.
   */
  private scale(newRS: Obj | undefined, oldRSs: Obj[]): void {
    const d = this.d
    const replicas = replicasOf(d)
    const only = activeOrLatest(newRS, oldRSs)
    if (only) {
      if (replicasOf(only) !== replicas) this.scaleReplicaSet(only, replicas)
      return
    }
    if (newRS && isSaturated(d, newRS)) {
      for (const old of oldRSs.filter(isActive)) this.scaleReplicaSet(old, 0)
      return
    }
    if (!isRollingUpdate(d)) return
    const active = [...oldRSs, newRS].filter(isActive)
    const allowed = replicas > 0 ? replicas + maxSurge(d) : 0
    const toAdd = allowed - specReplicaSum(active)
    if (toAdd > 0) active.sort(bySizeNewer)
    else if (toAdd < 0) active.sort(bySizeOlder)
    let added = 0
    const sizes = new Map<Obj, number>()
    for (const rs of active) {
      if (toAdd === 0) {
        sizes.set(rs, replicasOf(rs))
        continue
      }
      const p = proportion(rs, d, toAdd, added)
      sizes.set(rs, replicasOf(rs) + p)
      added += p
    }
    active.forEach((rs, i) => {
      // The rounding leftovers go to the largest ReplicaSet.
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added))
      this.scaleReplicaSet(rs, sizes.get(rs)!)
    })
  }

  // -------------------------------------------------------------------------------------------
  // Rollouts

  private rolloutRolling(rsList: Obj[]): ReconcileResult {
    const {newRS, oldRSs} = this.allReplicaSets(rsList, true)
    const all = () => [...oldRSs.map((rs) => this.fresh(rs)!), this.fresh(newRS)]
    if (this.reconcileNewReplicaSet([...oldRSs, newRS!], newRS!)) return this.syncRolloutStatus(all(), this.fresh(newRS))
    if (this.reconcileOldReplicaSets([...oldRSs, newRS!], oldRSs.filter(isActive), newRS!)) return this.syncRolloutStatus(all(), this.fresh(newRS))
    if (deploymentComplete(this.d, statusOf(this.d))) this.cleanup(oldRSs)
    return this.syncRolloutStatus(all(), this.fresh(newRS))
  }

  private reconcileNewReplicaSet(allRSs: Obj[], newRS: Obj): boolean {
    const replicas = replicasOf(this.d)
    if (replicasOf(newRS) === replicas) return false
    if (replicasOf(newRS) > replicas) return this.scaleReplicaSet(newRS, replicas).scaled
    return this.scaleReplicaSet(newRS, newRSNewReplicas(this.d, allRSs, newRS)).scaled
  }

  /** Scales old ReplicaSets down as far as availability allows: unhealthy replicas first, then by age. */
  private reconcileOldReplicaSets(allRSs: Obj[], oldRSs: Obj[], newRS: Obj): boolean {
    if (specReplicaSum(oldRSs) === 0) return false
    const minAvailable = replicasOf(this.d) - maxUnavailable(this.d)
    const newUnavailable = replicasOf(newRS) - num(statusOf(newRS).availableReplicas)
    const maxScaledDown = specReplicaSum(allRSs) - minAvailable - newUnavailable
    if (maxScaledDown <= 0) return false
    const cleaned = this.cleanupUnhealthyReplicas(oldRSs, maxScaledDown)
    const scaled = this.scaleDownOldForRollingUpdate([...cleaned.oldRSs, newRS], cleaned.oldRSs)
    return cleaned.count + scaled > 0
  }

  private cleanupUnhealthyReplicas(oldRSs: Obj[], maxCleanup: number): {oldRSs: Obj[]; count: number} {
    const sorted = [...oldRSs].sort(byCreation)
    let total = 0
    for (let i = 0; i < sorted.length; i++) {
      if (total >= maxCleanup) break
      const rs = sorted[i]!
      const size = replicasOf(rs), available = num(statusOf(rs).availableReplicas)
      if (size === 0 || size === available) continue
      const n = Math.min(maxCleanup - total, size - available)
      sorted[i] = this.scaleReplicaSet(rs, size - n).rs
      total += n
    }
    return {oldRSs: sorted, count: total}
  }

  private scaleDownOldForRollingUpdate(allRSs: Obj[], oldRSs: Obj[]): number {
    const minAvailable = replicasOf(this.d) - maxUnavailable(this.d)
    const available = statusSum(allRSs, 'availableReplicas')
    if (available <= minAvailable) return 0
    const want = available - minAvailable
    let total = 0
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= want) break
      if (replicasOf(rs) === 0) continue
      const n = Math.min(replicasOf(rs), want - total)
      this.scaleReplicaSet(rs, replicasOf(rs) - n)
      total += n
    }
    return total
  }

  /** Recreate: old ReplicaSets to zero, wait until none of their pods runs, then the new one at full size. */
  private rolloutRecreate(rsList: Obj[], podMap: Map<string, Obj[]>): ReconcileResult {
    let {newRS, oldRSs} = this.allReplicaSets(rsList, false)
    const all = () => [...oldRSs.map((rs) => this.fresh(rs)!), this.fresh(newRS)]
    let scaledDown = false
    for (const rs of oldRSs.filter(isActive)) {
      if (this.scaleReplicaSet(rs, 0).scaled) scaledDown = true
    }
    if (scaledDown) return this.syncRolloutStatus(all(), newRS)
    if (oldPodsRunning(newRS, oldRSs.map((rs) => this.fresh(rs)!), podMap)) return this.syncRolloutStatus(all(), newRS)
    if (!newRS) ({newRS, oldRSs} = this.allReplicaSets(rsList, true))
    this.scaleReplicaSet(newRS!, replicasOf(this.d))
    if (deploymentComplete(this.d, statusOf(this.d))) this.cleanup(oldRSs)
    return this.syncRolloutStatus(all(), this.fresh(newRS))
  }

  /** cleanupDeployment: deletes the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  private cleanup(oldRSs: Obj[]): void {
    const limit = specOf(this.d).revisionHistoryLimit
    if (typeof limit !== 'number') return
    const cleanable = oldRSs.filter((rs) => !metaOf(rs).deletionTimestamp)
    const diff = cleanable.length - limit
    if (diff <= 0) return
    cleanable.sort(byRevision)
    for (const rs of cleanable.slice(0, diff)) {
      // Never one that still has pods, or whose latest spec its controller has not seen yet.
      if (num(statusOf(rs).replicas) !== 0 || replicasOf(rs) !== 0 || num(metaOf(rs).generation) > num(statusOf(rs).observedGeneration)) continue
      this.ctx.client.delete(RESOURCES.replicasets, this.namespace, String(metaOf(rs).name))
    }
  }

  // -------------------------------------------------------------------------------------------
  // Status

  /** checkPausedConditions: Progressing goes Unknown while paused so that the pause never counts as lack of progress. */
  private checkPausedConditions(): void {
    if (!hasProgressDeadline(this.d)) return
    const cond = getCondition(statusOf(this.d), PROGRESSING)
    if (cond?.reason === REASON.timedOut) return
    const pausedCond = cond?.reason === REASON.paused
    const paused = !!specOf(this.d).paused
    if (paused && !pausedCond) {
      setCondition(this.mutableStatus(), newCondition(PROGRESSING, 'Unknown', REASON.paused, 'Deployment is paused', this.now()))
    } else if (!paused && pausedCond) {
      setCondition(this.mutableStatus(), newCondition(PROGRESSING, 'Unknown', REASON.resumed, 'Deployment is resumed', this.now()))
    } else return
    this.pushStatus()
  }

  private calculateStatus(allRSs: (Obj | undefined)[], newRS: Obj | undefined): Obj {
    const d = this.d
    const available = statusSum(allRSs, 'availableReplicas')
    const unavailable = Math.max(0, specReplicaSum(allRSs) - available)
    const old = statusOf(d)
    // Zero counters are omitted, as the Go types' omitempty does.
    const status: Obj = {}
    const put = (k: string, v: unknown) => {
      if (v !== undefined && v !== 0) status[k] = v
    }
    put('observedGeneration', metaOf(d).generation)
    put('replicas', statusSum(allRSs, 'replicas'))
    put('updatedReplicas', statusSum([newRS], 'replicas'))
    put('readyReplicas', statusSum(allRSs, 'readyReplicas'))
    put('availableReplicas', available)
    put('unavailableReplicas', unavailable)
    if (old.conditions) status.conditions = structuredClone(old.conditions)
    if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount
    if (available >= replicasOf(d) - maxUnavailable(d)) {
      setCondition(status, newCondition(AVAILABLE, 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', this.now()))
    } else {
      setCondition(status, newCondition(AVAILABLE, 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', this.now()))
    }
    return status
  }

  private syncDeploymentStatus(allRSs: (Obj | undefined)[], newRS: Obj | undefined): void {
    const status = this.calculateStatus(allRSs, newRS)
    if (!sameStatus(statusOf(this.d), status)) this.writeStatus(status)
  }

  /** syncRolloutStatus: the status plus the Progressing condition; a stuck rollout is rechecked at its deadline. */
  private syncRolloutStatus(allRSs: (Obj | undefined)[], newRS: Obj | undefined): ReconcileResult {
    const d = this.d
    const status = this.calculateStatus(allRSs, newRS)
    if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING)
    const current = getCondition(statusOf(d), PROGRESSING)
    const complete = num(status.replicas) === num(status.updatedReplicas) && current?.reason === REASON.newRSAvailable
    if (hasProgressDeadline(d) && !complete) {
      const rsName = newRS ? `ReplicaSet "${metaOf(newRS).name}"` : `Deployment "${metaOf(d).name}"`
      if (deploymentComplete(d, status)) {
        setCondition(status, newCondition(PROGRESSING, 'True', REASON.newRSAvailable, `${rsName} has successfully progressed.`, this.now()))
      } else if (deploymentProgressing(d, status)) {
        // Progress refreshes lastUpdateTime even with an unchanged reason; the transition time stays while it was True.
        const c = newCondition(PROGRESSING, 'True', REASON.rsUpdated, `${rsName} is progressing.`, this.now())
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime
          removeCondition(status, PROGRESSING)
        }
        setCondition(status, c)
      } else if (deploymentTimedOut(d, status, this.now())) {
        setCondition(status, newCondition(PROGRESSING, 'False', REASON.timedOut, `${rsName} has timed out progressing.`, this.now()))
      }
    }
    const failure = replicaFailure(allRSs, newRS)
    if (failure) setCondition(status, failure)
    else removeCondition(status, 'ReplicaFailure')
    if (sameStatus(statusOf(d), status)) return this.requeueStuck(status)
    this.writeStatus(status)
    return 'done'
  }

  /** requeueStuckDeployment: without progress, look again when the deadline passes. */
  private requeueStuck(status: Obj): ReconcileResult {
    const current = getCondition(statusOf(this.d), PROGRESSING)
    if (!hasProgressDeadline(this.d) || !current) return 'done'
    if (deploymentComplete(this.d, status) || current.reason === REASON.timedOut) return 'done'
    const deadline = Date.parse(current.lastUpdateTime) + num(specOf(this.d).progressDeadlineSeconds) * 1000
    const after = deadline - this.now().getTime()
    // Under a second: soon (the real controller's rate-limited requeue starts at 5 ms).
    return {requeueAfterMs: after < 1000 ? 5 : after}
  }
}

function deploymentRef(d: Obj): Obj {
  const m = metaOf(d)
  return {apiVersion: 'apps/v1', kind: 'Deployment', name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true}
}

function sameStatus(a: Obj, b: Obj): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; undefined when several are. */
function activeOrLatest(newRS: Obj | undefined, oldRSs: Obj[]): Obj | undefined {
  if (!newRS && oldRSs.length === 0) return undefined
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a))
  const active = [...newestFirst, newRS].filter(isActive)
  if (active.length === 0) return newRS ?? newestFirst[0]
  return active.length === 1 ? active[0] : undefined
}

/** IsSaturated: the new ReplicaSet is at full size, sized for it, and all of it available. */
function isSaturated(d: Obj, rs: Obj): boolean {
  const r = replicasOf(d)
  return replicasOf(rs) === r && desiredReplicasAnnotation(rs) === r && num(statusOf(rs).availableReplicas) === r
}

/** Any old ReplicaSet still counting pods, or any of their pods not finished (terminating ones included). */
function oldPodsRunning(newRS: Obj | undefined, oldRSs: Obj[], podMap: Map<string, Obj[]>): boolean {
  if (statusSum(oldRSs, 'replicas') > 0) return true
  const newUid = newRS ? String(metaOf(newRS).uid) : undefined
  for (const [uid, pods] of podMap) {
    if (uid === newUid) continue
    for (const p of pods) {
      const phase = statusOf(p).phase
      if (phase !== 'Failed' && phase !== 'Succeeded') return true
    }
  }
  return false
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's. */
function replicaFailure(allRSs: (Obj | undefined)[], newRS: Obj | undefined): Condition | undefined {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs && metaOf(rs).uid !== metaOf(newRS).uid)] : allRSs
  for (const rs of ordered) {
    if (!rs) continue
    const c = ((statusOf(rs).conditions ?? []) as Obj[]).find((x) => x.type === 'ReplicaFailure')
    if (c) {
      const t = String(c.lastTransitionTime ?? '')
      return {type: 'ReplicaFailure', status: c.status as Condition['status'], lastUpdateTime: t, lastTransitionTime: t, reason: String(c.reason ?? ''), message: String(c.message ?? '')}
    }
  }
  return undefined
}

export function addDeploymentController(m: ControllerManager): void {
  m.add(new DeploymentReconciler(m), (c, ctx) => {
    const keyOf = (o: Obj) => ({namespace: String(metaOf(o).namespace), name: String(metaOf(o).name)})
    const deployments = ctx.informer(RESOURCES.deployments)
    const replicasets = ctx.informer(RESOURCES.replicasets)
    deployments.addHandlers({onAdd: (o) => c.enqueue(keyOf(o)), onUpdate: (_, o) => c.enqueue(keyOf(o)), onDelete: (o) => c.enqueue(keyOf(o))})

    const ns = (o: Obj) => String(metaOf(o).namespace)
    const enqueueOwner = (ref: Obj | undefined, o: Obj): boolean => {
      if (ref?.kind !== 'Deployment') return false
      const d = deployments.get(ns(o), String(ref.name))
      if (d && metaOf(d).uid === ref.uid) c.enqueue(keyOf(d))
      return true
    }
    /** An orphan ReplicaSet wakes every Deployment that could adopt it. */
    const enqueueAdopters = (rs: Obj) => {
      const labels = (metaOf(rs).labels ?? {}) as Record<string, string>
      for (const d of deployments.list(ns(rs))) {
        const ls = specOf(d).selector as LabelSelector | undefined
        if (!ls || Object.keys(ls.matchLabels ?? {}).length + (ls.matchExpressions ?? []).length === 0) continue
        try {
          if (selectorFromLabelSelector(ls).matches(labels)) c.enqueue(keyOf(d))
        } catch {
          // An invalid selector adopts nothing.
        }
      }
    }
    replicasets.addHandlers({
      onAdd: (rs) => {
        const ref = controllerRef(rs)
        if (ref) enqueueOwner(ref, rs)
        else enqueueAdopters(rs)
      },
      onUpdate: (old, rs) => {
        const oldRef = controllerRef(old), ref = controllerRef(rs)
        if (oldRef && oldRef.uid !== ref?.uid) enqueueOwner(oldRef, old)
        if (ref) enqueueOwner(ref, rs)
        else if (oldRef || canonicalJson(metaOf(old).labels ?? {}) !== canonicalJson(metaOf(rs).labels ?? {})) enqueueAdopters(rs)
      },
      onDelete: (rs) => {
        enqueueOwner(controllerRef(rs), rs)
      },
    })
    // Only Recreate waits on pods: it may proceed once the last old pod is gone.
    ctx.informer(RESOURCES.pods).addHandlers({
      onDelete: (p) => {
        const ref = controllerRef(p)
        if (ref?.kind !== 'ReplicaSet') return
        const rs = replicasets.get(ns(p), String(ref.name))
        const dref = rs ? controllerRef(rs) : undefined
        if (dref?.kind !== 'Deployment') return
        const d = deployments.get(ns(p), String(dref.name))
        if (d && !isRollingUpdate(d)) c.enqueue(keyOf(d))
      },
    })
  })
}
