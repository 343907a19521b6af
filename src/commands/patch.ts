// `kube2 patch TYPE NAME -p PATCH [--type strategic|merge|json]`: kubectl's patch, reporting
// `patched` or `patched (no change)` (the object's resourceVersion did not move).
import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'
import yaml from 'js-yaml'
import {BaseCommand} from '../cli/base-command.js'
import {PlainError, ServerError, UserError} from '../cli/errors.js'
import type {Obj, PatchType} from '../apiserver/types.js'
import {parseGetArgs} from '../ops/get.js'
import {Resources} from '../ops/resources.js'
import {toKubectlJson} from '../print/objects.js'
import {toYaml} from '../print/yaml.js'

const TYPES: Record<string, PatchType> = {strategic: 'strategic', merge: 'merge', json: 'json'}

export default class Patch extends BaseCommand<typeof Patch> {
  static override summary = 'Update fields of a resource'
  static override examples = [
    '<%= config.bin %> patch node node-1 -p \'{"spec":{"unschedulable":true}}\'',
    '<%= config.bin %> patch deploy web --type=merge -p \'{"spec":{"replicas":2}}\'',
    '<%= config.bin %> patch pod web-1 --type=json -p \'[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.28"}]\'',
  ]
  static override strict = false
  static override flags = {
    patch: Flags.string({char: 'p', description: 'The patch to be applied to the resource JSON file.'}),
    'patch-file': Flags.string({description: 'A file containing a patch to be applied to the resource.'}),
    type: Flags.string({description: 'The type of patch being provided; one of [json merge strategic]', default: 'strategic'}),
    subresource: Flags.string({description: 'If specified, patch will operate on the subresource of the requested object.'}),
    'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
    'show-managed-fields': Flags.boolean({description: 'If true, keep the managedFields when printing objects in JSON or YAML format.', default: false}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    if (output && !['json', 'yaml', 'name'].includes(output)) throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`)
    const type = TYPES[this.flags.type]
    if (!type) throw new UserError(`--type must be one of [json merge strategic], not "${this.flags.type}"`)
    if (this.flags.patch !== undefined && this.flags['patch-file'] !== undefined) throw new UserError('both patch and patch-file cannot be specified')
    let text = this.flags.patch
    if (this.flags['patch-file'] !== undefined) {
      try {
        text = readFileSync(this.flags['patch-file'], 'utf8')
      } catch {
        throw new UserError(`unable to read patch file: open ${this.flags['patch-file']}: no such file or directory`)
      }
    }
    if (text === undefined || text === '') throw new UserError('must specify --patch or --patch-file containing the contents of the patch')
    // kubectl reads the patch as YAML (JSON is YAML) and sends it as JSON.
    let body: unknown
    try {
      body = yaml.load(text)
    } catch (e) {
      throw new UserError(`unable to parse "${text}": ${(e as Error).message.split('\n')[0]}`)
    }
    const cluster = await this.cluster()
    const resources = await Resources.of(cluster)
    const targets = await resources.retryUnknown(() => parseGetArgs(resources, this.positionalArgs()))
    const namespace = this.flags.namespace ?? cluster.defaultNamespace()
    const dryRun = this.flags['dry-run']
    const failures: string[] = []
    for (const t of targets) {
      const r = t.resource
      if (t.names.length === 0) throw new UserError('resource(s) were provided, but no name was specified')
      for (const name of t.names) {
        const req = {group: r.group, version: r.version, resource: r.plural, name, ...(r.namespaced ? {namespace} : {}), ...(this.flags.subresource ? {subresource: this.flags.subresource} : {})}
        const before = await cluster.request({...req, verb: 'get'})
        if (before.status === 404) {
          failures.push(new ServerError(before.body as Obj).message)
          continue
        }
        if (before.status >= 300) throw new ServerError(before.body as Obj)
        let result = before.body as Obj
        if (dryRun !== 'client') {
          const res = await cluster.request({...req, verb: 'patch', patchType: type, body, ...(dryRun === 'server' ? {query: {dryRun: 'All'}} : {})})
          if (res.status >= 300) throw new ServerError(res.body as Obj)
          result = res.body as Obj
        }
        const rv = (o: Obj) => (o.metadata as Obj | undefined)?.resourceVersion
        const changed = dryRun === 'client' || rv(result) !== rv(before.body as Obj) || (dryRun === 'server' && JSON.stringify(result) !== JSON.stringify(before.body))
        if (!this.flags['show-managed-fields']) delete ((result.metadata ?? {}) as Obj).managedFields
        if (output === 'json') process.stdout.write(toKubectlJson(result))
        else if (output === 'yaml') process.stdout.write(toYaml(result))
        else if (output === 'name') process.stdout.write(`${Resources.typeName(r)}/${name}\n`)
        // kubectl patch adds no dry-run suffix.
        else process.stdout.write(`${Resources.typeName(r)}/${name} patched${changed ? '' : ' (no change)'}\n`)
      }
    }
    if (failures.length > 0) throw new PlainError(failures.join('\n'), 1)
  }
}
