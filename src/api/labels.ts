// Label selectors as k8s.io/apimachinery/pkg/labels parses, prints and matches them, and the
// conversion and validation of metav1.LabelSelector objects (matchLabels / matchExpressions).
import {
  type FieldError,
  aggregateFieldErrors,
  compareGoStrings,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  formatFieldError,
  isQualifiedName,
  isValidLabelValue,
  quoteGo,
  validateLabelName,
  validateLabels,
} from './names.js'

/** selection.Operator values, as they appear in errors and in Requirement.operator. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt'

const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']
const UNARY_OPERATORS: readonly Operator[] = ['exists', '!']
const VALID_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, ...UNARY_OPERATORS]

export interface Requirement {
  readonly key: string
  readonly operator: Operator
  readonly values: readonly string[]
}

/** A selector string or LabelSelector the API server would reject; the message is upstream's. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabelSelectorError'
  }
}

// ---------------------------------------------------------------------------------------------
// Requirements

/**
 * Joins path pieces the way field.Path prints them. `undefined` is a nil path, which prints as
 * "<nil>" on its own but vanishes when something is appended to it.
 */
function childPath(base: string | undefined, name: string): string {
  return base === undefined || base === '' ? name : `${base}.${name}`
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const n = BigInt(s)
  return n < INT64_MIN || n > INT64_MAX ? undefined : n
}

/**
 * NewRequirement's checks. `nilValues` marks a values list that was nil in Go (copied from an
 * empty matchExpressions entry), which JSON-renders as null rather than [].
 */
function validateRequirement(
  key: string,
  op: string,
  values: readonly string[],
  path: string | undefined,
  nilValues = false,
): FieldError[] {
  const errs: FieldError[] = []
  const keyMsgs = isQualifiedName(key)
  if (keyMsgs.length > 0) errs.push(fieldInvalid(childPath(path, 'key'), key, keyMsgs.join('; ')))
  const valuePath = childPath(path, 'values')
  const shown = nilValues && values.length === 0 ? null : [...values]
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldInvalid(valuePath, shown, "for 'in', 'notin' operators, values set can't be empty"))
      break
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldInvalid(valuePath, shown, 'exact-match compatibility requires one single value'))
      break
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldInvalid(valuePath, shown, 'values set must be empty for exists and does not exist'))
      break
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldInvalid(valuePath, shown, "for 'Gt', 'Lt' operators, exactly one value is required"))
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(fieldInvalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"))
        }
      })
      break
    default:
      errs.push(fieldNotSupported(childPath(path, 'operator'), op, VALID_OPERATORS))
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v)
    if (msgs.length > 0) errs.push(fieldInvalid(`${valuePath}[${i}][${key}]`, v, msgs.join('; ')))
  })
  return errs
}

function makeRequirement(key: string, operator: Operator, values: readonly string[], path?: string, nilValues = false): Requirement {
  const errs = validateRequirement(key, operator, values, path, nilValues)
  if (errs.length > 0) throw new LabelSelectorError(aggregateFieldErrors(errs))
  return {key, operator, values: [...values]}
}

/**
 * labels.NewRequirement: validates key, operator and values and throws a LabelSelectorError with
 * the aggregated field errors. `path` prefixes the error fields (none by default, like upstream).
 */
export function newRequirement(key: string, operator: Operator, values: readonly string[] = [], path?: string): Requirement {
  return makeRequirement(key, operator, values, path)
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key)
  const value = has ? labels[r.key]! : ''
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value)
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value)
    case 'exists':
      return has
    case '!':
      return !has
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false
      const actual = parseInt64(value)
      const bound = parseInt64(r.values[0]!)
      if (actual === undefined || bound === undefined) return false
      return r.operator === 'gt' ? actual > bound : actual < bound
    }
    default:
      return false
  }
}

function sortedCopy(values: readonly string[]): string[] {
  return [...values].sort(compareGoStrings)
}

