// kubectl's JSONPath dialect (client-go util/jsonpath), used by `-o jsonpath`, `-o jsonpath-file`
// and custom columns: a template of literal text and `{…}` actions, parsed once and run per object.
import {compareGoStrings} from '../api/names.js'
import {goSprint} from './table.js'

/** A parse or execution failure. `message` is what kubectl prints after `error: `; `detail` is the bare cause. */
export class JsonPathError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message)
    this.name = 'JsonPathError'
  }
}

interface SliceParam {
  known: boolean
  value: number
  /** The end of a single index `[n]`, which is n+1 and follows a negative start. */
  derived: boolean
}

export type JsonPathNode =
  | {type: 'list'; nodes: JsonPathNode[]}
  | {type: 'text'; text: string}
  | {type: 'field'; name: string}
  | {type: 'array'; params: [SliceParam, SliceParam, SliceParam]}
  | {type: 'filter'; left: JsonPathNode[]; right: JsonPathNode[]; op: string}
  | {type: 'int'; value: number}
  | {type: 'float'; value: number}
  | {type: 'bool'; value: boolean}
  | {type: 'wildcard'}
  | {type: 'recursive'}
  | {type: 'union'; lists: JsonPathNode[][]}
  | {type: 'identifier'; name: string}

export interface JsonPath {
  template: string
  /** Top level: text nodes and one list node per action. */
  nodes: JsonPathNode[]
}

// ---------------------------------------------------------------------------------------------
// Parsing

const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/
const DICT_KEY = /^'([^']*)'$/
const FILTER = /^([^!<>=]+)([!<>=~]+)(.+?)$/

const isSpace = (c: string) => c === ' ' || c === '\t'
const isEol = (c: string) => c === '\r' || c === '\n'
const isTerminator = (c: string) => c === '' || isSpace(c) || isEol(c) || '.,[]$@{}'.includes(c)
const isDigit = (c: string) => c >= '0' && c <= '9'
const isAlphaNumeric = (c: string) => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c)

class Parser {
  private pos = 0
  private start = 0
  readonly root: JsonPathNode[] = []

  constructor(private readonly input: string) {}

  private at(i = this.pos): string {
    return i < this.input.length ? this.input[i]! : ''
  }

  private consume(): string {
    const s = this.input.slice(this.start, this.pos)
    this.start = this.pos
    return s
  }

  parse(): JsonPathNode[] {
    this.parseText()
    return this.root
  }

  private parseText(): void {
    for (;;) {
      const brace = this.input.indexOf('{', this.pos)
      if (brace < 0) {
        this.pos = this.input.length
        if (this.pos > this.start) this.root.push({type: 'text', text: this.consume()})
        return
      }
      this.pos = brace
      if (this.pos > this.start) this.root.push({type: 'text', text: this.consume()})
      this.pos += 1
      this.consume()
      const list: JsonPathNode[] = []
      this.root.push({type: 'list', nodes: list})
      if (this.parseInsideAction(list)) return
    }
  }

