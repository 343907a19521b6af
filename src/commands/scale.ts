// `kube2 scale TYPE NAME --replicas=N`: through the scale subresource, with kubectl's
// --current-replicas and --resource-version preconditions, -l/--all, --dry-run and --timeout (wait
// until the workload's status reports the new size).
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {PlainError, ServerError, UserError} from '../cli/errors.js'
import type {Obj} from '../apiserver/types.js'
import {parseGetArgs} from '../ops/get.js'
import {Resources} from '../ops/resources.js'
import {parseRequestTimeout} from '../client/select.js'

export default class Scale extends BaseCommand<typeof Scale> {
  static override summary = 'Set a new size for a deployment, replica set, replication controller, or stateful set'
  static override examples = ['<%= config.bin %> scale deploy web --replicas=5', '<%= config.bin %> scale --current-replicas=2 --replicas=3 deployment/mysql', '<%= config.bin %> scale sts -l app=db --replicas=0']
  static override strict = false
  static override flags = {
    replicas: Flags.integer({description: 'The new desired number of replicas. Required.'}),
    'current-replicas': Flags.integer({description: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale.', default: -1}),
    'resource-version': Flags.string({description: 'Precondition for resource version. Requires that the current resource version match this value in order to scale.'}),
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    all: Flags.boolean({description: 'Select all resources in the namespace of the specified resource types', default: false}),
    timeout: Flags.string({description: 'The length of time to wait before giving up on a scale operation, zero means don\'t wait.', default: '0s'}),
    'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
  }

  public async run(): Promise<void> {
    if (this.flags.replicas === undefined) throw new UserError('required flag(s) "replicas" not set')
    if (this.flags.replicas < 0) throw new UserError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0')
    const cluster = await this.cluster()
    const resources = await Resources.of(cluster)
    const args = this.positionalArgs()
    const targets = await resources.retryUnknown(() => parseGetArgs(resources, args))
    const namespace = this.flags.namespace ?? cluster.defaultNamespace()
    const dryRun = this.flags['dry-run']
    const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
    const timeoutMs = parseRequestTimeout(this.flags.timeout === '0s' ? '0' : this.flags.timeout)
    const scaled: Array<{r: (typeof targets)[number]['resource']; name: string; ns: string | undefined}> = []
    for (const t of targets) {
      const r = t.resource
      const ns = r.namespaced ? namespace : undefined
      let names = t.names
      if (names.length === 0) {
        if (!this.flags.all && !this.flags.selector) throw new UserError('resource(s) were provided, but no name was specified')
        const res = await cluster.request({group: r.group, version: r.version, resource: r.plural, verb: 'list', ...(ns ? {namespace: ns} : {}), query: this.flags.selector ? {labelSelector: this.flags.selector} : {}})
        if (res.status >= 300) throw new ServerError(res.body as Obj)
        names = (((res.body as Obj).items as Obj[]) ?? []).map((o) => String((o.metadata as Obj).name))
      }
      for (const name of names) {
        const req = {group: r.group, version: r.version, resource: r.plural, name, subresource: 'scale', ...(ns ? {namespace: ns} : {})}
        const cur = await cluster.request({...req, verb: 'get'})
        if (cur.status === 404 && !r.subresources?.some((s) => s.name === 'scale')) {
          throw new ServerError(cur.body as Obj)
        }
        if (cur.status === 404) throw new PlainError(`error: no objects passed to scale ${Resources.groupResource(r)} "${name}" not found`, 1)
        if (cur.status >= 300) throw new ServerError(cur.body as Obj)
        const scale = cur.body as Obj
        const current = Number((scale.spec as Obj | undefined)?.replicas ?? 0)
        if (this.flags['current-replicas'] >= 0 && this.flags['current-replicas'] !== current) {
          throw new UserError(`Expected replicas to be ${this.flags['current-replicas']}, was ${current}`)
        }
        if (dryRun !== 'client') {
          const patch: Obj = {spec: {replicas: this.flags.replicas}}
          if (this.flags['resource-version']) patch.metadata = {resourceVersion: this.flags['resource-version']}
          const res = await cluster.request({...req, verb: 'patch', patchType: 'merge', body: patch, ...(dryRun === 'server' ? {query: {dryRun: 'All'}} : {})})
          if (res.status >= 300) throw new ServerError(res.body as Obj)
        }
        process.stdout.write(`${Resources.typeName(r)}/${name} scaled${suffix}\n`)
        scaled.push({r, name, ns})
      }
    }
    if (timeoutMs > 0 && dryRun === 'none') await this.waitFor(cluster, scaled, this.flags.replicas, timeoutMs)
  }

  /** --timeout: until each scale subresource reports status.replicas equal to the new size. */
  private async waitFor(cluster: import('../client/cluster.js').Cluster, scaled: Array<{r: {group: string; version: string; plural: string}; name: string; ns: string | undefined}>, replicas: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (const s of scaled) {
      for (;;) {
        const res = await cluster.request({group: s.r.group, version: s.r.version, resource: s.r.plural, name: s.name, subresource: 'scale', verb: 'get', ...(s.ns ? {namespace: s.ns} : {})})
        if (res.status < 300 && Number(((res.body as Obj).status as Obj | undefined)?.replicas ?? -1) === replicas) break
        if (Date.now() > deadline) throw new UserError(`timed out waiting for the condition`)
        await new Promise((r) => setTimeout(r, 200))
      }
    }
  }
}
