// `kube2 config set-context [NAME | --current] [--cluster] [--user] [--namespace]`.
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {loadKubeconfig} from '../../kubeconfig/config.js'
import {setContext} from '../../ops/config.js'

export default class ConfigSetContext extends BaseCommand<typeof ConfigSetContext> {
  static override summary = 'Set a context entry in kubeconfig'
  static override examples = ['<%= config.bin %> config set-context --current --namespace=team', '<%= config.bin %> config set-context dev --cluster=kube2-emulator --user=alice']
  static override args = {name: Args.string({required: false, description: 'context name'})}
  static override flags = {
    current: Flags.boolean({description: 'Modify the current context', default: false}),
  }

  public async run(): Promise<void> {
    let name = this.args.name
    if (this.flags.current) {
      if (name) throw new UserError('you cannot specify both a context name and --current')
      name = loadKubeconfig(this.flags.kubeconfig).currentContext
      if (!name) throw new UserError('no current context is set')
    }
    if (!name) throw new UserError('you must specify a non-empty context name or --current')
    const {created} = setContext(this.flags.kubeconfig, name, {
      ...(this.flags.cluster !== undefined ? {cluster: this.flags.cluster} : {}),
      ...(this.flags.user !== undefined ? {user: this.flags.user} : {}),
      ...(this.flags.namespace !== undefined ? {namespace: this.flags.namespace} : {}),
    })
    process.stdout.write(`Context "${name}" ${created ? 'created' : 'modified'}.\n`)
  }
}
