// DefaultPreemption (PostFilter): find nodes where evicting lower-priority pods lets the pod fit,
// pick one as kube-scheduler does, and return it as the nominated node with its victims.
import type {CycleState} from '../cycle-state.js'
import {fitErrorMessage} from '../fit-error.js'
import {NodeToStatus, type FrameworkHandle, type PostFilterOutcome, type PostFilterPlugin} from '../framework.js'
import type {PodInfo} from '../pod-info.js'
import {Status} from '../status.js'
import {PluginNames} from './names.js'
import {pickOneNode, selectVictimsOnNode, type Victims} from './preemption-victims.js'

const NAME = PluginNames.DefaultPreemption
export const ERR_PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling'

export interface DefaultPreemptionArgs {
  /** Share of nodes to dry-run preemption on, at least minCandidateNodesAbsolute (10% / 100). */
  minCandidateNodesPercentage?: number
  minCandidateNodesAbsolute?: number
}

function terminatingByPreemption(p: PodInfo): boolean {
  if (!p.terminating) return false
  const c = (p.pod.status?.conditions ?? []).find((x) => x.type === 'DisruptionTarget')
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler'
}

export function newDefaultPreemption(args: DefaultPreemptionArgs = {}) {
  const pct = args.minCandidateNodesPercentage ?? 10
  const abs = args.minCandidateNodesAbsolute ?? 100
  const numCandidates = (n: number) => Math.min(n, Math.max(abs, Math.trunc((n * pct) / 100)))

  function eligible(state: CycleState, pod: PodInfo, statuses: NodeToStatus): string | null {
    if (pod.pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.'
    const nominated = pod.pod.status?.nominatedNodeName || state.snapshot.nominatedNodeFor(pod.pod)
    if (!nominated) return null
    // A nominated node the filters now call unresolvable is worth preempting for again.
    if (statuses.get(nominated).code === 'UnschedulableAndUnresolvable') return null
    const ni = state.snapshot.get(nominated)
    if (ni?.pods.some((p) => p.priority < pod.priority && terminatingByPreemption(p))) return 'not eligible due to a terminating pod on the nominated node.'
    return null
  }

  function preempt(state: CycleState, pod: PodInfo, statuses: NodeToStatus, fw: FrameworkHandle): PostFilterOutcome {
    const notEligible = eligible(state, pod, statuses)
    if (notEligible) return {status: Status.unschedulable(notEligible)}
    const all = state.snapshot.nodeInfos()
    const potential = statuses.nodesWithCode(all, 'Unschedulable')
    const noCandidates = (s: NodeToStatus): PostFilterOutcome => {
      s.absent = Status.unresolvable(ERR_PREEMPTION_NOT_HELPFUL)
      const msg = fitErrorMessage(all.length, {statuses: s, preFilterMsg: '', postFilterMsg: '', unschedulablePlugins: new Set()})
      return {status: Status.unschedulable(msg), nominatedNode: ''}
    }
    if (potential.length === 0) return noCandidates(new NodeToStatus())
    const offset = fw.randomInt(potential.length)
    const wanted = numCandidates(potential.length)
    const nonViolating: {node: string; victims: Victims}[] = []
    const violating: {node: string; victims: Victims}[] = []
    const dryRun = new NodeToStatus()
    for (let i = 0; i < potential.length; i++) {
      const ni = potential[(offset + i) % potential.length]!.clone()
      const r = selectVictimsOnNode(fw, state.clone(), pod, ni, state.snapshot.pdbs)
      if (r.victims && r.victims.pods.length > 0) {
        const list = r.victims.numPDBViolations === 0 ? nonViolating : violating
        if (list.length < wanted) list.push({node: ni.name, victims: r.victims})
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break
        continue
      }
      dryRun.set(ni.name, r.status ?? Status.error(`expected at least one victim pod on node "${ni.name}"`))
    }
    const candidates = [...nonViolating, ...violating]
    if (candidates.length === 0) return noCandidates(dryRun)
    const best = candidates[pickOneNode(candidates)]!
    return {status: null, nominatedNode: best.node, victims: best.victims.pods}
  }

  return {
    name: NAME,
    postFilter(state, pod, statuses, fw) {
      const out = preempt(state, pod, statuses, fw)
      const msg = out.status?.message() ?? ''
      return msg ? {...out, status: new Status(out.status!.code, [`preemption: ${msg}`])} : out
    },
  } satisfies PostFilterPlugin
}
