// The apiserver's per-kind registry strategies: versioned defaults, what create and update do to an
// object before it is stored (status reset, generation), the update-only validation rules, and the
// field selector attributes. The generic parts (uid, timestamps, resourceVersion, name generation,
// IP and port allocation) are the caller's.
//
// Expected use, as the generic registry store does it:
//   create:  applyDefaults → prepareForCreate → (create validation: src/schema/semantic)
//   update:  applyDefaults(new) → prepareForUpdate(new, old) → validateUpdate(new, old) + create validation
//   status:  applyDefaults(new) → prepareForStatusUpdate(new, old) → validateStatusUpdate(new, old)
// All functions mutate the objects they are given in place.
import {quoteGo} from '../../api/names.js'
import type {Problem} from '../../schema/problems.js'
import {APPS} from './apps.js'
import {BATCH} from './batch.js'
import {CORE} from './core.js'
import type {FieldLabels, KindStrategy} from './kinds.js'
import {carryGeneration, setGeneration, validateObjectMetaUpdate} from './meta.js'
import {NETWORKING} from './networking.js'
import {OTHER} from './other.js'
import {clone, obj, semanticEqual, str, type Obj, type StrategyContext} from './util.js'

export type {StrategyContext} from './util.js'
export {generateJobSelector} from './batch.js'
export {initServiceIPFamilies} from './service.js'
export {applyPodAdmissionDefaults, podQOSClass, POD_UPDATE_FORBIDDEN, pullPolicyFor, type PodAdmissionOptions} from './pod.js'
export {semanticEqual} from './util.js'

const TABLE: Record<string, KindStrategy> = {...CORE, ...APPS, ...BATCH, ...NETWORKING, ...OTHER}

// The API groups the apiserver itself serves; anything else is a custom resource.
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'extensions', 'networking.k8s.io', 'discovery.k8s.io', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'events.k8s.io', 'apiextensions.k8s.io', 'certificates.k8s.io',
  'admissionregistration.k8s.io', 'node.k8s.io', 'flowcontrol.apiserver.k8s.io', 'apiregistration.k8s.io', 'authentication.k8s.io',
  'authorization.k8s.io', 'resource.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io',
])

function groupVersion(apiVersion: string): {group: string; version: string} {
  const i = apiVersion.indexOf('/')
  return i < 0 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1)}
}

/** The built-in strategy of an apiVersion and kind, if the apiserver has one beyond the generic store. */
export function strategyFor(apiVersion: string, kind: string): KindStrategy | undefined {
  const {group, version} = groupVersion(apiVersion)
  return TABLE[`${group}/${kind}@${version}`] ?? TABLE[`${group}/${kind}`]
}

/** Whether the apiserver serves this group itself (false: a custom resource). */
export function isBuiltInGroup(apiVersion: string): boolean {
  return BUILT_IN_GROUPS.has(groupVersion(apiVersion).group)
}

function strategyOf(o: Obj): KindStrategy | undefined {
  return strategyFor(str(o.apiVersion) ?? '', str(o.kind) ?? '')
}

const isCustom = (o: Obj) => !isBuiltInGroup(str(o.apiVersion) ?? '')

const tracksGeneration = (s: KindStrategy | undefined, ctx: StrategyContext): boolean =>
  typeof s?.generation === 'function' ? s.generation(ctx) : s?.generation === true

// ---------------------------------------------------------------------------------------------
// Defaults and preparation

/**
 * The versioned defaulters (SetObjectDefaults_*) and the v1 conversions that rewrite fields
 * (stringData into data, serviceAccount ↔ serviceAccountName, podCIDR ↔ podCIDRs, pod IPs), for
 * the object's apiVersion and kind and the release in `ctx`. Idempotent.
 */
export function applyDefaults(o: Obj, ctx: StrategyContext): void {
  strategyOf(o)?.defaults?.(o, ctx)
}

