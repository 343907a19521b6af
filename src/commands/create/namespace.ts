// `kube2 create namespace NAME`.
import {CREATE_FLAGS, CreateCommand} from '../../cli/create-command.js'
import {namespaceObject} from '../../ops/create.js'

export default class CreateNamespace extends CreateCommand<typeof CreateNamespace> {
  static override summary = 'Create a namespace with the specified name'
  static override aliases = ['create:ns']
  static override examples = ['<%= config.bin %> create namespace my-namespace']
  static override flags = CREATE_FLAGS
  protected readonly path = 'create namespace'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    await this.create(namespaceObject(name))
  }
}
