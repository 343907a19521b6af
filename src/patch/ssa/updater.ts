// structured-merge-diff's merge.Updater: ownership after a write (Update), and Apply, which merges a
// config, prunes what the applier stopped sending, and detects conflicts with other managers.
import {deepEqual} from '../json-value.js'
import {ConflictList} from './conflict.js'
import {fastPathsEnabled} from './fast-paths.js'
import {FieldSet} from './fieldset.js'
import type {VersionedSet} from './managed.js'
import {type Comparison, compareValues, excludeFields, mergeValues} from './merge.js'
import {ensureNamedFieldsAreMembers, removeItems, toFieldSet} from './typed.js'
import type {SsaSchema} from './types.js'

export type ManagerSets = Map<string, VersionedSet>

export interface UpdaterOptions {
  readonly schema: SsaSchema
  /** The request's group/version; managers at other versions are compared as if converted. */
  readonly apiVersion: string
  /** Reset fields of the endpoint's strategy: never owned, never in conflict. */
  readonly ignored: FieldSet | undefined
}

function withSet(vs: VersionedSet, set: FieldSet): VersionedSet {
  return {set, apiVersion: vs.apiVersion, applied: vs.applied}
}

/**
 * Ownership changes of a write from oldObj to newObj by workflow: other managers lose the fields the
 * write removed, and the fields it changed or added (which, without force, are conflicts instead).
 */
function update(
  opts: UpdaterOptions,
  oldObj: unknown,
  newObj: unknown,
  managers: ManagerSets,
  workflow: string,
  force: boolean,
): {managers: ManagerSets; compare: Comparison} {
  const compare = excludeFields(compareValues(opts.schema, oldObj, newObj), opts.ignored)
  const changed = compare.modified.union(compare.added)
  const conflicts = new Map<string, {set: FieldSet; apiVersion: string}>()
  const out = new Map(managers)
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue
    const conflictSet = vs.set.intersection(changed)
    if (!conflictSet.isEmpty()) conflicts.set(manager, {set: conflictSet, apiVersion: vs.apiVersion})
  }
  if (!force && conflicts.size > 0) throw ConflictList.fromSets(conflicts)
  for (const [manager, conflict] of conflicts) {
    const vs = out.get(manager)
    if (vs) out.set(manager, withSet(vs, vs.set.difference(conflict.set)))
  }
  if (!compare.removed.isEmpty()) {
    for (const [manager, vs] of out) {
      if (manager !== workflow) out.set(manager, withSet(vs, vs.set.difference(compare.removed)))
    }
  }
  for (const [manager, vs] of out) if (vs.set.isEmpty()) out.delete(manager)
  return {managers: out, compare}
}

/** Updater.Update: the writer owns what it changed or added, minus what it removed. */
export function updateOwnership(opts: UpdaterOptions, live: unknown, newObj: unknown, managers: ManagerSets, manager: string): ManagerSets {
  const {managers: out, compare} = update(opts, live, newObj, managers, manager, true)
  const previous = out.get(manager)?.set ?? new FieldSet()
  let set = previous.union(compare.modified).union(compare.added).difference(compare.removed)
  if (opts.ignored) set = set.recursiveDifference(opts.ignored)
  if (set.isEmpty()) out.delete(manager)
  else out.set(manager, {set, apiVersion: opts.apiVersion, applied: false})
  return out
}

export interface ApplyResult {
  /** The merged object; undefined when it equals the live object. */
  readonly object: unknown
  readonly managers: ManagerSets
}

/** Updater.Apply: merge, take the config's fields, prune, then resolve ownership against everyone else. */
export function applyConfig(
  opts: UpdaterOptions,
  live: unknown,
  config: unknown,
  managers: ManagerSets,
  manager: string,
  force: boolean,
  configSet?: FieldSet,
): ApplyResult {
  let merged = mergeValues(opts.schema, live, config)
  const lastSet = managers.get(manager)
  let set = configSet ?? toFieldSet(opts.schema, config)
  if (opts.ignored) set = set.recursiveDifference(opts.ignored)
  const withApplier = new Map(managers)
  withApplier.set(manager, {set, apiVersion: opts.apiVersion, applied: true})
  merged = prune(opts, merged, withApplier, lastSet)
  const {managers: out} = update(opts, live, merged, withApplier, manager, force)
  return {object: deepEqual(live, merged) ? undefined : merged, managers: out}
}

/**
 * Removes what the applier applied last time and no longer applies, unless another manager owns it
 * or it was never the applier's (items other writers added inside are kept).
 */
function prune(opts: UpdaterOptions, merged: unknown, managers: ManagerSets, lastSet: VersionedSet | undefined): unknown {
  if (!lastSet || lastSet.set.isEmpty()) return merged
  const {schema} = opts
  const named = (s: FieldSet): FieldSet => ensureNamedFieldsAreMembers(schema, s)
  const lastNamed = named(lastSet.set)
  let pruned = removeItems(schema, merged, lastNamed)

  // addBackOwnedItems: anything some manager (the applier's new config included) owns comes back.
  let managed = new FieldSet()
  for (const vs of managers.values()) managed = managed.union(vs.set)
  const mergedSet = named(toFieldSet(schema, merged))
  const unowned = mergedSet.difference(named(toFieldSet(schema, pruned)).union(named(managed)))
  // Nothing to remove: the next step keeps all of merged, so nothing dangles either.
  if (fastPathsEnabled() && unowned.isEmpty()) return removeItems(schema, merged, new FieldSet())
  pruned = removeItems(schema, merged, unowned)

  // addBackDanglingItems: only what the applier owned last time may go.
  const prunedSet = named(toFieldSet(schema, pruned))
  return removeItems(schema, merged, mergedSet.difference(prunedSet).intersection(lastNamed))
}
