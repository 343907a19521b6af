// A fast path for the YAML most manifests are written in: block mappings and sequences, one-line
// plain, quoted and flow values, and literal/folded block scalars. Anything else (anchors, tags,
// multi-line plain or quoted scalars, multi-line flow, odd indentation, errors) makes it give up,
// and js-yaml parses the document instead, so results and error messages never depend on it.
import {resolved, resolvePlainScalar, ScalarKind} from './scalars.js'

class GiveUp {}
const GIVE_UP = new GiveUp()
function giveUp(): never {
  throw GIVE_UP
}

const SPACE = 0x20
const TAB = 0x09
const NL = 0x0a
const HASH = 0x23
const COLON = 0x3a
const DASH = 0x2d
const DQUOTE = 0x22
const SQUOTE = 0x27
const BACKSLASH = 0x5c
const COMMA = 0x2c
const LBRACKET = 0x5b
const RBRACKET = 0x5d
const LBRACE = 0x7b
const RBRACE = 0x7d
const PIPE = 0x7c
const GT = 0x3e

// Characters that cannot start a plain scalar here (YAML's indicators, plus `-?:`, which are only
// safe before a non-space; the fast path leaves those cases to js-yaml too).
const NOT_PLAIN_START = new Uint8Array(128)
for (const ch of '-?:,[]{}#&*!|>\'"%@`\t ') NOT_PLAIN_START[ch.charCodeAt(0)] = 1
// Characters that end a plain scalar inside a flow collection.
const FLOW_STOP = new Uint8Array(128)
for (const ch of ',[]{}:#') FLOW_STOP[ch.charCodeAt(0)] = 1

// What js-yaml rejects as non-printable; such input is always left to js-yaml.
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0D\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]/

const MAX_IMPLICIT_KEY = 1024
// Deeper documents go to js-yaml, which enforces the reader's nesting limit with a proper error.
const MAX_DEPTH = 200

export interface FastResult {
  value: unknown
  nonFinite: boolean
}

/** The document's value, or undefined when the fast path does not handle this document. */
export function fastLoad(text: string, strictKeys: boolean): FastResult | undefined {
  if (NON_PRINTABLE.test(text)) return undefined
  const parser = new FastYaml(text, strictKeys)
  try {
    return {value: parser.document(), nonFinite: parser.nonFinite}
  } catch (err) {
    if (err === GIVE_UP) return undefined
    throw err
  }
}

class FastYaml {
  nonFinite = false
  // The current content line: its start, first non-space character, end (the '\n' or the text's
  // end) and indentation. `start` is -1 past the last line. For the first entry of a mapping
  // written after `- `, `content` and `indent` point at that entry rather than at the dash.
  private start = -1
  private content = 0
  private end = 0
  private indent = 0
  private depth = 0

  constructor(
    private readonly t: string,
    private readonly strictKeys: boolean,
  ) {}

  document(): unknown {
    this.seek(0)
    if (this.start < 0) giveUp()
    const value = this.blockNode()
    if (this.start >= 0) giveUp()
    return value
  }

  /** Moves to the first line at or after `p` that is neither blank nor a comment. */
  private seek(p: number): void {
    const t = this.t
    const n = t.length
    while (p < n) {
      let e = t.indexOf('\n', p)
      if (e < 0) e = n
      let i = p
      while (i < e && t.charCodeAt(i) === SPACE) i++
      if (i < e) {
        const c = t.charCodeAt(i)
        if (c === TAB) giveUp()
        if (c !== HASH) {
          this.start = p
          this.content = i
          this.end = e
          this.indent = i - p
          return
        }
      }
      p = e + 1
    }
    this.start = -1
  }

  private next(): void {
    this.seek(this.end + 1)
  }

  private isEntry(i: number): boolean {
    if (this.t.charCodeAt(i) !== DASH) return false
    if (i + 1 >= this.end) return true
    const c = this.t.charCodeAt(i + 1)
    if (c === TAB) giveUp()
    return c === SPACE
  }

  private blockNode(): unknown {
    if (++this.depth > MAX_DEPTH) giveUp()
    const node = this.isEntry(this.content) ? this.sequence(this.indent) : this.mapping(this.indent)
    this.depth--
    return node
  }

  private mapping(indent: number): Record<string, unknown> {
    const t = this.t
    const map: Record<string, unknown> = {}
    for (;;) {
      const colon = this.keyColon(this.content)
      if (colon < 0) giveUp()
      const key = this.keyText(this.content, colon)
      let p = colon + 1
      while (p < this.end && t.charCodeAt(p) === SPACE) p++
      let value: unknown
      if (p >= this.end || t.charCodeAt(p) === HASH) {
        this.next()
        value = this.nested(indent, true)
      } else {
        value = this.inlineValue(p, indent)
      }
      // js-yaml reports a repeated key when strict, and otherwise keeps the last value, as here.
      if (this.strictKeys && Object.prototype.hasOwnProperty.call(map, key)) giveUp()
      setProperty(map, key, value)
      if (this.start < 0 || this.indent < indent) return map
      if (this.indent > indent || this.isEntry(this.content)) giveUp()
    }
  }

