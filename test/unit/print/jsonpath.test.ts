// kubectl's JSONPath against output captured from the real kubectl 1.32:
// scripts/capture/templates.mjs runs `kubectl annotate --local -f
// fixtures/print/pod.yaml x- -o jsonpath=<template>` (no server needed) for every case and records
// stdout, stderr and the exit status in fixtures/templates-kubectl.json. kubectl prints an error as
// `error: <message>`, so stderr is compared with `error: ` + JsonPathError.message.
import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {load} from 'js-yaml'
import {
  JsonPathError,
  executeJsonPath,
  findJsonPathResults,
  parseJsonPath,
  relaxedJsonPathExpression,
} from '../../../src/print/jsonpath.js'

interface CapturedCase {
  format: string
  template: string
  allowMissingKeys: boolean
  stdout: string
  stderr: string
  status: number
}

const captured = JSON.parse(readFileSync(new URL('../../../fixtures/print/templates-kubectl.json', import.meta.url), 'utf8')) as {
  kubectl: string
  cases: CapturedCase[]
}
const pod = load(readFileSync(new URL('../../../fixtures/print/pod.yaml', import.meta.url), 'utf8'))

/** What kubectl would print on stdout and stderr for the template. */
function kube2(template: string, allowMissingKeys: boolean): {stdout: string; stderr: string} {
  try {
    return {stdout: executeJsonPath(parseJsonPath(template), pod, {allowMissingKeys}), stderr: ''}
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error
    return {stdout: '', stderr: `error: ${error.message}`}
  }
}

describe('jsonpath: output of the real kubectl', () => {
  for (const c of captured.cases.filter((x) => x.format === 'jsonpath')) {
    it(`${c.template}${c.allowMissingKeys ? '' : ' (missing keys not allowed)'}`, () => {
      assert.deepEqual(kube2(c.template, c.allowMissingKeys), {stdout: c.stdout, stderr: c.stderr})
    })
  }
})

describe('jsonpath: values beyond the fixture', () => {
  const run = (t: string, data: unknown) => executeJsonPath(parseJsonPath(t), data, {allowMissingKeys: true})

  it('prints null as Go prints a nil interface, and floats as %v does', () => {
    assert.equal(run('{.a} {.b} {.c} {.d}', {a: null, b: 1.5, c: 1e21, d: 0.00001}), '<nil> 1.5 1e+21 1e-05')
  })

  it('skips a null array and a field of null', () => {
    assert.equal(run('{.a[*]}|{.b.c}', {a: null, b: null}), '|')
  })

  it('the bare $ is the whole object, printed as JSON with sorted keys', () => {
    assert.equal(run('{$}', {b: 1, a: [true, 'x']}), '{"a":[true,"x"],"b":1}')
  })

  it("treats an escaped dot as part of the key, but splits a quoted ['a.b'] at its dots", () => {
    const data = {m: {'a.b': 'dot', a: {b: 'nested'}}}
    assert.equal(run("{.m.a\\.b} {.m['a.b']} {.m.a.b}", data), 'dot nested nested')
  })

  it('reports a parse error with the bare cause in detail', () => {
    assert.throws(
      () => parseJsonPath('{.a[}'),
      (e: unknown) => e instanceof JsonPathError && e.detail === 'unterminated array',
    )
  })
})

describe('jsonpath: FindResults for custom columns', () => {
  it('gives one result list per top-level node', () => {
    const p = parseJsonPath('{.spec.containers[*].name}')
    assert.deepEqual(findJsonPathResults(p, pod, {allowMissingKeys: true}), [['nginx', 'sidecar']])
    assert.deepEqual(findJsonPathResults(parseJsonPath('{.nope}'), pod, {allowMissingKeys: true}), [[]])
  })
})

describe('jsonpath: relaxed expressions (custom-columns)', () => {
  for (const [input, expected] of [
    ['metadata.name', '{.metadata.name}'],
    ['.metadata.name', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['', ''],
  ]) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(relaxedJsonPathExpression(input!), expected))
  }
  it('rejects stray braces with kubectl text', () => {
    assert.throws(() => relaxedJsonPathExpression('{.a}{.b}'), /^Error: unexpected path string, expected a 'name1.name2'/)
  })
})
