// `kube2 cordon NODE` / `kube2 uncordon NODE`: spec.unschedulable, as kubectl's drain helper sets it.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {ServerError, UserError} from '../cli/errors.js'
import type {Obj} from '../apiserver/types.js'

export const CORDON_FLAGS = {
  selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
  'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
}

export async function runCordon(cmd: BaseCommand<typeof BaseCommand>, verb: 'cordon' | 'uncordon', args: string[], flags: {selector?: string; 'dry-run'?: string}): Promise<void> {
  if (args.length === 0 && !flags.selector) throw new UserError(`USAGE: ${verb} NODE [flags]\nSee '${cmd.config.bin} ${verb} -h' for help and examples`)
  const cluster = await (cmd as unknown as {cluster(): Promise<import('../client/cluster.js').Cluster>}).cluster()
  const base = {group: '', version: 'v1', resource: 'nodes'}
  const nodes: Obj[] = []
  if (flags.selector) {
    const res = await cluster.request({...base, verb: 'list', query: {labelSelector: flags.selector}})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    nodes.push(...(((res.body as Obj).items as Obj[]) ?? []))
  }
  for (const name of args) {
    const res = await cluster.request({...base, verb: 'get', name})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    nodes.push(res.body as Obj)
  }
  const desired = verb === 'cordon'
  const dryRun = flags['dry-run'] ?? 'none'
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
  for (const node of nodes) {
    const name = String((node.metadata as Obj).name)
    const current = ((node.spec as Obj | undefined)?.unschedulable as boolean | undefined) === true
    if (current === desired) {
      process.stdout.write(`node/${name} already ${verb}ed\n`)
      continue
    }
    if (dryRun !== 'client') {
      const res = await cluster.request({...base, verb: 'patch', name, patchType: 'strategic', body: {spec: {unschedulable: desired ? true : null}}, ...(dryRun === 'server' ? {query: {dryRun: 'All'}} : {})})
      if (res.status >= 300) throw new ServerError(res.body as Obj)
    }
    process.stdout.write(`node/${name} ${verb}ed${suffix}\n`)
  }
}

export default class Cordon extends BaseCommand<typeof Cordon> {
  static override summary = 'Mark node as unschedulable'
  static override examples = ['<%= config.bin %> cordon node-1', '<%= config.bin %> cordon -l pool=spot']
  static override strict = false
  static override flags = CORDON_FLAGS

  public async run(): Promise<void> {
    await runCordon(this as never, 'cordon', this.positionalArgs(), this.flags)
  }
}
