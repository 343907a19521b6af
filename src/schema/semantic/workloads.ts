// Workload checks from the apiserver's apps and batch validation: selectors that match their pod
// template, replica counts, update strategies, Job and CronJob settings.
import {isValidPercent} from '../../api/names.js'
import {selectorFromLabelSelector, validateLabelSelector, type LabelSelector} from '../../api/labels.js'
import {parseCronSchedule} from '../../api/cron.js'
import type {Path} from '../problems.js'
import {arr, Checker, num, obj, str, stringMap, type Obj} from './checker.js'
import {adopt, checkEmbeddedMetadata} from './metadata.js'
import {checkPodSpec} from './pod.js'

const ALWAYS = ['Always']
const JOB_RESTART = ['OnFailure', 'Never']

export function checkDeployment(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  c.nonNegative(['spec'], 'replicas', spec.replicas)
  checkSelectorAndTemplate(c, spec, 'deployment', ALWAYS)
  const strategy = obj(spec.strategy)
  if (strategy) {
    const type = str(strategy.type)
    c.oneOf(['spec', 'strategy'], 'type', type, ['Recreate', 'RollingUpdate'])
    const rolling = obj(strategy.rollingUpdate)
    if (type === 'Recreate' && rolling) c.forbidden(['spec', 'strategy', 'rollingUpdate'], "may not be specified when strategy `type` is 'Recreate'")
    if (rolling) checkRollingParameters(c, rolling, ['spec', 'strategy', 'rollingUpdate'], true)
  }
  c.nonNegative(['spec'], 'revisionHistoryLimit', spec.revisionHistoryLimit)
  c.nonNegative(['spec'], 'minReadySeconds', spec.minReadySeconds)
  const deadline = num(spec.progressDeadlineSeconds)
  if (deadline !== undefined) {
    c.nonNegative(['spec'], 'progressDeadlineSeconds', deadline)
    const minReady = num(spec.minReadySeconds) ?? 0
    if (deadline <= minReady) c.invalid(['spec', 'progressDeadlineSeconds'], deadline, 'must be greater than minReadySeconds')
  }
}

export function checkReplicaSet(c: Checker, o: Obj, kind: 'replicaset' | 'replicationcontroller' = 'replicaset'): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  c.nonNegative(['spec'], 'replicas', spec.replicas)
  c.nonNegative(['spec'], 'minReadySeconds', spec.minReadySeconds)
  if (kind === 'replicationcontroller') {
    // A ReplicationController's selector is a plain map, defaulted from the template's labels.
    const selector = stringMap(spec.selector)
    const template = obj(spec.template)
    const labels = stringMap(obj(template?.metadata)?.labels) ?? {}
    if (selector && Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
      c.invalid(['spec', 'template', 'metadata', 'labels'], labels, '`selector` does not match template `labels`')
    }
    if (template) {
      checkEmbeddedMetadata(c, template.metadata, ['spec', 'template', 'metadata'])
      checkPodSpec(c, obj(template.spec), ['spec', 'template', 'spec'], {restartPolicies: ALWAYS})
    }
    return
  }
  checkSelectorAndTemplate(c, spec, 'replicaset', ALWAYS)
}

export function checkStatefulSet(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  c.nonNegative(['spec'], 'replicas', spec.replicas)
  c.oneOf(['spec'], 'podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel'])
  const strategy = obj(spec.updateStrategy)
  if (strategy) {
    const type = str(strategy.type)
    c.oneOf(['spec', 'updateStrategy'], 'type', type, ['OnDelete', 'RollingUpdate'])
    const rolling = obj(strategy.rollingUpdate)
    if (type === 'OnDelete' && rolling) c.forbidden(['spec', 'updateStrategy', 'rollingUpdate'], "only allowed for updateStrategy 'RollingUpdate'")
    if (rolling) {
      c.nonNegative(['spec', 'updateStrategy', 'rollingUpdate'], 'partition', rolling.partition)
      if (rolling.maxUnavailable !== undefined) checkIntOrPercent(c, rolling.maxUnavailable, ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'], {positive: true})
    }
  }
  c.nonNegative(['spec'], 'revisionHistoryLimit', spec.revisionHistoryLimit)
  c.nonNegative(['spec'], 'minReadySeconds', spec.minReadySeconds)
  const claimNames = arr(spec.volumeClaimTemplates).map((t) => str(obj(obj(t)?.metadata)?.name)).filter((n): n is string => !!n)
  checkSelectorAndTemplate(c, spec, 'statefulset', ALWAYS, claimNames)
  arr(spec.volumeClaimTemplates).forEach((t, i) => {
    const name = str(obj(obj(t)?.metadata)?.name)
    if (!name) c.required(['spec', 'volumeClaimTemplates', i, 'metadata', 'name'])
  })
}

export function checkDaemonSet(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  checkSelectorAndTemplate(c, spec, 'daemonset', ALWAYS)
  const strategy = obj(spec.updateStrategy)
  if (strategy) {
    const type = str(strategy.type)
    c.oneOf(['spec', 'updateStrategy'], 'type', type, ['OnDelete', 'RollingUpdate'])
    const rolling = obj(strategy.rollingUpdate)
    if (rolling) checkRollingParameters(c, rolling, ['spec', 'updateStrategy', 'rollingUpdate'], false)
  }
  c.nonNegative(['spec'], 'revisionHistoryLimit', spec.revisionHistoryLimit)
  c.nonNegative(['spec'], 'minReadySeconds', spec.minReadySeconds)
}

export function checkJob(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  checkJobSpec(c, spec, ['spec'])
}

