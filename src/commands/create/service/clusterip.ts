// `kube2 create service clusterip NAME`: a ClusterIP Service, as kubectl's generator builds it.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../../cli/create-command.js'
import {serviceObject} from '../../../ops/create.js'

export default class CreateServiceClusterIP extends CreateCommand<typeof CreateServiceClusterIP> {
  static override summary = 'Create a ClusterIP service'
  static override aliases = ['create:svc:clusterip']
  static override examples = ['<%= config.bin %> create service clusterip my-svc --tcp=5678:8080']
  static override flags = {
    ...CREATE_FLAGS,
    tcp: Flags.string({multiple: true, description: 'Port pairs can be specified as \'<port>:<targetPort>\'.'}),
    clusterip: Flags.string({description: 'Assign your own ClusterIP or set to \'None\' for a \'headless\' service (no loadbalancing).'}),
  }
  protected readonly path = 'create service clusterip'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    const f = this.flags as Record<string, unknown>
    await this.create(serviceObject(name, 'ClusterIP', {
      ...this.options(),
      tcp: (f.tcp as string[] | undefined) ?? [],
      ...(typeof f.clusterip === 'string' ? {clusterIP: f.clusterip} : {}),
      ...(typeof f['node-port'] === 'number' ? {nodePort: f['node-port']} : {}),
      ...(typeof f['external-name'] === 'string' ? {externalName: f['external-name']} : {}),
    }))
  }
}