  private sequence(indent: number): unknown[] {
    const t = this.t
    const list: unknown[] = []
    for (;;) {
      let p = this.content + 1
      while (p < this.end && t.charCodeAt(p) === SPACE) p++
      if (p >= this.end || t.charCodeAt(p) === HASH) {
        this.next()
        list.push(this.nested(indent, false))
      } else if (this.isEntry(p)) {
        giveUp()
      } else if (this.keyColon(p) >= 0) {
        // `- name: x`: a mapping whose entries line up with the first key.
        this.content = p
        this.indent = p - this.start
        list.push(this.mapping(this.indent))
      } else {
        list.push(this.inlineValue(p, indent))
      }
      if (this.start < 0 || this.indent < indent) return list
      if (this.indent > indent) giveUp()
      // Same indentation but not an entry: the mapping this sequence is the value of goes on.
      if (!this.isEntry(this.content)) return list
    }
  }

  /** The value after `key:` or `-` with nothing else on the line. */
  private nested(indent: number, inMapping: boolean): unknown {
    if (this.start < 0) return null
    if (this.indent > indent) return this.blockNode()
    // Kubernetes style: a sequence under a key at the key's own indentation.
    if (inMapping && this.indent === indent && this.isEntry(this.content)) return this.sequence(indent)
    return null
  }

  /** Index of the `:` ending an implicit key that starts at `p`, or -1 when the line is no `key:`. */
  private keyColon(p: number): number {
    const t = this.t
    const c = t.charCodeAt(p)
    let i: number
    if (c === DQUOTE || c === SQUOTE) {
      i = c === DQUOTE ? this.skipDoubleQuoted(p) : this.skipSingleQuoted(p)
      while (i < this.end && t.charCodeAt(i) === SPACE) i++
      if (t.charCodeAt(i) !== COLON) return -1
    } else {
      if (c < 128 && NOT_PLAIN_START[c] === 1) return -1
      // The first `: ` (or `:` at the end) is the key's end, unless a comment starts first.
      for (i = p + 1; ; i++) {
        if (i >= this.end) return -1
        const d = t.charCodeAt(i)
        if (d === COLON) {
          const after = i + 1 < this.end ? t.charCodeAt(i + 1) : SPACE
          if (after === SPACE) break
          if (after === TAB) giveUp()
        } else if (d === HASH && t.charCodeAt(i - 1) === SPACE) {
          return -1
        }
      }
    }
    const after = i + 1 < this.end ? t.charCodeAt(i + 1) : SPACE
    if (after !== SPACE) {
      if (after === TAB) giveUp()
      return -1
    }
    return i
  }

  private keyText(p: number, colon: number): string {
    const t = this.t
    const c = t.charCodeAt(p)
    if (c === DQUOTE) return this.doubleQuoted(p).text
    if (c === SQUOTE) return this.singleQuoted(p).text
    let e = colon
    while (e > p && t.charCodeAt(e - 1) === SPACE) e--
    if (e - p > MAX_IMPLICIT_KEY) giveUp()
    const raw = t.slice(p, e)
    if (raw === '<<' || raw.includes('\t')) giveUp()
    // js-yaml, like kubectl, turns keys such as `yes` or `0644` into "true" and "420".
    return resolvePlainScalar(raw) ? String(this.note(resolved.value)) : raw
  }

