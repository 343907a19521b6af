// An emulator server for end-to-end tests: `kube2 emulate start` (the built CLI) on a temporary
// KUBE2_HOME and KUBECONFIG, on a free port, with the fast kubelet profile; real kubectl binaries as
// its clients. dispose() stops the server (SIGKILL if it must) and removes the directory.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import yaml from 'js-yaml'
import {join} from 'node:path'
import {Agent, request} from 'undici'
import {CliSandbox, ROOT, type CliResult} from './cli.js'

export const KUBECTL_OLDEST = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27'
export const KUBECTL_NEWEST = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'

export function kubectlAvailable(bin: string): boolean {
  return existsSync(bin)
}

export class EmulatorSandbox {
  readonly cli = new CliSandbox()
  readonly stateDir = join(this.cli.home, 'kube2', 'clusters', 'default')
  readonly kubeconfig = join(this.cli.home, 'kubeconfig')

  start(extra: string[] = []): CliResult {
    const r = this.cli.run(['emulate', 'start', '--port', '0', '--kubelet-profile', join(ROOT, 'fixtures/kubelet/fast.yaml'), ...extra])
    if (r.status !== 0) throw new Error(`emulate start failed (${r.status}): ${r.stderr}${this.log()}`)
    return r
  }

  kube2(args: string[], opts: {input?: string; env?: Record<string, string>} = {}): CliResult {
    return this.cli.run(args, opts)
  }

  /** A real kubectl against the emulator (its kubeconfig), synchronously. */
  kubectl(bin: string, args: string[], opts: {input?: string; env?: Record<string, string>; timeoutMs?: number} = {}): CliResult {
    const res = spawnSync(bin, args, {
      input: opts.input ?? '',
      encoding: 'utf8',
      env: {...process.env, KUBECONFIG: this.kubeconfig, HOME: this.cli.home, ...opts.env},
      timeout: opts.timeoutMs ?? 30000,
    })
    return {status: res.status, stdout: res.stdout, stderr: res.stderr}
  }

  /** A kubectl that is stopped after `ms` (for -f / -w): its output so far. */
  kubectlFor(bin: string, args: string[], ms: number): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(bin, args, {env: {...process.env, KUBECONFIG: this.kubeconfig, HOME: this.cli.home}})
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const timer = setTimeout(() => child.kill('SIGTERM'), ms)
      child.on('exit', (code) => {
        clearTimeout(timer)
        resolve({status: code, stdout, stderr})
      })
    })
  }

  /**
   * A user made with `kube2 emulate add-user` (bearer token) and a kubeconfig that authenticates as
   * that user alone (a client certificate would authenticate first).
   */
  addUser(name: string, groups: string[] = []): {kubeconfig: string; token: string} {
    const r = this.kube2(['emulate', 'add-user', name, ...groups.flatMap((g) => ['--group', g])])
    if (r.status !== 0) throw new Error(`add-user failed: ${r.stderr}`)
    const users = yaml.load(r.stdout) as Array<{name: string; user: {token: string}}>
    const kc = yaml.load(readFileSync(this.kubeconfig, 'utf8')) as Record<string, unknown>
    const file = join(this.cli.home, `${name}.kubeconfig`)
    writeFileSync(file, yaml.dump({...kc, users, contexts: [{name: 'u', context: {cluster: 'kube2-emulator', user: name}}], 'current-context': 'u'}))
    return {kubeconfig: file, token: users[0]!.user.token}
  }

  server(): {pid: number; url: string} {
    return JSON.parse(readFileSync(join(this.stateDir, 'server.json'), 'utf8')) as {pid: number; url: string}
  }

  /** An undici dispatcher with the admin's client certificate. */
  adminAgent(): Agent {
    const pki = join(this.stateDir, 'pki')
    return new Agent({
      connect: {
        ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
        cert: readFileSync(join(pki, 'users', 'kube2-admin.crt'), 'utf8'),
        key: readFileSync(join(pki, 'users', 'kube2-admin.key'), 'utf8'),
      },
    })
  }

  async raw(path: string, init: {method?: string; body?: string; headers?: Record<string, string>; agent?: Agent} = {}): Promise<{status: number; body: string}> {
    const agent = init.agent ?? this.adminAgent()
    try {
      const res = await request(new URL(path, this.server().url), {method: (init.method ?? 'GET') as 'GET', body: init.body, headers: init.headers, dispatcher: agent})
      return {status: res.statusCode, body: await res.body.text()}
    } finally {
      if (!init.agent) await agent.close()
    }
  }

  log(): string {
    const p = join(this.stateDir, 'server.log')
    return existsSync(p) ? `\n--- server.log ---\n${readFileSync(p, 'utf8').slice(-4000)}` : ''
  }

  dispose(): void {
    const r = this.cli.run(['emulate', 'stop'])
    if (r.status !== 0) {
      try {
        process.kill(this.server().pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    this.cli.dispose()
  }
}
