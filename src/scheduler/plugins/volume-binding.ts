// VolumeBinding (basic): a pod's PVCs must be bound (Immediate) or bindable on the node — bound PVs'
// node affinity must match, WaitForFirstConsumer claims need a matching PV there or a provisioner;
// a claim already given a node (volume.kubernetes.io/selected-node) fits only that node.
import {selectorFromLabelSelector} from '../../api/labels.js'
import type {PersistentVolume, PersistentVolumeClaim, StorageClass} from '../api.js'
import type {CycleState, StateData} from '../cycle-state.js'
import type {FilterPlugin, PreFilterOutcome, PreFilterPlugin, ReservePlugin} from '../framework.js'
import type {NodeInfo} from '../node-info.js'
import {CompiledNodeSelector} from '../node-selector.js'
import type {PodInfo} from '../pod-info.js'
import {amount} from '../resources.js'
import type {Snapshot} from '../snapshot.js'
import {Status} from '../status.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.VolumeBinding
const STATE_KEY = NAME
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims'
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
export const ERR_REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity"
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'
const NO_PROVISIONER = 'kubernetes.io/no-provisioner'
const SELECTED_NODE = 'volume.kubernetes.io/selected-node'

/** What binding the pod's volumes on the chosen node takes: PVs to bind and claims to provision. */
export interface VolumeDecisions {
  bind: {claim: string; volume: string}[]
  provision: {claim: string}[]
}

class VolumeState implements StateData {
  readonly byNode = new Map<string, VolumeDecisions>()
  constructor(
    readonly bound: PersistentVolumeClaim[],
    readonly delayed: PersistentVolumeClaim[],
  ) {}

  clone(): StateData {
    return this
  }
}

function claimName(pvc: PersistentVolumeClaim): string {
  return `${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name}`
}

function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''
}

function requested(pvc: PersistentVolumeClaim): number {
  return amount('storage', pvc.spec?.resources?.requests?.storage)
}

const affinityCache = new WeakMap<PersistentVolume, CompiledNodeSelector | null>()

/** CheckNodeAffinity: a PV without required node affinity fits every node. */
function pvFitsNode(pv: PersistentVolume, nodeInfo: NodeInfo): boolean {
  let sel = affinityCache.get(pv)
  if (sel === undefined) {
    const req = pv.spec?.nodeAffinity?.required
    sel = req ? new CompiledNodeSelector(req) : null
    affinityCache.set(pv, sel)
  }
  return sel === null || sel.matches(nodeInfo.node)
}

function topologyAllows(cls: StorageClass, nodeInfo: NodeInfo): boolean {
  const terms = cls.allowedTopologies ?? []
  if (terms.length === 0) return true
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(nodeInfo.labels[e.key] ?? '\x00')))
}

/** FindMatchingVolume: the smallest available PV of the claim's class that fits it and the node. */
function matchingVolume(snapshot: Snapshot, pod: PodInfo, pvc: PersistentVolumeClaim, nodeInfo: NodeInfo, taken: Set<string>): PersistentVolume | undefined {
  const cls = claimClass(pvc)
  const want = requested(pvc)
  const modes = pvc.spec?.accessModes ?? []
  const mode = pvc.spec?.volumeMode ?? 'Filesystem'
  let selector = null
  try {
    selector = pvc.spec?.selector ? selectorFromLabelSelector(pvc.spec.selector) : null
  } catch {
    return undefined
  }
  let best: PersistentVolume | undefined
  let bestSize = Infinity
  for (const pv of snapshot.persistentVolumes()) {
    const name = pv.metadata.name ?? ''
    const spec = pv.spec ?? {}
    if (taken.has(name) || pv.metadata.deletionTimestamp) continue
    const ref = spec.claimRef
    const boundHere = !!ref && ref.name === pvc.metadata.name && (ref.namespace ?? 'default') === (pvc.metadata.namespace ?? 'default')
    if (ref && !boundHere) continue
    const assumed = snapshot.assumedClaimOf(name)
    if (assumed !== undefined && assumed !== `${pod.key}\x00${claimName(pvc)}`) continue
    if ((spec.storageClassName ?? '') !== cls) continue
    if ((spec.volumeMode ?? 'Filesystem') !== mode) continue
    const size = amount('storage', spec.capacity?.storage)
    if (size < want) continue
    if (!modes.every((m) => (spec.accessModes ?? []).includes(m))) continue
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue
    if (!pvFitsNode(pv, nodeInfo)) continue
    if (boundHere) return pv
    if (size < bestSize) {
      best = pv
      bestSize = size
    }
  }
  return best
}

