// The StatefulSet controller (pkg/controller/statefulset): pods with stable names `<set>-<ordinal>`
// (from spec.ordinals.start), hostname and subdomain, one PersistentVolumeClaim per
// volumeClaimTemplate and ordinal (`<template>-<set>-<ordinal>`, created before its pod and kept
// when the pod goes), ControllerRevisions of the template, and the status `kubectl rollout status`
// reads.
//
// OrderedReady (the default) creates pods one at a time in ordinal order, each only once the ones
// below are Running and Ready (and available for minReadySeconds), and removes surplus pods from the
// highest ordinal down, one at a time; Parallel does both at once. A failed pod is deleted and made
// again. RollingUpdate replaces pods from the highest ordinal down to the partition, one at a time,
// waiting for each to be ready; OnDelete leaves it to the user (a deleted pod comes back at the new
// revision). persistentVolumeClaimRetentionPolicy Delete puts owner references on the claims (the
// StatefulSet for whenDeleted, the pod for whenScaled) so the garbage collector removes them.
// Left out: maxUnavailable (an alpha field; one pod at a time) and the StatefulSetStartOrdinal edge of
// renumbering live pods.
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import {selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {isPodReady, podReadySince} from './pods.js'
import {revisionData, revisionMatches} from './daemonset-util.js'
import {newControllerRevision, nextRevision, sortRevisions} from './history.js'

export const COMPONENT = 'statefulset-controller'
export const REVISION_LABEL = 'controller-revision-hash'
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name'
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index'

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}
function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}
function status(o: Obj): Obj {
  return (o.status ?? {}) as Obj
}
function nameOf(o: Obj): string {
  return String(meta(o).name)
}
function labelsOf(o: Obj): Record<string, string> {
  return (meta(o).labels ?? {}) as Record<string, string>
}

/** The ordinal of a pod of `set` (`<set>-<n>`), or -1. */
export function ordinalOf(setName: string, pod: Obj): number {
  const name = nameOf(pod)
  if (!name.startsWith(`${setName}-`)) return -1
  const rest = name.slice(setName.length + 1)
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1
}

export function claimName(template: Obj, setName: string, ordinal: number): string {
  return `${nameOf(template)}-${setName}-${ordinal}`
}

function isTerminating(p: Obj): boolean {
  return !!meta(p).deletionTimestamp
}
function isFailed(p: Obj): boolean {
  return status(p).phase === 'Failed'
}
function isSucceeded(p: Obj): boolean {
  return status(p).phase === 'Succeeded'
}
function runningAndReady(p: Obj): boolean {
  return status(p).phase === 'Running' && isPodReady(p)
}

/** The set as it was at a revision: its template from the revision's data. */
function setAtRevision(set: Obj, revision: Obj): Obj {
  const template = {...(((revision.data as Obj | undefined)?.spec as Obj | undefined)?.template as Obj ?? spec(set).template as Obj)}
  delete template.$patch
  return {...set, spec: {...spec(set), template}}
}

export class StatefulSetReconciler implements Reconciler {
  readonly name = 'statefulset'

  constructor(private readonly ctx: ControllerContext) {}

  private event(set: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder({component: COMPONENT}).event(set, type, reason, message)
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const set = this.ctx.informer(RESOURCES.statefulsets).get(key.namespace, key.name)
    if (!set || isTerminating(set)) return 'done'
    const ns = String(meta(set).namespace)
    const uid = String(meta(set).uid)
    let selector
    try {
      selector = selectorFromLabelSelector(spec(set).selector as LabelSelector)
    } catch {
      return 'done'
    }
    // Claim: owned pods, plus orphans whose name and labels say they are ours (adopted).
    const pods = this.ctx.informer(RESOURCES.pods).ownedBy(uid).filter((p) => meta(p).namespace === ns)
    for (const p of this.ctx.informer(RESOURCES.pods).orphans(ns)) {
      if (ordinalOf(nameOf(set), p) >= 0 && selector.matches(labelsOf(p)) && !isTerminating(p)) {
        pods.push(this.ctx.client.patch(RESOURCES.pods, ns, nameOf(p), 'merge', {metadata: {ownerReferences: [this.ownerRef(set)], resourceVersion: meta(p).resourceVersion}}))
      }
    }
    const revisions = this.ctx.informer(RESOURCES.controllerrevisions).ownedBy(uid).filter((r) => meta(r).namespace === ns)
    const {current, update, collisionCount} = this.revisions(set, revisions)
    const outcome = this.sync(set, current, update, pods)
    this.writeStatus(set, current, update, collisionCount, this.ctx.informer(RESOURCES.pods).ownedBy(uid).filter((p) => meta(p).namespace === ns))
    this.cleanupHistory(set, [...this.ctx.informer(RESOURCES.controllerrevisions).ownedBy(uid)], current, update)
    return outcome
  }

