// PodTopologySpread's PreFilter/Filter: per topology domain, how many pods match each DoNotSchedule
// constraint, and whether placing the pod on a node keeps every skew within maxSkew.
import type {CycleState, StateData} from '../cycle-state.js'
import type {NodeInfo} from '../node-info.js'
import {requiredNodeAffinity} from '../node-selector.js'
import type {PodInfo} from '../pod-info.js'
import type {Snapshot} from '../snapshot.js'
import {Status, type MaybeStatus} from '../status.js'
import {PluginNames} from './names.js'
import {includesNode, nodeHasAllKeys, spreadCounts, type SpreadConstraint} from './spread-constraints.js'

const NAME = PluginNames.PodTopologySpread
export const PRE_FILTER_KEY = `PreFilter${NAME}`
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`

const MAX_INT32 = 2 ** 31 - 1

/** The two smallest match counts of a topology key (criticalPaths): [0] is always the minimum. */
export class CriticalPaths {
  v0 = ''
  n0 = MAX_INT32
  v1 = ''
  n1 = MAX_INT32

  update(value: string, num: number): void {
    if (value === this.v0 || value === this.v1) {
      if (value === this.v0) this.n0 = num
      else this.n1 = num
      if (this.n0 > this.n1) {
        ;[this.v0, this.n0, this.v1, this.n1] = [this.v1, this.n1, this.v0, this.n0]
      }
    } else if (num < this.n0) {
      this.v1 = this.v0
      this.n1 = this.n0
      this.v0 = value
      this.n0 = num
    } else if (num < this.n1) {
      this.v1 = value
      this.n1 = num
    }
  }

  clone(): CriticalPaths {
    return Object.assign(new CriticalPaths(), this)
  }
}

export class SpreadFilterState implements StateData {
  constructor(
    readonly constraints: SpreadConstraint[],
    /** Matching pods per topology key and value (TpPairToMatchNum). */
    readonly pairCounts: Map<string, Map<string, number>>,
    readonly paths: Map<string, CriticalPaths>,
    /** Number of eligible domains per topology key (for minDomains). */
    readonly domainsNum: Map<string, number>,
  ) {}

  clone(): SpreadFilterState {
    const counts = new Map<string, Map<string, number>>()
    for (const [k, m] of this.pairCounts) counts.set(k, new Map(m))
    const paths = new Map<string, CriticalPaths>()
    for (const [k, p] of this.paths) paths.set(k, p.clone())
    return new SpreadFilterState(this.constraints, counts, paths, this.domainsNum)
  }

  /** minMatchNum: the global minimum, taken as 0 while there are fewer domains than minDomains. */
  minMatchNum(key: string, minDomains: number): number {
    if ((this.domainsNum.get(key) ?? 0) < minDomains) return 0
    return this.paths.get(key)?.n0 ?? 0
  }
}

/** calPreFilterState over every node of the snapshot, with per-node counts from the snapshot's tallies. */
export function computeFilterState(snapshot: Snapshot, pod: PodInfo, constraints: SpreadConstraint[]): SpreadFilterState {
  const required = requiredNodeAffinity(pod.pod)
  const keys = [...new Set(constraints.map((c) => c.topologyKey))]
  const keyOf = constraints.map((c) => keys.indexOf(c.topologyKey))
  const domains = keys.map((k) => snapshot.domains(k))
  const sums = domains.map((d) => new Float64Array(d.values.length))
  const present = domains.map((d) => new Uint8Array(d.values.length))
  const counts = constraints.map((c) => spreadCounts(snapshot, pod.namespace, c.selector))
  const perNodeCheck = constraints.some((c) => (c.nodeAffinityHonor && required.present) || c.nodeTaintsHonor)
  const nodes = snapshot.nodesByIndex()
  const ofNode = domains.map((d) => d.ofNode)
  if (!perNodeCheck) {
    // Every node counts for every constraint: the last constraint of each key gives its count.
    const last = keys.map((k) => counts[constraints.map((c) => c.topologyKey).lastIndexOf(k)] ?? null)
    nodes: for (let i = 0; i < nodes.length; i++) {
      for (let k = 0; k < keys.length; k++) if (ofNode[k]![i]! < 0) continue nodes
      for (let k = 0; k < keys.length; k++) {
        const d = ofNode[k]![i]!
        const c = last[k]
        if (c) sums[k]![d]! += c[i]!
        present[k]![d] = 1
      }
    }
  } else {
    const value = new Float64Array(keys.length)
    const set = new Uint8Array(keys.length)
    nodes: for (let i = 0; i < nodes.length; i++) {
      for (let k = 0; k < keys.length; k++) if (ofNode[k]![i]! < 0) continue nodes
      set.fill(0)
      for (let j = 0; j < constraints.length; j++) {
        if (!includesNode(constraints[j]!, pod, nodes[i]!, required)) continue
        // Upstream keeps one count per (key, value) and node: a later constraint on the same key wins.
        value[keyOf[j]!] = counts[j] ? counts[j]![i]! : 0
        set[keyOf[j]!] = 1
      }
      for (let k = 0; k < keys.length; k++) {
        if (!set[k]) continue
        const d = ofNode[k]![i]!
        sums[k]![d]! += value[k]!
        present[k]![d] = 1
      }
    }
  }
  const pairCounts = new Map<string, Map<string, number>>()
  const paths = new Map<string, CriticalPaths>()
  const domainsNum = new Map<string, number>()
  keys.forEach((k, ki) => {
    const m = new Map<string, number>()
    const p = new CriticalPaths()
    domains[ki]!.values.forEach((v, d) => {
      if (!present[ki]![d]) return
      m.set(v, sums[ki]![d]!)
      p.update(v, sums[ki]![d]!)
    })
    pairCounts.set(k, m)
    paths.set(k, p)
    domainsNum.set(k, m.size)
  })
  return new SpreadFilterState(constraints, pairCounts, paths, domainsNum)
}

const LABEL_MISSING = new Status('UnschedulableAndUnresolvable', [ERR_REASON_NODE_LABEL_NOT_MATCH], NAME)
const SKEW_TOO_BIG = new Status('Unschedulable', [ERR_REASON_CONSTRAINTS_NOT_MATCH], NAME)

/** Filter: `matching pods in the node's domain + (1 if the pod matches) - global minimum <= maxSkew`. */
export function spreadFilter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
  const s = state.read<SpreadFilterState>(PRE_FILTER_KEY)
  if (!s || s.constraints.length === 0) return null
  for (const c of s.constraints) {
    const tpVal = nodeInfo.labels[c.topologyKey]
    if (tpVal === undefined) return LABEL_MISSING
    const self = c.selector.matches(pod.labels) ? 1 : 0
    const matchNum = s.pairCounts.get(c.topologyKey)?.get(tpVal) ?? 0
    if (matchNum + self - s.minMatchNum(c.topologyKey, c.minDomains) > c.maxSkew) return SKEW_TOO_BIG
  }
  return null
}

/** AddPod/RemovePod: adjust the counts as if `other` were added to / removed from the node. */
export function updateWithPod(state: CycleState, other: PodInfo, preemptor: PodInfo, nodeInfo: NodeInfo, delta: number): MaybeStatus {
  const s = state.read<SpreadFilterState>(PRE_FILTER_KEY)
  if (!s || s.constraints.length === 0 || other.namespace !== preemptor.namespace) return null
  if (!nodeHasAllKeys(nodeInfo.labels, s.constraints)) return null
  const required = requiredNodeAffinity(preemptor.pod)
  for (const c of s.constraints) {
    if (!c.selector.matches(other.labels)) continue
    if (!includesNode(c, preemptor, nodeInfo, required)) continue
    const k = c.topologyKey
    const v = nodeInfo.labels[k]!
    let m = s.pairCounts.get(k)
    if (!m) s.pairCounts.set(k, (m = new Map()))
    const n = (m.get(v) ?? 0) + delta
    m.set(v, n)
    s.paths.get(k)?.update(v, n)
  }
  return null
}
