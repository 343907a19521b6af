// PodTopologySpread's shared parts: parsed constraints (matchLabelKeys merged, policy defaults),
// the system default constraints built from the Services and controller selecting a pod, and the
// per-node counts of matching pods.
import {newRequirement, selectorFromLabelSelector, selectorFromSet, type Selector} from '../../api/labels.js'
import type {LabelSelector, TopologySpreadConstraint} from '../api.js'
import type {NodeInfo} from '../node-info.js'
import type {RequiredNodeAffinity} from '../node-selector.js'
import type {PodInfo} from '../pod-info.js'
import type {Snapshot} from '../snapshot.js'
import {findUntoleratedTaint, isDoNotScheduleTaint} from '../taints.js'

export const HOSTNAME_LABEL = 'kubernetes.io/hostname'
export const ZONE_LABEL = 'topology.kubernetes.io/zone'

export interface SpreadConstraint {
  maxSkew: number
  topologyKey: string
  selector: Selector
  minDomains: number
  /** Honor: only nodes matching the pod's node affinity/selector count as domains. */
  nodeAffinityHonor: boolean
  /** Honor: nodes with taints the pod does not tolerate do not count. */
  nodeTaintsHonor: boolean
}

/** The system default constraints (DefaultingType System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  {topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3},
  {topologyKey: ZONE_LABEL, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5},
]

export interface SpreadArgs {
  /** 'System' (default) uses SYSTEM_DEFAULT_CONSTRAINTS; 'List' uses `defaultConstraints`. */
  defaultingType?: 'System' | 'List'
  defaultConstraints?: TopologySpreadConstraint[]
}

export interface SpreadConfig {
  defaults: readonly TopologySpreadConstraint[]
  systemDefaulted: boolean
}

export function spreadConfig(args: SpreadArgs = {}): SpreadConfig {
  const system = (args.defaultingType ?? 'System') === 'System'
  return {defaults: system ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints ?? [], systemDefaulted: system}
}

/** filterTopologySpreadConstraints: the constraints with one whenUnsatisfiable action, parsed. */
export function parseConstraints(constraints: readonly TopologySpreadConstraint[], podLabels: Record<string, string>, action: string): SpreadConstraint[] {
  const out: SpreadConstraint[] = []
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue
    let selector = selectorFromLabelSelector(c.labelSelector)
    const keys = (c.matchLabelKeys ?? []).filter((k) => k in podLabels)
    // The pod's own values of matchLabelKeys join the selector (a set selector first, as upstream merges).
    if (keys.length > 0 && selector.selectable()) selector = selectorFromSet({}).add(...keys.map((k) => newRequirement(k, '=', [podLabels[k]!])), ...selector.requirements())
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityHonor: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      nodeTaintsHonor: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    })
  }
  return out
}

function isMap(s: LabelSelector | Record<string, string> | null | undefined): s is Record<string, string> {
  return !!s && !('matchLabels' in s) && !('matchExpressions' in s)
}

/** helper.DefaultSelector: Services selecting the pod, merged with its controlling RC/RS/StatefulSet's selector. */
export function defaultSelector(snapshot: Snapshot, pod: PodInfo): Selector {
  let set: Record<string, string> = {}
  for (const svc of snapshot.services(pod.namespace)) {
    const sel = svc.spec?.selector
    if (!sel || !isMap(sel)) continue
    if (selectorFromSet(sel).matches(pod.labels)) set = {...set, ...sel}
  }
  let selector = selectorFromSet(set)
  const owner = (pod.pod.metadata.ownerReferences ?? []).find((o) => o.controller)
  if (!owner) return selector
  const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : ''
  if (owner.kind === 'ReplicationController' && group === '') {
    const rc = snapshot.controller('ReplicationController', pod.namespace, owner.name)
    const sel = rc?.spec?.selector
    if (rc && isMap(sel)) selector = selectorFromSet({...set, ...sel})
    else if (rc) selector = selectorFromSet(set)
  } else if ((owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet') && group === 'apps') {
    const w = snapshot.controller(owner.kind, pod.namespace, owner.name)
    const sel = w?.spec?.selector
    if (w && sel && !isMap(sel)) {
      try {
        const other = selectorFromLabelSelector(sel)
        if (other.selectable()) selector = selector.add(...other.requirements())
      } catch {
        // An invalid controller selector adds nothing, as upstream ignores the error.
      }
    }
  }
  return selector
}

/** buildDefaultConstraints: the profile's defaults with the pod's default selector, if it has one. */
export function defaultConstraints(config: SpreadConfig, snapshot: Snapshot, pod: PodInfo, action: string): SpreadConstraint[] {
  const constraints = parseConstraints(config.defaults, pod.labels, action)
  if (constraints.length === 0) return []
  const selector = defaultSelector(snapshot, pod)
  if (selector.empty()) return []
  return constraints.map((c) => ({...c, selector}))
}

/** The pod's own constraints with that action, or the defaults when it has none at all. */
export function constraintsFor(config: SpreadConfig, snapshot: Snapshot, pod: PodInfo, action: string): SpreadConstraint[] {
  const own = pod.pod.spec?.topologySpreadConstraints ?? []
  return own.length > 0 ? parseConstraints(own, pod.labels, action) : defaultConstraints(config, snapshot, pod, action)
}

export function nodeHasAllKeys(labels: Record<string, string>, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (!(c.topologyKey in labels)) return false
  return true
}

/** matchNodeInclusionPolicies: whether the node counts as a domain for this constraint. */
export function includesNode(c: SpreadConstraint, pod: PodInfo, nodeInfo: NodeInfo, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityHonor && required.present && !required.matches(nodeInfo.node)) return false
  if (c.nodeTaintsHonor && findUntoleratedTaint(nodeInfo.taints, pod.tolerations, isDoNotScheduleTaint)) return false
  return true
}

function selectorKey(s: Selector): string {
  return s.selectable() ? s.toString() : '<none>'
}

/**
 * countPodsMatchSelector for every node: pods of the namespace, not terminating, matching the
 * selector. An empty selector counts nothing, as upstream.
 */
export function spreadCounts(snapshot: Snapshot, namespace: string, selector: Selector): Int32Array | null {
  if (selector.empty()) return null
  return snapshot.counts(`spread|${namespace}|${selectorKey(selector)}`, (p) => p.namespace === namespace && !p.terminating && selector.matches(p.labels))
}
