// `pods/log?follow=true` over HTTP: the answer handle() gave first, then the lines the simulated
// kubelet appends, read again every poll through handle() itself. As with a real kubelet, the stream
// ends when the container stops running (or a new instance of it starts), when the pod goes away,
// or when the client disconnects.
import type {ServerResponse} from 'node:http'
import type {ApiRequest, Obj} from '../apiserver/types.js'
import type {ApiBackend} from './http-server.js'

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Lines of a log text (without the final empty piece after the last newline). */
function lines(text: string): string[] {
  const out = text.split('\n')
  if (out[out.length - 1] === '') out.pop()
  return out
}

/** The state of a container in a pod's status: running, or not (anything else ends a follow). */
function containerRunning(pod: Obj, container: string): boolean {
  const status = isObj(pod.status) ? pod.status : {}
  for (const list of [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]) {
    if (!Array.isArray(list)) continue
    const cs = list.find((c) => isObj(c) && c.name === container) as Obj | undefined
    if (cs) return isObj(cs.state) && isObj(cs.state.running)
  }
  return false
}

export function followLog(backend: ApiBackend, req: ApiRequest, first: string, res: ServerResponse, pollMs: number): void {
  res.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked'})
  res.write(first)
  const q = req.query ?? {}
  const withTimestamps = q.timestamps === 'true'
  // The whole current log with timestamps is the reference: lines past what it held are new.
  const fullQuery: Record<string, string | undefined> = {timestamps: 'true'}
  if (q.container) fullQuery.container = q.container
  if (q.previous) fullQuery.previous = q.previous
  const readAll = () => backend.handle({...req, query: fullQuery})
  const initial = readAll()
  let seen = initial.status === 200 && typeof initial.body === 'string' ? lines(initial.body).length : 0
  const podOf = () => backend.handle({verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: req.namespace, name: req.name, ...(req.user ? {user: req.user} : {})})
  const containerName = (pod: Obj): string | undefined => {
    if (q.container) return q.container
    const containers = isObj(pod.spec) && Array.isArray(pod.spec.containers) ? (pod.spec.containers as Obj[]) : []
    return containers.length === 1 ? String(containers[0]!.name) : undefined
  }

  let timer: NodeJS.Timeout | undefined
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = undefined
    if (!res.writableEnded) res.end()
  }
  const flush = (): boolean => {
    const now = readAll()
    if (now.status !== 200 || typeof now.body !== 'string') return false
    const all = lines(now.body)
    // Fewer lines than before: a new instance of the container; its predecessor's stream is over.
    if (all.length < seen) return false
    const fresh = all.slice(seen)
    seen = all.length
    if (fresh.length > 0) {
      const text = fresh.map((l) => (withTimestamps ? l : l.slice(l.indexOf(' ') + 1))).join('\n')
      res.write(`${text}\n`)
    }
    return true
  }
  const poll = () => {
    try {
      const pod = podOf()
      if (pod.status !== 200 || !isObj(pod.body)) return stop()
      const name = containerName(pod.body)
      const running = name !== undefined && q.previous !== 'true' && containerRunning(pod.body, name)
      if (!flush() || !running) stop()
    } catch {
      stop()
    }
  }
  res.on('close', stop)
  timer = setInterval(poll, pollMs)
}
