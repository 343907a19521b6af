// The scheduler's view of the cluster: a NodeInfo per node built from nodes and assigned pods, kept
// current by assume/forget/add/remove so that scheduling many pods never rebuilds it, plus the
// objects plugins consult (PVCs, PVs, StorageClasses, workloads, namespaces, PDBs, PriorityClasses).
import type {
  Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget, PriorityClass, StorageClass, Workload,
} from './api.js'
import {NodeInfo} from './node-info.js'
import {PodInfo, type AffinityTerm} from './pod-info.js'

export interface ClusterState {
  nodes: readonly Node[]
  /** Pods with spec.nodeName are placed; others with status.nominatedNodeName are nominated. */
  pods?: readonly Pod[]
  priorityClasses?: readonly PriorityClass[]
  persistentVolumeClaims?: readonly PersistentVolumeClaim[]
  persistentVolumes?: readonly PersistentVolume[]
  storageClasses?: readonly StorageClass[]
  services?: readonly Workload[]
  replicationControllers?: readonly Workload[]
  replicaSets?: readonly Workload[]
  statefulSets?: readonly Workload[]
  namespaces?: readonly Namespace[]
  podDisruptionBudgets?: readonly PodDisruptionBudget[]
}

/** The kinds of (anti-)affinity terms existing pods carry, grouped for the InterPodAffinity plugin. */
export type TermKind = 'requiredAffinity' | 'requiredAntiAffinity' | 'preferredAffinity' | 'preferredAntiAffinity'

/** Pods on each node carrying one identical term (same template): counted instead of walked. */
export interface TermGroup {
  kind: TermKind
  term: AffinityTerm
  weight: number
  counts: Int32Array
  total: number
}

/** Nodes by their value of one label: domain numbers for typed-array tallies. */
export interface Domains {
  values: string[]
  /** Domain number of each value. */
  index: ReadonlyMap<string, number>
  /** Domain number of each node (by NodeInfo.index), -1 where the label is missing. */
  ofNode: Int32Array
}

interface Counter {
  match: (p: PodInfo) => boolean
  counts: Int32Array
}

const MAX_COUNTERS = 64

