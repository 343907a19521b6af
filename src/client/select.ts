// Which cluster a command talks to, following kubectl's kubeconfig rules for the parts that decide
// it: --kubeconfig, else $KUBECONFIG (a list), else ~/.kube/config; --context, else the current
// context. No kubeconfig or no current context, or the context named `kube2`, means the embedded
// cluster — or, while `kube2 emulate start` runs on its state directory, that server. Every other
// context is a cluster reached over HTTPS (HttpCluster) with the context's cluster and user entries.
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join} from 'node:path'
import yaml from 'js-yaml'
import {UserError} from '../cli/errors.js'
import type {Cluster} from './cluster.js'
import {HttpCluster, type HttpClusterOptions} from './http.js'
import {clusterStateDir} from '../emulator/state-dir.js'
import {runningServer} from '../server/running.js'
import {ADMIN_NAME} from '../server/running.js'

export const EMBEDDED_CONTEXT = 'kube2'

export interface ClusterFlags {
  kubeconfig?: string
  context?: string
  namespace?: string
}

interface KubeconfigContext {
  name: string
  context?: {cluster?: string; user?: string; namespace?: string}
}

type Entry = Record<string, unknown>

/** A named cluster or user entry, with the file it came from (relative paths are relative to it). */
interface NamedEntry {
  name: string
  value: Entry
  file: string
}

interface LoadedKubeconfig {
  currentContext?: string
  contexts: KubeconfigContext[]
  clusters: NamedEntry[]
  users: NamedEntry[]
  paths: string[]
}

export function kubeconfigPaths(flag?: string): string[] {
  if (flag) return [flag]
  const env = process.env.KUBECONFIG
  if (env) return env.split(delimiter).filter(Boolean)
  return [join(homedir(), '.kube', 'config')]
}

/** Merged as kubectl merges: the first file to set current-context wins, and the first context of a name. */
export function loadKubeconfig(flag?: string): LoadedKubeconfig {
  const out: LoadedKubeconfig = {contexts: [], clusters: [], users: [], paths: []}
  const paths = kubeconfigPaths(flag)
  if (flag && !existsSync(flag)) throw new UserError(`stat ${flag}: no such file or directory`)
  for (const path of paths) {
    if (!existsSync(path)) continue
    let doc: unknown
    try {
      doc = yaml.load(readFileSync(path, 'utf8'))
    } catch (e) {
      throw new UserError(`error loading config file "${path}": ${(e as Error).message.split('\n')[0]}`)
    }
    out.paths.push(path)
    if (typeof doc !== 'object' || doc === null) continue
    const d = doc as Record<string, unknown>
    if (!out.currentContext && typeof d['current-context'] === 'string' && d['current-context']) out.currentContext = d['current-context'] as string
    for (const c of (Array.isArray(d.contexts) ? d.contexts : []) as KubeconfigContext[]) {
      if (c && typeof c.name === 'string' && !out.contexts.some((x) => x.name === c.name)) out.contexts.push(c)
    }
    for (const [list, key] of [[out.clusters, 'cluster'], [out.users, 'user']] as const) {
      for (const e of (Array.isArray(d[`${key}s`]) ? d[`${key}s`] : []) as Entry[]) {
        if (e && typeof e.name === 'string' && !list.some((x) => x.name === e.name)) list.push({name: e.name, value: (e[key] as Entry) ?? {}, file: path})
      }
    }
  }
  return out
}

export async function selectCluster(flags: ClusterFlags): Promise<Cluster> {
  const config = loadKubeconfig(flags.kubeconfig)
  const contextName = flags.context ?? config.currentContext
  const context = contextName ? config.contexts.find((c) => c.name === contextName) : undefined
  const namespace = flags.namespace ?? context?.context?.namespace ?? 'default'
  if (!contextName || contextName === EMBEDDED_CONTEXT) return embeddedCluster(namespace)
  if (!context) throw new UserError(`context "${contextName}" does not exist`)
  const clusterName = context.context?.cluster ?? ''
  const cluster = config.clusters.find((c) => c.name === clusterName)
  if (!cluster) throw new UserError(`cluster "${clusterName}" of context "${contextName}" is not in the kubeconfig`)
  const user = config.users.find((u) => u.name === (context.context?.user ?? ''))
  return HttpCluster.connect({...httpOptions(cluster, user), namespace})
}

/** The embedded cluster in-process, or through the emulator server when one runs on its state. */
async function embeddedCluster(namespace: string): Promise<Cluster> {
  const dir = clusterStateDir()
  const server = runningServer(dir)
  if (!server) {
    // The embedded cluster (store, API server, controllers) is loaded only when it is the target.
    const {LocalCluster} = await import('./local.js')
    return LocalCluster.open({namespace})
  }
  const pki = join(dir, 'pki')
  return HttpCluster.connect({
    server: server.url,
    ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
    cert: readFileSync(join(pki, 'users', `${ADMIN_NAME}.crt`), 'utf8'),
    key: readFileSync(join(pki, 'users', `${ADMIN_NAME}.key`), 'utf8'),
    namespace,
    description: `emulator server at ${server.url} (state in ${dir})`,
  })
}

/** kubectl's reading of a cluster and user entry: inline data (base64) or files relative to the kubeconfig. */
function httpOptions(cluster: NamedEntry, user: NamedEntry | undefined): HttpClusterOptions {
  const c = cluster.value
  if (typeof c.server !== 'string' || !c.server) throw new UserError(`cluster "${cluster.name}" has no server`)
  const opts: HttpClusterOptions = {server: c.server}
  const ca = entryData(c, 'certificate-authority', cluster.file)
  if (ca) opts.ca = ca
  if (c['insecure-skip-tls-verify'] === true) opts.insecureSkipTlsVerify = true
  if (user) {
    const u = user.value
    const cert = entryData(u, 'client-certificate', user.file)
    const key = entryData(u, 'client-key', user.file)
    if (cert) opts.cert = cert
    if (key) opts.key = key
    if (typeof u.token === 'string' && u.token) opts.token = u.token
    else if (typeof u.tokenFile === 'string' && u.tokenFile) opts.token = readFileSync(resolvePath(u.tokenFile, user.file), 'utf8').trim()
  }
  return opts
}

function entryData(e: Entry, key: string, file: string): string | undefined {
  const data = e[`${key}-data`]
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8')
  const path = e[key]
  if (typeof path !== 'string' || !path) return undefined
  const full = resolvePath(path, file)
  try {
    return readFileSync(full, 'utf8')
  } catch (err) {
    throw new UserError(`unable to read ${key} ${JSON.stringify(path)}: ${(err as Error).message}`)
  }
}

function resolvePath(p: string, file: string): string {
  return isAbsolute(p) ? p : join(dirname(file), p)
}
