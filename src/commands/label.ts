// `kube2 label TYPE NAME KEY=VAL... KEY-...`: labels on objects, as kubectl changes and reports them.
import {BaseCommand} from '../cli/base-command.js'
import {LABEL_FLAGS, runLabelCommand} from '../cli/label-command.js'

export default class Label extends BaseCommand<typeof Label> {
  static override summary = 'Update the labels on a resource'
  static override examples = [
    '<%= config.bin %> label pods foo unhealthy=true',
    '<%= config.bin %> label --overwrite pods foo status=unhealthy',
    '<%= config.bin %> label pods --all status=unhealthy',
    '<%= config.bin %> label pods foo bar-',
  ]
  static override strict = false
  static override usage = 'label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]'
  static override flags = LABEL_FLAGS

  public async run(): Promise<void> {
    await runLabelCommand(this as never, 'labels', this.positionalArgs())
  }
}
