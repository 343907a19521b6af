// `kube2 api-resources`: the resources the server serves at each group's preferred version (and those
// only in other versions), sorted by group then name as kubectl sorts them, in kubectl's columns.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UserError} from '../cli/errors.js'
import type {ServedResourceInfo} from '../client/cluster.js'
import {preferredResources} from '../ops/resources.js'
import {tabwrite} from '../print/table.js'

export default class ApiResources extends BaseCommand<typeof ApiResources> {
  static override summary = 'Print the supported API resources on the server'
  static override examples = [
    '<%= config.bin %> api-resources',
    '<%= config.bin %> api-resources -o wide',
    '<%= config.bin %> api-resources --sort-by=name',
    '<%= config.bin %> api-resources --namespaced=true',
    '<%= config.bin %> api-resources --api-group=apps --verbs=list,get',
  ]

  static override strict = false
  static override flags = {
    'no-headers': Flags.boolean({description: 'When using the default or custom-column output format, don\'t print headers (default print headers).', default: false}),
    'api-group': Flags.string({description: 'Limit to resources in the specified API group.'}),
    namespaced: Flags.string({description: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.', options: ['true', 'false']}),
    verbs: Flags.string({multiple: true, description: 'Limit to resources that support the specified verbs.'}),
    'sort-by': Flags.string({description: 'If non-empty, sort list of resources using specified field. The field can be either \'name\' or \'kind\'.'}),
    cached: Flags.boolean({description: 'Use the cached list of resources if available.', default: false}),
    categories: Flags.string({multiple: true, description: 'Limit to resources that belong to the specified categories.'}),
  }

  public async run(): Promise<void> {
    const output = this.flags.output ?? ''
    if (!['', 'wide', 'name'].includes(output)) throw new UserError(`--output ${output} is not available`)
    const sortBy = this.flags['sort-by'] ?? ''
    if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new UserError('--sort-by accepts only name or kind')
    const extra = this.positionalArgs()
    if (extra.length > 0) throw new UserError(`unexpected arguments: [${extra.join(' ')}]\nSee '${this.config.bin} api-resources -h' for help and examples`)
    const cluster = await this.cluster()
    const discovery = !this.flags.cached && cluster.refreshDiscovery ? await cluster.refreshDiscovery() : await cluster.discovery()
    const verbs = (this.flags.verbs ?? []).flatMap((v) => v.split(',')).filter(Boolean)
    const categories = (this.flags.categories ?? []).flatMap((v) => v.split(',')).filter(Boolean)
    let rows = preferredResources(discovery).filter((r) => {
      if (r.verbs.length === 0) return false
      if (this.flags['api-group'] !== undefined && r.group !== this.flags['api-group']) return false
      if (this.flags.namespaced !== undefined && r.namespaced !== (this.flags.namespaced === 'true')) return false
      if (verbs.some((v) => !r.verbs.includes(v))) return false
      if (categories.some((c) => !(r.categories ?? []).includes(c))) return false
      return true
    })
    rows = sortResources(rows, sortBy)
    if (output === 'name') {
      process.stdout.write(rows.map((r) => (r.group ? `${r.plural}.${r.group}\n` : `${r.plural}\n`)).join(''))
      return
    }
    const lines: string[] = []
    if (!this.flags['no-headers']) lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(output === 'wide' ? ['VERBS', 'CATEGORIES'] : [])].join('\t'))
    for (const r of rows) {
      const cells = [r.plural, (r.shortNames ?? []).join(','), r.group ? `${r.group}/${r.version}` : r.version, String(r.namespaced), r.kind]
      if (output === 'wide') cells.push(r.verbs.join(','), (r.categories ?? []).join(','))
      lines.push(cells.join('\t'))
    }
    process.stdout.write(tabwrite(lines.map((l) => `${l}\n`).join('')))
  }
}

/** kubectl's order: by group (or name, or kind), then by name; stable. */
function sortResources(rows: ServedResourceInfo[], sortBy: string): ServedResourceInfo[] {
  const key = (r: ServedResourceInfo) => (sortBy === 'name' ? r.plural : sortBy === 'kind' ? r.kind : r.group)
  return rows
    .map((r, i) => ({r, i}))
    .sort((a, b) => cmp(key(a.r), key(b.r)) || cmp(a.r.plural, b.r.plural) || a.i - b.i)
    .map((x) => x.r)
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
