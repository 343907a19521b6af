// `kube2 emulate start`: serves the emulated control plane as a Kubernetes API over HTTPS. By default
// the server runs in the background and the command returns once /readyz is ok, after writing the
// cluster, user and context `kube2-emulator` into the kubeconfig.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UsageError, UserError} from '../../cli/errors.js'
import {clusterStateDir} from '../../emulator/state-dir.js'
import {ClusterProfileError, clusterProfileWithWorkers, loadClusterProfile, type ClusterProfile} from '../../emulator/cluster-profile.js'
import {EMULATOR_CONTEXT, recordedServer, runningServer, startInBackground, writeEmulatorKubeconfig} from '../../ops/emulate.js'
import {kubeconfigTarget} from '../../client/kubeconfig-write.js'
import {StateDirLockedError} from '../../emulator/state-dir.js'
import {loadPodProfile, ProfileError} from '../../kubelet/profile-load.js'
import type {PodProfile} from '../../kubelet/profile.js'

/** The port a server listens on when none is given: the one it had last time, else Kubernetes' usual one. */
const DEFAULT_PORT = 6443

export default class EmulateStart extends BaseCommand<typeof EmulateStart> {
  static override summary = 'Start the emulated cluster as a Kubernetes API server for kubectl and client libraries'
  static override examples = [
    '<%= config.bin %> emulate start',
    '<%= config.bin %> emulate start --nodes 10 --port 7443',
    '<%= config.bin %> emulate start --state-dir ./ci-cluster --kubeconfig ./kubeconfig --no-switch',
    '<%= config.bin %> emulate start --profile fixtures/clusters/default.yaml --foreground',
  ]

  static override flags = {
    'state-dir': Flags.string({description: 'Directory of the cluster\'s state (default $KUBE2_HOME/clusters/default)'}),
    port: Flags.integer({description: 'Port to listen on (default: the previous port, else 6443, else any free port; 0 = any free port)', min: 0, max: 65535}),
    host: Flags.string({description: 'Address to listen on', default: '127.0.0.1'}),
    nodes: Flags.integer({description: 'Worker nodes of a new cluster', min: 0, exclusive: ['profile']}),
    profile: Flags.string({description: 'Cluster profile (node pools) of a new cluster', exclusive: ['nodes']}),
    'kubelet-profile': Flags.string({description: 'How the simulated kubelets behave: timings, image rules, logs (layered over the default profile)'}),
    'no-switch': Flags.boolean({description: 'Do not make kube2-emulator the current context', default: false}),
    foreground: Flags.boolean({description: 'Run the server in this process until interrupted', default: false}),
  }

  public async run(): Promise<void> {
    const dir = this.flags['state-dir'] ?? clusterStateDir()
    const profile = this.profile()
    const kubeletProfile = this.kubeletProfile()
    const child = process.env.KUBE2_EMULATOR_CHILD === '1'
    if (this.flags.foreground) return this.foreground(dir, profile, kubeletProfile, child)
    const already = runningServer(dir)
    if (already) {
      this.writeKubeconfig(dir, already.url)
      this.log(`kube2 emulator is already running at ${already.url} (pid ${already.pid}, state in ${dir})`)
      return
    }
    const args = ['--host', this.flags.host]
    if (this.flags.port !== undefined) args.push('--port', String(this.flags.port))
    if (this.flags.nodes !== undefined) args.push('--nodes', String(this.flags.nodes))
    if (this.flags.profile) args.push('--profile', this.flags.profile)
    if (this.flags['kubelet-profile']) args.push('--kubelet-profile', this.flags['kubelet-profile'])
    const info = await startInBackground(dir, args)
    this.writeKubeconfig(dir, info.url)
    this.log(`kube2 emulator running at ${info.url} (pid ${info.pid}, state in ${dir})`)
  }

  private profile(): ClusterProfile | undefined {
    try {
      if (this.flags.profile) return loadClusterProfile(this.flags.profile)
      if (this.flags.nodes !== undefined) return clusterProfileWithWorkers(this.flags.nodes)
      return undefined
    } catch (e) {
      if (e instanceof ClusterProfileError) throw new UsageError(e.message)
      throw e
    }
  }

  private kubeletProfile(): PodProfile | undefined {
    if (!this.flags['kubelet-profile']) return undefined
    try {
      return loadPodProfile(this.flags['kubelet-profile'])
    } catch (e) {
      if (e instanceof ProfileError) throw new UsageError(e.message)
      throw e
    }
  }

  private writeKubeconfig(dir: string, url: string): void {
    const path = kubeconfigTarget(this.flags.kubeconfig)
    const switching = !this.flags['no-switch']
    writeEmulatorKubeconfig(path, dir, url, switching)
    if (switching) this.log(`Switched to context "${EMULATOR_CONTEXT}".`)
  }

  private async foreground(dir: string, profile: ClusterProfile | undefined, kubeletProfile: PodProfile | undefined, child: boolean): Promise<void> {
    const {startEmulator} = await import('../../server/emulator.js')
    const explicitPort = this.flags.port
    const port = explicitPort ?? recordedServer(dir)?.port ?? DEFAULT_PORT
    let emulator
    try {
      emulator = await startEmulator({stateDir: dir, host: this.flags.host, port, ...(profile ? {cluster: profile} : {}), ...(kubeletProfile ? {kubeletProfile} : {}), lockWaitMs: 2000}).catch(async (e: NodeJS.ErrnoException) => {
        // Only a port we chose ourselves may be replaced by another one.
        if (e.code === 'EADDRINUSE' && explicitPort === undefined) return startEmulator({stateDir: dir, host: this.flags.host, port: 0, ...(profile ? {cluster: profile} : {}), ...(kubeletProfile ? {kubeletProfile} : {}), lockWaitMs: 2000})
        throw e
      })
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      if (e instanceof StateDirLockedError) throw new UserError(e.message)
      if (err.code === 'EADDRINUSE') throw new UserError(`cannot listen on ${this.flags.host}:${port}: the port is in use (choose another with --port)`)
      if (err.code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen on ${this.flags.host}: no such local address`)
      throw e
    }
    if (!child) this.writeKubeconfig(dir, emulator.url)
    this.log(`kube2 emulator listening at ${emulator.url} (pid ${process.pid}, state in ${dir})`)
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop)
        process.off('SIGINT', stop)
        resolve()
      }
      process.on('SIGTERM', stop)
      process.on('SIGINT', stop)
    })
    await emulator.close()
    this.log('kube2 emulator stopped')
  }
}
