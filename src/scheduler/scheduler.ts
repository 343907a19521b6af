// The scheduling algorithm of schedule_one.go over a Snapshot: PreFilter, the search for feasible
// nodes from a rotating start (stopping at percentageOfNodesToScore), scoring, a seeded tie-break,
// and on failure PostFilter (preemption) and the FailedScheduling message.
import type {Pod} from './api.js'
import {CycleState} from './cycle-state.js'
import {fitErrorMessage, reasonHistogram, type Diagnosis} from './fit-error.js'
import {NodeToStatus, type Plugin} from './framework.js'
import type {NodeInfo} from './node-info.js'
import type {PodInfo} from './pod-info.js'
import {volumeDecisions, type VolumeDecisions} from './plugins/volume-binding.js'
import {defaultPlugins, pluginWeights, type ProfileOptions} from './profile.js'
import {Rng} from './rng.js'
import {Framework} from './runtime.js'
import type {Snapshot} from './snapshot.js'
import {Status, isRejected, isSuccess} from './status.js'

/** minFeasibleNodesToFind / minFeasibleNodesPercentageToFind. */
const MIN_FEASIBLE_NODES = 100
const MIN_FEASIBLE_PERCENTAGE = 5

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods'

export interface SchedulerOptions extends ProfileOptions {
  /** Seed of the tie-breaking random source: the same seed gives the same placements. */
  seed?: number
  /** Replaces the default plugin set (weights still come from pluginWeights). */
  plugins?: readonly Plugin[]
}

export interface ScheduleSuccess {
  node: string
  /** The winning node's total weighted score (absent when it was the only feasible node). */
  score?: number
  evaluatedNodes: number
  feasibleNodes: number
  /** PVs to bind and claims to provision for the pod's WaitForFirstConsumer volumes. */
  volumes?: VolumeDecisions
}

export interface ScheduleFailure {
  failure: {
    /** The FailedScheduling event message, as kube-scheduler words it. */
    message: string
    /** How many nodes gave each reason. */
    reasons: Record<string, number>
    /** No node is merely Unschedulable: neither preemption nor pods going away can help. */
    unresolvable: boolean
    /** Set by preemption: the node to nominate ("" means clear an earlier nomination). */
    nominatedNode?: string
    /** The pods to evict on nominatedNode. */
    victims?: Pod[]
    /** The cycle failed with an error (reason SchedulerError), not a fit failure. */
    error?: boolean
  }
}

export type ScheduleResult = ScheduleSuccess | ScheduleFailure

export function isScheduled(r: ScheduleResult): r is ScheduleSuccess {
  return 'node' in r
}

/** numFeasibleNodesToFind: how many feasible nodes end the search. */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes
  let pct = percentage
  if (pct === 0) pct = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125))
  const n = Math.trunc((numAllNodes * pct) / 100)
  return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : n
}

export class Scheduler {
  readonly framework: Framework
  readonly schedulerName: string
  private readonly percentage: number
  private readonly rng: Rng
  /** Where the next search for feasible nodes starts, so every node gets its turn. */
  nextStartNodeIndex = 0

  constructor(options: SchedulerOptions = {}) {
    this.rng = new Rng(options.seed ?? 0)
    this.schedulerName = options.schedulerName ?? 'default-scheduler'
    this.percentage = options.percentageOfNodesToScore ?? 0
    if (this.percentage < 0 || this.percentage > 100) throw new RangeError(`percentageOfNodesToScore must be in [0, 100], got ${this.percentage}`)
    const plugins = options.plugins ?? defaultPlugins(options)
    this.framework = new Framework(plugins, pluginWeights(options), (n) => this.rng.intn(n))
  }

  /** Whether this profile schedules the pod (its spec.schedulerName). */
  handles(pod: Pod): boolean {
    return (pod.spec?.schedulerName || 'default-scheduler') === this.schedulerName
  }