  /** Parses up to and including the closing `}`; true at the end of the input (no more text follows). */
  private parseInsideAction(cur: JsonPathNode[]): boolean {
    for (;;) {
      const rest = this.input.slice(this.pos)
      if (rest.startsWith('}')) {
        this.pos += 1
        this.consume()
        return false
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur)
        continue
      }
      if (rest.startsWith('..')) {
        const last = cur.at(-1)
        if (last?.type === 'recursive') throw new Error('invalid multiple recursive descent')
        this.pos += 2
        this.consume()
        cur.push({type: 'recursive'})
        if (isAlphaNumeric(this.at())) this.parseField(cur)
        continue
      }
      const r = this.at()
      this.pos += r.length
      if (r === '' || isEol(r)) throw new Error('unclosed action')
      if (r === ' ' || r === '@' || r === '$') {
        this.consume()
      } else if (r === '[') {
        this.parseArray(cur)
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r)
      } else if (r === '.') {
        this.parseField(cur)
      } else if (r === '+' || r === '-' || isDigit(r)) {
        this.pos -= 1
        this.parseNumber(cur)
      } else if (isAlphaNumeric(r)) {
        this.pos -= 1
        this.parseIdentifier(cur)
      } else {
        throw new Error(`unrecognized character in action: ${goRuneU(r)}`)
      }
    }
  }

  private parseIdentifier(cur: JsonPathNode[]): void {
    while (!isTerminator(this.at())) this.pos += 1
    const value = this.consume()
    if (value === 'true' || value === 'false') cur.push({type: 'bool', value: value === 'true'})
    else cur.push({type: 'identifier', name: value})
  }

  private parseNumber(cur: JsonPathNode[]): void {
    if (this.at() === '+' || this.at() === '-') this.pos += 1
    while (this.at() === '.' || isDigit(this.at())) this.pos += 1
    const value = this.consume()
    if (/^[+-]?\d+$/.test(value)) cur.push({type: 'int', value: Number(value)})
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.push({type: 'float', value: Number(value)})
    else throw new Error(`cannot parse number ${value}`)
  }

  private parseArray(cur: JsonPathNode[]): void {
    for (;;) {
      const c = this.at()
      this.pos += 1
      if (c === '' || c === '\n') throw new Error('unterminated array')
      if (c === ']') break
    }
    let text = this.consume().slice(1, -1)
    if (text === '*') text = ':'
    const parts = text.split(',')
    if (parts.length > 1) {
      cur.push({type: 'union', lists: parts.map((s) => parseAction(`[${s.replace(/^ +| +$/g, '')}]`))})
      return
    }
    const key = DICT_KEY.exec(text)
    if (key) {
      cur.push(...parseAction(`.${key[1]}`))
      return
    }
    const m = SLICE.exec(text)
    if (!m) throw new Error(`invalid array index ${text}`)
    const params: SliceParam[] = []
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? ''
      if (v !== '') {
        if (i > 0) v = v.slice(1)
        if (i > 0 && v === '') params.push({known: false, value: 0, derived: false})
        else {
          if (!/^[+-]?\d+$/.test(v)) throw new Error(`array index ${v} is not a number`)
          params.push({known: true, value: Number(v), derived: false})
        }
      } else if (i === 1) {
        params.push({known: true, value: params[0]!.value + 1, derived: true})
      } else {
        params.push({known: false, value: 0, derived: false})
      }
    }
    cur.push({type: 'array', params: params as [SliceParam, SliceParam, SliceParam]})
  }

  private parseFilter(cur: JsonPathNode[]): void {
    this.pos += 3
    this.consume()
    let begin = false
    let end = false
    let pair = ''
    for (;;) {
      const r = this.at()
      this.pos += 1
      if (r === '' || r === '\n') throw new Error('unterminated filter')
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true
          pair = r
          continue
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true
      } else if (r === ')' && begin === end) {
        break
      }
    }
    if (this.at() !== ']') throw new Error('unclosed array expect ]')
    this.pos += 1
    const text = this.consume().slice(0, -2)
    const m = FILTER.exec(text)
    if (!m) cur.push({type: 'filter', left: parseAction(text), right: [], op: 'exists'})
    else cur.push({type: 'filter', left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]!})
  }

  private parseQuote(cur: JsonPathNode[], quote: string): void {
    for (;;) {
      const c = this.at()
      this.pos += 1
      if (c === '' || c === '\n') throw new Error('unterminated quoted string')
      if (c === quote && this.input[this.pos - 2] !== '\\') break
    }
    const value = this.consume()
    cur.push({type: 'text', text: unquoteExtended(value)})
  }

  private parseField(cur: JsonPathNode[]): void {
    this.consume()
    for (;;) {
      const c = this.at()
      if (c === '\\') {
        this.pos += 1 + this.at(this.pos + 1).length
        continue
      }
      if (isTerminator(c)) break
      this.pos += c.length
    }
    const value = this.consume()
    if (value === '*') cur.push({type: 'wildcard'})
    else cur.push({type: 'field', name: value.replaceAll('\\', '')})
  }
}

