// The apps group's strategies: Deployment, ReplicaSet, StatefulSet, DaemonSet and
// ControllerRevision (apps/v1 defaults, status and generation handling, update rules).
import type {Problem} from '../../schema/problems.js'
import type {KindStrategy, StrategyTable} from './kinds.js'
import {templateMetadata} from './meta.js'
import {defaultClaimSpec, defaultPodTemplate} from './pod.js'
import {
  atLeast,
  child,
  clone,
  forbidden,
  immutable,
  invalid,
  num,
  obj,
  objs,
  roundResourceList,
  semanticEqual,
  setDefault,
  setIfNil,
  str,
  type Obj,
  type StrategyContext,
} from './util.js'

const spec = (o: Obj): Obj => obj(o.spec) ?? {}

/** The apps/v1 selector rule: a selector cannot change once the object exists. */
function selectorImmutable(n: Obj, o: Obj): Problem[] {
  const out: Problem[] = []
  immutable(out, ['spec', 'selector'], spec(n).selector, spec(o).selector)
  return out
}

// ---------------------------------------------------------------------------------------------
// Deployment

const deployment: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => {
    const s = child(o, 'spec')
    setIfNil(s, 'replicas', 1)
    const strategy = child(s, 'strategy')
    setDefault(strategy, 'type', 'RollingUpdate')
    if (strategy.type === 'RollingUpdate') {
      const rolling = child(strategy, 'rollingUpdate')
      setIfNil(rolling, 'maxUnavailable', '25%')
      setIfNil(rolling, 'maxSurge', '25%')
    }
    setIfNil(s, 'revisionHistoryLimit', 10)
    setIfNil(s, 'progressDeadlineSeconds', 600)
    defaultPodTemplate(child(s, 'template'), ctx)
  },
  initialStatus: () => ({}),
  generation: true,
  // Annotations bump the generation too: the controller copies them to the ReplicaSets.
  specChanged: (n, o) => !semanticEqual(n.spec, o.spec) || !semanticEqual(obj(n.metadata)?.annotations, obj(o.metadata)?.annotations),
  statusSubresource: true,
  prepareForStatusUpdate: (n, o) => {
    n.spec = clone(o.spec)
    const meta = child(n, 'metadata')
    const labels = obj(o.metadata)?.labels
    if (labels === undefined) delete meta.labels
    else meta.labels = clone(labels)
  },
  validateUpdate: selectorImmutable,
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet

const replicaSet: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => {
    const s = child(o, 'spec')
    setIfNil(s, 'replicas', 1)
    defaultPodTemplate(child(s, 'template'), ctx)
  },
  initialStatus: () => ({replicas: 0}),
  generation: true,
  statusSubresource: true,
  validateUpdate: selectorImmutable,
  // Listed by the strategy, though apps/v1 registers no conversion that would accept the label.
  fields: (o) => ({'status.replicas': String(num(obj(o.status)?.replicas) ?? 0)}),
}

// ---------------------------------------------------------------------------------------------
// StatefulSet

