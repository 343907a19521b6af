// Go text/template as kubectl runs it for `-o go-template`: the object is a decoded JSON map (every
// number a float64), missing map keys print `<no value>`, and kubectl adds `exists` and `base64decode`.
import {compareGoStrings} from '../api/names.js'
import {goJsonMarshal} from './jsonpath.js'
import {formatGoFloat} from './table.js'

/**
 * A parse or execution failure. `message` is what kubectl prints after `error: `; `output` is what it
 * had written to stdout by then (the output so far and, for execution errors, a debugging dump).
 */
export class GoTemplateError extends Error {
  constructor(
    message: string,
    readonly detail: string,
    readonly output = '',
  ) {
    super(message)
    this.name = 'GoTemplateError'
  }
}

/** An int the template makes (constants, len, range indices); data integers are int64 numbers. */
export class GoInt {
  constructor(readonly value: number) {}
}

/** A float constant such as `10.0`: a float64 even when its value is whole. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** Go's invalid reflect.Value: a missing map key. Prints `<no value>`. */
const NO_VALUE: unique symbol = Symbol('no value')
type Value = unknown

// ---------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | {kind: 'text'; text: string}
  | {kind: 'action'; pipe: Pipe}
  | {kind: 'if' | 'with' | 'range'; pipe: Pipe; list: Node[]; elseList?: Node[]}
  | {kind: 'break' | 'continue'}

interface Pipe {
  decl: string[]
  assign: boolean
  cmds: Operand[][]
  src: string
}

const commandAt = (cmd: Operand[]): At => ({pos: cmd[0]!.pos, src: cmd.map((o) => o.src).join(' ')})

/** Where a node starts in the template, and its text: the context of an execution error. */
interface At {
  pos: number
  src: string
}

type Operand = At &
  (
    | {kind: 'field'; names: string[]}
    | {kind: 'var'; name: string; names: string[]}
    | {kind: 'dot'}
    | {kind: 'ident'; name: string}
    | {kind: 'const'; value: Value}
    | {kind: 'nil'}
    | {kind: 'pipe'; pipe: Pipe; names: string[]}
  )

export interface GoTemplate {
  text: string
  root: Node[]
}

// ---------------------------------------------------------------------------------------------
// Lexing and parsing

type Tok = {t: 'field' | 'var' | 'ident' | 'string' | 'number' | 'char' | '(' | ')' | '|' | ':=' | '=' | ',' | 'space'; v: string; pos: number}

class ParseError extends Error {
  /** Where in the template it was found (for the line number), when not at the current action. */
  constructor(
    message: string,
    readonly pos?: number,
  ) {
    super(message)
  }
}