/** The nodes of one action given without its braces (union members, dict keys, filter operands). */
function parseAction(text: string): JsonPathNode[] {
  const nodes = new Parser(`{${text}}`).parse()
  const first = nodes[0]
  return first?.type === 'list' ? first.nodes : []
}

/** `%#U` of a rune: `U+0021 '!'`. */
function goRuneU(r: string): string {
  const cp = r.codePointAt(0) ?? 0
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`
}

/** strconv.Unquote, also accepting single-quoted strings of any length. */
function unquoteExtended(s: string): string {
  const quote = s[0]!
  if (s.length < 2 || s.at(-1) !== quote) throw new Error(`unquote string ${s} error invalid syntax`)
  const body = s.slice(1, -1)
  if (!body.includes('\\') && !body.includes(quote)) return body
  const simple: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\'}
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c === quote) throw new Error(`unquote string ${s} error invalid syntax`)
    if (c !== '\\') {
      out += c
      continue
    }
    const e = body[++i] ?? ''
    if (e in simple) out += simple[e]
    else if (e === quote) out += e
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(i + 1, i + 1 + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error(`unquote string ${s} error invalid syntax`)
      out += String.fromCodePoint(parseInt(hex, 16))
      i += n
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3)
      if (!/^[0-7]{3}$/.test(oct)) throw new Error(`unquote string ${s} error invalid syntax`)
      out += String.fromCharCode(parseInt(oct, 8))
      i += 2
    } else throw new Error(`unquote string ${s} error invalid syntax`)
  }
  return out
}

/** Parses a template; a bad one throws kubectl's `error parsing jsonpath <template>, <cause>`. */
export function parseJsonPath(template: string): JsonPath {
  try {
    return {template, nodes: new Parser(template).parse()}
  } catch (error) {
    const detail = (error as Error).message
    throw new JsonPathError(`error parsing jsonpath ${template}, ${detail}\n`, detail)
  }
}

/**
 * custom-columns' RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`.
 * Throws a plain Error with kubectl's text when the expression has stray braces.
 */
export function relaxedJsonPathExpression(expr: string): string {
  if (expr === '') return expr
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr)
  if (!m) {
    throw new Error(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    )
  }
  return `{.${m[1] ?? m[2]}}`
}

// ---------------------------------------------------------------------------------------------
// Execution

/** A present value; `undefined` never appears (missing keys yield no result at all). */
type Value = unknown

const isMap = (v: Value): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function goTypeName(v: Value): string {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64'
  if (Array.isArray(v)) return '[]interface {}'
  if (isMap(v)) return 'map[string]interface {}'
  return 'interface {}'
}

/** Map iteration in Go is random; sorted keys are one of its orders and keep our output stable. */
const sortedValues = (m: Record<string, unknown>) => Object.keys(m).sort(compareGoStrings).map((k) => m[k])

class Executor {
  constructor(private readonly allowMissingKeys: boolean) {}

