// SelectVictimsOnNode and its helpers: remove every lower-priority pod, check the preemptor fits,
// then put back (reprieve) as many as possible, PDB-violating ones first, most important first.
import {selectorFromLabelSelector} from '../../api/labels.js'
import type {PodDisruptionBudget} from '../api.js'
import type {CycleState} from '../cycle-state.js'
import type {FrameworkHandle} from '../framework.js'
import type {NodeInfo} from '../node-info.js'
import type {PodInfo} from '../pod-info.js'
import {Status, isSuccess, type MaybeStatus} from '../status.js'

export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod'

/** util.MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority
  return a.startTime < b.startTime
}

export function byImportance(a: PodInfo, b: PodInfo): number {
  return moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0
}

/** filterPodsWithPDBViolation: pods whose eviction would take a PDB below its allowed disruptions. */
export function splitByPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): [PodInfo[], PodInfo[]] {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0)
  const violating: PodInfo[] = []
  const nonViolating: PodInfo[] = []
  for (const pi of pods) {
    let violated = false
    if (Object.keys(pi.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if ((pdb.metadata.namespace ?? 'default') !== pi.namespace) return
        let selector
        try {
          selector = selectorFromLabelSelector(pdb.spec?.selector)
        } catch {
          return
        }
        // A PDB with a nil or empty selector matches nothing.
        if (selector.empty() || !selector.matches(pi.labels)) return
        if (pdb.status?.disruptedPods && pi.name in pdb.status.disruptedPods) return
        allowed[i]!--
        if (allowed[i]! < 0) violated = true
      })
    }
    ;(violated ? violating : nonViolating).push(pi)
  }
  return [violating, nonViolating]
}

export interface Victims {
  pods: PodInfo[]
  numPDBViolations: number
}

/** Works on copies: `state` and `nodeInfo` must be clones the caller may throw away. */
export function selectVictimsOnNode(fw: FrameworkHandle, state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): {victims?: Victims; status: MaybeStatus} {
  const remove = (pi: PodInfo): MaybeStatus => {
    nodeInfo.removePod(pi.key)
    return fw.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo)
  }
  const add = (pi: PodInfo): MaybeStatus => {
    nodeInfo.addPod(pi)
    return fw.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo)
  }
  const potential: PodInfo[] = []
  for (const pi of [...nodeInfo.pods]) {
    if (pi.priority >= pod.priority) continue
    potential.push(pi)
    const s = remove(pi)
    if (!isSuccess(s)) return {status: s}
  }
  if (potential.length === 0) return {status: Status.unresolvable(ERR_NO_VICTIMS)}
  // Not fitting even with every lower-priority pod gone: this node cannot help.
  const fits = fw.runFilterPluginsWithNominatedPods(state, pod, nodeInfo)
  if (!isSuccess(fits)) return {status: fits}
  potential.sort(byImportance)
  const [violating, nonViolating] = splitByPDBViolation(potential, pdbs)
  const victims: PodInfo[] = []
  let numViolating = 0
  const reprieve = (pi: PodInfo): boolean | Status => {
    const s = add(pi)
    if (!isSuccess(s)) return s!
    if (isSuccess(fw.runFilterPluginsWithNominatedPods(state, pod, nodeInfo))) return true
    const r = remove(pi)
    if (!isSuccess(r)) return r!
    victims.push(pi)
    return false
  }
  for (const pi of violating) {
    const r = reprieve(pi)
    if (r instanceof Status) return {status: r}
    if (!r) numViolating++
  }
  for (const pi of nonViolating) {
    const r = reprieve(pi)
    if (r instanceof Status) return {status: r}
  }
  if (violating.length > 0 && nonViolating.length > 0) victims.sort(byImportance)
  return {victims: {pods: victims, numPDBViolations: numViolating}, status: null}
}

/**
 * pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority victim, the
 * smallest priority sum, the fewest victims, the latest start of the top victims; else the first.
 */
export function pickOneNode(candidates: readonly {node: string; victims: Victims}[]): number {
  if (candidates.length === 0) return -1
  const highest = (v: Victims) => v.pods[0]!.priority
  const earliestTopStart = (v: Victims): number => {
    let max = v.pods[0]!.priority
    let earliest = v.pods[0]!.startTime
    for (const p of v.pods) {
      if (p.priority === max) earliest = Math.min(earliest, p.startTime)
      else if (p.priority > max) {
        max = p.priority
        earliest = p.startTime
      }
    }
    return earliest
  }
  const scoreFuncs: ((v: Victims) => number)[] = [
    (v) => -v.numPDBViolations,
    (v) => -highest(v),
    // Shifting by 2^31 makes every priority non-negative, so more pods never look cheaper.
    (v) => -v.pods.reduce((sum, p) => sum + p.priority + 2 ** 31, 0),
    (v) => -v.pods.length,
    (v) => earliestTopStart(v),
  ]
  let remaining = candidates.map((_, i) => i)
  for (const f of scoreFuncs) {
    let best = -Infinity
    let selected: number[] = []
    for (const i of remaining) {
      const s = f(candidates[i]!.victims)
      if (s > best) {
        best = s
        selected = []
      }
      if (s === best) selected.push(i)
    }
    if (selected.length === 1) return selected[0]!
    remaining = selected
  }
  return remaining[0]!
}
