// The batch group's strategies: Job (defaults, generated selector, update rules) and CronJob.
import {compareGoStrings} from '../../api/names.js'
import type {Problem} from '../../schema/problems.js'
import type {KindStrategy, StrategyTable} from './kinds.js'
import {templateMetadata} from './meta.js'
import {defaultPodTemplate} from './pod.js'
import {atLeast, child, clone, immutable, invalid, num, obj, objs, semanticEqual, setDefault, setIfNil, str, type Obj, type StrategyContext} from './util.js'

const spec = (o: Obj): Obj => obj(o.spec) ?? {}

const MAX_INT32 = 2147483647

/** SetDefaults_Job (batch/v1). */
function defaultJob(job: Obj, ctx: StrategyContext): void {
  const s = child(job, 'spec')
  if (s.completions == null && s.parallelism == null) {
    s.completions = 1
    s.parallelism = 1
  }
  setIfNil(s, 'parallelism', 1)
  // JobBackoffLimitPerIndex (beta and on since 1.29) turns the default limit off per index.
  if (s.backoffLimit == null) s.backoffLimit = atLeast(ctx, 29) && s.backoffLimitPerIndex != null ? MAX_INT32 : 6
  const templateLabels = obj(obj(obj(s.template)?.metadata)?.labels)
  const meta = child(job, 'metadata')
  // A Job without labels takes its pod template's: the very same map in Go, so the selector labels
  // generated into the template later show up on the Job as well (kept here by sharing the object).
  // Without template labels the copy happens when the Job is defaulted again on its way out of storage.
  if (templateLabels && Object.keys(obj(meta.labels) ?? {}).length === 0) meta.labels = templateLabels
  setIfNil(s, 'completionMode', 'NonIndexed')
  setIfNil(s, 'suspend', false)
  for (const rule of objs(obj(s.podFailurePolicy)?.rules)) {
    for (const pattern of objs(rule.onPodConditions)) setDefault(pattern, 'status', 'True')
  }
  if (atLeast(ctx, 29)) {
    // JobPodReplacementPolicy: beta and on since 1.29; manualSelector defaulted since 1.29 too.
    setIfNil(s, 'podReplacementPolicy', s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed')
    setIfNil(s, 'manualSelector', false)
  }
  defaultPodTemplate(child(s, 'template'), ctx)
}

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name']
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid']

/**
 * The job strategy's generateSelector: the pod template gets job-name and controller-uid labels
 * (legacy and batch.kubernetes.io/ forms) and the selector matches the controller uid. Labels the
 * user already set are kept; a conflict is for validation to report. Skipped for manualSelector.
 */
export function generateJobSelector(job: Obj, uid: string): void {
  const s = child(job, 'spec')
  if (s.manualSelector === true) return
  const name = str(obj(job.metadata)?.name) ?? ''
  const template = child(s, 'template')
  const labels = child(child(template, 'metadata'), 'labels')
  for (const key of JOB_NAME_LABELS) if (labels[key] === undefined) labels[key] = name
  for (const key of CONTROLLER_UID_LABELS) if (labels[key] === undefined) labels[key] = uid
  sortKeys(labels)
  const selector = child(s, 'selector')
  const matchLabels = child(selector, 'matchLabels')
  if (matchLabels['batch.kubernetes.io/controller-uid'] === undefined) matchLabels['batch.kubernetes.io/controller-uid'] = uid
}

/** Go prints a map with its keys sorted; keeping the object in that order keeps JSON output alike. */
function sortKeys(o: Obj): void {
  const entries = Object.entries(o).sort(([a], [b]) => compareGoStrings(a, b))
  for (const [k] of entries) delete o[k]
  for (const [k, v] of entries) o[k] = v
}

/** ValidateJobSpecUpdate's immutability rules (the create-time checks of the new spec excluded). */
function validateJobUpdate(n: Obj, o: Obj, ctx: StrategyContext): Problem[] {
  const out: Problem[] = []
  const s = spec(n)
  const os = spec(o)
  // Completions: immutable, except that an Indexed Job may scale completions with parallelism.
  if (!semanticEqual(s.completions, os.completions)) {
    if (s.completionMode !== 'Indexed') immutable(out, ['spec', 'completions'], s.completions, os.completions)
    else if (s.completions != null && s.completions !== s.parallelism) {
      out.push(invalid(['spec', 'completions'], s.completions, 'can only be modified in tandem with spec.parallelism'))
    }
  }
  immutable(out, ['spec', 'selector'], s.selector, os.selector)
  let oldTemplate = os.template
  // A suspended Job that never started may change where its pods go, and their labels and annotations.
  if (os.suspend === true && obj(o.status)?.startTime == null) oldTemplate = withSchedulingDirectives(obj(os.template) ?? {}, obj(s.template) ?? {})
  immutable(out, ['spec', 'template'], s.template, oldTemplate)
  immutable(out, ['spec', 'completionMode'], s.completionMode, os.completionMode)
  immutable(out, ['spec', 'podFailurePolicy'], s.podFailurePolicy, os.podFailurePolicy)
  immutable(out, ['spec', 'backoffLimitPerIndex'], s.backoffLimitPerIndex, os.backoffLimitPerIndex)
  if (atLeast(ctx, 30)) {
    immutable(out, ['spec', 'managedBy'], s.managedBy, os.managedBy)
    immutable(out, ['spec', 'successPolicy'], s.successPolicy, os.successPolicy)
  }
  return out
}

function withSchedulingDirectives(oldTemplate: Obj, template: Obj): Obj {
  const t = clone(oldTemplate)
  const tSpec = child(t, 'spec')
  const newSpec = obj(template.spec) ?? {}
  const affinity = obj(tSpec.affinity)
  const newAffinity = obj(newSpec.affinity)
  if (!newAffinity && affinity) {
    delete affinity.nodeAffinity
    if (Object.keys(affinity).length === 0) delete tSpec.affinity
  } else if (newAffinity && !affinity) {
    tSpec.affinity = newAffinity.nodeAffinity === undefined ? {} : {nodeAffinity: newAffinity.nodeAffinity}
  } else if (newAffinity && affinity) {
    if (newAffinity.nodeAffinity === undefined) delete affinity.nodeAffinity
    else affinity.nodeAffinity = newAffinity.nodeAffinity
  }
  for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) {
    if (newSpec[key] === undefined) delete tSpec[key]
    else tSpec[key] = newSpec[key]
  }
  const meta = child(t, 'metadata')
  const newMeta = obj(template.metadata) ?? {}
  for (const key of ['labels', 'annotations']) {
    if (newMeta[key] === undefined) delete meta[key]
    else meta[key] = newMeta[key]
  }
  return t
}

