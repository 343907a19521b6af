// The Job controller (pkg/controller/job): runs a Job's pods to `completions` with `parallelism` at
// a time (NonIndexed pods named <job>-xxxxx, Indexed pods <job>-<index>-xxxxx with the completion
// index annotation and label and hostname <job>-<index>), tracks finished pods through the
// batch.kubernetes.io/job-tracking finalizer and status.uncountedTerminatedPods, re-creates failed
// pods after an exponential back-off (10 s doubling, capped at 10 min), and finishes the Job as
// 1.31+ does: SuccessCriteriaMet or FailureTarget first, then Complete or Failed once no pod is left
// terminating (reasons CompletionsReached, BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy,
// FailedIndexes, MaxFailedIndexesExceeded). Also suspend/resume, activeDeadlineSeconds,
// podFailurePolicy, podReplacementPolicy and backoffLimitPerIndex. A second reconciler removes the
// tracking finalizer from pods whose Job is gone or finished (the real controller's orphan queue).
import {selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import {ApiError} from '../../apiserver/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {rfc3339} from '../events.js'
import {controllerRef} from '../informer.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {keyString, RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {
  completionIndex, COMPLETION_INDEX_KEY, ensureCondition, findCondition, formatIndexes, hasTrackingFinalizer,
  indexedGenerateName, indexFailureCount, indexIgnoredFailureCount, INDEX_FAILURE_COUNT_KEY, INDEX_IGNORED_FAILURE_COUNT_KEY,
  isJobFinished, isPodTerminating, JOB_CONTROLLER_NAME, JOB_TRACKING_FINALIZER, matchPodFailurePolicy, MAX_PER_SYNC,
  newCondition, nextBackoffRecord, parseIndexes, podFinishedTime, podName, podPhase, podUid, remainingBackoffMs,
  SYNC_BATCH_MS, type BackoffRecord, type JobCondition,
} from './job-util.js'
import {isPodActive, isPodReady} from './pods.js'
import {ownerRefTo, podsToDelete} from './replicaset.js'

const COMPONENT = {component: 'job-controller'}

const meta = (o: Obj): Obj => (o.metadata ?? {}) as Obj
const specOf = (o: Obj): Obj => (o.spec ?? {}) as Obj
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

/** JobStatus as the controller works on it; written back in the Go struct's field order. */
interface Status {
  conditions: JobCondition[]
  startTime?: string
  completionTime?: string
  active: number
  succeeded: number
  failed: number
  terminating?: number
  completedIndexes?: string
  failedIndexes?: string
  uncounted: {succeeded: string[]; failed: string[]}
  ready?: number
}

function readStatus(job: Obj): Status {
  const s = (job.status ?? {}) as Obj
  const u = (s.uncountedTerminatedPods ?? {}) as Obj
  return {
    conditions: ((s.conditions ?? []) as JobCondition[]).map((c) => ({...c})),
    startTime: s.startTime as string | undefined,
    completionTime: s.completionTime as string | undefined,
    active: num(s.active) ?? 0,
    succeeded: num(s.succeeded) ?? 0,
    failed: num(s.failed) ?? 0,
    terminating: num(s.terminating),
    completedIndexes: s.completedIndexes as string | undefined,
    failedIndexes: s.failedIndexes as string | undefined,
    uncounted: {succeeded: [...((u.succeeded ?? []) as string[])], failed: [...((u.failed ?? []) as string[])]},
    ready: num(s.ready),
  }
}

function writeStatus(s: Status): Obj {
  const out: Obj = {}
  if (s.conditions.length) out.conditions = s.conditions
  if (s.startTime) out.startTime = s.startTime
  if (s.completionTime) out.completionTime = s.completionTime
  if (s.active) out.active = s.active
  if (s.succeeded) out.succeeded = s.succeeded
  if (s.failed) out.failed = s.failed
  if (s.terminating !== undefined) out.terminating = s.terminating
  if (s.completedIndexes) out.completedIndexes = s.completedIndexes
  if (s.failedIndexes !== undefined) out.failedIndexes = s.failedIndexes
  out.uncountedTerminatedPods = {
    ...(s.uncounted.succeeded.length ? {succeeded: s.uncounted.succeeded} : {}),
    ...(s.uncounted.failed.length ? {failed: s.uncounted.failed} : {}),
  }
  if (s.ready !== undefined) out.ready = s.ready
  return out
}

/** What one sync knows about its Job (the real syncJobCtx). */
interface SyncCtx {
  key: string
  job: Obj
  st: Status
  pods: Obj[]
  activePods: Obj[]
  finished?: JobCondition
  succeeded: number
  failed: number
  prevSucceededIndexes: Set<number>
  succeededIndexes: Set<number>
  failedIndexes?: Set<number>
  newBackoff: BackoffRecord
  uncountedSucceeded: Set<string>
  uncountedFailed: Set<string>
  delayedPerIndex: Map<number, Obj>
  terminating: number
  ready: number
  requeueMs?: number
}

