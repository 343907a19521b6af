// Label and field selectors of list and watch requests, checked against the fields the real
// apiserver supports for each kind, with its error texts.
import {parseSelector, type Selector} from '../api/labels.js'
import {parseFieldSelector, type FieldSelector} from '../api/fields.js'
import {badRequest} from './errors.js'
import type {ServedResource} from './catalog.js'
import type {Obj} from './types.js'
import type {Strategy, StrategyContext} from './strategy-port.js'

export interface Selection {
  labels?: Selector
  fields?: FieldSelector
  /** Whether an object is selected. */
  matches(o: Obj): boolean
  empty: boolean
}

export function gvrText(r: ServedResource): string {
  return `${r.group}/${r.version}, Resource=${r.plural}`
}

export function selection(r: ServedResource, query: Record<string, string | undefined>, strategy: Strategy, ctx: StrategyContext): Selection {
  const ls = query.labelSelector ?? ''
  const fs = query.fieldSelector ?? ''
  const fail = (why: string) =>
    badRequest(`Unable to find "${gvrText(r)}" that match label selector "${ls}", field selector "${fs}": ${why}`)
  let labels: Selector | undefined
  let fields: FieldSelector | undefined
  try {
    if (ls.trim()) labels = parseSelector(ls)
  } catch (e) {
    throw fail((e as Error).message)
  }
  try {
    if (fs.trim()) fields = parseFieldSelector(fs)
  } catch (e) {
    throw fail((e as Error).message)
  }
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version
  if (fields) {
    for (const req of fields.requirements()) {
      const error = strategy.fieldSelectorError(apiVersion, r.kind, req.field, ctx)
      if (error) throw fail(error)
    }
  }
  const matches = (o: Obj): boolean => {
    if (labels) {
      const m = (o.metadata as Obj | undefined)?.labels as Record<string, string> | undefined
      if (!labels.matches(m ?? {})) return false
    }
    if (fields && !fields.matches(strategy.fieldsForSelector(o, ctx))) return false
    return true
  }
  return {labels, fields, matches, empty: !labels && !fields}
}
