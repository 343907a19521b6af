// The emulated control plane: one object composed of the store, the API server and (next) the
// controllers, scheduler and simulated kubelets, all on one Clock. `settle()` runs the cluster's
// background work until quiet, so an embedded command can finish with the cluster at rest.
import {randomBytes} from 'node:crypto'
import {VirtualClock, type Clock, type TimerHandle} from '../api/clock.js'
import {ControllerManager} from '../reconcile/manager.js'
import {bootstrapClusterRoleBindings, bootstrapClusterRoles} from '../apiserver/rbac/bootstrap.js'
import {COMPONENTS, type ComponentEnv} from './components.js'
import {podUsage} from '../kubelet/usage.js'
import type {PodProfile} from '../kubelet/profile.js'
import {nodeIP, profileNodes, type ClusterProfile} from './cluster-profile.js'
import type {ContainerLogSink} from './kubelet-component.js'
import type {Store} from '../store/types.js'
import {ApiServer, type LogReader} from '../apiserver/server.js'
import {seededRandom} from '../apiserver/objects.js'
import {kubernetesStrategy} from '../apiserver/strategy-adapter.js'
import type {ApiRequest, ApiResponse} from '../apiserver/types.js'
import {defaultKubernetesVersion} from '../schema/files.js'
import {loadPodProfile} from '../kubelet/index.js'

export interface ControlPlaneOptions {
  store: Store
  clock: Clock
  kubernetesVersion?: string
  /** Seed for names, uids and allocations; random when omitted (tests pass one for reproducibility). */
  seed?: number
  logs?: LogReader
  /**
   * Which components run: all (default, `true`), none (`false`: the API server and store alone), or
   * the named ones (see COMPONENTS in components.ts).
   */
  controllers?: boolean | readonly string[]
  /** The nodes a new cluster registers (only when the store is empty: nodes are state afterwards). */
  cluster?: ClusterProfile
  /** Where the simulated kubelets write container logs. */
  logSink?: ContainerLogSink
  /** The virtual time the previous process left this cluster at (see ComponentEnv.resumedFrom). */
  resumedFrom?: Date
  /** One store for container logs: the kubelets write to it and pods/log reads from it (logs + logSink). */
  logStore?: LogReader & ContainerLogSink
  /** How the simulated kubelets behave (default: fixtures/kubelet/default-profile.yaml). */
  kubeletProfile?: PodProfile
  /** The service-account token signing key (PKCS#8 PEM; the state dir's pki/sa.key). */
  serviceAccountKeyPem?: string
}

/**
 * How far a settle may move a virtual clock: long enough for pods to start and become ready, short
 * enough that far timers (a Deployment's 10-minute progress deadline) do not drag the cluster's time
 * ahead of the wall clock with every command.
 */
export const DEFAULT_SETTLE_HORIZON_MS = 30 * 1000

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']

/** How often history is compacted, as the apiserver's etcd compactor does (it keeps one interval of history). */
export const COMPACTION_INTERVAL_MS = 5 * 60 * 1000

export class ControlPlane {
  readonly store: Store
  readonly clock: Clock
  readonly apiserver: ApiServer
  readonly kubernetesVersion: string
  readonly controllers: ControllerManager
  private compactionTimer?: TimerHandle
  private readonly kubeletProfile?: PodProfile
  /** The revision seen at the last compaction tick: the next tick compacts up to it. */
  private lastTickRevision = 0