const isIndexed = (job: Obj): boolean => specOf(job).completionMode === 'Indexed'
const isSuspended = (job: Obj): boolean => specOf(job).suspend === true
const hasBackoffLimitPerIndex = (job: Obj): boolean => isIndexed(job) && num(specOf(job).backoffLimitPerIndex) !== undefined
const completionsOf = (job: Obj): number | undefined => num(specOf(job).completions)
const podFailurePolicy = (job: Obj): Obj | undefined => specOf(job).podFailurePolicy as Obj | undefined

/** Only pods that reached Failed are replaced (podReplacementPolicy Failed, or a pod failure policy). */
const onlyReplaceFailedPods = (job: Obj): boolean => specOf(job).podReplacementPolicy === 'Failed' || podFailurePolicy(job) !== undefined

function isPodFailed(p: Obj, job: Obj): boolean {
  if (podPhase(p) === 'Failed') return true
  if (onlyReplaceFailedPods(job)) return false
  // A deleted pod counts as failed (orphans may never reach the Failed phase).
  return !!meta(p).deletionTimestamp && podPhase(p) !== 'Succeeded'
}

/** A pod's index is usable: it has one, below completions. */
function validIndex(job: Obj, p: Obj): boolean {
  const ix = completionIndex(p)
  return ix !== undefined && ix < (completionsOf(job) ?? 0)
}

export class JobReconciler implements Reconciler {
  readonly name = 'job'
  private readonly backoff = new Map<string, BackoffRecord>()
  /**
   * Delayed syncs asked for by handlers (pod events are batched 1 s), by key: the runner replaces a
   * key's pending delayed add with the reconcile's answer, so the answer includes these.
   */
  private readonly delayedSyncs = new Map<string, number>()

  constructor(private readonly ctx: ControllerContext) {}

  private get jobs() {
    return this.ctx.informer(RESOURCES.jobs)
  }

  private now(): Date {
    return this.ctx.clock.now()
  }

  private event(job: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder(COMPONENT).event(job, type, reason, message)
  }

  /** Notes a delayed sync of a key (the handlers also add it to the queue). */
  noteDelayedSync(key: ObjectKey, ms: number): void {
    const k = keyString(key)
    const due = this.now().getTime() + ms
    this.delayedSyncs.set(k, Math.min(this.delayedSyncs.get(k) ?? Infinity, due))
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const k = keyString(key)
    const now = this.now().getTime()
    if ((this.delayedSyncs.get(k) ?? Infinity) <= now) this.delayedSyncs.delete(k)
    const result = this.syncJob(key, k)
    const pending = this.delayedSyncs.get(k)
    if (pending === undefined) return result
    const ms = Math.max(1, pending - this.now().getTime())
    return result === 'done' || ms < result.requeueAfterMs ? {requeueAfterMs: ms} : result
  }

  private syncJob(key: ObjectKey, k: string): ReconcileResult {
    const job = this.jobs.get(key.namespace, key.name)
    if (!job || isJobFinished(job)) {
      this.backoff.delete(k)
      this.delayedSyncs.delete(k)
      return 'done'
    }
    const managedBy = specOf(job).managedBy
    if (typeof managedBy === 'string' && managedBy !== JOB_CONTROLLER_NAME) return 'done'
    const mode = specOf(job).completionMode ?? 'NonIndexed'
    if (mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown')
      return 'done'
    }
    const c = this.prepare(k, job)
    let manageErr: unknown
    let suspendChanged = false
    let active = c.activePods.length
    if (c.finished) {
      // A Job that failed (or met its success criteria) stops its remaining pods.
      const {deleted, deletedReady} = this.deletePods(job, c.activePods, false)
      if (deleted !== active) c.finished = undefined
      active -= deleted
      c.terminating += deleted
      c.ready -= deletedReady
    } else {
      let managed = false
      if (!meta(job).deletionTimestamp) {
        try {
          active = this.manageJob(c)
        } catch (e) {
          manageErr = e
          active = c.activePods.length
        }
        managed = true
      }
      const completions = completionsOf(job)
      const complete = completions === undefined ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0
      if (complete) {
        c.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', this.now())
      } else if (managed) {
        suspendChanged = this.suspendCondition(job, c.st)
      }
    }
    const needsUpdate = suspendChanged || active !== c.st.active || c.ready !== c.st.ready || c.terminating !== c.st.terminating
    c.st.active = active
    c.st.ready = c.ready
    c.st.terminating = c.terminating
    this.trackStatusAndRemoveFinalizers(c, needsUpdate)
    if (manageErr) throw manageErr
    return c.requeueMs !== undefined ? {requeueAfterMs: Math.max(1, c.requeueMs)} : 'done'
  }

