// frameworkImpl: runs a profile's plugins at each extension point with kube-scheduler's rules (Skip,
// the first rejecting Filter wins, PreFilter node subsets intersect, scores normalized then weighted).
import type {CycleState} from './cycle-state.js'
import {
  MAX_NODE_SCORE, MIN_NODE_SCORE, NodeToStatus,
  type FilterPlugin, type FrameworkHandle, type Plugin, type PostFilterOutcome, type PostFilterPlugin, type PreFilterPlugin,
  type PreScorePlugin, type QueueSortPlugin, type ReservePlugin, type ScorePlugin,
} from './framework.js'
import type {NodeInfo} from './node-info.js'
import type {PodInfo} from './pod-info.js'
import {Status, isRejected, isSkip, isSuccess, type MaybeStatus} from './status.js'

export interface PreFilterRun {
  /** Nodes the PreFilter plugins narrowed the search to; null means all. */
  nodeNames: Set<string> | null
  status: MaybeStatus
  /** Plugins that returned a node subset (named in the absent nodes' reason). */
  pluginsWithNodes: string[]
}

export interface ScoreRun {
  totals: Float64Array
  /** Weighted score of each plugin, per node. */
  byPlugin: Map<string, Float64Array>
}

/** PreFilterResult.Merge: the intersection of the node subsets. */
function narrow(current: ReadonlySet<string> | null, more: ReadonlySet<string>): Set<string> {
  if (current === null) return new Set(more)
  const out = new Set<string>()
  for (const n of current) if (more.has(n)) out.add(n)
  return out
}

function has<K extends string>(p: Plugin, method: K): p is Plugin & Record<K, (...args: never[]) => unknown> {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function'
}

/** A profile's plugins sorted into extension points, in the order they were given (MultiPoint order). */
export class Framework implements FrameworkHandle {
  readonly queueSort: QueueSortPlugin | undefined
  readonly preFilter: PreFilterPlugin[] = []
  readonly filter: FilterPlugin[] = []
  readonly postFilter: PostFilterPlugin[] = []
  readonly preScore: PreScorePlugin[] = []
  readonly score: {plugin: ScorePlugin; weight: number}[] = []
  readonly reserve: ReservePlugin[] = []
  private readonly random: (n: number) => number
  private readonly activeFilters = new WeakMap<CycleState, FilterPlugin[]>()

  constructor(plugins: readonly Plugin[], weights: Readonly<Record<string, number>>, random: (n: number) => number) {
    this.random = random
    let queueSort: QueueSortPlugin | undefined
    for (const p of plugins) {
      if (has(p, 'less')) queueSort ??= p as unknown as QueueSortPlugin
      if (has(p, 'preFilter')) this.preFilter.push(p as unknown as PreFilterPlugin)
      if (has(p, 'filter')) this.filter.push(p as unknown as FilterPlugin)
      if (has(p, 'postFilter')) this.postFilter.push(p as unknown as PostFilterPlugin)
      if (has(p, 'preScore')) this.preScore.push(p as unknown as PreScorePlugin)
      // A score plugin with weight 0 is not enabled for scoring, as in a profile.
      if (has(p, 'score') && (weights[p.name] ?? 1) > 0) this.score.push({plugin: p as unknown as ScorePlugin, weight: weights[p.name] ?? 1})
      if (has(p, 'reserve')) this.reserve.push(p as unknown as ReservePlugin)
    }
    this.queueSort = queueSort
  }

