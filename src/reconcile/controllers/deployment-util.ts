// Pure helpers of the Deployment controller (pkg/controller/deployment/util/deployment_util.go):
// the pod-template hash, surge/unavailable fenceposts, replica annotations, conditions and sorting.
import {rfc3339} from '../../apiserver/objects.js'
import type {Obj} from '../../apiserver/types.js'

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history'
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas'
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas'
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'
/** How long the revision-history annotation may grow (the controller's maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_CHARS = 2000
/** progressDeadlineSeconds at MaxInt32 means "no deadline". */
const MAX_INT32 = 2147483647

/** Annotations never copied from the Deployment to its ReplicaSets: the controller owns them, or kubectl does. */
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
])

export const REASON = {
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  rsCreateError: 'ReplicaSetCreateError',
} as const

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** rand.SafeEncodeString: each character mapped (by its code point) into the consonant alphabet. */
export function safeEncodeString(s: string): string {
  let out = ''
  for (const ch of s) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length]
  return out
}

/** JSON with object keys sorted, so that equal templates hash and compare equal whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v && typeof v === 'object') {
    const o = v as Obj
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

export function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h >>> 0
}

/**
 * controller.ComputeHash: FNV-32a of the template (here its canonical JSON; Go hashes a spew dump
 * we cannot reproduce), then the collision count as 4 little-endian bytes, the decimal number
 * safe-encoded.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template ?? {})))
  if (collisionCount !== undefined) {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true)
    h = fnv32a(b, h)
  }
  return safeEncodeString(String(h))
}

/** The template without the pod-template-hash label, empty label/annotation maps and a null creationTimestamp (Semantic.DeepEqual treats nil and empty alike). */
function normalizedTemplate(t: unknown): unknown {
  const c = structuredClone((t ?? {}) as Obj)
  const m = (c.metadata ?? {}) as Obj
  const labels = {...((m.labels ?? {}) as Record<string, string>)}
  delete labels[POD_TEMPLATE_HASH_LABEL]
  if (Object.keys(labels).length) m.labels = labels
  else delete m.labels
  if (m.annotations && Object.keys(m.annotations as Obj).length === 0) delete m.annotations
  // Go's zero time: a template sent back by `kubectl rollout undo` carries creationTimestamp: null.
  if (m.creationTimestamp === null) delete m.creationTimestamp
  if (Object.keys(m).length) c.metadata = m
  else delete c.metadata
  return c
}

/** EqualIgnoreHash: the templates are equal once the pod-template-hash label is ignored. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return canonicalJson(normalizedTemplate(a)) === canonicalJson(normalizedTemplate(b))
}

// ---------------------------------------------------------------------------------------------
// Spec accessors

export function specOf(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

export function statusOf(o: Obj): Obj {
  return (o.status ?? {}) as Obj
}

export function metaOf(o: Obj): Obj {
  return o.metadata as Obj
}

export function annotationsOf(o: Obj): Record<string, string> {
  return ((o.metadata as Obj).annotations ?? {}) as Record<string, string>
}

/** spec.replicas, defaulting to 1 as the apiserver does. */
export function replicasOf(o: Obj): number {
  const r = specOf(o).replicas
  return typeof r === 'number' ? r : 1
}

function count(o: Obj, field: string): number {
  const v = statusOf(o)[field]
  return typeof v === 'number' ? v : 0
}

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export function specReplicaSum(rss: (Obj | undefined)[]): number {
  return rss.reduce((s, rs) => s + (rs ? replicasOf(rs) : 0), 0)
}

