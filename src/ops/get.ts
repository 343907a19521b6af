// `get`: what to fetch from kubectl's argument forms (TYPE, TYPE NAME..., TYPE/NAME..., TYPE1,TYPE2,
// the `all` category), fetched as objects (for -o json/yaml/name) or as server-side Tables.
import {PlainError, UserError, ServerError} from '../cli/errors.js'
import type {Cluster, ServedResourceInfo} from '../client/cluster.js'
import type {ApiRequest, Obj} from '../apiserver/types.js'
import {Resources} from './resources.js'

export interface GetOptions {
  namespace?: string
  allNamespaces: boolean
  labelSelector?: string
  fieldSelector?: string
  /** Ask for Tables (human-readable output) rather than objects. */
  table: boolean
}

export interface GetTarget {
  resource: ServedResourceInfo
  names: string[]
}

export interface GetResult {
  resource: ServedResourceInfo
  /** One entry per request: a list (no names) or one object per name. */
  bodies: Obj[]
  /** Whether names were given (single objects rather than lists). */
  named: boolean
}

/** Parses kubectl's argument forms into resources and names. */
export function parseGetArgs(resources: Resources, args: string[]): GetTarget[] {
  if (args.length === 0) throw new UserError('You must specify the type of resource to get. Use "kube2 api-resources" for a complete list of supported resources.')
  const targets: GetTarget[] = []
  if (args.some((a) => a.includes('/'))) {
    for (const a of args) {
      const i = a.indexOf('/')
      if (i < 0) throw new UserError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kube2 get resource/<resource_name>' instead of 'kube2 get resource resource/<resource_name>'`)
      const r = resources.resolve(a.slice(0, i))
      const last = targets[targets.length - 1]
      if (last && last.resource === r) last.names.push(a.slice(i + 1))
      else targets.push({resource: r, names: [a.slice(i + 1)]})
    }
    return targets
  }
  const [types, ...names] = args
  for (const t of types.split(',').filter(Boolean)) {
    const expanded = t === 'all' ? categoryMembers(resources, 'all') : [resources.resolve(t)]
    for (const r of expanded) targets.push({resource: r, names})
  }
  return targets
}

function categoryMembers(resources: Resources, category: string): ServedResourceInfo[] {
  const preferred = new Map(resources.discovery.groups.map((g) => [g.name, g.preferredVersion]))
  return resources.discovery.resources.filter((r) => r.categories?.includes(category) && preferred.get(r.group) === r.version)
}

export async function getResources(cluster: Cluster, targets: GetTarget[], opts: GetOptions): Promise<GetResult[]> {
  const namespace = opts.namespace ?? cluster.defaultNamespace()
  const results: GetResult[] = []
  const notFound: ServerError[] = []
  for (const t of targets) {
    const r = t.resource
    const base: Omit<ApiRequest, 'verb'> = {group: r.group, version: r.version, resource: r.plural, ...(r.namespaced && !opts.allNamespaces ? {namespace} : {})}
    if (opts.table) base.as = 'Table'
    const bodies: Obj[] = []
    if (t.names.length === 0) {
      const query: Record<string, string | undefined> = {}
      if (opts.labelSelector) query.labelSelector = opts.labelSelector
      if (opts.fieldSelector) query.fieldSelector = opts.fieldSelector
      const res = await cluster.request({...base, verb: 'list', query})
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      bodies.push(res.body as Obj)
    } else {
      for (const name of t.names) {
        const res = await cluster.request({...base, namespace: r.namespaced ? namespace : undefined, verb: 'get', name})
        if (res.status === 404) {
          notFound.push(new ServerError(res.body as Obj))
          continue
        }
        if (res.status >= 300) throw new ServerError(res.body as Obj)
        bodies.push(res.body as Obj)
      }
    }
    results.push({resource: r, bodies, named: t.names.length > 0})
  }
  // kubectl prints what it found, then the not-found errors, and exits 1.
  if (notFound.length > 0) throw Object.assign(new AggregateNotFound(notFound), {partial: results})
  return results
}

export class AggregateNotFound extends PlainError {
  partial: GetResult[] = []
  constructor(readonly errors: ServerError[]) {
    super(errors.map((e) => e.message).join('\n'), 1)
  }
}
