// `kube2 delete`: resources by name, label selector, --all, or the objects in -f files.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {deleteResources} from '../ops/delete.js'

export default class Delete extends BaseCommand<typeof Delete> {
  static override summary = 'Delete resources by file names, stdin, resources and names, or by resources and label selector'
  static override examples = ['<%= config.bin %> delete deploy web', '<%= config.bin %> delete -f fixtures/quickstart.yaml', '<%= config.bin %> delete pods -l app=web']

  static override strict = false
  // Arguments are read from argv: a declared optional argument would make oclif read piped stdin into it.
  static override usage = 'delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [flags]'

  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, description: 'containing the resource to delete.'}),
    recursive: Flags.boolean({char: 'R', default: false, description: 'Process the directory used in -f, --filename recursively.'}),
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    all: Flags.boolean({default: false, description: 'Delete all resources, in the namespace of the specified resource types.'}),
    'ignore-not-found': Flags.boolean({default: false, description: 'Treat "resource not found" as a successful delete.'}),
    'grace-period': Flags.integer({default: -1, description: 'Period of time in seconds given to the resource to terminate gracefully.'}),
    now: Flags.boolean({default: false, description: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).'}),
    cascade: Flags.string({default: 'background', options: ['background', 'foreground', 'orphan'], description: 'Must be "background", "orphan", or "foreground".'}),
    'dry-run': Flags.string({options: ['none', 'server'], default: 'none', description: 'Must be "none" or "server".'}),
  }

  public async run(): Promise<void> {
    const cluster = await this.cluster()
    const args = this.positionalArgs()
    await deleteResources(
      cluster,
      args,
      {
        namespace: this.flags.namespace,
        allNamespaces: this.flags['all-namespaces'],
        labelSelector: this.flags.selector,
        all: this.flags.all,
        filenames: this.flags.filename,
        recursive: this.flags.recursive,
        stdin: process.stdin,
        ignoreNotFound: this.flags['ignore-not-found'],
        gracePeriod: this.flags.now ? 1 : this.flags['grace-period'],
        cascade: this.flags.cascade as 'background' | 'foreground' | 'orphan',
        dryRun: this.flags['dry-run'] === 'server' ? 'server' : undefined,
      },
      (line) => process.stdout.write(`${line}\n`),
    )
  }
}
