// Pure helpers of the Job controller (pkg/controller/job): conditions, the pod failure back-off
// record, pod failure policy matching, completion indexes and their interval strings. Kept apart
// from job.ts so the sync loop reads as the real one does and these can be tested alone.
import type {Obj} from '../../apiserver/types.js'
import {rfc3339} from '../events.js'

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking'
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index'
export const INDEX_FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-failure-count'
export const INDEX_IGNORED_FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-ignored-failure-count'
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller'

/** The first re-creation after a failure waits 10 s, doubling per consecutive failure up to 10 min. */
export const POD_FAILURE_BACKOFF_MS = 10_000
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000
/** Pod events are batched: the Job is synced this long after them. */
export const SYNC_BATCH_MS = 1000
/** At most this many pods are created or deleted, and UIDs put in uncountedTerminatedPods, per sync. */
export const MAX_PER_SYNC = 500

const meta = (o: Obj): Obj => (o.metadata ?? {}) as Obj
const status = (o: Obj): Obj => (o.status ?? {}) as Obj

// ---- conditions ------------------------------------------------------------------------------

export interface JobCondition {
  type: string
  status: string
  lastProbeTime: string
  lastTransitionTime: string
  reason?: string
  message?: string
}

export function newCondition(type: string, st: string, reason: string, message: string, now: Date): JobCondition {
  const t = rfc3339(now)
  return {type, status: st, lastProbeTime: t, lastTransitionTime: t, ...(reason ? {reason} : {}), ...(message ? {message} : {})}
}

export function findCondition(list: JobCondition[], type: string): JobCondition | undefined {
  return list.find((c) => c.type === type)
}

/** Sets a condition (appending it, unless a False one would be added); true when the list changed. */
export function ensureCondition(list: JobCondition[], type: string, st: string, reason: string, message: string, now: Date): boolean {
  const i = list.findIndex((c) => c.type === type)
  if (i >= 0) {
    const c = list[i]
    if (c.status === st && (c.reason ?? '') === reason && (c.message ?? '') === message) return false
    list[i] = newCondition(type, st, reason, message, now)
    return true
  }
  if (st === 'False') return false
  list.push(newCondition(type, st, reason, message, now))
  return true
}

/** Complete or Failed with status True (batch/v1 IsJobFinished). */
export function finishedConditionType(job: Obj): 'Complete' | 'Failed' | undefined {
  for (const c of (status(job).conditions ?? []) as Obj[]) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type
  }
  return undefined
}

export const isJobFinished = (job: Obj): boolean => finishedConditionType(job) !== undefined

// ---- pods ------------------------------------------------------------------------------------

export const hasTrackingFinalizer = (p: Obj): boolean => ((meta(p).finalizers ?? []) as string[]).includes(JOB_TRACKING_FINALIZER)
export const podPhase = (p: Obj): string | undefined => status(p).phase as string | undefined
export const podUid = (p: Obj): string => String(meta(p).uid)
export const podName = (p: Obj): string => String(meta(p).name)

/** Deleted and not yet terminal (controller.IsPodTerminating). */
export function isPodTerminating(p: Obj): boolean {
  const phase = podPhase(p)
  return phase !== 'Succeeded' && phase !== 'Failed' && !!meta(p).deletionTimestamp
}

