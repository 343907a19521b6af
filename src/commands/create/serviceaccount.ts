// `kube2 create serviceaccount NAME`.
import {CREATE_FLAGS, CreateCommand} from '../../cli/create-command.js'
import {serviceAccountObject} from '../../ops/create.js'

export default class CreateServiceAccount extends CreateCommand<typeof CreateServiceAccount> {
  static override summary = 'Create a service account with the specified name'
  static override aliases = ['create:sa']
  static override examples = ['<%= config.bin %> create serviceaccount my-service-account']
  static override flags = CREATE_FLAGS
  protected readonly path = 'create serviceaccount'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    await this.create(serviceAccountObject(name, this.options()))
  }
}
