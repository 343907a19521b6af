// The scheduler as a component of the emulated control plane: kube-scheduler's loop around the
// scheduler library (src/scheduler). Pending pods are queued by key; one long-lived Snapshot is kept
// current by informers (nodes, bound pods, volumes, workloads, PDBs, PriorityClasses) and by assuming
// each placement before its binding is written; a binding goes through pods/binding like the real one.
//
// Failures write what kube-scheduler writes: a FailedScheduling event and the PodScheduled=False
// condition. Unschedulable pods wait, as in its unschedulable queue, until something that could help
// happens (a node added or changed, a bound pod gone, a volume or claim changed) and at most five
// minutes (a background timer: it does not move a settling virtual clock). Preemption deletes the
// victims (after the DisruptionTarget condition and a Preempted event) and nominates the node.
// WaitForFirstConsumer claims get the `volume.kubernetes.io/selected-node` annotation and the pod
// waits until they are bound (the real PreBind waits the same way, for the provisioner).
import type {Obj} from '../apiserver/types.js'
import {ApiError} from '../apiserver/errors.js'
import {Scheduler, failedSchedulingEvent, isScheduled, preemptedEvent, preemptionCondition, scheduledEvent, unschedulableCondition, Snapshot, type SnapshotObjectKind, type VolumeDecisions} from '../scheduler/index.js'
import type {Node, Pod} from '../scheduler/api.js'
import type {Controller, ControllerContext, ControllerManager} from '../reconcile/manager.js'
import {rfc3339} from '../reconcile/events.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler, type ResourceRef} from '../reconcile/types.js'
import type {ComponentEnv} from './components.js'

export const SCHEDULER_NAME = 'default-scheduler'
/** podMaxInUnschedulablePodsDuration. */
const UNSCHEDULABLE_FLUSH_MS = 5 * 60 * 1000
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node'

/** What the snapshot keeps besides nodes and pods, and where those objects come from. */
const SNAPSHOT_OBJECTS: [SnapshotObjectKind, ResourceRef][] = [
  ['PriorityClass', RESOURCES.priorityclasses],
  ['PersistentVolumeClaim', RESOURCES.persistentvolumeclaims],
  ['PersistentVolume', RESOURCES.persistentvolumes],
  ['StorageClass', RESOURCES.storageclasses],
  ['Namespace', RESOURCES.namespaces],
  ['PodDisruptionBudget', RESOURCES.poddisruptionbudgets],
  ['Service', RESOURCES.services],
  ['ReplicationController', RESOURCES.replicationcontrollers],
  ['ReplicaSet', RESOURCES.replicasets],
  ['StatefulSet', RESOURCES.statefulsets],
]