/** Requirement.String(): `key in (a,b)`, `!key`, `key!=v`, values sorted. */
export function requirementToString(r: Requirement): string {
  let s = r.operator === '!' ? '!' + r.key : r.key
  switch (r.operator) {
    case 'exists':
    case '!':
      return s
    case 'in':
      s += ' in '
      break
    case 'notin':
      s += ' notin '
      break
    case 'gt':
      s += '>'
      break
    case 'lt':
      s += '<'
      break
    default:
      s += r.operator
  }
  const values = r.values.length === 1 ? r.values[0]! : sortedCopy(r.values).join(',')
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${values})` : s + values
}

// ---------------------------------------------------------------------------------------------
// Selectors

export interface Selector {
  matches(labels: Record<string, string> | undefined | null): boolean
  /** True when the selector does not restrict anything (it matches every object). */
  empty(): boolean
  /** The requirements, sorted by key. The "nothing" selector has none and matches nothing. */
  requirements(): readonly Requirement[]
  /** False only for the selector that matches nothing (a nil LabelSelector). */
  selectable(): boolean
  /** The value a single `key=v`, `key==v` or `key in (v)` requirement pins the key to. */
  requiresExactMatch(key: string): string | undefined
  /** A new selector with more requirements, re-sorted by key. */
  add(...requirements: Requirement[]): Selector
  toString(): string
}

function byKey(a: Requirement, b: Requirement): number {
  return compareGoStrings(a.key, b.key)
}

class RequirementsSelector implements Selector {
  private readonly reqs: readonly Requirement[]

  constructor(reqs: readonly Requirement[]) {
    // Sorting by key keeps String() deterministic; the sort is stable for equal keys.
    this.reqs = [...reqs].sort(byKey)
  }

  matches(labels: Record<string, string> | undefined | null): boolean {
    const set = labels ?? {}
    return this.reqs.every((r) => requirementMatches(r, set))
  }

  empty(): boolean {
    return this.reqs.length === 0
  }

  requirements(): readonly Requirement[] {
    return this.reqs
  }

  selectable(): boolean {
    return true
  }

  requiresExactMatch(key: string): string | undefined {
    const r = this.reqs.find((x) => x.key === key)
    if (!r) return undefined
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0]
    return undefined
  }

  add(...requirements: Requirement[]): Selector {
    return new RequirementsSelector([...this.reqs, ...requirements])
  }

  toString(): string {
    return this.reqs.map(requirementToString).join(',')
  }
}

class NothingSelector implements Selector {
  matches(): boolean {
    return false
  }

  empty(): boolean {
    return false
  }

  requirements(): readonly Requirement[] {
    return []
  }

  selectable(): boolean {
    return false
  }

  requiresExactMatch(): string | undefined {
    return undefined
  }

  add(): Selector {
    return this
  }

  toString(): string {
    return ''
  }
}

const EVERYTHING: Selector = new RequirementsSelector([])
const NOTHING: Selector = new NothingSelector()

export function everything(): Selector {
  return EVERYTHING
}

export function nothing(): Selector {
  return NOTHING
}

/** labels.SelectorFromSet: exact-match requirements, unvalidated; empty or missing = everything. */
export function selectorFromSet(set: Record<string, string> | undefined | null): Selector {
  if (!set) return EVERYTHING
  return new RequirementsSelector(Object.entries(set).map(([key, v]) => ({key, operator: '=' as const, values: [v]})))
}

/** labels.ValidatedSelectorFromSet: like selectorFromSet but validates keys and values. */
export function validatedSelectorFromSet(set: Record<string, string> | undefined | null): Selector {
  if (!set) return EVERYTHING
  const keys = Object.keys(set).sort(compareGoStrings)
  return new RequirementsSelector(keys.map((k) => newRequirement(k, '=', [set[k]!])))
}

// ---------------------------------------------------------------------------------------------
// Lexer

enum Token {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map([
  [')', Token.ClosedPar],
  [',', Token.Comma],
  ['!', Token.DoesNotExist],
  ['==', Token.DoubleEquals],
  ['=', Token.Equals],
  ['>', Token.GreaterThan],
  ['in', Token.In],
  ['<', Token.LessThan],
  ['!=', Token.NotEquals],
  ['notin', Token.NotIn],
  ['(', Token.OpenPar],
])

interface Scanned {
  tok: Token
  lit: string
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<'
}

class Lexer {
  private pos = 0

  constructor(private readonly s: string) {}

  // The Go lexer reads bytes and sees a NUL byte exactly like the end of input (it ends the current
  // token, and ends the selector if it starts one); reading stops advancing at the real end.
  private read(): string {
    return this.pos < this.s.length ? this.s[this.pos++]! : '\0'
  }

  private unread(): void {
    this.pos--
  }

  private scanIdOrKeyword(): Scanned {
    let buf = ''
    for (;;) {
      const ch = this.read()
      if (ch === '\0') break
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread()
        break
      }
      buf += ch
    }
    const tok = LITERAL_TOKENS.get(buf)
    return tok !== undefined ? {tok, lit: buf} : {tok: Token.Identifier, lit: buf}
  }

  /** The longest run of special characters that is still an operator: `!=` over `!`, `==` over `=`. */
  private scanSpecialSymbol(): Scanned {
    let last: Scanned | undefined
    let buf = ''
    for (;;) {
      const ch = this.read()
      if (ch === '\0') break
      if (!isSpecialSymbol(ch)) {
        this.unread()
        break
      }
      buf += ch
      const tok = LITERAL_TOKENS.get(buf)
      if (tok !== undefined) {
        last = {tok, lit: buf}
      } else if (last) {
        this.unread()
        break
      }
    }
    return last ?? {tok: Token.Error, lit: `error expected: keyword found '${buf}'`}
  }

  lex(): Scanned {
    let ch = this.read()
    while (isWhitespace(ch)) ch = this.read()
    if (ch === '\0') return {tok: Token.EndOfString, lit: ''}
    this.unread()
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword()
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

/** In a value position `in` and `notin` are ordinary identifiers: `x in (in,notin)`. */
enum Context {
  KeyAndOperator,
  Values,
}

class Parser {
  private readonly items: Scanned[] = []
  private position = 0

  constructor(input: string, private readonly path: string | undefined) {
    const lexer = new Lexer(input)
    for (;;) {
      const item = lexer.lex()
      this.items.push(item)
      if (item.tok === Token.EndOfString) break
    }
  }

  private adjust(item: Scanned, ctx: Context): Scanned {
    if (ctx === Context.Values && (item.tok === Token.In || item.tok === Token.NotIn)) return {tok: Token.Identifier, lit: item.lit}
    return item
  }

  private lookahead(ctx: Context): Scanned {
    return this.adjust(this.items[this.position]!, ctx)
  }

  private consume(ctx: Context): Scanned {
    return this.adjust(this.items[this.position++]!, ctx)
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = []
    for (;;) {
      const {tok, lit} = this.lookahead(Context.Values)
      if (tok === Token.EndOfString) return reqs
      if (tok !== Token.Identifier && tok !== Token.DoesNotExist) {
        throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`)
      }
      let req: Requirement
      try {
        req = this.parseRequirement()
      } catch (e) {
        if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`)
        throw e
      }
      reqs.push(req)
      const next = this.consume(Context.Values)
      if (next.tok === Token.EndOfString) return reqs
      if (next.tok !== Token.Comma) throw new LabelSelectorError(`found '${next.lit}', expected: ',' or 'end of string'`)
      const after = this.lookahead(Context.Values)
      if (after.tok !== Token.Identifier && after.tok !== Token.DoesNotExist) {
        throw new LabelSelectorError(`found '${after.lit}', expected: identifier after ','`)
      }
    }
  }

  private parseRequirement(): Requirement {
    const [key, inferred] = this.parseKeyAndInferOperator()
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, [], this.path)
    const op = this.parseOperator()
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue()
    // Values form a set: de-duplicated and sorted, as sets.String.List() returns them.
    return newRequirement(key, op, sortedCopy([...new Set(values)]), this.path)
  }

  private parseKeyAndInferOperator(): [string, Operator | undefined] {
    let operator: Operator | undefined
    let {tok, lit} = this.consume(Context.Values)
    if (tok === Token.DoesNotExist) {
      operator = '!'
      ;({tok, lit} = this.consume(Context.Values))
    }
    if (tok !== Token.Identifier) throw new LabelSelectorError(`found '${lit}', expected: identifier`)
    const msgs = isQualifiedName(lit)
    if (msgs.length > 0) {
      throw new LabelSelectorError(formatFieldError(fieldInvalid(this.path ?? '<nil>', lit, msgs.join('; '))))
    }
    const next = this.lookahead(Context.Values).tok
    if ((next === Token.EndOfString || next === Token.Comma) && operator !== '!') operator = 'exists'
    return [lit, operator]
  }

  private parseOperator(): Operator {
    const {tok, lit} = this.consume(Context.KeyAndOperator)
    switch (tok) {
      case Token.In:
        return 'in'
      case Token.Equals:
        return '='
      case Token.DoubleEquals:
        return '=='
      case Token.GreaterThan:
        return 'gt'
      case Token.LessThan:
        return 'lt'
      case Token.NotIn:
        return 'notin'
      case Token.NotEquals:
        return '!='
      default:
        throw new LabelSelectorError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`)
    }
  }

  private parseValues(): string[] {
    const open = this.consume(Context.Values)
    if (open.tok !== Token.OpenPar) throw new LabelSelectorError(`found '${open.lit}' expected: '('`)
    const {tok, lit} = this.lookahead(Context.Values)
    if (tok === Token.Identifier || tok === Token.Comma) {
      const values = this.parseIdentifiersList()
      if (this.consume(Context.Values).tok !== Token.ClosedPar) throw new LabelSelectorError(`found '${lit}', expected: ')'`)
      return values
    }
    if (tok === Token.ClosedPar) {
      this.consume(Context.Values)
      return ['']
    }
    throw new LabelSelectorError(`found '${lit}', expected: ',', ')' or identifier`)
  }

  /** A comma-separated list where an omitted item is the empty value: `(a,,b)`, `(,a)`, `(a,)`. */
  private parseIdentifiersList(): string[] {
    const values: string[] = []
    for (;;) {
      const {tok, lit} = this.consume(Context.Values)
      if (tok === Token.Identifier) {
        values.push(lit)
        const next = this.lookahead(Context.Values)
        if (next.tok === Token.Comma) continue
        if (next.tok === Token.ClosedPar) return values
        throw new LabelSelectorError(`found '${next.lit}', expected: ',' or ')'`)
      }
      if (tok === Token.Comma) {
        if (values.length === 0) values.push('')
        const next = this.lookahead(Context.Values).tok
        if (next === Token.ClosedPar) {
          values.push('')
          return values
        }
        if (next === Token.Comma) {
          this.consume(Context.Values)
          values.push('')
        }
        continue
      }
      throw new LabelSelectorError(`found '${lit}', expected: ',', or identifier`)
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead(Context.Values).tok
    if (next === Token.EndOfString || next === Token.Comma) return ['']
    const {tok, lit} = this.consume(Context.Values)
    if (tok === Token.Identifier) return [lit]
    throw new LabelSelectorError(`found '${lit}', expected: identifier`)
  }
}

