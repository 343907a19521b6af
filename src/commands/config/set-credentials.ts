// `kube2 config set-credentials NAME …`: kubectl's user entry editing (token, client certificate,
// basic auth, exec plugin), plus --token-stdin (the token is not in the shell's history) and
// --keychain: the token goes into the OS keychain and the entry gets an exec plugin,
// `kube2 credential get NAME`, that reads it back — no token in plaintext on disk.
import {Args, Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {UserError} from '../../cli/errors.js'
import {keychainService, osKeychain} from '../../kubeconfig/keychain.js'
import {modifyEntry} from '../../ops/config.js'

type Obj = Record<string, unknown>

export default class ConfigSetCredentials extends BaseCommand<typeof ConfigSetCredentials> {
  static override summary = 'Set a user entry in kubeconfig'
  static override examples = [
    'echo "$TOKEN" | <%= config.bin %> config set-credentials alice --token-stdin --keychain',
    '<%= config.bin %> config set-credentials admin --client-certificate=admin.crt --client-key=admin.key --embed-certs',
    '<%= config.bin %> config set-credentials sso --exec-command=my-plugin --exec-api-version=client.authentication.k8s.io/v1 --exec-interactive-mode=Never',
  ]
  static override args = {name: Args.string({required: true, description: 'user name'})}
  static override flags = {
    token: Flags.string({description: 'token for the user entry in kubeconfig'}),
    'token-stdin': Flags.boolean({description: 'Read the token from standard input', default: false}),
    keychain: Flags.boolean({description: 'Keep the token in the OS keychain; the kubeconfig gets an exec plugin (kube2 credential get) instead of the token', default: false}),
    'client-certificate': Flags.string({description: 'Path to client-certificate file for the user entry in kubeconfig'}),
    'client-key': Flags.string({description: 'Path to client-key file for the user entry in kubeconfig'}),
    'embed-certs': Flags.boolean({description: 'Embed client cert/key for the user entry in kubeconfig', default: false}),
    username: Flags.string({description: 'username for the user entry in kubeconfig'}),
    password: Flags.string({description: 'password for the user entry in kubeconfig'}),
    'exec-command': Flags.string({description: 'Command for the exec credential plugin for the user entry in kubeconfig'}),
    'exec-api-version': Flags.string({description: 'API version of the exec credential plugin for the user entry in kubeconfig'}),
    'exec-arg': Flags.string({multiple: true, description: 'New arguments for the exec credential plugin command for the user entry in kubeconfig'}),
    'exec-env': Flags.string({multiple: true, description: '\'key=value\' environment values for the exec credential plugin'}),
    'exec-interactive-mode': Flags.string({description: 'InteractiveMode of the exec credentials plugin for the user entry in kubeconfig'}),
    'exec-provide-cluster-info': Flags.boolean({description: 'ProvideClusterInfo of the exec credentials plugin for the user entry in kubeconfig', default: false}),
  }

  public async run(): Promise<void> {
    const f = this.flags as typeof this.flags & {token?: string; 'client-certificate'?: string; 'client-key'?: string}
    const name = this.args.name
    let token = f.token
    if (f['token-stdin']) {
      if (token !== undefined) throw new UserError('--token and --token-stdin are mutually exclusive')
      token = readFileSync(0, 'utf8').replace(/\r?\n$/, '')
      if (!token) throw new UserError('no token on standard input')
    }
    if (token && (f.username !== undefined || f.password !== undefined)) throw new UserError('you cannot specify more than one authentication method at the same time: --token, --username/--password')
    if (f.keychain) {
      if (!token) throw new UserError('--keychain needs a token: --token-stdin (or --token)')
      if (f['exec-command']) throw new UserError('--keychain writes its own exec plugin: it cannot be combined with --exec-command')
    }
    // Everything that can fail is read before anything is written.
    const certData = f['client-certificate'] && f['embed-certs'] ? readCert(f['client-certificate']) : undefined
    const keyData = f['client-key'] && f['embed-certs'] ? readCert(f['client-key']) : undefined
    if (f.keychain) osKeychain().set(name, token!)
    modifyEntry(this.flags.kubeconfig, 'users', name, (u: Obj) => {
      if (f['client-certificate'] !== undefined) setPath(u, 'client-certificate', f['client-certificate'], certData)
      if (f['client-key'] !== undefined) setPath(u, 'client-key', f['client-key'], keyData)
      if (f.keychain) {
        delete u.token
        delete u.tokenFile
        const exec: Obj = {apiVersion: 'client.authentication.k8s.io/v1', command: kube2Command(), args: ['credential', 'get', name], interactiveMode: 'Never'}
        // A non-default keychain service (tests) must reach the plugin too.
        if (process.env.KUBE2_KEYCHAIN_SERVICE) exec.env = [{name: 'KUBE2_KEYCHAIN_SERVICE', value: keychainService()}]
        u.exec = exec
      } else if (token !== undefined) {
        if (token) u.token = token
        else delete u.token
      }
      if (f.username !== undefined) f.username ? (u.username = f.username) : delete u.username
      if (f.password !== undefined) f.password ? (u.password = f.password) : delete u.password
      if (f['exec-command'] !== undefined || f['exec-api-version'] !== undefined || f['exec-arg'] || f['exec-env'] || f['exec-interactive-mode'] !== undefined || f['exec-provide-cluster-info']) {
        const exec = ((u.exec as Obj | undefined) ?? {}) as Obj
        if (f['exec-command'] !== undefined) exec.command = f['exec-command']
        if (f['exec-api-version'] !== undefined) exec.apiVersion = f['exec-api-version']
        if (f['exec-arg']) exec.args = f['exec-arg']
        if (f['exec-env']) exec.env = mergeEnv((exec.env as Array<{name: string; value: string}> | undefined) ?? [], f['exec-env'])
        if (f['exec-interactive-mode'] !== undefined) exec.interactiveMode = f['exec-interactive-mode']
        if (f['exec-provide-cluster-info']) exec.provideClusterInfo = true
        u.exec = exec
      }
    })
    process.stdout.write(`User "${name}" set.\n`)
  }
}

/** The command kubectl runs for `kube2 credential get`: this program, by absolute path. */
function kube2Command(): string {
  return resolve(process.argv[1] ?? 'kube2')
}

function readCert(path: string): string {
  try {
    return readFileSync(path).toString('base64')
  } catch {
    throw new UserError(`error reading ${path}: open ${path}: no such file or directory`)
  }
}

function setPath(u: Obj, key: string, path: string, data: string | undefined): void {
  if (data !== undefined) {
    u[`${key}-data`] = data
    delete u[key]
  } else if (path) {
    u[key] = resolve(path)
    delete u[`${key}-data`]
  } else {
    delete u[key]
    delete u[`${key}-data`]
  }
}

/** `K=V` adds or replaces, `K-` removes (kubectl's --exec-env). */
function mergeEnv(env: Array<{name: string; value: string}>, changes: string[]): Array<{name: string; value: string}> {
  const out = [...env]
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) {
      const name = c.slice(0, -1)
      const i = out.findIndex((e) => e.name === name)
      if (i >= 0) out.splice(i, 1)
      continue
    }
    const eq = c.indexOf('=')
    if (eq <= 0) throw new UserError(`unexpected environment value: ${c}, expected key=value`)
    const name = c.slice(0, eq)
    const value = c.slice(eq + 1)
    const i = out.findIndex((e) => e.name === name)
    if (i >= 0) out[i] = {name, value}
    else out.push({name, value})
  }
  return out
}