/**
 * PrepareForCreate: resets status to what a new object starts with, sets metadata.generation to 1
 * for kinds that track it, and does the kind's own preparation (a Job's selector when ctx.uid is
 * given, a Service's IP families, a Namespace's finalizer, a Pod's QoS class and phase...). Ends by
 * defaulting again, as the apiserver does when it reads the stored object back. Returns the errors
 * the create must fail with (a Service asking for IP families the cluster lacks), usually none.
 */
export function prepareForCreate(o: Obj, ctx: StrategyContext): Problem[] {
  if (isCustom(o)) {
    if (ctx.statusSubresource) delete o.status
    setGeneration(o, 1)
    return []
  }
  const s = strategyOf(o)
  if (!s) return []
  if (s.initialStatus) o.status = s.initialStatus(o, ctx)
  if (tracksGeneration(s, ctx)) setGeneration(o, 1)
  const problems = s.prepareForCreate?.(o, ctx) ?? []
  applyDefaults(o, ctx)
  return problems
}

export interface UpdatePreparation {
  /** Whether metadata.generation moved past the stored object's. */
  generationChanged: boolean
  problems: Problem[]
}

/**
 * PrepareForUpdate of the main resource: metadata.generation restarts from the stored value (clients
 * cannot set it) and is bumped when the kind's desired state changed; the stored status is kept for
 * kinds with a status subresource; plus the kind's own rules (a Service's type-dependent fields, a
 * DaemonSet's template generation...).
 */
export function prepareForUpdate(n: Obj, old: Obj, ctx: StrategyContext): UpdatePreparation {
  const gen = carryGeneration(n, old)
  if (isCustom(n)) {
    const without = (o: Obj, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)))
    if (ctx.statusSubresource) {
      if (old.status === undefined) delete n.status
      else n.status = clone(old.status)
    }
    // Without a status subresource the status is desired state like the rest.
    const ignored = ctx.statusSubresource ? ['metadata', 'status'] : ['metadata']
    const changed = !semanticEqual(without(n, ...ignored), without(old, ...ignored))
    if (changed) setGeneration(n, gen + 1)
    return {generationChanged: changed, problems: []}
  }
  const s = strategyOf(n)
  if (!s) return {generationChanged: false, problems: []}
  if (s.statusSubresource) {
    if (old.status === undefined) delete n.status
    else n.status = clone(old.status)
  }
  const problems = s.prepareForUpdate?.(n, old, ctx) ?? []
  let generationChanged = false
  if (tracksGeneration(s, ctx)) {
    generationChanged = s.specChanged ? s.specChanged(n, old) : !semanticEqual(n.spec, old.spec)
    if (generationChanged) setGeneration(n, gen + 1)
  }
  applyDefaults(n, ctx)
  return {generationChanged, problems}
}

/**
 * PrepareForUpdate of the /status subresource: everything but the status comes from the stored
 * object, except what the kind's status strategy lets through (metadata labels and annotations for
 * most kinds). The generation never moves.
 */
export function prepareForStatusUpdate(n: Obj, old: Obj, ctx: StrategyContext): void {
  carryGeneration(n, old)
  if (isCustom(n)) {
    const status = n.status
    const managedFields = obj(n.metadata)?.managedFields
    for (const k of Object.keys(n)) delete n[k]
    Object.assign(n, clone(old))
    if (managedFields !== undefined) (obj(n.metadata) ?? {}).managedFields = managedFields
    if (status === undefined) delete n.status
    else n.status = status
    return
  }
  const s = strategyOf(n)
  if (s?.prepareForStatusUpdate) s.prepareForStatusUpdate(n, old, ctx)
  else if (old.spec !== undefined) n.spec = clone(old.spec)
  applyDefaults(n, ctx)
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * The update-only rules: ValidateObjectMetaUpdate plus the kind's (immutable selectors and
 * templates, the pod and StatefulSet update limits, immutable ConfigMaps and Secrets, Service IP
 * rules...). The create-time validation the apiserver also runs on the new object is not repeated:
 * run src/schema/semantic's checkObject alongside.
 */
