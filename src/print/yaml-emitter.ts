// A block-style YAML writer that mirrors go-yaml v2's emitter (emitterc.go) closely enough to match
// its output byte for byte: same indentation rules, scalar styles, escapes and line folding.

/** go-yaml's defaults, which sigs.k8s.io/yaml never changes. */
const BEST_INDENT = 2
const BEST_WIDTH = 80
/** Keys longer than this (in UTF-8 bytes) are written as explicit `? key` entries. */
const MAX_SIMPLE_KEY_BYTES = 128

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal'

/** Where a node sits, as go-yaml's emit_node records it. */
export interface NodeContext {
  mapping: boolean
  simpleKey: boolean
}

const SPACE = 0x20
const NEWLINE = 0x0a
const BOM = 0xfeff

function isBreak(c: number): boolean {
  return c === 0x0d || c === NEWLINE || c === 0x85 || c === 0x2028 || c === 0x2029
}

function isBlank(c: number | undefined): boolean {
  return c === SPACE || c === 0x09
}

/** yamlprivateh.go is_printable, decoded: no C0/C1 controls but '\n', no DEL, nothing past U+FFFF. */
function isPrintable(c: number): boolean {
  if (c === NEWLINE) return true
  if (c >= 0x20 && c <= 0x7e) return true
  if (c >= 0xa0 && c <= 0xd7ff) return true
  if (c >= 0xe000 && c <= 0xffff) return c !== BOM && c !== 0xfffe && c !== 0xffff
  return false
}

/** UTF-16 units taken by code point `c`; writers walk text by code point, as go-yaml walks runes. */
function unitsOf(c: number): number {
  return c > 0xffff ? 2 : 1
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

interface ScalarAnalysis {
  multiline: boolean
  blockPlainAllowed: boolean
  singleQuotedAllowed: boolean
  blockAllowed: boolean
}

/** yaml_emitter_analyze_scalar, keeping only what matters outside flow collections. */
function analyzeScalar(text: string): ScalarAnalysis {
  if (text.length === 0) {
    return {multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false}
  }
  let blockIndicators = text.startsWith('---') || text.startsWith('...')
  let lineBreaks = false
  let special = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let previousSpace = false
  let previousBreak = false
  let precededByWhitespace = true

  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i) ?? 0
    const next = i + unitsOf(c)
    const isLast = next >= text.length
    const followedByWhitespace = isLast || isBlank(text.charCodeAt(next))
    if (i === 0) {
      switch (c) {
        case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a: // # , [ ] { } & *
        case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60: // ! | > ' " % @ `
          blockIndicators = true
          break
        case 0x3f: case 0x3a: case 0x2d: // ? : -
          if (followedByWhitespace) blockIndicators = true
          break
      }
    } else if (c === 0x3a) {
      if (followedByWhitespace) blockIndicators = true
    } else if (c === 0x23) {
      if (precededByWhitespace) blockIndicators = true
    }
    if (!isPrintable(c)) special = true
    if (c === SPACE) {
      if (i === 0) leadingSpace = true
      if (isLast) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(c)) {
      lineBreaks = true
      if (i === 0) leadingBreak = true
      if (isLast) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0
    i = next
  }

  let blockPlainAllowed = true
  let singleQuotedAllowed = true
  let blockAllowed = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false
  if (trailingSpace) blockAllowed = false
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false
  if (lineBreaks || blockIndicators) blockPlainAllowed = false
  return {multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed}
}

/** Escape letters of go-yaml's double-quoted writer; everything else becomes \x, \u or \U. */
const SHORT_ESCAPES = new Map<number, string>([
  [0x00, '0'], [0x07, 'a'], [0x08, 'b'], [0x09, 't'], [0x0a, 'n'], [0x0b, 'v'], [0x0c, 'f'],
  [0x0d, 'r'], [0x1b, 'e'], [0x22, '"'], [0x5c, '\\'], [0x85, 'N'], [0xa0, '_'], [0x2028, 'L'],
  [0x2029, 'P'],
])

function escapeFor(c: number): string {
  const short = SHORT_ESCAPES.get(c)
  if (short !== undefined) return '\\' + short
  const hex = c.toString(16).toUpperCase()
  if (c <= 0xff) return '\\x' + hex.padStart(2, '0')
  if (c <= 0xffff) return '\\u' + hex.padStart(4, '0')
  return '\\U' + hex.padStart(8, '0')
}

/** Strings that are written as-is in plain style wherever they appear (the common case, fast). */
const SIMPLE_PLAIN = /^[A-Za-z0-9_./=+$^();\\~<][A-Za-z0-9_./=+$^()\\;<>~-]*$/