  private ownerRef(set: Obj): Obj {
    return {apiVersion: 'apps/v1', kind: 'StatefulSet', name: nameOf(set), uid: meta(set).uid, controller: true, blockOwnerDeletion: true}
  }

  /** getStatefulSetRevisions: the current and update revisions, creating or renumbering the latter. */
  private revisions(set: Obj, revs: Obj[]): {current: Obj; update: Obj; collisionCount: number} {
    let collisionCount = Number(status(set).collisionCount ?? 0)
    const sorted = sortRevisions(revs)
    const equal = sorted.filter((r) => revisionMatches(set, r))
    const latest = sorted[sorted.length - 1]
    let update: Obj
    if (equal.length > 0 && latest && equal[equal.length - 1] === latest) {
      update = latest
    } else if (equal.length > 0) {
      // A rollback to an earlier template: that revision becomes the newest.
      const r = equal[equal.length - 1]!
      update = this.ctx.client.update(RESOURCES.controllerrevisions, {...r, revision: nextRevision(sorted)})
    } else {
      const templateLabels = (((spec(set).template as Obj | undefined)?.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>
      for (;;) {
        const rev = newControllerRevision(set, templateLabels, revisionData(set), nextRevision(sorted), collisionCount)
        try {
          update = this.ctx.client.create(RESOURCES.controllerrevisions, String(meta(set).namespace), rev)
          break
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 409)) throw e
          const existing = this.ctx.client.get(RESOURCES.controllerrevisions, String(meta(set).namespace), nameOf(rev))
          if (existing && revisionMatches(set, existing)) {
            update = existing
            break
          }
          collisionCount++
        }
      }
    }
    const currentName = status(set).currentRevision
    const current = sorted.find((r) => nameOf(r) === currentName) ?? update
    return {current, update, collisionCount}
  }

