// PodTopologySpread's PreScore/Score: for ScheduleAnyway constraints (or the system defaults), the
// fewer matching pods a node's domains hold, the better; log-weighted so small topologies count.
import {MAX_NODE_SCORE} from '../framework.js'
import type {StateData} from '../cycle-state.js'
import type {NodeInfo} from '../node-info.js'
import {requiredNodeAffinity} from '../node-selector.js'
import type {PodInfo} from '../pod-info.js'
import type {Snapshot} from '../snapshot.js'
import {HOSTNAME_LABEL, includesNode, nodeHasAllKeys, spreadCounts, type SpreadConstraint} from './spread-constraints.js'

export class SpreadScoreState implements StateData {
  constructor(
    readonly constraints: SpreadConstraint[],
    /** Nodes lacking a constraint's topology key: scored 0. */
    readonly ignored: Set<string>,
    /** Per constraint: matching pods per topology value (hostname constraints count per node at Score). */
    readonly counts: Map<string, number>[],
    readonly hostCounts: (Int32Array | null)[],
    readonly weights: number[],
  ) {}

  clone(): StateData {
    return this
  }
}

/** topologyNormalizingWeight: log(size + 2), so 5k single-node domains weigh ~8.5 and one zone ~1.1. */
function normalizingWeight(size: number): number {
  return Math.log(size + 2)
}

export function computeScoreState(snapshot: Snapshot, pod: PodInfo, constraints: SpreadConstraint[], filtered: readonly NodeInfo[], requireAll: boolean): SpreadScoreState {
  const ignored = new Set<string>()
  const counts = constraints.map(() => new Map<string, number>())
  for (const n of filtered) {
    if (requireAll && !nodeHasAllKeys(n.labels, constraints)) {
      ignored.add(n.name)
      continue
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === HOSTNAME_LABEL) return
      const v = n.labels[c.topologyKey] ?? ''
      if (!counts[i]!.has(v)) counts[i]!.set(v, 0)
    })
  }
  const weights = constraints.map((c, i) => normalizingWeight(c.topologyKey === HOSTNAME_LABEL ? filtered.length - ignored.size : counts[i]!.size))
  const required = requiredNodeAffinity(pod.pod)
  const nodes = snapshot.nodesByIndex()
  const hostCounts = constraints.map((c) => (c.topologyKey === HOSTNAME_LABEL ? spreadCounts(snapshot, pod.namespace, c.selector) : null))
  constraints.forEach((c, ci) => {
    if (c.topologyKey === HOSTNAME_LABEL || counts[ci]!.size === 0) return
    const perNode = spreadCounts(snapshot, pod.namespace, c.selector)
    if (!perNode) return
    const d = snapshot.domains(c.topologyKey)
    // Slot values.length collects nodes without the label (only counted when topologies are not all required).
    const sums = new Float64Array(d.values.length + 1)
    const perNodeCheck = (c.nodeAffinityHonor && required.present) || c.nodeTaintsHonor
    for (let i = 0; i < nodes.length; i++) {
      const cnt = perNode[i]!
      if (cnt === 0) continue
      const n = nodes[i]!
      if (requireAll && !nodeHasAllKeys(n.labels, constraints)) continue
      if (perNodeCheck && !includesNode(c, pod, n, required)) continue
      const di = d.ofNode[i]!
      sums[di < 0 ? d.values.length : di]! += cnt
    }
    for (const v of counts[ci]!.keys()) {
      // Upstream reads a missing label as "": those nodes share the domain of an empty value.
      const di = d.index.get(v)
      counts[ci]!.set(v, (di === undefined ? 0 : sums[di]!) + (v === '' ? sums[d.values.length]! : 0))
    }
  })
  return new SpreadScoreState(constraints, ignored, counts, hostCounts, weights)
}

export function spreadScore(s: SpreadScoreState, nodeInfo: NodeInfo): number {
  if (s.ignored.has(nodeInfo.name)) return 0
  let score = 0
  s.constraints.forEach((c, i) => {
    const v = nodeInfo.labels[c.topologyKey]
    if (v === undefined) return
    const cnt = c.topologyKey === HOSTNAME_LABEL ? s.hostCounts[i]?.[nodeInfo.index] ?? 0 : s.counts[i]!.get(v) ?? 0
    score += cnt * s.weights[i]! + (c.maxSkew - 1)
  })
  return Math.round(score)
}

/** NormalizeScore: the node with the fewest matches gets 100; ignored nodes get 0. */
export function spreadNormalize(s: SpreadScoreState, scores: Float64Array, nodes: readonly NodeInfo[]): void {
  let min = Number.MAX_SAFE_INTEGER
  let max = 0
  const skip = new Uint8Array(scores.length)
  for (let i = 0; i < scores.length; i++) {
    if (s.ignored.has(nodes[i]!.name)) {
      skip[i] = 1
      continue
    }
    min = Math.min(min, scores[i]!)
    max = Math.max(max, scores[i]!)
  }
  for (let i = 0; i < scores.length; i++) {
    if (skip[i]) scores[i] = 0
    else if (max === 0) scores[i] = MAX_NODE_SCORE
    else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max)
  }
}
