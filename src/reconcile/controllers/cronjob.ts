// The CronJob controller (pkg/controller/cronjob, the v2 controller): on the control plane's clock it
// creates a Job named <cronjob>-<scheduled time in minutes since the epoch> for the most recent
// unmet schedule time (in spec.timeZone when set), honouring startingDeadlineSeconds, suspend and
// concurrencyPolicy (Allow, Forbid, Replace); it keeps status.active, lastScheduleTime and
// lastSuccessfulTime, deletes the oldest finished Jobs beyond the history limits, and requeues itself
// at the next schedule time (+100 ms, as the real one does) with a work timer, so a settling virtual
// clock moves to it.
import {CronError, nextActivation, parseCronSchedule, type CronSchedule} from '../../api/cron.js'
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import {rfc3339} from '../events.js'
import {controllerRef} from '../informer.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {finishedConditionType} from './job-util.js'

const COMPONENT = {component: 'cronjob-controller'}
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp'
/** Requeues aim 100 ms past the schedule time (the real controller's allowance for clock skew). */
const NEXT_SCHEDULE_DELTA_MS = 100

const meta = (o: Obj): Obj => (o.metadata ?? {}) as Obj
const specOf = (o: Obj): Obj => (o.spec ?? {}) as Obj
const statusOf = (o: Obj): Obj => (o.status ?? {}) as Obj

// ---- time zones ------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

/** An Intl formatter for an IANA zone; throws Go's LoadLocation message for unknown zones. */
function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    if (tz === 'Local' || tz.includes('..') || tz.startsWith('/')) throw new Error(`unknown time zone ${tz}`)
    try {
      f = new Intl.DateTimeFormat('en-US', {timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'})
    } catch {
      throw new Error(`unknown time zone ${tz}`)
    }
    formatters.set(tz, f)
  }
  return f
}