  /** updateStatefulSet: one pass of creations, deletions and updates, as far as ordering allows. */
  private sync(set: Obj, currentRev: Obj, updateRev: Obj, pods: Obj[]): ReconcileResult {
    const s = spec(set)
    const setName = nameOf(set)
    const count = typeof s.replicas === 'number' ? s.replicas : 1
    const start = Number(((s.ordinals ?? {}) as Obj).start ?? 0)
    const monotonic = s.podManagementPolicy !== 'Parallel'
    const minReadyMs = Number(s.minReadySeconds ?? 0) * 1000
    const now = this.ctx.clock.now().getTime()
    const replicas: Array<Obj | undefined> = new Array(count).fill(undefined)
    const condemned: Obj[] = []
    for (const p of pods) {
      const ord = ordinalOf(setName, p)
      if (ord < 0) continue
      if (ord >= start && ord < start + count) replicas[ord - start] = p
      else condemned.push(p)
    }
    condemned.sort((a, b) => ordinalOf(setName, b) - ordinalOf(setName, a))
    let wait: number | undefined
    const available = (p: Obj): boolean => {
      if (!runningAndReady(p)) return false
      if (minReadyMs <= 0) return true
      const since = podReadySince(p) ?? now
      if (since + minReadyMs <= now) return true
      wait = Math.min(wait ?? Infinity, since + minReadyMs - now)
      return false
    }
    const result = (): ReconcileResult => (wait === undefined ? 'done' : {requeueAfterMs: Math.max(1, wait)})
    const firstUnhealthy = [...replicas, ...condemned].find((p) => p && (!available(p) || isTerminating(p)))

    for (let i = 0; i < count; i++) {
      const ord = start + i
      let pod = replicas[i]
      if (pod && (isFailed(pod) || isSucceeded(pod)) && !isTerminating(pod)) {
        this.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${meta(set).namespace}/${setName} is recreating ${isFailed(pod) ? 'failed' : 'terminated'} Pod ${nameOf(pod)}`)
        this.deletePod(set, pod)
        if (monotonic) return result()
        continue
      }
      if (!pod) {
        pod = this.createPod(set, this.versionedSet(set, currentRev, updateRev, ord), this.revisionFor(set, currentRev, updateRev, ord), ord)
        if (!pod || monotonic) return result()
        continue
      }
      if (!monotonic) continue
      if (isTerminating(pod)) return result()
      if (!available(pod)) return result()
    }
    for (const target of condemned) {
      if (isTerminating(target)) {
        if (monotonic) return result()
        continue
      }
      if (monotonic && !available(target) && target !== firstUnhealthy) return result()
      this.retainOnScaleDown(set, target)
      this.deletePod(set, target)
      if (monotonic) return result()
    }
    const strategy = (s.updateStrategy ?? {}) as Obj
    if (strategy.type === 'OnDelete') return result()
    const partition = Number(((strategy.rollingUpdate ?? {}) as Obj).partition ?? 0)
    for (let i = count - 1; i >= Math.max(0, partition - start); i--) {
      const pod = replicas[i]
      if (!pod) return result()
      if (labelsOf(pod)[REVISION_LABEL] !== nameOf(updateRev) && !isTerminating(pod)) {
        this.deletePod(set, pod)
        return result()
      }
      if (isTerminating(pod) || !available(pod)) return result()
    }
    return result()
  }

  private revisionFor(set: Obj, current: Obj, update: Obj, ordinal: number): Obj {
    const strategy = (spec(set).updateStrategy ?? {}) as Obj
    if (strategy.type !== 'OnDelete') {
      const ru = strategy.rollingUpdate as Obj | undefined
      const start = Number(((spec(set).ordinals ?? {}) as Obj).start ?? 0)
      const bound = ru ? Number(ru.partition ?? 0) : start + Number(status(set).currentReplicas ?? 0)
      if (ordinal < bound) return current
    }
    return update
  }

  private versionedSet(set: Obj, current: Obj, update: Obj, ordinal: number): Obj {
    return setAtRevision(set, this.revisionFor(set, current, update, ordinal))
  }

  /** newStatefulSetPod: the template with identity (name, labels, hostname, subdomain) and storage. */
  private createPod(set: Obj, versioned: Obj, revision: Obj, ordinal: number): Obj | undefined {
    const ns = String(meta(set).namespace)
    const setName = nameOf(set)
    const template = (spec(versioned).template ?? {}) as Obj
    const tmeta = (template.metadata ?? {}) as Obj
    const name = `${setName}-${ordinal}`
    const podSpec: Obj = structuredClone((template.spec ?? {}) as Obj)
    podSpec.hostname = name
    if (spec(set).serviceName) podSpec.subdomain = spec(set).serviceName
    const claims = (spec(set).volumeClaimTemplates ?? []) as Obj[]
    if (claims.length) {
      const vols = ((podSpec.volumes ?? []) as Obj[]).filter((v) => !claims.some((c) => nameOf(c) === v.name))
      for (const c of claims) vols.push({name: nameOf(c), persistentVolumeClaim: {claimName: claimName(c, setName, ordinal)}})
      podSpec.volumes = vols
    }
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name, namespace: ns,
        labels: {...((tmeta.labels ?? {}) as Obj), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: nameOf(revision)},
        ...(tmeta.annotations ? {annotations: {...(tmeta.annotations as Obj)}} : {}),
        ownerReferences: [this.ownerRef(set)],
      },
      spec: podSpec,
    }
    try {
      if (!this.createClaims(set, name, ordinal)) return undefined
      const created = this.ctx.client.create(RESOURCES.pods, ns, pod)
      this.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${setName} successful`)
      return created
    } catch (e) {
      if (e instanceof ApiError && e.code === 409) return undefined
      this.event(set, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${setName} failed error: ${(e as Error).message}`)
      throw e
    }
  }

  /** createPersistentVolumeClaims: the pod's missing claims; false while one is still being deleted. */
  private createClaims(set: Obj, podName: string, ordinal: number): boolean {
    const ns = String(meta(set).namespace)
    const setName = nameOf(set)
    const selectorLabels = (((spec(set).selector ?? {}) as Obj).matchLabels ?? {}) as Record<string, string>
    const policy = (spec(set).persistentVolumeClaimRetentionPolicy ?? {}) as Obj
    for (const t of (spec(set).volumeClaimTemplates ?? []) as Obj[]) {
      const name = claimName(t, setName, ordinal)
      const existing = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(ns, name)
      if (existing) {
        if (isTerminating(existing)) return false
        continue
      }
      const tm = (t.metadata ?? {}) as Obj
      const claim: Obj = {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim',
        metadata: {
          name, namespace: ns,
          labels: {...((tm.labels ?? {}) as Obj), ...selectorLabels},
          ...(tm.annotations ? {annotations: {...(tm.annotations as Obj)}} : {}),
          ...(policy.whenDeleted === 'Delete' ? {ownerReferences: [{apiVersion: 'apps/v1', kind: 'StatefulSet', name: setName, uid: meta(set).uid, controller: true, blockOwnerDeletion: true}]} : {}),
        },
        spec: structuredClone((t.spec ?? {}) as Obj),
      }
      try {
        this.ctx.client.create(RESOURCES.persistentvolumeclaims, ns, claim)
        this.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${setName} success`)
      } catch (e) {
        if (e instanceof ApiError && e.code === 409) continue
        this.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${setName} failed error: ${(e as Error).message}`)
        throw e
      }
    }
    return true
  }

  /** whenScaled: Delete — a condemned pod's claims become the pod's, so they go with it. */
  private retainOnScaleDown(set: Obj, pod: Obj): void {
    const policy = (spec(set).persistentVolumeClaimRetentionPolicy ?? {}) as Obj
    if (policy.whenScaled !== 'Delete') return
    const ns = String(meta(set).namespace)
    const ord = ordinalOf(nameOf(set), pod)
    for (const t of (spec(set).volumeClaimTemplates ?? []) as Obj[]) {
      const claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(ns, claimName(t, nameOf(set), ord))
      if (!claim) continue
      const refs = ((meta(claim).ownerReferences ?? []) as Obj[]).filter((r) => r.kind !== 'StatefulSet' || r.uid !== meta(set).uid || policy.whenDeleted === 'Delete')
      if (refs.some((r) => r.uid === meta(pod).uid)) continue
      const podRef = {apiVersion: 'v1', kind: 'Pod', name: nameOf(pod), uid: meta(pod).uid, controller: !refs.some((r) => r.controller === true), blockOwnerDeletion: true}
      this.ctx.client.patch(RESOURCES.persistentvolumeclaims, ns, nameOf(claim), 'merge', {metadata: {ownerReferences: [...refs, podRef], resourceVersion: meta(claim).resourceVersion}})
    }
  }

  private deletePod(set: Obj, pod: Obj): void {
    try {
      this.ctx.client.delete(RESOURCES.pods, String(meta(pod).namespace), nameOf(pod))
      this.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${nameOf(pod)} in StatefulSet ${nameOf(set)} successful`)
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return
      this.event(set, 'Warning', 'FailedDelete', `delete Pod ${nameOf(pod)} in StatefulSet ${nameOf(set)} failed error: ${(e as Error).message}`)
      throw e
    }
  }

  /** The status: counts by readiness and revision; the rollout completes when every pod is updated and ready. */
  private writeStatus(set: Obj, current: Obj, update: Obj, collisionCount: number, pods: Obj[]): void {
    const minReadyMs = Number(spec(set).minReadySeconds ?? 0) * 1000
    const now = this.ctx.clock.now().getTime()
    let replicas = 0, ready = 0, availableCount = 0, currentReplicas = 0, updated = 0
    for (const p of pods) {
      if (ordinalOf(nameOf(set), p) < 0) continue
      replicas++
      if (runningAndReady(p)) {
        ready++
        const since = podReadySince(p) ?? now
        if (minReadyMs <= 0 || since + minReadyMs <= now) availableCount++
      }
      if (isTerminating(p)) continue
      const rev = labelsOf(p)[REVISION_LABEL]
      if (rev === nameOf(current)) currentReplicas++
      if (rev === nameOf(update)) updated++
    }
    let currentRevision = nameOf(current)
    const rolling = ((spec(set).updateStrategy ?? {}) as Obj).type !== 'OnDelete'
    const want = typeof spec(set).replicas === 'number' ? spec(set).replicas as number : 1
    if (rolling && updated === replicas && ready === replicas && replicas === want) {
      currentRevision = nameOf(update)
      currentReplicas = updated
    } else if (!rolling && currentRevision === nameOf(update)) {
      currentReplicas = updated
    }
    const next: Obj = {
      observedGeneration: meta(set).generation,
      replicas,
      ...(ready ? {readyReplicas: ready} : {}),
      ...(currentReplicas ? {currentReplicas} : {}),
      ...(updated ? {updatedReplicas: updated} : {}),
      currentRevision, updateRevision: nameOf(update), collisionCount,
      availableReplicas: availableCount,
    }
    const old = status(set)
    const keys = ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision', 'collisionCount', 'availableReplicas']
    if (keys.every((k) => old[k] === next[k])) return
    this.ctx.client.updateStatus(RESOURCES.statefulsets, {...set, status: {...next, ...(old.conditions ? {conditions: old.conditions} : {})}})
  }

  /** truncateHistory: the oldest revisions beyond revisionHistoryLimit that no pod and neither live revision uses. */
  private cleanupHistory(set: Obj, revs: Obj[], current: Obj, update: Obj): void {
    const limit = typeof spec(set).revisionHistoryLimit === 'number' ? spec(set).revisionHistoryLimit as number : 10
    const ns = String(meta(set).namespace)
    const used = new Set(this.ctx.informer(RESOURCES.pods).ownedBy(String(meta(set).uid)).map((p) => labelsOf(p)[REVISION_LABEL]))
    const historic = sortRevisions(revs).filter((r) => nameOf(r) !== nameOf(current) && nameOf(r) !== nameOf(update) && !used.has(nameOf(r)))
    for (const r of historic.slice(0, Math.max(0, historic.length - limit))) {
      try {
        this.ctx.client.delete(RESOURCES.controllerrevisions, ns, nameOf(r))
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e
      }
    }
  }
}