  /** Counts pods, decides failure (back-off limit, deadline, pod failure policy) and indexes. */
  private prepare(key: string, job: Obj): SyncCtx {
    const now = this.now()
    const st = readStatus(job)
    const pods = this.claimPods(job)
    const activePods = pods.filter(isPodActive)
    const uncountedSucceeded = new Set(st.uncounted.succeeded)
    const uncountedFailed = new Set(st.uncounted.failed)
    const indexed = isIndexed(job)
    const notCounted = (p: Obj, uncounted: Set<string>) => hasTrackingFinalizer(p) && !uncounted.has(podUid(p)) && (!indexed || validIndex(job, p))
    const newSucceeded = pods.filter((p) => notCounted(p, uncountedSucceeded) && podPhase(p) === 'Succeeded')
    const newFailed = pods.filter((p) => notCounted(p, uncountedFailed) && isPodFailed(p, job))
    const policy = podFailurePolicy(job)
    const c: SyncCtx = {
      key, job, st, pods, activePods,
      succeeded: st.succeeded + newSucceeded.length + uncountedSucceeded.size,
      failed: st.failed + newFailed.filter((p) => matchPodFailurePolicy(policy, p).countFailed).length + uncountedFailed.size,
      prevSucceededIndexes: new Set(), succeededIndexes: new Set(),
      newBackoff: nextBackoffRecord(this.backoff.get(key), newSucceeded, newFailed),
      uncountedSucceeded, uncountedFailed,
      delayedPerIndex: new Map(),
      terminating: pods.filter(isPodTerminating).length,
      ready: activePods.filter(isPodReady).length,
    }
    if (!st.startTime && !isSuspended(job)) st.startTime = rfc3339(now)
    const spec = specOf(job)
    const successMet = st.conditions.find((x) => x.type === 'SuccessCriteriaMet' && x.status === 'True')
    if (successMet) c.finished = successMet
    else {
      const target = st.conditions.find((x) => x.type === 'FailureTarget' && x.status === 'True')
      if (target) c.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now)
      else {
        const msg = this.failJobMessage(job, pods)
        if (msg) c.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', msg, now)
      }
    }
    if (!c.finished) {
      if (c.failed > (num(spec.backoffLimit) ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        c.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now)
      } else if (this.pastActiveDeadline(job, st)) {
        c.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now)
      } else if (num(spec.activeDeadlineSeconds) !== undefined && !isSuspended(job) && st.startTime) {
        requeue(c, Date.parse(st.startTime) + num(spec.activeDeadlineSeconds)! * 1000 - now.getTime())
      }
    }
    if (indexed) {
      const completions = completionsOf(job) ?? 0
      c.prevSucceededIndexes = parseIndexes(st.completedIndexes, completions)
      c.succeededIndexes = new Set(c.prevSucceededIndexes)
      for (const p of pods) if (podPhase(p) === 'Succeeded' && validIndex(job, p)) c.succeededIndexes.add(completionIndex(p)!)
      c.succeeded = c.succeededIndexes.size
      if (hasBackoffLimitPerIndex(job)) {
        c.failedIndexes = this.failedIndexes(job, pods, st, completions)
        if (!c.finished) {
          const maxFailed = num(spec.maxFailedIndexes)
          if (maxFailed !== undefined && c.failedIndexes.size > maxFailed) {
            c.finished = newCondition('FailureTarget', 'True', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes', now)
          } else if (c.failedIndexes.size > 0 && c.failedIndexes.size + c.succeededIndexes.size >= completions) {
            c.finished = newCondition('FailureTarget', 'True', 'FailedIndexes', 'Job has failed indexes', now)
          }
        }
        c.delayedPerIndex = this.podsWithDelayedDeletion(c)
      }
    }
    return c
  }

  private failJobMessage(job: Obj, pods: Obj[]): string | undefined {
    const policy = podFailurePolicy(job)
    if (!policy) return undefined
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue
      const m = matchPodFailurePolicy(policy, p)
      if (m.failJobMessage) return m.failJobMessage
    }
    return undefined
  }

  private pastActiveDeadline(job: Obj, st: Status): boolean {
    const ads = num(specOf(job).activeDeadlineSeconds)
    if (ads === undefined || !st.startTime || isSuspended(job)) return false
    return this.now().getTime() - Date.parse(st.startTime) >= ads * 1000
  }

  /** Indexes whose pods failed more than backoffLimitPerIndex times (or matched a FailIndex rule). */
  private failedIndexes(job: Obj, pods: Obj[], st: Status, completions: number): Set<number> {
    const out = parseIndexes(st.failedIndexes, completions)
    const limit = num(specOf(job).backoffLimitPerIndex) ?? 0
    for (const p of pods) {
      if (!isPodFailed(p, job) || !validIndex(job, p)) continue
      const m = matchPodFailurePolicy(podFailurePolicy(job), p)
      if (m.action === 'FailIndex' || (m.countFailed && indexFailureCount(p) >= limit)) out.add(completionIndex(p)!)
    }
    return out
  }

  /**
   * Per index, the last failed pod whose finalizer stays until its replacement exists (the
   * replacement inherits its failure count and waits out its back-off).
   */
  private podsWithDelayedDeletion(c: SyncCtx): Map<number, Obj> {
    const activeIndexes = new Set(c.activePods.map(completionIndex).filter((i) => i !== undefined))
    const out = new Map<number, Obj>()
    for (const p of c.pods) {
      if (!hasTrackingFinalizer(p) || !isPodFailed(p, c.job) || !validIndex(c.job, p)) continue
      const ix = completionIndex(p)!
      if (c.succeededIndexes.has(ix) || c.failedIndexes?.has(ix) || activeIndexes.has(ix)) continue
      const last = out.get(ix)
      const abs = (x: Obj) => indexFailureCount(x) + indexIgnoredFailureCount(x)
      if (!last || (abs(last) <= abs(p) && podFinishedTime(p) >= podFinishedTime(last))) out.set(ix, p)
    }
    return out
  }

  /** Creates or deletes pods towards the wanted number of active ones; returns the new active count. */
  private manageJob(c: SyncCtx): number {
    const job = c.job
    const spec = specOf(job)
    let active = c.activePods.length
    const parallelism = num(spec.parallelism) ?? 1
    if (isSuspended(job)) {
      const {deleted, deletedReady} = this.deletePods(job, activePodsForRemoval(job, c.activePods, active), true)
      c.terminating += deleted
      c.ready -= deletedReady
      return active - deleted
    }
    const completions = completionsOf(job)
    let wantActive: number
    if (completions === undefined) wantActive = c.succeeded > 0 ? active : parallelism
    else wantActive = Math.max(0, Math.min(completions - c.succeeded, parallelism))
    const toDelete = activePodsForRemoval(job, c.activePods, Math.max(0, active - wantActive)).slice(0, MAX_PER_SYNC)
    if (toDelete.length > 0) {
      // Deleting and creating never happen in the same sync; deleting wins.
      const {deleted, deletedReady} = this.deletePods(job, toDelete, true)
      c.terminating += deleted
      c.ready -= deletedReady
      return active - deleted
    }
    let diff = wantActive - (onlyReplaceFailedPods(job) ? c.terminating : 0) - active
    if (diff <= 0) return active
    if (!hasBackoffLimitPerIndex(job)) {
      const wait = remainingBackoffMs(c.newBackoff.failuresAfterLastSuccess, c.newBackoff.lastFailureTime, this.now().getTime())
      if (wait > 0) {
        requeue(c, Math.max(wait, SYNC_BATCH_MS))
        return active
      }
    }
    diff = Math.min(diff, MAX_PER_SYNC)
    let indexes: number[] = []
    if (isIndexed(job)) {
      indexes = this.firstPendingIndexes(c, diff, completions ?? 0)
      if (hasBackoffLimitPerIndex(job)) {
        const now = this.now().getTime()
        const ready: number[] = []
        let minWait: number | undefined
        for (const ix of indexes) {
          const last = c.delayedPerIndex.get(ix)
          const wait = last ? remainingBackoffMs(indexFailureCount(last) + indexIgnoredFailureCount(last) + 1, podFinishedTime(last), now) : 0
          if (wait === 0) ready.push(ix)
          else minWait = Math.min(minWait ?? Infinity, wait)
        }
        if (ready.length === 0 && minWait !== undefined) {
          requeue(c, Math.max(minWait, SYNC_BATCH_MS))
          return active
        }
        indexes = ready
      }
      diff = indexes.length
    }
    return active + this.createPods(c, diff, indexes)
  }

  /** The lowest indexes that are neither succeeded, failed, nor held by an active (or, when only failed pods are replaced, terminating) pod. */
  private firstPendingIndexes(c: SyncCtx, count: number, completions: number): number[] {
    const busy = new Set<number>([...c.succeededIndexes, ...(c.failedIndexes ?? [])])
    for (const p of c.activePods) if (completionIndex(p) !== undefined) busy.add(completionIndex(p)!)
    if (onlyReplaceFailedPods(c.job)) for (const p of c.pods) if (isPodTerminating(p) && completionIndex(p) !== undefined) busy.add(completionIndex(p)!)
    const out: number[] = []
    for (let i = 0; i < completions && out.length < count; i++) if (!busy.has(i)) out.push(i)
    return out
  }

  /** Creates `n` pods in slow-start batches (1, 2, 4, ...), stopping after a batch with errors. */
  private createPods(c: SyncCtx, n: number, indexes: number[]): number {
    let created = 0
    let firstError: unknown
    let left = n
    for (let batch = Math.min(n, 1); left > 0; batch = Math.min(2 * batch, left)) {
      let failedInBatch = false
      for (let i = 0; i < batch; i++) {
        const ix = indexes.length ? indexes.shift() : undefined
        const pod = this.podFromTemplate(c, ix)
        try {
          const createdPod = this.ctx.client.create(RESOURCES.pods, String(meta(c.job).namespace), pod)
          this.event(c.job, 'Normal', 'SuccessfulCreate', `Created pod: ${podName(createdPod)}`)
          created++
        } catch (e) {
          if (isNamespaceTerminating(e)) return created
          failedInBatch = true
          firstError ??= e
          this.event(c.job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`)
        }
      }
      left -= batch
      if (failedInBatch) break
    }
    if (firstError) throw firstError
    return created
  }

  private podFromTemplate(c: SyncCtx, index: number | undefined): Obj {
    const job = c.job
    const m = meta(job)
    const template = structuredClone((specOf(job).template ?? {}) as Obj)
    const tm = (template.metadata ?? {}) as Obj
    const spec = (template.spec ?? {}) as Obj
    const labels: Record<string, string> = {...((tm.labels ?? {}) as Record<string, string>)}
    const annotations: Record<string, string> = {...((tm.annotations ?? {}) as Record<string, string>)}
    const finalizers = [...((tm.finalizers ?? []) as string[])]
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER)
    let generateName = `${m.name}-`
    if (index !== undefined) {
      for (const container of [...((spec.initContainers ?? []) as Obj[]), ...((spec.containers ?? []) as Obj[])]) {
        const env = (container.env ?? []) as Obj[]
        if (!env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) {
          container.env = [...env, {name: 'JOB_COMPLETION_INDEX', valueFrom: {fieldRef: {fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']`}}}]
        }
      }
      annotations[COMPLETION_INDEX_KEY] = String(index)
      labels[COMPLETION_INDEX_KEY] = String(index)
      spec.hostname = `${m.name}-${index}`
      generateName = indexedGenerateName(String(m.name), index)
      if (hasBackoffLimitPerIndex(job)) {
        const last = c.delayedPerIndex.get(index)
        if (last) {
          const counted = matchPodFailurePolicy(podFailurePolicy(job), last).countFailed
          annotations[INDEX_FAILURE_COUNT_KEY] = String(indexFailureCount(last) + (counted ? 1 : 0))
          const ignored = indexIgnoredFailureCount(last) + (counted ? 0 : 1)
          if (ignored > 0) annotations[INDEX_IGNORED_FAILURE_COUNT_KEY] = String(ignored)
        } else {
          annotations[INDEX_FAILURE_COUNT_KEY] = '0'
        }
      }
    }
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        generateName,
        namespace: m.namespace,
        ...(Object.keys(labels).length ? {labels} : {}),
        ...(Object.keys(annotations).length ? {annotations} : {}),
        finalizers,
        ownerReferences: [ownerRefTo(job)],
      },
      spec,
    }
  }

  /**
   * Deletes pods (recording SuccessfulDelete); `removeFinalizer` first lifts the tracking finalizer
   * (a suspended or scaled-down Job does not count these pods as failed).
   */
  private deletePods(job: Obj, pods: Obj[], removeFinalizer: boolean): {deleted: number; deletedReady: number} {
    let deleted = 0, deletedReady = 0
    let firstError: unknown
    for (const p of pods) {
      const ns = String(meta(p).namespace)
      try {
        if (removeFinalizer) this.removeFinalizer(p)
        this.ctx.client.delete(RESOURCES.pods, ns, podName(p))
        this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName(p)}`)
        deleted++
        if (isPodReady(p)) deletedReady++
      } catch (e) {
        firstError ??= e
        this.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`)
      }
    }
    if (firstError && deleted === 0) throw firstError
    return {deleted, deletedReady}
  }

  /** Strategic-merge patch dropping the tracking finalizer; false when the pod is gone. */
  private removeFinalizer(p: Obj): boolean {
    if (!hasTrackingFinalizer(p)) return true
    try {
      removeTrackingFinalizer(this.ctx, p)
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return true
      throw e
    }
    return true
  }

  /** Suspended/Resumed conditions and events; resuming restarts the activeDeadlineSeconds clock. */
  private suspendCondition(job: Obj, st: Status): boolean {
    const now = this.now()
    if (isSuspended(job)) {
      const changed = ensureCondition(st.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)
      if (changed) this.event(job, 'Normal', 'Suspended', 'Job suspended')
      return changed
    }
    const changed = ensureCondition(st.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)
    if (changed) {
      this.event(job, 'Normal', 'Resumed', 'Job resumed')
      st.startTime = rfc3339(now)
    }
    return changed
  }

  /**
   * Counts finished pods through uncountedTerminatedPods, removes their finalizers, then folds them
   * into succeeded/failed; adds the interim and the final conditions (trackJobStatusAndRemoveFinalizers).
   */
  private trackStatusAndRemoveFinalizers(c: SyncCtx, needsFlush: boolean): void {
    const {job, st} = c
    const indexed = isIndexed(job)
    const completions = completionsOf(job) ?? 0
    const withFinalizer = new Set(c.pods.filter(hasTrackingFinalizer).map(podUid))
    if (cleanUncounted(st, withFinalizer)) needsFlush = true
    const toRemove: Obj[] = []
    const newSucceededIndexes: number[] = []
    let reachedMax = false
    const pods = indexed ? [...c.pods].sort((a, b) => (completionIndex(a) ?? Infinity) - (completionIndex(b) ?? Infinity)) : c.pods
    for (const p of pods) {
      if (!hasTrackingFinalizer(p)) continue
      const failed = isPodFailed(p, job)
      if (!this.canRemoveFinalizer(c, p, failed)) continue
      toRemove.push(p)
      const uid = podUid(p)
      if (podPhase(p) === 'Succeeded' && !c.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(p)
          if (ix !== undefined && ix < completions && !c.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix)
            needsFlush = true
          }
        } else if (!c.uncountedSucceeded.has(uid)) {
          st.uncounted.succeeded.push(uid)
          needsFlush = true
        }
      } else if (failed || (c.finished && c.finished.type !== 'SuccessCriteriaMet')) {
        // Once the Job is finishing, every pod not terminated counts as failed.
        if (!c.uncountedFailed.has(uid) && (!indexed || validIndex(job, p))) {
          if (matchPodFailurePolicy(podFailurePolicy(job), p).countFailed) {
            st.uncounted.failed.push(uid)
            needsFlush = true
          }
        }
      }
      if (newSucceededIndexes.length + st.uncounted.succeeded.length + st.uncounted.failed.length >= MAX_PER_SYNC) {
        reachedMax = true
        break
      }
    }
    if (indexed) {
      for (const ix of newSucceededIndexes) c.succeededIndexes.add(ix)
      const s = formatIndexes(c.succeededIndexes)
      if (s !== (st.completedIndexes ?? '')) needsFlush = true
      st.succeeded = c.succeededIndexes.size
      st.completedIndexes = s
      const f = c.failedIndexes ? formatIndexes(c.failedIndexes) : undefined
      if (f !== st.failedIndexes) {
        st.failedIndexes = f
        needsFlush = true
      }
    }
    const now = this.now()
    if (c.finished?.type === 'FailureTarget') {
      st.conditions.push(c.finished)
      needsFlush = true
      c.finished = newCondition('Failed', 'True', c.finished.reason ?? '', c.finished.message ?? '', now)
    }
    if (c.finished?.type === 'SuccessCriteriaMet') {
      if (!findCondition(st.conditions, 'SuccessCriteriaMet')) {
        st.conditions.push(c.finished)
        needsFlush = true
      }
      c.finished = newCondition('Complete', 'True', c.finished.reason ?? '', c.finished.message ?? '', now)
    }
    // Flush the uncounted pods (and interim condition) before removing finalizers, so no pod is lost.
    if (needsFlush) {
      c.job = this.updateStatus(c.job, st)
      this.backoff.set(c.key, c.newBackoff)
      needsFlush = false
    }
    let rmError: unknown
    for (const p of toRemove) {
      try {
        this.removeFinalizer(p)
        withFinalizer.delete(podUid(p))
      } catch (e) {
        rmError ??= e
      }
    }
    if (cleanUncounted(st, withFinalizer)) needsFlush = true
    if (rmError) {
      if (needsFlush) this.updateStatus(c.job, st)
      throw rmError
    }
    const finished = !reachedMax && this.enactFinished(c)
    if (finished) needsFlush = true
    if (needsFlush) {
      c.job = this.updateStatus(c.job, st)
      if (finished) this.recordFinished(c.job, c.finished!)
    }
  }

  private canRemoveFinalizer(c: SyncCtx, p: Obj, failed: boolean): boolean {
    if (meta(c.job).deletionTimestamp || c.finished || podPhase(p) === 'Succeeded') return true
    if (!failed) return false
    if (hasBackoffLimitPerIndex(c.job)) {
      const ix = completionIndex(p)
      if (ix !== undefined && c.delayedPerIndex.get(ix) !== undefined && podUid(c.delayedPerIndex.get(ix)!) === podUid(p)) return false
    }
    return true
  }

  /** Adds Complete or Failed once every pod is counted and none is still terminating. */
  private enactFinished(c: SyncCtx): boolean {
    const f = c.finished
    if (!f) return false
    if (c.st.uncounted.succeeded.length + c.st.uncounted.failed.length > 0) return false
    if (c.terminating > 0) return false
    ensureCondition(c.st.conditions, f.type, f.status, f.reason ?? '', f.message ?? '', this.now())
    if (f.type === 'Complete') c.st.completionTime = f.lastTransitionTime
    return true
  }

  private recordFinished(job: Obj, f: JobCondition): void {
    if (f.type === 'Complete') {
      const completions = completionsOf(job)
      const succeeded = num(((job.status ?? {}) as Obj).succeeded) ?? 0
      if (completions !== undefined && succeeded > completions) this.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached')
      this.event(job, 'Normal', 'Completed', 'Job completed')
    } else {
      this.event(job, 'Warning', f.reason ?? '', f.message ?? '')
    }
  }

  private updateStatus(job: Obj, st: Status): Obj {
    return this.ctx.client.updateStatus(RESOURCES.jobs, {...job, status: writeStatus(st)})
  }

  /** Pods this Job controls (by controllerRef, matching its selector), adopting matching orphans. */
  private claimPods(job: Obj): Obj[] {
    const m = meta(job)
    const uid = String(m.uid)
    const selector = selectorFromLabelSelector(specOf(job).selector as LabelSelector)
    const out: Obj[] = []
    for (const p of this.ctx.informer(RESOURCES.pods).list(String(m.namespace))) {
      const pm = meta(p)
      const owner = controllerRef(p)
      const matches = selector.matches((pm.labels ?? {}) as Record<string, string>)
      if (owner?.uid === uid) {
        if (matches) out.push(p)
        else if (!pm.deletionTimestamp) this.patchOwnership(p, undefined)
      } else if (!owner && matches && !pm.deletionTimestamp && !m.deletionTimestamp && !isJobFinished(job)) {
        out.push(this.patchOwnership(p, job))
      }
    }
    return out
  }

  /** Adopts (owner reference and tracking finalizer) or releases (owner reference dropped) a pod. */
  private patchOwnership(pod: Obj, job: Obj | undefined): Obj {
    const pm = meta(pod)
    const others = ((pm.ownerReferences ?? []) as Obj[]).filter((r) => r.controller !== true)
    const refs = job ? [...others, ownerRefTo(job)] : others
    const finalizers = (pm.finalizers ?? []) as string[]
    const patch: Obj = {ownerReferences: refs.length ? refs : null, resourceVersion: pm.resourceVersion}
    if (job && !finalizers.includes(JOB_TRACKING_FINALIZER)) patch.finalizers = [...finalizers, JOB_TRACKING_FINALIZER]
    return this.ctx.client.patch(RESOURCES.pods, String(pm.namespace), String(pm.name), 'merge', {metadata: patch})
  }
}

