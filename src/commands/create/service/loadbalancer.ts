// `kube2 create service loadbalancer NAME`: a LoadBalancer Service, as kubectl's generator builds it.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../../cli/create-command.js'
import {serviceObject} from '../../../ops/create.js'

export default class CreateServiceLoadBalancer extends CreateCommand<typeof CreateServiceLoadBalancer> {
  static override summary = 'Create a LoadBalancer service'
  static override aliases = ['create:svc:loadbalancer']
  static override examples = ['<%= config.bin %> create service loadbalancer my-svc --tcp=5678:8080']
  static override flags = {
    ...CREATE_FLAGS,
    tcp: Flags.string({multiple: true, description: 'Port pairs can be specified as \'<port>:<targetPort>\'.'}),
  }
  protected readonly path = 'create service loadbalancer'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    const f = this.flags as Record<string, unknown>
    await this.create(serviceObject(name, 'LoadBalancer', {
      ...this.options(),
      tcp: (f.tcp as string[] | undefined) ?? [],
      ...(typeof f.clusterip === 'string' ? {clusterIP: f.clusterip} : {}),
      ...(typeof f['node-port'] === 'number' ? {nodePort: f['node-port']} : {}),
      ...(typeof f['external-name'] === 'string' ? {externalName: f['external-name']} : {}),
    }))
  }
}