/** Sum of a status counter (status.replicas, readyReplicas, availableReplicas). */
export function statusSum(rss: (Obj | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((s, rs) => s + (rs ? count(rs, field) : 0), 0)
}

export function isRollingUpdate(d: Obj): boolean {
  return ((specOf(d).strategy ?? {}) as Obj).type !== 'Recreate'
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down.
 * Throws for a string that is not a percentage, as the Go helper errors.
 */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0
  if (typeof v === 'number') return v
  const s = String(v)
  const m = /^(-?\d+)%$/.exec(s)
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${s}"`)
  const x = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(x) : Math.floor(x)
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero would deadlock, so unavailable becomes 1. */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): {surge: number; unavailable: number} {
  const surge = scaledValue(maxSurge, desired, true)
  let unavailable = scaledValue(maxUnavailable, desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return {surge, unavailable}
}

function rollingParams(d: Obj): Obj {
  return (((specOf(d).strategy ?? {}) as Obj).rollingUpdate ?? {}) as Obj
}

export function maxSurge(d: Obj): number {
  if (!isRollingUpdate(d)) return 0
  const r = rollingParams(d)
  return resolveFenceposts(r.maxSurge, r.maxUnavailable, replicasOf(d)).surge
}

export function maxUnavailable(d: Obj): number {
  const replicas = replicasOf(d)
  if (!isRollingUpdate(d) || replicas === 0) return 0
  const r = rollingParams(d)
  return Math.min(replicas, resolveFenceposts(r.maxSurge, r.maxUnavailable, replicas).unavailable)
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(d: Obj, allRSs: Obj[], newRS: Obj): number {
  const replicas = replicasOf(d)
  if (!isRollingUpdate(d)) return replicas
  const maxTotal = replicas + maxSurge(d)
  const current = specReplicaSum(allRSs)
  const newSize = replicasOf(newRS)
  if (current >= maxTotal) return newSize
  return newSize + Math.min(maxTotal - current, replicas - newSize)
}

// ---------------------------------------------------------------------------------------------
// Annotations

function intAnnotation(rs: Obj, key: string): number | undefined {
  const v = annotationsOf(rs)[key]
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined
  return Number(v)
}

export function revisionOf(rs: Obj): number {
  return intAnnotation(rs, REVISION_ANNOTATION) ?? 0
}

export function maxRevision(rss: Obj[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0)
}

export function desiredReplicasAnnotation(rs: Obj): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION)
}

export function maxReplicasAnnotation(rs: Obj): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION)
}

function mutableAnnotations(o: Obj): Record<string, string> {
  const m = o.metadata as Obj
  if (!m.annotations) m.annotations = {}
  return m.annotations as Record<string, string>
}

export function replicasAnnotationsNeedUpdate(rs: Obj, desired: number, max: number): boolean {
  const a = annotationsOf(rs)
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max)
}

/** SetReplicasAnnotations on a copy the caller owns; true when something changed. */
export function setReplicasAnnotations(rs: Obj, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false
  const a = mutableAnnotations(rs)
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired)
  a[MAX_REPLICAS_ANNOTATION] = String(max)
  return true
}

/**
 * SetNewReplicaSetAnnotations on a copy the caller owns: the Deployment's annotations copied, the
 * revision raised to `newRevision` (never lowered; a raised existing revision is a rollback, so the
 * old one joins revision-history), and for a ReplicaSet about to be created the replica annotations.
 */
export function setNewReplicaSetAnnotations(d: Obj, rs: Obj, newRevision: number, exists: boolean): boolean {
  const a = mutableAnnotations(rs)
  let changed = false
  for (const [k, v] of Object.entries(annotationsOf(d))) {
    if (SKIP_COPY.has(k) || a[k] === v) continue
    a[k] = v
    changed = true
  }
  const had = a[REVISION_ANNOTATION]
  let oldRevision = 0
  if (had !== undefined) {
    if (!/^-?\d+$/.test(had)) return changed
    oldRevision = Number(had)
  }
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision)
    changed = true
    if (had !== undefined) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? ''
      if (history === '') a[REVISION_HISTORY_ANNOTATION] = had
      else {
        let revisions = history.split(',')
        let total = history.length + had.length + 1
        let start = 0
        while (total > MAX_REV_HISTORY_CHARS && start < revisions.length) total -= revisions[start++]!.length + 1
        if (total <= MAX_REV_HISTORY_CHARS) {
          revisions = [...revisions.slice(start), had]
          a[REVISION_HISTORY_ANNOTATION] = revisions.join(',')
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true
  return changed
}

// ---------------------------------------------------------------------------------------------
// Conditions

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  lastUpdateTime: string
  lastTransitionTime: string
  reason: string
  message: string
}

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: Date): Condition {
  const t = rfc3339(now)
  return {type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message}
}

export function getCondition(status: Obj, type: string): Condition | undefined {
  return ((status.conditions ?? []) as Condition[]).find((c) => c.type === type)
}