function requeue(c: SyncCtx, ms: number): void {
  c.requeueMs = Math.min(c.requeueMs ?? Infinity, Math.max(0, ms))
}

/** Drops uncounted UIDs whose pods lost their finalizer, moving them into the counters. */
function cleanUncounted(st: Status, withFinalizer: Set<string>): boolean {
  let changed = false
  const succeeded = st.uncounted.succeeded.filter((u) => withFinalizer.has(u))
  if (succeeded.length !== st.uncounted.succeeded.length) {
    st.succeeded += st.uncounted.succeeded.length - succeeded.length
    st.uncounted.succeeded = succeeded
    changed = true
  }
  const failed = st.uncounted.failed.filter((u) => withFinalizer.has(u))
  if (failed.length !== st.uncounted.failed.length) {
    st.failed += st.uncounted.failed.length - failed.length
    st.uncounted.failed = failed
    changed = true
  }
  return changed
}

/** restartPolicy OnFailure: container restarts of running pods count towards backoffLimit. */
function pastBackoffLimitOnFailure(job: Obj, pods: Obj[]): boolean {
  const template = (specOf(job).template ?? {}) as Obj
  if (((template.spec ?? {}) as Obj).restartPolicy !== 'OnFailure') return false
  let restarts = 0
  for (const p of pods) {
    const phase = podPhase(p)
    if (phase !== 'Running' && phase !== 'Pending') continue
    const s = (p.status ?? {}) as Obj
    for (const cs of [...((s.initContainerStatuses ?? []) as Obj[]), ...((s.containerStatuses ?? []) as Obj[])]) restarts += Number(cs.restartCount ?? 0)
  }
  const limit = num(specOf(job).backoffLimit) ?? 6
  return limit === 0 ? restarts > 0 : restarts >= limit
}