/**
 * The emitter's running state. Method names follow emitterc.go so the two can be compared; the
 * event queue and state machine are replaced by direct recursion because only block collections,
 * empty flow collections and scalars ever occur.
 */
export class YamlEmitter {
  private readonly chunks: string[] = []
  private column = 0
  private whitespace = true
  private indention = true
  private indent = -1
  private readonly indents: number[] = []

  result(): string {
    return this.chunks.join('')
  }

  // --- low-level output -------------------------------------------------------------------------

  private put(s: string): void {
    this.chunks.push(s)
    this.column += s.length
  }

  private putBreak(): void {
    this.chunks.push('\n')
    this.column = 0
    this.indention = true
  }

  /**
   * Copies text[from, to) that the caller has already counted into `column` (one per character,
   * like go-yaml's write()). Writers batch ordinary characters this way instead of one at a time.
   */
  private flush(text: string, from: number, to: number): void {
    if (to > from) this.chunks.push(text.slice(from, to))
  }

  /** write_break: '\n' becomes a newline; other breaks (CR, NEL, LS, PS) are copied raw. */
  private writeBreak(c: number): void {
    if (c === NEWLINE) {
      this.putBreak()
      return
    }
    this.chunks.push(String.fromCodePoint(c))
    this.column = 0
    this.indention = true
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0)
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.putBreak()
    }
    if (this.column < indent) this.put(' '.repeat(indent - this.column))
    this.whitespace = true
    this.indention = true
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ')
    this.put(indicator)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
  }

  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent)
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0
    else if (!indentless) this.indent += BEST_INDENT
  }

  popIndent(): void {
    this.indent = this.indents.pop() ?? -1
  }

  /** End of the document: terminate the last line unless a block scalar already did. */
  endDocument(): void {
    this.indent = -1
    this.writeIndent()
  }

  // --- collections --------------------------------------------------------------------------------

  /** Empty collections are always written in flow style: `[]` and `{}`. */
  emptyCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true, false)
    this.writeIndicator(close, false, false, false)
  }

  /** Block sequence start; a sequence that is a mapping value is not indented ("key:\n- a"). */
  beginSequence(ctx: NodeContext): void {
    this.increaseIndent(false, ctx.mapping && !this.indention)
  }

  sequenceItem(): void {
    this.writeIndent()
    this.writeIndicator('-', true, false, true)
  }

  beginMapping(): void {
    this.increaseIndent(false, false)
  }

  endCollection(): void {
    this.popIndent()
  }

  /**
   * Writes a mapping key and the ':' after it. Keys with line breaks or over 128 bytes cannot be
   * simple keys and get the explicit `? key` / `:` form.
   */
  mappingKey(key: string, requested: ScalarStyle): void {
    this.writeIndent()
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short keys need no byte count.
    const short = key.length * 3 <= MAX_SIMPLE_KEY_BYTES || utf8Length(key) <= MAX_SIMPLE_KEY_BYTES
    const simple = short && !/[\r\n\u0085\u2028\u2029]/.test(key)
    if (simple) {
      this.scalar(key, requested, {mapping: true, simpleKey: true})
      this.writeIndicator(':', false, false, false)
    } else {
      this.writeIndicator('?', true, false, true)
      this.scalar(key, requested, {mapping: true, simpleKey: false})
      this.writeIndent()
      this.writeIndicator(':', true, false, true)
    }
  }

  // --- scalars ------------------------------------------------------------------------------------

  /**
   * Writes a scalar the encoder asked for in style `requested` (plain, literal or double-quoted);
   * like yaml_emitter_select_scalar_style, falls back to single or double quotes when the text
   * cannot be written that way.
   */
  scalar(text: string, requested: ScalarStyle, ctx: NodeContext): void {
    if (requested === 'plain' && SIMPLE_PLAIN.test(text) && !text.startsWith('...')) {
      // No spaces to fold at, no indicators, nothing to escape: written verbatim.
      if (!this.whitespace) this.put(' ')
      this.put(text)
      this.whitespace = false
      this.indention = false
      return
    }
    const a = analyzeScalar(text)
    let style = requested
    if (ctx.simpleKey && a.multiline) style = 'double'
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single'
      if (text.length === 0 && ctx.simpleKey) style = 'single'
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double'
    if (style === 'literal' && (!a.blockAllowed || ctx.simpleKey)) style = 'double'

    this.increaseIndent(true, false)
    const allowBreaks = !ctx.simpleKey
    switch (style) {
      case 'plain':
        this.writePlain(text, allowBreaks)
        break
      case 'single':
        this.writeSingleQuoted(text, allowBreaks)
        break
      case 'double':
        this.writeDoubleQuoted(text, allowBreaks)
        break
      case 'literal':
        this.writeLiteral(text)
        break
    }
    this.popIndent()
  }

  // The writers below walk the text by code point. `run` marks where the not yet flushed ordinary
  // characters start; anything that writes something else flushes them first.

  private writePlain(text: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ')
    let spaces = false
    let breaks = false
    let run = 0
    for (let i = 0; i < text.length; ) {
      const c = text.codePointAt(i) ?? 0
      const next = i + unitsOf(c)
      if (c === SPACE) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && text.charCodeAt(next) !== SPACE) {
          this.flush(text, run, i)
          this.writeIndent()
          run = next
        } else this.column++
        spaces = true
      } else if (isBreak(c)) {
        this.flush(text, run, i)
        if (!breaks && c === NEWLINE) this.putBreak()
        this.writeBreak(c)
        run = next
        breaks = true
      } else {
        if (breaks) {
          this.flush(text, run, i)
          this.writeIndent()
          run = i
        }
        this.column++
        this.indention = false
        spaces = false
        breaks = false
      }
      i = next
    }
    this.flush(text, run, text.length)
    this.whitespace = false
    this.indention = false
  }

  private writeSingleQuoted(text: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false)
    let spaces = false
    let breaks = false
    let run = 0
    for (let i = 0; i < text.length; ) {
      const c = text.codePointAt(i) ?? 0
      const next = i + unitsOf(c)
      if (c === SPACE) {
        const inside = i > 0 && next < text.length
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inside && text.charCodeAt(next) !== SPACE) {
          this.flush(text, run, i)
          this.writeIndent()
          run = next
        } else this.column++
        spaces = true
      } else if (isBreak(c)) {
        this.flush(text, run, i)
        if (!breaks && c === NEWLINE) this.putBreak()
        this.writeBreak(c)
        run = next
        breaks = true
      } else {
        if (breaks) {
          this.flush(text, run, i)
          this.writeIndent()
          run = i
        }
        if (c === 0x27) {
          this.flush(text, run, i)
          this.put("'")
          run = i
        }
        this.column++
        this.indention = false
        spaces = false
        breaks = false
      }
      i = next
    }
    this.flush(text, run, text.length)
    this.writeIndicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeDoubleQuoted(text: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false)
    // go-yaml's is_bom looks at the start of the value, not the current character, so a value
    // starting with U+FEFF has every character escaped.
    const escapeAll = text.charCodeAt(0) === BOM
    let spaces = false
    let run = 0
    for (let i = 0; i < text.length; ) {
      const c = text.codePointAt(i) ?? 0
      const next = i + unitsOf(c)
      if (escapeAll || !isPrintable(c) || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.flush(text, run, i)
        this.put(escapeFor(c))
        run = next
        spaces = false
      } else if (c === SPACE) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && next < text.length) {
          this.flush(text, run, i)
          this.writeIndent()
          // A folded line's leading spaces would be dropped, so an escaped one keeps the next.
          if (text.charCodeAt(next) === SPACE) this.put('\\')
          run = next
        } else this.column++
        spaces = true
      } else {
        this.column++
        spaces = false
      }
      i = next
    }
    this.flush(text, run, text.length)
    this.writeIndicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }

  /** Literal block scalar `|` with an indentation hint for leading blanks and chomping `-`/`+`. */
  private writeLiteral(text: string): void {
    this.writeIndicator('|', true, false, false)
    const first = text.codePointAt(0) ?? 0
    if (first === SPACE || isBreak(first)) this.writeIndicator(String(BEST_INDENT), false, false, false)
    // Breaks are all single UTF-16 units, so the last two units tell the chomping.
    const last = text.charCodeAt(text.length - 1)
    if (!isBreak(last)) this.writeIndicator('-', false, false, false)
    else if (text.length === 1 || isBreak(text.charCodeAt(text.length - 2))) this.writeIndicator('+', false, false, false)
    this.putBreak()
    this.indention = true
    this.whitespace = true
    let breaks = true
    let run = 0
    for (let i = 0; i < text.length; ) {
      const c = text.codePointAt(i) ?? 0
      const next = i + unitsOf(c)
      if (isBreak(c)) {
        this.flush(text, run, i)
        this.writeBreak(c)
        run = next
        breaks = true
      } else {
        if (breaks) {
          this.flush(text, run, i)
          this.writeIndent()
          run = i
        }
        this.column++
        this.indention = false
        breaks = false
      }
      i = next
    }
    this.flush(text, run, text.length)
  }
}
