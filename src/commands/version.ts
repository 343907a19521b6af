// `kube2 version`: kube2's own version and the server's (GET /version), as kubectl prints them
// (kube2 has no bundled kustomize, so there is no Kustomize line).
import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {BaseCommand} from '../cli/base-command.js'
import {UserError} from '../cli/errors.js'
import {toYaml} from '../print/yaml.js'

export function clientVersion(root: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(`${root.replace(/\/?$/, '/')}package.json`, 'utf8')) as {version: string}
  const [major = '0', minor = '0'] = pkg.version.split('.')
  return {
    major, minor,
    gitVersion: `v${pkg.version}`,
    nodeVersion: process.version,
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  }
}

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Print the client and server version information'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --client', '<%= config.bin %> version -o json']
  static override strict = false
  static override flags = {
    client: Flags.boolean({description: 'If true, shows client version only (no server required).', default: false}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    if (output && output !== 'yaml' && output !== 'json') throw new UserError('--output must be \'yaml\' or \'json\'')
    const doc: Record<string, unknown> = {clientVersion: clientVersion(this.config.root)}
    let serverError: Error | undefined
    if (!this.flags.client) {
      try {
        const cluster = await this.cluster()
        doc.serverVersion = await cluster.serverVersion()
      } catch (e) {
        serverError = e as Error
      }
    }
    // kubectl writes this document from Go structs: two-space JSON in field order.
    if (output === 'json') process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
    else if (output === 'yaml') process.stdout.write(`${toYaml(doc)}\n`)
    else {
      let text = `Client Version: ${(doc.clientVersion as {gitVersion: string}).gitVersion}\n`
      if (doc.serverVersion) text += `Server Version: ${String((doc.serverVersion as {gitVersion?: string}).gitVersion ?? '')}\n`
      process.stdout.write(text)
    }
    if (serverError) throw serverError
  }
}
