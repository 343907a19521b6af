// `kube2 apply -f`: for now it validates what it would apply and says plainly that nothing was
// applied; the embedded emulated cluster (next milestone) makes it create and update the objects.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError, UserError} from '../cli/errors.js'
import {defaultKubernetesVersion} from '../schema/files.js'
import {validateManifests} from '../ops/validate/index.js'
import {formatValidationReport} from '../print/validation.js'
import {ResourceRegistry} from '../api/registry.js'

export default class Apply extends BaseCommand<typeof Apply> {
  static override summary = 'Apply a configuration to a resource by file name or stdin'
  static override description = `Validates every object first (as kube2 validate does). This version of kube2 has no cluster
backend yet, so after validation it reports what it would apply and changes nothing.`

  static override examples = ['<%= config.bin %> apply -f fixtures/quickstart.yaml', 'cat web.yaml | <%= config.bin %> apply -f -']

  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, description: 'The files that contain the configurations to apply.'}),
    recursive: Flags.boolean({char: 'R', description: 'Process the directory used in -f, --filename recursively.', default: false}),
  }

  public async run(): Promise<void> {
    const files = this.flags.filename ?? []
    if (files.length === 0) throw new UsageError('must specify one of -f and -k')
    const kubernetesVersion = defaultKubernetesVersion()
    const report = await validateManifests({inputs: files, recursive: this.flags.recursive, stdin: process.stdin, kubernetesVersion})
    if (report.exitCode !== 0) {
      process.stderr.write(formatValidationReport(report, 'text'))
      throw new UserError('', report.exitCode)
    }
    const registry = ResourceRegistry.forVersion(kubernetesVersion)
    for (const r of report.resources) {
      const info = registry.forKind(r.apiVersion, r.kind)
      const type = info ? (info.group ? `${info.singular}.${info.group}` : info.singular) : r.kind.toLowerCase()
      process.stdout.write(`${type}/${r.name} validated\n`)
    }
    process.stderr.write('Nothing was applied: this version of kube2 validates only; the embedded cluster is not built yet.\n')
  }
}
