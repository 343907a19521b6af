// `kube2 rollout status (TYPE NAME | TYPE/NAME)`: kubectl's status lines, printed as they change,
// until the rollout is done (or --timeout; --watch=false prints the current state once). The object
// is read again every half second (kubectl watches it; the lines are the same).
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {ServerError, UserError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {rolloutTargets} from '../../cli/rollout-command.js'
import {parseRequestTimeout} from '../../client/select.js'
import {rolloutStatus} from '../../ops/rollout.js'

export default class RolloutStatus extends BaseCommand<typeof RolloutStatus> {
  static override summary = 'Show the status of the rollout'
  static override examples = ['<%= config.bin %> rollout status deployment/web', '<%= config.bin %> rollout status ds/agent --timeout=2m']
  static override strict = false
  static override flags = {
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    watch: Flags.string({char: 'w', description: 'Watch the status of the rollout until it\'s done.', default: 'true'}),
    timeout: Flags.string({description: 'The length of time to wait before ending watch, zero means never.', default: '0s'}),
    revision: Flags.integer({description: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).', default: 0}),
  }

  public async run(): Promise<void> {
    const cluster = await this.cluster()
    const targets = await rolloutTargets(this as never, cluster, this.positionalArgs(), this.flags.selector)
    const watch = this.flags.watch !== 'false'
    const timeoutMs = this.flags.timeout === '0s' ? 0 : parseRequestTimeout(this.flags.timeout)
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity
    for (const t of targets) {
      const r = t.resource
      const name = String((t.object.metadata as Obj).name)
      let obj = t.object
      let last = ''
      for (;;) {
        const s = rolloutStatus(r.kind, obj)
        if (s.error) throw new UserError(s.error)
        if (s.message !== last) process.stdout.write(s.message)
        last = s.message
        if (s.done || !watch) break
        if (Date.now() > deadline) throw new UserError('timed out waiting for the condition')
        await new Promise((res) => setTimeout(res, 500))
        const res = await cluster.request({group: r.group, version: r.version, resource: r.plural, name, verb: 'get', ...(t.namespace ? {namespace: t.namespace} : {})})
        if (res.status >= 300) throw new ServerError(res.body as Obj)
        obj = res.body as Obj
      }
    }
  }
}