  walk(input: Value[], node: JsonPathNode): Value[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node.nodes)
      case 'text':
        return [node.text]
      case 'int':
      case 'float':
      case 'bool':
        return input.map(() => node.value)
      case 'field':
        return this.evalField(input, node.name)
      case 'array':
        return this.evalArray(input, node.params)
      case 'filter':
        return this.evalFilter(input, node)
      case 'wildcard':
        return input.flatMap((v) => children(v))
      case 'recursive':
        return this.evalRecursive(input)
      case 'union':
        return node.lists.flatMap((l) => this.evalList(input, l))
      case 'identifier':
        // range and end are handled by the caller; anything else is not a keyword.
        if (node.name === 'range') return input
        if (node.name === 'end') throw new Error('not in range, nothing to end')
        throw new Error(`unrecognized identifier ${node.name}`)
    }
  }

  evalList(input: Value[], nodes: JsonPathNode[]): Value[] {
    let cur = input
    for (const n of nodes) cur = this.walk(cur, n)
    return cur
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return []
    const out: Value[] = []
    for (const v of input) {
      if (isMap(v) && Object.hasOwn(v, name)) out.push(v[name])
    }
    if (out.length === 0 && !this.allowMissingKeys) throw new Error(`${name} is not found`)
    return out
  }

  private evalArray(input: Value[], params: [SliceParam, SliceParam, SliceParam]): Value[] {
    const out: Value[] = []
    for (const v of input) {
      if (v === null) continue
      if (!Array.isArray(v)) throw new Error(`${goTypeName(v)} is not array or slice`)
      const len = v.length
      let start = params[0].known ? params[0].value : 0
      if (start < 0) start += len
      let end = params[1].known ? params[1].value : len
      if (end < 0 || (end === 0 && params[1].derived)) end += len
      if (end === start) return out
      if (start >= len || start < 0) throw new Error(`array index out of bounds: index ${start}, length ${len}`)
      if (end > len || end < 0) throw new Error(`array index out of bounds: index ${end - 1}, length ${len}`)
      if (start > end) throw new Error(`starting index ${start} is greater than ending index ${end}`)
      let step = 1
      if (params[2].known) {
        if (params[2].value <= 0) throw new Error('step must be > 0')
        step = params[2].value
      }
      for (let i = start; i < end; i += step) out.push(v[i])
    }
    return out
  }

  private evalRecursive(input: Value[]): Value[] {
    const out: Value[] = []
    for (const v of input) {
      const kids = children(v)
      if (kids.length > 0) out.push(v, ...this.evalRecursive(kids))
    }
    return out
  }

  private evalFilter(input: Value[], node: Extract<JsonPathNode, {type: 'filter'}>): Value[] {
    const out: Value[] = []
    for (const v of input) {
      if (!Array.isArray(v)) throw new Error(`${goSprint(v)} is not array or slice and cannot be filtered`)
      for (const item of v) {
        if (node.op === 'exists') {
          let lefts: Value[] = []
          try {
            lefts = this.evalList([item], node.left)
          } catch {
            lefts = []
          }
          if (lefts.length > 0) out.push(item)
          continue
        }
        const lefts = this.evalList([item], node.left)
        if (lefts.length === 0) continue
        if (lefts.length > 1) throw new Error('can only compare one element at a time')
        const rights = this.evalList([item], node.right)
        if (rights.length === 0) continue
        if (rights.length > 1) throw new Error('can only compare one element at a time')
        if (compare(lefts[0], rights[0], node.op)) out.push(item)
      }
    }
    return out
  }
}

function children(v: Value): Value[] {
  if (Array.isArray(v)) return v
  if (isMap(v)) return sortedValues(v)
  if (typeof v === 'string') return [...Buffer.from(v, 'utf8')]
  return []
}

type BasicKind = 'bool' | 'int' | 'float' | 'string'

function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'string'
  throw new Error('invalid type for comparison')
}

/** The forked text/template comparisons: same basic kinds only, bools only for equality. */
function compare(a: Value, b: Value, op: string): boolean {
  if (op === '=~') {
    if (typeof a !== 'string' || typeof b !== 'string') {
      throw new Error(`regexp search only support string now but getting pattern: ${goSprint(b)}, data: ${goSprint(a)}`)
    }
    return new RegExp(b).test(a)
  }
  let ka = basicKind(a)
  let kb = basicKind(b)
  // An integer-valued float decodes as int64 in kubectl's unstructured objects: treat mixes as numbers.
  if ((ka === 'int' && kb === 'float') || (ka === 'float' && kb === 'int')) ka = kb = 'float'
  if (ka !== kb) throw new Error('incompatible types for comparison')
  switch (op) {
    case '==':
      return a === b
    case '!=':
      return a !== b
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (ka === 'bool') throw new Error('invalid type for comparison')
      const x = a as number | string
      const y = b as number | string
      if (op === '<') return x < y
      if (op === '>') return x > y
      if (op === '<=') return x <= y
      return x >= y
    }
    default:
      throw new Error(`unrecognized filter operator ${op}`)
  }
}

