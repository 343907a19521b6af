// Container logs of the simulated kubelets, where the pods/log subresource reads them: one log per
// container instance (the kubelet's /var/log/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log),
// the current and the previous instance kept, lines stamped in RFC 3339 with nanoseconds as the
// container runtime writes them (filterLog in src/apiserver/subresources.ts reads the stamps for
// --since, --timestamps and --tail).
//
// Which instance a read means comes from the pod's status, as the kubelet decides it
// (validateContainerLogStatus): the running or terminated instance, else the last terminated one;
// `previous` is the instance recorded in lastState.terminated. The errors are the kubelet's words.
//
// MemoryLogStore keeps everything in memory (tests, `:memory:` clusters); FileLogStore appends to
// files under a directory so the embedded cluster's logs outlive the command that produced them. A
// file larger than MAX_LOG_BYTES is rotated to `<n>.log.1` (the kubelet's containerLogMaxSize is
// 10 MiB) and, like the kubelet, only the live file is read.
import {appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {badRequest} from '../apiserver/errors.js'
import type {LogReader} from '../apiserver/server.js'
import type {Obj} from '../apiserver/types.js'
import type {LogLine} from '../kubelet/logs.js'
import type {ContainerLogSink} from './kubelet-component.js'

export const MAX_LOG_BYTES = 10 * 1024 * 1024

export type LogStore = LogReader & ContainerLogSink

interface PodRef {
  namespace: string
  name: string
  uid: string
}

/** Go's time.RFC3339Nano: nanoseconds with trailing zeros dropped (and no fraction when zero). */
export function rfc3339Nano(at: Date): string {
  const iso = at.toISOString()
  const ms = iso.slice(20, 23).replace(/0+$/, '')
  return `${iso.slice(0, 19)}${ms ? `.${ms}` : ''}Z`
}

function render(lines: readonly LogLine[]): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>()
  for (const l of lines) {
    let byAttempt = out.get(l.container)
    if (!byAttempt) out.set(l.container, (byAttempt = new Map()))
    byAttempt.set(l.attempt, (byAttempt.get(l.attempt) ?? '') + `${rfc3339Nano(l.at)} ${l.line}\n`)
  }
  return out
}

function objectOr(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined
}

/**
 * The instance to read for `container` of `pod`: an attempt number and how to find it
 * (`exact`: that attempt; `upTo`: the latest kept attempt at most that number; `before`: the latest
 * kept attempt below it). Throws the kubelet's error when there is nothing to read.
 */
type Instance = {exact: number} | {upTo: number} | {before: number}

function instanceFor(pod: Obj, container: string, previous: boolean): Instance | 'empty' {
  const name = String(objectOr(pod.metadata)?.name ?? '')
  const spec = objectOr(pod.spec) ?? {}
  // A pod not bound to a node has no kubelet to ask: the apiserver streams nothing.
  if (!spec.nodeName) return 'empty'
  const status = objectOr(pod.status) ?? {}
  const lists = [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]
  let cs: Obj | undefined
  for (const list of lists) {
    if (!Array.isArray(list)) continue
    cs = list.map(objectOr).find((s) => s?.name === container)
    if (cs) break
  }
  if (!cs) throw badRequest(`container "${container}" in pod "${name}" is not available`)
  const restarts = typeof cs.restartCount === 'number' ? cs.restartCount : 0
  const state = objectOr(cs.state) ?? {}
  const last = objectOr(objectOr(cs.lastState)?.terminated)
  if (previous) {
    if (!last) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`)
    // While the container waits to restart, the last terminated instance is the newest one.
    return state.running || state.terminated ? {before: restarts} : {upTo: restarts}
  }
  if (state.running || state.terminated) return {exact: restarts}
  if (last) return {upTo: restarts}
  const waiting = objectOr(state.waiting)
  if (waiting) {
    const reason = String(waiting.reason ?? '')
    if (reason === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${name}" is waiting to start: image can't be pulled`)
    if (reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`)
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`)
  }
  throw badRequest(`container "${container}" in pod "${name}" is waiting to start - no logs yet`)
}

function pick(kept: readonly number[], want: Instance): number | undefined {
  if ('exact' in want) return kept.includes(want.exact) ? want.exact : undefined
  const below = 'upTo' in want ? (a: number) => a <= want.upTo : (a: number) => a < want.before
  let best: number | undefined
  for (const a of kept) if (below(a) && (best === undefined || a > best)) best = a
  return best
}

