// The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status —
// expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods and the
// DisruptionAllowed condition — which the eviction subresource (src/apiserver/subresources.ts)
// reads before it lets a pod go (kubectl drain).
//
// minAvailable as a number counts the selected pods; a percentage or maxUnavailable scales against
// the replicas their controllers want (a ReplicaSet owned by a Deployment counts as the Deployment),
// rounding up. Pods being deleted, and pods evicted less than two minutes ago (disruptedPods), are not
// healthy; an eviction that did not lead to a deletion within two minutes is dropped with a
// NotDeleted event. Pods without a supported controller are left out of the scale with an
// UnmanagedPods warning. Nothing is written when the status would not change.
import type {Obj} from '../../apiserver/types.js'
import {selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {rfc3339} from '../events.js'
import {isPodReady} from './pods.js'

export const COMPONENT = 'controllermanager'
/** DeletionTimeout: how long an evicted pod may take to be deleted before it counts again. */
export const DELETION_TIMEOUT_MS = 2 * 60_000

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function specOf(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

function controllerRef(o: Obj): Obj | undefined {
  return ((meta(o).ownerReferences ?? []) as Obj[]).find((r) => r.controller === true)
}

/** intstr.GetScaledValueFromIntOrPercent with rounding up. */
export function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v
  const m = /^(\d+)%$/.exec(String(v))
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${String(v)}"`)
  return Math.ceil((Number(m[1]) * total) / 100)
}

/** Go's %v of a *metav1.LabelSelector, as the UnmanagedPods event prints it. */
export function goSelectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}'
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels![k]},`).join('')
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('')
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`
}

export class DisruptionReconciler implements Reconciler {
  readonly name = 'disruption'

  constructor(private readonly ctx: ControllerContext) {}

  private event(obj: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder({component: COMPONENT}).event(obj, type, reason, message)
  }

  /** The replicas the pods' controllers want (getExpectedScale), and the pods with none we know. */
  private expectedScale(namespace: string, pods: Obj[]): {scale: number; unmanaged: string[]} {
    const seen = new Set<string>()
    const unmanaged: string[] = []
    let scale = 0
    for (const pod of pods) {
      const ref = controllerRef(pod)
      const found = ref ? this.scaleOf(namespace, ref) : undefined
      if (!found) {
        unmanaged.push(String(meta(pod).name))
        continue
      }
      if (seen.has(found.uid)) continue
      seen.add(found.uid)
      scale += found.replicas
    }
    return {scale, unmanaged}
  }

