// PodTopologySpread: spread matching pods evenly over topology domains — a hard limit for
// DoNotSchedule constraints (Filter) and a preference for ScheduleAnyway ones (Score).
import type {FilterPlugin, PreFilterOutcome, PreFilterPlugin, PreScorePlugin, ScorePlugin} from '../framework.js'
import {Status} from '../status.js'
import {PluginNames} from './names.js'
import {constraintsFor, spreadConfig, type SpreadArgs} from './spread-constraints.js'
import {PRE_FILTER_KEY, computeFilterState, spreadFilter, updateWithPod} from './spread-filter.js'
import {SpreadScoreState, computeScoreState, spreadNormalize, spreadScore} from './spread-score.js'

const NAME = PluginNames.PodTopologySpread
const PRE_SCORE_KEY = `PreScore${NAME}`

export type PodTopologySpreadArgs = SpreadArgs

export function newPodTopologySpread(args: PodTopologySpreadArgs = {}) {
  const config = spreadConfig(args)
  return {
    name: NAME,
    preFilter(state, pod): PreFilterOutcome {
      let constraints
      try {
        constraints = constraintsFor(config, state.snapshot, pod, 'DoNotSchedule')
      } catch (e) {
        return {status: Status.error(`obtaining pod's hard topology spread constraints: ${(e as Error).message}`)}
      }
      if (constraints.length === 0) return {status: Status.skip()}
      state.write(PRE_FILTER_KEY, computeFilterState(state.snapshot, pod, constraints))
      return null
    },
    extensions: {
      addPod: (state, pod, toAdd, nodeInfo) => updateWithPod(state, toAdd, pod, nodeInfo, 1),
      removePod: (state, pod, toRemove, nodeInfo) => updateWithPod(state, toRemove, pod, nodeInfo, -1),
    },
    filter: spreadFilter,
    preScore(state, pod, nodes) {
      if (state.snapshot.numNodes === 0) return Status.skip()
      let constraints
      try {
        constraints = constraintsFor(config, state.snapshot, pod, 'ScheduleAnyway')
      } catch (e) {
        return Status.error(`obtaining pod's soft topology spread constraints: ${(e as Error).message}`)
      }
      if (constraints.length === 0) return Status.skip()
      // System defaults do not require every key, so zone-less nodes still spread by hostname.
      const requireAll = (pod.pod.spec?.topologySpreadConstraints ?? []).length > 0 || !config.systemDefaulted
      state.write(PRE_SCORE_KEY, computeScoreState(state.snapshot, pod, constraints, nodes, requireAll))
      return null
    },
    score(state, _pod, nodeInfo) {
      const s = state.read<SpreadScoreState>(PRE_SCORE_KEY)
      if (!s) throw new Error(`error reading "${PRE_SCORE_KEY}" from cycleState`)
      return spreadScore(s, nodeInfo)
    },
    normalizeScore(state, _pod, scores, nodes) {
      const s = state.read<SpreadScoreState>(PRE_SCORE_KEY)
      if (s) spreadNormalize(s, scores, nodes)
      return null
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin
}
