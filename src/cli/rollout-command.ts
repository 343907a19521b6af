// What the `kube2 rollout …` commands share: finding the objects (TYPE NAME, TYPE/NAME, -l).
import {BaseCommand} from './base-command.js'
import {PlainError, ServerError, UserError} from './errors.js'
import type {Cluster, ServedResourceInfo} from '../client/cluster.js'
import type {Obj} from '../apiserver/types.js'
import {parseGetArgs} from '../ops/get.js'
import {Resources} from '../ops/resources.js'

export interface Target {
  resource: ServedResourceInfo
  object: Obj
  namespace?: string
}

export async function rolloutTargets(cmd: BaseCommand<typeof BaseCommand>, cluster: Cluster, args: string[], selector?: string): Promise<Target[]> {
  if (args.length === 0) throw new UserError(`required resource not specified`)
  const resources = await Resources.of(cluster)
  const targets = await resources.retryUnknown(() => parseGetArgs(resources, args))
  const f = (cmd as unknown as {flags: {namespace?: string}}).flags
  const namespace = f.namespace ?? cluster.defaultNamespace()
  const out: Target[] = []
  const missing: string[] = []
  for (const t of targets) {
    const r = t.resource
    const ns = r.namespaced ? namespace : undefined
    const base = {group: r.group, version: r.version, resource: r.plural, ...(ns ? {namespace: ns} : {})}
    if (t.names.length === 0) {
      const res = await cluster.request({...base, verb: 'list', query: selector ? {labelSelector: selector} : {}})
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      for (const o of ((res.body as Obj).items as Obj[]) ?? []) out.push({resource: r, object: o, ...(ns ? {namespace: ns} : {})})
      continue
    }
    for (const name of t.names) {
      const res = await cluster.request({...base, verb: 'get', name})
      if (res.status === 404) {
        missing.push(new ServerError(res.body as Obj).message)
        continue
      }
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      out.push({resource: r, object: res.body as Obj, ...(ns ? {namespace: ns} : {})})
    }
  }
  if (missing.length > 0) throw new PlainError(missing.join('\n'), 1)
  return out
}