function checkJobSpec(c: Checker, spec: Obj, path: Path): void {
  for (const f of ['parallelism', 'completions', 'backoffLimit'] as const) c.nonNegative(path, f, spec[f])
  const deadline = num(spec.activeDeadlineSeconds)
  if (deadline !== undefined && deadline <= 0) c.invalid([...path, 'activeDeadlineSeconds'], deadline, 'must be greater than or equal to 1')
  c.nonNegative(path, 'ttlSecondsAfterFinished', spec.ttlSecondsAfterFinished)
  c.oneOf(path, 'completionMode', spec.completionMode, ['NonIndexed', 'Indexed'])
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) {
    c.required([...path, 'completions'], 'when completion mode is Indexed')
  }
  const template = obj(spec.template)
  if (!template) return c.required([...path, 'template'])
  const selector = spec.selector as LabelSelector | undefined
  if (spec.manualSelector === true) {
    if (!selector) c.required([...path, 'selector'])
    else checkSelectorMatches(c, selector, template, path, 'job')
  }
  checkEmbeddedMetadata(c, template.metadata, [...path, 'template', 'metadata'])
  checkPodSpec(c, obj(template.spec), [...path, 'template', 'spec'], {restartPolicies: JOB_RESTART})
}

export function checkCronJob(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  const schedule = str(spec.schedule)
  if (!schedule) c.required(['spec', 'schedule'])
  else {
    try {
      parseCronSchedule(schedule)
    } catch (e) {
      c.invalid(['spec', 'schedule'], schedule, (e as Error).message)
    }
  }
  c.oneOf(['spec'], 'concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'])
  c.nonNegative(['spec'], 'startingDeadlineSeconds', spec.startingDeadlineSeconds)
  c.nonNegative(['spec'], 'successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit)
  c.nonNegative(['spec'], 'failedJobsHistoryLimit', spec.failedJobsHistoryLimit)
  const jobTemplate = obj(spec.jobTemplate)
  if (!jobTemplate) return c.required(['spec', 'jobTemplate'])
  checkEmbeddedMetadata(c, jobTemplate.metadata, ['spec', 'jobTemplate', 'metadata'])
  const jobSpec = obj(jobTemplate.spec)
  if (!jobSpec) return c.required(['spec', 'jobTemplate', 'spec'])
  checkJobSpec(c, jobSpec, ['spec', 'jobTemplate', 'spec'])
}

/** Selector required, valid, non-empty and matching the template's labels; then the template itself. */
function checkSelectorAndTemplate(c: Checker, spec: Obj, what: string, restartPolicies: readonly string[], extraVolumes: string[] = []): void {
  const template = obj(spec.template)
  const selector = spec.selector as LabelSelector | undefined
  if (!selector) c.required(['spec', 'selector'])
  else {
    const sel = obj(selector)
    const empty = !sel || (Object.keys(obj(sel.matchLabels) ?? {}).length === 0 && arr(sel.matchExpressions).length === 0)
    if (empty) c.invalid(['spec', 'selector'], selector, `empty selector is invalid for ${what}`)
    else if (template) checkSelectorMatches(c, selector, template, ['spec'], what)
  }
  if (!template) return c.required(['spec', 'template'])
  checkEmbeddedMetadata(c, template.metadata, ['spec', 'template', 'metadata'])
  checkPodSpec(c, obj(template.spec), ['spec', 'template', 'spec'], {restartPolicies, extraVolumes})
}

function checkSelectorMatches(c: Checker, selector: LabelSelector, template: Obj, path: Path, _what: string): void {
  const errors = validateLabelSelector(selector, [...path, 'selector'].join('.'))
  adopt(c, errors)
  if (errors.length > 0) return
  const labels = stringMap(obj(template.metadata)?.labels) ?? {}
  let matches = false
  try {
    matches = selectorFromLabelSelector(selector).matches(labels)
  } catch (e) {
    c.invalid([...path, 'selector'], selector, (e as Error).message)
    return
  }
  if (!matches) c.invalid([...path, 'template', 'metadata', 'labels'], labels, '`selector` does not match template `labels`')
}

function checkRollingParameters(c: Checker, rolling: Obj, path: Path, deployment: boolean): void {
  const unavailable = rolling.maxUnavailable
  const surge = rolling.maxSurge
  if (unavailable !== undefined) checkIntOrPercent(c, unavailable, [...path, 'maxUnavailable'], {max100: true})
  if (surge !== undefined) checkIntOrPercent(c, surge, [...path, 'maxSurge'], {})
  // Both zero would never let a rollout make progress. (A DaemonSet's maxSurge defaults to 0.)
  const isZero = (v: unknown) => v === 0 || v === '0%'
  const surgeZero = surge === undefined ? !deployment : isZero(surge)
  if (unavailable !== undefined && isZero(unavailable) && surgeZero) {
    c.invalid([...path, 'maxUnavailable'], unavailable, 'may not be 0 when `maxSurge` is 0')
  }
}

function checkIntOrPercent(c: Checker, v: unknown, path: Path, opts: {max100?: boolean; positive?: boolean}): void {
  if (typeof v === 'number') {
    if (v < 0) c.invalid(path, v, 'must be greater than or equal to 0')
    if (opts.positive && v === 0) c.invalid(path, v, 'must be greater than 0')
    return
  }
  if (typeof v !== 'string') return
  const msgs = isValidPercent(v)
  if (msgs.length > 0) return c.messages(path, v, msgs)
  const pct = Number(v.slice(0, -1))
  if (opts.max100 && pct > 100) c.invalid(path, v, 'must not be greater than 100%')
}

export {checkIntOrPercent}
