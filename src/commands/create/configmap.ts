// `kube2 create configmap NAME [--from-literal=K=V] [--from-file=[K=]PATH] [--from-env-file=PATH]`.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../cli/create-command.js'
import {configMapObject} from '../../ops/create.js'

export default class CreateConfigMap extends CreateCommand<typeof CreateConfigMap> {
  static override summary = 'Create a config map from a local file, directory or literal value'
  static override aliases = ['create:cm']
  static override examples = ['<%= config.bin %> create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2', '<%= config.bin %> create configmap my-config --from-file=path/to/dir']
  static override flags = {
    ...CREATE_FLAGS,
    'from-literal': Flags.string({multiple: true, description: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)'}),
    'from-file': Flags.string({multiple: true, description: 'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.'}),
    'from-env-file': Flags.string({multiple: true, description: 'Specify the path to a file to read lines of key=val pairs to create a configmap.'}),
  }
  protected readonly path = 'create configmap'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    await this.create(configMapObject(name, {literals: this.flags['from-literal'] ?? [], files: this.flags['from-file'] ?? [], envFiles: this.flags['from-env-file'] ?? []}, this.options()))
  }
}