  /** One scheduling cycle for `pod`. The snapshot is not changed: assume the result to account it. */
  schedule(pod: Pod, snapshot: Snapshot): ScheduleResult {
    if (snapshot.numNodes === 0) return {failure: {message: ERR_NO_NODES_AVAILABLE, reasons: {}, unresolvable: true}}
    const pi = snapshot.podInfo(pod)
    const state = new CycleState(snapshot)
    const all = snapshot.nodeInfos()
    const diagnosis: Diagnosis = {statuses: new NodeToStatus(), preFilterMsg: '', postFilterMsg: '', unschedulablePlugins: new Set()}
    const found = this.findNodesThatFitPod(state, pi, all, diagnosis)
    if (found instanceof Status) return errorResult(found)
    if (found.length === 0) return this.fitFailure(state, pi, all.length, diagnosis)
    let chosen: NodeInfo
    let score: number | undefined
    if (found.length === 1) {
      chosen = found[0]!
    } else {
      const scored = this.prioritize(state, pi, found)
      if (scored instanceof Status) return errorResult(scored)
      const i = this.selectHost(scored)
      chosen = found[i]!
      score = scored[i]
    }
    const reserved = this.framework.runReservePluginsReserve(state, pi, chosen.name)
    if (!isSuccess(reserved)) {
      this.framework.runReservePluginsUnreserve(state, pi, chosen.name)
      if (!isRejected(reserved)) return errorResult(reserved!)
      const statuses = new NodeToStatus()
      statuses.set(chosen.name, reserved!)
      const d = {...diagnosis, statuses, preFilterMsg: '', postFilterMsg: ''}
      return {failure: {message: fitErrorMessage(1, d), reasons: Object.fromEntries(reasonHistogram(1, statuses)), unresolvable: reserved!.code === 'UnschedulableAndUnresolvable'}}
    }
    const volumes = volumeDecisions(state, chosen.name)
    const out: ScheduleSuccess = {node: chosen.name, evaluatedNodes: found.length + diagnosis.statuses.size, feasibleNodes: found.length}
    if (score !== undefined) out.score = score
    if (volumes) out.volumes = volumes
    return out
  }