  private scaleOf(namespace: string, ref: Obj): {uid: string; replicas: number} | undefined {
    const byKind: Record<string, (typeof RESOURCES)[keyof typeof RESOURCES]> = {
      ReplicaSet: RESOURCES.replicasets, Deployment: RESOURCES.deployments, StatefulSet: RESOURCES.statefulsets, ReplicationController: RESOURCES.replicationcontrollers,
    }
    const res = byKind[String(ref.kind)]
    if (!res) return undefined
    const owner = this.ctx.informer(res).get(namespace, String(ref.name))
    if (!owner || meta(owner).uid !== ref.uid) return undefined
    // A ReplicaSet that a Deployment controls counts as that Deployment.
    if (ref.kind === 'ReplicaSet') {
      const parent = controllerRef(owner)
      if (parent?.kind === 'Deployment') return this.scaleOf(namespace, parent)
    }
    const replicas = specOf(owner).replicas
    return {uid: String(meta(owner).uid), replicas: typeof replicas === 'number' ? replicas : 1}
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const pdb = this.ctx.informer(RESOURCES.poddisruptionbudgets).get(key.namespace, key.name)
    if (!pdb || meta(pdb).deletionTimestamp) return 'done'
    const namespace = String(meta(pdb).namespace)
    const spec = specOf(pdb)
    const now = this.ctx.clock.now().getTime()
    let pods: Obj[]
    try {
      const sel = selectorFromLabelSelector(spec.selector as LabelSelector | undefined)
      pods = this.ctx.informer(RESOURCES.pods).list(namespace).filter((p) => sel.matches((meta(p).labels ?? {}) as Record<string, string>))
    } catch (e) {
      return this.failSafe(pdb, (e as Error).message)
    }
    if (pods.length === 0) this.event(pdb, 'Normal', 'NoPods', 'No matching pods found')

    let expected: number, desired: number
    try {
      if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        const {scale, unmanaged} = this.expectedScale(namespace, pods)
        if (unmanaged.length) this.unmanagedWarning(pdb)
        expected = scale
        desired = Math.max(0, expected - scaled(spec.maxUnavailable, expected))
      } else if (typeof spec.minAvailable === 'number') {
        expected = pods.length
        desired = spec.minAvailable
      } else if (typeof spec.minAvailable === 'string') {
        const {scale, unmanaged} = this.expectedScale(namespace, pods)
        if (unmanaged.length) this.unmanagedWarning(pdb)
        expected = scale
        desired = scaled(spec.minAvailable, expected)
      } else {
        expected = pods.length
        desired = 0
      }
    } catch (e) {
      this.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(e as Error).message}`)
      return this.failSafe(pdb, (e as Error).message)
    }

    // buildDisruptedPodMap: evictions still waiting for their pod to go, at most DeletionTimeout old.
    const recorded = ((pdb.status as Obj | undefined)?.disruptedPods ?? {}) as Record<string, string>
    const disrupted: Record<string, string> = {}
    let recheck: number | undefined
    for (const pod of pods) {
      if (meta(pod).deletionTimestamp) continue
      const at = recorded[String(meta(pod).name)]
      if (at === undefined) continue
      const expires = Date.parse(at) + DELETION_TIMEOUT_MS
      if (expires < now) {
        this.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${namespace}/${meta(pdb).name} to be deleted but it wasn't`)
        continue
      }
      disrupted[String(meta(pod).name)] = at
      recheck = recheck === undefined ? expires : Math.min(recheck, expires)
    }
    let healthy = 0
    for (const pod of pods) {
      if (meta(pod).deletionTimestamp || disrupted[String(meta(pod).name)] !== undefined) continue
      if (isPodReady(pod)) healthy++
    }
    let allowed = healthy - desired
    if (expected <= 0 || allowed <= 0) allowed = 0
    this.writeStatus(pdb, {
      disruptedPods: Object.keys(disrupted).length ? disrupted : undefined,
      disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected,
    }, allowed > 0 ? {status: 'True', reason: 'SufficientPods'} : {status: 'False', reason: 'InsufficientPods'})
    return recheck === undefined ? 'done' : {requeueAfterMs: Math.max(1, recheck - now + 1)}
  }

  private unmanagedWarning(pdb: Obj): void {
    this.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${goSelectorString(specOf(pdb).selector as LabelSelector | undefined)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`)
  }

  /** failSafe: nothing may be disrupted while the budget cannot be computed. */
  private failSafe(pdb: Obj, message: string): ReconcileResult {
    const old = (pdb.status ?? {}) as Obj
    this.writeStatus(pdb, {
      disruptedPods: old.disruptedPods as Record<string, string> | undefined, disruptionsAllowed: 0,
      currentHealthy: Number(old.currentHealthy ?? 0), desiredHealthy: Number(old.desiredHealthy ?? 0), expectedPods: Number(old.expectedPods ?? 0),
    }, {status: 'False', reason: 'SyncFailed', message})
    return 'done'
  }

  private writeStatus(pdb: Obj, s: {disruptedPods?: Record<string, string>; disruptionsAllowed: number; currentHealthy: number; desiredHealthy: number; expectedPods: number}, c: {status: string; reason: string; message?: string}): void {
    const old = (pdb.status ?? {}) as Obj
    const oldCond = ((old.conditions ?? []) as Obj[]).find((x) => x.type === 'DisruptionAllowed')
    const message = c.message ?? ''
    const sameCond = oldCond && oldCond.status === c.status && oldCond.reason === c.reason && (oldCond.message ?? '') === message
    const condition = sameCond ? oldCond : {type: 'DisruptionAllowed', status: c.status, observedGeneration: meta(pdb).generation, lastTransitionTime: oldCond?.status === c.status ? oldCond.lastTransitionTime : rfc3339(this.ctx.clock.now()), reason: c.reason, message}
    const status: Obj = {
      observedGeneration: meta(pdb).generation,
      ...(s.disruptedPods ? {disruptedPods: s.disruptedPods} : {}),
      disruptionsAllowed: s.disruptionsAllowed, currentHealthy: s.currentHealthy, desiredHealthy: s.desiredHealthy, expectedPods: s.expectedPods,
      conditions: [condition],
    }
    const same = JSON.stringify(status) === JSON.stringify({
      observedGeneration: old.observedGeneration, ...(old.disruptedPods && Object.keys(old.disruptedPods as Obj).length ? {disruptedPods: old.disruptedPods} : {}),
      disruptionsAllowed: old.disruptionsAllowed, currentHealthy: old.currentHealthy, desiredHealthy: old.desiredHealthy, expectedPods: old.expectedPods,
      conditions: old.conditions,
    })
    if (same) return
    this.ctx.client.updateStatus(RESOURCES.poddisruptionbudgets, {...pdb, status})
  }
}

export function addDisruptionController(m: ControllerManager): void {
  m.add(new DisruptionReconciler(m), (c, ctx) => {
    const pdbs = ctx.informer(RESOURCES.poddisruptionbudgets)
    const key = (o: Obj): ObjectKey => ({namespace: String(meta(o).namespace), name: String(meta(o).name)})
    pdbs.addHandlers({onAdd: (p) => c.enqueue(key(p)), onUpdate: (_o, p) => c.enqueue(key(p)), onDelete: (p) => c.enqueue(key(p))})
    // A pod wakes the budgets of its namespace that select it (getPdbForPod).
    const wake = (pod: Obj) => {
      const labels = (meta(pod).labels ?? {}) as Record<string, string>
      for (const pdb of pdbs.list(String(meta(pod).namespace))) {
        try {
          if (selectorFromLabelSelector(specOf(pdb).selector as LabelSelector | undefined).matches(labels)) c.enqueue(key(pdb))
        } catch {
          c.enqueue(key(pdb))
        }
      }
    }
    ctx.informer(RESOURCES.pods).addHandlers({
      onAdd: wake,
      onUpdate: (old, pod) => {
        if (JSON.stringify(meta(old).labels) !== JSON.stringify(meta(pod).labels)) wake(old)
        wake(pod)
      },
      onDelete: wake,
    })
    // Scale changes of the controllers behind the pods change expectedPods.
    for (const res of [RESOURCES.deployments, RESOURCES.replicasets, RESOURCES.statefulsets]) {
      ctx.informer(res).addHandlers({
        onUpdate: (old, o) => {
          if (specOf(old).replicas === specOf(o).replicas) return
          for (const pdb of pdbs.list(String(meta(o).namespace))) c.enqueue(key(pdb))
        },
      })
    }
  })
}
