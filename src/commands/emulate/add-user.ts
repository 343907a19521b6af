// `kube2 emulate add-user NAME [--group G]...`: a user of the emulator server with a bearer token (and
// optionally a client certificate), printed as a kubeconfig `users` entry. What the user may do is
// up to RBAC: bind roles to the name or the groups.
import {Args, Flags} from '@oclif/core'
import yaml from 'js-yaml'
import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../cli/errors.js'
import {clusterStateDir} from '../../emulator/state-dir.js'
import {addUser, CredentialsError} from '../../server/credentials.js'

export default class EmulateAddUser extends BaseCommand<typeof EmulateAddUser> {
  static override summary = 'Create a user of the emulator server and print its kubeconfig entry'
  static override examples = [
    '<%= config.bin %> emulate add-user alice --group dev',
    '<%= config.bin %> emulate add-user ci --group system:masters --client-certificate',
  ]

  static override args = {
    name: Args.string({description: 'User name', required: true}),
  }

  static override flags = {
    'state-dir': Flags.string({description: 'Directory of the cluster\'s state (default $KUBE2_HOME/clusters/default)'}),
    group: Flags.string({description: 'Group of the user (repeatable)', multiple: true}),
    'client-certificate': Flags.boolean({description: 'Authenticate with a client certificate instead of a token', default: false}),
  }

  public async run(): Promise<void> {
    const dir = this.flags['state-dir'] ?? clusterStateDir()
    let issued
    try {
      issued = addUser(dir, this.args.name, this.flags.group ?? [], {certificate: this.flags['client-certificate'] as unknown as boolean})
    } catch (e) {
      if (e instanceof CredentialsError) throw new UsageError(e.message)
      throw e
    }
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    const user = issued.certificate
      ? {'client-certificate-data': b64(issued.certificate.certPem), 'client-key-data': b64(issued.certificate.keyPem)}
      : {token: issued.token}
    process.stdout.write(yaml.dump([{name: issued.name, user}], {lineWidth: -1}))
  }
}
