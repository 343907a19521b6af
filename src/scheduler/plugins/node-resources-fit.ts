// NodeResourcesFit: the node must have room for the pod's requests and one more pod; scores nodes by
// the LeastAllocated (default) or MostAllocated strategy.
import {Frozen} from '../cycle-state.js'
import type {FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin} from '../framework.js'
import type {NodeInfo} from '../node-info.js'
import type {PodInfo} from '../pod-info.js'
import {Status, type MaybeStatus} from '../status.js'
import {PluginNames} from './names.js'
import {
  DEFAULT_RESOURCES, allocation, leastAllocatedScorer, mostAllocatedScorer, podRequestList, type ResourceSpec,
} from './resource-allocation.js'

const NAME = PluginNames.NodeResourcesFit
const PRE_SCORE_KEY = `PreScore${NAME}`

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated'

export interface NodeResourcesFitArgs {
  scoringStrategy?: {type?: ScoringStrategyType; resources?: ResourceSpec[]}
  /** Extended resources the filter does not check. */
  ignoredResources?: string[]
  /** Groups (the part before '/') of extended resources the filter does not check. */
  ignoredResourceGroups?: string[]
}

export interface InsufficientResource {
  resourceName: string
  reason: string
  requested: number
  used: number
  capacity: number
  /** The pod asks for more than the whole node has: evicting pods cannot help. */
  unresolvable: boolean
}

function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.')
}

function check(out: InsufficientResource[], name: string, want: number, have: number, inUse: number): void {
  if (want > 0 && want > have - inUse) out.push({resourceName: name, reason: `Insufficient ${name}`, requested: want, used: inUse, capacity: have, unresolvable: want > have})
}

const NONE: ReadonlySet<string> = new Set()

/** fitsRequest: every resource the pod's requests exceed what is left of, plus "Too many pods". */
export function fitsRequest(pod: PodInfo, nodeInfo: NodeInfo, ignored: ReadonlySet<string> = NONE, ignoredGroups: ReadonlySet<string> = NONE): InsufficientResource[] {
  const out: InsufficientResource[] = []
  const alloc = nodeInfo.allocatable
  const used = nodeInfo.requested
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber, unresolvable: false})
  }
  const req = pod.requests
  if (req.none) return out
  const r = req.resource
  check(out, 'cpu', r.milliCPU, alloc.milliCPU, used.milliCPU)
  check(out, 'memory', r.memory, alloc.memory, used.memory)
  check(out, 'ephemeral-storage', r.ephemeralStorage, alloc.ephemeralStorage, used.ephemeralStorage)
  if (r.scalar) {
    for (const [name, want] of r.scalar) {
      if (want === 0) continue
      if (isExtendedResourceName(name) && (ignored.has(name) || ignoredGroups.has(name.split('/')[0]!))) continue
      check(out, name, want, alloc.scalar?.get(name) ?? 0, used.scalar?.get(name) ?? 0)
    }
  }
  return out
}

export function newNodeResourcesFit(args: NodeResourcesFitArgs = {}) {
  const resources = args.scoringStrategy?.resources?.length ? args.scoringStrategy.resources.map((r) => ({name: r.name, weight: r.weight || 1})) : [...DEFAULT_RESOURCES]
  const type = args.scoringStrategy?.type ?? 'LeastAllocated'
  const scorer = type === 'MostAllocated' ? mostAllocatedScorer(resources) : leastAllocatedScorer(resources)
  const ignored = new Set(args.ignoredResources ?? [])
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? [])
  const requested = new Float64Array(resources.length)
  const allocatable = new Float64Array(resources.length)
  return {
    name: NAME,
    preFilter() {
      // The pod's requests were computed once in its PodInfo; nothing else to prepare.
      return null
    },
    filter(_state, pod, nodeInfo): MaybeStatus {
      // Most nodes fit: settle that without building the list of shortfalls.
      const r = pod.requests.resource
      const a = nodeInfo.allocatable
      const u = nodeInfo.requested
      if (nodeInfo.pods.length < a.allowedPodNumber && r.milliCPU <= a.milliCPU - u.milliCPU && r.memory <= a.memory - u.memory && r.ephemeralStorage <= a.ephemeralStorage - u.ephemeralStorage && !r.scalar) return null
      const insufficient = fitsRequest(pod, nodeInfo, ignored, ignoredGroups)
      if (insufficient.length === 0) return null
      const code = insufficient.some((r) => r.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable'
      return new Status(code, insufficient.map((r) => r.reason), NAME)
    },
    preScore(state, pod) {
      state.write(PRE_SCORE_KEY, new Frozen(podRequestList(pod, resources, false)))
      return null
    },
    score(state, pod, nodeInfo) {
      const podRequests = state.read<Frozen<number[]>>(PRE_SCORE_KEY)?.value ?? podRequestList(pod, resources, false)
      allocation(nodeInfo, resources, podRequests, false, requested, allocatable)
      return scorer(requested, allocatable)
    },
  } satisfies PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin
}
