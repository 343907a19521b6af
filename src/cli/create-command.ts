// What the `kube2 create <generator>` commands share: flags, NAME and `-- COMMAND` parsing, running.
import {Command, Flags} from '@oclif/core'
import {BaseCommand} from './base-command.js'
import {UserError} from './errors.js'
import type {Obj} from '../apiserver/types.js'
import {createGenerated, type CreateOptions} from '../ops/create.js'

export const CREATE_FLAGS = {
  'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
  'field-manager': Flags.string({description: 'Name of the manager used to track field ownership.', default: 'kubectl-create'}),
  'save-config': Flags.boolean({description: 'If true, the configuration of current object will be saved in its annotation.', default: false}),
  validate: Flags.string({description: 'Must be one of: strict (or true), warn, ignore (or false).', default: 'strict'}),
}

export abstract class CreateCommand<T extends typeof Command> extends BaseCommand<T> {
  static override strict = false

  /** The generator's path for messages: `create namespace`. */
  protected abstract readonly path: string

  /** NAME, and what follows `--` (the container command). */
  protected nameAndCommand(): {name: string; command: string[]} {
    const dash = this.argv.indexOf('--')
    const command = dash >= 0 ? this.argv.slice(dash + 1) : []
    const before = this.positionalArgs().slice(0, this.positionalArgs().length - command.length)
    if (before.length !== 1) throw new UserError(`exactly one NAME is required, got ${before.length}\nSee '${this.config.bin} ${this.path} -h' for help and examples`)
    return {name: before[0]!, command}
  }

  protected options(): CreateOptions {
    const f = this.flags as Record<string, unknown>
    return {
      ...(typeof f.namespace === 'string' ? {namespace: f.namespace} : {}),
      namespaceExplicit: typeof f.namespace === 'string',
      dryRun: f['dry-run'] as CreateOptions['dryRun'],
      ...(typeof f.output === 'string' ? {output: f.output} : {}),
      fieldManager: String(f['field-manager'] ?? 'kubectl-create'),
    }
  }

  protected async create(obj: Obj): Promise<void> {
    const opts = this.options()
    const cluster = opts.dryRun === 'client' ? undefined : await this.cluster()
    await createGenerated(cluster, obj, opts, (s) => process.stdout.write(s))
  }
}
