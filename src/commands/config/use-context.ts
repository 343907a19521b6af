// `kube2 config use-context NAME`.
import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {useContext} from '../../ops/config.js'

export default class ConfigUseContext extends BaseCommand<typeof ConfigUseContext> {
  static override summary = 'Set the current-context in a kubeconfig file'
  static override examples = ['<%= config.bin %> config use-context kube2-emulator']
  static override args = {name: Args.string({required: true, description: 'context name'})}

  public async run(): Promise<void> {
    useContext(this.flags.kubeconfig, this.args.name)
    process.stdout.write(`Switched to context "${this.args.name}".\n`)
  }
}