function tokenizeAction(src: string, base: number): Tok[] {
  const toks: Tok[] = []
  let i = 0
  while (i < src.length) {
    const pos = base + i
    const c = src[i]!
    const rest = src.slice(i)
    let m: RegExpExecArray | null
    if (/\s/.test(c)) {
      m = /^\s+/.exec(rest)!
      toks.push({t: 'space', v: m[0], pos})
    } else if ((m = /^(\.[\p{L}_][\p{L}\p{N}_]*)+/u.exec(rest))) {
      toks.push({t: 'field', v: m[0], pos})
    } else if (c === '.' && !/[0-9]/.test(src[i + 1] ?? '')) {
      m = /^\./.exec(rest)!
      toks.push({t: 'field', v: '.', pos})
    } else if ((m = /^\$[\p{L}\p{N}_]*/u.exec(rest))) {
      toks.push({t: 'var', v: m[0], pos})
    } else if ((m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest))) {
      toks.push({t: 'string', v: m[0], pos})
    } else if ((m = /^`[^`]*`/.exec(rest))) {
      toks.push({t: 'string', v: m[0], pos})
    } else if ((m = /^'(?:[^'\\]|\\.)+'/.exec(rest))) {
      toks.push({t: 'char', v: m[0], pos})
    } else if ((m = /^[+-]?(0[xX][0-9a-fA-F_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/.exec(rest)) && m[0] !== '' && /\d/.test(m[0])) {
      toks.push({t: 'number', v: m[0], pos})
    } else if ((m = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(rest))) {
      toks.push({t: 'ident', v: m[0], pos})
    } else if (rest.startsWith(':=')) {
      m = /^:=/.exec(rest)!
      toks.push({t: ':=', v: ':=', pos})
    } else if ('()|=,'.includes(c)) {
      m = /^./.exec(rest)!
      toks.push({t: c as '(', v: c, pos})
    } else if (c === '"') {
      throw new ParseError('unterminated quoted string')
    } else {
      throw new ParseError(`unrecognized character in action: ${goRuneU(c)}`)
    }
    i += m[0].length
  }
  return toks
}

function goRuneU(r: string): string {
  return `U+${(r.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} '${r}'`
}

function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1)
  return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as string
}

class TemplateParser {
  private line = 1
  /** The start of the action being parsed: the line a parse error reports. */
  current = 0
  constructor(private readonly text: string) {}

  parse(): Node[] {
    const items = this.split()
    let pos = 0
    // An action's text after its leading spaces, and where that starts in the template.
    type Src = {src: string; base: number}
    const after = (x: Src, n: number): Src => {
      const rest = x.src.slice(n)
      const lead = rest.length - rest.trimStart().length
      return {src: rest.trim(), base: x.base + n + lead}
    }
    let rangeDepth = 0
    const parseList = (stopAt: string[]): {nodes: Node[]; stop: string; stopPipe?: Src} => {
      const nodes: Node[] = []
      while (pos < items.length) {
        const it = items[pos++]!
        if (it.kind === 'text') {
          if (it.text !== '') nodes.push({kind: 'text', text: it.text})
          continue
        }
        this.current = it.start
        const action = after({src: it.src, base: it.start}, 0)
        const src = action.src
        const word = /^[a-z]+\b/.exec(src)?.[0] ?? ''
        if (word === 'end' || word === 'else') {
          if (!stopAt.includes(word)) throw new ParseError(`unexpected {{${word}}}`)
          return {nodes, stop: word, stopPipe: after(action, word.length)}
        }
        if (word === 'if' || word === 'with' || word === 'range') {
          nodes.push(parseControl(word, after(action, word.length)))
          continue
        }
        if ((word === 'break' || word === 'continue') && src === word) {
          if (rangeDepth === 0) throw new ParseError(`{{${word}}} outside {{range}}`)
          nodes.push({kind: word})
          continue
        }
        if (word === 'define' || word === 'template' || word === 'block') {
          throw new ParseError(`{{${word}}} is not supported`)
        }
        nodes.push({kind: 'action', pipe: this.parsePipe(src, action.base)})
      }
      if (stopAt.length > 0) throw new ParseError('unexpected EOF', this.text.length)
      return {nodes, stop: ''}
    }
    const parseControl = (kind: 'if' | 'with' | 'range', pipeSrc: Src): Node => {
      const pipe = this.parsePipe(pipeSrc.src, pipeSrc.base, true)
      if (pipe.cmds.length === 0) throw new ParseError(`missing value for ${kind}`)
      if (kind === 'range') rangeDepth++
      const body = parseList(['end', 'else'])
      if (kind === 'range') rangeDepth--
      const node: Node = {kind, pipe, list: body.nodes}
      if (body.stop === 'else') {
        const elseSrc = body.stopPipe!
        const elseWord = /^[a-z]+\b/.exec(elseSrc.src)?.[0]
        if ((elseWord === 'if' && kind === 'if') || (elseWord === 'with' && kind === 'with')) {
          // `else if …` is an if nested in the else branch; it consumes the shared {{end}}.
          node.elseList = [parseControl(elseWord, after(elseSrc, elseWord.length))]
        } else {
          const rest = parseList(['end'])
          node.elseList = rest.nodes
        }
      }
      return node
    }
    return parseList([]).nodes
  }

  /** Text and action sources, with `{{-`/`-}}` trimming applied and comments dropped. */
  private split(): ({kind: 'text'; text: string} | {kind: 'action'; src: string; start: number})[] {
    const out: ({kind: 'text'; text: string} | {kind: 'action'; src: string; start: number})[] = []
    let i = 0
    let trimNext = false
    const t = this.text
    for (;;) {
      const open = t.indexOf('{{', i)
      let text = t.slice(i, open < 0 ? t.length : open)
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, '')
      if (open < 0) {
        out.push({kind: 'text', text})
        return out
      }
      let start = open + 2
      if (/^-[ \t\r\n]$/.test(t.slice(start, start + 2))) {
        text = text.replace(/[ \t\r\n]+$/, '')
        start += 2
      }
      out.push({kind: 'text', text})
      let close: number
      if (t.slice(start).trimStart().startsWith('/*')) {
        const endComment = t.indexOf('*/', start)
        if (endComment < 0) throw new ParseError('unclosed comment')
        close = t.indexOf('}}', endComment)
        const between = t.slice(endComment + 2, close)
        if (close < 0 || !/^ ?-? ?$/.test(between.replace(/\s+-$/, ' -'))) throw new ParseError('comment ends before closing delimiter')
      } else {
        this.current = open
        close = this.findClose(start)
      }
      let src = t.slice(start, close)
      trimNext = false
      if (/[ \t\r\n]-$/.test(src)) {
        src = src.slice(0, -2)
        trimNext = true
      }
      if (!src.trimStart().startsWith('/*')) out.push({kind: 'action', src, start})
      i = close + 2
    }
  }

  /** The `}}` closing an action, skipping quoted strings. */
  private findClose(from: number): number {
    const t = this.text
    for (let i = from; i < t.length; i++) {
      const c = t[i]!
      if (c === '"' || c === '`' || c === "'") {
        const end = c === '`' ? t.indexOf('`', i + 1) : findQuoteEnd(t, i)
        if (end < 0) throw new ParseError(c === '`' ? 'unterminated raw quoted string' : 'unterminated quoted string')
        i = end
        continue
      }
      if (t.startsWith('}}', i)) return i
      if (c === '\n' && !t.slice(from, i).trimStart().startsWith('/*')) {
        // Newlines are allowed inside actions since Go 1.16.
        this.line++
      }
    }
    throw new ParseError('unclosed action')
  }

  parsePipe(src: string, base: number, control = false): Pipe {
    const toks = tokenizeAction(src, base)
    let pos = 0
    const skipSpace = () => {
      while (toks[pos]?.t === 'space') pos++
    }
    const decl: string[] = []
    let assign = false
    // Declarations: `$x :=`, `$x =`, or for range `$i, $e :=`.
    const save = pos
    skipSpace()
    if (toks[pos]?.t === 'var') {
      const names = [toks[pos]!.v]
      let p = pos + 1
      while (toks[p]?.t === 'space') p++
      if (control && toks[p]?.t === ',') {
        p++
        while (toks[p]?.t === 'space') p++
        if (toks[p]?.t === 'var') {
          names.push(toks[p]!.v)
          p++
          while (toks[p]?.t === 'space') p++
        }
      }
      if (toks[p]?.t === ':=' || toks[p]?.t === '=') {
        assign = toks[p]!.t === '='
        decl.push(...names)
        pos = p + 1
      } else pos = save
    } else pos = save

    const cmds: Operand[][] = []
    const parseOperands = (inParen: boolean): Operand[][] => {
      const list: Operand[][] = []
      let cmd: Operand[] = []
      for (;;) {
        skipSpace()
        const tok = toks[pos]
        if (!tok || (inParen && tok.t === ')')) break
        if (tok.t === '|') {
          if (cmd.length === 0) throw new ParseError('missing command')
          list.push(cmd)
          cmd = []
          pos++
          continue
        }
        if (tok.t === ')') throw new ParseError(`unexpected ")" in command`)
        cmd.push(parseOperand())
        const next = toks[pos]
        if (next && next.t !== 'space' && next.t !== '|' && next.t !== ')') {
          throw new ParseError(`unexpected ${JSON.stringify(next.v)} in operand`)
        }
      }
      if (cmd.length > 0) list.push(cmd)
      return list
    }
    const chain = (): string[] => {
      if (toks[pos]?.t === 'field' && toks[pos]!.v !== '.') {
        const v = toks[pos++]!.v
        return v.slice(1).split('.')
      }
      return []
    }
    const parseOperand = (): Operand => {
      const tok = toks[pos++]!
      const at = {pos: tok.pos, src: tok.v}
      switch (tok.t) {
        case 'field': {
          if (tok.v === '.') return {...at, kind: 'dot'}
          // Go places a chain of fields at its second element.
          const second = tok.v.indexOf('.', 1)
          return {pos: second > 0 ? tok.pos + second : tok.pos, src: tok.v, kind: 'field', names: tok.v.slice(1).split('.')}
        }
        case 'var': {
          const names = chain()
          return {...at, kind: 'var', name: tok.v, names, src: tok.v + (names.length ? `.${names.join('.')}` : '')}
        }
        case 'string':
          return {...at, kind: 'const', value: unquote(tok.v)}
        case 'char':
          return {...at, kind: 'const', value: new GoInt(unquote(`"${tok.v.slice(1, -1)}"`).codePointAt(0)!)}
        case 'number': {
          const clean = tok.v.replaceAll('_', '')
          const n = Number(clean)
          if (Number.isNaN(n)) throw new ParseError(`bad number syntax: ${JSON.stringify(tok.v)}`)
          return {...at, kind: 'const', value: /^[+-]?(0[xX][0-9a-fA-F]+|\d+)$/.test(clean) ? new GoInt(n) : new GoFloat(n)}
        }
        case 'ident':
          if (tok.v === 'true' || tok.v === 'false') return {...at, kind: 'const', value: tok.v === 'true'}
          if (tok.v === 'nil') return {...at, kind: 'nil'}
          if (!(tok.v in FUNCS)) throw new ParseError(`function ${JSON.stringify(tok.v)} not defined`)
          return {...at, kind: 'ident', name: tok.v}
        case '(': {
          const start = pos
          const inner = parseOperands(true)
          if (toks[pos]?.t !== ')') throw new ParseError('unclosed left paren')
          const innerSrc = toks
            .slice(start, pos)
            .map((x) => x.v)
            .join('')
          pos++
          const names = chain()
          const src = `(${innerSrc})${names.map((n) => `.${n}`).join('')}`
          return {pos: tok.pos, src, kind: 'pipe', pipe: {decl: [], assign: false, cmds: inner, src: innerSrc}, names}
        }
        default:
          throw new ParseError(`unexpected ${JSON.stringify(tok.v)} in operand`)
      }
    }
    cmds.push(...parseOperands(false))
    if (cmds.length === 0 && !control) throw new ParseError('missing value for command')
    return {decl, assign, cmds, src}
  }
}

