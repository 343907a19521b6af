// Shared pieces of the per-kind table printers: defensive readers for decoded JSON (Go's zero values
// when a field is missing), the standard NAME/AGE columns, and the small formatters printers.go uses.
import {formatLabelSelector as formatSelectorOrNone, selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import {compareGoStrings} from '../../api/names.js'
import {parseQuantity} from '../../api/quantity.js'
import {translateTimestampSince} from '../../print/age.js'
import type {Obj, TableColumnDefinition} from './types.js'

// ---------------------------------------------------------------------------------------------
// Readers: a missing or mistyped field reads as Go's zero value, as it would after decoding.

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function obj(v: unknown): Obj {
  return isObj(v) ? v : {}
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

export function objs(v: unknown): Obj[] {
  return arr(v).map(obj)
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** An int32/int64 field; JSON numbers only (a stray string reads as 0, as decoding would reject it). */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0
}

export function bool(v: unknown): boolean {
  return v === true
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[k] = val
  return out
}

export function meta(o: Obj): Obj {
  return obj(o['metadata'])
}

export function nameOf(o: Obj): string {
  return str(meta(o)['name'])
}

export function spec(o: Obj): Obj {
  return obj(o['spec'])
}

export function status(o: Obj): Obj {
  return obj(o['status'])
}

/** metadata.deletionTimestamp != nil. */
export function isDeleting(o: Obj): boolean {
  const ts = meta(o)['deletionTimestamp']
  return ts !== undefined && ts !== null
}

export function age(o: Obj, now: Date): string {
  return translateTimestampSince(meta(o)['creationTimestamp'], now)
}

// ---------------------------------------------------------------------------------------------
// Column definitions

/** ObjectMeta's field docs, which upstream copies into the NAME and AGE column descriptions. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

export function column(name: string, type: string, description = '', extra: {format?: string; priority?: number} = {}): TableColumnDefinition {
  return {name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0}
}

/** A priority-1 column: shown by kubectl only with `-o wide`. */
export function wideColumn(name: string, type: string, description = ''): TableColumnDefinition {
  return column(name, type, description, {priority: 1})
}

export function nameColumn(): TableColumnDefinition {
  return column('Name', 'string', NAME_DESCRIPTION, {format: 'name'})
}

export function ageColumn(): TableColumnDefinition {
  return column('Age', 'string', CREATION_TIMESTAMP_DESCRIPTION)
}

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.'
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.'

/** The wide columns every pod-template workload ends with: Containers, Images and (mostly) Selector. */
export function templateWideColumns(withSelector = true): TableColumnDefinition[] {
  const cols = [wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION), wideColumn('Images', 'string', IMAGES_DESCRIPTION)]
  return withSelector ? [...cols, wideColumn('Selector', 'string')] : cols
}

// ---------------------------------------------------------------------------------------------
// Formatters

export function sortGo(values: Iterable<string>): string[] {
  return [...values].sort(compareGoStrings)
}

/** labels.FormatLabels: the `k=v` strings sorted as strings (so `a.b=x` precedes `a=y`), or `<none>`. */
export function formatLabels(labels: unknown): string {
  const m = strMap(labels)
  const pairs = sortGo(Object.entries(m).map(([k, v]) => `${k}=${v}`))
  return pairs.length === 0 ? '<none>' : pairs.join(',')
}

function asLabelSelector(v: unknown): LabelSelector | undefined {
  if (v === undefined || v === null) return undefined
  return obj(v) as LabelSelector
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it selects everything or is unset. */
export function formatLabelSelector(v: unknown): string {
  return formatSelectorOrNone(asLabelSelector(v))
}

/**
 * LabelSelectorAsSelector(...).String(), as the Deployment printer uses it: empty for an unset or
 * empty selector (no `<none>`), `<invalid>` when the selector does not parse.
 */
export function labelSelectorString(v: unknown): string {
  try {
    return selectorFromLabelSelector(asLabelSelector(v)).toString()
  } catch {
    return '<invalid>'
  }
}

/** layoutContainerCells: container names and images, each joined with commas. */
export function layoutContainerCells(containers: unknown): [string, string] {
  const list = objs(containers)
  return [list.map((c) => str(c['name'])).join(','), list.map((c) => str(c['image'])).join(',')]
}

/** The pod template's containers (`spec.template.spec.containers`) of a workload. */
export function templateContainers(o: Obj): unknown {
  return obj(obj(spec(o)['template'])['spec'])['containers']
}

/** resource.Quantity.String() of a JSON quantity; a missing one is the zero quantity, "0". */
export function quantityString(v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number') return '0'
  try {
    return parseQuantity(v).toString()
  } catch {
    // The API server never holds an unparsable quantity; show what was stored rather than fail.
    return String(v)
  }
}

/** (*resource.Quantity).String() of a pointer field: "<nil>" when unset. */
export function quantityPointerString(v: unknown): string {
  if (v === undefined || v === null) return '<nil>'
  return quantityString(v)
}

/** intstr.IntOrString.String(). */
export function intOrString(v: unknown): string {
  if (typeof v === 'number') return String(Math.trunc(v))
  return str(v)
}

/** printBool / printBoolPtr. */
export function printBool(v: boolean): string {
  return v ? 'True' : 'False'
}

export function printBoolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>'
  return printBool(v)
}

/** listWithMoreString: the first `max` entries, then ` + N more...`; `<unset>` for none. */
export function listWithMoreString(list: string[], more: boolean, count: number, max: number): string {
  const joined = list.join(',')
  if (more) return `${joined} + ${count - max} more...`
  return joined === '' ? '<unset>' : joined
}

/** net.JoinHostPort: brackets around a host that contains a colon (IPv6). */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The load balancer ingress points (IP, else hostname) as a sorted, de-duplicated list. */
export function loadBalancerIngress(lb: unknown): string[] {
  const set = new Set<string>()
  for (const ing of objs(obj(lb)['ingress'])) {
    const ip = str(ing['ip'])
    const host = str(ing['hostname'])
    if (ip !== '') set.add(ip)
    else if (host !== '') set.add(host)
  }
  return sortGo(set)
}

/**
 * loadBalancerStatusStringer. The API server always prints wide, so the 16-character clipping that
 * applies otherwise only matters to callers asking for narrow output.
 */
export function loadBalancerStatusString(lb: unknown, wide = true): string {
  let r = loadBalancerIngress(lb).join(',')
  if (!wide && r.length > 16) r = r.slice(0, 13) + '...'
  return r
}

/** The controller owner reference (`controller: true`), if any. */
export function controllerRef(o: Obj): Obj | undefined {
  return objs(meta(o)['ownerReferences']).find((r) => r['controller'] === true)
}

/** Go's %v of a []string: `[a b c]`. */
export function goStringSlice(values: unknown): string {
  return `[${arr(values).map((v) => str(v)).join(' ')}]`
}