/** The zone's offset from UTC (ms) at an instant. */
function zoneOffsetMs(tz: string | undefined, at: number): number {
  if (!tz || tz === 'UTC') return 0
  const parts: Record<string, number> = {}
  for (const p of zoneFormatter(tz).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  return wall - Math.floor(at / 1000) * 1000
}

/** The first activation after `after`, evaluating the schedule on the zone's wall clock. */
export function nextInZone(s: CronSchedule, after: number, tz: string | undefined): number {
  if (!tz || tz === 'UTC' || s.everyMs !== undefined) return nextActivation(s, new Date(after)).getTime()
  let wall = after + zoneOffsetMs(tz, after)
  for (let guard = 0; guard < 8; guard++) {
    const nextWall = nextActivation(s, new Date(wall)).getTime()
    // Wall clock -> instant; across a DST change the offset is taken at the resulting instant.
    let at = nextWall - zoneOffsetMs(tz, nextWall - zoneOffsetMs(tz, nextWall))
    const off = zoneOffsetMs(tz, at)
    if (at + off !== nextWall) at = nextWall - off
    if (at > after) return at
    wall = nextWall
  }
  return nextActivation(s, new Date(after)).getTime()
}

/** RFC 3339 in the zone (`Z` for UTC), as Go's time.Format(time.RFC3339) after In(location). */
export function formatInZone(at: number, tz: string | undefined): string {
  const off = zoneOffsetMs(tz, at)
  if (off === 0) return rfc3339(new Date(at))
  const local = new Date(at + off).toISOString().replace(/\.\d+Z$/, '')
  const mins = Math.abs(off) / 60000
  return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(mins / 60)).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`
}

// ---- schedule arithmetic (utils.go) ----------------------------------------------------------

type Missed = 'none' | 'few' | 'many'

/**
 * The CronJob's reference time (last schedule or creation, moved up to now - startingDeadlineSeconds
 * when asked) and the most recent schedule time after it that is not after now.
 */
export function mostRecentScheduleTime(cj: Obj, now: number, s: CronSchedule, tz: string | undefined, withDeadline: boolean): {earliest: number; mostRecent?: number; missed: Missed} {
  const last = statusOf(cj).lastScheduleTime
  let earliest = Date.parse(String(typeof last === 'string' ? last : meta(cj).creationTimestamp))
  const deadline = specOf(cj).startingDeadlineSeconds
  if (withDeadline && typeof deadline === 'number') earliest = Math.max(earliest, now - deadline * 1000)
  const t1 = nextInZone(s, earliest, tz)
  const t2 = nextInZone(s, t1, tz)
  if (now < t1) return {earliest, missed: 'none'}
  if (now < t2) return {earliest, mostRecent: t1, missed: 'none'}
  const interval = Math.round((t2 - t1) / 1000)
  if (interval < 1) throw new CronError('time difference between two schedules is less than 1 second')
  // A rough count of the intervals that fit, then the exact times from just before the last ones.
  const missedCount = Math.floor((now - t1) / 1000 / interval) + 1
  let mostRecent: number | undefined
  for (let t = nextInZone(s, t1 + (missedCount - 2) * interval * 1000, tz); t <= now; t = nextInZone(s, t, tz)) mostRecent = t
  return {earliest, mostRecent, missed: missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none'}
}

/** How long until the next schedule time (+100 ms). */
export function nextScheduleDelayMs(cj: Obj, now: number, s: CronSchedule, tz: string | undefined): number {
  let from: number
  try {
    const r = mostRecentScheduleTime(cj, now, s, tz, false)
    from = r.mostRecent ?? (r.missed === 'none' ? r.earliest : now)
  } catch {
    from = now
  }
  return nextInZone(s, from, tz) + NEXT_SCHEDULE_DELTA_MS - now
}

/** `<cronjob>-<minutes since the epoch>`: one name per schedule time, so a Job is never made twice. */
export function jobNameFor(cj: Obj, scheduledAt: number): string {
  return `${meta(cj).name}-${Math.floor(scheduledAt / 60000)}`
}

// ---- the controller --------------------------------------------------------------------------

const isFinished = (j: Obj): boolean => finishedConditionType(j) !== undefined

function jobStartTime(j: Obj): number | undefined {
  const t = statusOf(j).startTime
  return typeof t === 'string' ? Date.parse(t) : undefined
}

/** Oldest first: by status.startTime (jobs without one last), then by name. */
function byStartTime(a: Obj, b: Obj): number {
  const sa = jobStartTime(a), sb = jobStartTime(b)
  if (sa === undefined && sb !== undefined) return 1
  if (sa !== undefined && sb === undefined) return -1
  if (sa === sb) return String(meta(a).name) < String(meta(b).name) ? -1 : String(meta(a).name) > String(meta(b).name) ? 1 : 0
  return (sa ?? 0) - (sb ?? 0)
}

function scheduleOf(cj: Obj): {tz?: string; text: string} {
  const tz = specOf(cj).timeZone
  return {tz: typeof tz === 'string' ? tz : undefined, text: String(specOf(cj).schedule ?? '')}
}

export class CronJobReconciler implements Reconciler {
  readonly name = 'cronjob'

  constructor(private readonly ctx: ControllerContext) {}

  private event(cj: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder(COMPONENT).event(cj, type, reason, message)
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const cj = this.ctx.informer(RESOURCES.cronjobs).get(key.namespace, key.name)
    if (!cj) return 'done'
    // Jobs whose controller reference names this CronJob (even if their labels changed).
    const jobs = this.ctx.informer(RESOURCES.jobs).list(key.namespace).filter((j) => {
      const ref = controllerRef(j)
      return ref !== undefined && ref.name === meta(cj).name
    })
    const status: Obj = structuredClone(statusOf(cj))
    const work = {cj, status}
    const cleaned = this.cleanupFinishedJobs(work, jobs)
    const {requeueMs, update, error} = this.sync(work, jobs)
    if (cleaned || update) {
      const out: Obj = {}
      const active = (status.active ?? []) as Obj[]
      if (active.length) out.active = active
      if (status.lastScheduleTime) out.lastScheduleTime = status.lastScheduleTime
      if (status.lastSuccessfulTime) out.lastSuccessfulTime = status.lastSuccessfulTime
      this.ctx.client.updateStatus(RESOURCES.cronjobs, {...cj, status: out})
    }
    if (requeueMs !== undefined) return {requeueAfterMs: Math.max(1, requeueMs)}
    if (error) throw error
    return 'done'
  }

  private active(w: {status: Obj}): Obj[] {
    return (w.status.active ?? []) as Obj[]
  }

  private removeFromActive(w: {status: Obj}, uid: unknown): void {
    w.status.active = this.active(w).filter((r) => r.uid !== uid)
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit. */
  private cleanupFinishedJobs(w: {cj: Obj; status: Obj}, jobs: Obj[]): boolean {
    const spec = specOf(w.cj)
    const okLimit = spec.successfulJobsHistoryLimit, failLimit = spec.failedJobsHistoryLimit
    if (typeof okLimit !== 'number' && typeof failLimit !== 'number') return false
    let update = false
    const succeeded = jobs.filter((j) => finishedConditionType(j) === 'Complete')
    const failed = jobs.filter((j) => finishedConditionType(j) === 'Failed')
    for (const [list, limit] of [[succeeded, okLimit], [failed, failLimit]] as const) {
      if (typeof limit !== 'number' || list.length <= limit) continue
      for (const j of [...list].sort(byStartTime).slice(0, list.length - limit)) if (this.deleteJob(w, j)) update = true
    }
    return update
  }

  /** Deletes a Job (background propagation) and drops it from status.active. */
  private deleteJob(w: {cj: Obj; status: Obj}, j: Obj): boolean {
    try {
      this.ctx.client.delete(RESOURCES.jobs, String(meta(j).namespace), String(meta(j).name), {propagationPolicy: 'Background'})
    } catch (e) {
      this.event(w.cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`)
      return false
    }
    this.removeFromActive(w, meta(j).uid)
    this.event(w.cj, 'Normal', 'SuccessfulDelete', `Deleted job ${meta(j).name}`)
    return true
  }

  private sync(w: {cj: Obj; status: Obj}, jobs: Obj[]): {requeueMs?: number; update: boolean; error?: unknown} {
    const cj = w.cj
    const now = this.ctx.clock.now().getTime()
    let update = false
    const children = new Set<unknown>()
    for (const j of jobs) {
      const uid = meta(j).uid
      children.add(uid)
      const found = this.active(w).some((r) => r.uid === uid)
      if (!found && !isFinished(j)) {
        this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${meta(j).name}`)
      } else if (found && isFinished(j)) {
        this.removeFromActive(w, uid)
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${meta(j).name}, status: ${finishedConditionType(j)}`)
        update = true
      } else if (finishedConditionType(j) === 'Complete') {
        // A succeeded Job need not be in the active list for its completion time to count.
        const done = statusOf(j).completionTime
        const last = w.status.lastSuccessfulTime
        if (typeof done === 'string' && (typeof last !== 'string' || Date.parse(done) > Date.parse(last))) {
          w.status.lastSuccessfulTime = done
          update = true
        }
      }
    }
    for (const ref of [...this.active(w)]) {
      if (children.has(ref.uid)) continue
      if (this.ctx.client.get(RESOURCES.jobs, String(ref.namespace), String(ref.name))) continue
      this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`)
      this.removeFromActive(w, ref.uid)
      update = true
    }
    if (meta(cj).deletionTimestamp) return {update}
    const spec = specOf(cj)
    const {tz, text} = scheduleOf(cj)
    if (tz !== undefined) {
      try {
        zoneFormatter(tz)
      } catch (e) {
        this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${(e as Error).message}`)
        return {update}
      }
    }
    if (spec.suspend === true) return {update}
    if (text.includes('TZ')) {
      this.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(text)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`)
    }
    let sched: CronSchedule
    try {
      sched = parseCronSchedule(text)
    } catch (e) {
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(text)} : ${(e as Error).message}`)
      return {update}
    }
    let scheduled: number | undefined
    try {
      const r = mostRecentScheduleTime(cj, now, sched, tz, true)
      if (r.mostRecent !== undefined && r.mostRecent <= now) {
        scheduled = r.mostRecent
        if (r.missed === 'many') this.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew')
      }
    } catch (e) {
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${text} : ${(e as Error).message}`)
      return {update}
    }
    const next = () => nextScheduleDelayMs({...cj, status: w.status}, now, sched, tz)
    if (scheduled === undefined) return {requeueMs: next(), update}
    const deadline = spec.startingDeadlineSeconds
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`)
      return {requeueMs: next(), update}
    }
    const name = jobNameFor(cj, scheduled)
    const last = w.status.lastScheduleTime
    if (this.active(w).some((r) => r.name === name && r.namespace === meta(cj).namespace) || (typeof last === 'string' && Date.parse(last) === scheduled)) {
      return {requeueMs: next(), update}
    }
    if (spec.concurrencyPolicy === 'Forbid' && this.active(w).length > 0) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid')
      return {requeueMs: next(), update}
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...this.active(w)]) {
        const j = this.ctx.client.get(RESOURCES.jobs, String(ref.namespace), String(ref.name))
        if (!j) {
          const error = new Error(`jobs.batch "${ref.name}" not found`)
          this.event(cj, 'Warning', 'FailedGet', `Get job: ${error.message}`)
          return {update, error}
        }
        if (!this.deleteJob(w, j)) return {update, error: new Error(`could not replace job ${ref.namespace}/${ref.name}`)}
        update = true
      }
    }
    let created: Obj
    try {
      created = this.ctx.client.create(RESOURCES.jobs, String(meta(cj).namespace), this.jobFromTemplate(cj, scheduled, tz))
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${meta(created).name}`)
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists')) {
        if (!(e instanceof ApiError && /because it is being terminated$/.test(e.message))) {
          this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`)
        }
        return {update, error: e}
      }
      // Made before by this controller (its status update lost), or by someone else.
      const existing = this.ctx.client.get(RESOURCES.jobs, String(meta(cj).namespace), name)
      if (!existing) return {update, error: e}
      if (controllerRef(existing)?.uid !== meta(cj).uid) return {update}
      if (this.active(w).some((r) => r.uid === meta(existing).uid)) return {update}
      created = existing
    }
    const cm = meta(created)
    w.status.active = [...this.active(w), {kind: 'Job', namespace: cm.namespace, name: cm.name, uid: cm.uid, apiVersion: 'batch/v1', resourceVersion: cm.resourceVersion}]
    w.status.lastScheduleTime = rfc3339(new Date(scheduled))
    return {requeueMs: next(), update: true}
  }

  private jobFromTemplate(cj: Obj, scheduled: number, tz: string | undefined): Obj {
    const template = structuredClone((specOf(cj).jobTemplate ?? {}) as Obj)
    const tm = (template.metadata ?? {}) as Obj
    const labels = {...((tm.labels ?? {}) as Record<string, string>)}
    const annotations = {...((tm.annotations ?? {}) as Record<string, string>), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, tz)}
    const m = meta(cj)
    return {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name: jobNameFor(cj, scheduled),
        namespace: m.namespace,
        ...(Object.keys(labels).length ? {labels} : {}),
        annotations,
        ownerReferences: [{apiVersion: 'batch/v1', kind: 'CronJob', name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true}],
      },
      spec: template.spec ?? {},
    }
  }
}

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
function rfc1123z(at: number): string {
  return new Date(at).toUTCString().replace(/GMT$/, '+0000')
}