  /** A value that starts on the current line at `p` (after `key: ` or `- `); moves past it. */
  private inlineValue(p: number, indent: number): unknown {
    const t = this.t
    const c = t.charCodeAt(p)
    if (c === DQUOTE || c === SQUOTE) {
      const q = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p)
      this.endOfLine(q.end)
      this.next()
      return q.text
    }
    if (c === PIPE || c === GT) return this.blockScalar(p, indent)
    if (c === LBRACKET || c === LBRACE) {
      const f = this.flow(p)
      this.endOfLine(f.end)
      this.next()
      return f.value
    }
    if (c < 128 && NOT_PLAIN_START[c] === 1 && !(c === DASH && !this.isEntry(p))) giveUp()
    // A one-line plain scalar: up to a comment, without `: ` (an error) or tabs inside.
    let e = p + 1
    for (; e < this.end; e++) {
      const d = t.charCodeAt(e)
      if (d === SPACE) {
        if (t.charCodeAt(e + 1) === HASH) break
      } else if (d === COLON) {
        if (e + 1 >= this.end || t.charCodeAt(e + 1) === SPACE) giveUp()
      } else if (d === TAB) {
        giveUp()
      }
    }
    while (e > p && t.charCodeAt(e - 1) === SPACE) e--
    if (t.charCodeAt(e - 1) === COLON) giveUp()
    const raw = t.slice(p, e)
    this.next()
    return resolvePlainScalar(raw) ? this.note(resolved.value) : raw
  }

  private note(value: unknown): unknown {
    if (resolved.kind === ScalarKind.Float && !Number.isFinite(value as number)) this.nonFinite = true
    return value
  }

  /** Only blanks and a comment may follow a quoted or flow value on its line. */
  private endOfLine(i: number): void {
    const t = this.t
    const from = i
    while (i < this.end && t.charCodeAt(i) === SPACE) i++
    if (i >= this.end) return
    if (t.charCodeAt(i) === HASH && i > from) return
    giveUp()
  }

  private skipDoubleQuoted(p: number): number {
    const t = this.t
    for (let i = p + 1; i < this.end; i++) {
      const c = t.charCodeAt(i)
      if (c === BACKSLASH) i++
      else if (c === DQUOTE) return i + 1
    }
    return giveUp()
  }

  private skipSingleQuoted(p: number): number {
    const t = this.t
    for (let i = p + 1; i < this.end; i++) {
      if (t.charCodeAt(i) === SQUOTE) {
        if (t.charCodeAt(i + 1) === SQUOTE) i++
        else return i + 1
      }
    }
    return giveUp()
  }

  private singleQuoted(p: number): {text: string; end: number} {
    const end = this.skipSingleQuoted(p)
    const body = this.t.slice(p + 1, end - 1)
    return {text: body.includes("''") ? body.replaceAll("''", "'") : body, end}
  }

  private doubleQuoted(p: number): {text: string; end: number} {
    const t = this.t
    let out = ''
    let from = p + 1
    for (let i = p + 1; i < this.end; i++) {
      const c = t.charCodeAt(i)
      if (c === DQUOTE) return {text: out + t.slice(from, i), end: i + 1}
      if (c !== BACKSLASH) continue
      out += t.slice(from, i)
      const escape = unescape(t, i + 1, this.end)
      out += escape.text
      i = escape.next - 1
      from = escape.next
    }
    return giveUp()
  }

  private blockScalar(p: number, parentIndent: number): string {
    const t = this.t
    const folded = t.charCodeAt(p) === GT
    let i = p + 1
    let chomp = 0
    const indicator = t.charCodeAt(i)
    if (indicator === DASH) {
      chomp = -1
      i++
    } else if (indicator === 0x2b) {
      chomp = 1
      i++
    }
    const header = i
    while (i < this.end && t.charCodeAt(i) === SPACE) i++
    if (i < this.end && !(t.charCodeAt(i) === HASH && i > header)) giveUp()

    const n = t.length
    const lines: string[] = []
    let indent = -1
    let lastContent = -1
    let leadingSpaces = 0
    let pos = this.end + 1
    while (pos < n) {
      let e = t.indexOf('\n', pos)
      // Without a final line break chomping has special cases; leave those to js-yaml.
      if (e < 0) e = n
      const unterminated = e === n
      let s = pos
      while (s < e && t.charCodeAt(s) === SPACE) s++
      if (s === e) {
        if (unterminated) giveUp()
        if (indent < 0) leadingSpaces = Math.max(leadingSpaces, e - pos)
        else if (e - pos > indent) giveUp()
        lines.push('')
        pos = e + 1
        continue
      }
      const column = s - pos
      if (indent < 0) {
        if (column <= parentIndent) break
        if (leadingSpaces > column) giveUp()
        indent = column
      }
      if (column < indent) break
      if (unterminated) giveUp()
      const line = t.slice(pos + indent, e)
      if (folded && column > indent) giveUp()
      if (t.charCodeAt(s) === TAB) giveUp()
      lines.push(line)
      lastContent = lines.length - 1
      pos = e + 1
    }
    if (lastContent < 0) giveUp()
    this.seek(pos)

    let body: string
    if (folded) {
      body = ''
      let empties = 0
      let started = false
      for (let k = 0; k <= lastContent; k++) {
        const line = lines[k]
        if (line === '') {
          empties++
          continue
        }
        if (started) body += empties === 0 ? ' ' : '\n'.repeat(empties)
        else body += '\n'.repeat(empties)
        body += line
        started = true
        empties = 0
      }
    } else {
      body = lastContent === lines.length - 1 ? lines.join('\n') : lines.slice(0, lastContent + 1).join('\n')
    }
    if (chomp < 0) return body
    if (chomp === 0) return body + '\n'
    return body + '\n'.repeat(lines.length - lastContent)
  }

  /** A flow collection that opens and closes on the current line. */
  private flow(p: number): {value: unknown; end: number} {
    if (++this.depth > MAX_DEPTH) giveUp()
    const t = this.t
    const open = t.charCodeAt(p)
    let i = this.skipBlanks(p + 1)
    if (open === LBRACKET) {
      const list: unknown[] = []
      for (;;) {
        if (t.charCodeAt(i) === RBRACKET) {
          this.depth--
          return {value: list, end: i + 1}
        }
        const item = this.flowScalarOrCollection(i)
        i = this.skipBlanks(item.end)
        if (t.charCodeAt(i) === COLON) giveUp()
        list.push(item.value)
        const c = t.charCodeAt(i)
        if (c === COMMA) i = this.skipBlanks(i + 1)
        else if (c !== RBRACKET) giveUp()
      }
    }
    const map: Record<string, unknown> = {}
    for (;;) {
      if (t.charCodeAt(i) === RBRACE) {
        this.depth--
        return {value: map, end: i + 1}
      }
      const keyStart = t.charCodeAt(i)
      const keyNode = this.flowScalarOrCollection(i)
      if (typeof keyNode.value === 'object' && keyNode.value !== null) giveUp()
      const quotedKey = keyStart === DQUOTE || keyStart === SQUOTE
      i = this.skipBlanks(keyNode.end)
      if (t.charCodeAt(i) !== COLON) giveUp()
      const after = t.charCodeAt(i + 1)
      // After a plain key the colon needs a space; JSON-style `"a":1` is fine after a quoted key.
      if (!quotedKey && after !== SPACE) giveUp()
      i = this.skipBlanks(i + 1)
      let value: unknown = null
      const c = t.charCodeAt(i)
      if (c !== COMMA && c !== RBRACE) {
        const v = this.flowScalarOrCollection(i)
        value = v.value
        i = this.skipBlanks(v.end)
      }
      const key = String(keyNode.value)
      if (Object.prototype.hasOwnProperty.call(map, key) && this.strictKeys) giveUp()
      setProperty(map, key, value)
      const next = t.charCodeAt(i)
      if (next === COMMA) i = this.skipBlanks(i + 1)
      else if (next !== RBRACE) giveUp()
    }
  }

  private skipBlanks(i: number): number {
    const t = this.t
    while (i < this.end && t.charCodeAt(i) === SPACE) i++
    if (i >= this.end) giveUp()
    return i
  }

  private flowScalarOrCollection(i: number): {value: unknown; end: number} {
    const t = this.t
    const c = t.charCodeAt(i)
    if (c === LBRACKET || c === LBRACE) return this.flow(i)
    if (c === DQUOTE) {
      const q = this.doubleQuoted(i)
      return {value: q.text, end: q.end}
    }
    if (c === SQUOTE) {
      const q = this.singleQuoted(i)
      return {value: q.text, end: q.end}
    }
    if (c < 128 && NOT_PLAIN_START[c] === 1) giveUp()
    let e = i
    while (e < this.end) {
      const d = t.charCodeAt(e)
      if (d < 128 && FLOW_STOP[d] === 1) {
        if (d === HASH || (d === COLON && t.charCodeAt(e + 1) !== SPACE)) giveUp()
        break
      }
      if (d === TAB) giveUp()
      e++
    }
    let trimmed = e
    while (trimmed > i && t.charCodeAt(trimmed - 1) === SPACE) trimmed--
    const raw = t.slice(i, trimmed)
    return {value: resolvePlainScalar(raw) ? this.note(resolved.value) : raw, end: e}
  }
}

// js-yaml stores a `__proto__` key as data; plain assignment would change the prototype instead.
function setProperty(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, {value, writable: true, enumerable: true, configurable: true})
  else map[key] = value
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
}
const HEX_LENGTH: Record<string, number> = {x: 2, u: 4, U: 8}

/** One double-quoted escape starting after the backslash at `i`. */
function unescape(t: string, i: number, end: number): {text: string; next: number} {
  const ch = t[i]
  if (i >= end || ch === undefined) giveUp()
  const simple = SIMPLE_ESCAPES[ch]
  if (simple !== undefined) return {text: simple, next: i + 1}
  const length = HEX_LENGTH[ch]
  if (length === undefined || i + 1 + length > end) giveUp()
  const hex = t.slice(i + 1, i + 1 + length)
  if (!/^[0-9a-fA-F]+$/.test(hex)) giveUp()
  const code = Number.parseInt(hex, 16)
  if (code > 0x10ffff) giveUp()
  return {text: String.fromCodePoint(code), next: i + 1 + length}
}
