// kubectl get's custom-columns printer: `-o custom-columns=HEADER:path,…` and the two-line file form,
// one JSONPath per column (missing keys allowed), aligned by kubectl's tab writer.
import {JsonPathError, type JsonPath, findJsonPathResults, parseJsonPath, relaxedJsonPathExpression} from './jsonpath.js'
import {goSprint, tabwrite} from './table.js'

export interface CustomColumn {
  header: string
  /** The column's JSONPath template after relaxing (`{.metadata.name}`). */
  fieldSpec: string
  /**
   * The parsed template, or the parser's message: kubectl parses the templates only when it prints,
   * after the header line, so a bad one fails printCustomColumns, not parseCustomColumns.
   */
  path: JsonPath | {parseError: string}
}

/**
 * A bad spec or a failed column. `message` is what kubectl prints after `error: `; `output` is what
 * it had already written to stdout (the header, earlier rows) when it failed.
 */
export class CustomColumnsError extends Error {
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(message)
    this.name = 'CustomColumnsError'
  }
}

function column(header: string, expr: string): CustomColumn {
  let fieldSpec: string
  try {
    fieldSpec = relaxedJsonPathExpression(expr)
  } catch (error) {
    throw new CustomColumnsError((error as Error).message)
  }
  try {
    return {header, fieldSpec, path: parseJsonPath(fieldSpec)}
  } catch (error) {
    // The printer reports the parser's bare message.
    if (error instanceof JsonPathError) return {header, fieldSpec, path: {parseError: error.detail}}
    throw error
  }
}

/** `NAME:.metadata.name,IMAGE:.spec.containers[*].image` */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new CustomColumnsError('custom-columns format specified but no custom columns given')
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':')
    if (colon < 0) throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`)
    return column(part.slice(0, colon), part.slice(colon + 1))
  })
}

const MISSING_LINES =
  'Expected format is one line of space separated headers, one line of space separated column specs.'

/** The file form: a line of headers, then a line of JSONPath expressions, both split on whitespace. */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  // bufio.Scanner lines: split at \n, a trailing \r dropped; nothing after a final newline.
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  if (text.endsWith('\n')) lines.pop()
  if (text === '' || lines.length < 1) throw new CustomColumnsError(`invalid template, missing header line. ${MISSING_LINES}`)
  if (lines.length < 2) throw new CustomColumnsError(`invalid template, missing spec line. ${MISSING_LINES}`)
  const words = (l: string) => l.split(/[\s\u0085\u00a0]+/u).filter((w) => w !== '')
  const headers = words(lines[0]!)
  const specs = words(lines[1]!)
  if (headers.length !== specs.length) {
    throw new CustomColumnsError(
      `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    )
  }
  return headers.map((h, i) => column(h, specs[i]!))
}

/** One cell: every result with %v, joined with commas; `<none>` when the path finds nothing. */
function cell(path: JsonPath, object: unknown): string {
  const results = findJsonPathResults(path, object, {allowMissingKeys: true})
  if (results.length === 0 || results[0]!.length === 0) {
    return ['<none>', ...results.flat().map(goSprint)].join(',')
  }
  return results.flat().map(goSprint).join(',')
}

/**
 * The table for the objects of one `get` (the items of a list, or a single object); the header is
 * printed once, even for no objects. A column whose template does not parse, or fails on an object
 * (an index out of range, a filter over a map), throws CustomColumnsError.
 */
export function printCustomColumns(columns: CustomColumn[], objects: unknown[], opts: {noHeaders?: boolean} = {}): string {
  const lines: string[] = []
  const written = () => tabwrite(lines.map((l) => `${l}\n`).join(''))
  if (!opts.noHeaders) lines.push(columns.map((c) => c.header).join('\t'))
  const paths: JsonPath[] = []
  for (const c of columns) {
    if ('parseError' in c.path) throw new CustomColumnsError(c.path.parseError, written())
    paths.push(c.path)
  }
  for (const o of objects) {
    const cells: string[] = []
    for (const p of paths) {
      try {
        cells.push(cell(p, o))
      } catch (error) {
        throw new CustomColumnsError((error as Error).message, written())
      }
    }
    lines.push(cells.join('\t'))
  }
  return written()
}
