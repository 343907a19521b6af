// The meta.k8s.io/v1 Table the API server returns for `Accept: application/json;as=Table`, and the
// shape of the per-kind printers that fill it (one columns list and one row function per kind).

/** A cell as it travels in JSON: Go's int64, string, bool or float, nil, or (rarely) a JSON value. */
export type Cell = string | number | boolean | null | Record<string, unknown> | unknown[]

export interface TableColumnDefinition {
  name: string
  /** OpenAPI type: string, integer, number, boolean, date. */
  type: string
  /** "name" marks the column holding the object's name; otherwise usually empty. */
  format: string
  description: string
  /** 0 for the default view; 1 for columns kubectl shows only with `-o wide`. */
  priority: number
}

export interface TableRowCondition {
  type: string
  status: string
  reason?: string
  message?: string
}

/** metav1.PartialObjectMetadata: the row object kubectl asks for by default (includeObject=Metadata). */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata'
  apiVersion: 'meta.k8s.io/v1'
  metadata: Record<string, unknown>
}

export interface TableRow {
  cells: Cell[]
  conditions?: TableRowCondition[]
  /** Go always serializes this field; with includeObject=None it is null. */
  object: PartialObjectMetadata | Record<string, unknown> | null
}

export interface TableListMeta {
  resourceVersion?: string
  continue?: string
  remainingItemCount?: number
}

export interface Table {
  kind: 'Table'
  apiVersion: 'meta.k8s.io/v1'
  metadata: TableListMeta
  columnDefinitions: TableColumnDefinition[]
  rows: TableRow[]
}

export type IncludeObject = 'None' | 'Object' | 'Metadata'

/** A CRD's additionalPrinterColumns entry (apiextensions.k8s.io/v1 CustomResourceColumnDefinition). */
export interface PrinterColumn {
  name: string
  type: string
  format?: string
  description?: string
  priority?: number
  jsonPath: string
}

export interface ConvertContext {
  /** The server's clock: every AGE-like cell is relative to it. */
  now: Date
  kind: string
  /** API group; '' for the core group. */
  group: string
  /** Set when converting a list; without it a single object's resourceVersion is used. */
  listMeta?: TableListMeta
  /** What each row carries in `object`; the API server's default (and kubectl's request) is Metadata. */
  includeObject?: IncludeObject
  /** TableOptions.noHeaders: leave out the column definitions. */
  noHeaders?: boolean
  /**
   * For custom resources: the served version's additionalPrinterColumns. An empty list gets the
   * API server's default AGE column. Leave it undefined for built-in kinds.
   */
  printerColumns?: PrinterColumn[]
}

/** A JSON object as decoded from the store; printers read it defensively. */
export type Obj = Record<string, unknown>

export interface PrintContext {
  now: Date
}

export interface PrintedRow {
  cells: Cell[]
  conditions?: TableRowCondition[]
}

/** What a per-kind printer declares: its columns and how one object becomes one row. */
export interface KindPrinter {
  columns: TableColumnDefinition[]
  row(obj: Obj, ctx: PrintContext): PrintedRow
  /** Some list printers reorder items (FlowSchemas by precedence); the default keeps store order. */
  sortList?(items: Obj[]): Obj[]
}

/** Thrown where the API server's conversion would fail the request. */
export class TableConversionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TableConversionError'
  }
}
