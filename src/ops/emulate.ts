// What the `kube2 emulate` commands do, apart from parsing flags: start the server in the background
// and wait until it is ready, stop it, report on it, reset its state, and write its kubeconfig entries.
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {Transport} from '../client/transport.js'
import {UserError} from '../cli/errors.js'
import {ADMIN_NAME} from '../server/credentials.js'
import {pidAlive, recordedServer, runningServer, type ServerInfo} from '../server/running.js'
import {writeKubeconfigEntries} from '../client/kubeconfig-write.js'

export const EMULATOR_CONTEXT = 'kube2-emulator'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function serverLogPath(stateDir: string): string {
  return join(stateDir, 'server.log')
}

interface AdminCredentials {
  ca: string
  cert: string
  key: string
}

export function adminCredentials(stateDir: string): AdminCredentials {
  const pki = join(stateDir, 'pki')
  return {
    ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
    cert: readFileSync(join(pki, 'users', `${ADMIN_NAME}.crt`), 'utf8'),
    key: readFileSync(join(pki, 'users', `${ADMIN_NAME}.key`), 'utf8'),
  }
}

/** GET a path on the server as the admin; the status code, or undefined if it cannot be reached. */
export async function adminGet(stateDir: string, url: string, path: string, timeoutMs = 2000): Promise<{status: number; text: string} | undefined> {
  let creds: AdminCredentials
  try {
    creds = adminCredentials(stateDir)
  } catch {
    return undefined
  }
  const transport = new Transport({server: url, ca: creds.ca, cert: creds.cert, key: creds.key, timeoutMs, maxRetries: 0})
  try {
    const res = await transport.request({method: 'GET', path})
    return {status: res.status, text: res.body.toString('utf8')}
  } catch {
    return undefined
  } finally {
    transport.close()
  }
}

/** The last lines of the server's log (why a start failed). */
export function logTail(stateDir: string, lines = 20, from = 0): string {
  const path = serverLogPath(stateDir)
  if (!existsSync(path)) return ''
  const text = readFileSync(path, 'utf8').slice(from)
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

/**
 * Starts `kube2 emulate start --foreground` detached, its output appended to server.log, and waits
 * until its /readyz answers ok. The child re-runs this same program (bin/run.cjs or bin/dev.js).
 */
export async function startInBackground(stateDir: string, childArgs: string[], timeoutMs = 120_000): Promise<ServerInfo> {
  mkdirSync(stateDir, {recursive: true})
  const logPath = serverLogPath(stateDir)
  const logStart = existsSync(logPath) ? statSync(logPath).size : 0
  const fd = openSync(logPath, 'a', 0o600)
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'emulate', 'start', '--foreground', '--state-dir', stateDir, ...childArgs], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: {...process.env, KUBE2_EMULATOR_CHILD: '1'},
  })
  closeSync(fd)
  let exited: number | null | undefined
  child.on('exit', (code) => {
    exited = code
  })
  child.unref()
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      const tail = logTail(stateDir, 20, logStart)
      throw new UserError(`the emulator server exited during start (exit code ${exited})${tail ? `:\n${tail}` : ''}`)
    }
    const info = runningServer(stateDir)
    if (info && info.pid === child.pid) {
      const ready = await adminGet(stateDir, info.url, '/readyz')
      if (ready?.status === 200) return info
    }
    await sleep(100)
  }
  child.kill('SIGTERM')
  throw new UserError(`the emulator server did not become ready within ${Math.round(timeoutMs / 1000)}s; see ${logPath}`)
}

/** Stops the server on a state directory: SIGTERM, then SIGKILL if it has not exited in time. */
export async function stopServer(stateDir: string, graceMs = 30_000): Promise<ServerInfo | undefined> {
  const info = runningServer(stateDir)
  if (!info) return undefined
  try {
    process.kill(info.pid, 'SIGTERM')
  } catch {
    return info
  }
  const deadline = Date.now() + graceMs
  while (pidAlive(info.pid) && Date.now() < deadline) await sleep(50)
  if (pidAlive(info.pid)) {
    process.kill(info.pid, 'SIGKILL')
    while (pidAlive(info.pid)) await sleep(50)
    // A killed server could not remove its record or its lock.
    rmSync(join(stateDir, 'server.json'), {force: true})
    rmSync(join(stateDir, 'lock'), {force: true})
  }
  return info
}

/** Removes the cluster's data (database, logs, cluster record); credentials stay so kubeconfigs keep working. */
export function resetState(stateDir: string): void {
  for (const f of ['state.db', 'state.db-wal', 'state.db-shm', 'cluster.json', 'server.json', 'logs']) rmSync(join(stateDir, f), {recursive: true, force: true})
}

export function writeEmulatorKubeconfig(path: string, stateDir: string, url: string, switchContext: boolean): void {
  const creds = adminCredentials(stateDir)
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  writeKubeconfigEntries(path, {
    name: EMULATOR_CONTEXT,
    cluster: {server: url, 'certificate-authority-data': b64(creds.ca)},
    user: {'client-certificate-data': b64(creds.cert), 'client-key-data': b64(creds.key)},
  }, switchContext)
}

export {recordedServer, runningServer}
