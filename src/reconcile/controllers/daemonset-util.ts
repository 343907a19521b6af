// Pure helpers of the DaemonSet controller (pkg/controller/daemon and its util package): which nodes
// should run a daemon pod (the scheduler library's node affinity and taint matching over the pod the
// DaemonSet would create), the tolerations every daemon pod gets, the node-pinning affinity, the
// labels that say which revision a pod runs, rolling-update budgets, the ControllerRevision payload,
// and the back-off that keeps the controller from fighting a kubelet that keeps failing its pods.
import type {Obj} from '../../apiserver/types.js'
import {RequiredNodeAffinity} from '../../scheduler/node-selector.js'
import {findUntoleratedTaint} from '../../scheduler/taints.js'
import type {Node, Pod, Taint, Toleration} from '../../scheduler/api.js'
import {isPodReady, podReadySince} from './pods.js'
import {canonicalJson, scaledValue} from './deployment-util.js'

/** apps.DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey). */
export const REVISION_HASH_LABEL = 'controller-revision-hash'
/** extensions.DaemonSetTemplateGenerationKey. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation'
/** apps.DeprecatedTemplateGeneration: the apiserver keeps the template generation here. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation'

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

export function labelsOf(o: Obj): Record<string, string> {
  return (meta(o).labels ?? {}) as Record<string, string>
}

// ---------------------------------------------------------------------------------------------
// Tolerations and node pinning

/** The tolerations AddOrUpdateDaemonPodTolerations adds, in its order (network-unavailable only with hostNetwork). */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: string): Toleration => ({key, operator: 'Exists', effect})
  const out = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ]
  if (hostNetwork) out.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'))
  return out
}

/** Toleration.MatchToleration: same key, effect, operator and value (tolerationSeconds aside). */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.effect ?? '') === (b.effect ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '')
}

/**
 * AddOrUpdateTolerationInPodSpec for each daemon toleration: a matching toleration is replaced (so a
 * user's `not-ready` toleration with tolerationSeconds becomes the infinite one), others appended.
 */
