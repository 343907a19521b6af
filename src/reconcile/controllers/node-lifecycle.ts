// The node lifecycle controller (pkg/controller/nodelifecycle): notices a node whose kubelet stopped
// posting — neither its Lease in kube-node-lease nor its Ready condition's heartbeat changed for the
// grace period (40 s; 50 s since 1.32) — and marks its Ready, MemoryPressure, DiskPressure and
// PIDPressure conditions Unknown ("Kubelet stopped posting node status."), its pods not Ready, and
// records NodeNotReady. It keeps the node's condition taints in step with its status: NoExecute
// `node.kubernetes.io/unreachable` (Ready Unknown) or `not-ready` (Ready False), which the taint
// eviction controller acts on, and the NoSchedule taints of TaintNodesByCondition (the same two,
// memory-, disk- and pid-pressure, network-unavailable, and unschedulable for a cordoned node).
//
// As in the real controller, the grace period runs from when this process last saw the heartbeat
// change, not from the heartbeat's own time, so a restarted controller gives every node a full
// grace period. One thing only an emulator knows: a node whose kubelet is stopped (annotation
// kube2.dev/kubelet: stopped) was not heartbeating while no process ran either, so its grace runs
// from its last heartbeat, and its check is a work timer (it will become NotReady then) where a
// healthy node's is a background one. Zone-based eviction rate limits are not modelled: eviction is
// the taint eviction controller's job, per pod, as it is since 1.29.
import type {Obj} from '../../apiserver/types.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {rfc3339} from '../events.js'
import {KUBELET_ANNOTATION, NODE_LEASE_NAMESPACE} from '../../emulator/kubelet-component.js'
import type {ComponentEnv} from '../../emulator/components.js'

export const COMPONENT = 'node-controller'
export const NODE_MONITOR_PERIOD_MS = 5_000

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'
const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure'
const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure'
const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure'
const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable'
const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'
/** Every taint this controller owns, by key. */
const MANAGED_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_MEMORY_PRESSURE, TAINT_DISK_PRESSURE, TAINT_PID_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_UNSCHEDULABLE])
/** The conditions that go Unknown with Ready when the kubelet stops posting. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']

/** --node-monitor-grace-period: 40 s until 1.31, 50 s since 1.32. */
export function nodeMonitorGracePeriodMs(kubernetesVersion: string): number {
  const minor = Number(/^1\.(\d+)/.exec(kubernetesVersion)?.[1] ?? 36)
  return minor >= 32 ? 50_000 : 40_000
}
/** --node-startup-grace-period: how long a new node may take to post its first status. */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000

interface Taint {
  key: string
  effect: string
  value?: string
  timeAdded?: string
}

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function conditions(node: Obj): Obj[] {
  return ((((node.status ?? {}) as Obj).conditions ?? []) as Obj[])
}

function condition(node: Obj, type: string): Obj | undefined {
  return conditions(node).find((c) => c.type === type)
}

function taintsOf(node: Obj): Taint[] {
  return ((((node.spec ?? {}) as Obj).taints ?? []) as Taint[])
}

function stopped(node: Obj): boolean {
  return ((meta(node).annotations ?? {}) as Record<string, string>)[KUBELET_ANNOTATION] === 'stopped'
}