/** The two newest attempts: the kubelet keeps a container's current and previous instance only. */
function keepNewest(attempts: number[]): number[] {
  return [...new Set(attempts)].sort((a, b) => a - b).slice(-2)
}

export class MemoryLogStore implements LogStore {
  /** uid -> container -> attempt -> text */
  private readonly pods = new Map<string, Map<string, Map<number, string>>>()

  append(pod: PodRef, lines: readonly LogLine[]): void {
    let containers = this.pods.get(pod.uid)
    if (!containers) this.pods.set(pod.uid, (containers = new Map()))
    for (const [container, texts] of render(lines)) {
      let byAttempt = containers.get(container)
      if (!byAttempt) containers.set(container, (byAttempt = new Map()))
      for (const [attempt, text] of texts) byAttempt.set(attempt, (byAttempt.get(attempt) ?? '') + text)
      const keep = new Set(keepNewest([...byAttempt.keys()]))
      for (const a of [...byAttempt.keys()]) if (!keep.has(a)) byAttempt.delete(a)
    }
  }

  removePod(uid: string): void {
    this.pods.delete(uid)
  }

  read(_namespace: string, pod: Obj, container: string, opts: {previous: boolean}): string {
    const want = instanceFor(pod, container, opts.previous)
    if (want === 'empty') return ''
    const byAttempt = this.pods.get(String(objectOr(pod.metadata)?.uid))?.get(container)
    if (!byAttempt) return ''
    const attempt = pick([...byAttempt.keys()], want)
    return attempt === undefined ? '' : byAttempt.get(attempt) ?? ''
  }
}

export class FileLogStore implements LogStore {
  /** uid -> the pod's directory, for pods this process has seen. */
  private readonly dirs = new Map<string, string>()

  constructor(readonly root: string) {}

  private podDir(pod: PodRef): string {
    let dir = this.dirs.get(pod.uid)
    if (!dir) this.dirs.set(pod.uid, (dir = join(this.root, `${pod.namespace}_${pod.name}_${pod.uid}`)))
    return dir
  }

  /** A pod's directory written by this or an earlier process, if there is one. */
  private findDir(uid: string): string | undefined {
    const known = this.dirs.get(uid)
    if (known) return known
    if (!existsSync(this.root)) return undefined
    const found = readdirSync(this.root).find((d) => d.endsWith(`_${uid}`))
    if (!found) return undefined
    const dir = join(this.root, found)
    this.dirs.set(uid, dir)
    return dir
  }

  append(pod: PodRef, lines: readonly LogLine[]): void {
    const dir = this.podDir(pod)
    for (const [container, texts] of render(lines)) {
      const cdir = join(dir, container)
      mkdirSync(cdir, {recursive: true})
      for (const [attempt, text] of texts) {
        const file = join(cdir, `${attempt}.log`)
        if (existsSync(file) && statSync(file).size + Buffer.byteLength(text) > MAX_LOG_BYTES) renameSync(file, `${file}.1`)
        appendFileSync(file, text)
      }
      const kept = new Set(keepNewest(attemptsIn(cdir)))
      for (const f of readdirSync(cdir)) {
        const a = attemptOf(f)
        if (a !== undefined && !kept.has(a)) rmSync(join(cdir, f), {force: true})
      }
    }
  }

  removePod(uid: string): void {
    const dir = this.findDir(uid)
    if (dir) rmSync(dir, {recursive: true, force: true})
    this.dirs.delete(uid)
  }

  read(_namespace: string, pod: Obj, container: string, opts: {previous: boolean}): string {
    const want = instanceFor(pod, container, opts.previous)
    if (want === 'empty') return ''
    const dir = this.findDir(String(objectOr(pod.metadata)?.uid))
    if (!dir) return ''
    const cdir = join(dir, container)
    if (!existsSync(cdir)) return ''
    const attempt = pick(attemptsIn(cdir), want)
    if (attempt === undefined) return ''
    const file = join(cdir, `${attempt}.log`)
    return existsSync(file) ? readFileSync(file, 'utf8') : ''
  }
}

function attemptOf(file: string): number | undefined {
  const m = /^(\d+)\.log(?:\.1)?$/.exec(file)
  return m ? Number(m[1]) : undefined
}

function attemptsIn(dir: string): number[] {
  return readdirSync(dir).filter((f) => f.endsWith('.log')).map(attemptOf).filter((a): a is number => a !== undefined)
}
