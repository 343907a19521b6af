// `kube2 set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE...`: container images in a workload's pod
// template (or a pod, or a CronJob's job template), `*` for every container; kubectl's words:
// `deployment.apps/web image updated`, and nothing when the images are already those.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {PlainError, ServerError, UserError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {parseGetArgs} from '../../ops/get.js'
import {Resources} from '../../ops/resources.js'
import {toKubectlJson} from '../../print/objects.js'
import {toYaml} from '../../print/yaml.js'

/** Where a kind keeps its pod spec. */
function podSpecPath(kind: string): string[] {
  if (kind === 'Pod') return ['spec']
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec']
  return ['spec', 'template', 'spec']
}

function nest(path: string[], leaf: Obj): Obj {
  return path.reduceRight<Obj>((acc, k) => ({[k]: acc}), leaf)
}

export default class SetImage extends BaseCommand<typeof SetImage> {
  static override summary = 'Update the image of a pod template'
  static override examples = ['<%= config.bin %> set image deployment/web web=nginx:1.28', '<%= config.bin %> set image deploy,rs web=nginx:1.28 --all', '<%= config.bin %> set image daemonset abc *=nginx:1.9.1']
  static override strict = false
  static override flags = {
    all: Flags.boolean({description: 'Select all resources, in the namespace of the specified resource types', default: false}),
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
    'field-manager': Flags.string({description: 'Name of the manager used to track field ownership.', default: 'kubectl-set'}),
    'show-managed-fields': Flags.boolean({description: 'If true, keep the managedFields when printing objects in JSON or YAML format.', default: false}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    if (output && !['json', 'yaml', 'name'].includes(output)) throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`)
    const args = this.positionalArgs()
    const split = args.findIndex((a) => a.includes('='))
    const resourceArgs = split < 0 ? args : args.slice(0, split)
    const images = split < 0 ? [] : args.slice(split)
    if (images.length === 0) throw new UserError('at least one image update is required')
    const wanted = new Map<string, string>()
    for (const i of images) {
      const eq = i.indexOf('=')
      if (eq <= 0) throw new UserError(`invalid image update ${i}: must be of the form CONTAINER=IMAGE`)
      wanted.set(i.slice(0, eq), i.slice(eq + 1))
    }
    const cluster = await this.cluster()
    const resources = await Resources.of(cluster)
    const targets = await resources.retryUnknown(() => parseGetArgs(resources, resourceArgs))
    const namespace = this.flags.namespace ?? cluster.defaultNamespace()
    const dryRun = this.flags['dry-run']
    const notFound: string[] = []
    for (const t of targets) {
      const r = t.resource
      const ns = r.namespaced ? namespace : undefined
      const base = {group: r.group, version: r.version, resource: r.plural, ...(ns ? {namespace: ns} : {})}
      let objects: Obj[] = []
      if (t.names.length > 0) {
        for (const name of t.names) {
          const res = await cluster.request({...base, verb: 'get', name})
          if (res.status === 404) {
            notFound.push(new ServerError(res.body as Obj).message)
            continue
          }
          if (res.status >= 300) throw new ServerError(res.body as Obj)
          objects.push(res.body as Obj)
        }
      } else {
        if (!this.flags.all && !this.flags.selector) throw new UserError('resource(s) were provided, but no name was specified')
        const res = await cluster.request({...base, verb: 'list', query: this.flags.selector ? {labelSelector: this.flags.selector} : {}})
        if (res.status >= 300) throw new ServerError(res.body as Obj)
        objects = ((res.body as Obj).items as Obj[]) ?? []
      }
      for (const obj of objects) {
        const path = podSpecPath(r.kind)
        let spec: Obj | undefined = obj
        for (const k of path) spec = spec?.[k] as Obj | undefined
        if (!spec) throw new UserError(`${Resources.typeName(r)}/${String((obj.metadata as Obj).name)} has no pod template`)
        const patchLists: Record<string, Obj[]> = {}
        const matched = new Set<string>()
        for (const list of ['initContainers', 'containers']) {
          for (const c of ((spec[list] ?? []) as Obj[])) {
            const image = wanted.get(String(c.name)) ?? wanted.get('*')
            if (image === undefined) continue
            matched.add(wanted.has(String(c.name)) ? String(c.name) : '*')
            if (c.image !== image) (patchLists[list] ??= []).push({name: c.name, image})
          }
        }
        for (const name of wanted.keys()) if (!matched.has(name)) throw new UserError(`unable to find container named "${name}"`)
        const name = String((obj.metadata as Obj).name)
        if (Object.keys(patchLists).length === 0) continue
        let result: Obj = obj
        if (dryRun !== 'client') {
          const res = await cluster.request({...base, verb: 'patch', name, patchType: 'strategic', body: nest(path, patchLists), query: {fieldManager: this.flags['field-manager'], ...(dryRun === 'server' ? {dryRun: 'All'} : {})}})
          if (res.status >= 300) throw new ServerError(res.body as Obj)
          result = res.body as Obj
        }
        if (!this.flags['show-managed-fields']) delete ((result.metadata ?? {}) as Obj).managedFields
        const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
        if (output === 'json') process.stdout.write(toKubectlJson(result))
        else if (output === 'yaml') process.stdout.write(toYaml(result))
        else if (output === 'name') process.stdout.write(`${Resources.typeName(r)}/${name}\n`)
        else process.stdout.write(`${Resources.typeName(r)}/${name} image updated${suffix}\n`)
      }
    }
    if (notFound.length > 0) throw new PlainError(notFound.join('\n'), 1)
  }
}
