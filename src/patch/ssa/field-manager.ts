// The apiserver's field manager: server-side apply (PATCH application/apply-patch+yaml) and managed-fields
// tracking of every other write. Here: decoding and encoding managedFields, the last-applied sync and
// upgrade, skipping untracked objects; the rest of the upstream decorator chain is in chain.ts.
import {isMap, type JsonMap} from '../json-value.js'
import type {PatchSchema} from '../schema.js'
import {type Context, STRIP_SET, applyWithManaged, context, metadataOf, trackWrite, withoutManagedFields} from './chain.js'
import {readOnlyWithoutManagedFields} from './copy.js'
import {createdFields} from './create.js'
import {fastPathsEnabled} from './fast-paths.js'
import {ApplyConflictError, ConflictList} from './conflict.js'
import {KUBECTL_MANAGER, allowedConflictsFromLastApplied, buildLastApplied, lastAppliedOf, setLastApplied} from './last-applied.js'
import {type Managed, type ManagedFieldsEntry, ManagedFieldsError, decodeManagedFields, emptyManaged, encodeManagedFields, isResetManagedFields} from './managed.js'
import {restoreResetFields} from './reset.js'
import type {FieldSet} from './fieldset.js'
import {SsaTypeError, dropNulls, toFieldSet} from './typed.js'
import type {SsaSchema} from './types.js'
import {zeroObject} from './zero.js'

/** Thrown for apply requests the apiserver answers with 400 Bad Request. */
export class ApplyBadRequestError extends Error {
  override readonly name = 'ApplyBadRequestError'
}

/** Thrown when the config (or live object) does not fit the schema; the apiserver answers 500. */
export class ApplyTypedObjectError extends Error {
  override readonly name = 'ApplyTypedObjectError'
}

export interface ServerSideApplyArgs {
  /** The stored object, or undefined when the apply creates it. */
  live: object | undefined
  /** The apply configuration as sent. */
  config: object
  /** fieldManager; required by the apiserver for apply. */
  manager: string
  /** --force-conflicts: take the conflicting fields from their owners. */
  force: boolean
  schema: PatchSchema
  /** The endpoint's group/version (`apps/v1`, `v1`). */
  apiVersion: string
  /** The time of the request. */
  now: string
  /** `status` when applying to the status subresource. */
  subresource?: string
  /**
   * Fields the endpoint's strategy resets (GetResetFields): never owned, and kept at their live values.
   * Defaults: `status` for the main resource, `spec` for the status subresource, none for others.
   */
  resetFields?: readonly (readonly string[])[]
}

export interface TrackUpdateArgs {
  /** The stored object, or undefined for a create. */
  old: object | undefined
  /** The object about to be stored (after the patch, update or create is applied and defaulted). */
  updated: object
  manager: string
  schema: PatchSchema
  apiVersion: string
  now: string
  subresource?: string
  resetFields?: readonly (readonly string[])[]
}

function typedObjectName(config: JsonMap): string {
  const meta = metadataOf(config) ?? {}
  const apiVersion = typeof config.apiVersion === 'string' ? config.apiVersion : ''
  const slash = apiVersion.indexOf('/')
  const gv = slash < 0 ? `/${apiVersion}` : apiVersion
  return `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}; ${gv}, Kind=${String(config.kind ?? '')}`
}

function setManagedFields(object: JsonMap, managed: Managed): void {
  const entries = encodeManagedFields(managed)
  let meta = metadataOf(object)
  if (entries.length === 0) {
    if (meta) delete meta.managedFields
    return
  }
  if (!meta) {
    meta = {}
    object.metadata = meta
  }
  meta.managedFields = entries
}

/**
 * Server-side apply: merges config into live, removes what this manager applied before and no longer
 * applies (unless others own it), and records ownership. Throws ApplyConflictError when other managers
 * own fields the config changes, unless force, which takes them over.
 */
export function serverSideApply(args: ServerSideApplyArgs): object {
  const ctx = context(args)
  const config = args.config as JsonMap
  const configMeta = metadataOf(config)
  if (configMeta && Array.isArray(configMeta.managedFields)) throw new ApplyBadRequestError('metadata.managedFields must be nil')
  if (config.apiVersion !== args.apiVersion) {
    throw new ApplyBadRequestError(
      `Incorrect version specified in apply patch. Specified patch version: ${String(config.apiVersion ?? '')}, expected: ${args.apiVersion}`,
    )
  }
  let managed: Managed
  try {
    managed = decodeManagedFields(metadataOf(args.live)?.managedFields)
  } catch (err) {
    if (err instanceof ManagedFieldsError) throw new Error(`failed to decode managed fields: ${err.message}`)
    throw err
  }
  let configSet: FieldSet
  try {
    configSet = toFieldSet(ctx.schema, config)
  } catch (err) {
    if (err instanceof SsaTypeError) throw new ApplyTypedObjectError(`failed to create typed patch object (${typedObjectName(config)}): ${err.message}`)
    throw err
  }
  const live = args.live === undefined ? {} : readOnlyWithoutManagedFields(args.live)
  const kind = typeof config.kind === 'string' ? config.kind : ''
  const zero = args.live === undefined ? {} : zeroObject(ctx.schema.meta, ctx.patchSchema.typeName, args.apiVersion, kind)

  let result: {object: JsonMap; managed: Managed}
  try {
    try {
      result = applyWithManaged(ctx, live, zero, config, managed, args.manager, args.force, configSet)
    } catch (err) {
      // lastAppliedManager: kubectl's first server-side apply over client-side apply forces the
      // conflicts that only concern fields the last-applied configuration still accounts for.
      if (!(err instanceof ConflictList) || args.manager !== KUBECTL_MANAGER || args.live === undefined) throw err
      const allowed = allowedConflictsFromLastApplied(ctx.schema, live, args.apiVersion)
      if (!allowed) throw err
      const remaining = err.conflicts.filter((c) => !allowed.has(c.path))
      if (remaining.length > 0) throw new ConflictList(remaining)
      result = applyWithManaged(ctx, live, zero, config, managed, args.manager, true, configSet)
    }
  } catch (err) {
    if (err instanceof ConflictList) throw ApplyConflictError.from(err)
    if (err instanceof SsaTypeError) throw new ApplyTypedObjectError(`failed to create typed live object (${typedObjectName(config)}): ${err.message}`)
    throw err
  }

  const object = dropNulls(ctx.schema, result.object) as JsonMap
  // lastAppliedUpdater: keep an existing client-side apply annotation in step with kubectl's applies.
  if (args.manager === KUBECTL_MANAGER && lastAppliedOf(object) !== undefined) setLastApplied(object, buildLastApplied(config))
  restoreResetFields(object, args.live === undefined ? undefined : live, ctx.resetPaths)
  setManagedFields(object, result.managed)
  return object
}

