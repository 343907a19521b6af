// Which cluster a command talks to, by kubectl's kubeconfig rules (src/kubeconfig/config.ts) and its
// global flags. No kubeconfig, no current context, or the context named `kube2`, means the embedded
// cluster — or, while `kube2 emulate start` runs on its state directory, that server. Every other
// context is a cluster reached over HTTP(S) (HttpCluster) with the context's cluster and user entries,
// overridden by --server, --certificate-authority, --token, --client-certificate, ... as in kubectl.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {UserError} from '../cli/errors.js'
import type {Cluster} from './cluster.js'
import {HttpCluster, type HttpClusterOptions} from './http.js'
import type {CredentialSource, Impersonation} from './transport.js'
import {clusterStateDir} from '../emulator/state-dir.js'
import {ADMIN_NAME, runningServer} from '../server/running.js'
import {entryData, loadKubeconfig, resolvePath, selectContext, type Entry, type NamedEntry, type Selection} from '../kubeconfig/config.js'
import {ExecCredentialSource, parseExecConfig, type ExecClusterInfo} from '../kubeconfig/exec.js'

export const EMBEDDED_CONTEXT = 'kube2'

/** kubectl's global connection flags. */
export interface ClusterFlags {
  kubeconfig?: string
  context?: string
  cluster?: string
  user?: string
  namespace?: string
  server?: string
  token?: string
  'certificate-authority'?: string
  'client-certificate'?: string
  'client-key'?: string
  'tls-server-name'?: string
  'insecure-skip-tls-verify'?: boolean
  as?: string
  'as-group'?: string[]
  'as-uid'?: string
  'cache-dir'?: string
  /** --request-timeout: `0`, `30s`, `1m`, or a number of seconds. */
  'request-timeout'?: string
}

export {loadKubeconfig}

export async function selectCluster(flags: ClusterFlags): Promise<Cluster> {
  const config = loadKubeconfig(flags.kubeconfig)
  const sel = selectContext(config, flags)
  const overridesServer = Boolean(flags.server)
  if (!overridesServer && (!sel.contextName || sel.contextName === EMBEDDED_CONTEXT) && !flags.cluster) {
    return embeddedCluster(sel.namespace)
  }
  if (!overridesServer && sel.contextName && !sel.context && !flags.cluster) {
    throw new UserError(`context "${sel.contextName}" does not exist`)
  }
  return HttpCluster.connect(httpOptions(sel, flags))
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
    // The server's port may be reused by the next start: its discovery is not cached.
    discoveryTtlMs: 0,
  })
}

/** kubectl's --request-timeout: 0 (none), a bare number of seconds, or a duration (`30s`, `1m`, `1h30m`). */
export function parseRequestTimeout(v: string | undefined): number {
  if (v === undefined || v === '' || v === '0') return 0
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy
  let ms = 0
  let matched = 0
  for (let m = re.exec(v); m; m = re.exec(v)) {
    ms += Number(m[1]) * {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[m[2] as 'ms' | 's' | 'm' | 'h']
    matched = re.lastIndex
  }
  if (matched !== v.length || matched === 0) throw new UserError(`Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)`)
  return ms
}

/** A file given on the command line: read, with kubectl's words when it cannot be. */
function flagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new UserError(`unable to read ${flag} "${path}": open ${path}: no such file or directory`)
  }
}

