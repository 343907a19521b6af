// What `kube2 label` and `kube2 annotate` share: their flags and output.
import {Flags} from '@oclif/core'
import {BaseCommand} from './base-command.js'
import {UserError} from './errors.js'
import {labelResources, type MetadataMap} from '../ops/label.js'
import {nameOf, toKubectlJson} from '../print/objects.js'
import {toYaml} from '../print/yaml.js'

export const LABEL_FLAGS = {
  overwrite: Flags.boolean({description: 'If true, allow labels to be overwritten, otherwise reject updates that overwrite existing labels.', default: false}),
  list: Flags.boolean({description: 'If true, display the labels for a given resource.', default: false}),
  all: Flags.boolean({description: 'Select all resources, in the namespace of the specified resource types', default: false}),
  selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
  'field-selector': Flags.string({description: 'Selector (field query) to filter on'}),
  'resource-version': Flags.string({description: 'If non-empty, the update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.'}),
  'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
  'show-managed-fields': Flags.boolean({description: 'If true, keep the managedFields when printing objects in JSON or YAML format.', default: false}),
}

export async function runLabelCommand(cmd: BaseCommand<typeof BaseCommand> & {flags: Record<string, unknown>}, field: MetadataMap, args: string[]): Promise<void> {
  const f = cmd.flags as Record<string, unknown> & {output?: string}
  const output = f.output ?? ''
  if (output && !['json', 'yaml', 'name'].includes(output)) throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`)
  const dryRun = f['dry-run'] as 'none' | 'client' | 'server'
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
  let printed = 0
  const cluster = await (cmd as unknown as {cluster(): Promise<import('../client/cluster.js').Cluster>}).cluster()
  await labelResources(cluster, args, {
    field,
    overwrite: f.overwrite === true,
    list: f.list === true,
    all: f.all === true,
    ...(typeof f.selector === 'string' ? {selector: f.selector} : {}),
    ...(typeof f['field-selector'] === 'string' ? {fieldSelector: f['field-selector']} : {}),
    allNamespaces: f['all-namespaces'] === true,
    ...(typeof f.namespace === 'string' ? {namespace: f.namespace} : {}),
    ...(typeof f['resource-version'] === 'string' ? {resourceVersion: f['resource-version']} : {}),
    dryRun,
  }, (o) => {
    if (o.listing !== undefined) {
      process.stdout.write(o.listing)
      return
    }
    if (f['show-managed-fields'] !== true) delete ((o.object.metadata ?? {}) as Record<string, unknown>).managedFields
    if (output === 'name') process.stdout.write(`${nameOf(o.message.split('/')[0]!, String((o.object.metadata as Record<string, unknown>).name))}\n`)
    else if (output === 'json') process.stdout.write(toKubectlJson(o.object))
    else if (output === 'yaml') process.stdout.write(`${printed > 0 ? '---\n' : ''}${toYaml(o.object)}`)
    else process.stdout.write(`${o.message}${suffix}\n`)
    printed++
  })
}