/**
 * labels.Parse. Grammar: comma-separated requirements, each `key`, `!key`, `key=v`, `key==v`,
 * `key!=v`, `key in (a,b)`, `key notin (a)`, `key>1` or `key<1`; whitespace separates tokens.
 * The empty string selects everything. Throws LabelSelectorError with upstream's message.
 * `path` names the field in key/value errors (upstream prints a missing path as "<nil>").
 */
export function parseSelector(selector: string, path?: string): Selector {
  return new RequirementsSelector(new Parser(selector, path).parse())
}

/** labels.ParseToRequirements: the parsed requirements, sorted by key. */
export function parseToRequirements(selector: string, path?: string): Requirement[] {
  return [...parseSelector(selector, path).requirements()]
}

// ---------------------------------------------------------------------------------------------
// metav1.LabelSelector

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'

export interface LabelSelectorRequirement {
  key: string
  operator: LabelSelectorOperator | string
  values?: string[] | null
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null
  matchExpressions?: LabelSelectorRequirement[] | null
}

const OPERATOR_FROM_API: Readonly<Record<string, Operator>> = {In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!'}

/**
 * metav1.LabelSelectorAsSelector: a missing selector matches nothing, an empty one everything.
 * Throws LabelSelectorError for an unknown operator or an invalid key/value.
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (!ls) return NOTHING
  const matchLabels = ls.matchLabels ?? {}
  const exprs = ls.matchExpressions ?? []
  if (Object.keys(matchLabels).length + exprs.length === 0) return EVERYTHING
  const reqs: Requirement[] = []
  // Go visits the map in random order; sorted keys make the first reported error predictable.
  for (const key of Object.keys(matchLabels).sort(compareGoStrings)) reqs.push(newRequirement(key, '=', [matchLabels[key]!]))
  for (const expr of exprs) {
    const op = OPERATOR_FROM_API[expr.operator]
    if (!op) throw new LabelSelectorError(`${quoteGo(expr.operator)} is not a valid pod selector operator`)
    reqs.push(makeRequirement(expr.key, op, expr.values ?? [], undefined, !expr.values || expr.values.length === 0))
  }
  return new RequirementsSelector(reqs)
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  let s: string
  try {
    s = selectorFromLabelSelector(ls).toString()
  } catch {
    return '<error>'
  }
  return s === '' ? '<none>' : s
}

export interface LabelSelectorValidationOptions {
  /** Tolerate invalid values in matchExpressions, for objects stored before that was checked. */
  allowInvalidLabelValueInSelector?: boolean
}

/** metav1validation.ValidateLabelSelector, errors rooted at `fieldPath` (e.g. `spec.selector`). */
export function validateLabelSelector(
  ls: LabelSelector | null | undefined,
  fieldPath: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!ls) return []
  const errs: FieldError[] = [...validateLabels(ls.matchLabels ?? undefined, `${fieldPath}.matchLabels`)]
  ;(ls.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, `${fieldPath}.matchExpressions[${i}]`, opts))
  })
  return errs
}

export function validateLabelSelectorRequirement(
  expr: LabelSelectorRequirement,
  fieldPath: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = []
  const values = expr.values ?? []
  switch (expr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldRequired(`${fieldPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
      break
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(fieldForbidden(`${fieldPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
      }
      break
    default:
      errs.push(fieldInvalid(`${fieldPath}.operator`, expr.operator, 'not a valid selector operator'))
  }
  errs.push(...validateLabelName(expr.key, `${fieldPath}.key`))
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      for (const m of isValidLabelValue(v)) errs.push(fieldInvalid(`${fieldPath}.values[${i}]`, v, m))
    })
  }
  return errs
}
