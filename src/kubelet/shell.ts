// What a container's command does, when it is a shell one-liner simple enough to follow: `echo`,
// `sleep`, `exit`, counters and `while true` loops (the logging examples of the Kubernetes docs).
// Anything else is not interpreted and the image's profile decides instead.
import {obj, objs, str, type Obj} from './obj.js'

/** One line written `offsetMs` after the script (or loop iteration) starts; text may name the time. */
export interface ScriptLine {
  offsetMs: number
  text: (atMs: number) => string
}

export interface ScriptPlan {
  prefix: ScriptLine[]
  loop?: {startMs: number; periodMs: number; lines: (iteration: number) => ScriptLine[]}
  /** When the script ends; undefined: it runs until stopped. */
  endMs?: number
  exitCode: number
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh'])
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** busybox/GNU `date` in the C locale: Thu Jan  1 00:00:01 UTC 2026. */
export function cDate(ms: number): string {
  const d = new Date(ms)
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]
  const p2 = (n: number) => String(n).padStart(2, '0')
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
}

/** Splits a script into simple statements at ; && || and newlines, outside quotes and $( ). */
export function splitStatements(script: string): string[] | undefined {
  const out: string[] = []
  let cur = '', quote = '', depth = 0
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]
    if (quote) {
      cur += ch
      if (ch === '\\' && quote === '"' && i + 1 < script.length) cur += script[++i]
      else if (ch === quote) quote = ''
      continue
    }
    if (ch === "'" || ch === '"') {
      quote = ch
      cur += ch
    } else if (ch === '$' && script[i + 1] === '(') {
      depth++
      cur += '$('
      i++
    } else if (ch === '(' && depth > 0) {
      depth++
      cur += ch
    } else if (ch === ')' && depth > 0) {
      depth--
      cur += ch
    } else if (depth === 0 && (ch === ';' || ch === '\n' || ((ch === '&' || ch === '|') && script[i + 1] === ch))) {
      if (ch === '&' || ch === '|') i++
      out.push(cur.trim())
      cur = ''
    } else if (depth === 0 && (ch === '|' || ch === '&' || ch === '>' || ch === '<' || ch === '`')) {
      return undefined // pipes, background jobs, redirections: not followed
    } else cur += ch
  }
  if (quote || depth) return undefined
  out.push(cur.trim())
  return out.filter((s) => s !== '')
}

type Word = Array<{quoted: 'single' | 'double' | 'none'; text: string}>

function words(statement: string): Word[] | undefined {
  const out: Word[] = []
  let cur: Word = [], buf = '', mode: 'single' | 'double' | 'none' = 'none', started = false
  const flush = () => {
    if (buf !== '' || mode !== 'none') cur.push({quoted: mode, text: buf})
    buf = ''
  }
  for (let i = 0; i < statement.length; i++) {
    const ch = statement[i]
    if (mode === 'single') {
      if (ch === "'") {
        flush()
        mode = 'none'
      } else buf += ch
      continue
    }
    if (mode === 'double') {
      if (ch === '\\' && i + 1 < statement.length && '"\\$`'.includes(statement[i + 1])) buf += statement[++i]
      else if (ch === '"') {
        flush()
        mode = 'none'
      } else buf += ch
      continue
    }
    if (ch === ' ' || ch === '\t') {
      if (started) {
        flush()
        out.push(cur)
        cur = []
        started = false
      }
      continue
    }
    started = true
    if (ch === "'" || ch === '"') {
      flush()
      mode = ch === "'" ? 'single' : 'double'
    } else if (ch === '$' && statement[i + 1] === '(') {
      // Keep $( ... ) and $(( ... )) whole for expansion.
      let depth = 0, j = i + 1
      for (; j < statement.length; j++) {
        if (statement[j] === '(') depth++
        else if (statement[j] === ')' && --depth === 0) break
      }
      buf += statement.slice(i, j + 1)
      i = j
    } else buf += ch
  }
  if (mode !== 'none') return undefined
  if (started) {
    flush()
    out.push(cur)
  }
  return out
}

type Vars = Map<string, string>