function findQuoteEnd(t: string, i: number): number {
  const q = t[i]
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++
    else if (t[j] === q) return j
    else if (t[j] === '\n') return -1
  }
  return -1
}

/** Parses a template; a bad one throws kubectl's `error parsing template <text>, template: output:…`. */
export function parseGoTemplate(text: string): GoTemplate {
  const parser = new TemplateParser(text)
  try {
    return {text, root: parser.parse()}
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    const line = 1 + (text.slice(0, error.pos ?? parser.current).match(/\n/g)?.length ?? 0)
    const detail = `template: output:${line}: ${error.message}`
    throw new GoTemplateError(`error parsing template ${text}, ${detail}\n`, detail)
  }
}

// ---------------------------------------------------------------------------------------------
// Values as Go sees them

const isMap = (v: Value): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoInt) && !(v instanceof GoFloat)

/** kubectl hands the template unstructured content: whole numbers are int64, others float64. */
const isInt = (v: Value): boolean => v instanceof GoInt || (typeof v === 'number' && Number.isInteger(v))
const isFloat = (v: Value): boolean => v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v))
const num = (v: Value): number => (v instanceof GoInt || v instanceof GoFloat ? v.value : (v as number))

function typeName(v: Value): string {
  if (v instanceof GoInt) return 'int'
  if (v instanceof GoFloat) return 'float64'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (Array.isArray(v)) return '[]interface {}'
  if (isMap(v)) return 'map[string]interface {}'
  return '<nil>'
}

