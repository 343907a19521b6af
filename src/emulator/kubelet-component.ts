// Simulated kubelets as a component of the emulated control plane: one agent for every Node object
// (unless the node carries the annotation `kube2.dev/kubelet: stopped`, which stops its kubelet: no
// heartbeats, no pod syncs — what a node failure looks like). It drives the pure engine in
// src/kubelet for each pod bound to such a node and writes what a kubelet writes: pod status, Events
// (source kubelet/<node>), container logs, the final deletion of a terminating pod; and for each node
// its Lease (renewed every 10 s) and node status (on change, and at least every 5 minutes).
//
// Pod syncs are keyed by pod and requeued for the engine's next instant (a work timer: something
// will happen then); heartbeats are background timers, so a settling virtual clock never moves just
// to renew leases.
import type {Obj} from '../apiserver/types.js'
import {ApiError} from '../apiserver/errors.js'
import {allocatePodIP, loadPodProfile, nextPodState, nodeStatus, terminatingPodState, type LogLine, type PodProfile} from '../kubelet/index.js'
import type {Controller, ControllerContext, ControllerManager} from '../reconcile/manager.js'
import {microTime} from '../reconcile/events.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../reconcile/types.js'
import type {ComponentEnv} from './components.js'

export const KUBELET_ANNOTATION = 'kube2.dev/kubelet'
export const NODE_LEASE_NAMESPACE = 'kube-node-lease'
/** The kubelet's nodeLeaseDurationSeconds and its renew interval (a quarter of it, as the kubelet does). */
export const LEASE_DURATION_SECONDS = 40
export const LEASE_RENEW_MS = 10_000
/** How often a kubelet notices container changes (its PLEG relist period). */
export const PLEG_RELIST_MS = 1000
/** nodeStatusReportFrequency: status is posted at least this often even when nothing changed. */
export const NODE_STATUS_REPORT_MS = 5 * 60 * 1000

/** Where a kubelet writes container logs (the API server's log subresource reads them back). */
export interface ContainerLogSink {
  append(pod: {namespace: string; name: string; uid: string}, lines: readonly LogLine[]): void
  removePod(uid: string): void
}

function meta(o: Obj): Obj {
  return o.metadata as Obj
}

function spec(o: Obj): Obj {
  return (o.spec ?? {}) as Obj
}

export function kubeletStopped(node: Obj): boolean {
  return ((meta(node).annotations ?? {}) as Record<string, string>)[KUBELET_ANNOTATION] === 'stopped'
}

/** The node status without heartbeat times: what decides whether a status post is needed. */
function statusEssence(status: Obj | undefined): string {
  const s = {...(status ?? {})}
  s.conditions = ((s.conditions ?? []) as Obj[]).map(({lastHeartbeatTime: _h, ...rest}) => rest)
  return JSON.stringify(s)
}

export class KubeletComponent {
  readonly profile: PodProfile
  /** When each pod was last synced in this process (the engine's window start). */
  private readonly since = new Map<string, Date>()
  /** Pods whose deletion this process has seen. */
  private readonly terminating = new Set<string>()
  /** Pod IPs handed out per node, and each pod's (idempotent: a pod keeps its IP). */
  private readonly ipsByNode = new Map<string, Set<string>>()
  private readonly ipOfPod = new Map<string, {node: string; ip: string}>()
  /** Images pulled on each node (IfNotPresent pulls are skipped for these). */
  private readonly images = new Map<string, Set<string>>()
  /** Pods bound to each node, by key. */
  private readonly podsByNode = new Map<string, Set<string>>()
  private readonly profiles = new Map<string, {capacity: string; profile: PodProfile}>()
  private readonly lastStatusPost = new Map<string, number>()
  podController?: Controller
  nodeController?: Controller

  constructor(private readonly ctx: ControllerContext, private readonly env: ComponentEnv, private readonly logs?: ContainerLogSink) {
    this.profile = env.kubeletProfile ?? loadPodProfile()
  }

