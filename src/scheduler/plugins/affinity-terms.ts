// InterPodAffinity's shared parts: topology pair keys, namespaceSelector merging and the
// aggregation of per-node pod counts into (topology key, value) pairs.
import {nothing} from '../../api/labels.js'
import {affinityTermKey, termMatches, type AffinityTerm, type PodInfo} from '../pod-info.js'
import type {Snapshot} from '../snapshot.js'

/** topologyToMatchedTermCount: counts by (topology key, value), nested so lookups build no strings. */
export class PairCounts {
  private readonly byKey = new Map<string, Map<string, number>>()
  /** Number of pairs with a non-zero count. */
  size = 0

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0
  }

  /** Adds `delta`; a pair that comes back to zero is dropped, as upstream deletes it. */
  add(key: string, value: string, delta: number): void {
    let m = this.byKey.get(key)
    if (!m) this.byKey.set(key, (m = new Map()))
    const before = m.get(value)
    const n = (before ?? 0) + delta
    if (n === 0) {
      if (before !== undefined) {
        m.delete(value)
        this.size--
      }
    } else {
      if (before === undefined) this.size++
      m.set(value, n)
    }
  }

  /** Whether any of the node's labels is a pair with a positive count. */
  anyPositive(labels: Record<string, string>): boolean {
    for (const [key, m] of this.byKey) {
      const v = labels[key]
      if (v !== undefined && (m.get(v) ?? 0) > 0) return true
    }
    return false
  }

  clone(): PairCounts {
    const c = new PairCounts()
    for (const [k, m] of this.byKey) c.byKey.set(k, new Map(m))
    c.size = this.size
    return c
  }
}

/** mergeAffinityTermNamespacesIfNotEmpty: a namespaceSelector becomes the namespaces it selects now. */
export function mergeNamespaces<T extends AffinityTerm>(snapshot: Snapshot, t: T): T {
  if (t.nsSelector.empty() || !t.nsSelector.selectable()) return t
  const namespaces = new Set(t.namespaces)
  for (const n of snapshot.namespacesMatching((l) => t.nsSelector.matches(l))) namespaces.add(n)
  return {...t, namespaces, nsSelector: nothing(), key: affinityTermKey(namespaces, nothing(), t.selector, t.topologyKey)}
}

/** True when the pod matches every term (and there is at least one). */
export function podMatchesAllTerms(terms: readonly AffinityTerm[], pod: PodInfo): boolean {
  if (terms.length === 0) return false
  for (const t of terms) if (!termMatches(t, pod, null)) return false
  return true
}

/** Per-node count of placed pods a term matches (the incoming pod's terms, namespaces merged). */
export function termCounts(snapshot: Snapshot, t: AffinityTerm): Int32Array {
  return snapshot.counts(`ipa|${t.key}`, (p) => termMatches(t, p, null))
}

export function allTermsCounts(snapshot: Snapshot, terms: readonly AffinityTerm[]): Int32Array {
  return snapshot.counts(`ipa-all|${terms.map((t) => t.key).join('&')}`, (p) => podMatchesAllTerms(terms, p))
}

/**
 * Adds `factor × count` of every node to the pair (topologyKey, node's value) in `out`; nodes
 * without the label add nothing. Visits only values that received pods.
 */
export function addByDomain(snapshot: Snapshot, topologyKey: string, perNode: Int32Array, factor: number, add: (value: string, amount: number) => void): void {
  const d = snapshot.domains(topologyKey)
  let sums: Float64Array | null = null
  for (let i = 0; i < perNode.length; i++) {
    const c = perNode[i]!
    if (c === 0) continue
    const di = d.ofNode[i]!
    if (di < 0) continue
    sums ??= new Float64Array(d.values.length)
    sums[di]! += c
  }
  if (!sums) return
  for (let j = 0; j < sums.length; j++) if (sums[j] !== 0) add(d.values[j]!, sums[j]! * factor)
}
