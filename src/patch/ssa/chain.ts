// The field manager's chain below decoding: manager identifiers, the write's ownership under a
// placeholder folded into the writer's entry, entry times, stripped metadata and the cap on updaters.
import {compareGoStrings, isMap, type JsonMap} from '../json-value.js'
import type {PatchSchema} from '../schema.js'
import {cloneJson, cloneWithoutManagedFields} from './copy.js'
import {FieldSet} from './fieldset.js'
import {type Managed, formatTime, managerIdentifier} from './managed.js'
import {type Path, path} from './path.js'
import {SsaSchema} from './types.js'
import {type ManagerSets, type UpdaterOptions, applyConfig, updateOwnership} from './updater.js'

const CURRENT_OPERATION = 'current-operation'
const BEFORE_FIRST_APPLY = 'before-first-apply'
const ANCIENT_CHANGES = 'ancient-changes'
const MAX_UPDATE_MANAGERS = 10

// Never part of anyone's fields (stripmeta.go).
export const STRIP_SET = new FieldSet(
  [
    ['apiVersion'],
    ['kind'],
    ['metadata'],
    ['metadata', 'name'],
    ['metadata', 'namespace'],
    ['metadata', 'creationTimestamp'],
    ['metadata', 'selfLink'],
    ['metadata', 'uid'],
    ['metadata', 'clusterName'],
    ['metadata', 'generation'],
    ['metadata', 'managedFields'],
    ['metadata', 'resourceVersion'],
  ].map((names) => path(...names)),
)

export interface Context extends UpdaterOptions {
  readonly patchSchema: PatchSchema
  readonly subresource: string
  readonly now: string
  readonly resetPaths: readonly Path[]
}

// The common strategies: the main resource resets status, the status subresource resets spec.
function defaultResetFields(subresource: string): string[][] {
  if (subresource === '') return [['status']]
  if (subresource === 'status') return [['spec']]
  return []
}

interface ResetFields {
  readonly paths: readonly Path[]
  readonly ignored: FieldSet | undefined
}

function resetFieldsOf(names: readonly (readonly string[])[]): ResetFields {
  const paths = names.map((n) => path(...n))
  return {paths, ignored: paths.length > 0 ? new FieldSet(paths) : undefined}
}

// The default reset fields per subresource; the sets are only ever read.
const defaultResets = new Map<string, ResetFields>()

let lastNow: {text: string; formatted: string} | undefined

function requestTime(now: string): string {
  if (lastNow?.text !== now) lastNow = {text: now, formatted: formatTime(now)}
  return lastNow.formatted
}

/** What every step of one request needs: schema, version, reset fields, subresource, request time. */
export function context(args: {schema: PatchSchema; apiVersion: string; now: string; subresource?: string; resetFields?: readonly (readonly string[])[]}): Context {
  const subresource = args.subresource ?? ''
  let reset: ResetFields | undefined
  if (args.resetFields) {
    reset = resetFieldsOf(args.resetFields)
  } else {
    reset = defaultResets.get(subresource)
    if (!reset) {
      reset = resetFieldsOf(defaultResetFields(subresource))
      if (defaultResets.size < 100) defaultResets.set(subresource, reset)
    }
  }
  return {
    schema: SsaSchema.from(args.schema),
    patchSchema: args.schema,
    apiVersion: args.apiVersion,
    ignored: reset.ignored,
    subresource,
    now: typeof args.now === 'string' ? requestTime(args.now) : formatTime(args.now),
    resetPaths: reset.paths,
  }
}

export function metadataOf(obj: unknown): JsonMap | undefined {
  return isMap(obj) && isMap(obj.metadata) ? obj.metadata : undefined
}

/** A copy without metadata.managedFields: ownership is never computed over the ownership records. */
export function withoutManagedFields(obj: unknown): JsonMap {
  return cloneWithoutManagedFields(obj)
}

function stripFields(sets: ManagerSets, manager: string): ManagerSets {
  const vs = sets.get(manager)
  if (!vs) return sets
  const out = new Map(sets)
  const set = vs.set.difference(STRIP_SET)
  if (set.isEmpty()) out.delete(manager)
  else out.set(manager, {set, apiVersion: vs.apiVersion, applied: vs.applied})
  return out
}

/** capManagersManager: past ten update entries, the oldest merge into one "ancient-changes" entry per version. */
function capUpdateManagers(managed: Managed): Managed {
  const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id)
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managed
  const seconds = (id: string): number => {
    const t = managed.times.get(id)
    return t === undefined ? 0 : Math.floor(Date.parse(t) / 1000) || 0
  }
  updaters.sort((a, b) => seconds(a) - seconds(b) || compareGoStrings(a, b))
  const fields = new Map(managed.fields)
  const times = new Map(managed.times)
  const firstOfVersion = new Map<string, string>()
  let count = updaters.length
  for (const id of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break
    const vs = fields.get(id)
    if (!vs) continue
    const bucket = managerIdentifier({manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: vs.apiVersion})
    const first = firstOfVersion.get(vs.apiVersion)
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, id)
      continue
    }
    if (!fields.has(bucket)) {
      const firstSet = fields.get(first)
      fields.delete(first)
      if (firstSet) fields.set(bucket, firstSet)
    }
    const current = fields.get(bucket)
    fields.set(bucket, {set: vs.set.union(current?.set ?? new FieldSet()), apiVersion: vs.apiVersion, applied: vs.applied})
    fields.delete(id)
    count--
    times.set(bucket, managed.times.get(id))
  }
  return {fields, times}
}

/** The update path below the skip-until-applied check: identifier, the write's ownership, entry time, cap. */
export function trackWrite(ctx: Context, live: unknown, newObj: unknown, managed: Managed, manager: string): Managed {
  const id = managerIdentifier({manager: manager || 'unknown', operation: 'Update', apiVersion: ctx.apiVersion, subresource: ctx.subresource})
  // The write is first recorded under a placeholder, so that the manager's own earlier entry is treated
  // like anyone else's, then folded into that entry.
  const sets = stripFields(updateOwnership(ctx, live, newObj, managed.fields, CURRENT_OPERATION), CURRENT_OPERATION)
  const times = new Map(managed.times)
  const current = sets.get(CURRENT_OPERATION)
  if (current) {
    sets.delete(CURRENT_OPERATION)
    const previous = sets.get(id)
    sets.set(id, {set: previous ? current.set.union(previous.set) : current.set, apiVersion: current.apiVersion, applied: current.applied})
    times.set(id, ctx.now)
  }
  return capUpdateManagers({fields: sets, times})
}

/** The apply path below the last-applied handling: before-first-apply, identifier, merge, entry time. */
export function applyWithManaged(
  ctx: Context,
  live: JsonMap,
  zero: JsonMap,
  config: JsonMap,
  managed: Managed,
  manager: string,
  force: boolean,
  configSet?: FieldSet,
): {object: JsonMap; managed: Managed} {
  let current = managed
  // Objects nobody tracked yet: what is there belongs to "before-first-apply".
  if (current.fields.size === 0) current = trackWrite(ctx, zero, live, current, BEFORE_FIRST_APPLY)
  const id = managerIdentifier({manager: manager || 'unknown', operation: 'Apply', subresource: ctx.subresource})
  const result = applyConfig(ctx, live, config, current.fields, id, force, configSet)
  const fields = stripFields(result.managers, id)
  const times = new Map(current.times)
  let object: JsonMap
  if (result.object === undefined) {
    object = cloneJson(live)
  } else {
    object = isMap(result.object) ? result.object : {}
    times.set(id, ctx.now)
  }
  return {object, managed: {fields, times}}
}
