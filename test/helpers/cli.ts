// Runs the built kube2 CLI (bin/run.cjs over dist/) in a child process with KUBECONFIG and KUBE2_HOME
// pointed at a temporary directory, so tests never touch the real ~/.kube or ~/.kube2.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.cjs')

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export class CliSandbox {
  readonly home = mkdtempSync(join(tmpdir(), 'kube2-cli-'))

  run(args: string[], opts: {input?: string; env?: Record<string, string>} = {}): CliResult {
    const res = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      input: opts.input ?? '',
      encoding: 'utf8',
      env: {...process.env, HOME: this.home, KUBECONFIG: join(this.home, 'kubeconfig'), KUBE2_HOME: join(this.home, 'kube2'), NO_COLOR: '1', ...opts.env},
      timeout: 60000,
    })
    return {status: res.status, stdout: res.stdout, stderr: res.stderr}
  }

  dispose(): void {
    rmSync(this.home, {recursive: true, force: true})
  }
}
