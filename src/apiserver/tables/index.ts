// convertToTable: what the API server answers to `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
// for any resource. Picks the kind's printer (built-in, custom-resource columns, or the generic
// NAME / CREATED AT one), fills the rows and attaches each row's object as includeObject asks.
import {ADMISSION_PRINTERS} from './admission.js'
import {APPS_PRINTERS} from './apps.js'
import {AUTOSCALING_PRINTERS, POLICY_PRINTERS} from './autoscaling.js'
import {BATCH_PRINTERS} from './batch.js'
import {
  CERTIFICATES_PRINTERS,
  COORDINATION_PRINTERS,
  FLOWCONTROL_PRINTERS,
  INTERNAL_APISERVER_PRINTERS,
  NODE_PRINTERS,
  RESOURCE_PRINTERS,
  SCHEDULING_PRINTERS,
  STORAGE_MIGRATION_PRINTERS,
} from './cluster.js'
import {CORE_PRINTERS, coreEventFromEventsV1, eventPrinter} from './core.js'
import {apiServicePrinter, customResourcePrinter, defaultTablePrinter} from './generic.js'
import {isObj} from './helpers.js'
import {DISCOVERY_PRINTERS, NETWORKING_PRINTERS} from './networking.js'
import {RBAC_PRINTERS} from './rbac.js'
import {STORAGE_PRINTERS} from './storage.js'
import type {ConvertContext, IncludeObject, KindPrinter, Obj, PartialObjectMetadata, Table, TableListMeta, TableRow} from './types.js'

export type {
  Cell,
  ConvertContext,
  IncludeObject,
  KindPrinter,
  PartialObjectMetadata,
  PrinterColumn,
  Table,
  TableColumnDefinition,
  TableListMeta,
  TableRow,
  TableRowCondition,
} from './types.js'
export {TableConversionError} from './types.js'
export {compileJsonPath, findResults, JsonPathError} from './jsonpath.js'

const eventsV1Printer: KindPrinter = {
  columns: eventPrinter.columns,
  row: (o, ctx) => eventPrinter.row(coreEventFromEventsV1(o), ctx),
}

/** Built-in printers by API group, then kind. */
const BUILT_IN: Readonly<Record<string, Readonly<Record<string, KindPrinter>>>> = {
  '': CORE_PRINTERS,
  apps: APPS_PRINTERS,
  batch: BATCH_PRINTERS,
  autoscaling: AUTOSCALING_PRINTERS,
  policy: POLICY_PRINTERS,
  'rbac.authorization.k8s.io': RBAC_PRINTERS,
  'networking.k8s.io': NETWORKING_PRINTERS,
  'discovery.k8s.io': DISCOVERY_PRINTERS,
  'storage.k8s.io': STORAGE_PRINTERS,
  'admissionregistration.k8s.io': ADMISSION_PRINTERS,
  'coordination.k8s.io': COORDINATION_PRINTERS,
  'scheduling.k8s.io': SCHEDULING_PRINTERS,
  'node.k8s.io': NODE_PRINTERS,
  'certificates.k8s.io': CERTIFICATES_PRINTERS,
  'flowcontrol.apiserver.k8s.io': FLOWCONTROL_PRINTERS,
  'internal.apiserver.k8s.io': INTERNAL_APISERVER_PRINTERS,
  'storagemigration.k8s.io': STORAGE_MIGRATION_PRINTERS,
  'resource.k8s.io': RESOURCE_PRINTERS,
  'apiregistration.k8s.io': {APIService: apiServicePrinter},
  'events.k8s.io': {Event: eventsV1Printer},
}

/** Groups served by kube-apiserver itself: their kinds without a printer get NAME / CREATED AT. */
const BUILT_IN_GROUPS = new Set([
  ...Object.keys(BUILT_IN),
  'apiextensions.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'extensions',
])

/**
 * The printer the API server would use. `printerColumns` marks a custom resource; without it, an
 * unknown kind of a built-in group gets the generic table (Role, ClusterRole, LimitRange, CRD...),
 * and a kind of any other group is treated as a custom resource without printer columns.
 */
