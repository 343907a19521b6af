// InterPodAffinity's PreScore/Score: weights of preferred (anti-)affinity terms — the incoming pod's
// against existing pods and existing pods' (including required affinity, at hardPodAffinityWeight)
// against the incoming pod — summed per topology pair, then normalized between min and max.
import {MAX_NODE_SCORE} from '../framework.js'
import type {StateData} from '../cycle-state.js'
import type {NodeInfo} from '../node-info.js'
import {termMatches, type PodInfo} from '../pod-info.js'
import type {Snapshot} from '../snapshot.js'
import {addByDomain, mergeNamespaces, termCounts} from './affinity-terms.js'

export class AffinityScoreState implements StateData {
  /** topologyKey → value → summed weight. */
  constructor(readonly topologyScore: Map<string, Map<string, number>>) {}

  clone(): StateData {
    return this
  }
}

export interface AffinityScoreArgs {
  hardPodAffinityWeight: number
  ignorePreferredTermsOfExistingPods: boolean
}

/** Null when no term contributes anything (PreScore then skips the plugin). */
export function computeAffinityScoreState(snapshot: Snapshot, pod: PodInfo, args: AffinityScoreArgs): AffinityScoreState | null {
  const hasConstraints = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0
  if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return null
  const topologyScore = new Map<string, Map<string, number>>()
  const adder = (key: string) => {
    let m = topologyScore.get(key)
    return (value: string, amount: number) => {
      if (!m) topologyScore.set(key, (m = new Map()))
      m.set(value, (m.get(value) ?? 0) + amount)
    }
  }
  const nsLabels = snapshot.namespaceLabelsOf(pod.namespace)
  // The incoming pod's preferred terms, against every placed pod.
  for (const raw of pod.preferredAffinityTerms) {
    const t = mergeNamespaces(snapshot, raw)
    addByDomain(snapshot, t.topologyKey, termCounts(snapshot, t), t.weight, adder(t.topologyKey))
  }
  for (const raw of pod.preferredAntiAffinityTerms) {
    const t = mergeNamespaces(snapshot, raw)
    addByDomain(snapshot, t.topologyKey, termCounts(snapshot, t), -t.weight, adder(t.topologyKey))
  }
  // Placed pods' terms, against the incoming pod.
  if (!args.ignorePreferredTermsOfExistingPods || hasConstraints) {
    for (const g of snapshot.termGroups()) {
      let factor = 0
      if (g.kind === 'requiredAffinity') factor = args.hardPodAffinityWeight
      else if (g.kind === 'preferredAffinity') factor = g.weight
      else if (g.kind === 'preferredAntiAffinity') factor = -g.weight
      if (factor === 0 || !termMatches(g.term, pod, nsLabels)) continue
      addByDomain(snapshot, g.term.topologyKey, g.counts, factor, adder(g.term.topologyKey))
    }
  }
  return topologyScore.size === 0 ? null : new AffinityScoreState(topologyScore)
}

export function affinityScore(s: AffinityScoreState, nodeInfo: NodeInfo): number {
  let score = 0
  for (const [key, values] of s.topologyScore) {
    const v = nodeInfo.labels[key]
    if (v !== undefined) score += values.get(v) ?? 0
  }
  return score
}

/** NormalizeScore: (score - min) / (max - min) × 100, all 0 when every node scored the same. */
export function affinityNormalize(scores: Float64Array): void {
  let min = Infinity
  let max = -Infinity
  for (const s of scores) {
    if (s > max) max = s
    if (s < min) min = s
  }
  const diff = max - min
  for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0
}
