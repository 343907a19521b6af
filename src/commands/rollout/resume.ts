// `kube2 rollout resume (TYPE NAME | TYPE/NAME)`: see pause.ts.
import {BaseCommand} from '../../cli/base-command.js'
import {PAUSE_FLAGS, setPaused} from './pause.js'

export default class RolloutResume extends BaseCommand<typeof RolloutResume> {
  static override summary = 'Resume a paused resource'
  static override examples = ['<%= config.bin %> rollout resume deployment/web']
  static override strict = false
  static override flags = PAUSE_FLAGS

  public async run(): Promise<void> {
    await setPaused(this as never, false, this.positionalArgs(), this.flags)
  }
}