/** helper.GetZoneKey: region and zone together, '' when a node has neither. */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {}
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? ''
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? ''
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`
}

function byNamespace<T extends {metadata: {namespace?: string}}>(items: readonly T[] | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const o of items ?? []) {
    const ns = o.metadata.namespace ?? 'default'
    let l = m.get(ns)
    if (!l) m.set(ns, (l = []))
    l.push(o)
  }
  return m
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase
  return phase === 'Succeeded' || phase === 'Failed'
}

/** The kinds besides nodes and pods a snapshot keeps (see Snapshot.updateObject). */
export type SnapshotObjectKind = 'PriorityClass' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | 'Namespace'
  | 'PodDisruptionBudget' | 'Service' | 'ReplicationController' | 'ReplicaSet' | 'StatefulSet'

export class Snapshot {
  /** Nodes in insertion order; NodeInfo.index is the position here. */
  private table: NodeInfo[] = []
  private readonly byName = new Map<string, NodeInfo>()
  private zones: string[] = []
  private readonly tree = new Map<string, NodeInfo[]>()
  private listCache: NodeInfo[] | null = null
  /** Where each placed pod is, and whether it is only assumed. */
  private readonly placed = new Map<string, {node: string; pi: PodInfo; assumed: boolean}>()
  /** Pods bound to nodes the snapshot does not have (yet). */
  private readonly orphans = new Map<string, PodInfo[]>()
  private readonly nominatedByNode = new Map<string, PodInfo[]>()
  private readonly nominatedNodeOf = new Map<string, string>()
  private readonly counters = new Map<string, Counter>()
  private readonly domainCache = new Map<string, Domains>()
  private readonly groups = new Map<string, TermGroup>()
  private infoCache = new WeakMap<Pod, PodInfo>()
  private readonly priorityClasses = new Map<string, PriorityClass>()
  private defaultPriority: number | undefined
  private readonly pvcs = new Map<string, PersistentVolumeClaim>()
  private readonly pvs = new Map<string, PersistentVolume>()
  private readonly classes = new Map<string, StorageClass>()
  /** PVs chosen for assumed pods, so two pods are not offered the same one. */
  private readonly assumedPVs = new Map<string, string>()
  private readonly namespaceLabels = new Map<string, Record<string, string>>()
  private workloads: {services: Map<string, Workload[]>; rcs: Map<string, Workload[]>; rss: Map<string, Workload[]>; sss: Map<string, Workload[]>}
  pdbs: readonly PodDisruptionBudget[]
  /** Bumped whenever the node set or node order changes. */
  nodeGeneration = 0

  constructor(state: ClusterState) {
    for (const pc of state.priorityClasses ?? []) {
      this.priorityClasses.set(pc.metadata.name ?? '', pc)
      if (pc.globalDefault) this.defaultPriority = pc.value
    }
    for (const c of state.persistentVolumeClaims ?? []) this.pvcs.set(`${c.metadata.namespace ?? 'default'}/${c.metadata.name}`, c)
    for (const v of state.persistentVolumes ?? []) this.pvs.set(v.metadata.name ?? '', v)
    for (const c of state.storageClasses ?? []) this.classes.set(c.metadata.name ?? '', c)
    for (const n of state.namespaces ?? []) this.namespaceLabels.set(n.metadata.name ?? '', n.metadata.labels ?? {})
    this.workloads = {
      services: byNamespace(state.services),
      rcs: byNamespace(state.replicationControllers),
      rss: byNamespace(state.replicaSets),
      sss: byNamespace(state.statefulSets),
    }
    this.pdbs = state.podDisruptionBudgets ?? []
    for (const n of state.nodes) this.insertNode(n)
    for (const p of state.pods ?? []) {
      if (isTerminal(p)) continue
      if (p.spec?.nodeName) this.addPod(p)
      else if (p.status?.nominatedNodeName) this.nominate(p, p.status.nominatedNodeName)
    }
  }

  // ---- nodes ---------------------------------------------------------------------------------

  get numNodes(): number {
    return this.table.length
  }

  /** NodeInfos in the order kube-scheduler lists them: round-robin over zones (its nodeTree). */
  nodeInfos(): readonly NodeInfo[] {
    if (!this.listCache) {
      const out: NodeInfo[] = []
      const lists = this.zones.map((z) => this.tree.get(z)!)
      for (let i = 0; out.length < this.table.length; i++) {
        for (const l of lists) if (i < l.length) out.push(l[i]!)
      }
      this.listCache = out
    }
    return this.listCache
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name)
  }

  /** The node table by NodeInfo.index (not the scheduling order). */
  nodesByIndex(): readonly NodeInfo[] {
    return this.table
  }

  addNode(node: Node): void {
    const name = node.metadata.name ?? ''
    if (this.byName.has(name)) return this.updateNode(node)
    this.insertNode(node)
    this.reindex()
  }

  updateNode(node: Node): void {
    const ni = this.byName.get(node.metadata.name ?? '')
    if (!ni) return this.addNode(node)
    const oldZone = zoneKey(ni.node)
    ni.setNode(node)
    const newZone = zoneKey(node)
    if (oldZone !== newZone) {
      this.removeFromTree(ni, oldZone)
      this.addToTree(ni, newZone)
    }
    this.domainCache.clear()
    this.nodeGeneration++
  }

  removeNode(name: string): void {
    const ni = this.byName.get(name)
    if (!ni) return
    this.byName.delete(name)
    this.removeFromTree(ni, zoneKey(ni.node))
    this.table = this.table.filter((n) => n !== ni)
    // Its pods stay known: they come back if the node does.
    for (const pi of ni.pods) this.orphan(name, pi)
    this.reindex()
  }

  private insertNode(node: Node): void {
    const ni = new NodeInfo(node, this.table.length)
    this.table.push(ni)
    this.byName.set(ni.name, ni)
    this.addToTree(ni, zoneKey(node))
    const waiting = this.orphans.get(ni.name)
    if (waiting) {
      this.orphans.delete(ni.name)
      for (const pi of waiting) ni.addPod(pi)
    }
    this.nodeGeneration++
  }

  private addToTree(ni: NodeInfo, zone: string): void {
    let l = this.tree.get(zone)
    if (!l) {
      this.tree.set(zone, (l = []))
      this.zones.push(zone)
    }
    l.push(ni)
    this.listCache = null
  }

  private removeFromTree(ni: NodeInfo, zone: string): void {
    const l = this.tree.get(zone)
    if (!l) return
    const i = l.indexOf(ni)
    if (i >= 0) l.splice(i, 1)
    if (l.length === 0) {
      this.tree.delete(zone)
      this.zones = this.zones.filter((z) => z !== zone)
    }
    this.listCache = null
  }

  /** Renumbers nodes and rebuilds everything indexed by node. */
  private reindex(): void {
    this.table.forEach((n, i) => (n.index = i))
    this.counters.clear()
    this.domainCache.clear()
    this.groups.clear()
    for (const ni of this.table) for (const pi of ni.podsWithAffinity) this.group(pi, ni.index, 1)
    this.nodeGeneration++
  }

  // ---- pods ----------------------------------------------------------------------------------

  /** The PodInfo of a pod, with its priority resolved from PriorityClasses when spec.priority is unset. */
  podInfo(pod: Pod): PodInfo {
    let pi = this.infoCache.get(pod)
    if (!pi) {
      pi = new PodInfo(pod)
      const spec = pod.spec ?? {}
      if (typeof spec.priority !== 'number') {
        const cls = spec.priorityClassName ? this.priorityClasses.get(spec.priorityClassName)?.value : this.defaultPriority
        if (cls !== undefined) pi = pi.withPriority(cls)
      }
      this.infoCache.set(pod, pi)
    }
    return pi
  }

  /** A bound pod (spec.nodeName set) appeared or changed. Replaces an assumed copy. */
  addPod(pod: Pod): void {
    const node = pod.spec?.nodeName
    if (!node) return
    if (isTerminal(pod)) return this.removePod(pod)
    const pi = this.podInfo(pod)
    this.removeByKey(pi.key)
    this.clearNomination(pod)
    this.place(pi, node, false)
  }

  removePod(pod: Pod | string): void {
    this.removeByKey(typeof pod === 'string' ? pod : this.podInfo(pod).key)
  }

  /** Cache.AssumePod: account the pod on `node` before the binding is confirmed. */
  assume(pod: Pod, node: string): void {
    const pi = this.podInfo(pod)
    if (this.placed.has(pi.key)) throw new Error(`pod ${pi.namespace}/${pi.name} is already placed`)
    this.clearNomination(pod)
    this.place(pi, node, true)
  }

  /** Cache.ForgetPod: undo an assume whose binding failed. */
  forget(pod: Pod): void {
    const pi = this.podInfo(pod)
    const at = this.placed.get(pi.key)
    if (!at || !at.assumed) return
    this.removeByKey(pi.key)
    for (const [pv, claim] of this.assumedPVs) if (claim.startsWith(`${pi.key}\x00`)) this.assumedPVs.delete(pv)
  }

  isAssumed(pod: Pod): boolean {
    return this.placed.get(this.podInfo(pod).key)?.assumed ?? false
  }

  /** The node a pod is placed (or assumed) on. */
  nodeOf(pod: Pod): string | undefined {
    return this.placed.get(this.podInfo(pod).key)?.node
  }

  private place(pi: PodInfo, node: string, assumed: boolean): void {
    this.placed.set(pi.key, {node, pi, assumed})
    const ni = this.byName.get(node)
    if (!ni) return this.orphan(node, pi)
    ni.addPod(pi)
    this.count(pi, ni.index, 1)
  }

  private orphan(node: string, pi: PodInfo): void {
    let l = this.orphans.get(node)
    if (!l) this.orphans.set(node, (l = []))
    l.push(pi)
  }

  private removeByKey(key: string): void {
    const at = this.placed.get(key)
    if (!at) return
    this.placed.delete(key)
    const ni = this.byName.get(at.node)
    if (ni) {
      const pi = ni.removePod(key)
      if (pi) this.count(pi, ni.index, -1)
      return
    }
    const l = this.orphans.get(at.node)
    if (l) this.orphans.set(at.node, l.filter((p) => p.key !== key))
  }

  private count(pi: PodInfo, index: number, delta: 1 | -1): void {
    for (const c of this.counters.values()) if (c.match(pi)) c.counts[index]! += delta
    if (pi.hasAffinity) this.group(pi, index, delta)
  }

  // ---- nominated pods ------------------------------------------------------------------------

  /** Records that a pod is nominated to a node (after preemption), as the scheduling queue does. */
  nominate(pod: Pod, node: string): void {
    this.clearNomination(pod)
    const pi = this.podInfo(pod)
    this.nominatedNodeOf.set(pi.key, node)
    let l = this.nominatedByNode.get(node)
    if (!l) this.nominatedByNode.set(node, (l = []))
    l.push(pi)
  }

  clearNomination(pod: Pod): void {
    const pi = this.podInfo(pod)
    const node = this.nominatedNodeOf.get(pi.key)
    if (node === undefined) return
    this.nominatedNodeOf.delete(pi.key)
    const l = (this.nominatedByNode.get(node) ?? []).filter((p) => p.key !== pi.key)
    if (l.length > 0) this.nominatedByNode.set(node, l)
    else this.nominatedByNode.delete(node)
  }

  get hasNominatedPods(): boolean {
    return this.nominatedByNode.size > 0
  }

  nominatedPodsFor(node: string): readonly PodInfo[] {
    return this.nominatedByNode.get(node) ?? []
  }

  nominatedNodeFor(pod: Pod): string | undefined {
    return this.nominatedNodeOf.get(this.podInfo(pod).key)
  }

  // ---- per-node tallies ----------------------------------------------------------------------

  /**
   * How many placed pods on each node (by NodeInfo.index) satisfy `match`. Kept current as pods
   * come and go; `key` must identify the predicate. The most recently used 64 are kept.
   */
  counts(key: string, match: (p: PodInfo) => boolean): Int32Array {
    let c = this.counters.get(key)
    if (c) {
      this.counters.delete(key)
      this.counters.set(key, c)
      return c.counts
    }
    const counts = new Int32Array(this.table.length)
    for (const ni of this.table) {
      let n = 0
      for (const p of ni.pods) if (match(p)) n++
      counts[ni.index] = n
    }
    c = {match, counts}
    this.counters.set(key, c)
    if (this.counters.size > MAX_COUNTERS) this.counters.delete(this.counters.keys().next().value!)
    return counts
  }

  /** Nodes grouped by their value of a label. */
  domains(key: string): Domains {
    let d = this.domainCache.get(key)
    if (!d) {
      const values: string[] = []
      const number = new Map<string, number>()
      const ofNode = new Int32Array(this.table.length).fill(-1)
      for (const ni of this.table) {
        const v = ni.labels[key]
        if (v === undefined) continue
        let i = number.get(v)
        if (i === undefined) {
          i = values.length
          values.push(v)
          number.set(v, i)
        }
        ofNode[ni.index] = i
      }
      d = {values, index: number, ofNode}
      this.domainCache.set(key, d)
    }
    return d
  }

  /** Groups of identical (anti-)affinity terms carried by placed pods. */
  termGroups(): Iterable<TermGroup> {
    return this.groups.values()
  }

  private group(pi: PodInfo, index: number, delta: number): void {
    const add = (kind: TermKind, term: AffinityTerm, weight: number) => {
      const key = `${kind}|${weight}|${term.key}`
      let g = this.groups.get(key)
      if (!g) {
        if (delta < 0) return
        this.groups.set(key, (g = {kind, term, weight, counts: new Int32Array(this.table.length), total: 0}))
      }
      g.counts[index]! += delta
      g.total += delta
      if (g.total <= 0) this.groups.delete(key)
    }
    for (const t of pi.requiredAffinityTerms) add('requiredAffinity', t, 0)
    for (const t of pi.requiredAntiAffinityTerms) add('requiredAntiAffinity', t, 0)
    for (const t of pi.preferredAffinityTerms) add('preferredAffinity', t, t.weight)
    for (const t of pi.preferredAntiAffinityTerms) add('preferredAntiAffinity', t, t.weight)
  }

  // ---- other objects -------------------------------------------------------------------------

  /**
   * Keeps a long-lived snapshot current (the scheduler component's informers call this): an object
   * of one of the kinds plugins consult was added or changed (`o`), or deleted (`deleted`).
   */
  updateObject(kind: SnapshotObjectKind, o: {metadata: {name?: string; namespace?: string}}, deleted = false): void {
    const name = o.metadata.name ?? ''
    const nsKey = `${o.metadata.namespace ?? 'default'}/${name}`
    const put = <T>(m: Map<string, T>, key: string) => (deleted ? m.delete(key) : m.set(key, o as T))
    switch (kind) {
      case 'PriorityClass': {
        put(this.priorityClasses, name)
        this.defaultPriority = undefined
        for (const pc of this.priorityClasses.values()) if (pc.globalDefault) this.defaultPriority = pc.value
        this.infoCache = new WeakMap()
        return
      }
      case 'PersistentVolumeClaim': put(this.pvcs, nsKey); return
      case 'PersistentVolume': put(this.pvs, name); return
      case 'StorageClass': put(this.classes, name); return
      case 'Namespace': {
        if (deleted) this.namespaceLabels.delete(name)
        else this.namespaceLabels.set(name, (o.metadata as {labels?: Record<string, string>}).labels ?? {})
        return
      }
      case 'PodDisruptionBudget': {
        const rest = this.pdbs.filter((p) => !(p.metadata.name === name && (p.metadata.namespace ?? 'default') === (o.metadata.namespace ?? 'default')))
        this.pdbs = deleted ? rest : [...rest, o as PodDisruptionBudget]
        return
      }
      default: {
        const map = kind === 'Service' ? this.workloads.services : kind === 'ReplicationController' ? this.workloads.rcs : kind === 'ReplicaSet' ? this.workloads.rss : this.workloads.sss
        const ns = o.metadata.namespace ?? 'default'
        const rest = (map.get(ns) ?? []).filter((w) => w.metadata.name !== name)
        if (!deleted) rest.push(o as Workload)
        if (rest.length) map.set(ns, rest)
        else map.delete(ns)
      }
    }
  }

  namespaceLabelsOf(ns: string): Record<string, string> | null {
    return this.namespaceLabels.get(ns) ?? null
  }

  /** Names of the namespaces whose labels a selector matches. */
  namespacesMatching(match: (labels: Record<string, string>) => boolean): string[] {
    const out: string[] = []
    for (const [name, labels] of this.namespaceLabels) if (match(labels)) out.push(name)
    return out
  }

  services(ns: string): readonly Workload[] {
    return this.workloads.services.get(ns) ?? []
  }

  /** The ReplicationController, ReplicaSet or StatefulSet of that kind and name. */
  controller(kind: string, ns: string, name: string): Workload | undefined {
    const m = kind === 'ReplicationController' ? this.workloads.rcs : kind === 'ReplicaSet' ? this.workloads.rss : kind === 'StatefulSet' ? this.workloads.sss : undefined
    return m?.get(ns)?.find((w) => w.metadata.name === name)
  }

  pvc(ns: string, name: string): PersistentVolumeClaim | undefined {
    return this.pvcs.get(`${ns}/${name}`)
  }

  pv(name: string): PersistentVolume | undefined {
    return this.pvs.get(name)
  }

  persistentVolumes(): Iterable<PersistentVolume> {
    return this.pvs.values()
  }

  storageClass(name: string): StorageClass | undefined {
    return this.classes.get(name)
  }

  /** The claim (podKey NUL ns/name) an assumed pod took this PV for. */
  assumedClaimOf(pv: string): string | undefined {
    return this.assumedPVs.get(pv)
  }

  /** Remembers the PVs chosen for an assumed pod's claims (VolumeBinding's AssumePodVolumes). */
  assumeVolumes(pod: Pod, bindings: readonly {claim: string; volume: string}[]): void {
    const key = this.podInfo(pod).key
    for (const b of bindings) this.assumedPVs.set(b.volume, `${key}\x00${b.claim}`)
  }
}
