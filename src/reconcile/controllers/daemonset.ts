// The DaemonSet controller (pkg/controller/daemon): one pod per eligible node. A node is eligible when
// the pod the DaemonSet would create fits it (nodeSelector, required node affinity, NoSchedule and
// NoExecute taints, judged with the scheduler library's matchers); the controller creates the pod
// pinned to the node by a `matchFields metadata.name` affinity and leaves binding to the scheduler.
// It keeps ControllerRevisions of the template (pods carry `controller-revision-hash` and
// `pod-template-generation`), rolls out template changes (RollingUpdate with maxUnavailable /
// maxSurge, or OnDelete), removes pods from nodes that stopped qualifying, replaces failed pods with
// back-off, trims duplicates, and writes the status counters `kubectl rollout status` reads.
import {selectorFromLabelSelector, type LabelSelector, type Selector} from '../../api/labels.js'
import {ApiError} from '../../apiserver/errors.js'
import type {Obj} from '../../apiserver/types.js'
import type {EventRecorder} from '../events.js'
import {controllerRef} from '../informer.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {computeHash} from './deployment-util.js'
import {
  allowsSurge, byCreationAndPhase, DaemonPlacement, FailedPodsBackoff, isPodAvailable, isPodUpdated, labelsOf, pinToNode,
  REVISION_HASH_LABEL, revisionData, revisionMatches, surgeCount, targetNodeName, TEMPLATE_GENERATION_LABEL, templateGeneration,
  unavailableCount, updatedPodsOnNode, type NodeVerdict,
} from './daemonset-util.js'
import {nextRevision, sortRevisions} from './history.js'
import {isPodReady} from './pods.js'

export const DAEMONSET_CONTROLLER = 'daemonset-controller'
/** The controller's burstReplicas: creations or deletions per sync at most. */
const BURST = 250
/** controller.SlowStartInitialBatchSize. */
const SLOW_START_BATCH = 1

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

