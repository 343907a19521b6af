// The tables of resources without a built-in printer: the generic NAME / CREATED AT convertor of the
// API server (Roles, LimitRanges, CRDs, ...), custom resources with their additionalPrinterColumns
// (NAME / AGE when a CRD declares none), and the aggregator's APIService table.
import {parseTimestamp, translateTimestampSince} from '../../print/age.js'
import {formatGoFloat} from '../../print/table.js'
import {compileJsonPath, findResults, JsonPathError, type CompiledJsonPath} from './jsonpath.js'
import {CREATION_TIMESTAMP_DESCRIPTION, NAME_DESCRIPTION, age, ageColumn, column, isObj, meta, nameColumn, nameOf, objs, spec, status, str} from './helpers.js'
import type {Cell, KindPrinter, PrinterColumn, TableColumnDefinition} from './types.js'

/** time.Time.UTC().Format(time.RFC3339): whole seconds, `Z`; Go's zero time when unset. */
export function formatRFC3339(value: unknown): string {
  const t = parseTimestamp(value)
  if (!t) return '0001-01-01T00:00:00Z'
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** rest.NewDefaultTableConvertor: what built-in resources without a printer (Role, LimitRange, CRD...) show. */
export const defaultTablePrinter: KindPrinter = {
  columns: [column('Name', 'string', NAME_DESCRIPTION, {format: 'name'}), column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION)],
  row: (o) => ({cells: [nameOf(o), formatRFC3339(meta(o)['creationTimestamp'])]}),
}

// ---------------------------------------------------------------------------------------------
// Custom resources

/** The API server's logical default for a CRD version without additionalPrinterColumns. */
export const DEFAULT_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  {name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp'},
]

function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep)
  if (isObj(v)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) out[k] = sortKeysDeep(v[k])
    return out
  }
  return v
}

/** encoding/json.Marshal of decoded JSON: sorted map keys, HTML-sensitive characters escaped. */
export function marshalGoJSON(value: unknown): string {
  const text = JSON.stringify(sortKeysDeep(value)) ?? 'null'
  return text.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** JSONPath.PrintResults for one value: JSON for maps and lists, fmt.Print otherwise. */
function printJsonPathValue(v: unknown): string {
  if (v === null || v === undefined) return '<no value>'
  if (typeof v === 'object') return marshalGoJSON(v)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatGoFloat(v)
  return String(v)
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** cellForJSONValue: a typed cell, or nil when the value does not fit the column's type. */
function cellForJSONValue(type: string, value: unknown, now: Date): Cell {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null
    case 'number':
      return typeof value === 'number' ? value : null
    case 'boolean':
      return typeof value === 'boolean' ? value : null
    case 'string':
      return typeof value === 'string' ? value : null
    case 'date':
      if (typeof value !== 'string') return null
      if (value === '' || value === 'null') return '<unknown>'
      // A well-formed but impossible date (month 13) does not parse in Go either.
      if (!RFC3339.test(value) || Number.isNaN(new Date(value).getTime())) return '<invalid>'
      return translateTimestampSince(value, now)
    default:
      return null
  }
}

interface CompiledColumn {
  header: TableColumnDefinition
  path: CompiledJsonPath
}

/**
 * tableconvertor.New: NAME, then one column per printer column. Like upstream, a column whose JSONPath
 * does not parse ends the list there (the CRD falls back to the columns before it).
 */
export function customResourcePrinter(printerColumns: readonly PrinterColumn[]): KindPrinter {
  const defs = printerColumns.length > 0 ? printerColumns : DEFAULT_PRINTER_COLUMNS
  const compiled: CompiledColumn[] = []
  for (const col of defs) {
    let path: CompiledJsonPath
    try {
      path = compileJsonPath(col.jsonPath)
    } catch {
      break
    }
    const description = col.description ? col.description : `Custom resource definition column (in JSONPath format): ${col.jsonPath}`
    compiled.push({
      header: {name: col.name, type: col.type, format: col.format ?? '', description, priority: col.priority ?? 0},
      path,
    })
  }
  return {
    columns: [column('Name', 'string', NAME_DESCRIPTION, {format: 'name'}), ...compiled.map((c) => c.header)],
    row(o, ctx) {
      const cells: Cell[] = [nameOf(o)]
      for (const {header, path} of compiled) {
        let results: unknown[]
        try {
          results = findResults(path, o)
        } catch (e) {
          if (!(e instanceof JsonPathError)) throw e
          results = []
        }
        if (results.length === 0) {
          cells.push(null)
          continue
        }
        // Only the first match is shown, as upstream only supports "simple" paths here.
        const value = results[0]
        cells.push(header.type === 'string' ? printJsonPathValue(value) : cellForJSONValue(header.type, value, ctx.now))
      }
      return {cells}
    },
  }
}

// ---------------------------------------------------------------------------------------------
// apiregistration.k8s.io APIService (kube-aggregator's own ConvertToTable)

export const apiServicePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'string', 'Whether this service is available.'),
    ageColumn(),
  ],
  row(o, ctx) {
    const svc = spec(o)['service']
    const service = isObj(svc) ? `${str(svc['namespace'])}/${str(svc['name'])}` : 'Local'
    let available = 'Unknown'
    const c = objs(status(o)['conditions']).find((x) => x['type'] === 'Available')
    if (c) {
      const s = str(c['status'])
      available = s !== 'True' && str(c['reason']) !== '' ? `${s} (${str(c['reason'])})` : s
    }
    return {cells: [nameOf(o), service, available, age(o, ctx.now)]}
  },
}
