// InterPodAffinity's PreFilter/Filter: counts, per topology pair, existing pods whose anti-affinity
// rejects the incoming pod and pods matching its required (anti-)affinity, then checks each node.
import type {CycleState, StateData} from '../cycle-state.js'
import type {NodeInfo} from '../node-info.js'
import {termMatches, type AffinityTerm, type PodInfo} from '../pod-info.js'
import type {Snapshot} from '../snapshot.js'
import {Status, type MaybeStatus} from '../status.js'
import {PairCounts, addByDomain, allTermsCounts, mergeNamespaces, podMatchesAllTerms, termCounts} from './affinity-terms.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.InterPodAffinity
export const PRE_FILTER_KEY = `PreFilter${NAME}`
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules"
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"

export class AffinityFilterState implements StateData {
  constructor(
    /** Pairs where existing pods' required anti-affinity matches the incoming pod. */
    readonly existingAnti: PairCounts,
    /** Pairs holding pods that match all the incoming pod's required affinity terms. */
    readonly affinity: PairCounts,
    /** Pairs holding pods that match the incoming pod's required anti-affinity terms. */
    readonly anti: PairCounts,
    readonly affinityTerms: AffinityTerm[],
    readonly antiTerms: AffinityTerm[],
    readonly pod: PodInfo,
    readonly nsLabels: Record<string, string> | null,
  ) {}

  clone(): AffinityFilterState {
    return new AffinityFilterState(this.existingAnti.clone(), this.affinity.clone(), this.anti.clone(), this.affinityTerms, this.antiTerms, this.pod, this.nsLabels)
  }
}

function bump(m: PairCounts, labels: Record<string, string>, key: string, delta: number): void {
  const v = labels[key]
  if (v !== undefined) m.add(key, v, delta)
}

/** Null when nothing can reject the pod (no required terms, no existing anti-affinity that matches it). */
export function computeAffinityFilterState(snapshot: Snapshot, pod: PodInfo): AffinityFilterState | null {
  const affinityTerms = pod.requiredAffinityTerms.map((t) => mergeNamespaces(snapshot, t))
  const antiTerms = pod.requiredAntiAffinityTerms.map((t) => mergeNamespaces(snapshot, t))
  const nsLabels = snapshot.namespaceLabelsOf(pod.namespace)
  const add = (m: PairCounts, key: string) => (value: string, amount: number) => m.add(key, value, amount)
  const existingAnti = new PairCounts()
  for (const g of snapshot.termGroups()) {
    if (g.kind !== 'requiredAntiAffinity' || !termMatches(g.term, pod, nsLabels)) continue
    addByDomain(snapshot, g.term.topologyKey, g.counts, 1, add(existingAnti, g.term.topologyKey))
  }
  const affinity = new PairCounts()
  const anti = new PairCounts()
  if (affinityTerms.length > 0) {
    const counts = allTermsCounts(snapshot, affinityTerms)
    for (const t of affinityTerms) addByDomain(snapshot, t.topologyKey, counts, 1, add(affinity, t.topologyKey))
  }
  for (const t of antiTerms) addByDomain(snapshot, t.topologyKey, termCounts(snapshot, t), 1, add(anti, t.topologyKey))
  if (existingAnti.size === 0 && affinityTerms.length === 0 && antiTerms.length === 0) return null
  return new AffinityFilterState(existingAnti, affinity, anti, affinityTerms, antiTerms, pod, nsLabels)
}

function satisfiesAffinity(s: AffinityFilterState, labels: Record<string, string>): boolean {
  let podsExist = true
  for (const t of s.affinityTerms) {
    const v = labels[t.topologyKey]
    // All topology labels must exist on the node.
    if (v === undefined) return false
    if (s.affinity.get(t.topologyKey, v) <= 0) podsExist = false
  }
  if (podsExist) return true
  // The first pod of a group with affinity to itself: allowed when nothing else matches yet.
  return s.affinity.size === 0 && podMatchesAllTerms(s.affinityTerms, s.pod)
}

function satisfiesAntiAffinity(s: AffinityFilterState, labels: Record<string, string>): boolean {
  if (s.anti.size === 0) return true
  for (const t of s.antiTerms) {
    const v = labels[t.topologyKey]
    if (v !== undefined && s.anti.get(t.topologyKey, v) > 0) return false
  }
  return true
}

function satisfiesExistingAntiAffinity(s: AffinityFilterState, labels: Record<string, string>): boolean {
  return s.existingAnti.size === 0 || !s.existingAnti.anyPositive(labels)
}

// Statuses are never changed once made, so every rejected node can share one.
const AFFINITY_REJECTED = new Status('UnschedulableAndUnresolvable', [ERR_REASON_AFFINITY], NAME)
const ANTI_AFFINITY_REJECTED = new Status('Unschedulable', [ERR_REASON_ANTI_AFFINITY], NAME)
const EXISTING_ANTI_AFFINITY_REJECTED = new Status('Unschedulable', [ERR_REASON_EXISTING_ANTI_AFFINITY], NAME)

export function affinityFilter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
  const s = state.read<AffinityFilterState>(PRE_FILTER_KEY)
  if (!s) return null
  const labels = nodeInfo.labels
  if (!satisfiesAffinity(s, labels)) return AFFINITY_REJECTED
  if (!satisfiesAntiAffinity(s, labels)) return ANTI_AFFINITY_REJECTED
  if (!satisfiesExistingAntiAffinity(s, labels)) return EXISTING_ANTI_AFFINITY_REJECTED
  return null
}

/** AddPod/RemovePod: the counts as if `other` were added to / removed from the node. */
export function updateAffinityState(state: CycleState, other: PodInfo, nodeInfo: NodeInfo, delta: number): MaybeStatus {
  const s = state.read<AffinityFilterState>(PRE_FILTER_KEY)
  if (!s) return null
  const labels = nodeInfo.labels
  for (const t of other.requiredAntiAffinityTerms) if (termMatches(t, s.pod, s.nsLabels)) bump(s.existingAnti, labels, t.topologyKey, delta)
  if (podMatchesAllTerms(s.affinityTerms, other)) for (const t of s.affinityTerms) bump(s.affinity, labels, t.topologyKey, delta)
  for (const t of s.antiTerms) if (termMatches(t, other, null)) bump(s.anti, labels, t.topologyKey, delta)
  return null
}