/** fmt's %v. */
export function goValueString(v: Value): string {
  if (v === NO_VALUE) return '<no value>'
  if (v === null || v === undefined) return '<nil>'
  if (v instanceof GoInt) return String(v.value)
  if (v instanceof GoFloat) return formatGoFloat(v.value)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatGoFloat(v)
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(goValueString).join(' ')}]`
  const m = v as Record<string, unknown>
  return `map[${Object.keys(m)
    .sort(compareGoStrings)
    .map((k) => `${k}:${goValueString(m[k])}`)
    .join(' ')}]`
}

function truth(v: Value): boolean {
  if (v === NO_VALUE || v === null || v === undefined) return false
  if (v instanceof GoInt || v instanceof GoFloat) return v.value !== 0
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'string') return v !== ''
  if (typeof v === 'boolean') return v
  if (Array.isArray(v)) return v.length > 0
  return Object.keys(v as object).length > 0
}

class ExecError extends Error {}

/** Thrown by {{break}} / {{continue}} up to their range. */
class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

type BasicKind = 'bool' | 'int' | 'float' | 'string'
function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool'
  if (isInt(v)) return 'int'
  if (isFloat(v)) return 'float'
  if (typeof v === 'string') return 'string'
  throw new ExecError('invalid type for comparison')
}
const raw = (v: Value) => (v instanceof GoInt || v instanceof GoFloat ? v.value : v) as number | string | boolean

function eq(a: Value, ...bs: Value[]): boolean {
  if (bs.length === 0) throw new ExecError('missing argument for comparison')
  for (const b of bs) {
    if ((a === null || a === NO_VALUE) && (b === null || b === NO_VALUE)) return true
    const ka = basicKind(a)
    const kb = basicKind(b)
    if (ka !== kb) throw new ExecError('incompatible types for comparison')
    if (raw(a) === raw(b)) return true
  }
  return false
}

function lt(a: Value, b: Value): boolean {
  const ka = basicKind(a)
  const kb = basicKind(b)
  if (ka !== kb) throw new ExecError('incompatible types for comparison')
  if (ka === 'bool') throw new ExecError('invalid type for comparison')
  return raw(a) < raw(b)
}

function indexOf(item: Value, ...indices: Value[]): Value {
  let v = item
  for (const ix of indices) {
    if (v === null || v === NO_VALUE) throw new ExecError('index of untyped nil')
    if (Array.isArray(v) || typeof v === 'string') {
      if (!isInt(ix)) throw new ExecError(`cannot index slice/array with type ${typeName(ix)}`)
      const i = num(ix)
      if (i < 0 || i >= v.length) throw new ExecError(`index out of range: ${i}`)
      v = typeof v === 'string' ? new GoInt(Buffer.from(v)[i]!) : v[i]
    } else if (isMap(v)) {
      if (typeof ix !== 'string') throw new ExecError(`value has type ${typeName(ix)}; should be string`)
      v = Object.hasOwn(v, ix) ? v[ix] : NO_VALUE
    } else throw new ExecError(`can't index item of type ${typeName(v)}`)
  }
  return v
}

