// `kube2 rollout pause|resume (TYPE NAME | TYPE/NAME)`: spec.paused of Deployments, in kubectl's words.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {PlainError, ServerError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {rolloutTargets} from '../../cli/rollout-command.js'
import {Resources} from '../../ops/resources.js'

export async function setPaused(cmd: BaseCommand<typeof BaseCommand>, paused: boolean, args: string[], flags: {selector?: string; 'field-manager'?: string}): Promise<void> {
  const cluster = await (cmd as unknown as {cluster(): Promise<import('../../client/cluster.js').Cluster>}).cluster()
  const targets = await rolloutTargets(cmd, cluster, args, flags.selector)
  const errors: string[] = []
  for (const t of targets) {
    const r = t.resource
    const name = String((t.object.metadata as Obj).name)
    const gr = Resources.groupResource(r)
    if (r.kind !== 'Deployment') {
      errors.push(`error: ${gr} "${name}" ${paused ? 'pausing' : 'resuming'} is not supported`)
      continue
    }
    const current = (t.object.spec as Obj | undefined)?.paused === true
    if (current === paused) {
      errors.push(`error: ${gr} "${name}" is ${paused ? 'already paused' : 'not paused'}`)
      continue
    }
    const res = await cluster.request({group: r.group, version: r.version, resource: r.plural, name, verb: 'patch', patchType: 'strategic', body: {spec: {paused: paused ? true : null}}, ...(t.namespace ? {namespace: t.namespace} : {}), query: {fieldManager: flags['field-manager'] ?? 'kubectl-rollout'}})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    process.stdout.write(`${Resources.typeName(r)}/${name} ${paused ? 'paused' : 'resumed'}\n`)
  }
  if (errors.length > 0) throw new PlainError(errors.join('\n'), 1)
}

export const PAUSE_FLAGS = {
  selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
  'field-manager': Flags.string({description: 'Name of the manager used to track field ownership.', default: 'kubectl-rollout'}),
}

export default class RolloutPause extends BaseCommand<typeof RolloutPause> {
  static override summary = 'Mark the provided resource as paused'
  static override examples = ['<%= config.bin %> rollout pause deployment/web']
  static override strict = false
  static override flags = PAUSE_FLAGS

  public async run(): Promise<void> {
    await setPaused(this as never, true, this.positionalArgs(), this.flags)
  }
}