export function validateUpdate(n: Obj, old: Obj, ctx: StrategyContext): Problem[] {
  const problems = validateObjectMetaUpdate(n, old)
  const s = isCustom(n) ? undefined : strategyOf(n)
  if (s?.validateUpdate) problems.push(...s.validateUpdate(n, old, ctx))
  return problems
}

export function validateStatusUpdate(n: Obj, old: Obj, ctx: StrategyContext): Problem[] {
  const problems = validateObjectMetaUpdate(n, old)
  const s = isCustom(n) ? undefined : strategyOf(n)
  if (s?.validateStatusUpdate) problems.push(...s.validateStatusUpdate(n, old, ctx))
  return problems
}

// ---------------------------------------------------------------------------------------------
// Field selectors

const LATEST: StrategyContext = {kubernetesVersion: '1.36'}

/**
 * The field set a field selector matches against (GetAttrs): metadata.name, metadata.namespace for
 * namespaced kinds, and the kind's selectable fields. Missing fields match as "".
 */
export function fieldsForSelector(o: Obj, ctx: StrategyContext = LATEST): Record<string, string> {
  const meta = obj(o.metadata) ?? {}
  const s = isCustom(o) ? undefined : strategyOf(o)
  const fields: Record<string, string> = {'metadata.name': str(meta.name) ?? ''}
  const namespaced = s ? s.namespaced : str(meta.namespace) !== undefined
  if (namespaced) fields['metadata.namespace'] = str(meta.namespace) ?? ''
  return {...fields, ...(s?.fields?.(o, ctx) ?? {})}
}

function labelsOf(s: KindStrategy | undefined, ctx: StrategyContext): FieldLabels {
  const rules = typeof s?.fieldLabels === 'function' ? s.fieldLabels(ctx) : s?.fieldLabels
  return rules ?? {labels: ['metadata.name', 'metadata.namespace'], genericMessage: true}
}

const KIND_GROUPS: Record<string, string> = Object.fromEntries(
  Object.keys(TABLE)
    .reverse()
    .map((key) => {
      const [group, rest] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
      return [rest.split('@')[0], group] as const
    }),
)

function apiVersionFor(kind: string, apiVersion?: string): string {
  if (apiVersion !== undefined) return apiVersion
  // Without an apiVersion, the core group wins (Event), then the group that serves the kind.
  const group = CORE[`/${kind}`] ? '' : (KIND_GROUPS[kind] ?? '')
  return group ? `${group}/v1` : 'v1'
}

/** The field selector labels the apiserver accepts for a kind (by apiVersion when given). */
export function supportedFieldSelectors(kind: string, apiVersion?: string, ctx: StrategyContext = LATEST): string[] {
  const av = apiVersionFor(kind, apiVersion)
  const rules = labelsOf(isBuiltInGroup(av) ? strategyFor(av, kind) : undefined, ctx)
  return [...rules.labels, ...Object.keys(rules.aliases ?? {})]
}

export type FieldLabelConversion = {label: string} | {error: string}

/**
 * The apiserver's conversion of one field selector label: the internal label to match on, or the
 * exact error of an unsupported one (`field label not supported: spec.foo` for kinds with their own
 * conversion, `"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"`
 * for the rest). Custom resources accept metadata.name, metadata.namespace and the CRD's
 * selectableFields.
 */
export function convertFieldSelectorLabel(
  apiVersion: string,
  kind: string,
  label: string,
  ctx: StrategyContext = LATEST,
  selectableFields: readonly string[] = [],
): FieldLabelConversion {
  if (!isBuiltInGroup(apiVersion)) {
    if (label === 'metadata.name' || label === 'metadata.namespace' || selectableFields.includes(label)) return {label}
    return {error: `field label not supported: ${label}`}
  }
  const rules = labelsOf(strategyFor(apiVersion, kind), ctx)
  if (rules.labels.includes(label)) return {label}
  const alias = rules.aliases?.[label]
  if (alias !== undefined) return {label: alias}
  if (rules.genericMessage) return {error: `${quoteGo(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`}
  return {error: `field label not supported: ${label}`}
}
