// `kube2 create secret generic NAME [--type=T] [--from-literal=K=V] [--from-file=[K=]PATH] [--from-env-file=PATH]`.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../../cli/create-command.js'
import {secretObject} from '../../../ops/create.js'

export default class CreateSecretGeneric extends CreateCommand<typeof CreateSecretGeneric> {
  static override summary = 'Create a secret from a local file, directory, or literal value'
  static override examples = ['<%= config.bin %> create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret']
  static override flags = {
    ...CREATE_FLAGS,
    type: Flags.string({description: 'The type of secret to create'}),
    'from-literal': Flags.string({multiple: true, description: 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)'}),
    'from-file': Flags.string({multiple: true, description: 'Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.'}),
    'from-env-file': Flags.string({multiple: true, description: 'Specify the path to a file to read lines of key=val pairs to create a secret.'}),
  }
  protected readonly path = 'create secret generic'

  public async run(): Promise<void> {
    const {name} = this.nameAndCommand()
    await this.create(secretObject(name, {literals: this.flags['from-literal'] ?? [], files: this.flags['from-file'] ?? [], envFiles: this.flags['from-env-file'] ?? []}, {...this.options(), ...(this.flags.type ? {type: this.flags.type} : {})}))
  }
}
