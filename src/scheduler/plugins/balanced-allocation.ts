// NodeResourcesBalancedAllocation: favours nodes whose CPU and memory usage fractions stay close
// after placing the pod. Best-effort pods are not scored, so they do not pile onto one node.
import {Frozen} from '../cycle-state.js'
import type {PreScorePlugin, ScorePlugin} from '../framework.js'
import {Status} from '../status.js'
import {PluginNames} from './names.js'
import {DEFAULT_RESOURCES, allocation, balancedScorer, podRequestList, type ResourceSpec} from './resource-allocation.js'

const NAME = PluginNames.NodeResourcesBalancedAllocation
const PRE_SCORE_KEY = `PreScore${NAME}`

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[]
}

export function newBalancedAllocation(args: BalancedAllocationArgs = {}) {
  const resources = args.resources?.length ? args.resources.map((r) => ({name: r.name, weight: r.weight || 1})) : [...DEFAULT_RESOURCES]
  const requested = new Float64Array(resources.length)
  const allocatable = new Float64Array(resources.length)
  return {
    name: NAME,
    preScore(state, pod) {
      const podRequests = podRequestList(pod, resources, true)
      if (podRequests.every((r) => r === 0)) return Status.skip()
      state.write(PRE_SCORE_KEY, new Frozen(podRequests))
      return null
    },
    score(state, pod, nodeInfo) {
      const podRequests = state.read<Frozen<number[]>>(PRE_SCORE_KEY)?.value ?? podRequestList(pod, resources, true)
      allocation(nodeInfo, resources, podRequests, true, requested, allocatable)
      return balancedScorer(requested, allocatable)
    },
  } satisfies PreScorePlugin & ScorePlugin
}
