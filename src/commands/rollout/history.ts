// `kube2 rollout history (TYPE NAME | TYPE/NAME)`: the revisions of a Deployment (its ReplicaSets'
// revision annotations) or of a DaemonSet/StatefulSet (its ControllerRevisions), with CHANGE-CAUSE.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {PlainError, UserError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {rolloutTargets} from '../../cli/rollout-command.js'
import {revisionsOf} from '../../ops/rollout-history.js'
import {Resources} from '../../ops/resources.js'
import {tabwrite} from '../../print/table.js'

export default class RolloutHistory extends BaseCommand<typeof RolloutHistory> {
  static override summary = 'View rollout history'
  static override examples = ['<%= config.bin %> rollout history deployment/web', '<%= config.bin %> rollout history ds/agent']
  static override strict = false
  static override flags = {
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
  }

  public async run(): Promise<void> {
    const cluster = await this.cluster()
    const targets = await rolloutTargets(this as never, cluster, this.positionalArgs(), this.flags.selector)
    for (const t of targets) {
      const r = t.resource
      if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(r.kind)) {
        throw new PlainError(`error: error retrieving history for "${r.kind}", no visitor method exists for {${r.group} ${r.kind}}`, 1)
      }
      const revisions = await revisionsOf(cluster, r.kind, t.object)
      const name = String((t.object.metadata as Obj).name)
      const rows = ['REVISION\tCHANGE-CAUSE', ...revisions.map((v) => `${v.revision}\t${v.changeCause ?? '<none>'}`)]
      process.stdout.write(`${Resources.typeName(r)}/${name} \n${tabwrite(rows.map((l) => `${l}\n`).join(''), {minWidth: 0, padding: 2, padChar: ' ', rememberWidths: false})}\n`)
    }
    if (targets.length === 0) throw new UserError('no resources found')
  }
}