  randomInt(n: number): number {
    return this.random(n)
  }

  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PreFilterRun {
    let nodeNames: Set<string> | null = null
    const pluginsWithNodes: string[] = []
    let returnStatus: MaybeStatus = null
    for (const pl of this.preFilter) {
      let out
      try {
        out = pl.preFilter(state, pod, nodes)
      } catch (e) {
        return {nodeNames: null, status: Status.error(`running PreFilter plugin "${pl.name}": ${(e as Error).message}`).withPlugin(pl.name), pluginsWithNodes}
      }
      const s = out?.status ?? null
      if (isSkip(s)) {
        state.skipFilterPlugins.add(pl.name)
        continue
      }
      if (!isSuccess(s)) {
        const st = s!.withPlugin(pl.name)
        // Unresolvable ends the cycle at once; Unschedulable lets the other PreFilters run for preemption.
        if (st.code === 'UnschedulableAndUnresolvable') return {nodeNames: null, status: st, pluginsWithNodes: []}
        if (st.code === 'Unschedulable') {
          returnStatus = st
          continue
        }
        return {nodeNames: null, status: Status.error(`running PreFilter plugin "${pl.name}": ${st.message()}`).withPlugin(pl.name), pluginsWithNodes: []}
      }
      if (out?.nodeNames) {
        pluginsWithNodes.push(pl.name)
        nodeNames = narrow(nodeNames, out.nodeNames)
        if (nodeNames.size === 0) {
          const sorted = [...pluginsWithNodes].sort()
          const msg = sorted.length === 1 ? `node(s) didn't satisfy plugin ${sorted[0]}` : `node(s) didn't satisfy plugin(s) [${sorted.join(' ')}] simultaneously`
          return {nodeNames, status: Status.unresolvable(msg), pluginsWithNodes: sorted}
        }
      }
    }
    return {nodeNames, status: returnStatus, pluginsWithNodes: [...pluginsWithNodes].sort()}
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    for (const pl of this.preFilter) {
      if (!pl.extensions || state.skipFilterPlugins.has(pl.name)) continue
      const s = pl.extensions.addPod(state, pod, toAdd, nodeInfo)
      if (!isSuccess(s)) return Status.error(`running AddPod on PreFilter plugin "${pl.name}": ${s!.message()}`)
    }
    return null
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    for (const pl of this.preFilter) {
      if (!pl.extensions || state.skipFilterPlugins.has(pl.name)) continue
      const s = pl.extensions.removePod(state, pod, toRemove, nodeInfo)
      if (!isSuccess(s)) return Status.error(`running RemovePod on PreFilter plugin "${pl.name}": ${s!.message()}`)
    }
    return null
  }