  constructor(opts: ControlPlaneOptions) {
    this.store = opts.store
    this.clock = opts.clock
    this.kubernetesVersion = opts.kubernetesVersion ?? defaultKubernetesVersion()
    const seed = opts.seed ?? randomBytes(4).readUInt32LE(0)
    this.kubeletProfile = opts.kubeletProfile
    const kubeletProfile = opts.kubeletProfile
    this.apiserver = new ApiServer({
      store: opts.store,
      clock: opts.clock,
      kubernetesVersion: this.kubernetesVersion,
      strategy: kubernetesStrategy,
      random: seededRandom(seed),
      logs: opts.logs ?? opts.logStore,
      // metrics.k8s.io, as metrics-server would serve it from the kubelets' usage model.
      metrics: {podUsage: (pod, at) => podUsage(pod, kubeletProfile ?? usageProfile(), at)},
      ...(opts.serviceAccountKeyPem ? {serviceAccountKeyPem: opts.serviceAccountKeyPem} : {}),
    })
    const fresh = this.store.currentRevision() === 0
    this.bootstrap(fresh)
    if (fresh && opts.cluster) this.registerNodes(opts.cluster)
    this.scheduleCompaction()
    this.controllers = new ControllerManager(this.apiserver, this.clock)
    const wanted = opts.controllers ?? true
    const names = wanted === true ? Object.keys(COMPONENTS) : wanted === false ? [] : wanted
    const env: ComponentEnv = {kubernetesVersion: this.kubernetesVersion, seed, logSink: opts.logSink ?? opts.logStore, resumedFrom: opts.resumedFrom, ...(opts.kubeletProfile ? {kubeletProfile: opts.kubeletProfile} : {})}
    for (const name of names) {
      const add = COMPONENTS[name]
      if (!add) throw new Error(`unknown control plane component ${JSON.stringify(name)}`)
      add(this.controllers, env)
    }
    this.controllers.start()
  }

  /**
   * Every interval, history up to the revision seen at the previous tick is discarded: watchers can
   * resume from anything newer than one interval, older resourceVersions get 410 Gone.
   */
  private scheduleCompaction(): void {
    this.lastTickRevision = this.store.currentRevision()
    this.compactionTimer = this.clock.setTimeout(() => {
      this.compactTo(this.lastTickRevision)
      this.scheduleCompaction()
    }, COMPACTION_INTERVAL_MS, {background: true})
  }

  /** Discards history at and below `revision` (never current values). */
  compactTo(revision: number): void {
    if (revision > this.store.compactedRevision() && revision <= this.store.currentRevision()) this.store.compact(revision)
  }

  handle(req: ApiRequest): ApiResponse {
    return this.apiserver.handle(req)
  }

