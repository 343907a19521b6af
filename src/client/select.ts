// Which cluster a command talks to, following kubectl's kubeconfig rules for the parts that decide
// it: --kubeconfig, else $KUBECONFIG (a list), else ~/.kube/config; --context, else the current
// context. No kubeconfig or no current context, or the context named `kube2`, means the embedded
// cluster. (Real clusters and the emulator server are reached over HTTPS: HttpCluster, to come.)
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, join} from 'node:path'
import yaml from 'js-yaml'
import {UserError} from '../cli/errors.js'
import type {Cluster} from './cluster.js'
import {LocalCluster} from './local.js'

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

interface LoadedKubeconfig {
  currentContext?: string
  contexts: KubeconfigContext[]
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
  const out: LoadedKubeconfig = {contexts: [], paths: []}
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
  }
  return out
}

export function selectCluster(flags: ClusterFlags): Cluster {
  const config = loadKubeconfig(flags.kubeconfig)
  const contextName = flags.context ?? config.currentContext
  if (!contextName) return LocalCluster.open({namespace: flags.namespace ?? 'default'})
  const context = config.contexts.find((c) => c.name === contextName)
  if (contextName === EMBEDDED_CONTEXT) {
    return LocalCluster.open({namespace: flags.namespace ?? context?.context?.namespace ?? 'default'})
  }
  if (!context) throw new UserError(`context "${contextName}" does not exist`)
  throw new UserError(
    `context "${contextName}" (cluster "${context.context?.cluster ?? ''}") is reached over HTTPS, which this version of kube2 does not support yet; use --context ${EMBEDDED_CONTEXT} for the embedded cluster`,
  )
}