export function addCronJobController(m: ControllerManager): void {
  m.add(new CronJobReconciler(m), (c, ctx) => {
    const keyOf = (o: Obj): ObjectKey => ({namespace: String(meta(o).namespace), name: String(meta(o).name)})
    const cronjobs = ctx.informer(RESOURCES.cronjobs)
    cronjobs.addHandlers({
      onAdd: (cj) => c.enqueue(keyOf(cj)),
      onUpdate: (old, cj) => {
        const a = scheduleOf(old), b = scheduleOf(cj)
        if (a.text === b.text && a.tz === b.tz) return c.enqueue(keyOf(cj))
        // A new schedule: wake up at its next time (an earlier pending wake-up still wins).
        try {
          if (b.tz) zoneFormatter(b.tz)
          const s = parseCronSchedule(b.text)
          const now = ctx.clock.now().getTime()
          c.enqueueAfter(keyOf(cj), Math.max(0, nextScheduleDelayMs(cj, now, s, b.tz)))
        } catch {
          ctx.recorder(COMPONENT).event(cj, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${b.text}`)
        }
      },
      onDelete: (cj) => c.enqueue(keyOf(cj)),
    })
    const owner = (j: Obj) => {
      const ref = controllerRef(j)
      if (ref?.kind !== 'CronJob') return
      const cj = cronjobs.get(String(meta(j).namespace), String(ref.name))
      if (cj && meta(cj).uid === ref.uid) c.enqueue(keyOf(cj))
    }
    ctx.informer(RESOURCES.jobs).addHandlers({
      onAdd: owner,
      onUpdate: (old, j) => {
        if (meta(old).resourceVersion === meta(j).resourceVersion) return
        if (JSON.stringify(controllerRef(old)) !== JSON.stringify(controllerRef(j))) owner(old)
        owner(j)
      },
      onDelete: owner,
    })
  })
}