function nameOf(o: Obj): string {
  return String(meta(o).name)
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

/** Placement and selector per DaemonSet object as cached (an update replaces the object, so the entry). */
const placements = new WeakMap<Obj, DaemonPlacement>()
const selectors = new WeakMap<Obj, Selector>()

function placementOf(ds: Obj): DaemonPlacement {
  let p = placements.get(ds)
  if (!p) placements.set(ds, (p = new DaemonPlacement(ds)))
  return p
}

function selectorOf(ds: Obj): Selector {
  let s = selectors.get(ds)
  if (!s) selectors.set(ds, (s = selectorFromLabelSelector(spec(ds).selector as LabelSelector | undefined)))
  return s
}

/** A selector of `{}`: the controller refuses it (it would fight every other controller). */
function selectsAll(ds: Obj): boolean {
  const ls = (spec(ds).selector ?? {}) as LabelSelector
  return Object.keys(ls.matchLabels ?? {}).length + (ls.matchExpressions ?? []).length === 0
}

export function ownerRefTo(ds: Obj): Obj {
  return {apiVersion: 'apps/v1', kind: 'DaemonSet', name: meta(ds).name, uid: meta(ds).uid, controller: true, blockOwnerDeletion: true}
}

function isNamespaceTerminating(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false
  return (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating') || /because it is being terminated/.test(e.message)
}

export class DaemonSetReconciler implements Reconciler {
  readonly name = 'daemonset'
  /** Shared by every sync: deletions of failed pods per (DaemonSet, generation, node). */
  readonly failedPodsBackoff = new FailedPodsBackoff()

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const ds = this.ctx.informer(RESOURCES.daemonsets).get(key.namespace, key.name)
    if (!ds) return 'done'
    return new DaemonSetSync(this.ctx, ds, this.failedPodsBackoff).run()
  }
}

/** One syncDaemonSet over a cached DaemonSet. */
class DaemonSetSync {
  private readonly namespace: string
  private readonly placement: DaemonPlacement
  private readonly selector: Selector
  private readonly nodes: Obj[]
  private readonly verdicts = new Map<string, NodeVerdict>()
  private readonly generation: number | undefined
  private readonly now: number
  private requeueMs?: number

  constructor(private readonly ctx: ControllerContext, private ds: Obj, private readonly backoff: FailedPodsBackoff) {
    this.namespace = String(meta(ds).namespace)
    this.placement = placementOf(ds)
    this.selector = selectorOf(ds)
    this.nodes = ctx.informer(RESOURCES.nodes).list().sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0))
    this.generation = templateGeneration(ds)
    this.now = ctx.clock.now().getTime()
  }

  private get recorder(): EventRecorder {
    return this.ctx.recorder({component: DAEMONSET_CONTROLLER})
  }

  private requeueAfter(ms: number): void {
    this.requeueMs = Math.min(this.requeueMs ?? Infinity, Math.max(1, ms))
  }

  private verdict(node: Obj): NodeVerdict {
    const name = nameOf(node)
    let v = this.verdicts.get(name)
    if (!v) this.verdicts.set(name, (v = this.placement.verdict(node)))
    return v
  }

  private get minReadySeconds(): number {
    return num(spec(this.ds).minReadySeconds)
  }

  run(): ReconcileResult {
    if (selectsAll(this.ds)) {
      this.recorder.event(this.ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.')
      return 'done'
    }
    // Its revisions may be gone or orphaned already: the status of a DaemonSet being deleted cannot be known.
    if (meta(this.ds).deletionTimestamp) return 'done'
    const {cur, old} = this.constructHistory()
    const hash = labelsOf(cur)[REVISION_HASH_LABEL] ?? ''
    let failure: unknown
    try {
      this.manage(hash)
      const type = (spec(this.ds).updateStrategy as Obj | undefined)?.type ?? 'RollingUpdate'
      if (type === 'RollingUpdate') this.rollingUpdate(hash)
      this.cleanupHistory(old)
    } catch (e) {
      failure = e
    }
    this.updateStatus(hash)
    if (failure) throw failure
    return this.requeueMs !== undefined ? {requeueAfterMs: this.requeueMs} : 'done'
  }

  // -------------------------------------------------------------------------------------------
  // Pods: claim and group by node

  /** ClaimPods: owned pods matching the selector, plus matching orphans adopted; owned pods that stopped matching are released. */
  private claimPods(): Obj[] {
    const uid = String(meta(this.ds).uid)
    const out: Obj[] = []
    for (const p of this.ctx.informer(RESOURCES.pods).list(this.namespace)) {
      const owner = controllerRef(p)
      const matches = this.selector.matches(labelsOf(p))
      if (owner) {
        if (owner.uid !== uid) continue
        if (matches) out.push(p)
        else this.setOwner(p, false)
      } else if (matches && !meta(p).deletionTimestamp) {
        const adopted = this.setOwner(p, true)
        if (adopted) out.push(adopted)
      }
    }
    return out
  }

  private setOwner(pod: Obj, own: boolean): Obj | undefined {
    const pm = meta(pod)
    const others = ((pm.ownerReferences ?? []) as Obj[]).filter((r) => r.controller !== true)
    const refs = own ? [...others, ownerRefTo(this.ds)] : others
    try {
      return this.ctx.client.patch(RESOURCES.pods, this.namespace, String(pm.name), 'merge', {metadata: {ownerReferences: refs.length ? refs : null, resourceVersion: pm.resourceVersion}})
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined
      throw e
    }
  }

  /**
   * getNodesToDaemonPods: claimed pods by the node they run on or are pinned to. Pods that are both
   * finished and being deleted are left out unless `includeDeletedTerminal`.
   */
  private nodeToDaemonPods(includeDeletedTerminal: boolean): Map<string, Obj[]> {
    const out = new Map<string, Obj[]>()
    for (const p of this.claimPods()) {
      const phase = (p.status as Obj | undefined)?.phase
      if (!includeDeletedTerminal && (phase === 'Succeeded' || phase === 'Failed') && meta(p).deletionTimestamp) continue
      const node = targetNodeName(p)
      if (node === undefined) continue
      if (!out.has(node)) out.set(node, [])
      out.get(node)!.push(p)
    }
    return out
  }

  // -------------------------------------------------------------------------------------------
  // manage: create missing pods, delete the ones that should go

  private manage(hash: string): void {
    const nodeToPods = this.nodeToDaemonPods(false)
    const needing: string[] = []
    const toDelete: string[] = []
    for (const node of this.nodes) this.podsShouldBeOnNode(node, nodeToPods, hash, needing, toDelete)
    // Unscheduled pods pinned to nodes that are gone: the pod GC only removes pods bound to such nodes.
    const existing = new Set(this.nodes.map(nameOf))
    for (const [node, pods] of nodeToPods) {
      if (existing.has(node)) continue
      for (const p of pods) if (!spec(p).nodeName) toDelete.push(nameOf(p))
    }
    this.syncNodes(toDelete, needing, hash)
  }

  private podsShouldBeOnNode(node: Obj, nodeToPods: Map<string, Obj[]>, hash: string, needing: string[], toDelete: string[]): void {
    const nodeName = nameOf(node)
    const {shouldRun, shouldContinueRunning} = this.verdict(node)
    const pods = nodeToPods.get(nodeName)
    if (shouldRun && !pods) {
      needing.push(nodeName)
      return
    }
    if (shouldContinueRunning) {
      const running: Obj[] = []
      for (const p of pods ?? []) {
        if (meta(p).deletionTimestamp) continue
        const phase = (p.status as Obj | undefined)?.phase
        if (phase === 'Failed') {
          // The kubelet may keep rejecting the pod: back off before replacing it again.
          const key = `${meta(this.ds).uid}/${num((this.ds.status as Obj | undefined)?.observedGeneration)}/${nodeName}`
          if (this.backoff.inBackoff(key, this.now)) {
            this.requeueAfter(this.backoff.get(key))
            continue
          }
          this.backoff.next(key, this.now)
          this.recorder.event(this.ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${this.namespace}/${nameOf(p)} on node ${nodeName}, will try to kill it`)
          toDelete.push(nameOf(p))
        } else if (phase === 'Succeeded') {
          this.recorder.event(this.ds, 'Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${this.namespace}/${nameOf(p)} on node ${nodeName}, will try to delete it`)
          toDelete.push(nameOf(p))
        } else {
          running.push(p)
        }
      }
      running.sort(byCreationAndPhase)
      if (!allowsSurge(this.ds)) {
        // One pod per node: the oldest stays.
        for (const p of running.slice(1)) toDelete.push(nameOf(p))
        return
      }
      if (running.length <= 1) {
        if (running.length === 0 && shouldRun) needing.push(nodeName)
        return
      }
      // Surging: keep the oldest new pod and the oldest old one; the old one goes once it is not
      // ready or the new one is available.
      let oldestNew: Obj | undefined, oldestOld: Obj | undefined
      for (const p of running) {
        if (labelsOf(p)[REVISION_HASH_LABEL] === hash) {
          if (!oldestNew) {
            oldestNew = p
            continue
          }
        } else if (!oldestOld) {
          oldestOld = p
          continue
        }
        toDelete.push(nameOf(p))
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, this.minReadySeconds, this.now))) toDelete.push(nameOf(oldestOld))
      return
    }
    // The node no longer qualifies: every pod there goes.
    for (const p of pods ?? []) if (!meta(p).deletionTimestamp) toDelete.push(nameOf(p))
  }

  /** syncNodes: deletes the pods and creates pods pinned to the nodes (slow start: batches 1, 2, 4, …). */
  private syncNodes(toDelete: string[], needing: string[], hash: string): void {
    const errors: unknown[] = []
    const creates = needing.slice(0, BURST)
    const template = this.podTemplate(hash)
    let batch = Math.min(creates.length, SLOW_START_BATCH)
    for (let pos = 0; pos < creates.length; pos += batch, batch = Math.min(2 * batch, creates.length - pos)) {
      const before = errors.length
      for (let i = pos; i < pos + batch; i++) {
        const e = this.createPod(template, creates[i]!)
        if (e) errors.push(e)
      }
      // A failing batch stops the rest: they would most likely fail the same way.
      if (errors.length > before) break
    }
    for (const name of toDelete.slice(0, BURST)) {
      try {
        this.ctx.client.delete(RESOURCES.pods, this.namespace, name)
        this.recorder.event(this.ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`)
      } catch (e) {
        this.recorder.event(this.ds, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`)
        errors.push(e)
      }
    }
    if (errors.length) throw errors[0]
  }

  /** CreatePodTemplate: the template with the daemon tolerations and the revision labels. */
  private podTemplate(hash: string): Obj {
    const template = structuredClone((spec(this.ds).template ?? {}) as Obj)
    const tm = (template.metadata ?? {}) as Obj
    const labels: Record<string, string> = {...((tm.labels ?? {}) as Record<string, string>)}
    if (this.generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = String(this.generation)
    if (hash) labels[REVISION_HASH_LABEL] = hash
    template.metadata = {...tm, labels}
    template.spec = {...((template.spec ?? {}) as Obj), tolerations: this.placement.tolerations}
    return template
  }

  /** Creates one pod for a node; returns the error when it failed (after a FailedCreate event). */
  private createPod(template: Obj, nodeName: string): unknown {
    const tm = template.metadata as Obj
    const podSpec = structuredClone(template.spec as Obj)
    podSpec.affinity = pinToNode(podSpec.affinity as Obj | undefined, nodeName)
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        generateName: `${nameOf(this.ds)}-`,
        namespace: this.namespace,
        labels: tm.labels,
        ...(tm.annotations ? {annotations: tm.annotations} : {}),
        ...(tm.finalizers ? {finalizers: tm.finalizers} : {}),
        ownerReferences: [ownerRefTo(this.ds)],
      },
      spec: podSpec,
    }
    try {
      const created = this.ctx.client.create(RESOURCES.pods, this.namespace, pod)
      this.recorder.event(this.ds, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created)}`)
      return undefined
    } catch (e) {
      // A namespace being torn down refuses every creation: nothing to report.
      if (isNamespaceTerminating(e)) return undefined
      this.recorder.event(this.ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`)
      return e
    }
  }

  // -------------------------------------------------------------------------------------------
  // Rolling update

  /** updatedDesiredNodeCounts: the budgets over the nodes that should run a pod (each such node gets an entry). */
  private budgets(nodeToPods: Map<string, Obj[]>): {maxSurge: number; maxUnavailable: number; desired: number} {
    let desired = 0
    for (const node of this.nodes) {
      if (!this.verdict(node).shouldRun) continue
      desired++
      if (!nodeToPods.has(nameOf(node))) nodeToPods.set(nameOf(node), [])
    }
    let maxUnavailable = unavailableCount(this.ds, desired)
    const maxSurge = surgeCount(this.ds, desired)
    // Neither surge nor unavailability would never progress: accept one unavailable pod.
    if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1
    return {maxSurge, maxUnavailable, desired}
  }

  private rollingUpdate(hash: string): void {
    const nodeToPods = this.nodeToDaemonPods(false)
    const {maxSurge, maxUnavailable, desired} = this.budgets(nodeToPods)
    const nodeNames = [...nodeToPods.keys()].sort()
    const available = (p: Obj) => isPodAvailable(p, this.minReadySeconds, this.now)
    if (maxSurge === 0) {
      // Delete old pods while the unavailable ones stay within maxUnavailable; manage() replaces them.
      let unavailable = 0
      const replacements: string[] = []
      const candidates: string[] = []
      for (const node of nodeNames) {
        const {newPod, oldPod, ok} = updatedPodsOnNode(nodeToPods.get(node)!, hash, this.generation)
        if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
          unavailable++
        } else if (newPod) {
          if (!available(newPod)) unavailable++
        } else if (!available(oldPod!)) {
          // Not available anyway: replacing it costs nothing.
          replacements.push(nameOf(oldPod!))
          unavailable++
        } else if (unavailable < maxUnavailable) {
          candidates.push(nameOf(oldPod!))
        }
      }
      const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length)
      this.syncNodes([...replacements, ...candidates.slice(0, room)], [], hash)
      return
    }
    // Surging: a new pod next to each old one (up to maxSurge at a time); the old one goes once the new one is available.
    const oldToDelete: string[] = []
    const shouldNotRunToDelete: string[] = []
    const candidateNodes: string[] = []
    const allowedNodes: string[] = []
    let surge = 0
    let numAvailable = 0
    for (const node of nodeNames) {
      const {newPod, oldPod, ok} = updatedPodsOnNode(nodeToPods.get(node)!, hash, this.generation)
      if (!ok) {
        surge++
        continue
      }
      if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++
      if (!oldPod) continue
      if (!newPod) {
        const nodeObj = this.ctx.informer(RESOURCES.nodes).get(undefined, node)
        if (!nodeObj) throw new Error(`couldn't get node for nodeName "${node}": node "${node}" not found`)
        const shouldRun = this.verdict(nodeObj).shouldRun
        if (!available(oldPod)) {
          if (!shouldRun) oldToDelete.push(nameOf(oldPod))
          else allowedNodes.push(node)
        } else if (!shouldRun) {
          shouldNotRunToDelete.push(nameOf(oldPod))
        } else if (surge < maxSurge) {
          candidateNodes.push(node)
        }
        continue
      }
      if (!available(newPod)) {
        surge++
        continue
      }
      oldToDelete.push(nameOf(oldPod))
    }
    // Pods on nodes that no longer qualify go only while enough pods elsewhere are available.
    const deletable = Math.min(numAvailable - desired, shouldNotRunToDelete.length)
    for (const name of shouldNotRunToDelete.slice(0, Math.max(0, deletable))) {
      const p = this.ctx.informer(RESOURCES.pods).get(this.namespace, name)
      if (p && !meta(p).deletionTimestamp) oldToDelete.push(name)
    }
    const room = Math.min(Math.max(0, maxSurge - surge), candidateNodes.length)
    this.syncNodes(oldToDelete, [...allowedNodes, ...candidateNodes.slice(0, room)], hash)
  }

  // -------------------------------------------------------------------------------------------
  // ControllerRevisions

  /** ClaimControllerRevisions: owned and matching, matching orphans adopted, owned non-matching released. */
  private claimHistories(): Obj[] {
    const uid = String(meta(this.ds).uid)
    const out: Obj[] = []
    for (const h of this.ctx.informer(RESOURCES.controllerrevisions).list(this.namespace)) {
      const owner = controllerRef(h)
      const matches = this.selector.matches(labelsOf(h))
      if (owner) {
        if (owner.uid !== uid) continue
        if (matches) out.push(h)
        else this.setRevisionOwner(h, false)
      } else if (matches && !meta(h).deletionTimestamp) {
        const adopted = this.setRevisionOwner(h, true)
        if (adopted) out.push(adopted)
      }
    }
    return out
  }

  private setRevisionOwner(h: Obj, own: boolean): Obj | undefined {
    const hm = meta(h)
    const others = ((hm.ownerReferences ?? []) as Obj[]).filter((r) => r.controller !== true)
    const refs = own ? [...others, ownerRefTo(this.ds)] : others
    try {
      return this.ctx.client.patch(RESOURCES.controllerrevisions, this.namespace, String(hm.name), 'merge', {metadata: {ownerReferences: refs.length ? refs : null, resourceVersion: hm.resourceVersion}})
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined
      throw e
    }
  }

  /** constructHistory: the revision matching the template (created or renumbered as needed) and the others. */
  private constructHistory(): {cur: Obj; old: Obj[]} {
    const current: Obj[] = []
    const old: Obj[] = []
    for (let h of this.claimHistories()) {
      if (labelsOf(h)[REVISION_HASH_LABEL] === undefined) {
        // Revisions from before the label existed get their name as the hash.
        h = this.ctx.client.update(RESOURCES.controllerrevisions, {...h, metadata: {...meta(h), labels: {...labelsOf(h), [REVISION_HASH_LABEL]: nameOf(h)}}})
      }
      ;(revisionMatches(this.ds, h) ? current : old).push(h)
    }
    const revision = nextRevision(old)
    if (current.length === 0) return {cur: this.snapshot(revision), old}
    const cur = this.dedupCurrent(current)
    if (num(cur.revision) < revision) {
      return {cur: this.ctx.client.update(RESOURCES.controllerrevisions, {...cur, revision}), old}
    }
    return {cur, old}
  }

  /** Several revisions match the template: keep the highest, move pods over to its hash, delete the rest. */
  private dedupCurrent(current: Obj[]): Obj {
    if (current.length === 1) return current[0]!
    let keep = current[0]!
    for (const h of current) if (num(h.revision) >= num(keep.revision)) keep = h
    const keepHash = labelsOf(keep)[REVISION_HASH_LABEL]!
    for (const h of current) {
      if (h === keep) continue
      const dupHash = labelsOf(h)[REVISION_HASH_LABEL]
      for (const p of this.claimPods()) {
        if (labelsOf(p)[REVISION_HASH_LABEL] !== dupHash) continue
        this.ctx.client.patch(RESOURCES.pods, this.namespace, nameOf(p), 'strategic', {metadata: {labels: {[REVISION_HASH_LABEL]: keepHash}}})
      }
      this.ctx.client.delete(RESOURCES.controllerrevisions, this.namespace, nameOf(h))
    }
    return keep
  }

  /** snapshot: a new ControllerRevision `<ds>-<hash>`; a name taken by another template bumps collisionCount. */
  private snapshot(revision: number): Obj {
    const status = (this.ds.status ?? {}) as Obj
    const collisionCount = typeof status.collisionCount === 'number' ? status.collisionCount : undefined
    const template = (spec(this.ds).template ?? {}) as Obj
    const hash = computeHash(template, collisionCount)
    const name = `${nameOf(this.ds)}-${hash}`
    const annotations = meta(this.ds).annotations
    const history: Obj = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: {
        name, namespace: this.namespace,
        labels: {...(((template.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>), [REVISION_HASH_LABEL]: hash},
        ...(annotations ? {annotations} : {}),
        ownerReferences: [ownerRefTo(this.ds)],
      },
      data: revisionData(this.ds),
      revision,
    }
    try {
      return this.ctx.client.create(RESOURCES.controllerrevisions, this.namespace, history)
    } catch (e) {
      if (!(e instanceof ApiError && e.status.reason === 'AlreadyExists')) throw e
      const existing = this.ctx.client.get(RESOURCES.controllerrevisions, this.namespace, name)
      if (existing && revisionMatches(this.ds, existing)) return existing
      const live = this.ctx.client.get(RESOURCES.daemonsets, this.namespace, nameOf(this.ds))
      if (!live) throw e
      const liveCount = ((live.status ?? {}) as Obj).collisionCount
      if (liveCount !== collisionCount) {
        throw new Error(`found a stale collision count (${collisionCount ?? 'nil'}, expected ${liveCount ?? 'nil'}) of DaemonSet "${nameOf(this.ds)}" while processing; will retry until it is updated`)
      }
      this.ds = this.ctx.client.updateStatus(RESOURCES.daemonsets, {...live, status: {...((live.status ?? {}) as Obj), collisionCount: num(liveCount) + 1}})
      throw e
    }
  }

  /** cleanupHistory: old revisions beyond revisionHistoryLimit, oldest first, unless a pod still runs them. */
  private cleanupHistory(old: Obj[]): void {
    const limitRaw = spec(this.ds).revisionHistoryLimit
    const limit = typeof limitRaw === 'number' ? limitRaw : 10
    let toKill = old.length - limit
    if (toKill <= 0) return
    const live = new Set<string>()
    for (const pods of this.nodeToDaemonPods(true).values()) {
      for (const p of pods) {
        const h = labelsOf(p)[REVISION_HASH_LABEL]
        if (h) live.add(h)
      }
    }
    for (const h of sortRevisions(old)) {
      if (toKill <= 0) break
      if (live.has(labelsOf(h)[REVISION_HASH_LABEL] ?? '')) continue
      this.ctx.client.delete(RESOURCES.controllerrevisions, this.namespace, nameOf(h))
      toKill--
    }
  }

  // -------------------------------------------------------------------------------------------
  // Status

  private updateStatus(hash: string): void {
    const nodeToPods = this.nodeToDaemonPods(false)
    let desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0
    for (const node of this.nodes) {
      const {shouldRun} = this.verdict(node)
      const pods = nodeToPods.get(nameOf(node)) ?? []
      if (!shouldRun) {
        if (pods.length) misscheduled++
        continue
      }
      desired++
      if (!pods.length) continue
      current++
      const pod = [...pods].sort(byCreationAndPhase)[0]!
      if (isPodReady(pod)) {
        ready++
        if (isPodAvailable(pod, this.minReadySeconds, this.now)) available++
      }
      if (isPodUpdated(pod, hash, this.generation)) updated++
    }
    const unavailable = desired - available
    const old = (this.ds.status ?? {}) as Obj
    const generation = num(meta(this.ds).generation)
    const same = num(old.desiredNumberScheduled) === desired && num(old.currentNumberScheduled) === current && num(old.numberMisscheduled) === misscheduled
      && num(old.numberReady) === ready && num(old.updatedNumberScheduled) === updated && num(old.numberAvailable) === available
      && num(old.numberUnavailable) === unavailable && num(old.observedGeneration) >= generation
    if (!same) {
      const status = (base: Obj): Obj => {
        const s: Obj = {
          currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready,
          observedGeneration: generation,
        }
        if (updated) s.updatedNumberScheduled = updated
        if (available) s.numberAvailable = available
        if (unavailable) s.numberUnavailable = unavailable
        if (base.collisionCount !== undefined) s.collisionCount = base.collisionCount
        if (base.conditions !== undefined) s.conditions = base.conditions
        return s
      }
      try {
        this.ds = this.ctx.client.updateStatus(RESOURCES.daemonsets, {...this.ds, status: status(old)})
      } catch (e) {
        // One retry on the latest version (statusUpdateRetries), then the queue's back-off.
        if (!(e instanceof ApiError && e.code === 409)) throw e
        const fresh = this.ctx.client.get(RESOURCES.daemonsets, this.namespace, nameOf(this.ds))
        if (!fresh || meta(fresh).uid !== meta(this.ds).uid) return
        this.ds = this.ctx.client.updateStatus(RESOURCES.daemonsets, {...fresh, status: status((fresh.status ?? {}) as Obj)})
      }
    }
    // Availability after minReadySeconds is a time event nothing else announces.
    if (this.minReadySeconds > 0 && ready !== available) this.requeueAfter(this.minReadySeconds * 1000)
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring

export function addDaemonSetController(m: ControllerManager): void {
  m.add(new DaemonSetReconciler(m), (c, ctx) => {
    const dsInformer = ctx.informer(RESOURCES.daemonsets)
    const key = (o: Obj) => ({namespace: String(meta(o).namespace), name: nameOf(o)})
    const enqueue = (ds: Obj) => c.enqueue(key(ds))
    /** resolveControllerRef: the DaemonSet a controller reference names, if it is still that one. */
    const resolve = (namespace: string, ref: Obj | undefined): Obj | undefined => {
      if (!ref || ref.kind !== 'DaemonSet') return undefined
      const ds = dsInformer.get(namespace, String(ref.name))
      return ds && meta(ds).uid === ref.uid ? ds : undefined
    }
    /** getDaemonSetsForPod / ForHistory: the DaemonSets whose selector matches an orphan. */
    const matching = (o: Obj): Obj[] => dsInformer.list(String(meta(o).namespace)).filter((ds) => !selectsAll(ds) && selectorOf(ds).matches(labelsOf(o)))
    dsInformer.addHandlers({onAdd: enqueue, onUpdate: (_, ds) => enqueue(ds)})

    // Pods and ControllerRevisions: wake their DaemonSet (or, for orphans, the ones that may adopt them).
    const ownedHandlers = (onReady?: (old: Obj, cur: Obj, ds: Obj) => void) => {
      const wakeOwner = (o: Obj) => {
        const ds = resolve(String(meta(o).namespace), controllerRef(o))
        if (ds) enqueue(ds)
      }
      return {
        onAdd: (o: Obj) => {
          if (meta(o).deletionTimestamp) return wakeOwner(o)
          const ref = controllerRef(o)
          if (ref) return wakeOwner(o)
          for (const ds of matching(o)) enqueue(ds)
        },
        onUpdate: (old: Obj, o: Obj) => {
          if (meta(old).resourceVersion === meta(o).resourceVersion) return
          if (meta(o).deletionTimestamp) return wakeOwner(o)
          const ref = controllerRef(o), oldRef = controllerRef(old)
          const refChanged = JSON.stringify(ref ?? null) !== JSON.stringify(oldRef ?? null)
          if (refChanged && oldRef) {
            const prev = resolve(String(meta(old).namespace), oldRef)
            if (prev) enqueue(prev)
          }
          if (ref) {
            const ds = resolve(String(meta(o).namespace), ref)
            if (ds) {
              enqueue(ds)
              onReady?.(old, o, ds)
            }
            return
          }
          if (refChanged || JSON.stringify(labelsOf(old)) !== JSON.stringify(labelsOf(o))) for (const ds of matching(o)) enqueue(ds)
        },
        onDelete: wakeOwner,
      }
    }
    ctx.informer(RESOURCES.pods).addHandlers(ownedHandlers((old, p, ds) => {
      // A pod that just became ready is available minReadySeconds later (plus a second of slack).
      const minReady = num(spec(ds).minReadySeconds)
      if (minReady > 0 && !isPodReady(old) && isPodReady(p)) c.enqueueAfter(key(ds), minReady * 1000 + 1000)
    }))
    ctx.informer(RESOURCES.controllerrevisions).addHandlers(ownedHandlers())

    // Nodes: a new node, or one whose labels or taints changed what the DaemonSets think of it.
    const nodeInformer = ctx.informer(RESOURCES.nodes)
    nodeInformer.addHandlers({
      onAdd: (node) => {
        for (const ds of dsInformer.list()) if (placementOf(ds).verdict(node).shouldRun) enqueue(ds)
      },
      onUpdate: (old, node) => {
        if (JSON.stringify(meta(old).labels ?? {}) === JSON.stringify(meta(node).labels ?? {}) && JSON.stringify(spec(old).taints ?? []) === JSON.stringify(spec(node).taints ?? [])) return
        for (const ds of dsInformer.list()) {
          const p = placementOf(ds)
          const a = p.verdict(old), b = p.verdict(node)
          if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) enqueue(ds)
        }
      },
      // Upstream waits for the pod GC to delete the pods of a deleted node; here the counts are redone at once.
      onDelete: () => {
        for (const ds of dsInformer.list()) enqueue(ds)
      },
    })
  })
}