function expandText(text: string, vars: Vars, atMs: number): string {
  return text
    .replace(/\$\(\s*date\s*\)/g, () => cDate(atMs))
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, b: string | undefined) => vars.get(a ?? b ?? '') ?? '')
}

function expandWord(w: Word, vars: Vars, atMs: number): string {
  return w.map((p) => (p.quoted === 'single' ? p.text : expandText(p.text, vars, atMs))).join('')
}

/** The literal text of a word, or undefined when it needs expansion we do not model. */
function literal(w: Word): string | undefined {
  const text = w.map((p) => p.text).join('')
  return w.some((p) => p.quoted !== 'single' && p.text.includes('$')) ? undefined : text
}

type Step =
  | {kind: 'echo'; args: Word[]}
  | {kind: 'sleep'; ms: number}
  | {kind: 'forever'}
  | {kind: 'exit'; code: number}
  | {kind: 'set'; name: string; value: Word}
  | {kind: 'add'; name: string; delta: number}
  | {kind: 'noop'}

function parseStep(statement: string): Step | undefined {
  const ws = words(statement)
  if (!ws || ws.length === 0) return undefined
  const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(ws.length === 1 ? ws[0].map((p) => p.text).join('') : '')
  if (assign && ws[0][0]?.quoted === 'none' && ws[0][0].text.startsWith(assign[1] + '=')) {
    const [, name, rest] = assign
    const inc = /^\$\(\(\s*\$?([A-Za-z_][A-Za-z0-9_]*)\s*([+-])\s*(\d+)\s*\)\)$/.exec(rest)
    if (inc && inc[1] === name) return {kind: 'add', name, delta: Number(inc[3]) * (inc[2] === '-' ? -1 : 1)}
    const value: Word = [{...ws[0][0], text: ws[0][0].text.slice(name.length + 1)}, ...ws[0].slice(1)]
    return {kind: 'set', name, value}
  }
  const head = literal(ws[0])
  if (head === undefined) return undefined
  const args = ws.slice(1)
  switch (head.replace(/^.*\//, '')) {
    case 'echo':
      return {kind: 'echo', args: args.length > 0 && literal(args[0]) === '-n' ? args.slice(1) : args}
    case 'sleep': {
      const a = args.length === 1 ? literal(args[0]) : undefined
      if (a === 'infinity' || a === 'inf') return {kind: 'forever'}
      const m = a !== undefined ? /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a) : null
      if (!m) return undefined
      const unit = {'': 1, s: 1, m: 60, h: 3600, d: 86400}[m[2] as '' | 's' | 'm' | 'h' | 'd']
      return {kind: 'sleep', ms: Math.round(Number(m[1]) * unit * 1000)}
    }
    case 'exit': {
      const a = args.length === 0 ? '0' : literal(args[0])
      return a !== undefined && /^\d+$/.test(a) ? {kind: 'exit', code: Number(a) & 255} : undefined
    }
    case 'true':
    case ':':
      return args.length === 0 ? {kind: 'noop'} : undefined
    case 'tail': {
      const rest = args.map(literal)
      return rest.length >= 2 && rest.includes('-f') && rest.includes('/dev/null') ? {kind: 'forever'} : undefined
    }
    default:
      return undefined
  }
}

interface Block {
  steps: Step[]
  loop?: Step[]
}

function parseScript(script: string): Block | undefined {
  const statements = splitStatements(script)
  if (!statements || statements.length === 0) return undefined
  const block: Block = {steps: []}
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]
    if (/^while\s+(true|:)$/.test(s)) {
      const texts: string[] = []
      let j = i + 1
      if (statements[j] === 'do') j++
      else if (statements[j]?.startsWith('do ')) texts.push(statements[j++].slice(3).trim())
      else return undefined
      for (; j < statements.length && statements[j] !== 'done'; j++) texts.push(statements[j])
      if (statements[j] !== 'done' || j !== statements.length - 1) return undefined
      const body: Step[] = []
      for (const t of texts) {
        const step = parseStep(t)
        if (!step) return undefined
        body.push(step)
      }
      block.loop = body
      return block
    }
    const step = parseStep(s)
    if (!step) return undefined
    block.steps.push(step)
  }
  return block
}

