// `kube2 validate`: offline manifest validation for CI (schemas of a chosen Kubernetes release,
// custom resources, and the apiserver's semantic checks). Thin: flags -> options -> ops -> printer.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../cli/errors.js'
import {wantsColor} from '../cli/streams.js'
import {defaultKubernetesVersion, normalizeKubernetesVersion, supportedVersions} from '../schema/files.js'
import {validateManifests} from '../ops/validate/index.js'
import {formatValidationReport, VALIDATION_FORMATS, type TextStyle, type ValidationFormat} from '../print/validation.js'

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary = 'Validate manifests offline against the schemas and rules of a Kubernetes release'
  static override description = `Checks every object in the given files, directories, URLs or stdin against the JSON Schema of its kind
in the chosen Kubernetes release, custom resources against their CustomResourceDefinitions, and runs the
API server's own semantic checks (selectors match templates, names, ports, quantities, requests <= limits,
removed API versions, ...). Nothing is sent to a cluster.

Exit status: 0 when everything is valid, 1 when anything is invalid, 2 on usage errors or unreadable input.`

  static override examples = [
    '<%= config.bin %> validate -f deploy/',
    '<%= config.bin %> validate -f app.yaml --kubernetes-version 1.30 --strict',
    '<%= config.bin %> validate -R -f manifests/ --schema-location crds/ -o junit > report.xml',
    'helm template . | <%= config.bin %> validate -f - --summary',
  ]

  // Files may also be given as arguments. They are read from argv rather than declared: oclif would
  // otherwise read piped stdin into a missing argument, and stdin belongs to `-f -`.
  static override strict = false
  static override usage = 'validate [-f FILE|DIR|URL|-]... [FILE...] [flags]'

  static override flags = {
    filename: Flags.string({char: 'f', multiple: true, description: 'Filename, directory, or URL to files to validate; - for stdin'}),
    recursive: Flags.boolean({char: 'R', description: 'Process the directory used in -f, --filename recursively.', default: false}),
    'kubernetes-version': Flags.string({description: 'Kubernetes release whose schemas and rules to use (1.28 to 1.36)'}),
    strict: Flags.boolean({description: 'Unknown fields and duplicate keys are errors', default: false}),
    'schema-location': Flags.string({multiple: true, description: 'File or directory of CustomResourceDefinitions (YAML/JSON) or JSON Schema files'}),
    'ignore-missing-schemas': Flags.boolean({description: 'Skip objects whose kind has no known schema instead of failing', default: false}),
    skip: Flags.string({multiple: true, description: 'Kinds not to validate (Kind or apiVersion/Kind, comma-separated)'}),
    reject: Flags.string({multiple: true, description: 'Kinds that are not allowed at all (Kind or apiVersion/Kind, comma-separated)'}),
    summary: Flags.boolean({description: 'Print a summary line at the end (text output)', default: false}),
    'warnings-as-errors': Flags.boolean({description: 'Treat warnings as errors', default: false}),
    'check-references': Flags.boolean({description: 'Warn about ConfigMaps, Secrets, PVCs and ServiceAccounts that pod templates use but the inputs do not define', default: false}),
  }

  public async run(): Promise<void> {
    const flags = this.flags
    const inputs = [...(flags.filename ?? []), ...this.argv.filter((a, i, all) => isPositional(a, i, all))]
    if (inputs.length === 0) throw new UsageError('must specify at least one file, directory or URL to validate (-f FILE, or - for stdin)')

    const requested = flags['kubernetes-version'] ?? defaultKubernetesVersion()
    const kubernetesVersion = normalizeKubernetesVersion(requested)
    if (!kubernetesVersion) {
      const vs = supportedVersions()
      throw new UsageError(`unsupported --kubernetes-version "${requested}": this kube2 has schemas for ${vs[0]} to ${vs.at(-1)}`)
    }
    const format = (flags.output ?? 'text') as ValidationFormat
    if (!VALIDATION_FORMATS.includes(format)) {
      throw new UsageError(`unable to match a printer suitable for the output format "${flags.output}", allowed formats are: ${[...VALIDATION_FORMATS].sort().join(',')}`)
    }

    const report = await validateManifests({
      inputs,
      recursive: flags.recursive,
      stdin: process.stdin,
      kubernetesVersion,
      strict: flags.strict,
      schemaLocations: flags['schema-location'] ?? [],
      ignoreMissingSchemas: flags['ignore-missing-schemas'],
      skip: flags.skip ?? [],
      reject: flags.reject ?? [],
      warningsAsErrors: flags['warnings-as-errors'],
      checkReferences: flags['check-references'],
    })

    const style = format === 'text' && wantsColor() ? await colours() : undefined
    process.stdout.write(formatValidationReport(report, format, {summary: flags.summary, style}))
    // Not this.exit(): that would end the process before a large report is flushed to a pipe.
    process.exitCode = report.exitCode
  }
}

/** Positional arguments are inputs; flag values that oclif left in argv (strict = false) are not. */
function isPositional(arg: string, index: number, all: string[]): boolean {
  if (arg === '-') return index === 0 || !/^-(f|-filename)$/.test(all[index - 1])
  if (arg.startsWith('-')) return false
  const prev = all[index - 1]
  if (prev === undefined) return true
  const valueFlags = /^(-f|--filename|-o|--output|-n|--namespace|--kubernetes-version|--schema-location|--skip|--reject|--kubeconfig|--context|--cluster|--user|--request-timeout|-v)$/
  return !valueFlags.test(prev)
}

async function colours(): Promise<TextStyle> {
  const {default: chalk} = await import('chalk')
  return {error: (s) => chalk.red(s), warning: (s) => chalk.yellow(s), dim: (s) => chalk.dim(s)}
}
