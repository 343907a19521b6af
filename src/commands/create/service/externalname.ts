// `kube2 create service externalname NAME`: a ExternalName Service, as kubectl's generator builds it.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../../cli/create-command.js'
import {serviceObject} from '../../../ops/create.js'

export default class CreateServiceExternalName extends CreateCommand<typeof CreateServiceExternalName> {
  static override summary = 'Create a ExternalName service'
  static override aliases = ['create:svc:externalname']
  static override examples = ['<%= config.bin %> create service externalname my-svc --tcp=5678:8080']
  static override flags = {
    ...CREATE_FLAGS,
    tcp: Flags.string({multiple: true, description: 'Port pairs can be specified as \'<port>:<targetPort>\'.'}),
    'external-name': Flags.string({description: 'External name of service'}),
  }
  protected readonly path = 'create service externalname'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    const f = this.flags as Record<string, unknown>
    await this.create(serviceObject(name, 'ExternalName', {
      ...this.options(),
      tcp: (f.tcp as string[] | undefined) ?? [],
      ...(typeof f.clusterip === 'string' ? {clusterIP: f.clusterip} : {}),
      ...(typeof f['node-port'] === 'number' ? {nodePort: f['node-port']} : {}),
      ...(typeof f['external-name'] === 'string' ? {externalName: f['external-name']} : {}),
    }))
  }
}
