// Differential tests of the shortcuts (the create walk, lazily decoded FieldsV1, the uncopied live object,
// the pruning shortcut) against the general path: hundreds of generated Pods, Deployments, Services,
// ConfigMaps and custom resources, created, updated and applied in random sequences, must come out
// byte for byte the same (or fail with the same error) either way.
import {strict as assert} from 'node:assert'
import {isMap, type JsonMap} from '../../../../src/patch/json-value.js'
import {PatchSchema} from '../../../../src/patch/schema.js'
import {type ServerSideApplyArgs, type TrackUpdateArgs, serverSideApply, trackUpdate} from '../../../../src/patch/ssa/index.js'
import {generalPathOnly} from '../../../../src/patch/ssa/fast-paths.js'
import {KINDS, type Kind, Rng, edit} from './generate.js'
import {META} from './harness.js'

type Outcome = {ok: true; json: string} | {ok: false; error: string}

function outcome(fn: () => object): {outcome: Outcome; value?: object} {
  try {
    const value = fn()
    return {outcome: {ok: true, json: JSON.stringify(value)}, value}
  } catch (err) {
    return {outcome: {ok: false, error: `${(err as Error).name}: ${(err as Error).message}`}}
  }
}

/** Every object and array inside a value. */
function containers(value: unknown, into = new Set<object>()): Set<object> {
  if (typeof value === 'object' && value !== null && !into.has(value)) {
    into.add(value)
    for (const v of Object.values(value)) containers(v, into)
  }
  return into
}

/**
 * Runs a write through the shortcuts and through the general path alone: the same bytes or the same
 * error, inputs untouched, and a result that shares nothing with them.
 */
function same(label: string, call: () => object, args: {schema: PatchSchema}): Outcome {
  // The schema is shared and large; the rest is the request.
  const request = {...args, schema: undefined}
  const before = JSON.stringify(request)
  const fast = outcome(call)
  assert.equal(JSON.stringify(request), before, `${label}: the arguments were changed`)
  const general = outcome(() => generalPathOnly(call))
  assert.deepEqual(fast.outcome, general.outcome, `${label}: shortcut and general path differ for ${before}`)
  if (fast.value !== undefined) {
    const inputs = containers(request)
    for (const c of containers(fast.value)) assert.ok(!inputs.has(c), `${label}: the result shares an object with the arguments`)
  }
  return fast.outcome
}

const MANAGERS = ['kubectl', 'kubectl-client-side-apply', 'controller', 'kubectl-edit', '']

const schemas = new Map<string, PatchSchema>()

function schemaOf(kind: Kind): PatchSchema {
  // Custom resources are served without a schema; the apiserver makes a new one per request.
  if (kind.kind === 'Widget') return PatchSchema.schemaless()
  const key = `${kind.apiVersion}/${kind.kind}`
  let schema = schemas.get(key)
  if (!schema) {
    schema = PatchSchema.forKind(META, kind.apiVersion, kind.kind)
    schemas.set(key, schema)
  }
  return schema
}

