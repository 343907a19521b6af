// `delete`: by TYPE NAME..., TYPE/NAME, -l selector or --all in a namespace, or by -f files; reports
// each deleted object as kubectl does (`deployment.apps "web" deleted`).
import {readManifests} from '../manifest/index.js'
import {PlainError, ServerError, UserError} from '../cli/errors.js'
import type {Cluster, ServedResourceInfo} from '../client/cluster.js'
import type {Obj} from '../apiserver/types.js'
import {Resources} from './resources.js'
import {parseGetArgs} from './get.js'

export interface DeleteOptions {
  namespace?: string
  allNamespaces?: boolean
  labelSelector?: string
  all?: boolean
  filenames?: string[]
  recursive?: boolean
  stdin?: NodeJS.ReadableStream
  ignoreNotFound?: boolean
  gracePeriod?: number
  cascade?: 'background' | 'foreground' | 'orphan'
  dryRun?: 'server'
}

interface Victim {
  resource: ServedResourceInfo
  namespace?: string
  name: string
}

export async function deleteResources(cluster: Cluster, args: string[], opts: DeleteOptions, report: (line: string) => void): Promise<void> {
  const resources = await Resources.of(cluster)
  const namespace = opts.namespace ?? cluster.defaultNamespace()
  const victims: Victim[] = []
  const errors: string[] = []
  if (opts.filenames?.length) {
    const read = await readManifests(opts.filenames, {recursive: opts.recursive, stdin: opts.stdin})
    const bad = read.problems.filter((p) => p.kind !== 'empty')
    if (bad.length > 0) throw new UserError(bad.map((p) => `${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'))
    for (const d of read.objects) {
      let r = resources.forKind(String(d.object.apiVersion), String(d.object.kind))
      if (!r && (await resources.refreshOnce())) r = resources.forKind(String(d.object.apiVersion), String(d.object.kind))
      const m = (d.object.metadata ?? {}) as Obj
      if (!r) throw new UserError(`resource mapping not found for name: "${String(m.name ?? '')}" namespace: "${String(m.namespace ?? '')}" from "${d.source}": no matches for kind "${String(d.object.kind)}" in version "${String(d.object.apiVersion)}"\nensure CRDs are installed first`)
      victims.push({resource: r, namespace: r.namespaced ? String(m.namespace ?? namespace) : undefined, name: String(m.name ?? '')})
    }
  } else {
    if (args.length === 0) throw new UserError('You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'')
    const targets = await resources.retryUnknown(() => parseGetArgs(resources, args))
    for (const t of targets) {
      const r = t.resource
      if (t.names.length > 0) {
        for (const name of t.names) victims.push({resource: r, namespace: r.namespaced ? namespace : undefined, name})
        continue
      }
      if (!opts.all && !opts.labelSelector) throw new UserError('resource(s) were provided, but no name was specified')
      const query: Record<string, string | undefined> = opts.labelSelector ? {labelSelector: opts.labelSelector} : {}
      const res = await cluster.request({verb: 'list', group: r.group, version: r.version, resource: r.plural, namespace: r.namespaced && !opts.allNamespaces ? namespace : undefined, query})
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      for (const o of ((res.body as Obj).items ?? []) as Obj[]) {
        const m = o.metadata as Obj
        victims.push({resource: r, namespace: r.namespaced ? String(m.namespace) : undefined, name: String(m.name)})
      }
    }
    if (victims.length === 0 && (opts.all || opts.labelSelector)) {
      report(opts.allNamespaces ? 'No resources found' : `No resources found in ${namespace} namespace.`)
      return
    }
  }
  const propagation = opts.cascade === 'orphan' ? 'Orphan' : opts.cascade === 'foreground' ? 'Foreground' : 'Background'
  for (const v of victims) {
    const body: Obj = {kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: propagation}
    if (opts.gracePeriod !== undefined && opts.gracePeriod >= 0) body.gracePeriodSeconds = opts.gracePeriod
    const query: Record<string, string | undefined> = opts.dryRun === 'server' ? {dryRun: 'All'} : {}
    const res = await cluster.request({verb: 'delete', group: v.resource.group, version: v.resource.version, resource: v.resource.plural, namespace: v.namespace, name: v.name, body, query})
    if (res.status === 404 && opts.ignoreNotFound) continue
    if (res.status >= 300) {
      errors.push(new ServerError(res.body as Obj).message)
      continue
    }
    report(`${Resources.typeName(v.resource)} "${v.name}" deleted${opts.dryRun === 'server' ? ' (server dry run)' : ''}`)
  }
  if (errors.length > 0) throw new PlainError(errors.join('\n'))
}