/** The script a container runs through a shell (`sh -c '...'`), or its plain command line. */
function scriptOf(container: Obj): string | undefined {
  const cmd = [...(Array.isArray(container.command) ? container.command : []), ...(Array.isArray(container.args) ? container.args : [])]
  if (cmd.length === 0 || !cmd.every((x) => typeof x === 'string')) return undefined
  const parts = cmd as string[]
  const exe = parts[0].replace(/^.*\//, '')
  if (SHELLS.has(exe)) {
    const c = parts.indexOf('-c')
    return c >= 1 && c === parts.length - 2 ? parts[c + 1] : undefined
  }
  // A plain command: quote each argument so it reads as one statement.
  return parts.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(' ')
}

/** Literal environment a script can expand; HOSTNAME is the pod's name, as in a real container. */
function envOf(container: Obj, podName: string): Vars {
  const vars: Vars = new Map([['HOSTNAME', podName]])
  for (const e of objs(container.env)) {
    const name = str(e.name), value = str(e.value)
    if (name && NAME.test(name) && value !== undefined && obj(e.valueFrom) === undefined) vars.set(name, value)
  }
  return vars
}

/** The plan of a container whose command we can follow; undefined otherwise. */
export function scriptPlan(container: Obj, podName: string): ScriptPlan | undefined {
  const script = scriptOf(container)
  if (script === undefined) return undefined
  const block = parseScript(script)
  if (!block) return undefined
  const vars = envOf(container, podName)
  const prefix: ScriptLine[] = []
  let t = 0
  for (const step of block.steps) {
    switch (step.kind) {
      case 'echo': {
        const snapshot = new Map(vars)
        const args = step.args
        prefix.push({offsetMs: t, text: (at) => args.map((a) => expandWord(a, snapshot, at)).join(' ')})
        break
      }
      case 'sleep':
        t += step.ms
        break
      case 'forever':
        return {prefix, exitCode: 0}
      case 'exit':
        return {prefix, endMs: t, exitCode: step.code}
      case 'set':
        vars.set(step.name, expandWord(step.value, vars, 0))
        break
      case 'add':
        vars.set(step.name, String(Number(vars.get(step.name) ?? '0') + step.delta))
        break
      case 'noop':
        break
    }
  }
  if (!block.loop) return {prefix, endMs: t, exitCode: 0}
  const body = block.loop
  if (body.some((s) => s.kind === 'exit' || s.kind === 'forever')) return undefined
  const period = body.reduce((sum, s) => sum + (s.kind === 'sleep' ? s.ms : 0), 0)
  // A loop that never sleeps would write without end; we do not follow it.
  if (period <= 0) return undefined
  const base = new Map(vars)
  const perIteration = new Map<string, number>()
  for (const s of body) if (s.kind === 'add') perIteration.set(s.name, (perIteration.get(s.name) ?? 0) + s.delta)
  if (body.some((s) => s.kind === 'set' && perIteration.has(s.name))) return undefined
  const lines = (iteration: number): ScriptLine[] => {
    // Counters move linearly, so iteration k starts from base + k × (their per-iteration step).
    const v: Vars = new Map(base)
    for (const [name, delta] of perIteration) v.set(name, String(Number(base.get(name) ?? '0') + iteration * delta))
    const out: ScriptLine[] = []
    let off = 0
    for (const s of body) {
      if (s.kind === 'echo') {
        const snapshot = new Map(v)
        out.push({offsetMs: off, text: (at) => s.args.map((a) => expandWord(a, snapshot, at)).join(' ')})
      } else if (s.kind === 'sleep') off += s.ms
      else if (s.kind === 'add') v.set(s.name, String(Number(v.get(s.name) ?? '0') + s.delta))
      else if (s.kind === 'set') v.set(s.name, expandWord(s.value, v, 0))
    }
    return out
  }
  return {prefix, loop: {startMs: t, periodMs: period, lines}, exitCode: 0}
}
