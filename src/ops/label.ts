// `label` and `annotate`: kubectl's argument form (resources first, then KEY=VALUE and KEY- changes),
// --overwrite, --list, -l/--all, --resource-version, --dry-run=client|server, and its words:
// `labeled`, `unlabeled` (only removals), `not labeled` (nothing changed) — annotate always says
// `annotated`. Each object is changed with a merge patch of its metadata.
import {PlainError, UserError, ServerError} from '../cli/errors.js'
import type {Cluster, ServedResourceInfo} from '../client/cluster.js'
import type {Obj} from '../apiserver/types.js'
import {isValidLabelValue} from '../api/names.js'
import {parseGetArgs} from './get.js'
import {Resources} from './resources.js'

export type MetadataMap = 'labels' | 'annotations'

export interface LabelOptions {
  field: MetadataMap
  overwrite: boolean
  list: boolean
  all: boolean
  selector?: string
  fieldSelector?: string
  allNamespaces: boolean
  namespace?: string
  resourceVersion?: string
  dryRun: 'none' | 'client' | 'server'
}

export interface LabelOutcome {
  resource: ServedResourceInfo
  object: Obj
  /** `configmap/l1 labeled` (without the dry-run suffix). */
  message: string
  listing?: string
}

/** Splits kubectl's arguments: resources until the first KEY=VALUE or KEY- change. */
export function splitChanges(args: string[]): {resources: string[]; changes: string[]} {
  const i = args.findIndex((a) => a.includes('=') || a.endsWith('-'))
  if (i < 0) return {resources: args, changes: []}
  const rest = args.slice(i)
  const stray = rest.find((a) => !a.includes('=') && !a.endsWith('-'))
  if (stray !== undefined) throw new UserError(`all resources must be specified before ${'label'} changes: ${stray}`)
  return {resources: args.slice(0, i), changes: rest}
}

export function parseChanges(field: MetadataMap, changes: string[]): {set: Record<string, string>; remove: string[]} {
  const set: Record<string, string> = {}
  const remove: string[] = []
  const noun = field === 'labels' ? 'label' : 'annotation'
  for (const c of changes) {
    const eq = c.indexOf('=')
    if (eq < 0) {
      remove.push(c.slice(0, -1))
      continue
    }
    const key = c.slice(0, eq)
    const value = c.slice(eq + 1)
    if (field === 'labels') {
      const errs = isValidLabelValue(value)
      if (errs.length > 0) throw new UserError(`invalid label value: "${c}": ${errs.join('; ')}`)
    }
    if (key in set) throw new UserError(`can not both modify and remove the same ${noun} in the same command`)
    set[key] = value
  }
  for (const k of remove) if (k in set) throw new UserError(`can not both modify and remove ${noun === 'label' ? 'a label' : 'an annotation'} in the same command`)
  return {set, remove}
}

export async function labelResources(cluster: Cluster, args: string[], opts: LabelOptions, report: (o: LabelOutcome) => void): Promise<void> {
  const {resources: resourceArgs, changes} = splitChanges(args)
  const noun = opts.field === 'labels' ? 'label' : 'annotation'
  if (changes.length === 0 && !opts.list) throw new UserError(`at least one ${noun} update is required`)
  const {set, remove} = parseChanges(opts.field, changes)
  const resources = await Resources.of(cluster)
  if (resourceArgs.length === 0) throw new UserError('one or more resources must be specified as <resource> <name> or <resource>/<name>')
  const targets = await resources.retryUnknown(() => parseGetArgs(resources, resourceArgs))
  const namespace = opts.namespace ?? cluster.defaultNamespace()
  const notFound: string[] = []
  for (const t of targets) {
    const r = t.resource
    const ns = r.namespaced ? namespace : undefined
    const base = {group: r.group, version: r.version, resource: r.plural}
    let objects: Obj[] = []
    if (t.names.length > 0) {
      if (opts.all || opts.selector) throw new UserError('name cannot be provided when a selector is specified')
      for (const name of t.names) {
        const res = await cluster.request({...base, verb: 'get', name, ...(ns ? {namespace: ns} : {})})
        if (res.status === 404) {
          notFound.push(new ServerError(res.body as Obj).message)
          continue
        }
        if (res.status >= 300) throw new ServerError(res.body as Obj)
        objects.push(res.body as Obj)
      }
    } else {
      if (!opts.all && !opts.selector) throw new UserError('resource(s) were provided, but no name was specified')
      const query: Record<string, string> = {}
      if (opts.selector) query.labelSelector = opts.selector
      if (opts.fieldSelector) query.fieldSelector = opts.fieldSelector
      const res = await cluster.request({...base, verb: 'list', query, ...(ns && !opts.allNamespaces ? {namespace: ns} : {})})
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      objects = ((res.body as Obj).items as Obj[]) ?? []
    }
    for (const obj of objects) report(await changeOne(cluster, r, obj, set, remove, opts))
  }
  if (notFound.length > 0) throw new PlainError(notFound.join('\n'), 1)
}

