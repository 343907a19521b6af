// The ReplicaSet controller (pkg/controller/replicaset): keeps `replicas` active Pods that match the
// selector, adopting orphans and releasing Pods that no longer match, deleting the least valuable
// Pods first (the real ranking), and writing the status counters kubectl and the Deployment
// controller read (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration).
import {selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import {controllerRef} from '../informer.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {isPodActive, isPodReady, podReadySince} from './pods.js'

/** How many Pods one reconcile creates or deletes at most (the controller's burstReplicas). */
const BURST = 500

export class ReplicaSetReconciler implements Reconciler {
  readonly name = 'replicaset'

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const rs = this.ctx.informer(RESOURCES.replicasets).get(key.namespace, key.name)
    if (!rs) return 'done'
    const m = rs.metadata as Obj
    const spec = (rs.spec ?? {}) as Obj
    const selector = selectorFromLabelSelector(spec.selector as LabelSelector)
    const uid = String(m.uid)
    const pods = this.claimPods(rs, selector)
    const active = pods.filter(isPodActive)
    const wanted = typeof spec.replicas === 'number' ? spec.replicas : 1
    if (!m.deletionTimestamp) {
      const diff = active.length - wanted
      if (diff < 0) for (let i = 0; i < Math.min(-diff, BURST); i++) this.createPod(rs)
      else if (diff > 0) for (const p of podsToDelete(active, diff)) this.deletePod(rs, p)
    }
    return this.updateStatus(rs, uid, selector)
  }

  /** Owned pods matching the selector, plus orphans it adopts; owned pods that stopped matching are released. */
  private claimPods(rs: Obj, selector: ReturnType<typeof selectorFromLabelSelector>): Obj[] {
    const m = rs.metadata as Obj
    const uid = String(m.uid)
    const out: Obj[] = []
    const pods = this.ctx.informer(RESOURCES.pods)
    for (const p of [...pods.ownedBy(uid), ...pods.orphans(String(m.namespace))]) {
      const pm = p.metadata as Obj
      const owner = controllerRef(p)
      const labels = (pm.labels ?? {}) as Record<string, string>
      const matches = selector.matches(labels)
      if (owner?.uid === uid) {
        if (matches) out.push(p)
        else if (!pm.deletionTimestamp) this.setOwner(p, undefined)
      } else if (!owner && matches && !pm.deletionTimestamp && !m.deletionTimestamp) {
        out.push(this.setOwner(p, rs))
      }
    }
    return out
  }

  private setOwner(pod: Obj, rs: Obj | undefined): Obj {
    const pm = pod.metadata as Obj
    const others = ((pm.ownerReferences ?? []) as Obj[]).filter((r) => r.controller !== true)
    const refs = rs ? [...others, ownerRefTo(rs)] : others
    return this.ctx.client.patch(RESOURCES.pods, String(pm.namespace), String(pm.name), 'merge', {metadata: {ownerReferences: refs.length ? refs : null, resourceVersion: pm.resourceVersion}})
  }

  private events() {
    return this.ctx.recorder({component: 'replicaset-controller'})
  }

  private deletePod(rs: Obj, pod: Obj): void {
    const name = String((pod.metadata as Obj).name)
    try {
      this.ctx.client.delete(RESOURCES.pods, String((rs.metadata as Obj).namespace), name)
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return
      this.events().event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`)
      throw e
    }
    this.events().event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`)
  }

  private createPod(rs: Obj): void {
    const m = rs.metadata as Obj
    const template = ((rs.spec as Obj).template ?? {}) as Obj
    const tm = (template.metadata ?? {}) as Obj
    let created: Obj
    try {
      created = this.createFromTemplate(m, template, tm, rs)
    } catch (e) {
      this.events().event(rs, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`)
      throw e
    }
    this.events().event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${String((created.metadata as Obj).name)}`)
  }

  private createFromTemplate(m: Obj, template: Obj, tm: Obj, rs: Obj): Obj {
    return this.ctx.client.create(RESOURCES.pods, String(m.namespace), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${m.name}-`,
        namespace: m.namespace,
        labels: tm.labels,
        ...(tm.annotations ? {annotations: tm.annotations} : {}),
        ownerReferences: [ownerRefTo(rs)],
      },
      spec: template.spec,
    })
  }

  private updateStatus(rs: Obj, uid: string, selector: ReturnType<typeof selectorFromLabelSelector>): ReconcileResult {
    const m = rs.metadata as Obj
    const spec = (rs.spec ?? {}) as Obj
    const templateLabels = (((spec.template as Obj | undefined)?.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>
    const pods = this.ctx.informer(RESOURCES.pods).ownedBy(uid).filter((p) => selector.matches(((p.metadata as Obj).labels ?? {}) as Record<string, string>)).filter(isPodActive)
    const now = this.ctx.clock.now().getTime()
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0
    let ready = 0, available = 0, fullyLabeled = 0
    let nextCheck: number | undefined
    for (const p of pods) {
      const labels = ((p.metadata as Obj).labels ?? {}) as Record<string, string>
      if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++
      if (!isPodReady(p)) continue
      ready++
      const since = podReadySince(p)
      const availableAt = (since ?? now) + minReady * 1000
      if (minReady === 0 || availableAt <= now) available++
      else nextCheck = Math.min(nextCheck ?? Infinity, availableAt - now)
    }
    const old = (rs.status ?? {}) as Obj
    const status: Obj = {
      replicas: pods.length,
      ...(fullyLabeled ? {fullyLabeledReplicas: fullyLabeled} : {}),
      ...(ready ? {readyReplicas: ready} : {}),
      ...(available ? {availableReplicas: available} : {}),
      observedGeneration: m.generation,
      ...(old.conditions ? {conditions: old.conditions} : {}),
    }
    if (JSON.stringify(status) !== JSON.stringify(sorted(old, status))) {
      this.ctx.client.updateStatus(RESOURCES.replicasets, {...rs, status})
    }
    return nextCheck !== undefined ? {requeueAfterMs: nextCheck} : 'done'
  }
}

/** The old status with the new status's key order, so that equality ignores key order. */
function sorted(old: Obj, like: Obj): Obj {
  const out: Obj = {}
  for (const k of Object.keys(like)) if (old[k] !== undefined) out[k] = old[k]
  for (const k of Object.keys(old)) if (!(k in out)) out[k] = old[k]
  return out
}

export function ownerRefTo(o: Obj): Obj {
  const m = o.metadata as Obj
  return {apiVersion: o.apiVersion, kind: o.kind, name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true}
}

/**
 * The pods to delete when scaling down, in the controller's order of preference: not yet on a node,
 * then pending, not ready, ready for less time, more restarts, newer.
 */
export function podsToDelete(pods: Obj[], n: number): Obj[] {
  const phaseRank = (p: Obj) => ({Pending: 0, Unknown: 1, Running: 2} as Record<string, number>)[String((p.status as Obj | undefined)?.phase)] ?? 0
  const restarts = (p: Obj) => (((p.status as Obj | undefined)?.containerStatuses ?? []) as Obj[]).reduce((s, c) => s + Number(c.restartCount ?? 0), 0)
  const created = (p: Obj) => Date.parse(String((p.metadata as Obj).creationTimestamp ?? 0))
  const ranked = [...pods].sort((a, b) => {
    const na = (a.spec as Obj)?.nodeName ? 1 : 0, nb = (b.spec as Obj)?.nodeName ? 1 : 0
    if (na !== nb) return na - nb
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b)
    const ra = isPodReady(a) ? 1 : 0, rb = isPodReady(b) ? 1 : 0
    if (ra !== rb) return ra - rb
    const sa = podReadySince(a) ?? 0, sb = podReadySince(b) ?? 0
    if (ra && sa !== sb) return sb - sa
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a)
    return created(b) - created(a)
  })
  return ranked.slice(0, n)
}

export function addReplicaSetController(m: ControllerManager): void {
  m.add(new ReplicaSetReconciler(m), (c, ctx) => {
    const key = (o: Obj) => ({namespace: String((o.metadata as Obj).namespace), name: String((o.metadata as Obj).name)})
    ctx.informer(RESOURCES.replicasets).addHandlers({onAdd: (o) => c.enqueue(key(o)), onUpdate: (_, o) => c.enqueue(key(o))})
    const owner = (p: Obj) => {
      const ref = controllerRef(p)
      if (ref?.kind === 'ReplicaSet') c.enqueue({namespace: String((p.metadata as Obj).namespace), name: String(ref.name)})
      else if (!ref) for (const rs of ctx.informer(RESOURCES.replicasets).list(String((p.metadata as Obj).namespace))) c.enqueue(key(rs))
    }
    ctx.informer(RESOURCES.pods).addHandlers({onAdd: owner, onUpdate: (old, p) => {
      owner(p)
      const oldRef = controllerRef(old)
      if (oldRef && oldRef.uid !== controllerRef(p)?.uid && oldRef.kind === 'ReplicaSet') c.enqueue({namespace: String((p.metadata as Obj).namespace), name: String(oldRef.name)})
    }, onDelete: owner})
  })
}
