// LocalCluster: the embedded emulated cluster, in-process on a state directory (SQLite), locked for
// the life of the command. After every write the control plane settles on a virtual clock that
// starts at the real time, so a command returns with the cluster at rest.
import {join} from 'node:path'
import {VirtualClock, type Clock} from '../api/clock.js'
import {ControlPlane} from '../emulator/control-plane.js'
import {loadClusterProfile, type ClusterProfile} from '../emulator/cluster-profile.js'
import {FileLogStore, MemoryLogStore} from '../emulator/log-store.js'
import {clusterStateDir, ensureServiceAccountKey, lockStateDir, readClusterInfo, recordClose, type StateLock} from '../emulator/state-dir.js'
import {SqliteStore} from '../store/sqlite.js'
import {MemoryStore} from '../store/memory.js'
import {defaultKubernetesVersion} from '../schema/files.js'
import type {ApiRequest, ApiResponse} from '../apiserver/types.js'
import {materialize} from '../apiserver/raw-list.js'
import type {Cluster, Discovery} from './cluster.js'

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection'])

export interface LocalClusterOptions {
  /** State directory; default $KUBE2_HOME/clusters/default. `:memory:` keeps nothing. */
  stateDir?: string
  /** Release a new cluster emulates (an existing one keeps the release it was created with). */
  kubernetesVersion?: string
  clock?: Clock
  seed?: number
  namespace?: string
  /** The nodes of a new cluster (default: fixtures/clusters/default.yaml). */
  cluster?: ClusterProfile
}

export class LocalCluster implements Cluster {
  readonly description: string
  private readonly stateDir?: string

  private constructor(readonly controlPlane: ControlPlane, private readonly lock: StateLock | undefined, private readonly namespace: string, dir: string) {
    this.description = dir === ':memory:' ? 'in-memory embedded cluster' : `embedded cluster in ${dir}`
    if (dir !== ':memory:') this.stateDir = dir
  }

  static open(opts: LocalClusterOptions = {}): LocalCluster {
    const dir = opts.stateDir ?? clusterStateDir()
    if (dir === ':memory:') {
      const clock = opts.clock ?? new VirtualClock(Date.now())
      const cp = new ControlPlane({store: new MemoryStore(), clock, kubernetesVersion: opts.kubernetesVersion, seed: opts.seed, cluster: opts.cluster ?? loadClusterProfile(), logStore: new MemoryLogStore()})
      return new LocalCluster(cp, undefined, opts.namespace ?? 'default', dir)
    }
    const lock = lockStateDir(dir)
    try {
      // The virtual clock never runs backwards between commands: a settle may have moved it ahead of real time.
      const info = readClusterInfo(dir, opts.kubernetesVersion ?? defaultKubernetesVersion(), new Date())
      const clock = opts.clock ?? new VirtualClock(Math.max(Date.now(), info.lastTime ? Date.parse(info.lastTime) : 0))
      const store = SqliteStore.open(join(dir, 'state.db'))
      const cp = new ControlPlane({
        store, clock, kubernetesVersion: info.kubernetesVersion, seed: opts.seed,
        // Container logs live beside the database, one file per container instance.
        logStore: new FileLogStore(join(dir, 'logs')),
        // Nodes are registered from the profile only when the store is new.
        cluster: opts.cluster ?? loadClusterProfile(),
        ...(info.lastTime ? {resumedFrom: new Date(info.lastTime)} : {}),
        serviceAccountKeyPem: ensureServiceAccountKey(dir),
      })
      // Each command is one compaction interval of the embedded cluster: history older than the
      // previous command is dropped, so the file does not grow with every change ever made.
      if (info.lastRevision) cp.compactTo(info.lastRevision)
      return new LocalCluster(cp, lock, opts.namespace ?? 'default', dir)
    } catch (e) {
      lock.release()
      throw e
    }
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    const res = materialize(this.controlPlane.handle(req))
    if (WRITES.has(req.verb) && res.status < 300) this.controlPlane.settle()
    return res
  }

  async discovery(): Promise<Discovery> {
    const catalog = this.controlPlane.apiserver.catalog
    const groups = catalog.groups()
    const ordered = [...groups].sort((a, b) => (a.name === '' ? -1 : b.name === '' ? 1 : 0))
    return {resources: catalog.all(), groups: ordered.map((g) => ({...g, preferredVersion: g.versions[0]}))}
  }

  defaultNamespace(): string {
    return this.namespace
  }

  async serverVersion(): Promise<Record<string, unknown>> {
    const {versionInfo} = await import('../server/discovery.js')
    return versionInfo(this.controlPlane.kubernetesVersion)
  }

  async kubernetesVersion(): Promise<string> {
    return this.controlPlane.kubernetesVersion
  }

  async close(): Promise<void> {
    try {
      this.controlPlane.settle()
      if (this.stateDir) recordClose(this.stateDir, this.controlPlane.store.currentRevision(), this.controlPlane.clock.now())
      this.controlPlane.close()
    } finally {
      this.lock?.release()
    }
  }
}
