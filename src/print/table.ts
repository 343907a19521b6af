// kubectl's human-readable printer for a server-side Table (`kubectl get` without -o, or -o wide):
// decorates it with NAMESPACE / label columns, writes tab-separated cells, and aligns them with a port
// of the tabwriter kubectl uses (minwidth 6, padding 3, remembered widths).
import type {Cell, Table, TableColumnDefinition, TableRow} from '../apiserver/tables/types.js'
import {compareGoStrings} from '../api/names.js'

export interface PrintTableOptions {
  /** -o wide: also show priority-1 columns. */
  wide: boolean
  /** --no-headers */
  noHeaders: boolean
  /** -A on a namespaced resource: a leading NAMESPACE column from each row object's metadata. */
  withNamespace: boolean
  /** --show-labels: a trailing LABELS column. */
  showLabels: boolean
  /** -L keys: one column each, headed by the key's last path segment in upper case. */
  labelColumns: string[]
  /**
   * Prepended to every NAME cell. kubectl does this when one command prints several kinds, with
   * the kind and group in lower case: `deployment.apps/`, `pod/`.
   */
  namePrefix?: string
}

// ---------------------------------------------------------------------------------------------
// Decoration (cli-runtime printers.decorateTable)

type Row = {cells: Cell[]; object: TableRow['object']}

function metadataOf(object: TableRow['object']): Record<string, unknown> | undefined {
  // meta.Accessor works on any decoded object; it has no metadata only when the row carries none.
  if (object === null || object === undefined || typeof object !== 'object') return undefined
  const m = (object as Record<string, unknown>)['metadata']
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {}
}

function labelsOf(m: Record<string, unknown>): Record<string, string> {
  const raw = m['labels']
  const out: Record<string, string> = {}
  if (typeof raw === 'object' && raw !== null) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v
  }
  return out
}

/** labels.FormatLabels: the `k=v` strings sorted as strings (so `a.b=x` precedes `a=y`), or `<none>`. */
function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .sort(compareGoStrings)
  return pairs.length === 0 ? '<none>' : pairs.join(',')
}

/** formatLabelHeaders: `app.kubernetes.io/name` heads its column as NAME. */
export function labelColumnHeader(key: string): string {
  const parts = key.split('/')
  return parts[parts.length - 1]!.toUpperCase()
}

function decorate(table: Table, opts: PrintTableOptions): {columns: TableColumnDefinition[]; rows: Row[]} {
  const labelKeys = opts.labelColumns
  let width = table.columnDefinitions.length + labelKeys.length
  if (opts.withNamespace) width++
  if (opts.showLabels) width++

  let columns = table.columnDefinitions
  const prefix = opts.namePrefix ?? ''
  // The column that gets the prefix is the first string column formatted as a name.
  const nameColumn = prefix !== '' ? columns.findIndex((c) => c.format === 'name' && c.type === 'string') : -1

  if (width !== table.columnDefinitions.length) {
    const extra = (name: string): TableColumnDefinition => ({name, type: 'string', format: '', description: '', priority: 0})
    columns = [
      ...(opts.withNamespace ? [extra('Namespace')] : []),
      ...table.columnDefinitions,
      ...labelKeys.map((k) => extra(labelColumnHeader(k))),
      ...(opts.showLabels ? [extra('Labels')] : []),
    ]
  }

  const includeLabels = labelKeys.length > 0 || opts.showLabels
  const rows: Row[] = (table.rows ?? []).map((r) => ({cells: [...(r.cells ?? [])], object: r.object ?? null}))
  if (includeLabels || opts.withNamespace || nameColumn !== -1) {
    for (const row of rows) {
      if (nameColumn !== -1 && nameColumn < row.cells.length) {
        row.cells[nameColumn] = prefix + cellText(row.cells[nameColumn] ?? null)
      }
      const m = metadataOf(row.object)
      if (!m) {
        if (opts.withNamespace) row.cells.unshift(null)
        // Upstream's loop re-reads the growing length, so it pads only about half the gap; the
        // missing trailing cells only change trailing padding, and we keep that byte for byte.
        for (let j = 0; j < width - row.cells.length; j++) row.cells.push(null)
        continue
      }
      if (opts.withNamespace) row.cells.unshift(typeof m['namespace'] === 'string' ? m['namespace'] : '')
      if (includeLabels) {
        const labels = labelsOf(m)
        for (const key of labelKeys) row.cells.push(labels[key] ?? '')
        if (opts.showLabels) row.cells.push(formatLabels(labels))
      }
    }
  }
  return {columns, rows}
}

// ---------------------------------------------------------------------------------------------
// Cell text (fmt.Sprint plus printers.WriteEscaped)

/** %v of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e+06 up. */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  const [mantissa, expText] = n.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  return String(n)
}

/** fmt.Sprint of a decoded JSON value: integers as integers, maps as `map[k:v]`, lists as `[a b]`. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? String(v) : formatGoFloat(v)
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `map[${Object.keys(o)
      .sort(compareGoStrings)
      .map((k) => `${k}:${goSprint(o[k])}`)
      .join(' ')}]`
  }
  return String(v)
}

/** terminalEscaper: ESC and CR would let a cell drive the terminal. */
function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r')
}

