// `kube2 apply -f`: validates every input, then creates or updates each object on the selected
// cluster (the embedded emulated cluster by default) and reports what it did, as kubectl does.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../cli/errors.js'
import {applyManifests} from '../ops/apply.js'

export default class Apply extends BaseCommand<typeof Apply> {
  static override summary = 'Apply a configuration to a resource by file name or stdin'
  static override description = `Creates the objects in the given files, directories, URLs or stdin, or updates them when they exist.
Every input is read and validated first: if anything is wrong nothing is applied.
With no kubeconfig (or the context "kube2") this is the embedded emulated cluster in ~/.kube2.`

  static override examples = ['<%= config.bin %> apply -f fixtures/quickstart.yaml', '<%= config.bin %> apply -R -f k8s/', 'cat web.yaml | <%= config.bin %> apply -f -']

  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, description: 'The files that contain the configurations to apply.'}),
    recursive: Flags.boolean({char: 'R', description: 'Process the directory used in -f, --filename recursively.', default: false}),
    'field-manager': Flags.string({description: 'Name of the manager used to track field ownership.', default: 'kubectl-client-side-apply'}),
    'dry-run': Flags.string({description: 'Must be "none" or "server".', options: ['none', 'server'], default: 'none'}),
  }

  public async run(): Promise<void> {
    const files = this.flags.filename ?? []
    if (files.length === 0) throw new UsageError('must specify one of -f and -k')
    const cluster = await this.cluster()
    const dryRun = this.flags['dry-run'] === 'server' ? 'server' : undefined
    await applyManifests(
      cluster,
      {
        inputs: files,
        recursive: this.flags.recursive,
        stdin: process.stdin,
        namespace: this.flags.namespace,
        fieldManager: this.flags['field-manager'],
        kubernetesVersion: await cluster.kubernetesVersion(),
        dryRun,
      },
      (o) => process.stdout.write(`${o.type}/${o.name} ${o.action}${dryRun ? ' (server dry run)' : ''}\n`),
    )
  }
}
