// Splits a YAML stream into documents the way kubectl's YAML reader does (any line starting with
// `---` separates documents), so that each document parses on its own and keeps its file line.

export interface YamlChunk {
  /** The document's lines, without the separator line that opened it. */
  text: string
  /** Lines of the file before `text`. */
  lineOffset: number
  /** 0-based file line of the first line that is neither blank nor a comment. */
  firstContentLine: number
  /**
   * Set when the separator that opened this document had more than a comment after it
   * (`--- {a: 1}`, `----`): kubectl refuses the stream there, so the document cannot be trusted.
   */
  badSeparator?: {line: number; trailing: string}
}

const DASH = 0x2d
const DOT = 0x2e
const SPACE = 0x20
const TAB = 0x09
const CR = 0x0d
const HASH = 0x23

/**
 * Documents with content, in order. Blank and comment-only documents are dropped (kubectl skips
 * them). Lines after a `...` document-end marker are ignored up to the next separator, as go-yaml
 * ignores everything after the first document it was handed.
 */
export function splitYamlDocuments(text: string): YamlChunk[] {
  const chunks: YamlChunk[] = []
  const length = text.length
  let chunkStart = 0
  let chunkLine = 0
  let firstContent = -1
  let badSeparator: YamlChunk['badSeparator']
  let ended = false
  let pos = 0
  let line = 0

  const close = (end: number) => {
    if (!ended && (firstContent >= 0 || badSeparator !== undefined)) {
      const chunk: YamlChunk = {
        text: text.slice(chunkStart, end),
        lineOffset: chunkLine,
        firstContentLine: firstContent >= 0 ? firstContent : chunkLine,
      }
      if (badSeparator !== undefined) chunk.badSeparator = badSeparator
      chunks.push(chunk)
    }
  }

  while (pos < length) {
    let eol = text.indexOf('\n', pos)
    if (eol < 0) eol = length
    const c = text.charCodeAt(pos)
    if (c === DASH && text.charCodeAt(pos + 1) === DASH && text.charCodeAt(pos + 2) === DASH) {
      close(pos)
      const trailing = text.slice(pos + 3, eol).trim()
      badSeparator = trailing === '' || trailing.charCodeAt(0) === HASH ? undefined : {line: line + 1, trailing}
      chunkStart = eol + 1
      chunkLine = line + 1
      firstContent = -1
      ended = false
    } else if (c === DOT && text.charCodeAt(pos + 1) === DOT && text.charCodeAt(pos + 2) === DOT && isBreak(text, pos + 3, eol)) {
      close(pos)
      ended = true
    } else if (firstContent < 0 && !ended && hasContent(text, pos, eol)) {
      firstContent = line
    }
    pos = eol + 1
    line++
  }
  close(length)
  return chunks
}

function isBreak(text: string, at: number, eol: number): boolean {
  if (at >= eol) return true
  const c = text.charCodeAt(at)
  return c === SPACE || c === TAB || c === CR
}

function hasContent(text: string, pos: number, eol: number): boolean {
  for (let i = pos; i < eol; i++) {
    const c = text.charCodeAt(i)
    if (c === SPACE || c === TAB || c === CR) continue
    return c !== HASH
  }
  return false
}
