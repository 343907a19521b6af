// Table-driven checks for strategic merge patch cases in upstream patch_test.go's shape: a two-way patch
// and its application, a three-way patch (with conflict detection) and its application.
import {strict as assert} from 'node:assert'
import {load} from 'js-yaml'
import {
  MergeConflictError,
  type PatchSchema,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  strategicMergePatch,
} from '../../../src/patch/index.js'

export interface SmpCase {
  description: string
  original?: object
  modified?: object
  current?: object
  twoWay?: object
  threeWay?: object
  result?: object
  twoWayResult?: object
  expectedError?: string
}

export function loadCases(text: string): SmpCase[] {
  const cases = load(text)
  assert.ok(Array.isArray(cases), 'cases must be a YAML list')
  return cases as SmpCase[]
}

const obj = (value: object | undefined): object => value ?? {}

/** Creates the two-way patch, compares it, and applies it to the original. */
export function checkTwoWay(c: SmpCase, schema: PatchSchema): void {
  const patch = createTwoWayMergePatch(obj(c.original), obj(c.modified), schema)
  assert.deepStrictEqual(patch, obj(c.twoWay), 'two-way patch')
  assert.deepStrictEqual(strategicMergePatch(obj(c.original), patch, schema), c.twoWayResult ?? obj(c.modified), 'two-way result')
}

/** Applies the given two-way patch to the original (cases a patch cannot be created for). */
export function checkApply(c: SmpCase, schema: PatchSchema): void {
  if (c.expectedError !== undefined) {
    assert.throws(() => strategicMergePatch(obj(c.original), obj(c.twoWay), schema), (err: Error) => {
      assert.ok(err.message.includes(c.expectedError ?? ''), `"${err.message}" should contain "${c.expectedError}"`)
      return true
    })
    return
  }
  assert.deepStrictEqual(strategicMergePatch(obj(c.original), obj(c.twoWay), schema), c.twoWayResult ?? obj(c.modified))
}

/**
 * Without overwrite, a case conflicts exactly when its description says so (upstream's convention);
 * with overwrite, the patch and its application to the live object must match.
 */
export function checkThreeWay(c: SmpCase, schema: PatchSchema): void {
  const create = (overwrite: boolean): object => createThreeWayMergePatch(c.original, c.modified, c.current, schema, overwrite)
  if (c.description.includes('conflict')) {
    assert.throws(() => create(false), MergeConflictError, 'expected a conflict')
  } else {
    assert.deepStrictEqual(create(false), obj(c.threeWay), 'three-way patch without overwrite')
  }
  const patch = create(true)
  assert.deepStrictEqual(patch, obj(c.threeWay), 'three-way patch')
  assert.deepStrictEqual(strategicMergePatch(obj(c.current), patch, schema), obj(c.result), 'three-way result')
}

/** Registers mocha tests for every case: two-way always, three-way when the case has a live object. */
export function describeCases(cases: SmpCase[], schema: PatchSchema): void {
  for (const c of cases) {
    it(c.description, () => {
      checkTwoWay(c, schema)
      if (c.current !== undefined) checkThreeWay(c, schema)
    })
  }
}
