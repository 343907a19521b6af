// `kube2 api-versions`: every group/version the server serves, sorted, one per line.
import {BaseCommand} from '../cli/base-command.js'
import {UserError} from '../cli/errors.js'

export default class ApiVersions extends BaseCommand<typeof ApiVersions> {
  static override summary = 'Print the supported API versions on the server, in the form of "group/version"'
  static override examples = ['<%= config.bin %> api-versions']
  static override strict = false

  public async run(): Promise<void> {
    const extra = this.positionalArgs()
    if (extra.length > 0) throw new UserError(`unexpected arguments: [${extra.join(' ')}]\nSee '${this.config.bin} api-versions -h' for help and examples`)
    const cluster = await this.cluster()
    const discovery = cluster.refreshDiscovery ? await cluster.refreshDiscovery() : await cluster.discovery()
    const gvs = discovery.groups.flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v)))
    process.stdout.write([...new Set(gvs)].sort().map((gv) => `${gv}\n`).join(''))
  }
}