  /** The profile for a node: its registered capacity over the profile's node shape. */
  profileFor(node: Obj): PodProfile {
    const capacity = ((node.status as Obj | undefined)?.capacity ?? undefined) as Record<string, string> | undefined
    if (!capacity) return this.profile
    const name = String(meta(node).name)
    const key = JSON.stringify(capacity)
    const cached = this.profiles.get(name)
    if (cached?.capacity === key) return cached.profile
    const profile = {...this.profile, node: {...this.profile.node, capacity: {...this.profile.node.capacity, ...capacity}}}
    this.profiles.set(name, {capacity: key, profile})
    return profile
  }

  // ---- pods ----------------------------------------------------------------------------------

  readonly pods: Reconciler = {name: 'kubelet', reconcile: (k) => this.syncPod(k)}

  private syncPod(k: ObjectKey): ReconcileResult {
    const pod = this.ctx.informer(RESOURCES.pods).get(k.namespace, k.name)
    if (!pod) return 'done'
    const nodeName = spec(pod).nodeName as string | undefined
    if (!nodeName) return 'done'
    const node = this.ctx.informer(RESOURCES.nodes).get(undefined, nodeName)
    if (!node || kubeletStopped(node)) return 'done'
    const m = meta(pod)
    const uid = String(m.uid)
    const now = this.ctx.clock.now()
    let since = this.since.get(uid) ?? this.env.resumedFrom
    if (m.deletionTimestamp && !this.terminating.has(uid)) {
      // The deletion was requested at (or after) the last sync, but deletionTimestamp has whole
      // seconds: its events (Killing) may fall before that sync, so the first terminating sync looks
      // from just before the deletion as recorded (the log sink ignores lines it already has).
      this.terminating.add(uid)
      const observed = Date.parse(String(m.deletionTimestamp)) - Number(m.deletionGracePeriodSeconds ?? 0) * 1000
      if (since && Number.isFinite(observed)) since = new Date(Math.min(since.getTime(), observed) - 1)
    }
    const args = {
      pod, node, profile: this.profileFor(node), now,
      podIP: (p: Obj) => this.allocateIP(nodeName, node, p),
      kubernetesVersion: this.env.kubernetesVersion,
      since,
      nodeImages: this.nodeImages(nodeName),
    }
    const res = m.deletionTimestamp ? terminatingPodState(args) : nextPodState(args)
    if (res.status) {
      try {
        this.ctx.client.updateStatus(RESOURCES.pods, {...pod, status: res.status})
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) return 'done'
        throw e
      }
      this.noteImages(nodeName, res.status)
    }
    const recorder = this.ctx.recorder({component: 'kubelet', host: nodeName})
    for (const e of res.events) recorder.event(pod, e.type, e.reason, e.message, {at: e.at, ...(e.fieldPath ? {fieldPath: e.fieldPath} : {})})
    if (res.logs.length && this.logs) this.logs.append({namespace: String(m.namespace), name: String(m.name), uid}, res.logs)
    this.since.set(uid, now)
    if (res.deleteAt && res.deleteAt.getTime() <= now.getTime()) {
      this.ctx.client.delete(RESOURCES.pods, String(m.namespace), String(m.name), {gracePeriodSeconds: 0, preconditions: {uid}})
      return 'done'
    }
    // Work timers for what changes the pod; a pod that only writes log lines is synced in the
    // background (a settling clock does not run ahead for log lines; any sync writes them all).
    const stateWake = Math.min((m.deletionTimestamp ? res.wakeAt : res.stateWakeAt)?.getTime() ?? Infinity, res.deleteAt?.getTime() ?? Infinity)
    // Like the kubelet's PLEG, which relists containers every second, a change is noticed at the
    // next whole second: pods changing within the same second are synced together (the statuses
    // carry the exact times from the lifecycle, whenever they are written).
    if (Number.isFinite(stateWake)) return {requeueAfterMs: Math.max(1, Math.ceil(stateWake / PLEG_RELIST_MS) * PLEG_RELIST_MS - now.getTime())}
    if (res.wakeAt) return {requeueAfterMs: Math.max(1, res.wakeAt.getTime() - now.getTime()), background: true}
    return 'done'
  }

  private allocateIP(nodeName: string, node: Obj, pod: Obj): string {
    const uid = String(meta(pod).uid)
    const had = this.ipOfPod.get(uid)
    if (had?.node === nodeName) return had.ip
    const used = this.usedIPs(nodeName)
    const cidr = String(spec(node).podCIDR ?? '')
    if (!cidr) throw new Error(`node ${nodeName} has no podCIDR`)
    const ip = allocatePodIP(cidr, used)
    used.add(ip)
    this.ipOfPod.set(uid, {node: nodeName, ip})
    return ip
  }

  /** IPs in use on a node, first built from the pods the informer knows there. */
  private usedIPs(nodeName: string): Set<string> {
    let used = this.ipsByNode.get(nodeName)
    if (!used) {
      used = new Set()
      for (const k of this.podsByNode.get(nodeName) ?? []) {
        const i = k.indexOf('/')
        const p = this.ctx.informer(RESOURCES.pods).get(k.slice(0, i), k.slice(i + 1))
        const ip = (p?.status as Obj | undefined)?.podIP
        if (p && typeof ip === 'string' && spec(p).hostNetwork !== true) {
          used.add(ip)
          this.ipOfPod.set(String(meta(p).uid), {node: nodeName, ip})
        }
      }
      this.ipsByNode.set(nodeName, used)
    }
    return used
  }

  private nodeImages(nodeName: string): Set<string> {
    let set = this.images.get(nodeName)
    if (!set) {
      set = new Set()
      this.images.set(nodeName, set)
      for (const k of this.podsByNode.get(nodeName) ?? []) {
        const i = k.indexOf('/')
        const p = this.ctx.informer(RESOURCES.pods).get(k.slice(0, i), k.slice(i + 1))
        if (p?.status) this.noteImages(nodeName, p.status as Obj)
      }
    }
    return set
  }

  /** Images of containers that have run are on the node from then on. */
  private noteImages(nodeName: string, status: Obj): void {
    const set = this.images.get(nodeName) ?? new Set<string>()
    this.images.set(nodeName, set)
    for (const cs of [...((status.initContainerStatuses ?? []) as Obj[]), ...((status.containerStatuses ?? []) as Obj[])]) {
      if (cs.imageID && typeof cs.image === 'string') set.add(cs.image)
    }
  }

  /** A pod is gone: release its IP and forget it; its logs go with it. */
  private forgetPod(p: Obj): void {
    const uid = String(meta(p).uid)
    this.since.delete(uid)
    this.terminating.delete(uid)
    const had = this.ipOfPod.get(uid)
    if (had) {
      this.ipsByNode.get(had.node)?.delete(had.ip)
      this.ipOfPod.delete(uid)
    }
    this.logs?.removePod(uid)
  }

  // ---- nodes ---------------------------------------------------------------------------------

  readonly nodes: Reconciler = {name: 'kubelet-node', reconcile: (k) => this.syncNode(k.name)}

  private syncNode(name: string): ReconcileResult {
    const node = this.ctx.informer(RESOURCES.nodes).get(undefined, name)
    if (!node || kubeletStopped(node)) return 'done'
    const now = this.ctx.clock.now()
    this.renewLease(node, now)
    const pods: Obj[] = []
    for (const k of this.podsByNode.get(name) ?? []) {
      const i = k.indexOf('/')
      const p = this.ctx.informer(RESOURCES.pods).get(k.slice(0, i), k.slice(i + 1))
      if (p) pods.push(p)
    }
    const status = nodeStatus(node, {now, profile: this.profileFor(node), kubernetesVersion: this.env.kubernetesVersion, pods})
    const last = this.lastStatusPost.get(name)
    const due = last === undefined || now.getTime() - last >= NODE_STATUS_REPORT_MS
    if (due || statusEssence(status) !== statusEssence(node.status as Obj | undefined)) {
      try {
        this.ctx.client.updateStatus(RESOURCES.nodes, {...node, status})
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) return 'done'
        throw e
      }
      this.lastStatusPost.set(name, now.getTime())
    }
    return {requeueAfterMs: LEASE_RENEW_MS, background: true}
  }

  private renewLease(node: Obj, now: Date): void {
    const name = String(meta(node).name)
    const lease = this.ctx.informer(RESOURCES.leases).get(NODE_LEASE_NAMESPACE, name)
    if (!lease) {
      try {
        this.ctx.client.create(RESOURCES.leases, NODE_LEASE_NAMESPACE, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
          metadata: {name, namespace: NODE_LEASE_NAMESPACE, ownerReferences: [{apiVersion: 'v1', kind: 'Node', name, uid: meta(node).uid}]},
          spec: {holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now)},
        })
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 409)) throw e
      }
      return
    }
    const renewed = Date.parse(String(spec(lease).renewTime ?? 0))
    if (now.getTime() - renewed < LEASE_RENEW_MS && spec(lease).holderIdentity === name) return
    this.ctx.client.update(RESOURCES.leases, {...lease, spec: {...spec(lease), holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now)}})
  }

  // ---- wiring --------------------------------------------------------------------------------

  private track(p: Obj, add: boolean): void {
    const node = spec(p).nodeName as string | undefined
    if (!node) return
    const k = `${meta(p).namespace}/${meta(p).name}`
    let set = this.podsByNode.get(node)
    if (!set) this.podsByNode.set(node, (set = new Set()))
    if (add) set.add(k)
    else set.delete(k)
  }

  wirePods(c: Controller, ctx: ControllerContext): void {
    this.podController = c
    const enqueue = (p: Obj) => {
      if (spec(p).nodeName) c.enqueue({namespace: String(meta(p).namespace), name: String(meta(p).name)})
    }
    ctx.informer(RESOURCES.pods).addHandlers({
      onAdd: (p) => {
        this.track(p, true)
        enqueue(p)
      },
      onUpdate: (old, p) => {
        this.track(p, true)
        // Only what the kubelet reacts to: being bound, being deleted, a new spec (resize, image).
        if (spec(old).nodeName !== spec(p).nodeName || meta(old).deletionTimestamp !== meta(p).deletionTimestamp || meta(old).generation !== meta(p).generation) enqueue(p)
      },
      onDelete: (p) => {
        this.track(p, false)
        this.forgetPod(p)
      },
    })
    ctx.informer(RESOURCES.nodes).addHandlers({
      onUpdate: (old, n) => {
        // A kubelet that starts again syncs its pods.
        if (kubeletStopped(old) && !kubeletStopped(n)) {
          for (const k of this.podsByNode.get(String(meta(n).name)) ?? []) {
            const i = k.indexOf('/')
            c.enqueue({namespace: k.slice(0, i), name: k.slice(i + 1)})
          }
        }
      },
    })
  }

  wireNodes(c: Controller, ctx: ControllerContext): void {
    this.nodeController = c
    const enqueue = (n: Obj) => c.enqueue({name: String(meta(n).name)})
    ctx.informer(RESOURCES.nodes).addHandlers({
      onAdd: enqueue,
      onUpdate: (old, n) => {
        if (kubeletStopped(old) !== kubeletStopped(n) || JSON.stringify(old.spec) !== JSON.stringify(n.spec)) enqueue(n)
      },
      onDelete: (n) => {
        const name = String(meta(n).name)
        this.images.delete(name)
        this.ipsByNode.delete(name)
        this.profiles.delete(name)
        this.lastStatusPost.delete(name)
      },
    })
    ctx.informer(RESOURCES.leases)
  }
}

export function addKubelet(m: ControllerManager, env: ComponentEnv): KubeletComponent {
  const k = new KubeletComponent(m.as('kubelet'), env, env.logSink)
  m.add(k.pods, (c, ctx) => k.wirePods(c, ctx))
  m.add(k.nodes, (c, ctx) => k.wireNodes(c, ctx))
  return k
}