/**
 * Active pods to remove: for Indexed Jobs first those with a missing, out-of-range or duplicated
 * index, then the least valuable ones (unscheduled, pending, not ready first) up to `atLeast`.
 */
function activePodsForRemoval(job: Obj, pods: Obj[], atLeast: number): Obj[] {
  const rm: Obj[] = []
  let left = pods
  if (isIndexed(job)) {
    left = []
    const byIndex = new Map<number, Obj[]>()
    for (const p of pods) {
      if (!validIndex(job, p)) rm.push(p)
      else {
        const ix = completionIndex(p)!
        byIndex.set(ix, [...(byIndex.get(ix) ?? []), p])
      }
    }
    for (const group of byIndex.values()) {
      // Keep the most valuable pod of an index; the others are duplicates.
      const ranked = podsToDelete(group, group.length)
      rm.push(...ranked.slice(0, ranked.length - 1))
      left.push(ranked[ranked.length - 1])
    }
  }
  if (rm.length < atLeast) rm.push(...podsToDelete(left, atLeast - rm.length))
  return rm
}

function isNamespaceTerminating(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false
  return (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating') || /because it is being terminated$/.test(e.message)
}

// ---- orphan pods ---------------------------------------------------------------------------

/** Removes the tracking finalizer from pods no unfinished Job of this controller controls. */
export class JobOrphanPodReconciler implements Reconciler {
  readonly name = 'job-orphan-pods'

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const pod = this.ctx.informer(RESOURCES.pods).get(key.namespace, key.name)
    if (!pod || !hasTrackingFinalizer(pod)) return 'done'
    const ref = controllerRef(pod)
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return 'done'
      const job = resolveJob(this.ctx, String(meta(pod).namespace), ref)
      if (job) {
        const managedBy = specOf(job).managedBy
        if (typeof managedBy === 'string' && managedBy !== JOB_CONTROLLER_NAME) return 'done'
        if (!isJobFinished(job)) return 'done'
      }
    }
    try {
      removeTrackingFinalizer(this.ctx, pod)
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e
    }
    return 'done'
  }
}

