// The emulator server on a state directory: the cluster's database, logs and certificates, a
// ControlPlane running in real time (ServerRuntime), and an HTTPS listener that authenticates every
// request (client certificates, bearer tokens) and lets the apiserver authorize it. It holds the
// state directory's lock for its whole life, so no other process opens the database beside it;
// server.json tells embedded commands where to send their requests instead.
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {ensureServiceAccountKey, lockStateDir, readClusterInfo, recordClose, type StateLock} from '../emulator/state-dir.js'
import type {ClusterProfile} from '../emulator/cluster-profile.js'
import {loadClusterProfile} from '../emulator/cluster-profile.js'
import {FileLogStore} from '../emulator/log-store.js'
import type {PodProfile} from '../kubelet/profile.js'
import {SqliteStore} from '../store/sqlite.js'
import {defaultKubernetesVersion} from '../schema/files.js'
import {ServerRuntime} from './runtime.js'
import {createApiHandler} from './http-server.js'
import {Authenticator, ensureAdmin, ensureCa, ensureServingCertificate} from './credentials.js'
import {removeServerInfo, writeServerInfo, type ServerInfo} from './running.js'

export interface EmulatorOptions {
  stateDir: string
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** The nodes of a new cluster (ignored when the state already has a cluster). */
  cluster?: ClusterProfile
  kubernetesVersion?: string
  /** How the simulated kubelets behave (timings, images, logs). */
  kubeletProfile?: PodProfile
  /** Which control plane components run (all by default; `false`: the API alone, for benchmarks). */
  controllers?: boolean | readonly string[]
  /** How long to wait for another kube2 process to release the state directory. */
  lockWaitMs?: number
}

export interface RunningEmulator {
  url: string
  info: ServerInfo
  runtime: ServerRuntime
  /** Stops serving, lets the store finish its writes and releases the state directory. */
  close(): Promise<void>
}

export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1'
  const lock: StateLock = lockStateDir(opts.stateDir, opts.lockWaitMs ?? 15000)
  let runtime: ServerRuntime | undefined
  try {
    const ca = ensureCa(opts.stateDir)
    const serving = ensureServingCertificate(opts.stateDir, host)
    ensureAdmin(opts.stateDir)
    const info = readClusterInfo(opts.stateDir, opts.kubernetesVersion ?? defaultKubernetesVersion(), new Date())
    const store = SqliteStore.open(join(opts.stateDir, 'state.db'))
    runtime = new ServerRuntime({
      store,
      kubernetesVersion: info.kubernetesVersion,
      logStore: new FileLogStore(join(opts.stateDir, 'logs')),
      cluster: opts.cluster ?? loadClusterProfile(),
      ...(opts.kubeletProfile ? {kubeletProfile: opts.kubeletProfile} : {}),
      ...(opts.controllers !== undefined ? {controllers: opts.controllers} : {}),
      ...(info.lastTime ? {resumedFrom: new Date(info.lastTime)} : {}),
      serviceAccountKeyPem: ensureServiceAccountKey(opts.stateDir),
    })
    if (info.lastRevision) runtime.controlPlane.compactTo(info.lastRevision)
    const apiserver = runtime.controlPlane.apiserver
    const authenticator = new Authenticator(opts.stateDir, (token) => apiserver.authenticateServiceAccountToken(token))
    runtime.controlPlane.apiserver.access.tokenAuthenticator = (token) => authenticator.byToken(token)
    const handler = createApiHandler(runtime, {authenticate: (req) => authenticator.authenticate(req)})
    const server = https.createServer({key: serving.keyPem, cert: serving.certPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: false}, handler)
    server.requestTimeout = 0
    server.headersTimeout = 60_000
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject)
        resolve(server.address() as AddressInfo)
      })
    })
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
    const serverInfo: ServerInfo = {pid: process.pid, url: `https://${urlHost}:${address.port}`, host, port: address.port, startedAt: new Date().toISOString()}
    writeServerInfo(opts.stateDir, serverInfo)
    const rt = runtime
    let closing: Promise<void> | undefined
    return {
      url: serverInfo.url,
      info: serverInfo,
      runtime: rt,
      close() {
        closing ??= (async () => {
          removeServerInfo(opts.stateDir, process.pid)
          await new Promise<void>((resolve) => {
            server.close(() => resolve())
            server.closeAllConnections()
          })
          try {
            const revision = rt.controlPlane.store.currentRevision()
            const now = rt.controlPlane.clock.now()
            rt.close()
            recordClose(opts.stateDir, revision, now)
          } finally {
            lock.release()
          }
        })()
        return closing
      },
    }
  } catch (e) {
    runtime?.close()
    lock.release()
    throw e
  }
}
