// Shared fixtures for the table tests: a fixed clock and shortcuts from objects to cells.
import {convertToTable, type Cell, type ConvertContext, type Table} from '../../../src/apiserver/tables/index.js'

export const NOW = new Date('2024-06-01T12:00:00Z')

/** An RFC 3339 timestamp `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.000Z$/, 'Z')
}

export function table(kind: string, group: string, objects: object[], extra: Partial<ConvertContext> = {}): Table {
  return convertToTable(objects, {now: NOW, kind, group, ...extra})
}

/** The cells of the single row the object prints as. */
export function cells(kind: string, group: string, object: object, extra: Partial<ConvertContext> = {}): Cell[] {
  const t = table(kind, group, [object], extra)
  if (t.rows.length !== 1) throw new Error(`expected one row, got ${t.rows.length}`)
  return t.rows[0]!.cells
}

export function headers(kind: string, group: string, extra: Partial<ConvertContext> = {}): string[] {
  return table(kind, group, [], extra).columnDefinitions.map((c) => (c.priority ? `${c.name}*` : c.name))
}
