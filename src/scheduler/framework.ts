// The plugin contract (framework/interface.go): extension points as small interfaces a plugin
// object implements any of, and NodeToStatus, the per-node verdicts a failed cycle leaves behind.
import type {CycleState} from './cycle-state.js'
import type {NodeInfo} from './node-info.js'
import type {PodInfo} from './pod-info.js'
import {Status, type Code, type MaybeStatus} from './status.js'

export const MAX_NODE_SCORE = 100
export const MIN_NODE_SCORE = 0

export interface Plugin {
  readonly name: string
}

/** What a PreFilter returns: null for "success, every node", or a status and/or a node subset. */
export type PreFilterOutcome = null | {status?: MaybeStatus; nodeNames?: ReadonlySet<string>}

/** AddPod/RemovePod: keep PreFilter state right when pods are added or removed in "what if" runs. */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus
  removePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PreFilterOutcome
  readonly extensions?: PreFilterExtensions
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): MaybeStatus
}

/** What a PostFilter (preemption) proposes: a node to nominate and the pods to evict there. */
export interface PostFilterOutcome {
  status: MaybeStatus
  nominatedNode?: string
  victims?: PodInfo[]
}

/** What PostFilter plugins may ask of the framework: run the filters on a changed node. */
export interface FrameworkHandle {
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): MaybeStatus
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus
  /** Uniform in [0, n): the profile's seeded random source. */
  randomInt(n: number): number
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus, fw: FrameworkHandle): PostFilterOutcome
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus
}

export interface ScorePlugin extends Plugin {
  /** The raw score of one node; throw to fail the cycle with an Error. */
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number
  /** ScoreExtensions.NormalizeScore: rewrite `scores` (one per node of `nodes`) into [0, 100]. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: Float64Array, nodes: readonly NodeInfo[]): MaybeStatus
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): MaybeStatus
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void
}

export interface QueueSortPlugin extends Plugin {
  less(a: PodInfo, b: PodInfo): boolean
}

/** NodeToStatus: the status of each rejected node, and one for every node not listed. */
export class NodeToStatus {
  private readonly map = new Map<string, Status>()
  absent: Status

  constructor(absent: Status = new Status('UnschedulableAndUnresolvable')) {
    this.absent = absent
  }

  get(node: string): Status {
    return this.map.get(node) ?? this.absent
  }

  set(node: string, status: Status): void {
    this.map.set(node, status)
  }

  has(node: string): boolean {
    return this.map.has(node)
  }

  get size(): number {
    return this.map.size
  }

  entries(): IterableIterator<[string, Status]> {
    return this.map.entries()
  }

  /** NodesForStatusCode, in the order of `nodes` (the scheduling order) so results are deterministic. */
  nodesWithCode(nodes: readonly NodeInfo[], code: Code): NodeInfo[] {
    return nodes.filter((n) => this.get(n.name).code === code)
  }
}
