// The base of every kube2 command: kubectl's global flags defined once, and error handling that
// prints kubectl-style messages (never a stack trace) with kubectl's exit codes.
import {Command, Flags, Interfaces} from '@oclif/core'
import {PlainError, UserError} from './errors.js'
import type {Cluster} from '../client/cluster.js'
import type {ClusterFlags} from '../client/select.js'

export type GlobalFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    kubeconfig: Flags.string({
      description: 'Path to the kubeconfig file to use for CLI requests.',
      helpGroup: 'GLOBAL',
    }),
    context: Flags.string({description: 'The name of the kubeconfig context to use', helpGroup: 'GLOBAL'}),
    cluster: Flags.string({description: 'The name of the kubeconfig cluster to use', helpGroup: 'GLOBAL'}),
    user: Flags.string({description: 'The name of the kubeconfig user to use', helpGroup: 'GLOBAL'}),
    namespace: Flags.string({
      char: 'n',
      description: 'If present, the namespace scope for this CLI request',
      helpGroup: 'GLOBAL',
    }),
    'all-namespaces': Flags.boolean({
      char: 'A',
      description: 'If present, list the requested object(s) across all namespaces.',
      helpGroup: 'GLOBAL',
    }),
    output: Flags.string({char: 'o', description: 'Output format.', helpGroup: 'GLOBAL'}),
    'request-timeout': Flags.string({
      description:
        'The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don\'t timeout requests.',
      default: '0',
      helpGroup: 'GLOBAL',
    }),
    v: Flags.integer({char: 'v', description: 'number for the log level verbosity', default: 0, helpGroup: 'GLOBAL'}),
    server: Flags.string({char: 's', description: 'The address and port of the Kubernetes API server', helpGroup: 'GLOBAL'}),
    token: Flags.string({description: 'Bearer token for authentication to the API server', helpGroup: 'GLOBAL'}),
    'certificate-authority': Flags.string({description: 'Path to a cert file for the certificate authority', helpGroup: 'GLOBAL'}),
    'client-certificate': Flags.string({description: 'Path to a client certificate file for TLS', helpGroup: 'GLOBAL'}),
    'client-key': Flags.string({description: 'Path to a client key file for TLS', helpGroup: 'GLOBAL'}),
    'tls-server-name': Flags.string({description: 'Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used', helpGroup: 'GLOBAL'}),
    'insecure-skip-tls-verify': Flags.boolean({description: 'If true, the server\'s certificate will not be checked for validity. This will make your HTTPS connections insecure', helpGroup: 'GLOBAL'}),
    as: Flags.string({description: 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.', helpGroup: 'GLOBAL'}),
    'as-group': Flags.string({multiple: true, description: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.', helpGroup: 'GLOBAL'}),
    'as-uid': Flags.string({description: 'UID to impersonate for the operation.', helpGroup: 'GLOBAL'}),
    'cache-dir': Flags.string({description: 'Default cache directory', helpGroup: 'GLOBAL'}),
  }

  protected flags!: GlobalFlags<T>
  protected args!: Interfaces.InferredArgs<T['args']>
  private openedCluster?: Cluster

  /** The cluster this command talks to (chosen from the kubeconfig), opened on first use. */
  protected async cluster(): Promise<Cluster> {
    if (!this.openedCluster) {
      const {selectCluster} = await import('../client/select.js')
      this.openedCluster = await selectCluster(this.flags as ClusterFlags)
    }
    return this.openedCluster
  }

  /**
   * The positional arguments of a non-strict command: argv without its flags and their values (flags
   * that take a value are known from the command's and the global flag definitions), everything after
   * `--` kept as is.
   */
  protected positionalArgs(): string[] {
    const defs = {...(this.ctor as unknown as typeof BaseCommand).baseFlags, ...(this.ctor.flags ?? {})} as Record<string, {type: string; char?: string}>
    const takesValue = new Set<string>()
    for (const [name, f] of Object.entries(defs)) {
      if (f.type !== 'option') continue
      takesValue.add(`--${name}`)
      if (f.char) takesValue.add(`-${f.char}`)
    }
    const out: string[] = []
    for (let i = 0; i < this.argv.length; i++) {
      const a = this.argv[i]!
      if (a === '--') {
        out.push(...this.argv.slice(i + 1))
        break
      }
      if (a.startsWith('-') && a !== '-') {
        // `-n ns`, `--namespace ns`; `--namespace=ns` and `-nns` carry their value.
        if (takesValue.has(a)) i++
        continue
      }
      out.push(a)
    }
    return out
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    // The embedded cluster holds a lock on its state directory until it is closed.
    if (this.openedCluster) await this.openedCluster.close()
    return super.finally(err)
  }

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: false,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as GlobalFlags<T>
    this.args = args as Interfaces.InferredArgs<T['args']>
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // As kubectl's fatal(): a newline is added only when the message has none.
    const nl = (m: string) => (m.endsWith('\n') ? m : `${m}\n`)
    if (err instanceof PlainError) {
      process.stderr.write(nl(err.message))
      return this.exit(err.exitCode)
    }
    if (err instanceof UserError) {
      if (err.message) process.stderr.write(nl(`error: ${err.message}`))
      return this.exit(err.exitCode)
    }
    // oclif's own parse errors (unknown flag, missing argument) are usage errors: exit 2 like validate's contract.
    if (err.oclif && typeof err.oclif.exit === 'number') {
      if (err.oclif.exit === 0) throw err
      if ((err as {code?: string}).code !== 'EEXIT') {
        process.stderr.write(`error: ${firstLine(err.message)}\nSee '${this.config.bin} ${this.id} --help' for usage.\n`)
        return this.exit(2)
      }
      throw err
    }
    process.stderr.write(`error: ${err.message}\n`)
    if (process.env.KUBE2_DEBUG) process.stderr.write(`${err.stack}\n`)
    return this.exit(1)
  }
}

function firstLine(s: string): string {
  return s.split('\n').filter((l) => l.trim() !== '')[0] ?? s
}
