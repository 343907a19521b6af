// `kube2 create service nodeport NAME`: a NodePort Service, as kubectl's generator builds it.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../../cli/create-command.js'
import {serviceObject} from '../../../ops/create.js'

export default class CreateServiceNodePort extends CreateCommand<typeof CreateServiceNodePort> {
  static override summary = 'Create a NodePort service'
  static override aliases = ['create:svc:nodeport']
  static override examples = ['<%= config.bin %> create service nodeport my-svc --tcp=5678:8080']
  static override flags = {
    ...CREATE_FLAGS,
    tcp: Flags.string({multiple: true, description: 'Port pairs can be specified as \'<port>:<targetPort>\'.'}),
    'node-port': Flags.integer({description: 'Port used to expose the service on each node in a cluster.', default: 0}),
  }
  protected readonly path = 'create service nodeport'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    const f = this.flags as Record<string, unknown>
    await this.create(serviceObject(name, 'NodePort', {
      ...this.options(),
      tcp: (f.tcp as string[] | undefined) ?? [],
      ...(typeof f.clusterip === 'string' ? {clusterIP: f.clusterip} : {}),
      ...(typeof f['node-port'] === 'number' ? {nodePort: f['node-port']} : {}),
      ...(typeof f['external-name'] === 'string' ? {externalName: f['external-name']} : {}),
    }))
  }
}