  private filtersFor(state: CycleState): FilterPlugin[] {
    let list = this.activeFilters.get(state)
    if (!list) {
      list = this.filter.filter((p) => !state.skipFilterPlugins.has(p.name))
      this.activeFilters.set(state, list)
    }
    return list
  }

  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    const filters = this.filtersFor(state)
    for (let i = 0; i < filters.length; i++) {
      const pl = filters[i]!
      let s: MaybeStatus
      try {
        s = pl.filter(state, pod, nodeInfo)
      } catch (e) {
        s = Status.error((e as Error).message)
      }
      if (s !== null && s.code !== 'Success') {
        // Filters may only accept or reject; anything else is an error of that plugin.
        if (!isRejected(s)) return Status.error(`running "${pl.name}" filter plugin: ${s.message()}`).withPlugin(pl.name)
        return s.plugin === pl.name ? s : s.withPlugin(pl.name)
      }
    }
    return null
  }

  /**
   * Filters with the nominated pods of equal or higher priority added to the node first, then
   * (when they fit with them) again without: a pod must fit whether or not those arrive.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    if (!state.snapshot.hasNominatedPods) return this.runFilterPlugins(state, pod, nodeInfo)
    const nominated = state.snapshot.nominatedPodsFor(nodeInfo.name)
    let stateOut = state
    let nodeOut = nodeInfo
    let added = false
    for (const pi of nominated) {
      if (pi.priority < pod.priority || pi.key === pod.key) continue
      if (!added) {
        stateOut = state.clone()
        nodeOut = nodeInfo.clone()
        added = true
      }
      nodeOut.addPod(pi)
      const s = this.runPreFilterExtensionAddPod(stateOut, pod, pi, nodeOut)
      if (!isSuccess(s)) return s
    }
    const first = this.runFilterPlugins(stateOut, pod, nodeOut)
    if (!added || !isSuccess(first)) return first
    return this.runFilterPlugins(state, pod, nodeInfo)
  }

  /** Runs PostFilter plugins until one succeeds, errs or is unresolvable; otherwise joins their reasons. */
  runPostFilterPlugins(state: CycleState, pod: PodInfo, statuses: NodeToStatus): PostFilterOutcome {
    let result: PostFilterOutcome | undefined
    const reasons: string[] = []
    let rejector = ''
    for (const pl of this.postFilter) {
      let out: PostFilterOutcome
      try {
        out = pl.postFilter(state, pod, statuses, this)
      } catch (e) {
        return {status: Status.error((e as Error).message).withPlugin(pl.name)}
      }
      const s = out.status
      if (isSuccess(s)) return out
      if (s!.code === 'UnschedulableAndUnresolvable') return {...out, status: s!.withPlugin(pl.name)}
      if (!isRejected(s)) return {status: Status.error(s!.message()).withPlugin(pl.name)}
      if (out.nominatedNode !== undefined) result = out
      reasons.push(...s!.reasons)
      if (rejector === '') rejector = pl.name
    }
    return {...result, status: new Status('Unschedulable', reasons, rejector)}
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): MaybeStatus {
    for (const pl of this.preScore) {
      let s: MaybeStatus
      try {
        s = pl.preScore(state, pod, nodes)
      } catch (e) {
        s = Status.error((e as Error).message)
      }
      if (isSkip(s)) {
        state.skipScorePlugins.add(pl.name)
        continue
      }
      if (!isSuccess(s)) return Status.error(`running PreScore plugin "${pl.name}": ${s!.message()}`)
    }
    return null
  }

  /** Scores every node with every plugin, normalizes each plugin's list, applies weights, sums. */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): ScoreRun | Status {
    const totals = new Float64Array(nodes.length)
    const byPlugin = new Map<string, Float64Array>()
    for (const {plugin: pl, weight} of this.score) {
      if (state.skipScorePlugins.has(pl.name)) continue
      const scores = new Float64Array(nodes.length)
      try {
        for (let i = 0; i < nodes.length; i++) scores[i] = pl.score(state, pod, nodes[i]!)
      } catch (e) {
        return Status.error(`running Score plugins: plugin "${pl.name}" failed with: ${(e as Error).message}`)
      }
      if (pl.normalizeScore) {
        const s = pl.normalizeScore(state, pod, scores, nodes)
        if (!isSuccess(s)) return Status.error(`running Normalize on Score plugins: plugin "${pl.name}" failed with: ${s!.message()}`)
      }
      for (let i = 0; i < nodes.length; i++) {
        const v = scores[i]!
        if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) {
          return Status.error(`applying score defaultWeights on Score plugins: plugin "${pl.name}" returns an invalid score ${v}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`)
        }
        scores[i] = v * weight
        totals[i]! += scores[i]!
      }
      byPlugin.set(pl.name, scores)
    }
    return {totals, byPlugin}
  }

  runReservePluginsReserve(state: CycleState, pod: PodInfo, node: string): MaybeStatus {
    for (const pl of this.reserve) {
      const s = pl.reserve(state, pod, node)
      if (!isSuccess(s)) return isRejected(s) ? s!.withPlugin(pl.name) : Status.error(`running Reserve plugin "${pl.name}": ${s!.message()}`)
    }
    return null
  }

  runReservePluginsUnreserve(state: CycleState, pod: PodInfo, node: string): void {
    // Unreserve runs in reverse order, as upstream does.
    for (let i = this.reserve.length - 1; i >= 0; i--) this.reserve[i]!.unreserve(state, pod, node)
  }

  get hasFilterPlugins(): boolean {
    return this.filter.length > 0
  }

  get hasScorePlugins(): boolean {
    return this.score.length > 0
  }

  get hasPostFilterPlugins(): boolean {
    return this.postFilter.length > 0
  }
}

export {NodeToStatus}