/**
 * SetDeploymentCondition: same status and reason changes nothing; same status keeps the transition
 * time; the condition moves to the end of the list.
 */
export function setCondition(status: Obj, c: Condition): void {
  const current = getCondition(status, c.type)
  if (current && current.status === c.status && current.reason === c.reason) return
  const next = current && current.status === c.status ? {...c, lastTransitionTime: current.lastTransitionTime} : c
  status.conditions = [...((status.conditions ?? []) as Condition[]).filter((x) => x.type !== c.type), next]
}

export function removeCondition(status: Obj, type: string): void {
  if (!status.conditions) return
  const rest = (status.conditions as Condition[]).filter((x) => x.type !== type)
  if (rest.length) status.conditions = rest
  else delete status.conditions
}

export function hasProgressDeadline(d: Obj): boolean {
  const p = specOf(d).progressDeadlineSeconds
  return typeof p === 'number' && p !== MAX_INT32
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: Obj, status: Obj): boolean {
  const r = replicasOf(d)
  return num(status.updatedReplicas) === r && num(status.replicas) === r && num(status.availableReplicas) === r && num(status.observedGeneration) >= num(metaOf(d).generation)
}

/** DeploymentProgressing: more updated/ready/available pods than last seen, or fewer old ones. */
export function deploymentProgressing(d: Obj, status: Obj): boolean {
  const old = statusOf(d)
  const oldOld = num(old.replicas) - num(old.updatedReplicas)
  const newOld = num(status.replicas) - num(status.updatedReplicas)
  return num(status.updatedReplicas) > num(old.updatedReplicas) || newOld < oldOld ||
    num(status.readyReplicas) > num(old.readyReplicas) || num(status.availableReplicas) > num(old.availableReplicas)
}

/** DeploymentTimedOut: no progress recorded for progressDeadlineSeconds (strictly after the deadline). */
export function deploymentTimedOut(d: Obj, status: Obj, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false
  const c = getCondition(status, 'Progressing')
  if (!c) return false
  if (c.reason === REASON.newRSAvailable) return false
  if (c.reason === REASON.timedOut) return true
  return Date.parse(c.lastUpdateTime) + num(specOf(d).progressDeadlineSeconds) * 1000 < now.getTime()
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0
}

// ---------------------------------------------------------------------------------------------
// Sorting (controller.ReplicaSetsByCreationTimestamp and friends)

function created(rs: Obj): number {
  return Date.parse(String(metaOf(rs).creationTimestamp ?? '')) || 0
}

function byName(a: Obj, b: Obj): number {
  const x = String(metaOf(a).name), y = String(metaOf(b).name)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Oldest first; equal timestamps by name. */
export function byCreation(a: Obj, b: Obj): number {
  return created(a) - created(b) || byName(a, b)
}

/** Larger first; equal sizes newer first (scaling up prefers the newer ReplicaSets). */
export function bySizeNewer(a: Obj, b: Obj): number {
  return replicasOf(b) - replicasOf(a) || byCreation(b, a)
}

/** Larger first; equal sizes older first (scaling down prefers the older ReplicaSets). */
export function bySizeOlder(a: Obj, b: Obj): number {
  return replicasOf(b) - replicasOf(a) || byCreation(a, b)
}

/** Lower revision first; equal revisions by creation. */
export function byRevision(a: Obj, b: Obj): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b)
}

export function isActive(rs: Obj | undefined): rs is Obj {
  return !!rs && replicasOf(rs) > 0
}

/**
 * GetProportion: this ReplicaSet's share of `toAdd` replicas, by its size relative to the
 * Deployment's size before the scale (its max-replicas annotation), never beyond what is left.
 */
export function proportion(rs: Obj, d: Obj, toAdd: number, added: number): number {
  const size = replicasOf(rs)
  if (size === 0 || toAdd === 0 || toAdd === added) return 0
  let fraction: number
  if (replicasOf(d) === 0) fraction = -size
  else {
    const maxNow = replicasOf(d) + maxSurge(d)
    let before = maxReplicasAnnotation(rs)
    if (!before) before = num(statusOf(d).replicas)
    // Go's math.Round rounds half away from zero; the value is never negative here.
    fraction = Math.round((size * maxNow) / before) - size
  }
  const allowed = toAdd - added
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
}
