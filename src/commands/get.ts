// `kube2 get`: objects as kubectl prints them: tables (with -o wide, -A, --show-labels, -L,
// --no-headers), -o yaml, -o json, -o name.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../cli/errors.js'
import {AggregateNotFound, getResources, parseGetArgs, type GetResult} from '../ops/get.js'
import {Resources} from '../ops/resources.js'
import {listOf, toKubectlJson} from '../print/objects.js'
import {toYaml} from '../print/yaml.js'
import {noResourcesMessage, printTable} from '../print/table.js'
import type {Obj} from '../apiserver/types.js'

const OUTPUTS = ['json', 'yaml', 'name', 'wide']

export default class Get extends BaseCommand<typeof Get> {
  static override summary = 'Display one or many resources'
  static override examples = [
    '<%= config.bin %> get pods',
    '<%= config.bin %> get deploy web -o yaml',
    '<%= config.bin %> get pods -A -o wide',
    '<%= config.bin %> get deploy,svc -l app=web',
  ]

  static override strict = false
  // Arguments are read from argv: a declared optional argument would make oclif read piped stdin into it.
  static override usage = 'get TYPE[.VERSION][.GROUP] [NAME...] | TYPE/NAME... [flags]'

  static override flags = {
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    'field-selector': Flags.string({description: 'Selector (field query) to filter on'}),
    'show-labels': Flags.boolean({description: 'When printing, show all labels as the last column', default: false}),
    'label-columns': Flags.string({char: 'L', multiple: true, description: 'Labels to show as columns'}),
    'no-headers': Flags.boolean({description: 'Don\'t print headers', default: false}),
    'show-managed-fields': Flags.boolean({description: 'If true, keep the managedFields when printing objects in JSON or YAML format.', default: false}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    if (output && !OUTPUTS.includes(output)) {
      throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS.filter((o) => o !== 'wide').join(',')}`)
    }
    const cluster = await this.cluster()
    const resources = await Resources.of(cluster)
    const targets = await resources.retryUnknown(() => parseGetArgs(resources, this.positionalArgs()))
    const table = output === '' || output === 'wide'
    let results: GetResult[]
    let failure: AggregateNotFound | undefined
    try {
      results = await getResources(cluster, targets, {
        namespace: this.flags.namespace,
        allNamespaces: this.flags['all-namespaces'],
        labelSelector: this.flags.selector,
        fieldSelector: this.flags['field-selector'],
        table,
      })
    } catch (e) {
      if (!(e instanceof AggregateNotFound)) throw e
      failure = e
      results = e.partial
    }
    this.print(results, output, table, cluster.defaultNamespace())
    if (failure) throw failure
  }

  private print(results: GetResult[], output: string, table: boolean, namespace: string): void {
    if (table) {
      const nonEmpty = results.filter((r) => r.bodies.some((b) => ((b.rows ?? []) as unknown[]).length > 0))
      if (nonEmpty.length === 0) {
        if (!results.some((r) => r.named)) {
          process.stderr.write(`${noResourcesMessage(this.flags['all-namespaces'] ? undefined : this.flags.namespace ?? namespace)}\n`)
        }
        return
      }
      const several = nonEmpty.length > 1
      const parts = nonEmpty.map((r) => {
        const rows = r.bodies.flatMap((b) => (b.rows ?? []) as unknown[])
        const merged = {...r.bodies[0], rows}
        return printTable(merged as never, {
          wide: output === 'wide',
          noHeaders: this.flags['no-headers'],
          withNamespace: this.flags['all-namespaces'] && r.resource.namespaced,
          showLabels: this.flags['show-labels'],
          labelColumns: (this.flags['label-columns'] ?? []).flatMap((l) => l.split(',')),
          // With several types, kubectl prefixes names with their type.
          namePrefix: several ? `${Resources.typeName(r.resource)}/` : undefined,
        })
      })
      process.stdout.write(parts.join('\n'))
      return
    }
    const objects: Obj[] = results.flatMap((r) => r.bodies.flatMap((b) => (Array.isArray(b.items) ? (b.items as Obj[]).map((o) => withTypeMeta(o, b)) : [b])))
    if (output === 'name') {
      for (const r of results) {
        for (const b of r.bodies) {
          const items = Array.isArray(b.items) ? (b.items as Obj[]) : [b]
          for (const o of items) process.stdout.write(`${Resources.typeName(r.resource)}/${String((o.metadata as Obj).name)}\n`)
        }
      }
      return
    }
    if (!this.flags['show-managed-fields']) for (const o of objects) delete ((o.metadata ?? {}) as Obj).managedFields
    const single = results.length === 1 && results[0].named && objects.length === 1
    const value = single ? objects[0] : listOf(objects)
    process.stdout.write(output === 'json' ? toKubectlJson(value) : toYaml(value))
  }
}

/** Items of a list carry no apiVersion/kind on the wire; kubectl fills them in from the list's. */
function withTypeMeta(o: Obj, list: Obj): Obj {
  if (o.apiVersion && o.kind) return o
  return {apiVersion: list.apiVersion, kind: String(list.kind).replace(/List$/, ''), ...o}
}