/**
 * Drops the tracking finalizer, keeping the others. (The real controller sends a strategic merge
 * patch with $deleteFromPrimitiveList; a merge patch of the remaining list, guarded by the
 * resourceVersion, has the same effect and leaves no empty list behind.)
 */
function removeTrackingFinalizer(ctx: ControllerContext, p: Obj): void {
  // The latest version (a deletion in this very sync may have changed the pod).
  const pm = meta(ctx.informer(RESOURCES.pods).get(String(meta(p).namespace), String(meta(p).name)) ?? p)
  const rest = ((pm.finalizers ?? []) as string[]).filter((f) => f !== JOB_TRACKING_FINALIZER)
  ctx.client.patch(RESOURCES.pods, String(pm.namespace), String(pm.name), 'merge', {metadata: {finalizers: rest.length ? rest : null, resourceVersion: pm.resourceVersion}})
}

function resolveJob(ctx: ControllerContext, namespace: string, ref: Obj): Obj | undefined {
  if (ref.kind !== 'Job') return undefined
  const job = ctx.informer(RESOURCES.jobs).get(namespace, String(ref.name))
  return job && meta(job).uid === ref.uid ? job : undefined
}

export function addJobController(m: ControllerManager): void {
  const orphans = m.add(new JobOrphanPodReconciler(m), () => {})
  const reconciler = new JobReconciler(m)
  m.add(reconciler, (c, ctx) => {
    const jobs = ctx.informer(RESOURCES.jobs)
    const pods = ctx.informer(RESOURCES.pods)
    const keyOf = (o: Obj): ObjectKey => ({namespace: String(meta(o).namespace), name: String(meta(o).name)})
    const after = (key: ObjectKey, ms: number) => {
      reconciler.noteDelayedSync(key, ms)
      c.enqueueAfter(key, ms)
    }
    const batched = (job: Obj) => after(keyOf(job), SYNC_BATCH_MS)
    const orphan = (p: Obj) => orphans.enqueue(keyOf(p))
    /** The pods of a finished or deleted Job that still carry the finalizer go to the orphan queue. */
    const cleanupPodFinalizers = (job: Obj) => {
      for (const p of pods.ownedBy(String(meta(job).uid))) if (hasTrackingFinalizer(p)) orphan(p)
    }
    const matchingJobs = (p: Obj) => jobs.list(String(meta(p).namespace)).filter((j) => {
      const sel = specOf(j).selector as LabelSelector | undefined
      return !!sel && selectorFromLabelSelector(sel).matches((meta(p).labels ?? {}) as Record<string, string>)
    })

    jobs.addHandlers({
      onAdd: (j) => c.enqueue(keyOf(j)),
      onUpdate: (old, j) => {
        if (meta(j).generation === meta(old).generation) batched(j)
        else c.enqueue(keyOf(j))
        if (isJobFinished(j)) cleanupPodFinalizers(j)
        const start = ((j.status ?? {}) as Obj).startTime
        const ads = num(specOf(j).activeDeadlineSeconds)
        if (typeof start === 'string' && ads !== undefined && ads !== num(specOf(old).activeDeadlineSeconds)) {
          const left = Date.parse(start) + ads * 1000 - ctx.clock.now().getTime()
          if (left > 0) after(keyOf(j), left)
          else c.enqueue(keyOf(j))
        }
      },
      onDelete: (j) => {
        c.enqueue(keyOf(j))
        cleanupPodFinalizers(j)
      },
    })

    const podDeleted = (p: Obj) => {
      const ref = controllerRef(p)
      if (!ref) {
        if (hasTrackingFinalizer(p)) orphan(p)
        return
      }
      const job = resolveJob(ctx, String(meta(p).namespace), ref)
      if (!job || isJobFinished(job)) {
        if (hasTrackingFinalizer(p)) orphan(p)
        return
      }
      batched(job)
    }
    pods.addHandlers({
      onAdd: (p) => {
        if (meta(p).deletionTimestamp) return podDeleted(p)
        const ref = controllerRef(p)
        if (ref) {
          const job = resolveJob(ctx, String(meta(p).namespace), ref)
          if (job) batched(job)
          return
        }
        if (hasTrackingFinalizer(p)) orphan(p)
        for (const j of matchingJobs(p)) batched(j)
      },
      onUpdate: (old, p) => {
        if (meta(p).resourceVersion === meta(old).resourceVersion) return
        if (meta(p).deletionTimestamp) return podDeleted(p)
        const ref = controllerRef(p)
        const oldRef = controllerRef(old)
        const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef)
        if (refChanged && oldRef) {
          const oldJob = resolveJob(ctx, String(meta(old).namespace), oldRef)
          if (oldJob) batched(oldJob)
        }
        if (ref) {
          const job = resolveJob(ctx, String(meta(p).namespace), ref)
          if (job) batched(job)
          return
        }
        if (hasTrackingFinalizer(p)) orphan(p)
        if (refChanged || JSON.stringify(meta(p).labels) !== JSON.stringify(meta(old).labels)) for (const j of matchingJobs(p)) batched(j)
      },
      onDelete: podDeleted,
    })
  })
}

