// ObjectMeta rules every strategy shares: the update checks of ValidateObjectMetaUpdate, generation
// handling, and the embedded-template metadata the apiserver prints.
import {compareGoStrings, quoteGo} from '../../api/names.js'
import type {Problem} from '../../schema/problems.js'
import {arr, atLeast, forbidden, immutable, invalid, num, obj, str, type Obj, type StrategyContext} from './util.js'

/**
 * ValidateObjectMetaAccessorUpdate: the metadata of an update against the stored object. Label,
 * annotation and owner-reference syntax is create-time validation (src/schema/semantic) and is not
 * repeated here.
 */
export function validateObjectMetaUpdate(newObj: Obj, oldObj: Obj): Problem[] {
  const out: Problem[] = []
  const n = obj(newObj.metadata) ?? {}
  const o = obj(oldObj.metadata) ?? {}
  if (o.deletionTimestamp) {
    const before = new Set(arr(o.finalizers).map(String))
    const extra = [...new Set(arr(n.finalizers).map(String))].filter((f) => !before.has(f)).sort(compareGoStrings)
    if (extra.length > 0) {
      // %#v of a []string.
      const shown = `[]string{${extra.map(quoteGo).join(', ')}}`
      out.push(forbidden(['metadata', 'finalizers'], `no new finalizers can be added if the object is being deleted, found new finalizers ${shown}`))
    }
  }
  if (!str(n.resourceVersion)) out.push(invalid(['metadata', 'resourceVersion'], str(n.resourceVersion) ?? '', 'must be specified for an update'))
  const newGen = num(n.generation) ?? 0
  const oldGen = num(o.generation) ?? 0
  if (newGen < oldGen) out.push(invalid(['metadata', 'generation'], newGen, 'must not be decremented'))
  immutable(out, ['metadata', 'name'], str(n.name) ?? '', str(o.name) ?? '')
  immutable(out, ['metadata', 'namespace'], str(n.namespace) ?? '', str(o.namespace) ?? '')
  immutable(out, ['metadata', 'uid'], str(n.uid) ?? '', str(o.uid) ?? '')
  // The store copies creationTimestamp and a set deletionTimestamp/grace period from the old object
  // before validating, so these only fire for a request that tries to start a deletion itself.
  if (n.creationTimestamp !== undefined && o.creationTimestamp !== undefined) {
    immutable(out, ['metadata', 'creationTimestamp'], n.creationTimestamp, o.creationTimestamp)
  }
  immutable(out, ['metadata', 'deletionTimestamp'], n.deletionTimestamp ?? null, o.deletionTimestamp ?? null)
  immutable(out, ['metadata', 'deletionGracePeriodSeconds'], n.deletionGracePeriodSeconds ?? null, o.deletionGracePeriodSeconds ?? null)
  return out
}

/** The generation the store would keep: clients cannot set it, so an update starts from the old one. */
export function carryGeneration(newObj: Obj, oldObj: Obj): number {
  const gen = num(obj(oldObj.metadata)?.generation) ?? 0
  const meta = obj(newObj.metadata)
  if (meta) {
    if (gen > 0) meta.generation = gen
    else delete meta.generation
  }
  return gen
}

export function setGeneration(o: Obj, gen: number): void {
  const meta = obj(o.metadata)
  if (meta) meta.generation = gen
}

/**
 * The metadata of an embedded template (pod template, job template, volume claim template). The
 * object is a non-pointer struct, so it always prints; before 1.34 its zero creationTimestamp
 * printed as `creationTimestamp: null` (1.34 marked the field omitzero).
 */
export function templateMetadata(template: Obj, ctx: StrategyContext): void {
  const meta = obj(template.metadata) ?? {}
  if (template.metadata === undefined) insertInOrder(template, 'metadata', meta, ['apiVersion', 'kind', 'metadata', 'spec', 'status'])
  else template.metadata = meta
  if (!atLeast(ctx, 34) && meta.creationTimestamp === undefined) insertInOrder(meta, 'creationTimestamp', null, OBJECT_META_ORDER)
}

// ObjectMeta's field order, which `-o json` follows.
const OBJECT_META_ORDER = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]

/** Adds `key` where a Go struct would print it, so JSON output keeps the apiserver's field order. */
export function insertInOrder(o: Obj, key: string, value: unknown, order: readonly string[]): void {
  const rank = order.indexOf(key)
  const entries = Object.entries(o).filter(([k]) => k !== key)
  const at = entries.findIndex(([k]) => order.indexOf(k) > rank)
  entries.splice(at < 0 ? entries.length : at, 0, [key, value])
  for (const k of Object.keys(o)) delete o[k]
  for (const [k, v] of entries) o[k] = v
}