async function changeOne(cluster: Cluster, r: ServedResourceInfo, obj: Obj, set: Record<string, string>, remove: string[], opts: LabelOptions): Promise<LabelOutcome> {
  const m = (obj.metadata ?? {}) as Obj
  const name = String(m.name)
  const current = {...((m[opts.field] ?? {}) as Record<string, string>)}
  const typeName = Resources.typeName(r)
  const noun = opts.field === 'labels' ? 'label' : 'annotation'
  if (!opts.overwrite) {
    const conflicts = Object.entries(set).filter(([k, v]) => k in current && current[k] !== v).map(([k]) => `'${k}' already has a value (${current[k]})`)
    if (conflicts.length > 0) {
      // kubectl's two commands word it differently.
      if (opts.field === 'labels') throw new UserError(`${conflicts[0]}, and --overwrite is false`)
      throw new UserError(`--overwrite is false but found the following declared annotation(s): ${conflicts.join('; ')}`)
    }
  }
  const next = {...current}
  for (const [k, v] of Object.entries(set)) next[k] = v
  const missing: string[] = []
  for (const k of remove) {
    if (k in next) delete next[k]
    else missing.push(k)
  }
  for (const k of missing) process.stdout.write(`${noun} "${k}" not found.\n`)
  const changed = JSON.stringify(sorted(current)) !== JSON.stringify(sorted(next))
  if (opts.list) {
    // kubectl lists what the object would have, and sends nothing.
    return {resource: r, object: obj, message: '', listing: Object.entries(next).map(([k, v]) => `${k}=${v}\n`).join('')}
  }
  let result = obj
  if (changes(set, remove) && opts.dryRun !== 'client' && (changed || opts.resourceVersion !== undefined)) {
    const patchMeta: Obj = {[opts.field]: patchOf(current, next)}
    if (opts.resourceVersion !== undefined) patchMeta.resourceVersion = opts.resourceVersion
    const res = await cluster.request({
      group: r.group, version: r.version, resource: r.plural, verb: 'patch', name, patchType: 'merge',
      ...(r.namespaced ? {namespace: String(m.namespace)} : {}),
      body: {metadata: patchMeta},
      ...(opts.dryRun === 'server' ? {query: {dryRun: 'All'}} : {}),
    })
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    result = res.body as Obj
  } else if (opts.dryRun === 'client') {
    result = {...obj, metadata: {...m, [opts.field]: next}}
  }
  let verb: string
  if (opts.field === 'annotations') verb = 'annotated'
  else if (!changed) verb = 'not labeled'
  else if (Object.keys(set).length === 0) verb = 'unlabeled'
  else verb = 'labeled'
  return {resource: r, object: result, message: `${typeName}/${name} ${verb}`}
}

function changes(set: Record<string, string>, remove: string[]): boolean {
  return Object.keys(set).length > 0 || remove.length > 0
}

function sorted(m: Record<string, string>): Array<[string, string]> {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/** A JSON merge patch from one map to another (removed keys as null). */
function patchOf(from: Record<string, string>, to: Record<string, string>): Record<string, string | null> {
  const p: Record<string, string | null> = {}
  for (const [k, v] of Object.entries(to)) if (from[k] !== v) p[k] = v
  for (const k of Object.keys(from)) if (!(k in to)) p[k] = null
  return p
}
