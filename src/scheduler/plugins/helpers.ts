// Shared plugin helpers (framework/plugins/helper): the default score normalization.
import {MAX_NODE_SCORE} from '../framework.js'

/**
 * DefaultNormalizeScore: scales scores so the highest becomes `max` (integer arithmetic as in Go);
 * `reverse` flips them, so fewer is better. All zeros stay zero, or become `max` when reversed.
 */
export function defaultNormalizeScore(scores: Float64Array, reverse: boolean, max = MAX_NODE_SCORE): void {
  let top = 0
  for (const s of scores) if (s > top) top = s
  if (top === 0) {
    if (reverse) scores.fill(max)
    return
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((max * scores[i]!) / top)
    scores[i] = reverse ? max - s : s
  }
}
