// What containers write to their logs in the simulation: the lines of the image's log profile (at
// start, periodically, before a crash, when stopped) or the output of a shell command we can follow.
// Placeholders in profile lines: {iso} {nginxTime} {nginxErrorTime} {redisTime} {unix} {podIP}
// {hostIP} {pod} {namespace} {container} {image} {tag} {version:default} {kubeMinor}
// {kernelVersion} {clientIP} {userAgent} {probePath} {rand:lo-hi} {pick:a|b|c}.
import type {ContainerBehaviour, PodContext} from './behaviour.js'
import {pickInt, unit} from './hash.js'
import type {Attempt, ContainerTrack} from './model.js'
import {httpProbePath} from './probes.js'

export interface LogLine {
  container: string
  /** The restartCount of the instance that wrote it (its log file). */
  attempt: number
  line: string
  at: Date
}

export interface LogContext {
  ctx: PodContext
  podIP: string
  hostIP: string
  kernelVersion: string
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number) => String(n).padStart(2, '0')

function version(tag: string | undefined, fallback: string): string {
  const m = tag ? /^v?(\d+\.\d+(?:\.\d+)?)/.exec(tag) : null
  if (!m) return fallback
  const parts = m[1].split('.')
  if (parts.length === 3) return m[1]
  return fallback.startsWith(`${m[1]}.`) ? fallback : `${m[1]}.0`
}

const USER_AGENTS = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Wget', 'Go-http-client/1.1']

/** Fills a profile line's placeholders; `seed` fixes its random parts. */
export function renderLine(template: string, lc: LogContext, b: ContainerBehaviour, at: number, seed: string): string {
  const d = new Date(at)
  const {ctx} = lc
  let n = 0
  return template.replace(/\{([a-zA-Z]+)(?::([^}]*))?\}/g, (whole, name: string, arg: string | undefined) => {
    const s = `${seed}/${n++}`
    switch (name) {
      case 'iso':
        return d.toISOString()
      case 'nginxTime':
        return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
      case 'nginxErrorTime':
        return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
      case 'redisTime':
        return `${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`
      case 'unix':
        return String(Math.floor(at / 1000))
      case 'podIP':
        return lc.podIP
      case 'hostIP':
        return lc.hostIP
      case 'pod':
        return ctx.name
      case 'namespace':
        return ctx.namespace
      case 'container':
        return b.name
      case 'image':
        return b.image
      case 'tag':
        return b.ref.tag ?? 'latest'
      case 'version':
        return version(b.ref.tag, arg ?? '1.0.0')
      case 'kubeMinor':
        return String(ctx.release.minor)
      case 'kernelVersion':
        return lc.kernelVersion
      case 'clientIP':
        return httpProbePath(b.spec) !== undefined ? lc.hostIP : `10.244.${pickInt(0, 3, `${s}/a`)}.${pickInt(2, 254, `${s}/b`)}`
      case 'userAgent':
        return httpProbePath(b.spec) !== undefined ? `kube-probe/1.${ctx.release.minor}` : USER_AGENTS[Math.floor(unit(s) * USER_AGENTS.length)]
      case 'probePath':
        return httpProbePath(b.spec) ?? '/'
      case 'rand': {
        const m = /^(\d+)-(\d+)$/.exec(arg ?? '')
        return m ? String(pickInt(Number(m[1]), Number(m[2]), s)) : whole
      }
      case 'pick': {
        const options = (arg ?? '').split('|')
        return options[Math.floor(unit(s) * options.length)]
      }
      default:
        return whole
    }
  })
}

interface Timed {
  at: number
  text: () => string
}

/** Lines of one instance, from `from` (exclusive) through `to`, plus the first one after `to`. */
function attemptLines(lc: LogContext, b: ContainerBehaviour, a: Attempt, from: number, to: number, cap: number): {lines: Timed[]; next?: number} {
  const end = a.exit?.at ?? Infinity
  const seed = `${lc.ctx.uid}/${b.name}/${a.index}`
  const out: Timed[] = []
  let next: number | undefined
  const add = (at: number, text: () => string) => {
    if (at > end || at <= from) return
    if (at > to) next = next === undefined ? at : Math.min(next, at)
    else out.push({at, text})
  }
  const stopAt = a.stopRequestedAt
  const running = (at: number) => at < end && (stopAt === undefined || at < stopAt)
  // What a process writes as it starts counts even when it exits at once.
  const writing = (at: number) => at <= end && (stopAt === undefined || at < stopAt)
  if (b.script) {
    const plan = b.script
    for (const l of plan.prefix) if (writing(a.startedAt + l.offsetMs)) add(a.startedAt + l.offsetMs, () => l.text(a.startedAt + l.offsetMs))
    if (plan.loop) {
      const {startMs, periodMs, lines} = plan.loop
      const base = a.startedAt + startMs
      // Only the last `cap` lines can be kept: start no earlier than needed for them.
      const lower = Math.max(from, to - (cap + 1) * periodMs)
      let k = Math.max(0, Math.floor((lower - base) / periodMs) - 1)
      for (;; k++) {
        const iterStart = base + k * periodMs
        if (!running(iterStart) || iterStart > to + periodMs) break
        for (const l of lines(k)) {
          const at = iterStart + l.offsetMs
          if (running(at)) add(at, () => l.text(at))
        }
        if (next !== undefined) break
      }
    }
  } else {
    const lp = b.logs
    // Lines written together share an instant; their order is kept.
    if (writing(a.startedAt)) lp.start.forEach((t, i) => add(a.startedAt, () => renderLine(t, lc, b, a.startedAt, `${seed}/start/${i}`)))
    if (lp.every > 0 && lp.periodic.length > 0) {
      const every = lp.every * 1000
      const lower = Math.max(from, to - (cap + 1) * every)
      let k = Math.max(1, Math.floor((lower - a.startedAt) / every))
      for (;; k++) {
        const at = a.startedAt + k * every
        if (!running(at)) break
        add(at, () => renderLine(lp.periodic[k % lp.periodic.length], lc, b, at, `${seed}/p/${k}`))
        if (at > to) break
      }
    }
    if (a.exit && a.exit.reason === 'Error' && stopAt === undefined) {
      const exitAt = a.exit.at
      lp.crash.forEach((t, i) => add(exitAt, () => renderLine(t, lc, b, exitAt, `${seed}/crash/${i}`)))
    }
    if (stopAt !== undefined) lp.stop.forEach((t, i) => add(stopAt, () => renderLine(t, lc, b, stopAt, `${seed}/stop/${i}`)))
  }
  return {lines: out, next}
}

/** The log lines written in (from, to], oldest first, at most `cap` per container; and when the next one comes. */
export function logLines(lc: LogContext, behaviours: ContainerBehaviour[], tracks: ContainerTrack[], from: number, to: number, cap: number): {lines: LogLine[]; next?: number} {
  const lines: LogLine[] = []
  let next: number | undefined
  behaviours.forEach((b, i) => {
    const own: Array<Timed & {attempt: number}> = []
    for (const a of tracks[i].attempts) {
      const r = attemptLines(lc, b, a, from, to, cap)
      if (r.next !== undefined) next = next === undefined ? r.next : Math.min(next, r.next)
      for (const l of r.lines) own.push({...l, attempt: a.index})
    }
    own.sort((x, y) => x.at - y.at)
    for (const l of own.slice(Math.max(0, own.length - cap))) lines.push({container: b.name, attempt: l.attempt, line: l.text(), at: new Date(l.at)})
  })
  lines.sort((x, y) => x.at.getTime() - y.at.getTime())
  return {lines, next}
}
