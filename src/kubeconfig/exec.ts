// client-go credential plugins (a kubeconfig user's `exec:`): the command runs with its args and env
// and KUBERNETES_EXEC_INFO (an ExecCredential, with the cluster when provideClusterInfo), standard
// input only when interactive, standard error passed through; its ExecCredential answer gives a bearer
// token or a client certificate, kept until expirationTimestamp and fetched again after a 401.
import {spawn} from 'node:child_process'
import {isAbsolute, join, dirname} from 'node:path'
import {UserError} from '../cli/errors.js'
import type {CredentialSource} from '../client/transport.js'
import type {Entry} from './config.js'

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']

export interface ExecConfig {
  apiVersion: string
  command: string
  args: string[]
  env: Array<{name: string; value: string}>
  installHint?: string
  provideClusterInfo: boolean
  interactiveMode: 'Never' | 'IfAvailable' | 'Always'
}

/** What provideClusterInfo passes to the plugin. */
export interface ExecClusterInfo {
  server: string
  'tls-server-name'?: string
  'insecure-skip-tls-verify'?: boolean
  'certificate-authority-data'?: string
  'proxy-url'?: string
  config?: unknown
}

export class ExecError extends UserError {}

const INSTALL_HELP = 'It looks like you are trying to use a client-go credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation available at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins'

/** Reads and checks a user's `exec` entry (relative commands with a path are relative to its kubeconfig). */
export function parseExecConfig(exec: Entry, file: string, userName: string): ExecConfig {
  const apiVersion = String(exec.apiVersion ?? '')
  if (!EXEC_API_VERSIONS.includes(apiVersion) && apiVersion !== 'client.authentication.k8s.io/v1alpha1') {
    throw new ExecError(`exec plugin: invalid apiVersion "${apiVersion}"`)
  }
  let command = String(exec.command ?? '')
  if (!command) throw new ExecError(`invalid configuration: user "${userName}": exec command must be specified`)
  if (command.includes('/') && !isAbsolute(command)) command = join(dirname(file), command)
  const mode = exec.interactiveMode === undefined ? undefined : String(exec.interactiveMode)
  if (mode === undefined && apiVersion === 'client.authentication.k8s.io/v1') {
    throw new ExecError(`invalid configuration: user "${userName}": interactiveMode must be specified for ${apiVersion} to use exec authentication plugin`)
  }
  if (mode !== undefined && mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') {
    throw new ExecError(`invalid configuration: user "${userName}": invalid interactiveMode: ${mode}`)
  }
  const cfg: ExecConfig = {
    apiVersion,
    command,
    args: Array.isArray(exec.args) ? exec.args.map(String) : [],
    env: Array.isArray(exec.env) ? (exec.env as Entry[]).map((e) => ({name: String(e.name ?? ''), value: String(e.value ?? '')})) : [],
    provideClusterInfo: exec.provideClusterInfo === true,
    interactiveMode: (mode as ExecConfig['interactiveMode'] | undefined) ?? 'IfAvailable',
  }
  if (typeof exec.installHint === 'string' && exec.installHint) cfg.installHint = exec.installHint
  return cfg
}

interface Issued {
  token?: string
  cert?: string
  key?: string
  expiresAt?: number
}

export class ExecCredentialSource implements CredentialSource {
  private current?: Issued
  private pending?: Promise<Issued>

  constructor(
    private readonly cfg: ExecConfig,
    private readonly cluster: ExecClusterInfo | undefined,
    private readonly io: {stdinIsTTY: boolean; now?: () => number} = {stdinIsTTY: Boolean(process.stdin.isTTY)},
  ) {}

  async get(): Promise<{token?: string; cert?: string; key?: string}> {
    const now = this.io.now?.() ?? Date.now()
    if (this.current && (this.current.expiresAt === undefined || this.current.expiresAt > now)) return this.current
    this.pending ??= this.run().finally(() => (this.pending = undefined))
    this.current = await this.pending
    return this.current
  }

  refresh(): void {
    this.current = undefined
  }

  private async run(): Promise<Issued> {
    const interactive = this.cfg.interactiveMode !== 'Never' && this.io.stdinIsTTY
    if (this.cfg.interactiveMode === 'Always' && !this.io.stdinIsTTY) {
      throw new ExecError('getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal')
    }
    const spec: Entry = {interactive}
    if (this.cfg.provideClusterInfo && this.cluster) spec.cluster = this.cluster
    const info = {kind: 'ExecCredential', apiVersion: this.cfg.apiVersion, spec}
    const env: NodeJS.ProcessEnv = {...process.env}
    for (const e of this.cfg.env) env[e.name] = e.value
    env.KUBERNETES_EXEC_INFO = JSON.stringify(info)
    const {stdout, code, spawnError} = await new Promise<{stdout: string; code: number | null; spawnError?: NodeJS.ErrnoException}>((resolve) => {
      const child = spawn(this.cfg.command, this.cfg.args, {env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit']})
      let out = ''
      child.stdout!.setEncoding('utf8')
      child.stdout!.on('data', (d: string) => (out += d))
      child.on('error', (e: NodeJS.ErrnoException) => resolve({stdout: out, code: null, spawnError: e}))
      child.on('close', (c) => resolve({stdout: out, code: c}))
    })
    if (spawnError) {
      if (spawnError.code === 'ENOENT') {
        let msg = `getting credentials: exec: executable ${this.cfg.command} not found\n\n${INSTALL_HELP}`
        if (this.cfg.installHint) msg += `\n\n${this.cfg.installHint}`
        throw new ExecError(msg)
      }
      throw new ExecError(`getting credentials: exec: fork/exec ${this.cfg.command}: ${spawnError.code === 'EACCES' ? 'permission denied' : spawnError.message}`)
    }
    if (code !== 0) throw new ExecError(`getting credentials: exec: executable ${this.cfg.command} failed with exit code ${code}`)
    return this.parse(stdout)
  }

  private parse(stdout: string): Issued {
    let cred: Entry
    try {
      cred = JSON.parse(stdout) as Entry
    } catch (e) {
      throw new ExecError(`getting credentials: decoding stdout: ${(e as Error).message}`)
    }
    if (!cred || typeof cred !== 'object') throw new ExecError('getting credentials: decoding stdout: not an ExecCredential')
    if (cred.apiVersion !== this.cfg.apiVersion) {
      throw new ExecError(`getting credentials: exec plugin is configured to use API version ${this.cfg.apiVersion}, plugin returned version ${String(cred.apiVersion ?? '')}`)
    }
    const status = cred.status as Entry | undefined
    if (!status) throw new ExecError('getting credentials: exec plugin didn\'t return a status field')
    const token = typeof status.token === 'string' ? status.token : ''
    const cert = typeof status.clientCertificateData === 'string' ? status.clientCertificateData : ''
    const key = typeof status.clientKeyData === 'string' ? status.clientKeyData : ''
    if (!token && !(cert && key)) throw new ExecError('getting credentials: exec plugin didn\'t return a token or cert/key pair')
    if ((cert && !key) || (key && !cert)) throw new ExecError('getting credentials: exec plugin returned only certificate or private key')
    const issued: Issued = {}
    if (token) issued.token = token
    if (cert) {
      issued.cert = cert
      issued.key = key
    }
    if (typeof status.expirationTimestamp === 'string' && status.expirationTimestamp) {
      const t = Date.parse(status.expirationTimestamp)
      if (Number.isNaN(t)) throw new ExecError(`getting credentials: exec plugin returned an invalid expirationTimestamp ${JSON.stringify(status.expirationTimestamp)}`)
      issued.expiresAt = t
    }
    return issued
  }
}
