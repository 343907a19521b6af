// Where an embedded cluster keeps its state: $KUBE2_HOME/clusters/<name> (default
// ~/.kube2/clusters/default), guarded by a lock file so that two processes never open its database
// at once. A lock left by a process that died (SIGKILL, crash) is taken over.
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {homedir} from 'node:os'
import {pidAlive} from '../server/running.js'
import {generateKeyPairSync} from 'node:crypto'
import {join} from 'node:path'

/**
 * The key that signs the cluster's service account tokens (`<dir>/pki/sa.key`), made on first use, so
 * that a token issued by one command (or server) is valid for the next one on the same state.
 */
export function ensureServiceAccountKey(dir: string): string {
  const file = join(dir, 'pki', 'sa.key')
  if (existsSync(file)) return readFileSync(file, 'utf8')
  mkdirSync(join(dir, 'pki'), {recursive: true, mode: 0o700})
  // ECDSA P-256, as src/apiserver/serviceaccount-token.ts signs with (ES256).
  const pem = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
  writeFileSync(file, pem, {mode: 0o600})
  return pem
}

export function kube2Home(): string {
  return process.env.KUBE2_HOME || join(homedir(), '.kube2')
}

export function clusterStateDir(name = 'default'): string {
  return join(kube2Home(), 'clusters', name)
}

export class StateDirLockedError extends Error {}

export interface StateLock {
  release(): void
}

/**
 * Takes the state directory's lock, waiting up to `waitMs` for another kube2 process to finish
 * (commands are short). Busy-waits in small steps: this runs once at start, before anything else.
 */
export function lockStateDir(dir: string, waitMs = 15000): StateLock {
  mkdirSync(dir, {recursive: true})
  const path = join(dir, 'lock')
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          rmSync(path, {force: true})
        },
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const holder = lockHolder(path)
    if (holder === undefined || !pidAlive(holder)) {
      rmSync(path, {force: true})
      continue
    }
    if (Date.now() >= deadline) {
      throw new StateDirLockedError(`the cluster state in ${dir} is in use by another kube2 process (pid ${holder}); try again when it has finished`)
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
  }
}

function lockHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}


/** What a state directory records about its cluster besides the database (cluster.json). */
export interface ClusterInfo {
  kubernetesVersion: string
  created: string
  /** The revision when the last process closed the cluster: the next one compacts history up to it. */
  lastRevision?: number
  /** The cluster's time when the last process closed it (virtual for embedded commands). */
  lastTime?: string
}

/** The cluster's record, created for a new state directory. */
export function readClusterInfo(dir: string, kubernetesVersion: string, now: Date): ClusterInfo {
  const path = join(dir, 'cluster.json')
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as ClusterInfo
  const info: ClusterInfo = {kubernetesVersion, created: now.toISOString()}
  writeFileSync(path, JSON.stringify(info, null, 2) + '\n')
  return info
}

export function recordClose(dir: string, revision: number, now: Date): void {
  const path = join(dir, 'cluster.json')
  const info = JSON.parse(readFileSync(path, 'utf8')) as ClusterInfo
  info.lastRevision = revision
  info.lastTime = now.toISOString()
  writeFileSync(path, JSON.stringify(info, null, 2) + '\n')
}
