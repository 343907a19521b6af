// The part of client-go's JSONPath that CRD printer columns use: field steps, quoted keys, indexes,
// slices, wildcards, recursive descent and `[?(@.x == "y")]` filters, with missing keys allowed.

export class JsonPathError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JsonPathError'
  }
}

type Literal = string | number | boolean | null

type FilterOperand = {kind: 'path'; steps: Step[]} | {kind: 'literal'; value: Literal}

type Step =
  | {kind: 'field'; name: string}
  | {kind: 'wildcard'}
  | {kind: 'recursive'}
  | {kind: 'index'; index: number}
  | {kind: 'slice'; start?: number; end?: number; step?: number}
  | {kind: 'union'; keys: (string | number)[]}
  | {kind: 'filter'; left: FilterOperand; op: string; right?: FilterOperand}

export interface CompiledJsonPath {
  readonly source: string
  readonly steps: readonly Step[]
}

/** Parses `.spec.x` or `{.spec.x}`; throws JsonPathError where client-go's parser would fail. */
export function compileJsonPath(source: string): CompiledJsonPath {
  let text = source.trim()
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim()
  const parser = new Parser(text)
  const steps = parser.steps(false)
  if (!parser.done()) throw new JsonPathError(`unrecognized character in action: ${parser.rest()}`)
  return {source, steps}
}

class Parser {
  private pos = 0
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.pos >= this.text.length
  }

  rest(): string {
    return this.text.slice(this.pos)
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? ''
  }

  /** Steps until the end, or (inside a filter) until an operator or the closing parenthesis. */
  steps(inFilter: boolean): Step[] {
    const steps: Step[] = []
    if (this.peek() === '$' || this.peek() === '@') this.pos++
    while (!this.done()) {
      const c = this.peek()
      if (c === '.') {
        if (this.peek(1) === '.') {
          this.pos += 2
          steps.push({kind: 'recursive'})
          if (this.peek() === '[') continue
          steps.push(this.fieldOrWildcard())
          continue
        }
        this.pos++
        if (this.done()) break
        steps.push(this.fieldOrWildcard())
      } else if (c === '[') {
        steps.push(this.bracket())
      } else if (inFilter) {
        break
      } else {
        throw new JsonPathError(`unrecognized character in action: ${this.rest()}`)
      }
    }
    return steps
  }

  private fieldOrWildcard(): Step {
    if (this.peek() === '*') {
      this.pos++
      return {kind: 'wildcard'}
    }
    let name = ''
    while (!this.done()) {
      const c = this.peek()
      if (c === '\\' && this.peek(1) !== '') {
        // `\.` keeps a dot inside a key such as `metadata.labels.app\.kubernetes\.io/name`.
        name += this.peek(1)
        this.pos += 2
        continue
      }
      if (c === '.' || c === '[' || c === ' ' || c === ')' || c === '=' || c === '!' || c === '<' || c === '>') break
      name += c
      this.pos++
    }
    if (name === '') throw new JsonPathError(`invalid field name at: ${this.rest()}`)
    return {kind: 'field', name}
  }

  private bracket(): Step {
    const close = this.findClose()
    const inner = this.text.slice(this.pos + 1, close).trim()
    this.pos = close + 1
    if (inner === '*') return {kind: 'wildcard'}
    if (inner.startsWith('?(') && inner.endsWith(')')) return parseFilter(inner.slice(2, -1))
    const parts = splitTopLevel(inner, ',')
    if (parts.length > 1) return {kind: 'union', keys: parts.map(parseKey)}
    const only = parts[0] ?? ''
    if (isQuoted(only)) return {kind: 'field', name: unquote(only)}
    if (only.includes(':')) {
      const [a, b, s] = only.split(':').map((x) => x.trim())
      return {kind: 'slice', start: optInt(a), end: optInt(b), step: optInt(s)}
    }
    return {kind: 'index', index: parseIntStrict(only)}
  }

  /** The matching `]`, skipping quoted text and nested brackets. */
  private findClose(): number {
    let depth = 0
    let quote = ''
    for (let i = this.pos; i < this.text.length; i++) {
      const c = this.text[i]!
      if (quote !== '') {
        if (c === '\\') i++
        else if (c === quote) quote = ''
        continue
      }
      if (c === "'" || c === '"') quote = c
      else if (c === '[') depth++
      else if (c === ']' && --depth === 0) return i
    }
    throw new JsonPathError('unclosed array expect ]')
  }
}

function isQuoted(s: string): boolean {
  return s.length >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"')))
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, '$1')
}

function parseIntStrict(s: string): number {
  if (!/^-?\d+$/.test(s)) throw new JsonPathError(`invalid array index ${s}`)
  return Number(s)
}

function optInt(s: string | undefined): number | undefined {
  return s === undefined || s === '' ? undefined : parseIntStrict(s)
}

function parseKey(s: string): string | number {
  return isQuoted(s) ? unquote(s) : parseIntStrict(s)
}

function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = []
  let quote = ''
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quote !== '') {
      if (c === '\\') i++
      else if (c === quote) quote = ''
    } else if (c === "'" || c === '"') quote = c
    else if (c === sep) {
      out.push(s.slice(start, i).trim())
      start = i + 1
    }
  }
  out.push(s.slice(start).trim())
  return out
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>']