/** fmt.Sprint: a space between operands when neither side is a string. */
function sprint(args: Value[]): string {
  let out = ''
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' '
    out += goValueString(a)
  })
  return out
}

function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f]/g, '\\x7f').replace(/\\u00([01][0-9a-f])/g, (_, h: string) => {
    const named: Record<string, string> = {'07': '\\a', '0b': '\\v'}
    return named[h] ?? `\\x${h}`
  })
}

/** fmt.Sprintf for the verbs templates use. */
export function goSprintf(format: string, args: Value[]): string {
  let out = ''
  let argi = 0
  const re = /%([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])/gy
  for (let i = 0; i < format.length; ) {
    const pct = format.indexOf('%', i)
    if (pct < 0) {
      out += format.slice(i)
      break
    }
    out += format.slice(i, pct)
    re.lastIndex = pct
    const m = re.exec(format)
    if (!m) {
      out += '%!(NOVERB)'
      break
    }
    i = re.lastIndex
    const [, flags = '', widthText, precText, verb = ''] = m
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    const arg = args[argi++]
    const prec = precText === undefined ? undefined : Number(precText || '0')
    let s = formatVerb(verb, flags, prec, arg)
    const width = widthText === undefined ? 0 : Number(widthText)
    if (s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width)
      else if (flags.includes('0') && /[dfeEgGxX]/.test(verb) && typeof raw(arg) === 'number') {
        const sign = /^[+-]/.test(s) ? s[0]! : ''
        s = sign + s.slice(sign.length).padStart(width - sign.length, '0')
      } else s = s.padStart(width)
    }
    out += s
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${goValueString(a)}`).join(', ')})`
  return out
}

