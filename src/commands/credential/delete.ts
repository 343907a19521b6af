// `kube2 credential delete NAME`: removes a user's token from the OS keychain.
import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {osKeychain} from '../../kubeconfig/keychain.js'

export default class CredentialDelete extends BaseCommand<typeof CredentialDelete> {
  static override summary = 'Remove a user\'s token from the OS keychain'
  static override examples = ['<%= config.bin %> credential delete alice']
  static override args = {name: Args.string({required: true, description: 'user name'})}

  public async run(): Promise<void> {
    if (!osKeychain().delete(this.args.name)) throw new UserError(`no token for "${this.args.name}" in the OS keychain`)
    process.stdout.write(`Token of "${this.args.name}" removed from the OS keychain.\n`)
  }
}
