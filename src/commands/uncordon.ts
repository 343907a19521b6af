// `kube2 uncordon NODE`: see cordon.ts.
import {BaseCommand} from '../cli/base-command.js'
import {CORDON_FLAGS, runCordon} from './cordon.js'

export default class Uncordon extends BaseCommand<typeof Uncordon> {
  static override summary = 'Mark node as schedulable'
  static override examples = ['<%= config.bin %> uncordon node-1']
  static override strict = false
  static override flags = CORDON_FLAGS

  public async run(): Promise<void> {
    await runCordon(this as never, 'uncordon', this.positionalArgs(), this.flags)
  }
}
