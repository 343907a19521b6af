// Writing a cluster, user and context into a kubeconfig the way `kubectl config set-*` does: entries
// of the same name are replaced, others kept as they are; the file is created when missing and is
// left readable by its owner only (it holds a private key).
import {chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import yaml from 'js-yaml'
import {UserError} from '../cli/errors.js'
import {kubeconfigPaths} from '../kubeconfig/config.js'

export interface KubeconfigEntries {
  name: string
  cluster: Record<string, unknown>
  user: Record<string, unknown>
  /** Also the context's cluster and user names. */
  context?: Record<string, unknown>
}

/** The file kubectl would modify: --kubeconfig, else the first existing file of $KUBECONFIG, else its first, else ~/.kube/config. */
export function kubeconfigTarget(flag?: string): string {
  if (flag) return flag
  const paths = kubeconfigPaths()
  return paths.find((p) => existsSync(p)) ?? paths[0]!
}

type Doc = Record<string, unknown>

function upsert(doc: Doc, key: string, name: string, field: string, value: Record<string, unknown>): void {
  const list = (Array.isArray(doc[key]) ? doc[key] : []) as Doc[]
  const entry = {name, [field]: value}
  const i = list.findIndex((e) => e && e.name === name)
  if (i >= 0) list[i] = entry
  else list.push(entry)
  doc[key] = list
}

/** Merges the entries into the file; makes the context current when `switchContext`. */
export function writeKubeconfigEntries(path: string, e: KubeconfigEntries, switchContext: boolean): void {
  let doc: Doc = {apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [], 'current-context': ''}
  if (existsSync(path)) {
    let loaded: unknown
    try {
      loaded = yaml.load(readFileSync(path, 'utf8'))
    } catch (err) {
      throw new UserError(`error loading config file "${path}": ${(err as Error).message.split('\n')[0]}`)
    }
    if (loaded !== undefined && loaded !== null) {
      if (typeof loaded !== 'object' || Array.isArray(loaded)) throw new UserError(`error loading config file "${path}": not a kubeconfig`)
      doc = loaded as Doc
    }
  }
  upsert(doc, 'clusters', e.name, 'cluster', e.cluster)
  upsert(doc, 'users', e.name, 'user', e.user)
  upsert(doc, 'contexts', e.name, 'context', {cluster: e.name, user: e.name, ...e.context})
  if (switchContext) doc['current-context'] = e.name
  mkdirSync(dirname(path), {recursive: true})
  const tmp = `${path}.kube2-tmp`
  writeFileSync(tmp, yaml.dump(doc, {lineWidth: -1, noRefs: true}), {mode: 0o600})
  renameSync(tmp, path)
  chmodSync(path, 0o600)
}