function formatVerb(verb: string, flags: string, prec: number | undefined, arg: Value): string {
  const bad = () => `%!${verb}(${typeName(arg)}=${goValueString(arg)})`
  const plus = (s: string, n: number) => (n >= 0 && flags.includes('+') ? `+${s}` : n >= 0 && flags.includes(' ') ? ` ${s}` : s)
  switch (verb) {
    case 'v':
      return arg === NO_VALUE ? '<nil>' : goValueString(arg)
    case 's':
      if (typeof arg === 'string') return prec === undefined ? arg : arg.slice(0, prec)
      if (Array.isArray(arg) || isMap(arg)) return goValueString(arg)
      return bad()
    case 'q':
      if (typeof arg === 'string') return goQuote(arg)
      if (isInt(arg)) return `'${String.fromCodePoint(num(arg))}'`
      return bad()
    case 't':
      return typeof arg === 'boolean' ? String(arg) : bad()
    case 'd':
      return isInt(arg) ? plus(String(num(arg)), num(arg)) : bad()
    case 'x':
    case 'X': {
      let s: string
      if (isInt(arg)) s = (num(arg) < 0 ? '-' : '') + Math.abs(num(arg)).toString(16)
      else if (typeof arg === 'string') s = Buffer.from(arg).toString('hex')
      else return bad()
      return verb === 'X' ? s.toUpperCase() : s
    }
    case 'f':
    case 'F':
    case 'e':
    case 'g': {
      if (!isFloat(arg)) return bad()
      const f = num(arg)
      if (verb === 'e') return plus(f.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'), f)
      if (verb === 'g') return plus(prec === undefined ? formatGoFloat(f) : String(Number(f.toPrecision(prec))), f)
      return plus(f.toFixed(prec ?? 6), f)
    }
    case 'c':
      return isInt(arg) ? String.fromCodePoint(num(arg)) : bad()
    default:
      return bad()
  }
}

function htmlEscape(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD'})[c]!)
}

function jsEscape(s: string): string {
  let out = ''
  for (const c of s) {
    const cp = c.codePointAt(0)!
    if (c === '\\') out += '\\\\'
    else if (c === "'") out += "\\'"
    else if (c === '"') out += '\\"'
    else if (c === '<') out += '\\u003C'
    else if (c === '>') out += '\\u003E'
    else if (c === '&') out += '\\u0026'
    else if (c === '=') out += '\\u003D'
    else if (cp < 0x20) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`
    else out += c
  }
  return out
}

/** Functions take evaluated arguments (and/or are special-cased for short-circuiting). */
const FUNCS: Record<string, (...args: Value[]) => Value> = {
  and: () => undefined,
  or: () => undefined,
  not: (a) => !truth(a),
  len: (a) => {
    if (typeof a === 'string') return new GoInt(Buffer.byteLength(a))
    if (Array.isArray(a)) return new GoInt(a.length)
    if (isMap(a)) return new GoInt(Object.keys(a).length)
    throw new ExecError(`len of type ${typeName(a)}`)
  },
  index: (item, ...ix) => indexOf(item, ...ix),
  slice: (item, ...ix) => {
    if (!Array.isArray(item) && typeof item !== 'string') throw new ExecError(`can't slice item of type ${typeName(item)}`)
    const nums = ix.map((x) => {
      if (!isInt(x)) throw new ExecError(`cannot index slice/array with type ${typeName(x)}`)
      return num(x)
    })
    const [a = 0, b = item.length] = nums
    if (a < 0 || b > item.length || a > b) throw new ExecError(`index out of range: ${a > b ? a : b}`)
    return item.slice(a, b)
  },
  print: (...a) => sprint(a),
  printf: (f, ...a) => goSprintf(String(f), a),
  println: (...a) => `${a.map(goValueString).join(' ')}\n`,
  html: (...a) => htmlEscape(sprint(a)),
  js: (...a) => jsEscape(sprint(a)),
  urlquery: (...a) => encodeURIComponent(sprint(a)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  eq: (a, ...b) => eq(a, ...b),
  ne: (a, b) => !eq(a, b),
  lt: (a, b) => lt(a, b),
  le: (a, b) => lt(a, b) || eq(a, b),
  gt: (a, b) => !lt(a, b) && !eq(a, b),
  ge: (a, b) => !lt(a, b),
  // kubectl's additions (cli-runtime printers/template.go)
  exists: (item, ...ix) => {
    try {
      const v = indexOf(item, ...ix)
      return v !== null && v !== NO_VALUE
    } catch {
      return false
    }
  },
  base64decode: (v) => {
    const s = String(v)
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
      throw new ExecError(`base64 decode failed: illegal base64 data at input byte ${firstBadBase64Byte(s)}`)
    }
    return Buffer.from(s, 'base64').toString('latin1') === '' ? '' : Buffer.from(s, 'base64').toString('utf8')
  },
}

function firstBadBase64Byte(s: string): number {
  const i = s.search(/[^A-Za-z0-9+/=]/)
  if (i >= 0) return i
  return Math.floor(s.replace(/=+$/, '').length / 4) * 4
}

// ---------------------------------------------------------------------------------------------
// Execution

class Scope {
  private readonly vars: [string, Value][]
  constructor(root: Value) {
    this.vars = [['$', root]]
  }
  mark(): number {
    return this.vars.length
  }
  pop(mark: number): void {
    this.vars.length = mark
  }
  push(name: string, v: Value): void {
    this.vars.push([name, v])
  }
  set(name: string, v: Value): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]![0] === name) {
        this.vars[i]![1] = v
        return
      }
    }
    throw new ExecError(`undefined variable: ${name}`)
  }
  get(name: string): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]![0] === name) return this.vars[i]![1]
    throw new ExecError(`undefined variable: ${name}`)
  }
}