function parseFilter(expr: string): Step {
  const text = expr.trim()
  let opAt = -1
  let op = ''
  let quote = ''
  for (let i = 0; i < text.length && opAt < 0; i++) {
    const c = text[i]!
    if (quote !== '') {
      if (c === '\\') i++
      else if (c === quote) quote = ''
      continue
    }
    if (c === "'" || c === '"') {
      quote = c
      continue
    }
    for (const candidate of OPERATORS) {
      if (text.startsWith(candidate, i)) {
        opAt = i
        op = candidate
        break
      }
    }
  }
  if (opAt < 0) return {kind: 'filter', left: parseOperand(text), op: 'exists'}
  return {kind: 'filter', left: parseOperand(text.slice(0, opAt)), op, right: parseOperand(text.slice(opAt + op.length))}
}

function parseOperand(s: string): FilterOperand {
  const t = s.trim()
  if (t.startsWith('@') || t.startsWith('.') || t.startsWith('$')) {
    const p = new Parser(t)
    const steps = p.steps(true)
    if (!p.done()) throw new JsonPathError(`unrecognized filter operand: ${t}`)
    return {kind: 'path', steps}
  }
  if (isQuoted(t)) return {kind: 'literal', value: unquote(t)}
  if (t === 'true' || t === 'false') return {kind: 'literal', value: t === 'true'}
  if (t === 'null') return {kind: 'literal', value: null}
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return {kind: 'literal', value: Number(t)}
  throw new JsonPathError(`unrecognized filter operand: ${t}`)
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Map values in key order, so that wildcards are deterministic. */
function childrenOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (isRecord(v)) return Object.keys(v).sort().map((k) => v[k])
  return []
}

function descendants(v: unknown): unknown[] {
  const out: unknown[] = [v]
  for (const c of childrenOf(v)) out.push(...descendants(c))
  return out
}

function normalizeIndex(i: number, length: number): number {
  return i < 0 ? i + length : i
}

function applyStep(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = []
  for (const v of values) {
    switch (step.kind) {
      case 'field':
        // A missing key yields nothing (AllowMissingKeys); a present null is still a result.
        if (isRecord(v) && Object.prototype.hasOwnProperty.call(v, step.name)) out.push(v[step.name])
        break
      case 'wildcard':
        out.push(...childrenOf(v))
        break
      case 'recursive':
        out.push(...descendants(v))
        break
      case 'index':
        if (Array.isArray(v)) {
          const i = normalizeIndex(step.index, v.length)
          if (i >= 0 && i < v.length) out.push(v[i])
        }
        break
      case 'slice':
        if (Array.isArray(v)) {
          const stride = step.step ?? 1
          if (stride <= 0) throw new JsonPathError('step must be > 0')
          const start = Math.max(0, Math.min(v.length, normalizeIndex(step.start ?? 0, v.length)))
          const end = Math.max(0, Math.min(v.length, normalizeIndex(step.end ?? v.length, v.length)))
          for (let i = start; i < end; i += stride) out.push(v[i])
        }
        break
      case 'union':
        for (const key of step.keys) {
          if (typeof key === 'number' && Array.isArray(v)) {
            const i = normalizeIndex(key, v.length)
            if (i >= 0 && i < v.length) out.push(v[i])
          } else if (typeof key === 'string' && isRecord(v) && Object.prototype.hasOwnProperty.call(v, key)) {
            out.push(v[key])
          }
        }
        break
      case 'filter':
        for (const item of Array.isArray(v) ? v : []) if (filterPasses(item, step)) out.push(item)
        break
    }
  }
  return out
}

function operandValues(item: unknown, operand: FilterOperand): unknown[] {
  if (operand.kind === 'literal') return [operand.value]
  return operand.steps.reduce<unknown[]>((acc, s) => applyStep(acc, s), [item])
}

function filterPasses(item: unknown, step: Extract<Step, {kind: 'filter'}>): boolean {
  const lefts = operandValues(item, step.left)
  if (lefts.length === 0) return false
  if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time')
  if (step.op === 'exists' || !step.right) return true
  const rights = operandValues(item, step.right)
  if (rights.length === 0) return false
  if (rights.length > 1) throw new JsonPathError('can only compare one element at a time')
  return compare(lefts[0], step.op, rights[0])
}

/** text/template's comparisons: like kinds only (numbers with numbers, strings with strings). */
function compare(a: unknown, op: string, b: unknown): boolean {
  if (op === '==' || op === '!=') {
    if (typeof a !== typeof b || (a === null) !== (b === null)) {
      throw new JsonPathError('incompatible types for comparison')
    }
    return op === '==' ? a === b : a !== b
  }
  const ordered = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')
  if (!ordered) throw new JsonPathError('invalid type for comparison')
  const x = a as number | string
  const y = b as number | string
  switch (op) {
    case '<':
      return x < y
    case '>':
      return x > y
    case '<=':
      return x <= y
    default:
      return x >= y
  }
}

/** Every value the path selects in `data`, in document order; [] when a key is missing. */
export function findResults(path: CompiledJsonPath, data: unknown): unknown[] {
  return path.steps.reduce<unknown[]>((acc, step) => applyStep(acc, step), [data])
}