/** Kinds whose changes can make an unschedulable pod schedulable. */
const RETRY_ON: ReadonlySet<SnapshotObjectKind> = new Set(['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'Namespace'])

function meta(o: Obj): Obj {
  return o.metadata as Obj
}

function key(o: Obj): ObjectKey {
  return {namespace: String(meta(o).namespace ?? 'default'), name: String(meta(o).name)}
}

function keyStr(o: Obj): string {
  return `${meta(o).namespace ?? 'default'}/${meta(o).name}`
}

function isTerminal(p: Obj): boolean {
  const phase = (p.status as Obj | undefined)?.phase
  return phase === 'Succeeded' || phase === 'Failed'
}

/** The fields of a workload the spreading plugins read: a status update of a ReplicaSet does not matter. */
function schedulingView(o: Obj): string {
  return JSON.stringify([meta(o).labels, (o.spec as Obj | undefined)?.selector, meta(o).deletionTimestamp ? 1 : 0])
}

export class SchedulerComponent implements Reconciler {
  readonly name = 'scheduler'
  readonly scheduler: Scheduler
  private snapshot?: Snapshot
  /** Pods that failed and wait for a cluster change. */
  private readonly unschedulable = new Set<string>()
  controller?: Controller

  constructor(private readonly ctx: ControllerContext, env: ComponentEnv, readonly reportingInstance = `${SCHEDULER_NAME}-kube2`) {
    this.scheduler = new Scheduler({seed: env.seed})
  }

  private get recorder() {
    return this.ctx.recorder({component: SCHEDULER_NAME})
  }

  /** The snapshot, built from the informers on first use and then kept current by their handlers. */
  view(): Snapshot {
    if (!this.snapshot) {
      const list = (ref: ResourceRef) => this.ctx.informer(ref).list() as never[]
      this.snapshot = new Snapshot({
        nodes: list(RESOURCES.nodes),
        pods: list(RESOURCES.pods),
        priorityClasses: list(RESOURCES.priorityclasses),
        persistentVolumeClaims: list(RESOURCES.persistentvolumeclaims),
        persistentVolumes: list(RESOURCES.persistentvolumes),
        storageClasses: list(RESOURCES.storageclasses),
        namespaces: list(RESOURCES.namespaces),
        podDisruptionBudgets: list(RESOURCES.poddisruptionbudgets),
        services: list(RESOURCES.services),
        replicationControllers: list(RESOURCES.replicationcontrollers),
        replicaSets: list(RESOURCES.replicasets),
        statefulSets: list(RESOURCES.statefulsets),
      })
    }
    return this.snapshot
  }

  reconcile(k: ObjectKey): ReconcileResult {
    const pod = this.ctx.informer(RESOURCES.pods).get(k.namespace, k.name)
    if (!pod || !this.wants(pod)) {
      this.unschedulable.delete(`${k.namespace}/${k.name}`)
      return 'done'
    }
    const snap = this.view()
    const p = pod as unknown as Pod
    if (snap.nodeOf(p)) return 'done' // assumed, its binding is on its way
    const result = this.scheduler.schedule(p, snap)
    if (!isScheduled(result)) return this.failed(pod, result.failure)
    this.unschedulable.delete(keyStr(pod))
    if (result.volumes && !this.volumesReady(pod, result.node, result.volumes)) {
      // Waits for the claims to be bound; their updates bring it back.
      this.unschedulable.add(keyStr(pod))
      return {requeueAfterMs: UNSCHEDULABLE_FLUSH_MS, background: true}
    }
    snap.assume(p, result.node)
    try {
      this.ctx.client.createSubresource(RESOURCES.pods, k.namespace, k.name!, 'binding', {
        apiVersion: 'v1', kind: 'Binding', metadata: {name: k.name, namespace: k.namespace, uid: meta(pod).uid}, target: {apiVersion: 'v1', kind: 'Node', name: result.node},
      })
    } catch (e) {
      snap.forget(p)
      // Bound or deleted meanwhile: the informer brings the truth.
      if (e instanceof ApiError && (e.code === 409 || e.code === 404)) return 'done'
      throw e
    }
    const ev = scheduledEvent(p, result.node)
    this.recorder.newStyle(pod, ev.type, ev.reason, ev.action, ev.message, this.reportingInstance)
    return 'done'
  }

  /** Pending, not being deleted, not finished, and for this scheduler. */
  private wants(pod: Obj): boolean {
    const spec = (pod.spec ?? {}) as Obj
    return !spec.nodeName && !meta(pod).deletionTimestamp && !isTerminal(pod) && this.scheduler.handles(pod as unknown as Pod)
  }

  private failed(pod: Obj, f: {message: string; nominatedNode?: string; victims?: Pod[]; error?: boolean}): ReconcileResult {
    const k = keyStr(pod)
    if (f.nominatedNode && f.victims?.length) this.preempt(pod, f.nominatedNode, f.victims)
    const ev = failedSchedulingEvent(f.message)
    this.recorder.newStyle(pod, ev.type, ev.reason, ev.action, ev.message, this.reportingInstance)
    if (!f.error) this.unschedulable.add(k)
    this.setCondition(pod, unschedulableCondition(f.message, f.error === true) as unknown as Obj, f.nominatedNode)
    if (f.error) return {requeueAfterMs: 1000}
    return {requeueAfterMs: UNSCHEDULABLE_FLUSH_MS, background: true}
  }

  /** PodScheduled=False (and status.nominatedNodeName), written only when it says something new. */
  private setCondition(pod: Obj, cond: Obj, nominated: string | undefined): void {
    const status = (pod.status ?? {}) as Obj
    const old = ((status.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled')
    const sameCondition = old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message
    const nominationChanges = nominated !== undefined && (status.nominatedNodeName ?? '') !== nominated
    if (sameCondition && !nominationChanges) return
    const now = rfc3339(this.ctx.clock.now())
    const condition = {...cond, lastProbeTime: null, lastTransitionTime: old && old.status === cond.status ? old.lastTransitionTime ?? now : now}
    const next: Obj = {...status, conditions: withCondition((status.conditions ?? []) as Obj[], condition)}
    if (nominationChanges) {
      if (nominated) next.nominatedNodeName = nominated
      else delete next.nominatedNodeName
    }
    try {
      this.ctx.client.updateStatus(RESOURCES.pods, {...pod, status: next})
    } catch (e) {
      // Gone: nothing to say. A conflict: retried with the newer pod.
      if (!(e instanceof ApiError && e.code === 404)) throw e
    }
  }

  /** Evicts the victims kube-scheduler's way: DisruptionTarget condition, Preempted event, delete. */
  private preempt(preemptor: Obj, node: string, victims: Pod[]): void {
    const ev = preemptedEvent(preemptor as unknown as Pod, node)
    for (const v of victims) {
      const ns = v.metadata.namespace ?? 'default', name = v.metadata.name ?? ''
      const live = this.ctx.informer(RESOURCES.pods).get(ns, name)
      if (!live || meta(live).deletionTimestamp) continue
      try {
        const status = (live.status ?? {}) as Obj
        const condition = {...preemptionCondition(this.scheduler.schedulerName), lastProbeTime: null, lastTransitionTime: rfc3339(this.ctx.clock.now())}
        this.ctx.client.updateStatus(RESOURCES.pods, {...live, status: {...status, conditions: withCondition((status.conditions ?? []) as Obj[], condition)}})
        this.recorder.newStyle(live, ev.type, ev.reason, ev.action, ev.message, this.reportingInstance)
        this.ctx.client.delete(RESOURCES.pods, ns, name, {preconditions: {uid: v.metadata.uid}})
      } catch (e) {
        if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) throw e
      }
    }
  }

  /**
   * PreBind of VolumeBinding: static PVs chosen for WaitForFirstConsumer claims are bound (claimRef
   * on the PV, for the PV controller to finish), claims to provision get the selected-node
   * annotation. Returns whether every claim is bound already (then the pod can be bound now).
   */
  private volumesReady(pod: Obj, node: string, decisions: VolumeDecisions): boolean {
    const ns = String(meta(pod).namespace)
    let ready = true
    for (const b of decisions.bind) {
      const claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(ns, claimName(b.claim))
      const pv = this.ctx.informer(RESOURCES.persistentvolumes).get(undefined, b.volume)
      if (!claim || !pv) return false
      if ((claim.spec as Obj).volumeName === b.volume) continue
      ready = false
      if (!(pv.spec as Obj).claimRef) {
        this.ctx.client.patch(RESOURCES.persistentvolumes, undefined, b.volume, 'merge', {
          metadata: {annotations: {'pv.kubernetes.io/bound-by-controller': 'yes'}},
          spec: {claimRef: {kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name: meta(claim).name, uid: meta(claim).uid, resourceVersion: meta(claim).resourceVersion}},
        })
      }
    }
    for (const {claim: c} of decisions.provision) {
      const claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(ns, claimName(c))
      if (!claim) return false
      if ((claim.spec as Obj).volumeName) continue
      ready = false
      const annotations = (meta(claim).annotations ?? {}) as Record<string, string>
      if (annotations[SELECTED_NODE_ANNOTATION] !== node) {
        this.ctx.client.patch(RESOURCES.persistentvolumeclaims, ns, String(meta(claim).name), 'merge', {metadata: {annotations: {[SELECTED_NODE_ANNOTATION]: node}}})
      }
    }
    return ready
  }

  /** Something changed that may let waiting pods fit: move them back to the active queue. */
  retryUnschedulable(): void {
    if (!this.controller) return
    for (const k of this.unschedulable) {
      const i = k.indexOf('/')
      this.controller.enqueue({namespace: k.slice(0, i), name: k.slice(i + 1)})
    }
    this.unschedulable.clear()
  }

  /** Informer handlers: keep the snapshot current and queue pending pods. They never write. */
  wire(c: Controller, ctx: ControllerContext): void {
    this.controller = c
    const snap = () => this.snapshot
    ctx.informer(RESOURCES.nodes).addHandlers({
      onAdd: (n) => {
        snap()?.addNode(n as unknown as Node)
        this.retryUnschedulable()
      },
      onUpdate: (old, n) => {
        snap()?.updateNode(n as unknown as Node)
        if (JSON.stringify([old.spec, meta(old).labels, (old.status as Obj | undefined)?.allocatable]) !== JSON.stringify([n.spec, meta(n).labels, (n.status as Obj | undefined)?.allocatable])) this.retryUnschedulable()
      },
      onDelete: (n) => snap()?.removeNode(String(meta(n).name)),
    })
    ctx.informer(RESOURCES.pods).addHandlers({
      onAdd: (p) => {
        if ((p.spec as Obj | undefined)?.nodeName) snap()?.addPod(p as unknown as Pod)
        else if (this.wants(p)) c.enqueue(key(p))
      },
      onUpdate: (old, p) => {
        const bound = (p.spec as Obj | undefined)?.nodeName
        if (bound) {
          const s = snap()
          if (isTerminal(p) || meta(p).deletionTimestamp) {
            // A terminating pod still holds its resources until it is gone; a finished one does not.
            if (isTerminal(p)) {
              s?.removePod(p as unknown as Pod)
              if (!isTerminal(old)) this.retryUnschedulable()
            } else s?.addPod(p as unknown as Pod)
          } else s?.addPod(p as unknown as Pod)
        } else if (this.wants(p)) {
          // A waiting pod is tried again when the pod itself changed, not for its status.
          const changed = JSON.stringify([old.spec, meta(old).labels, meta(old).annotations]) !== JSON.stringify([p.spec, meta(p).labels, meta(p).annotations])
          if (changed) this.unschedulable.delete(keyStr(p))
          if (!this.unschedulable.has(keyStr(p))) c.enqueue(key(p))
        }
      },
      onDelete: (p) => {
        this.unschedulable.delete(keyStr(p))
        const s = snap()
        if (s) {
          if (s.isAssumed(p as unknown as Pod)) s.forget(p as unknown as Pod)
          else s.removePod(p as unknown as Pod)
        }
        if ((p.spec as Obj | undefined)?.nodeName) this.retryUnschedulable()
      },
    })
    for (const [kind, ref] of SNAPSHOT_OBJECTS) {
      ctx.informer(ref).addHandlers({
        onAdd: (o) => {
          snap()?.updateObject(kind, o as never)
          if (RETRY_ON.has(kind)) this.retryUnschedulable()
        },
        onUpdate: (old, o) => {
          if (kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'ReplicationController' || kind === 'Service') {
            if (schedulingView(old) === schedulingView(o)) return
          }
          snap()?.updateObject(kind, o as never)
          if (RETRY_ON.has(kind)) this.retryUnschedulable()
        },
        onDelete: (o) => snap()?.updateObject(kind, o as never, true),
      })
    }
  }
}

/** The conditions with `c` replacing the one of its type, or added last. */
function withCondition(conditions: Obj[], c: Obj): Obj[] {
  const i = conditions.findIndex((x) => x.type === c.type)
  return i < 0 ? [...conditions, c] : conditions.map((x, j) => (j === i ? c : x))
}

/** The claim's name from the library's `ns/name` form (or a bare name). */
function claimName(c: string): string {
  const i = c.indexOf('/')
  return i < 0 ? c : c.slice(i + 1)
}

export function addScheduler(m: ControllerManager, env: ComponentEnv): SchedulerComponent {
  const s = new SchedulerComponent(m.as('kube-scheduler'), env)
  m.add(s, (c, ctx) => s.wire(c, ctx))
  return s
}