const statefulSet: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => {
    const s = child(o, 'spec')
    setDefault(s, 'podManagementPolicy', 'OrderedReady')
    const update = child(s, 'updateStrategy')
    if (!str(update.type)) {
      update.type = 'RollingUpdate'
      setIfNil(update, 'rollingUpdate', {})
    }
    const rolling = obj(update.rollingUpdate)
    if (update.type === 'RollingUpdate' && rolling) {
      setIfNil(rolling, 'partition', 0)
      // MaxUnavailableStatefulSet: beta and on since 1.35.
      if (atLeast(ctx, 35)) setIfNil(rolling, 'maxUnavailable', 1)
    }
    const retention = child(s, 'persistentVolumeClaimRetentionPolicy')
    setDefault(retention, 'whenDeleted', 'Retain')
    setDefault(retention, 'whenScaled', 'Retain')
    setIfNil(s, 'replicas', 1)
    setIfNil(s, 'revisionHistoryLimit', 10)
    defaultPodTemplate(child(s, 'template'), ctx)
    if (Array.isArray(s.volumeClaimTemplates)) s.volumeClaimTemplates = objs(s.volumeClaimTemplates).map((t) => claimTemplate(t, ctx))
  },
  initialStatus: () => ({replicas: 0, availableReplicas: 0}),
  generation: true,
  statusSubresource: true,
  validateUpdate: (n, o, ctx) => {
    // Fields an update may change; revisionHistoryLimit joined them in 1.33.
    const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']
    const withHistory = atLeast(ctx, 33)
    if (withHistory) mutable.push('revisionHistoryLimit')
    const strip = (s: Obj) => Object.fromEntries(Object.entries(s).filter(([k]) => !mutable.includes(k)))
    if (semanticEqual(strip(spec(n)), strip(spec(o)))) return []
    const listed = withHistory
      ? "'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"
      : "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"
    return [forbidden(['spec'], `updates to statefulset spec for fields other than ${listed} are forbidden`)]
  },
  validateStatusUpdate: (n, o) => {
    const collisions = num(obj(n.status)?.collisionCount)
    const old = num(obj(o.status)?.collisionCount)
    if (old !== undefined && (collisions === undefined || collisions < old)) {
      return [invalid(['status', 'collisionCount'], collisions ?? 0, 'cannot be decremented')]
    }
    return []
  },
}

/**
 * A volume claim template is a whole PersistentVolumeClaim: it gets the claim defaults (so a
 * `status: {phase: Pending}`), and apps/v1 prints its apiVersion and kind.
 */
function claimTemplate(t: Obj, ctx: StrategyContext): Obj {
  // Spread first so the type fields lead, as in the apiserver's output.
  const out: Obj = {apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...t}
  out.apiVersion = 'v1'
  out.kind = 'PersistentVolumeClaim'
  templateMetadata(out, ctx)
  defaultClaimSpec(child(out, 'spec'))
  const status = child(out, 'status')
  setDefault(status, 'phase', 'Pending')
  roundResourceList(status.capacity)
  return out
}

// ---------------------------------------------------------------------------------------------
// DaemonSet

const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation'

function setTemplateGeneration(o: Obj, value: number): void {
  child(child(o, 'metadata'), 'annotations')[TEMPLATE_GENERATION] = String(value)
}

function templateGeneration(o: Obj): number {
  const v = Number(str(obj(obj(o.metadata)?.annotations)?.[TEMPLATE_GENERATION]))
  return Number.isFinite(v) ? v : 0
}

const daemonSet: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => {
    const s = child(o, 'spec')
    const update = child(s, 'updateStrategy')
    setDefault(update, 'type', 'RollingUpdate')
    if (update.type === 'RollingUpdate') {
      const rolling = child(update, 'rollingUpdate')
      setIfNil(rolling, 'maxUnavailable', 1)
      setIfNil(rolling, 'maxSurge', 0)
    }
    setIfNil(s, 'revisionHistoryLimit', 10)
    defaultPodTemplate(child(s, 'template'), ctx)
  },
  initialStatus: () => ({currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0}),
  generation: true,
  statusSubresource: true,
  // The internal templateGeneration travels in apps/v1 as an annotation.
  prepareForCreate: (o) => setTemplateGeneration(o, 1),
  prepareForUpdate: (n, o) => {
    const old = templateGeneration(o)
    const changed = !semanticEqual(spec(n).template, spec(o).template)
    setTemplateGeneration(n, changed ? old + 1 : old)
  },
  validateUpdate: selectorImmutable,
}

// ---------------------------------------------------------------------------------------------
// ControllerRevision

const controllerRevision: KindStrategy = {
  namespaced: true,
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    immutable(out, ['data'], n.data, o.data)
    return out
  },
}

export const APPS: StrategyTable = {
  'apps/Deployment': deployment,
  'apps/ReplicaSet': replicaSet,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'apps/ControllerRevision': controllerRevision,
}