class Executor {
  out = ''
  /** The node evaluated last, which Go names in an error. */
  at: At = {pos: 0, src: ''}
  constructor(
    private readonly scope: Scope,
    /** false: kubectl's --allow-missing-template-keys=false (Go's missingkey=error). */
    private readonly allowMissingKeys: boolean,
  ) {}

  runList(nodes: Node[], dot: Value): void {
    for (const n of nodes) this.run(n, dot)
  }

  private run(n: Node, dot: Value): void {
    switch (n.kind) {
      case 'text':
        this.out += n.text
        return
      case 'break':
      case 'continue':
        throw new LoopSignal(n.kind)
      case 'action': {
        const v = this.pipe(n.pipe, dot)
        if (n.pipe.decl.length === 0) this.out += printable(v)
        return
      }
      case 'if':
      case 'with': {
        const mark = this.scope.mark()
        const v = this.pipe(n.pipe, dot)
        if (truth(v)) this.runList(n.list, n.kind === 'with' ? v : dot)
        else if (n.elseList) this.runList(n.elseList, dot)
        this.scope.pop(mark)
        return
      }
      case 'range': {
        const mark = this.scope.mark()
        const v = this.pipe({...n.pipe, decl: []}, dot)
        let entries: [Value, Value][]
        if (Array.isArray(v)) entries = v.map((e, i) => [new GoInt(i), e])
        else if (isMap(v)) entries = Object.keys(v).sort(compareGoStrings).map((k) => [k, v[k]])
        else if (v === NO_VALUE) entries = []
        else throw new ExecError(`range can't iterate over ${goValueString(v)}`)
        for (const [k, e] of entries) {
          const inner = this.scope.mark()
          if (n.pipe.decl.length === 1) this.scope.push(n.pipe.decl[0]!, e)
          if (n.pipe.decl.length === 2) {
            this.scope.push(n.pipe.decl[0]!, k)
            this.scope.push(n.pipe.decl[1]!, e)
          }
          try {
            this.runList(n.list, e)
          } catch (signal) {
            if (!(signal instanceof LoopSignal)) throw signal
            this.scope.pop(inner)
            if (signal.kind === 'break') break
            continue
          }
          this.scope.pop(inner)
        }
        if (entries.length === 0 && n.elseList) this.runList(n.elseList, dot)
        this.scope.pop(mark)
        return
      }
    }
  }

