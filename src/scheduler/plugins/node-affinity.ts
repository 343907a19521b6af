// NodeAffinity: the pod's nodeSelector and required node affinity must match the node; preferred
// terms add their weights to the score. A metadata.name field narrows the search up front.
import type {NodeAffinity as NodeAffinitySpec} from '../api.js'
import {Frozen} from '../cycle-state.js'
import type {FilterPlugin, PreFilterOutcome, PreFilterPlugin, PreScorePlugin, ScorePlugin} from '../framework.js'
import {CompiledNodeSelector, PreferredSchedulingTerms, requiredNodeAffinity} from '../node-selector.js'
import {Status} from '../status.js'
import {defaultNormalizeScore} from './helpers.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.NodeAffinity
const PRE_SCORE_KEY = `PreScore${NAME}`
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict'

export interface NodeAffinityArgs {
  /** Affinity the profile adds to every pod (NodeAffinityArgs.addedAffinity). */
  addedAffinity?: NodeAffinitySpec
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>()
  for (const x of a) if (b.has(x)) out.add(x)
  return out
}

export function newNodeAffinity(args: NodeAffinityArgs = {}) {
  const addedRequired = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  const added = addedRequired ? new CompiledNodeSelector(addedRequired) : null
  const addedPreferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? new PreferredSchedulingTerms(args.addedAffinity.preferredDuringSchedulingIgnoredDuringExecution) : null
  const rejectedPod = new Status('UnschedulableAndUnresolvable', [ERR_REASON_POD], NAME)
  const rejectedEnforced = new Status('UnschedulableAndUnresolvable', [ERR_REASON_ENFORCED], NAME)
  return {
    name: NAME,
    preFilter(_state, pod): PreFilterOutcome {
      const spec = pod.pod.spec ?? {}
      const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      if (!required && !added && !spec.nodeSelector) return {status: Status.skip()}
      const terms = required?.nodeSelectorTerms ?? []
      if (terms.length === 0) return null
      // Terms are ORed: only when every term pins metadata.name can the search be narrowed.
      let names: Set<string> | null = null
      for (const t of terms) {
        let termNames: Set<string> | null = null
        for (const f of t.matchFields ?? []) {
          if (f.key !== 'metadata.name' || f.operator !== 'In') continue
          const s: Set<string> = new Set(f.values ?? [])
          termNames = termNames === null ? s : intersect(termNames, s)
        }
        if (termNames === null) return null
        names = names === null ? termNames : new Set([...names, ...termNames])
      }
      if (names !== null && names.size === 0) return {status: Status.unresolvable(ERR_REASON_CONFLICT)}
      return names ? {nodeNames: names} : null
    },
    filter(_state, pod, nodeInfo) {
      if (added && !added.matches(nodeInfo.node)) return rejectedEnforced
      return requiredNodeAffinity(pod.pod).matches(nodeInfo.node) ? null : rejectedPod
    },
    preScore(state, pod) {
      const preferred = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution
      if (!preferred && !addedPreferred) return Status.skip()
      state.write(PRE_SCORE_KEY, new Frozen(preferred ? new PreferredSchedulingTerms(preferred) : null))
      return null
    },
    score(state, _pod, nodeInfo) {
      let count = addedPreferred ? addedPreferred.score(nodeInfo.node) : 0
      const terms = state.read<Frozen<PreferredSchedulingTerms | null>>(PRE_SCORE_KEY)?.value
      if (terms) count += terms.score(nodeInfo.node)
      return count
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(scores, false)
      return null
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin
}