/** encoding/json's Marshal of a decoded value: sorted keys, HTML-safe escapes. */
export function goJsonMarshal(v: Value): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  }
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`
  const m = v as Record<string, unknown>
  return `{${Object.keys(m)
    .sort(compareGoStrings)
    .map((k) => `${goJsonMarshal(k)}:${goJsonMarshal(m[k])}`)
    .join(',')}}`
}

/** One result as PrintResults writes it: maps and lists as JSON, the rest with fmt.Fprint. */
function resultText(v: Value): string {
  if (Array.isArray(v) || isMap(v)) return goJsonMarshal(v)
  return goSprint(v)
}

/** A range's body: the nodes up to its matching `{end}` (or the end of the template). */
function rangeBody(nodes: JsonPathNode[], from: number): {body: JsonPathNode[]; next: number} {
  let depth = 0
  for (let i = from; i < nodes.length; i++) {
    const n = nodes[i]!
    if (n.type !== 'list') continue
    const first = n.nodes[0]
    if (first?.type === 'identifier' && first.name === 'range') depth++
    if (first?.type === 'identifier' && first.name === 'end') {
      if (depth === 0) return {body: nodes.slice(from, i), next: i + 1}
      depth--
    }
  }
  return {body: nodes.slice(from), next: nodes.length}
}

function isKeyword(n: JsonPathNode, name: string): boolean {
  return n.type === 'list' && n.nodes[0]?.type === 'identifier' && n.nodes[0].name === name
}

function run(ex: Executor, nodes: JsonPathNode[], data: Value, out: string[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!
    const results = ex.walk([data], node)
    if (isKeyword(node, 'range')) {
      const {body, next} = rangeBody(nodes, i + 1)
      if (results.length === 0) run(ex, body, null, [])
      for (const r of results) run(ex, body, r, out)
      i = next - 1
      continue
    }
    out.push(results.map(resultText).join(' '))
  }
}

/**
 * Runs a parsed template over a decoded object. With missing keys not allowed, a missing field throws
 * kubectl's `error executing jsonpath …` (whose debugging dump of the object is Go's %#v).
 */
export function executeJsonPath(p: JsonPath, data: unknown, opts: {allowMissingKeys?: boolean} = {}): string {
  const out: string[] = []
  try {
    run(new Executor(opts.allowMissingKeys ?? false), p.nodes, data, out)
  } catch (error) {
    const detail = (error as Error).message
    const dump =
      `Error executing template: ${detail}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${p.template}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n`
    // kubectl ends this message with one more newline than the dump has.
    throw new JsonPathError(`error executing jsonpath ${goQuote(p.template)}: ${dump}\n`, detail)
  }
  return out.join('')
}

/** The results of each top-level node, as custom columns read them (FindResults). */
export function findJsonPathResults(p: JsonPath, data: unknown, opts: {allowMissingKeys?: boolean} = {}): unknown[][] {
  const ex = new Executor(opts.allowMissingKeys ?? false)
  const all: unknown[][] = []
  const collect = (nodes: JsonPathNode[], d: Value) => {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!
      const results = ex.walk([d], node)
      if (isKeyword(node, 'range')) {
        const {body, next} = rangeBody(nodes, i + 1)
        for (const r of results) collect(body, r)
        i = next - 1
        continue
      }
      all.push(results)
    }
  }
  collect(p.nodes, data)
  return all
}

/** strconv.Quote for the printable ASCII-and-Unicode texts templates are made of. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (ch === '"' || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\x07') out += '\\a'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (ch === '\v') out += '\\v'
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** fmt's %#v of a decoded JSON value (map[string]interface {}{…}, with sorted keys). */
export function goSharpV(v: Value, top = true): string {
  if (v === null || v === undefined) return top ? '<nil>' : 'interface {}(nil)'
  if (typeof v === 'string') return goQuote(v)
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goSprint(v)
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSharpV(x, false)).join(', ')}}`
  const m = v as Record<string, unknown>
  return `map[string]interface {}{${Object.keys(m)
    .sort(compareGoStrings)
    .map((k) => `${goQuote(k)}:${goSharpV(m[k], false)}`)
    .join(', ')}}`
}