  pipe(p: Pipe, dot: Value): Value {
    let v: Value = NO_VALUE
    let first = true
    for (const cmd of p.cmds) {
      v = this.command(cmd, dot, first ? undefined : {v})
      first = false
    }
    for (const name of p.decl) {
      if (p.assign) this.scope.set(name, v)
      else this.scope.push(name, v)
    }
    return v
  }

  private command(cmd: Operand[], dot: Value, final?: {v: Value}): Value {
    const [head, ...args] = cmd
    if (head!.kind === 'ident') {
      const name = head!.name
      if (name === 'and' || name === 'or') {
        const all = [...args.map((a) => () => this.operand(a, dot)), ...(final ? [() => final.v] : [])]
        if (all.length === 0) throw new ExecError(`wrong number of args for ${name}: want at least 1 got 0`)
        let v: Value = NO_VALUE
        for (const get of all) {
          v = get()
          if (name === 'and' ? !truth(v) : truth(v)) return v
        }
        return v
      }
      const values = args.map((a) => this.operand(a, dot))
      if (final) values.push(final.v)
      try {
        return FUNCS[name]!(...values)
      } catch (error) {
        if (!(error instanceof ExecError)) throw error
        this.at = commandAt(cmd)
        throw new ExecError(`error calling ${name}: ${error.message}`)
      }
    }
    if (args.length > 0 || final) {
      this.at = commandAt(cmd)
      const what = head!.kind === 'field' ? head!.src : goValueString(this.operand(head!, dot))
      throw new ExecError(`can't give argument to non-function ${what}`)
    }
    return this.operand(head!, dot)
  }

  private operand(o: Operand, dot: Value): Value {
    switch (o.kind) {
      case 'dot':
        return dot
      case 'const':
        return o.value
      case 'nil':
        throw new ExecError('nil is not a command')
      case 'ident':
        return FUNCS[o.name]!()
      case 'field':
        this.at = o
        return this.fields(dot, o.names)
      case 'var':
        this.at = o
        return this.fields(this.scope.get(o.name), o.names)
      case 'pipe':
        return this.fields(this.pipe(o.pipe, dot), o.names)
    }
  }

  private fields(v: Value, names: string[]): Value {
    let cur = v
    for (const name of names) {
      if (cur === NO_VALUE) return NO_VALUE
      if (cur === null) throw new ExecError(`nil pointer evaluating interface {}.${name}`)
      // Every value inside the decoded object is statically an interface {}.
      if (!isMap(cur)) throw new ExecError(`can't evaluate field ${name} in type interface {}`)
      if (!Object.hasOwn(cur, name) && !this.allowMissingKeys) throw new ExecError(`map has no entry for key ${goQuote(name)}`)
      cur = Object.hasOwn(cur, name) ? cur[name] : NO_VALUE
    }
    return cur
  }
}

function printable(v: Value): string {
  return goValueString(v)
}

/** text/template's ErrorContext: `output:line:col` (col counted in bytes from 0) and the node's text. */
function errorContext(text: string, at: At): string {
  const before = Buffer.from(text).subarray(0, at.pos).toString()
  const line = 1 + (before.match(/\n/g)?.length ?? 0)
  const col = at.pos - (before.lastIndexOf('\n') + 1)
  return `output:${line}:${col}: executing "output" at <${at.src}>`
}

/**
 * Runs a parsed template over a decoded object. A failure throws kubectl's `error executing template
 * "<text>": template: output:…`, with what kubectl writes to stdout in `output`.
 */
export function executeGoTemplate(t: GoTemplate, data: unknown, opts: {allowMissingKeys?: boolean} = {}): string {
  const ex = new Executor(new Scope(data), opts.allowMissingKeys ?? true)
  try {
    ex.runList(t.root, data)
  } catch (error) {
    if (!(error instanceof ExecError)) throw error
    const detail = `template: ${errorContext(t.text, ex.at)}: ${error.message}`
    const dump =
      `Error executing template: ${detail}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${t.text}\n` +
      `\traw data was:\n\t\t${goJsonMarshal(data)}\n` +
      `\tobject given to template engine was:\n\t\t${goValueString(data)}\n\n`
    throw new GoTemplateError(`error executing template ${goQuote(t.text)}: ${detail}\n`, detail, ex.out + dump)
  }
  return ex.out
}