export function newVolumeBinding() {
  return {
    name: NAME,
    preFilter(state: CycleState, pod: PodInfo): PreFilterOutcome {
      const vols = pod.pod.spec?.volumes ?? []
      const names: string[] = []
      for (const v of vols) {
        if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName)
        else if (v.ephemeral) names.push(`${pod.name}-${v.name}`)
      }
      if (names.length === 0) return {status: Status.skip()}
      const bound: PersistentVolumeClaim[] = []
      const delayed: PersistentVolumeClaim[] = []
      let immediate = false
      for (const n of names) {
        const pvc = state.snapshot.pvc(pod.namespace, n)
        if (!pvc) return {status: Status.unresolvable(`persistentvolumeclaim "${n}" not found`)}
        if (pvc.metadata.deletionTimestamp) return {status: Status.unresolvable(`persistentvolumeclaim "${n}" is being deleted`)}
        if (pvc.spec?.volumeName) {
          bound.push(pvc)
          continue
        }
        const cls = claimClass(pvc)
        const sc = cls ? state.snapshot.storageClass(cls) : undefined
        if (sc?.volumeBindingMode === 'WaitForFirstConsumer') delayed.push(pvc)
        else immediate = true
      }
      // The PV controller binds Immediate claims; until it has, no node can be chosen.
      if (immediate) return {status: Status.unresolvable(ERR_REASON_UNBOUND_IMMEDIATE)}
      delayed.sort((a, b) => requested(a) - requested(b))
      state.write(STATE_KEY, new VolumeState(bound, delayed))
      return null
    },
    filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo) {
      const s = state.read<VolumeState>(STATE_KEY)
      if (!s) return null
      let boundOK = true
      let pvsFound = true
      for (const pvc of s.bound) {
        const pv = state.snapshot.pv(pvc.spec!.volumeName!)
        if (!pv) {
          pvsFound = false
          break
        }
        if (!pvFitsNode(pv, nodeInfo)) {
          boundOK = false
          break
        }
      }
      let unboundOK = true
      const decisions: VolumeDecisions = {bind: [], provision: []}
      const taken = new Set<string>()
      for (const pvc of s.delayed) {
        // A claim whose provisioning already started for a node (selected-node set by an earlier
        // cycle) can only be used there, and only by provisioning.
        const selected = pvc.metadata.annotations?.[SELECTED_NODE]
        if (selected !== undefined && selected !== nodeInfo.name) {
          unboundOK = false
          break
        }
        const pv = selected === undefined ? matchingVolume(state.snapshot, pod, pvc, nodeInfo, taken) : undefined
        if (pv) {
          taken.add(pv.metadata.name ?? '')
          decisions.bind.push({claim: claimName(pvc), volume: pv.metadata.name ?? ''})
          continue
        }
        const sc = state.snapshot.storageClass(claimClass(pvc))
        if (!sc || !sc.provisioner || sc.provisioner === NO_PROVISIONER || !topologyAllows(sc, nodeInfo)) {
          unboundOK = false
          break
        }
        decisions.provision.push({claim: claimName(pvc)})
      }
      const reasons: string[] = []
      if (!boundOK) reasons.push(ERR_REASON_NODE_CONFLICT)
      if (!unboundOK) reasons.push(ERR_REASON_BIND_CONFLICT)
      if (!pvsFound) reasons.push(ERR_REASON_PV_NOT_EXIST)
      if (reasons.length > 0) return new Status('UnschedulableAndUnresolvable', reasons, NAME)
      s.byNode.set(nodeInfo.name, decisions)
      return null
    },
    reserve() {
      // The decisions stay in the cycle state; the scheduler hands them to the caller, who binds.
      return null
    },
    unreserve() {},
  } satisfies PreFilterPlugin & FilterPlugin & ReservePlugin
}

/** The volume decisions Filter made for `node` in this cycle, if the pod has claims to bind. */
export function volumeDecisions(state: CycleState, node: string): VolumeDecisions | undefined {
  return state.read<VolumeState>(STATE_KEY)?.byNode.get(node)
}