const job: KindStrategy = {
  namespaced: true,
  defaults: defaultJob,
  initialStatus: () => ({}),
  generation: true,
  statusSubresource: true,
  prepareForCreate: (o, ctx) => {
    if (ctx.uid) generateJobSelector(o, ctx.uid)
  },
  validateUpdate: validateJobUpdate,
  fields: (o) => ({'status.successful': String(num(obj(o.status)?.succeeded) ?? 0)}),
  fieldLabels: {labels: ['metadata.name', 'metadata.namespace', 'status.successful']},
}

const cronJob: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => {
    const s = child(o, 'spec')
    setDefault(s, 'concurrencyPolicy', 'Allow')
    setIfNil(s, 'suspend', false)
    setIfNil(s, 'successfulJobsHistoryLimit', 3)
    setIfNil(s, 'failedJobsHistoryLimit', 1)
    // SetDefaults_Job is for Job objects: a job template gets only the pod template defaults.
    const jobTemplate = child(s, 'jobTemplate')
    templateMetadata(jobTemplate, ctx)
    defaultPodTemplate(child(child(jobTemplate, 'spec'), 'template'), ctx)
  },
  initialStatus: () => ({}),
  generation: true,
  statusSubresource: true,
}

export const BATCH: StrategyTable = {
  'batch/Job': job,
  'batch/CronJob': cronJob,
}
