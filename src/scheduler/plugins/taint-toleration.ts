// TaintToleration: NoSchedule/NoExecute taints must be tolerated; untolerated PreferNoSchedule
// taints lower a node's score.
import type {Toleration} from '../api.js'
import {Frozen} from '../cycle-state.js'
import type {FilterPlugin, PreScorePlugin, ScorePlugin} from '../framework.js'
import {Status} from '../status.js'
import {findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint} from '../taints.js'
import {defaultNormalizeScore} from './helpers.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.TaintToleration
const PRE_SCORE_KEY = `PreScore${NAME}`

export function newTaintToleration() {
  return {
    name: NAME,
    filter(_state, pod, nodeInfo) {
      if (nodeInfo.taints.length === 0) return null
      const taint = findUntoleratedTaint(nodeInfo.taints, pod.tolerations, isDoNotScheduleTaint)
      if (!taint) return null
      return new Status('UnschedulableAndUnresolvable', [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], NAME)
    },
    preScore(state, pod) {
      // An empty effect tolerates every effect, PreferNoSchedule included.
      const prefer = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule')
      state.write(PRE_SCORE_KEY, new Frozen(prefer))
      return null
    },
    score(state, pod, nodeInfo) {
      if (nodeInfo.taints.length === 0) return 0
      const tolerations = state.read<Frozen<Toleration[]>>(PRE_SCORE_KEY)?.value ?? pod.tolerations
      let n = 0
      for (const t of nodeInfo.taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++
      return n
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(scores, true)
      return null
    },
  } satisfies FilterPlugin & PreScorePlugin & ScorePlugin
}