  /** What a new cluster has before anyone applies anything: the system namespaces and the `kubernetes` Service. */
  private bootstrap(fresh: boolean): void {
    for (const name of SYSTEM_NAMESPACES) {
      if (this.store.get(`/registry/core/namespaces/${name}`)) continue
      this.mustCreate({verb: 'create', group: '', version: 'v1', resource: 'namespaces', body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name}}})
    }
    if (!this.store.get('/registry/core/services/default/kubernetes')) {
      this.mustCreate({
        verb: 'create', group: '', version: 'v1', resource: 'services', namespace: 'default',
        body: {
          apiVersion: 'v1', kind: 'Service',
          metadata: {name: 'kubernetes', labels: {component: 'apiserver', provider: 'kubernetes'}},
          spec: {clusterIP: this.apiserver.allocators.ips.addressAt(1), ports: [{name: 'https', port: 443, protocol: 'TCP', targetPort: 6443}], sessionAffinity: 'None', type: 'ClusterIP'},
        },
      })
    }
    // The apiserver's own endpoints for the `kubernetes` Service (its endpoint reconciler writes the
    // Endpoints, marked not to be mirrored, and the matching EndpointSlice itself): the control-plane
    // node's address, port 6443.
    const apiserverEndpoint = {ip: nodeIP(0), port: {name: 'https', port: 6443, protocol: 'TCP'}}
    if (!this.store.get('/registry/core/endpoints/default/kubernetes')) {
      this.mustCreate({
        verb: 'create', group: '', version: 'v1', resource: 'endpoints', namespace: 'default',
        body: {
          apiVersion: 'v1', kind: 'Endpoints',
          metadata: {name: 'kubernetes', labels: {'endpointslice.kubernetes.io/skip-mirror': 'true'}},
          subsets: [{addresses: [{ip: apiserverEndpoint.ip}], ports: [apiserverEndpoint.port]}],
        },
      })
    }
    if (!this.store.get('/registry/discovery.k8s.io/endpointslices/default/kubernetes')) {
      this.mustCreate({
        verb: 'create', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: 'default',
        body: {
          apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
          metadata: {name: 'kubernetes', labels: {'kubernetes.io/service-name': 'kubernetes'}},
          addressType: 'IPv4',
          endpoints: [{addresses: [apiserverEndpoint.ip], conditions: {ready: true}}],
          ports: [apiserverEndpoint.port],
        },
      })
    }
    // The default RBAC policy: whatever is missing is created at every start (as the apiserver's RBAC
    // post-start hook does); the aggregated roles get their rules from the aggregation controller.
    for (const role of bootstrapClusterRoles()) this.ensure('clusterroles', role)
    for (const binding of bootstrapClusterRoleBindings()) this.ensure('clusterrolebindings', binding)
    // kind's default StorageClass, served by the local-path provisioner component: created with the
    // cluster only (the apiserver restores its namespaces and Service, but a deleted class stays deleted).
    if (fresh) {
      this.mustCreate({
        verb: 'create', group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses',
        body: {
          apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
          metadata: {name: 'standard', annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}},
          provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
        },
      })
    }
  }

  /** Registers a profile's nodes, as their kubelets would on first start (status completed by them). */
  registerNodes(profile: ClusterProfile): void {
    for (const node of profileNodes(profile, (this.kubeletProfile ?? loadPodProfile()).node.capacity)) {
      this.mustCreate({verb: 'create', group: '', version: 'v1', resource: 'nodes', body: node})
    }
  }

  /** Creates a cluster-scoped rbac.authorization.k8s.io/v1 object unless it exists. */
  private ensure(resource: 'clusterroles' | 'clusterrolebindings', obj: Record<string, unknown>): void {
    const name = String((obj.metadata as {name: string}).name)
    if (this.store.get(`/registry/rbac.authorization.k8s.io/${resource}/${name}`)) return
    this.mustCreate({verb: 'create', group: 'rbac.authorization.k8s.io', version: 'v1', resource, body: obj})
  }

  private mustCreate(req: ApiRequest): void {
    const res = this.handle({...req, query: {fieldManager: 'kube-apiserver'}})
    if (res.status >= 300) throw new Error(`bootstrapping the cluster failed: ${JSON.stringify(res.body)}`)
  }

  /**
   * Runs the cluster's work until quiet: controllers' queues and the namespace finalizer; on a
   * virtual clock, time moves to the next work timer (a requeue, a grace period, a probe) while one
   * is due within `horizonMs`. Background timers (compaction, bookmarks) never move time.
   */
  settle(opts: {horizonMs?: number; maxRounds?: number} = {}): void {
    const horizon = this.clock.now().getTime() + (opts.horizonMs ?? DEFAULT_SETTLE_HORIZON_MS)
    const maxRounds = opts.maxRounds ?? 10_000
    for (let round = 0; round < maxRounds; round++) {
      const ran = this.controllers.drain()
      const finalized = this.apiserver.finalizeNamespaces()
      if (ran > 0 || finalized) continue
      if (!(this.clock instanceof VirtualClock)) return
      const next = this.clock.nextTimerAt(true)
      if (next === undefined || next > horizon) return
      this.clock.advance(Math.max(0, next - this.clock.now().getTime()))
    }
  }

  close(): void {
    this.controllers.stop()
    if (this.compactionTimer) this.clock.clearTimeout(this.compactionTimer)
    this.store.close()
  }
}

let defaultProfile: PodProfile | undefined
/** The kubelet profile the usage model reads (loaded once, on the first metrics request). */
function usageProfile(): PodProfile {
  return (defaultProfile ??= loadPodProfile())
}
