// The kubeconfig as kubectl reads it (client-go's clientcmd): --kubeconfig, else the $KUBECONFIG list,
// else ~/.kube/config. Files of the list are merged: the first file to set current-context wins, and
// for clusters, users and contexts the first entry of a name wins. Relative paths in an entry are
// relative to the file it came from. Then the context is chosen (--context, else current-context) and
// its cluster, user and namespace are overridden by --cluster, --user and -n.
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join} from 'node:path'
import yaml from 'js-yaml'
import {UserError} from '../cli/errors.js'

export type Entry = Record<string, unknown>

/** A named cluster, user or context entry with the file it came from. */
export interface NamedEntry {
  name: string
  value: Entry
  file: string
}

export interface Kubeconfig {
  currentContext?: string
  /** Which file set current-context (where `use-context` writes it). */
  currentContextFile?: string
  contexts: NamedEntry[]
  clusters: NamedEntry[]
  users: NamedEntry[]
  /** The files that exist, in precedence order. */
  paths: string[]
  /** Every file that was asked for, existing or not, in order. */
  requested: string[]
  /** Set when --kubeconfig named the file. */
  explicit: boolean
}

export function kubeconfigPaths(flag?: string): string[] {
  if (flag) return [flag]
  const env = process.env.KUBECONFIG
  if (env) return [...new Set(env.split(delimiter).filter(Boolean))]
  return [join(homedir(), '.kube', 'config')]
}

/** Reads one kubeconfig file; undefined when it is empty. */
export function readKubeconfigFile(path: string): Entry | undefined {
  let doc: unknown
  try {
    doc = yaml.load(readFileSync(path, 'utf8'))
  } catch (e) {
    const err = e as Error & {code?: string}
    if (err.code === 'EACCES') throw new UserError(`error loading config file "${path}": open ${path}: permission denied`)
    throw new UserError(`error loading config file "${path}": ${err.message.split('\n')[0]}`)
  }
  if (doc === null || doc === undefined) return undefined
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`error loading config file "${path}": couldn't get version/kind; json parse error: the file is not a kubeconfig`)
  return doc as Entry
}

export function loadKubeconfig(flag?: string): Kubeconfig {
  const requested = kubeconfigPaths(flag)
  const out: Kubeconfig = {contexts: [], clusters: [], users: [], paths: [], requested, explicit: Boolean(flag)}
  if (flag && !existsSync(flag)) throw new UserError(`stat ${flag}: no such file or directory`)
  for (const path of requested) {
    if (!existsSync(path)) continue
    const d = readKubeconfigFile(path)
    out.paths.push(path)
    if (!d) continue
    if (!out.currentContext && typeof d['current-context'] === 'string' && d['current-context']) {
      out.currentContext = d['current-context'] as string
      out.currentContextFile = path
    }
    for (const [list, key] of [[out.contexts, 'context'], [out.clusters, 'cluster'], [out.users, 'user']] as const) {
      const entries = d[`${key}s`]
      for (const e of (Array.isArray(entries) ? entries : []) as Entry[]) {
        if (!e || typeof e.name !== 'string' || list.some((x) => x.name === e.name)) continue
        list.push({name: e.name, value: (e[key] as Entry | null) ?? {}, file: path})
      }
    }
  }
  return out
}

export interface SelectionFlags {
  kubeconfig?: string
  context?: string
  cluster?: string
  user?: string
  namespace?: string
}

/** What a command talks to: the context (if any) and the cluster and user entries it names. */
export interface Selection {
  config: Kubeconfig
  contextName?: string
  context?: NamedEntry
  cluster?: NamedEntry
  user?: NamedEntry
  clusterName: string
  userName: string
  namespace: string
  /** The namespace came from -n or the context (not the default). */
  namespaceExplicit: boolean
}

export function selectContext(config: Kubeconfig, flags: SelectionFlags): Selection {
  const contextName = flags.context ?? config.currentContext
  const context = contextName ? config.contexts.find((c) => c.name === contextName) : undefined
  if (flags.context && !context) throw new UserError(`context was not found for specified context: ${flags.context}`)
  const clusterName = flags.cluster ?? String(context?.value.cluster ?? '')
  const userName = flags.user ?? String(context?.value.user ?? '')
  const ns = flags.namespace ?? (typeof context?.value.namespace === 'string' && context.value.namespace ? context.value.namespace : undefined)
  const sel: Selection = {config, clusterName, userName, namespace: ns ?? 'default', namespaceExplicit: ns !== undefined}
  if (contextName) sel.contextName = contextName
  if (context) sel.context = context
  const cluster = clusterName ? config.clusters.find((c) => c.name === clusterName) : undefined
  if (flags.cluster && !cluster) throw new UserError(`cluster "${flags.cluster}" does not exist`)
  if (cluster) sel.cluster = cluster
  const user = userName ? config.users.find((u) => u.name === userName) : undefined
  if (flags.user && !user) throw new UserError(`auth info "${flags.user}" does not exist`)
  if (user) sel.user = user
  return sel
}

/** An entry's `<key>-data` (base64) or `<key>` (a file, relative to the kubeconfig it came from). */
export function entryData(e: Entry, key: string, file: string): string | undefined {
  const data = e[`${key}-data`]
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8')
  const path = e[key]
  if (typeof path !== 'string' || !path) return undefined
  const full = resolvePath(path, file)
  try {
    return readFileSync(full, 'utf8')
  } catch (err) {
    const code = (err as {code?: string}).code
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message
    throw new UserError(`unable to read ${key} from "${path}": open ${full}: ${why}`)
  }
}

export function resolvePath(p: string, file: string): string {
  return isAbsolute(p) ? p : join(dirname(file), p)
}