/** Managed fields a client may send along: none, a reset, garbage, or an entry of its own. */
function requestedManagedFields(rng: Rng, obj: JsonMap): void {
  const meta = obj.metadata
  if (!isMap(meta)) return
  switch (rng.int(12)) {
    case 0:
      delete meta.managedFields
      break
    case 1:
      meta.managedFields = []
      break
    case 2:
      meta.managedFields = [{}]
      break
    case 3:
      meta.managedFields = [{manager: 'x', operation: 'Bogus', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {}}]
      break
    case 4:
      // Keys out of order and in another encoding than the apiserver writes.
      meta.managedFields = [
        {manager: 'client', operation: 'Update', apiVersion: 'v1', time: '2023-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {'f:spec': {'.': {}, 'f:x': {'k:{"b":1,"a":2}': {}}}, 'f:metadata': {'f:labels': {'f:a': {}, '.': {}}}}},
      ]
      break
    case 5:
      meta.managedFields = [{manager: 'client', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {'f:metadata': {'f:labels': {'.': {}, 'f:tier': {}}}, 'x:unknown': {}}}]
      break
    default:
      // Whatever the object carried: as the apiserver last wrote them, or none.
      break
  }
}

function scenario(seed: number): number {
  const rng = new Rng(seed)
  const kind = rng.pick(KINDS)
  const applyHeavy = seed % 2 === 0
  let live: JsonMap | undefined
  let calls = 0
  const steps = 1 + rng.int(applyHeavy ? 10 : 6)
  for (let step = 0; step < steps; step++) {
    const now = new Date(Date.UTC(2024, 0, 1, 0, 0, rng.chance(0.8) ? step : 0)).toISOString()
    const manager = applyHeavy ? rng.pick(['kubectl', 'ctrl']) : rng.pick(MANAGERS)
    const subresource = rng.chance(0.1) ? 'status' : undefined
    const resetFields = rng.chance(0.05) ? [['spec', 'replicas'], ['status']] : undefined
    const label = `seed ${seed} step ${step}`
    let result: Outcome
    if (rng.chance(applyHeavy ? 0.8 : 0.3)) {
      const config = live === undefined || rng.chance(applyHeavy ? 0.2 : 0.5) ? kind.make(rng, 'x') : edit(rng, live, kind)
      if (isMap(config.metadata)) delete config.metadata.managedFields
      const args: ServerSideApplyArgs = {live, config, manager: manager || 'kubectl', force: rng.chance(0.3), schema: schemaOf(kind), apiVersion: kind.apiVersion, now, subresource, resetFields}
      result = same(label, () => serverSideApply(args), args)
    } else {
      const create = live === undefined || rng.chance(0.25)
      const updated = create || rng.chance(0.15) ? kind.make(rng, 'x') : edit(rng, live as JsonMap, kind)
      requestedManagedFields(rng, updated)
      const args: TrackUpdateArgs = {old: create ? undefined : live, updated, manager, schema: schemaOf(kind), apiVersion: kind.apiVersion, now, subresource, resetFields}
      result = same(label, () => trackUpdate(args), args)
    }
    calls++
    if (result.ok && rng.chance(0.85)) live = JSON.parse(result.json) as JsonMap
  }
  return calls
}

describe('ssa: shortcuts agree with the general path', function () {
  this.timeout(120_000)

  it('on creates, updates and applies of generated objects', () => {
    let calls = 0
    for (let seed = 1; seed <= 400; seed++) calls += scenario(seed)
    assert.ok(calls > 1000)
  })

  it('on creates of generated objects with every variation of request', () => {
    for (let seed = 10_001; seed <= 10_300; seed++) {
      const rng = new Rng(seed)
      const kind = rng.pick(KINDS)
      const updated = kind.make(rng, `obj-${seed}`)
      requestedManagedFields(rng, updated)
      const args: TrackUpdateArgs = {
        old: undefined,
        updated,
        manager: rng.pick(MANAGERS),
        schema: schemaOf(kind),
        apiVersion: kind.apiVersion,
        now: '2024-05-01T10:00:00.5Z',
        subresource: rng.chance(0.2) ? rng.pick(['status', 'scale']) : undefined,
        resetFields: rng.chance(0.2) ? rng.pick([[], [['metadata', 'labels']], [['spec'], ['status']], [['spec', 'template', 'spec', 'containers']]]) : undefined,
      }
      same(`create seed ${seed}`, () => trackUpdate(args), args)
    }
  })

  it('on objects that do not read like plain JSON (undefined values, sparse lists)', () => {
    const schema = schemaOf(KINDS[0])
    const pod = (): JsonMap => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'p', labels: {a: 'b', gone: undefined}, annotations: {}},
      spec: {containers: [{name: 'app', image: undefined, ports: [{containerPort: 80}]}], nodeSelector: {x: undefined}},
    })
    const sparse = {...pod(), spec: {containers: [{name: 'app'}, , {name: 'b'}], volumes: [undefined]}}
    for (const updated of [pod(), sparse]) {
      const created = {old: undefined, updated, manager: 'm', schema, apiVersion: 'v1', now: '2024-01-01T00:00:00Z'}
      same('create', () => trackUpdate(created), created)
      const old = trackUpdate({...created, updated: pod()}) as JsonMap
      ;(old.spec as JsonMap).extra = undefined
      const args = {old, updated, manager: 'n', schema, apiVersion: 'v1', now: '2024-01-01T00:00:01Z'}
      same('update', () => trackUpdate(args), args)
      const apply = {live: old, config: pod(), manager: 'kubectl', force: true, schema, apiVersion: 'v1', now: '2024-01-01T00:00:02Z'}
      same('apply', () => serverSideApply(apply), apply)
    }
  })
})
