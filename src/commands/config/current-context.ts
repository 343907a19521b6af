// `kube2 config current-context`.
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {loadKubeconfig} from '../../kubeconfig/config.js'

export default class ConfigCurrentContext extends BaseCommand<typeof ConfigCurrentContext> {
  static override summary = 'Display the current-context'
  static override examples = ['<%= config.bin %> config current-context']

  public async run(): Promise<void> {
    const current = loadKubeconfig(this.flags.kubeconfig).currentContext
    if (!current) throw new UserError('current-context is not set')
    process.stdout.write(`${current}\n`)
  }
}
