// `kube2 credential get NAME`: the exec credential plugin `config set-credentials --keychain` writes
// into the kubeconfig. It prints an ExecCredential with the token kept in the OS keychain (in the
// apiVersion kubectl asked for in KUBERNETES_EXEC_INFO).
import {Args} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {osKeychain} from '../../kubeconfig/keychain.js'

export default class CredentialGet extends BaseCommand<typeof CredentialGet> {
  static override summary = 'Print the ExecCredential for a user whose token is in the OS keychain (a kubeconfig exec plugin)'
  static override examples = ['<%= config.bin %> credential get alice']
  static override args = {name: Args.string({required: true, description: 'user name'})}

  public async run(): Promise<void> {
    let apiVersion = 'client.authentication.k8s.io/v1'
    const info = process.env.KUBERNETES_EXEC_INFO
    if (info) {
      try {
        const v = (JSON.parse(info) as {apiVersion?: string}).apiVersion
        if (v) apiVersion = v
      } catch {
        throw new UserError('KUBERNETES_EXEC_INFO is not an ExecCredential')
      }
    }
    const token = osKeychain().get(this.args.name)
    if (!token) throw new UserError(`no token for "${this.args.name}" in the OS keychain (store one with: kube2 config set-credentials ${this.args.name} --token-stdin --keychain)`)
    process.stdout.write(`${JSON.stringify({apiVersion, kind: 'ExecCredential', status: {token}})}\n`)
  }
}
