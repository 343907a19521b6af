// Field selectors as k8s.io/apimachinery/pkg/fields parses, prints and matches them:
// comma-separated `field=value`, `field==value`, `field!=value`, values backslash-escaped.
import {compareGoStrings} from './names.js'

export type FieldOperator = '=' | '!='

export interface FieldRequirement {
  readonly field: string
  readonly operator: FieldOperator
  readonly value: string
}

/** A field selector the API server would reject; the message is upstream's. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FieldSelectorError'
  }
}

/** fields.EscapeValue: backslash first, then the two characters that would split a term. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => '\\' + c)
}

/** fields.UnescapeValue: `\\`, `\,` and `\=` only; a bare `,` or `=` or a stray `\` is an error. */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value
  let out = ''
  let inSlash = false
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`)
      }
      out += c
      inSlash = false
    } else if (c === '\\') {
      inSlash = true
    } else if (c === ',' || c === '=') {
      // Go prints the offending rune with %v, which shows its code point number.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`)
    } else {
      out += c
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\')
  return out
}

export interface FieldSelector {
  /** Missing fields read as the empty string, as fields.Set.Get does. */
  matches(fields: Record<string, string>): boolean
  /** True when the selector does not restrict anything. */
  empty(): boolean
  requirements(): readonly FieldRequirement[]
  /** The value an `=` term pins `field` to, if any. */
  requiresExactMatch(field: string): string | undefined
  /** Applies `fn` to every term; a term mapped to an empty field and value is dropped. */
  transform(fn: FieldTransform): FieldSelector
  toString(): string
}

/** Rewrites one term, e.g. to map a field label to its internal name; throw to reject it. */
export type FieldTransform = (field: string, value: string) => [field: string, value: string]

function termToString(r: FieldRequirement): string {
  return `${r.field}${r.operator}${escapeFieldValue(r.value)}`
}

class TermsSelector implements FieldSelector {
  constructor(private readonly terms: readonly FieldRequirement[]) {}

  matches(fields: Record<string, string>): boolean {
    return this.terms.every((t) => {
      const actual = Object.prototype.hasOwnProperty.call(fields, t.field) ? fields[t.field]! : ''
      return t.operator === '=' ? actual === t.value : actual !== t.value
    })
  }

  empty(): boolean {
    return this.terms.length === 0
  }

  requirements(): readonly FieldRequirement[] {
    return this.terms
  }

  requiresExactMatch(field: string): string | undefined {
    return this.terms.find((t) => t.field === field && t.operator === '=')?.value
  }

  transform(fn: FieldTransform): FieldSelector {
    const next: FieldRequirement[] = []
    for (const t of this.terms) {
      const [field, value] = fn(t.field, t.value)
      if (field === '' && value === '') continue
      next.push({field, operator: t.operator, value})
    }
    return new TermsSelector(next)
  }

  toString(): string {
    return this.terms.map(termToString).join(',')
  }
}

const EVERYTHING: FieldSelector = new TermsSelector([])

export function everythingFields(): FieldSelector {
  return EVERYTHING
}

/** fields.SelectorFromSet: one `=` term per entry (sorted by field for a stable string). */
export function fieldSelectorFromSet(set: Record<string, string> | undefined | null): FieldSelector {
  if (!set) return EVERYTHING
  const fields = Object.keys(set).sort(compareGoStrings)
  return new TermsSelector(fields.map((field) => ({field, operator: '=', value: set[field]!})))
}

/** Splits on commas that are not escaped; the backslashes stay in the terms. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return []
  const terms: string[] = []
  let start = 0
  let inSlash = false
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]
    if (inSlash) inSlash = false
    else if (c === '\\') inSlash = true
    else if (c === ',') {
      terms.push(selector.slice(start, i))
      start = i + 1
    }
  }
  terms.push(selector.slice(start))
  return terms
}

// `==` is tried before `=` so the second '=' does not end up in the value.
const TERM_OPERATORS = ['!=', '==', '='] as const

/** The first operator occurrence splits the term; field names cannot be escaped. */
function splitTerm(term: string): [lhs: string, op: (typeof TERM_OPERATORS)[number], rhs: string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)]
    }
  }
  return undefined
}

/**
 * fields.ParseSelector. Terms are sorted (as raw text) before parsing, so `b=1,a=2` prints as
 * `a=2,b=1`. Throws FieldSelectorError with upstream's messages.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  return parseAndTransformFieldSelector(selector, (field, value) => [field, value])
}

/** fields.ParseAndTransformSelector. */
export function parseAndTransformFieldSelector(selector: string, fn: FieldTransform): FieldSelector {
  const parts = splitTerms(selector).sort(compareGoStrings)
  const terms: FieldRequirement[] = []
  for (const part of parts) {
    if (part === '') continue
    const split = splitTerm(part)
    if (!split) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`)
    const [field, op, rhs] = split
    terms.push({field, operator: op === '!=' ? '!=' : '=', value: unescapeFieldValue(rhs)})
  }
  return new TermsSelector(terms).transform(fn)
}
