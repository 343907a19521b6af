// The base of every kube2 command: kubectl's global flags defined once, and error handling that
// prints kubectl-style messages (never a stack trace) with kubectl's exit codes.
import {Command, Flags, Interfaces} from '@oclif/core'
import {PlainError, UserError} from './errors.js'
import type {Cluster} from '../client/cluster.js'

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
  }

  protected flags!: GlobalFlags<T>
  protected args!: Interfaces.InferredArgs<T['args']>
  private openedCluster?: Cluster

  /** The cluster this command talks to (chosen from the kubeconfig), opened on first use. */
  protected async cluster(): Promise<Cluster> {
    if (!this.openedCluster) {
      const {selectCluster} = await import('../client/select.js')
      const f = this.flags as {kubeconfig?: string; context?: string; namespace?: string}
      this.openedCluster = await selectCluster({kubeconfig: f.kubeconfig, context: f.context, namespace: f.namespace})
    }
    return this.openedCluster
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
    if (err instanceof PlainError) {
      process.stderr.write(`${err.message}\n`)
      return this.exit(err.exitCode)
    }
    if (err instanceof UserError) {
      if (err.message) process.stderr.write(`error: ${err.message}\n`)
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
