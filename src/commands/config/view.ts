// `kube2 config view`: the merged kubeconfig (or the file of --kubeconfig), secrets redacted unless --raw.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {loadKubeconfig} from '../../kubeconfig/config.js'
import {redactConfig} from '../../kubeconfig/normalize.js'
import {flatten, mergedConfig, minify} from '../../ops/config.js'
import {toKubectlStructJson} from '../../print/objects.js'
import {toYaml} from '../../print/yaml.js'

export default class ConfigView extends BaseCommand<typeof ConfigView> {
  static override summary = 'Display merged kubeconfig settings or a specified kubeconfig file'
  static override examples = ['<%= config.bin %> config view', '<%= config.bin %> config view --minify --raw', '<%= config.bin %> config view -o json']
  static override flags = {
    raw: Flags.boolean({description: 'Display raw byte data and sensitive data', default: false}),
    minify: Flags.boolean({description: 'Remove all information not used by current-context from the output', default: false}),
    flatten: Flags.boolean({description: 'Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)', default: false}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? 'yaml'
    if (output !== 'yaml' && output !== 'json') throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`)
    const config = loadKubeconfig(this.flags.kubeconfig)
    let doc = mergedConfig(config)
    // --context chooses the context --minify keeps (the view itself keeps the file's current-context).
    if (this.flags.minify) doc = minify(this.flags.context ? {...doc, 'current-context': this.flags.context} : doc)
    if (this.flags.flatten) doc = flatten(config, doc)
    if (!this.flags.raw) doc = redactConfig(doc)
    process.stdout.write(output === 'json' ? toKubectlStructJson(doc) : toYaml(doc))
  }
}