export function addStatefulSetController(m: ControllerManager): void {
  m.add(new StatefulSetReconciler(m), (c, ctx) => {
    const sets = ctx.informer(RESOURCES.statefulsets)
    const key = (o: Obj): ObjectKey => ({namespace: String(meta(o).namespace), name: nameOf(o)})
    sets.addHandlers({onAdd: (s) => c.enqueue(key(s)), onUpdate: (_o, s) => c.enqueue(key(s)), onDelete: (s) => c.enqueue(key(s))})
    const owner = (o: Obj) => {
      const ref = ((meta(o).ownerReferences ?? []) as Obj[]).find((r) => r.controller === true)
      if (ref?.kind === 'StatefulSet') {
        c.enqueue({namespace: String(meta(o).namespace), name: String(ref.name)})
        return
      }
      if (ref || o.kind === 'ControllerRevision') return
      // An orphan pod wakes the sets whose selector takes it.
      for (const s of sets.list(String(meta(o).namespace))) {
        try {
          if (selectorFromLabelSelector(spec(s).selector as LabelSelector).matches(labelsOf(o))) c.enqueue(key(s))
        } catch {
          // an invalid selector selects nothing
        }
      }
    }
    ctx.informer(RESOURCES.pods).addHandlers({onAdd: owner, onUpdate: (_o, p) => owner(p), onDelete: owner})
    ctx.informer(RESOURCES.controllerrevisions).addHandlers({onAdd: owner, onDelete: owner})
    ctx.informer(RESOURCES.persistentvolumeclaims).addHandlers({
      onDelete: (pvc) => {
        // A claim gone while its pod waits for it: the set may create it again.
        for (const s of sets.list(String(meta(pvc).namespace))) c.enqueue(key(s))
      },
    })
  })
}