/** The taints the node's status and spec call for (key and effect). */
export function wantedTaints(node: Obj): Array<{key: string; effect: string}> {
  const out: Array<{key: string; effect: string}> = []
  const ready = condition(node, 'Ready')?.status
  if (ready === 'False') out.push({key: TAINT_NOT_READY, effect: 'NoSchedule'}, {key: TAINT_NOT_READY, effect: 'NoExecute'})
  if (ready === 'Unknown') out.push({key: TAINT_UNREACHABLE, effect: 'NoSchedule'}, {key: TAINT_UNREACHABLE, effect: 'NoExecute'})
  const pressure: Array<[string, string]> = [
    ['MemoryPressure', TAINT_MEMORY_PRESSURE], ['DiskPressure', TAINT_DISK_PRESSURE],
    ['PIDPressure', TAINT_PID_PRESSURE], ['NetworkUnavailable', TAINT_NETWORK_UNAVAILABLE],
  ]
  for (const [type, key] of pressure) if (condition(node, type)?.status === 'True') out.push({key, effect: 'NoSchedule'})
  if (((node.spec ?? {}) as Obj).unschedulable === true) out.push({key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule'})
  return out
}

/** The node's taints with this controller's brought in line: others kept, new ones stamped `now`. */
export function reconcileTaints(current: Taint[], wanted: Array<{key: string; effect: string}>, now: string): Taint[] | undefined {
  const same = (a: {key: string; effect: string}, b: {key: string; effect: string}) => a.key === b.key && a.effect === b.effect
  const kept = current.filter((t) => !MANAGED_KEYS.has(t.key) || wanted.some((w) => same(w, t)))
  const added = wanted.filter((w) => !current.some((t) => same(w, t))).map((w) => ({key: w.key, effect: w.effect, timeAdded: now}))
  if (added.length === 0 && kept.length === current.length) return undefined
  return [...kept, ...added]
}

export class NodeLifecycleReconciler implements Reconciler {
  readonly name = 'node-lifecycle'
  private readonly grace: number
  /** Per node: the heartbeat last seen and when this process saw it change (probeTimestamp). */
  private readonly health = new Map<string, {heartbeat: number; probe: number}>()

  constructor(private readonly ctx: ControllerContext, env: Pick<ComponentEnv, 'kubernetesVersion'>) {
    this.grace = nodeMonitorGracePeriodMs(env.kubernetesVersion)
  }

  /** The newest of the Lease's renewTime and the Ready condition's lastHeartbeatTime. */
  private heartbeat(node: Obj): number {
    const name = String(meta(node).name)
    const lease = this.ctx.informer(RESOURCES.leases).get(NODE_LEASE_NAMESPACE, name)
    const renew = Date.parse(String(((lease?.spec ?? {}) as Obj).renewTime ?? ''))
    const ready = Date.parse(String(condition(node, 'Ready')?.lastHeartbeatTime ?? ''))
    return Math.max(Number.isNaN(renew) ? -Infinity : renew, Number.isNaN(ready) ? -Infinity : ready)
  }

  reconcile(key: ObjectKey): ReconcileResult {
    const node = this.ctx.informer(RESOURCES.nodes).get(undefined, key.name)
    if (!node) {
      this.health.delete(key.name)
      return 'done'
    }
    const now = this.ctx.clock.now().getTime()
    const hb = this.heartbeat(node)
    const seen = this.health.get(key.name)
    let probe: number
    if (!seen) {
      // First sight: a running kubelet gets a full grace period; a stopped one was silent all along.
      const registered = Date.parse(String(meta(node).creationTimestamp ?? '')) || now
      probe = stopped(node) ? Math.max(hb, registered) : now
    } else {
      probe = hb !== seen.heartbeat ? now : seen.probe
    }
    this.health.set(key.name, {heartbeat: hb, probe})
    const hasReady = condition(node, 'Ready') !== undefined
    const grace = hasReady ? this.grace : NODE_STARTUP_GRACE_PERIOD_MS
    let current = node
    if (now - probe > grace) current = this.markUnknown(node, hasReady) ?? node
    this.syncTaints(current)
    if (condition(current, 'Ready')?.status === 'Unknown') return 'done'
    // Check again once the grace period would be over (at the monitor period's granularity).
    const due = probe + grace + 1 - now
    const wait = Math.max(NODE_MONITOR_PERIOD_MS, Math.ceil(due / NODE_MONITOR_PERIOD_MS) * NODE_MONITOR_PERIOD_MS)
    return {requeueAfterMs: wait, background: !stopped(current)}
  }

  /** tryUpdateNodeHealth: the kubelet's conditions go Unknown; pods on the node stop being Ready. */
  private markUnknown(node: Obj, hasReady: boolean): Obj | undefined {
    const now = rfc3339(this.ctx.clock.now())
    const created = String(meta(node).creationTimestamp ?? now)
    const conds = conditions(node).map((c) => ({...c}))
    let changed = false
    for (const type of KUBELET_CONDITIONS) {
      const c = conds.find((x) => x.type === type)
      if (!c) {
        conds.push({type, status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: now, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.'})
        changed = true
      } else if (c.status !== 'Unknown') {
        Object.assign(c, {status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now})
        changed = true
      }
    }
    if (!changed) return undefined
    const wasReady = condition(node, 'Ready')?.status === 'True'
    const updated = this.ctx.client.updateStatus(RESOURCES.nodes, {...node, status: {...((node.status ?? {}) as Obj), conditions: conds}})
    if (wasReady || !hasReady) {
      const name = String(meta(node).name)
      this.ctx.recorder({component: COMPONENT}).event({kind: 'Node', name, uid: name, apiVersion: 'v1'}, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`)
      this.markPodsNotReady(name)
    }
    return updated
  }

  /** MarkPodsNotReady: every pod on the node gets Ready=False (its kubelet cannot say otherwise). */
  private markPodsNotReady(nodeName: string): void {
    const now = rfc3339(this.ctx.clock.now())
    for (const pod of this.ctx.informer(RESOURCES.pods).list()) {
      if (((pod.spec ?? {}) as Obj).nodeName !== nodeName) continue
      const conds = ((((pod.status ?? {}) as Obj).conditions ?? []) as Obj[])
      const ready = conds.find((c) => c.type === 'Ready')
      if (!ready || ready.status === 'False') continue
      const next = conds.map((c) => (c.type === 'Ready' ? {...c, status: 'False', lastTransitionTime: now} : c))
      this.ctx.client.patch(RESOURCES.pods, String(meta(pod).namespace), String(meta(pod).name), 'strategic', {status: {conditions: next}}, 'status')
      this.ctx.recorder({component: COMPONENT}).event(pod, 'Warning', 'NodeNotReady', 'Node is not ready')
    }
  }

  private syncTaints(node: Obj): void {
    const next = reconcileTaints(taintsOf(node), wantedTaints(node), rfc3339(this.ctx.clock.now()))
    if (!next) return
    this.ctx.client.update(RESOURCES.nodes, {...node, spec: {...((node.spec ?? {}) as Obj), taints: next.length ? next : undefined}})
  }
}

export function addNodeLifecycleController(m: ControllerManager, env: ComponentEnv): void {
  m.add(new NodeLifecycleReconciler(m, env), (c, ctx) => {
    const key = (o: Obj): ObjectKey => ({name: String(meta(o).name)})
    ctx.informer(RESOURCES.nodes).addHandlers({
      onAdd: (n) => c.enqueue(key(n)),
      onUpdate: (_o, n) => c.enqueue(key(n)),
      onDelete: (n) => c.enqueue(key(n)),
    })
    ctx.informer(RESOURCES.leases).addHandlers({
      onUpdate: (_o, l) => {
        if (meta(l).namespace === NODE_LEASE_NAMESPACE) c.enqueue({name: String(meta(l).name)})
      },
    })
  })
}