export function httpOptions(sel: Selection, flags: ClusterFlags): HttpClusterOptions {
  const c: Entry = sel.cluster?.value ?? {}
  const server = flags.server ?? (typeof c.server === 'string' ? c.server : '')
  if (!server) {
    if (!sel.cluster && sel.clusterName) throw new UserError(`cluster "${sel.clusterName}" of context "${sel.contextName ?? ''}" is not in the kubeconfig`)
    throw new UserError('invalid configuration: no server found for cluster "' + sel.clusterName + '"')
  }
  const opts: HttpClusterOptions = {server, namespace: sel.namespace, userAgent: 'kube2'}
  // TLS: flags override the cluster entry.
  // --insecure-skip-tls-verify on the command line drops the cluster entry's CA (as clientcmd does);
  // with --certificate-authority as well it is an error.
  const insecureFlag = flags['insecure-skip-tls-verify'] === true
  const ca = flags['certificate-authority'] ? flagFile('certificate-authority', flags['certificate-authority']) : sel.cluster && !insecureFlag ? entryData(c, 'certificate-authority', sel.cluster.file) : undefined
  if (ca) opts.ca = ca
  if (insecureFlag || c['insecure-skip-tls-verify'] === true) opts.insecureSkipTlsVerify = true
  if (opts.insecureSkipTlsVerify && ca) throw new UserError('specifying a root certificates file with the insecure flag is not allowed')
  const tlsServerName = flags['tls-server-name'] ?? (typeof c['tls-server-name'] === 'string' ? c['tls-server-name'] : undefined)
  if (tlsServerName) opts.tlsServerName = tlsServerName
  if (typeof c['proxy-url'] === 'string' && c['proxy-url']) opts.proxyUrl = c['proxy-url']
  const timeout = parseRequestTimeout(flags['request-timeout'])
  if (timeout) opts.timeoutMs = timeout
  if (flags['cache-dir']) opts.cacheDir = flags['cache-dir']
  // Credentials: flags, then the user entry.
  const u = sel.user
  const cert = flags['client-certificate'] ? flagFile('client-certificate', flags['client-certificate']) : u ? entryData(u.value, 'client-certificate', u.file) : undefined
  const key = flags['client-key'] ? flagFile('client-key', flags['client-key']) : u ? entryData(u.value, 'client-key', u.file) : undefined
  if (cert) opts.cert = cert
  if (key) opts.key = key
  const credentials = credentialSource(u, flags.token, opts, c)
  if (credentials) opts.credentials = credentials
  // Impersonation: flags, then the user entry's as/as-groups/as-uid/as-user-extra.
  const imp: Impersonation = {}
  const uv: Entry = u?.value ?? {}
  const asUser = flags.as ?? (typeof uv.as === 'string' ? uv.as : undefined)
  if (asUser) imp.user = asUser
  const groups = flags['as-group']?.length ? flags['as-group'] : Array.isArray(uv['as-groups']) ? (uv['as-groups'] as unknown[]).map(String) : []
  if (groups.length) imp.groups = groups
  const asUid = flags['as-uid'] ?? (typeof uv['as-uid'] === 'string' ? uv['as-uid'] : undefined)
  if (asUid) imp.uid = asUid
  if (uv['as-user-extra'] && typeof uv['as-user-extra'] === 'object') imp.extra = uv['as-user-extra'] as Record<string, string[]>
  if ((imp.groups || imp.uid) && !imp.user) throw new UserError('requesting uid or groups without impersonating a user')
  if (Object.keys(imp).length) opts.impersonate = imp
  if (sel.contextName) opts.description = `context ${sel.contextName} (${server})`
  return opts
}

/** A static token, a token file (re-read on every request, as client-go does), or an exec plugin. */
function credentialSource(user: NamedEntry | undefined, tokenFlag: string | undefined, opts: HttpClusterOptions, clusterEntry: Entry): CredentialSource | undefined {
  if (tokenFlag) return {get: async () => ({token: tokenFlag})}
  const u: Entry = user?.value ?? {}
  if (typeof u.token === 'string' && u.token) {
    const token = u.token
    return {get: async () => ({token})}
  }
  if (typeof u.tokenFile === 'string' && u.tokenFile) {
    const path = resolvePath(u.tokenFile, user!.file)
    return {
      get: async () => {
        try {
          return {token: readFileSync(path, 'utf8').trim()}
        } catch {
          throw new UserError(`unable to read token file "${u.tokenFile}": open ${path}: no such file or directory`)
        }
      },
    }
  }
  if (u.exec && typeof u.exec === 'object') {
    const cfg = parseExecConfig(u.exec as Entry, user!.file, user!.name)
    let cluster: ExecClusterInfo | undefined
    if (cfg.provideClusterInfo) {
      cluster = {server: opts.server}
      if (opts.tlsServerName) cluster['tls-server-name'] = opts.tlsServerName
      if (opts.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true
      if (opts.ca) cluster['certificate-authority-data'] = Buffer.from(opts.ca).toString('base64')
      if (opts.proxyUrl) cluster['proxy-url'] = opts.proxyUrl
      // The cluster's `client.authentication.k8s.io/exec` extension is passed as spec.cluster.config.
      const ext = (Array.isArray(clusterEntry.extensions) ? (clusterEntry.extensions as Entry[]) : []).find((e) => e?.name === 'client.authentication.k8s.io/exec')
      if (ext && ext.extension !== undefined) cluster.config = ext.extension
    }
    return new ExecCredentialSource(cfg, cluster)
  }
  if (u['auth-provider']) {
    const name = String((u['auth-provider'] as Entry).name ?? '')
    throw new UserError(`no Auth Provider found for name "${name}"`)
  }
  return undefined
}
