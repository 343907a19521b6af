// FitError.Error(): "0/N nodes are available: <PreFilter msg>. <count reason, ...>. <PostFilter msg>",
// with the reason histogram sorted as Go's sort.Strings sorts "<count> <reason>".
import type {NodeToStatus} from './framework.js'

export interface Diagnosis {
  statuses: NodeToStatus
  /** Set when a PreFilter plugin rejected the pod; then per-node reasons are not listed. */
  preFilterMsg: string
  postFilterMsg: string
  /** Plugins that rejected the pod somewhere (UnschedulablePlugins). */
  unschedulablePlugins: Set<string>
}

/** How many nodes gave each reason, absent nodes counting with the absent status's reasons. */
export function reasonHistogram(numAllNodes: number, statuses: NodeToStatus): Map<string, number> {
  const reasons = new Map<string, number>()
  for (const [, s] of statuses.entries()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1)
  const absent = numAllNodes - statuses.size
  if (absent > 0) for (const r of statuses.absent.reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent)
  return reasons
}

/** Byte-wise comparison, as Go compares strings. */
export function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function sortedReasons(histogram: ReadonlyMap<string, number>): string[] {
  return [...histogram].map(([r, n]) => `${n} ${r}`).sort(compareGoStrings)
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`
  } else {
    // When PreFilter rejected, every node carries the same status: listing them would repeat it.
    const sorted = sortedReasons(reasonHistogram(numAllNodes, d.statuses))
    if (sorted.length > 0) msg += ` ${sorted.join(', ')}.`
  }
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`
  return msg
}
