// `kube2 get`: objects as kubectl prints them: tables (with -o wide, -A, --show-labels, -L,
// --no-headers), -o yaml, -o json, -o name.
import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {BaseCommand} from '../cli/base-command.js'
import {UsageError, UserError} from '../cli/errors.js'
import {AggregateNotFound, getResources, parseGetArgs, type GetResult} from '../ops/get.js'
import {Resources} from '../ops/resources.js'
import {listOf, toKubectlJson} from '../print/objects.js'
import {toYaml} from '../print/yaml.js'
import {noResourcesMessage, printTable} from '../print/table.js'
import type {Obj} from '../apiserver/types.js'

const OUTPUTS = ['json', 'yaml', 'name', 'wide']
/** Outputs with an argument: -o jsonpath='{…}', -o custom-columns=…, -o go-template-file=…. */
const TEMPLATE_OUTPUTS = ['jsonpath', 'jsonpath-file', 'custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'template', 'templatefile']

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
    'allow-missing-template-keys': Flags.string({description: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.', default: 'true', options: ['true', 'false']}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    const eq = output.indexOf('=')
    const template = eq > 0 && TEMPLATE_OUTPUTS.includes(output.slice(0, eq)) ? await prepareTemplate(output.slice(0, eq), output.slice(eq + 1), this.flags['allow-missing-template-keys'] !== 'false') : undefined
    if (output && !OUTPUTS.includes(output) && !template) {
      throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${[...OUTPUTS.filter((o) => o !== 'wide'), ...TEMPLATE_OUTPUTS].sort().join(',')}`)
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
    if (template) this.printTemplate(results, template)
    else this.print(results, output, table, cluster.defaultNamespace())
    if (failure) throw failure
  }

  /** -o jsonpath / go-template (over the object, or the List of several) and custom-columns (a row each). */
  private printTemplate(results: GetResult[], template: PreparedTemplate): void {
    const objects: Obj[] = results.flatMap((r) => r.bodies.flatMap((b) => (Array.isArray(b.items) ? (b.items as Obj[]).map((o) => withTypeMeta(o, b)) : [b])))
    const single = results.length === 1 && results[0]!.named && objects.length === 1
    process.stdout.write(template.render(objects, single ? objects[0]! : listOf(objects), this.flags['no-headers']))
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

interface PreparedTemplate {
  render(objects: Obj[], value: Obj, noHeaders: boolean): string
}

/**
 * Parses an -o template before anything is fetched (a bad template is an error without a request), with
 * kubectl's errors; file forms read the file.
 */
async function prepareTemplate(kind: string, arg: string, allowMissingKeys: boolean): Promise<PreparedTemplate> {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      throw new UserError(`error reading template ${path}, open ${path}: no such file or directory`)
    }
  }
  if (kind === 'jsonpath' || kind === 'jsonpath-file') {
    const {executeJsonPath, JsonPathError, parseJsonPath} = await import('../print/jsonpath.js')
    const text = kind === 'jsonpath-file' ? read(arg) : arg
    let p
    try {
      p = parseJsonPath(text)
    } catch (e) {
      if (e instanceof JsonPathError) throw new UserError(e.message)
      throw e
    }
    return {
      render: (_objects, value) => {
        try {
          return executeJsonPath(p, value, {allowMissingKeys})
        } catch (e) {
          if (e instanceof JsonPathError) throw new UserError(e.message)
          throw e
        }
      },
    }
  }
  if (kind === 'custom-columns' || kind === 'custom-columns-file') {
    const {CustomColumnsError, parseCustomColumns, parseCustomColumnsFile, printCustomColumns} = await import('../print/custom-columns.js')
    let columns
    try {
      columns = kind === 'custom-columns' ? parseCustomColumns(arg) : parseCustomColumnsFile(read(arg))
    } catch (e) {
      if (e instanceof CustomColumnsError) throw new UserError(e.message)
      throw e
    }
    return {
      render: (objects, _value, noHeaders) => {
        try {
          return printCustomColumns(columns, objects, {noHeaders})
        } catch (e) {
          if (e instanceof CustomColumnsError) {
            process.stdout.write(e.output)
            throw new UserError(e.message)
          }
          throw e
        }
      },
    }
  }
  const {executeGoTemplate, GoTemplateError, parseGoTemplate} = await import('../print/go-template.js')
  const text = kind === 'go-template-file' || kind === 'templatefile' ? read(arg) : arg
  let t
  try {
    t = parseGoTemplate(text)
  } catch (e) {
    if (e instanceof GoTemplateError) throw new UserError(e.message)
    throw e
  }
  return {
    render: (_objects, value) => {
      try {
        return executeGoTemplate(t, value, {allowMissingKeys})
      } catch (e) {
        if (e instanceof GoTemplateError) {
          process.stdout.write(e.output)
          throw new UserError(e.message)
        }
        throw e
      }
    },
  }
}