/**
 * Managed fields for create, update, patch and other non-apply writes: the manager (operation Update)
 * owns what it changed or added; others lose what changed. Returns the updated object with
 * metadata.managedFields rewritten.
 */
export function trackUpdate(args: TrackUpdateArgs): object {
  const ctx = context(args)
  if (args.old === undefined && isMap(args.updated) && fastPathsEnabled()) {
    const created = trackCreate(ctx, args.updated, args.manager, args.apiVersion)
    if (created) return created
  }
  return trackGeneral(ctx, args)
}

function trackGeneral(ctx: Context, args: TrackUpdateArgs): object {
  const updated = args.updated as JsonMap
  const newObj = withoutManagedFields(updated)
  const kind = typeof updated.kind === 'string' ? updated.kind : ''
  const apiVersion = typeof updated.apiVersion === 'string' ? updated.apiVersion : args.apiVersion
  const live = args.old === undefined ? zeroObject(ctx.schema.meta, ctx.patchSchema.typeName, apiVersion, kind) : readOnlyWithoutManagedFields(args.old)
  try {
    const managed = decodeLiveOrNew(args.old, updated, ctx.subresource !== '')
    // skipNonAppliedManager: an existing object nobody tracks stays untracked until its first apply.
    if (managed.fields.size === 0 && args.old !== undefined && metadataOf(args.old)?.uid) {
      setManagedFields(newObj, managed)
      return newObj
    }
    setManagedFields(newObj, trackWrite(ctx, live, newObj, managed, args.manager))
    return newObj
  } catch (err) {
    // UpdateNoErrors: a write is never refused over managed fields; they are dropped instead.
    if (err instanceof SsaTypeError || err instanceof ManagedFieldsError) {
      const meta = metadataOf(newObj)
      if (meta) delete meta.managedFields
      return newObj
    }
    throw err
  }
}

// The zero objects of kinds with a definition, which do not depend on the request; only ever read.
const zeroObjects = new WeakMap<SsaSchema, JsonMap>()

/**
 * A create without managed fields in the request: the writer's entry straight from one walk (see
 * create.ts), or undefined when the general path has to decide.
 */
function trackCreate(ctx: Context, updated: JsonMap, manager: string, requestVersion: string): object | undefined {
  if (decodeLiveOrNew(undefined, updated, ctx.subresource !== '').fields.size > 0) return undefined
  let zero: JsonMap
  if (ctx.schema.root.kind === 'struct' && ctx.schema.root.name !== undefined) {
    zero = zeroObjects.get(ctx.schema) ?? zeroObject(ctx.schema.meta, ctx.schema.root.name, '', '')
    zeroObjects.set(ctx.schema, zero)
  } else {
    const kind = typeof updated.kind === 'string' ? updated.kind : ''
    const apiVersion = typeof updated.apiVersion === 'string' ? updated.apiVersion : requestVersion
    zero = {apiVersion, kind}
  }
  const created = createdFields(ctx.schema, updated, zero, ctx.ignored, STRIP_SET)
  if (!created) return undefined
  const {object, fieldsV1} = created
  if (fieldsV1 === undefined) return object
  let meta = metadataOf(object)
  if (!meta) {
    meta = {}
    object.metadata = meta
  }
  const entry: ManagedFieldsEntry = {
    manager: manager || 'unknown',
    operation: 'Update',
    apiVersion: ctx.apiVersion,
    time: ctx.now,
    fieldsType: 'FieldsV1',
    fieldsV1,
  }
  if (ctx.subresource) entry.subresource = ctx.subresource
  meta.managedFields = [entry]
  return object
}

/**
 * The managed fields a write starts from: the request's own (clients may edit them), unless the request
 * resets them, sends none, or targets a subresource; then the live object's.
 */
function decodeLiveOrNew(old: object | undefined, updated: JsonMap, ignoreRequest: boolean): Managed {
  const fromLive = (): Managed => {
    try {
      return decodeManagedFields(metadataOf(old)?.managedFields)
    } catch {
      return emptyManaged()
    }
  }
  if (ignoreRequest) return fromLive()
  const requested = metadataOf(updated)?.managedFields
  if (isResetManagedFields(requested)) return emptyManaged()
  try {
    const managed = decodeManagedFields(requested)
    return managed.fields.size === 0 ? fromLive() : managed
  } catch {
    return fromLive()
  }
}
