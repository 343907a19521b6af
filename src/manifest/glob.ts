// Go's filepath.Glob, which kubectl applies to a -f argument that names no existing path
// (`-f 'manifests/*.yaml'` quoted past the shell): `*`, `?`, `[a-z]`/`[^a-z]` classes, `\` escapes.
import {promises as fs} from 'node:fs'
import path from 'node:path'

export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern')
    this.name = 'BadPatternError'
  }
}

export function hasGlobMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern)
}

/** A RegExp matching one path element the way filepath.Match does; throws BadPatternError. */
export function globToRegExp(pattern: string): RegExp {
  let out = '^'
  let i = 0
  while (i < pattern.length) {
    const ch = pattern[i]
    if (ch === '*') {
      out += '[^/]*'
      i++
    } else if (ch === '?') {
      out += '[^/]'
      i++
    } else if (ch === '\\') {
      if (i + 1 >= pattern.length) throw new BadPatternError()
      out += escapeRe(pattern[i + 1])
      i += 2
    } else if (ch === '[') {
      const cls = readClass(pattern, i + 1)
      out += cls.source
      i = cls.next
    } else {
      out += escapeRe(ch)
      i++
    }
  }
  return new RegExp(out + '$', 'u')
}

function readClass(pattern: string, start: number): {source: string; next: number} {
  let i = start
  let negated = false
  if (pattern[i] === '^') {
    negated = true
    i++
  }
  const parts: string[] = []
  let first = true
  for (;;) {
    if (i >= pattern.length) throw new BadPatternError()
    if (pattern[i] === ']' && !first) break
    const lo = readClassChar(pattern, i)
    i = lo.next
    let part = escapeInClass(lo.ch)
    if (pattern[i] === '-') {
      const hi = readClassChar(pattern, i + 1)
      if (hi.ch < lo.ch) throw new BadPatternError()
      part = `${escapeInClass(lo.ch)}-${escapeInClass(hi.ch)}`
      i = hi.next
    }
    parts.push(part)
    first = false
  }
  const body = parts.join('')
  return {source: negated ? `[^${body}]` : `[${body}]`, next: i + 1}
}

function readClassChar(pattern: string, i: number): {ch: string; next: number} {
  const ch = pattern[i]
  if (ch === undefined || ch === '-' || ch === ']') throw new BadPatternError()
  if (ch === '\\') {
    const escaped = pattern[i + 1]
    if (escaped === undefined) throw new BadPatternError()
    return {ch: escaped, next: i + 2}
  }
  const cp = pattern.codePointAt(i) as number
  const full = String.fromCodePoint(cp)
  return {ch: full, next: i + full.length}
}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
}

function escapeInClass(s: string): string {
  return s.replace(/[\\^\]-]/g, '\\$&')
}

/** Matches in Go's order: directories expanded in turn, each directory's names sorted. */
export async function glob(pattern: string): Promise<string[]> {
  // Go checks the whole pattern's syntax up front, so a bad pattern fails even with no candidates.
  for (const element of pattern.split('/')) globToRegExp(element)
  if (!hasGlobMeta(pattern)) {
    try {
      await fs.lstat(pattern)
      return [pattern]
    } catch {
      return []
    }
  }
  let dir = path.dirname(pattern)
  const file = path.basename(pattern)
  if (pattern.endsWith('/')) return []
  if (dir === '') dir = '.'
  const dirs = hasGlobMeta(dir) && dir !== pattern ? await glob(dir) : [dir]
  const matches: string[] = []
  const re = globToRegExp(file)
  for (const d of dirs) {
    let names: string[]
    try {
      if (!(await fs.stat(d)).isDirectory()) continue
      names = await fs.readdir(d)
    } catch {
      // Go's Glob ignores I/O errors while reading directories.
      continue
    }
    names.sort(compareNames)
    // path.join cleans the result ("./x" becomes "x") as Go's filepath.Join does.
    for (const name of names) if (re.test(name)) matches.push(path.join(d, name))
  }
  return matches
}

/** Byte-wise UTF-8 order (Go's sort.Strings), which is code point order. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number
    const y = b.codePointAt(i) as number
    if (x !== y) return x - y
    if (x > 0xffff) i++
  }
  return a.length - b.length
}
