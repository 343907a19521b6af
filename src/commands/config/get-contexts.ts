// `kube2 config get-contexts [NAME...]`: kubectl's table (CURRENT NAME CLUSTER AUTHINFO NAMESPACE) or names.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {loadKubeconfig} from '../../kubeconfig/config.js'
import {tabwrite} from '../../print/table.js'

export default class ConfigGetContexts extends BaseCommand<typeof ConfigGetContexts> {
  static override summary = 'Describe one or many contexts'
  static override examples = ['<%= config.bin %> config get-contexts', '<%= config.bin %> config get-contexts -o name']
  static override strict = false
  static override flags = {
    'no-headers': Flags.boolean({description: 'When using the default or custom-column output format, don\'t print headers (default print headers).', default: false}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    if (output !== '' && output !== 'name') throw new UserError(`output must be one of '' or 'name': ${output}`)
    const config = loadKubeconfig(this.flags.kubeconfig)
    const wanted = this.positionalArgs()
    const contexts = [...config.contexts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const shown = wanted.length ? contexts.filter((c) => wanted.includes(c.name)) : contexts
    const missing = wanted.filter((w) => !contexts.some((c) => c.name === w))
    if (output === 'name') {
      process.stdout.write(shown.map((c) => `${c.name}\n`).join(''))
    } else {
      const lines = this.flags['no-headers'] ? [] : ['CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE']
      for (const c of shown) {
        lines.push([c.name === config.currentContext ? '*' : '', c.name, String(c.value.cluster ?? ''), String(c.value.user ?? ''), String(c.value.namespace ?? '')].join('\t'))
      }
      process.stdout.write(tabwrite(lines.map((l) => `${l}\n`).join('')))
    }
    if (missing.length) throw new UserError(missing.map((m) => `context ${m} not found`).join('\n'))
  }
}