function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return ''
  if (typeof cell === 'string') {
    // Only the first line of a multi-line string is shown (form feed counts as a line break).
    const br = cell.search(/[\f\n\r]/)
    return br >= 0 ? escapeTerminal(cell.slice(0, br)) + '...' : escapeTerminal(cell)
  }
  return escapeTerminal(goSprint(cell))
}

// ---------------------------------------------------------------------------------------------
// The tab-separated stream kubectl writes (printers.printTable)

function tabbedText(columns: TableColumnDefinition[], rows: Row[], opts: PrintTableOptions): string {
  let out = ''
  if (!opts.noHeaders) {
    // No rows, no header either: the caller then reports "No resources found".
    if (rows.length === 0) return ''
    out += columns
      .filter((c) => opts.wide || c.priority === 0)
      .map((c) => c.name.toUpperCase())
      .join('\t')
    out += '\n'
  }
  for (const row of rows) {
    const parts: string[] = []
    for (let i = 0; i < row.cells.length; i++) {
      // Cells beyond the column definitions (a bad server table) are dropped, not printed.
      if (i >= columns.length) break
      if (!opts.wide && columns[i]!.priority !== 0) continue
      parts.push(cellText(row.cells[i]))
    }
    out += parts.join('\t') + '\n'
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Elastic tabstops (github.com/liggitt/tabwriter, as configured by cli-runtime)

export interface TabWriterOptions {
  minWidth: number
  padding: number
  padChar: string
  rememberWidths: boolean
}

/** GetNewTabWriter's settings. */
export const KUBECTL_TABWRITER: TabWriterOptions = {minWidth: 6, padding: 3, padChar: ' ', rememberWidths: true}

interface TwCell {
  text: string
  /** Width in code points: the tabwriter counts runes, not display columns. */
  width: number
  htab: boolean
}

class TabWriter {
  private lines: TwCell[][] = [[]]
  private cell = ''
  private widths: number[] = []
  private maxWidths: number[] = []
  private out = ''

  constructor(private readonly opts: TabWriterOptions) {}

  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
        const cells = this.terminateCell(ch === '\t')
        if (ch === '\n' || ch === '\f') {
          this.lines.push([])
          // A line of one cell cannot affect later alignment, so everything so far can go out.
          if (ch === '\f' || cells === 1) this.flush()
        }
      } else {
        this.cell += ch
      }
    }
  }

  flush(): string {
    if (this.cell.length > 0) this.terminateCell(false)
    this.format(0, this.lines.length)
    this.lines = [[]]
    this.cell = ''
    this.widths = []
    return this.out
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1]!
    line.push({text: this.cell, width: [...this.cell].length, htab})
    this.cell = ''
    return line.length
  }

  private pad(textWidth: number, cellWidth: number): void {
    this.out += this.opts.padChar.repeat(Math.max(0, cellWidth - textWidth))
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!
      line.forEach((c, j) => {
        if (c.text.length > 0) this.out += c.text
        if (j < this.widths.length) this.pad(c.width, this.widths[j]!)
      })
      // The last buffered line has no newline yet; flush has already emptied the pending cell.
      if (i + 1 < this.lines.length) this.out += '\n'
    }
  }

  /** Lays out the lines [line0, line1): each run of lines sharing column k forms one block. */
  private format(line0: number, line1: number): void {
    const column = this.widths.length
    for (let at = line0; at < line1; at++) {
      if (column >= this.lines[at]!.length - 1) continue
      this.writeLines(line0, at)
      line0 = at
      let width = this.opts.minWidth
      for (; at < line1; at++) {
        const line = this.lines[at]!
        if (column >= line.length - 1) break
        width = Math.max(width, line[column]!.width + this.opts.padding)
      }
      if (this.opts.rememberWidths) {
        if (this.maxWidths.length < this.widths.length) this.maxWidths.push(...this.widths.slice(this.maxWidths.length))
        const k = this.widths.length
        if (this.maxWidths.length === k) this.maxWidths.push(width)
        else if (this.maxWidths[k]! > width) width = this.maxWidths[k]!
        else if (this.maxWidths[k]! < width) this.maxWidths[k] = width
      }
      this.widths.push(width)
      this.format(line0, at)
      this.widths.pop()
      line0 = at
    }
    this.writeLines(line0, line1)
  }
}

/** Aligns tab-terminated cells the way kubectl's output writer does. */
export function tabwrite(text: string, opts: TabWriterOptions = KUBECTL_TABWRITER): string {
  const w = new TabWriter(opts)
  w.write(text)
  return w.flush()
}

// ---------------------------------------------------------------------------------------------

/** The text `kubectl get` prints for a server-side Table (empty when the table has no rows). */
export function printTable(table: Table, opts: PrintTableOptions): string {
  const {columns, rows} = decorate(table, opts)
  return tabwrite(tabbedText(columns, rows, opts))
}

/**
 * The line `kubectl get` writes to stderr when it printed nothing (without its newline): the
 * namespace is named unless the listing spanned all namespaces (-A) or the resource is
 * cluster-scoped — pass undefined for both. kubectl never names the resource type here.
 */
export function noResourcesMessage(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`
}
