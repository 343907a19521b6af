// InterPodAffinity: required pod affinity/anti-affinity (the incoming pod's and existing pods'
// anti-affinity) as Filter, preferred terms as Score.
import type {FilterPlugin, PreFilterOutcome, PreFilterPlugin, PreScorePlugin, ScorePlugin} from '../framework.js'
import {Status} from '../status.js'
import {PRE_FILTER_KEY, affinityFilter, computeAffinityFilterState, updateAffinityState} from './affinity-filter.js'
import {AffinityScoreState, affinityNormalize, affinityScore, computeAffinityScoreState} from './affinity-score.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.InterPodAffinity
const PRE_SCORE_KEY = `PreScore${NAME}`

export interface InterPodAffinityArgs {
  /** Weight of existing pods' required affinity terms in scoring (default 1). */
  hardPodAffinityWeight?: number
  ignorePreferredTermsOfExistingPods?: boolean
}

export function newInterPodAffinity(args: InterPodAffinityArgs = {}) {
  const scoreArgs = {hardPodAffinityWeight: args.hardPodAffinityWeight ?? 1, ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false}
  return {
    name: NAME,
    preFilter(state, pod): PreFilterOutcome {
      if (pod.parseError) return {status: Status.unresolvable(`parsing pod: ${pod.parseError}`)}
      const s = computeAffinityFilterState(state.snapshot, pod)
      if (!s) return {status: Status.skip()}
      state.write(PRE_FILTER_KEY, s)
      return null
    },
    extensions: {
      addPod: (state, _pod, toAdd, nodeInfo) => updateAffinityState(state, toAdd, nodeInfo, 1),
      removePod: (state, _pod, toRemove, nodeInfo) => updateAffinityState(state, toRemove, nodeInfo, -1),
    },
    filter: affinityFilter,
    preScore(state, pod, nodes) {
      if (nodes.length === 0) return Status.skip()
      const s = computeAffinityScoreState(state.snapshot, pod, scoreArgs)
      if (!s) return Status.skip()
      state.write(PRE_SCORE_KEY, s)
      return null
    },
    score(state, _pod, nodeInfo) {
      const s = state.read<AffinityScoreState>(PRE_SCORE_KEY)
      return s ? affinityScore(s, nodeInfo) : 0
    },
    normalizeScore(state, _pod, scores) {
      if (state.read<AffinityScoreState>(PRE_SCORE_KEY)) affinityNormalize(scores)
      return null
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin
}
