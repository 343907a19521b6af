// Runs sequences of applies and updates against one object, the way structured-merge-diff's test fixture
// does, and reads back ownership per manager as printed paths.
import {strict as assert} from 'node:assert'
import {isMap, type JsonMap} from '../../../../src/patch/json-value.js'
import type {PatchMeta} from '../../../../src/patch/meta.js'
import {PatchSchema} from '../../../../src/patch/schema.js'
import {ApplyConflictError, FieldSet, type ManagedFieldsEntry, pathString, serverSideApply, trackUpdate} from '../../../../src/patch/ssa/index.js'
import {loadPatchMeta} from '../../../../src/schema/files.js'

export interface ApplyOp {
  apply: JsonMap
  manager: string
  force?: boolean
  /** The expected conflict message; the object must stay unchanged. */
  conflicts?: string
  subresource?: string
}

export interface UpdateOp {
  update: JsonMap
  manager: string
  subresource?: string
}

export type Op = ApplyOp | UpdateOp

export const META: PatchMeta = loadPatchMeta('1.36')

export function kindSchema(apiVersion: string, kind: string): PatchSchema {
  return PatchSchema.forKind(META, apiVersion, kind)
}

/** The time of the n-th operation, one second apart. */
export function timeAt(n: number): string {
  return new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString()
}

export class Scenario {
  object: JsonMap | undefined
  private step = 0

  constructor(
    readonly schema: PatchSchema,
    readonly apiVersion: string,
    readonly kind: string,
    readonly name = 'x',
  ) {}

  /** A scenario over a made-up root type, for cases ported from structured-merge-diff. */
  static custom(meta: PatchMeta, root: string): Scenario {
    return new Scenario(new PatchSchema(meta, root), 'v1', 'Test')
  }

  private wrap(body: JsonMap): JsonMap {
    return {apiVersion: this.apiVersion, kind: this.kind, metadata: {name: this.name}, ...body}
  }

  run(ops: Op[]): this {
    for (const op of ops) {
      if ('apply' in op) this.apply(op.apply, op.manager, op)
      else this.update(op.update, op.manager, op.subresource)
    }
    return this
  }

  apply(config: JsonMap, manager: string, opts: {force?: boolean; conflicts?: string; subresource?: string} = {}): JsonMap | undefined {
    const now = timeAt(this.step++)
    const full = isMap(config.metadata) || config.apiVersion ? config : this.wrap(config)
    const args = {live: this.object, config: full, manager, force: opts.force ?? false, schema: this.schema, apiVersion: this.apiVersion, now, subresource: opts.subresource}
    if (opts.conflicts !== undefined) {
      assert.throws(() => serverSideApply(args), (err: unknown) => err instanceof ApplyConflictError && err.message === opts.conflicts)
      return this.object
    }
    this.object = serverSideApply(args) as JsonMap
    return this.object
  }

  update(body: JsonMap, manager: string, subresource?: string): JsonMap {
    const now = timeAt(this.step++)
    const updated = isMap(body.metadata) || body.apiVersion ? body : this.wrap(body)
    this.object = trackUpdate({old: this.object, updated, manager, schema: this.schema, apiVersion: this.apiVersion, now, subresource}) as JsonMap
    return this.object
  }

  entries(): ManagedFieldsEntry[] {
    const meta = this.object?.metadata
    return isMap(meta) && Array.isArray(meta.managedFields) ? (meta.managedFields as ManagedFieldsEntry[]) : []
  }

  /** Owned paths per `manager` (updaters as `manager (Update)` when the name is used for both). */
  owned(): Record<string, string[]> {
    const out: Record<string, string[]> = {}
    for (const e of this.entries()) {
      const key = e.subresource ? `${e.manager}/${e.subresource}` : e.manager
      out[key] = FieldSet.fromFieldsV1(e.fieldsV1).paths().map((p) => pathString(p))
    }
    return out
  }

  /** The object without apiVersion, kind and metadata. */
  body(): JsonMap {
    const {apiVersion: _a, kind: _k, metadata: _m, ...rest} = this.object ?? {}
    return rest
  }
}
