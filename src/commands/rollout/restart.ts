// `kube2 rollout restart (TYPE NAME | TYPE/NAME)`: a new rollout of Deployments, DaemonSets and
// StatefulSets, through the pod template annotation kubectl.kubernetes.io/restartedAt.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {PlainError, ServerError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {rolloutTargets} from '../../cli/rollout-command.js'
import {Resources} from '../../ops/resources.js'

const RESTARTABLE = new Set(['Deployment', 'DaemonSet', 'StatefulSet'])
const ANNOTATION = 'kubectl.kubernetes.io/restartedAt'

export default class RolloutRestart extends BaseCommand<typeof RolloutRestart> {
  static override summary = 'Restart a resource'
  static override examples = ['<%= config.bin %> rollout restart deployment/web', '<%= config.bin %> rollout restart deployment --selector=app=nginx']
  static override strict = false
  static override flags = {
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    'field-manager': Flags.string({description: 'Name of the manager used to track field ownership.', default: 'kubectl-rollout'}),
  }

  public async run(): Promise<void> {
    const cluster = await this.cluster()
    const targets = await rolloutTargets(this as never, cluster, this.positionalArgs(), this.flags.selector)
    // RFC 3339 in the local time zone, as Go's time.Now().Format(time.RFC3339).
    const now = rfc3339Local(new Date())
    const errors: string[] = []
    for (const t of targets) {
      const r = t.resource
      const name = String((t.object.metadata as Obj).name)
      if (!RESTARTABLE.has(r.kind)) {
        errors.push(`error: ${Resources.groupResource(r)} "${name}" restarting is not supported`)
        continue
      }
      const tpl = ((t.object.spec as Obj | undefined)?.template ?? {}) as Obj
      const previous = ((tpl.metadata as Obj | undefined)?.annotations as Record<string, string> | undefined)?.[ANNOTATION]
      if (previous === now) {
        errors.push(`error: failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`)
        continue
      }
      const res = await cluster.request({group: r.group, version: r.version, resource: r.plural, name, verb: 'patch', patchType: 'strategic', body: {spec: {template: {metadata: {annotations: {[ANNOTATION]: now}}}}}, ...(t.namespace ? {namespace: t.namespace} : {}), query: {fieldManager: this.flags['field-manager']}})
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      process.stdout.write(`${Resources.typeName(r)}/${name} restarted\n`)
    }
    if (errors.length > 0) throw new PlainError(errors.join('\n'), 1)
  }
}

function rfc3339Local(d: Date): string {
  const off = -d.getTimezoneOffset()
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0')
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return off === 0 ? `${base}Z` : `${base}${off > 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`
}
