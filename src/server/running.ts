// Whether an emulator server runs on a state directory: it writes server.json (pid, URL) once it
// listens and removes it when it stops; a file left by a killed server names a dead pid and is
// ignored. Embedded commands read this to go through the server instead of opening the database.
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export interface ServerInfo {
  pid: number
  url: string
  host: string
  port: number
  startedAt: string
}

export function serverInfoPath(stateDir: string): string {
  return join(stateDir, 'server.json')
}

/** Whether a process runs: exists and, on Linux, is not a zombie waiting to be reaped. */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** The recorded server, whether or not it still runs. */
export function recordedServer(stateDir: string): ServerInfo | undefined {
  const path = serverInfoPath(stateDir)
  if (!existsSync(path)) return undefined
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as ServerInfo
    return typeof info.pid === 'number' && typeof info.url === 'string' ? info : undefined
  } catch {
    return undefined
  }
}

/** The server running on a state directory, if one does. */
export function runningServer(stateDir: string): ServerInfo | undefined {
  const info = recordedServer(stateDir)
  return info && pidAlive(info.pid) ? info : undefined
}

export function writeServerInfo(stateDir: string, info: ServerInfo): void {
  const path = serverInfoPath(stateDir)
  writeFileSync(`${path}.tmp`, `${JSON.stringify(info, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}

export function removeServerInfo(stateDir: string, pid: number): void {
  const info = recordedServer(stateDir)
  if (info && info.pid === pid) rmSync(serverInfoPath(stateDir), {force: true})
}

/** The admin user `kube2 emulate start` makes (its client certificate is pki/users/<name>.crt). */
export const ADMIN_NAME = 'kube2-admin'