  private findNodesThatFitPod(state: CycleState, pod: PodInfo, all: readonly NodeInfo[], diagnosis: Diagnosis): NodeInfo[] | Status {
    const fw = this.framework
    const pre = fw.runPreFilterPlugins(state, pod, all)
    if (!isSuccess(pre.status)) {
      if (!isRejected(pre.status)) return pre.status!
      // Every node gets the PreFilter's status, so preemption sees them all the same way.
      diagnosis.statuses.absent = pre.status!
      diagnosis.preFilterMsg = pre.status!.message()
      if (pre.status!.plugin) diagnosis.unschedulablePlugins.add(pre.status!.plugin)
      return []
    }
    // A node nominated by an earlier preemption is likely the only fit: try it first.
    const nominated = pod.pod.status?.nominatedNodeName || state.snapshot.nominatedNodeFor(pod.pod)
    if (nominated) {
      const ni = state.snapshot.get(nominated)
      if (ni) {
        const s = fw.runFilterPluginsWithNominatedPods(state, pod, ni)
        if (isSuccess(s)) return [ni]
        if (!isRejected(s)) return s!
        diagnosis.statuses.set(ni.name, s!)
      }
    }
    let nodes = all
    if (pre.nodeNames) {
      nodes = all.filter((n) => pre.nodeNames!.has(n.name))
      diagnosis.statuses.absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${pre.pluginsWithNodes.join(' ')}]`)
    }
    const feasible = this.findNodesThatPassFilters(state, pod, nodes, diagnosis)
    const processed = (Array.isArray(feasible) ? feasible.length : 0) + diagnosis.statuses.size
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % all.length
    return feasible
  }

  private findNodesThatPassFilters(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], diagnosis: Diagnosis): NodeInfo[] | Status {
    const fw = this.framework
    const n = nodes.length
    if (n === 0) return []
    // Without scoring, any feasible node will do.
    const toFind = fw.hasScorePlugins ? numFeasibleNodesToFind(this.percentage, n) : 1
    const start = this.nextStartNodeIndex
    const feasible: NodeInfo[] = []
    if (!fw.hasFilterPlugins) {
      for (let i = 0; i < toFind; i++) feasible.push(nodes[(start + i) % n]!)
      return feasible
    }
    for (let i = 0; i < n; i++) {
      const ni = nodes[(start + i) % n]!
      const s = fw.runFilterPluginsWithNominatedPods(state, pod, ni)
      if (s === null || s.code === 'Success') {
        feasible.push(ni)
        if (feasible.length >= toFind) break
        continue
      }
      if (!isRejected(s)) return s
      diagnosis.statuses.set(ni.name, s)
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin)
    }
    return feasible
  }

  /** prioritizeNodes: total weighted score per node, or 1 each when no plugin scores. */
  private prioritize(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Float64Array | Status {
    const fw = this.framework
    if (!fw.hasScorePlugins) return new Float64Array(nodes.length).fill(1)
    const pre = fw.runPreScorePlugins(state, pod, nodes)
    if (!isSuccess(pre)) return pre!
    const run = fw.runScorePlugins(state, pod, nodes)
    return run instanceof Status ? run : run.totals
  }

  /** selectHost: the highest score; ties broken by reservoir sampling, each equally likely. */
  private selectHost(scores: Float64Array): number {
    let best = 0
    let count = 1
    for (let i = 1; i < scores.length; i++) {
      if (scores[i]! > scores[best]!) {
        best = i
        count = 1
      } else if (scores[i] === scores[best]) {
        count++
        if (this.rng.intn(count) === 0) best = i
      }
    }
    return best
  }

  private fitFailure(state: CycleState, pod: PodInfo, numAllNodes: number, diagnosis: Diagnosis): ScheduleFailure {
    const failure: ScheduleFailure['failure'] = {message: '', reasons: {}, unresolvable: false}
    if (this.framework.hasPostFilterPlugins) {
      const out = this.framework.runPostFilterPlugins(state, pod, diagnosis.statuses)
      diagnosis.postFilterMsg = out.status?.message() ?? ''
      if (out.nominatedNode !== undefined) failure.nominatedNode = out.nominatedNode
      if (out.victims) failure.victims = out.victims.map((v) => v.pod)
    }
    failure.message = fitErrorMessage(numAllNodes, diagnosis)
    failure.reasons = Object.fromEntries(reasonHistogram(numAllNodes, diagnosis.statuses))
    failure.unresolvable = diagnosis.statuses.nodesWithCode(state.snapshot.nodeInfos(), 'Unschedulable').length === 0
    return {failure}
  }

  /**
   * Schedules pods in queue order (PrioritySort), assuming each placement in the snapshot and
   * recording preemption nominations, as the scheduling loop does between cycles.
   */
  scheduleAll(pods: readonly Pod[], snapshot: Snapshot): Map<Pod, ScheduleResult> {
    const less = this.framework.queueSort?.less
    const infos = pods.map((p) => ({pod: p, info: snapshot.podInfo(p)}))
    if (less) infos.sort((a, b) => (less(a.info, b.info) ? -1 : less(b.info, a.info) ? 1 : 0))
    const results = new Map<Pod, ScheduleResult>()
    for (const {pod} of infos) {
      const r = this.schedule(pod, snapshot)
      results.set(pod, r)
      if (isScheduled(r)) {
        snapshot.assume(pod, r.node)
        if (r.volumes) snapshot.assumeVolumes(pod, r.volumes.bind)
      } else if (r.failure.nominatedNode) {
        snapshot.nominate(pod, r.failure.nominatedNode)
      } else if (r.failure.nominatedNode === '') {
        snapshot.clearNomination(pod)
      }
    }
    return results
  }
}

function errorResult(s: Status): ScheduleFailure {
  return {failure: {message: s.message(), reasons: {}, unresolvable: false, error: true}}
}
