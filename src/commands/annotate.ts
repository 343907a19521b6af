// `kube2 annotate TYPE NAME KEY=VAL... KEY-...`: annotations on objects, as kubectl changes and reports them.
import {BaseCommand} from '../cli/base-command.js'
import {LABEL_FLAGS, runLabelCommand} from '../cli/label-command.js'

export default class Annotate extends BaseCommand<typeof Annotate> {
  static override summary = 'Update the annotations on a resource'
  static override examples = [
    '<%= config.bin %> annotate pods foo description="my frontend"',
    '<%= config.bin %> annotate --overwrite pods foo description="my frontend running nginx"',
    '<%= config.bin %> annotate pods --all description="my frontend running nginx"',
    '<%= config.bin %> annotate pods foo description-',
  ]
  static override strict = false
  static override usage = 'annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]'
  static override flags = LABEL_FLAGS

  public async run(): Promise<void> {
    await runLabelCommand(this as never, 'annotations', this.positionalArgs())
  }
}