/** When a finished pod finished: its containers, its Ready=False transition, its deletion, its creation. */
export function podFinishedTime(p: Obj): number {
  const statuses = (status(p).containerStatuses ?? []) as Obj[]
  let latest: number | undefined
  let allDone = statuses.length > 0
  for (const cs of statuses) {
    const at = ((cs.state as Obj | undefined)?.terminated as Obj | undefined)?.finishedAt
    if (typeof at !== 'string') {
      allDone = false
      break
    }
    latest = Math.max(latest ?? -Infinity, Date.parse(at))
  }
  if (allDone && latest !== undefined) return latest
  const ready = ((status(p).conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')
  if (ready?.status === 'False' && typeof ready.lastTransitionTime === 'string') return Date.parse(ready.lastTransitionTime)
  const m = meta(p)
  if (typeof m.deletionTimestamp === 'string') return Date.parse(m.deletionTimestamp) - Number(m.deletionGracePeriodSeconds ?? 0) * 1000
  return Date.parse(String(m.creationTimestamp ?? 0))
}

// ---- back-off --------------------------------------------------------------------------------

/** Consecutive failures since the last success, and when the last of them happened. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number
  lastFailureTime?: number
}

/** The record after newly finished pods are counted (backoffStore.newBackoffRecord). */
export function nextBackoffRecord(old: BackoffRecord | undefined, succeeded: Obj[], failed: Obj[]): BackoffRecord {
  const rec: BackoffRecord = {failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime}
  const failedTimes = failed.map(podFinishedTime).sort((a, b) => a - b)
  if (succeeded.length === 0) {
    if (failedTimes.length === 0) return rec
    return {failuresAfterLastSuccess: rec.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1]}
  }
  const lastSuccess = Math.max(...succeeded.map(podFinishedTime))
  const out: BackoffRecord = {failuresAfterLastSuccess: 0}
  for (let i = failedTimes.length - 1; i >= 0 && failedTimes[i] > lastSuccess; i--) {
    out.lastFailureTime ??= failedTimes[i]
    out.failuresAfterLastSuccess++
  }
  return out
}

/** How long pod creation still waits: 10 s doubling per failure (capped), counted from the last failure. */
export function remainingBackoffMs(failures: number, lastFailureTime: number | undefined, now: number): number {
  if (failures === 0 || lastFailureTime === undefined) return 0
  let backoff = POD_FAILURE_BACKOFF_MS
  for (let i = 1; i < failures; i++) {
    backoff *= 2
    if (backoff >= MAX_POD_FAILURE_BACKOFF_MS) {
      backoff = MAX_POD_FAILURE_BACKOFF_MS
      break
    }
  }
  const elapsed = now - lastFailureTime
  return backoff < elapsed ? 0 : backoff - elapsed
}

// ---- pod failure policy ----------------------------------------------------------------------

export interface PolicyMatch {
  /** Present when a FailJob rule matched. */
  failJobMessage?: string
  /** False when an Ignore rule matched (the failure does not count towards the limits). */
  countFailed: boolean
  action?: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count'
}

/** Matches a failed pod against spec.podFailurePolicy's rules, first match wins. */
export function matchPodFailurePolicy(policy: Obj | undefined, pod: Obj): PolicyMatch {
  if (!policy) return {countFailed: true}
  const st = status(pod)
  const rules = (policy.rules ?? []) as Obj[]
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]
    const action = rule.action as PolicyMatch['action']
    let failMessage: string | undefined
    if (rule.onExitCodes) {
      const req = rule.onExitCodes as Obj
      const cs = matchingExitCode((st.containerStatuses ?? []) as Obj[], req) ?? matchingExitCode((st.initContainerStatuses ?? []) as Obj[], req)
      if (!cs) continue
      const code = ((cs.state as Obj).terminated as Obj).exitCode
      failMessage = `Container ${cs.name} for pod ${meta(pod).namespace}/${meta(pod).name} failed with exit code ${code} matching FailJob rule at index ${i}`
    } else if (rule.onPodConditions) {
      const patterns = rule.onPodConditions as Obj[]
      const cond = ((st.conditions ?? []) as Obj[]).find((c) => patterns.some((p) => p.type === c.type && (p.status ?? 'True') === c.status))
      if (!cond) continue
      failMessage = `Pod ${meta(pod).namespace}/${meta(pod).name} has condition ${cond.type} matching FailJob rule at index ${i}`
    } else {
      continue
    }
    switch (action) {
      case 'Ignore': return {countFailed: false, action}
      case 'FailIndex': return {countFailed: true, action}
      case 'Count': return {countFailed: true, action}
      case 'FailJob': return {failJobMessage: failMessage, countFailed: true, action}
    }
  }
  return {countFailed: true}
}

function matchingExitCode(statuses: Obj[], req: Obj): Obj | undefined {
  for (const cs of statuses) {
    const term = (cs.state as Obj | undefined)?.terminated as Obj | undefined
    if (!term) continue
    if (req.containerName != null && req.containerName !== cs.name) continue
    const code = Number(term.exitCode ?? 0)
    if (code === 0) continue
    const values = (req.values ?? []) as number[]
    if (req.operator === 'In' ? values.includes(code) : req.operator === 'NotIn' ? !values.includes(code) : false) return cs
  }
  return undefined
}

// ---- completion indexes ----------------------------------------------------------------------

/** The pod's completion index from its annotation, or undefined when absent or invalid. */
export function completionIndex(p: Obj): number | undefined {
  const v = ((meta(p).annotations ?? {}) as Record<string, string>)[COMPLETION_INDEX_KEY]
  if (v === undefined || !/^\d+$/.test(v)) return undefined
  return Number(v)
}

function annotationCount(p: Obj, key: string): number {
  const v = ((meta(p).annotations ?? {}) as Record<string, string>)[key]
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0
}

export const indexFailureCount = (p: Obj): number => annotationCount(p, INDEX_FAILURE_COUNT_KEY)
export const indexIgnoredFailureCount = (p: Obj): number => annotationCount(p, INDEX_IGNORED_FAILURE_COUNT_KEY)

/** Parses `1,3-5,7` (status.completedIndexes / failedIndexes), keeping indexes below `completions`. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>()
  if (!s) return out
  for (const part of s.split(',')) {
    const [a, b] = part.split('-')
    if (!/^\d+$/.test(a) || (b !== undefined && !/^\d+$/.test(b))) continue
    const first = Number(a)
    const last = b === undefined ? first : Number(b)
    for (let i = first; i <= last && i < completions; i++) out.add(i)
  }
  return out
}

/** Formats indexes as the controller does: runs of three or more as `a-b`, pairs as `a,b`. */
export function formatIndexes(set: Iterable<number>): string {
  const sorted = [...new Set(set)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    if (j === i) parts.push(String(sorted[i]))
    else if (j === i + 1) parts.push(`${sorted[i]},${sorted[j]}`)
    else parts.push(`${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(',')
}

/** generateName for an Indexed Job's pod: `<job>-<index>-`, the job name cut so the whole fits 58 chars. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`
  const prefix = jobName + suffix
  return prefix.length > 58 ? jobName.slice(0, 58 - suffix.length) + suffix : prefix
}