export function withDaemonTolerations(podSpec: Obj): Toleration[] {
  let out = [...((podSpec.tolerations ?? []) as Toleration[])]
  for (const t of daemonPodTolerations(podSpec.hostNetwork === true)) {
    if (out.some((x) => sameToleration(x, t))) out = out.map((x) => (sameToleration(x, t) ? t : x))
    else out.push(t)
  }
  return out
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes one term
 * `matchFields metadata.name In [node]` (every other required term is dropped, as upstream does);
 * preferred terms and pod (anti-)affinity stay.
 */
export function pinToNode(affinity: Obj | undefined, nodeName: string): Obj {
  const required = {nodeSelectorTerms: [{matchFields: [{key: 'metadata.name', operator: 'In', values: [nodeName]}]}]}
  const out = structuredClone(affinity ?? {})
  const na = (out.nodeAffinity ??= {}) as Obj
  na.requiredDuringSchedulingIgnoredDuringExecution = required
  return out
}

/** GetTargetNodeName: spec.nodeName, or (not yet scheduled) the node the affinity pins it to. */
export function targetNodeName(pod: Obj): string | undefined {
  const nodeName = spec(pod).nodeName
  if (typeof nodeName === 'string' && nodeName) return nodeName
  const affinity = spec(pod).affinity as Obj | undefined
  const terms = ((((affinity?.nodeAffinity as Obj | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as Obj | undefined)?.nodeSelectorTerms ?? []) as Obj[])
  for (const term of terms) {
    for (const f of (term.matchFields ?? []) as Obj[]) {
      if (f.key !== 'metadata.name' || f.operator !== 'In') continue
      const values = (f.values ?? []) as string[]
      return values.length === 1 ? values[0] : undefined
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Which nodes should run a daemon pod

export interface NodeVerdict {
  /** The node should run a daemon pod (when it has none). */
  shouldRun: boolean
  /** A daemon pod already on the node may stay (its NoExecute taints are tolerated). */
  shouldContinueRunning: boolean
}

/**
 * NodeShouldRunDaemonPod for one DaemonSet over many nodes: the pod the DaemonSet would create (its
 * template plus the daemon tolerations) is built once; each node is judged by the scheduler's
 * RequiredNodeAffinity (nodeSelector + required node affinity) and taint matching.
 */
export class DaemonPlacement {
  private readonly templateNodeName: string
  private readonly affinity: RequiredNodeAffinity
  readonly tolerations: Toleration[]

  constructor(ds: Obj) {
    const template = (spec(ds).template ?? {}) as Obj
    const podSpec = (template.spec ?? {}) as Obj
    this.templateNodeName = typeof podSpec.nodeName === 'string' ? podSpec.nodeName : ''
    this.tolerations = withDaemonTolerations(podSpec)
    const pod: Pod = {metadata: (template.metadata ?? {}) as Pod['metadata'], spec: {...(podSpec as Pod['spec']), tolerations: this.tolerations}}
    this.affinity = new RequiredNodeAffinity(pod)
  }

  verdict(node: Obj): NodeVerdict {
    const no = {shouldRun: false, shouldContinueRunning: false}
    const name = String(meta(node).name)
    if (this.templateNodeName && this.templateNodeName !== name) return no
    if (!this.affinity.matches(node as unknown as Node)) return no
    const taints = (spec(node).taints ?? []) as Taint[]
    if (!findUntoleratedTaint(taints, this.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) return {shouldRun: true, shouldContinueRunning: true}
    // Pods already there stay while their NoExecute taints are tolerated.
    return {shouldRun: false, shouldContinueRunning: !findUntoleratedTaint(taints, this.tolerations, (t) => t.effect === 'NoExecute')}
  }
}

// ---------------------------------------------------------------------------------------------
// Revisions, generations, budgets

/** GetTemplateGeneration: the apiserver-kept annotation, undefined when missing or not a number. */
export function templateGeneration(ds: Obj): number | undefined {
  const v = ((meta(ds).annotations ?? {}) as Record<string, string>)[TEMPLATE_GENERATION_ANNOTATION]
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined
  return Number(v)
}

/** IsPodUpdated: the pod carries the current revision's hash or the current template generation. */
export function isPodUpdated(pod: Obj, hash: string, generation: number | undefined): boolean {
  const labels = labelsOf(pod)
  return (hash !== '' && labels[REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation))
}

/** IsPodAvailable: ready for longer than minReadySeconds (strictly, as metav1.Time.Before). */
export function isPodAvailable(pod: Obj, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false
  if (minReadySeconds <= 0) return true
  const since = podReadySince(pod)
  return since !== undefined && since + minReadySeconds * 1000 < now
}

function rollingUpdate(ds: Obj): Obj | undefined {
  const strategy = (spec(ds).updateStrategy ?? {}) as Obj
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return undefined
  return (strategy.rollingUpdate ?? undefined) as Obj | undefined
}

/** UnavailableCount: maxUnavailable scaled to the nodes that should run a pod, rounding up. */
export function unavailableCount(ds: Obj, desired: number): number {
  const r = rollingUpdate(ds)
  return r ? scaledValue(r.maxUnavailable, desired, true) : 0
}

/** SurgeCount: maxSurge scaled the same way (0 when unset or not RollingUpdate). */
export function surgeCount(ds: Obj, desired: number): number {
  const r = rollingUpdate(ds)
  return r && r.maxSurge !== undefined && r.maxSurge !== null ? scaledValue(r.maxSurge, desired, true) : 0
}

/** AllowsSurge: more than one pod per node may run during an update. */
export function allowsSurge(ds: Obj): boolean {
  try {
    return surgeCount(ds, 1) > 0
  } catch {
    return false
  }
}

/**
 * getPatch: what a DaemonSet's ControllerRevision holds and what decides whether a revision matches
 * the DaemonSet: a strategic merge patch replacing spec.template.
 */
export function revisionData(ds: Obj): Obj {
  return {spec: {template: {...structuredClone((spec(ds).template ?? {}) as Obj), $patch: 'replace'}}}
}

export function revisionMatches(ds: Obj, revision: Obj): boolean {
  return canonicalJson(revisionData(ds)) === canonicalJson(revision.data ?? null)
}

/** podByCreationTimestampAndPhase: scheduled pods first, then older first, then by name. */
export function byCreationAndPhase(a: Obj, b: Obj): number {
  const sa = spec(a).nodeName ? 0 : 1, sb = spec(b).nodeName ? 0 : 1
  if (sa !== sb) return sa - sb
  const ta = Date.parse(String(meta(a).creationTimestamp ?? '')) || 0, tb = Date.parse(String(meta(b).creationTimestamp ?? '')) || 0
  if (ta !== tb) return ta - tb
  return String(meta(a).name) < String(meta(b).name) ? -1 : String(meta(a).name) > String(meta(b).name) ? 1 : 0
}

/**
 * findUpdatedPodsOnNode: the node's (not deleted) pod of the current revision and its older one;
 * `ok` is false when there are two of either kind (the manage loop trims those first).
 */
export function updatedPodsOnNode(pods: readonly Obj[], hash: string, generation: number | undefined): {newPod?: Obj; oldPod?: Obj; ok: boolean} {
  let newPod: Obj | undefined, oldPod: Obj | undefined
  for (const p of pods) {
    if (meta(p).deletionTimestamp) continue
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return {ok: false}
      newPod = p
    } else {
      if (oldPod) return {ok: false}
      oldPod = p
    }
  }
  return {newPod, oldPod, ok: true}
}

// ---------------------------------------------------------------------------------------------
// Failed pods back-off

const BACKOFF_INITIAL_MS = 1000
const BACKOFF_MAX_MS = 15 * 60 * 1000

/**
 * flowcontrol.Backoff as the controller configures it (1 s doubling to 15 min, no jitter): how long
 * to leave a node alone after deleting a failed daemon pod there. An entry idle for twice the
 * maximum is forgotten.
 */
export class FailedPodsBackoff {
  private readonly entries = new Map<string, {backoffMs: number; lastUpdate: number}>()

  private expired(now: number, lastUpdate: number): boolean {
    return now - lastUpdate > 2 * BACKOFF_MAX_MS
  }

  inBackoff(key: string, now: number): boolean {
    const e = this.entries.get(key)
    if (!e || this.expired(now, e.lastUpdate)) return false
    return now - e.lastUpdate < e.backoffMs
  }

  /** The current delay of a key (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0
  }

  next(key: string, now: number): void {
    const e = this.entries.get(key)
    if (!e || this.expired(now, e.lastUpdate)) this.entries.set(key, {backoffMs: BACKOFF_INITIAL_MS, lastUpdate: now})
    else this.entries.set(key, {backoffMs: Math.min(e.backoffMs * 2, BACKOFF_MAX_MS), lastUpdate: now})
    if (this.entries.size > 4096) for (const [k, v] of this.entries) if (this.expired(now, v.lastUpdate)) this.entries.delete(k)
  }
}
