// `kube2 create deployment NAME --image=IMAGE [--replicas=N] [--port=P] [-- COMMAND...]`.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../cli/create-command.js'
import {UserError} from '../../cli/errors.js'
import {deploymentObject} from '../../ops/create.js'

export default class CreateDeployment extends CreateCommand<typeof CreateDeployment> {
  static override summary = 'Create a deployment with the specified name'
  static override aliases = ['create:deploy']
  static override examples = ['<%= config.bin %> create deployment web --image=nginx:1.27 --replicas=3 --port=80', '<%= config.bin %> create deployment sleeper --image=busybox -- sleep 3600']
  static override flags = {
    ...CREATE_FLAGS,
    image: Flags.string({multiple: true, description: 'Image names to run. A deployment can have multiple images set for multi-container pod.'}),
    replicas: Flags.integer({char: 'r', description: 'Number of replicas to create. Default is 1.', default: 1}),
    port: Flags.integer({description: 'The containerPort that this deployment exposes.', default: -1}),
  }
  protected readonly path = 'create deployment'

  public async run(): Promise<void> {
    if (!this.flags.image?.length) throw new UserError('required flag(s) "image" not set')
    const {name, command} = this.nameAndCommand()
    await this.create(deploymentObject(name, this.flags.image, {...this.options(), replicas: this.flags.replicas, port: this.flags.port, command}))
  }
}