export function printerFor(group: string, kind: string, printerColumns?: ConvertContext['printerColumns']): KindPrinter {
  if (printerColumns !== undefined) return customResourcePrinter(printerColumns)
  const builtIn = BUILT_IN[group]?.[kind]
  if (builtIn) return builtIn
  if (BUILT_IN_GROUPS.has(group)) return defaultTablePrinter
  return customResourcePrinter([])
}

/** ObjectMeta's fields in declaration order, which is how Go serializes them. */
const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
] as const

/** Go's omitempty on ObjectMeta: zero strings, zero generation, empty maps and lists are left out. */
function isEmptyForJSON(field: string, v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true
  if (field === 'generation' && v === 0) return true
  if (Array.isArray(v)) return v.length === 0
  return isObj(v) && Object.keys(v).length === 0
}

/** meta.AsPartialObjectMetadata with the meta.k8s.io/v1 kind set, as the handler does. */
export function asPartialObjectMetadata(o: Obj): PartialObjectMetadata {
  const source = isObj(o['metadata']) ? o['metadata'] : {}
  const metadata: Record<string, unknown> = {}
  for (const field of OBJECT_META_FIELDS) {
    const v = source[field]
    // creationTimestamp is a struct in Go: a zero one still serializes, as null.
    if (field === 'creationTimestamp') metadata[field] = v === undefined ? null : structuredClone(v)
    else if (!isEmptyForJSON(field, v)) metadata[field] = structuredClone(v)
  }
  return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata}
}

function rowObject(o: Obj, include: IncludeObject): TableRow['object'] {
  switch (include) {
    case 'None':
      return null
    case 'Object':
      return o
    default:
      return asPartialObjectMetadata(o)
  }
}

function listMetadata(meta: TableListMeta): TableListMeta {
  // ListMeta's fields are all omitempty (remainingItemCount is a pointer: 0 is kept when set).
  const out: TableListMeta = {}
  if (meta.resourceVersion) out.resourceVersion = meta.resourceVersion
  if (meta.continue) out.continue = meta.continue
  if (meta.remainingItemCount !== undefined && meta.remainingItemCount !== null) out.remainingItemCount = meta.remainingItemCount
  return out
}

/**
 * Converts stored objects of one kind to a meta.k8s.io/v1 Table, as the API server does: every column
 * (wide ones included, with priority 1) and every cell, ages relative to `ctx.now`. `ctx.kind` is
 * the item kind (Pod, not PodList). Objects are expected as stored, i.e. defaulted; where a missing
 * default would change a cell (replicas, HPA targets, CSIDriver modes...) the printer applies it.
 */
export function convertToTable(objects: readonly object[], ctx: ConvertContext): Table {
  const printer = printerFor(ctx.group, ctx.kind, ctx.printerColumns)
  const items: Obj[] = objects.map((o) => (isObj(o) ? o : {}))
  const ordered = ctx.listMeta && printer.sortList ? printer.sortList(items) : items
  const include = ctx.includeObject ?? 'Metadata'
  const rows: TableRow[] = ordered.map((o) => {
    const printed = printer.row(o, {now: ctx.now})
    const object = rowObject(o, include)
    // Go's field order: cells, conditions (omitted when empty), object.
    return printed.conditions ? {cells: printed.cells, conditions: printed.conditions.map((c) => ({...c})), object} : {cells: printed.cells, object}
  })
  let metadata: TableListMeta
  if (ctx.listMeta) {
    metadata = listMetadata(ctx.listMeta)
  } else {
    const single = items.length === 1 ? items[0]! : undefined
    const rv = single && isObj(single['metadata']) ? single['metadata']['resourceVersion'] : undefined
    metadata = typeof rv === 'string' && rv !== '' ? {resourceVersion: rv} : {}
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: ctx.noHeaders ? [] : printer.columns.map((c) => ({...c})),
    rows,
  }
}
