// Go templates as kubectl runs them, against output captured from the real kubectl 1.32:
// scripts/capture/templates.mjs runs `kubectl annotate --local -f
// fixtures/print/pod.yaml x- -o go-template=<template>` (no server needed) for every case and records
// stdout, stderr and the exit status in fixtures/templates-kubectl.json. On an execution error kubectl
// writes a debugging dump to stdout (GoTemplateError.output) and `error: <message>` to stderr.
import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {load} from 'js-yaml'
import {GoTemplateError, executeGoTemplate, goSprintf, parseGoTemplate} from '../../../src/print/go-template.js'

interface CapturedCase {
  format: string
  template: string
  allowMissingKeys: boolean
  stdout: string
  stderr: string
  status: number
}

const captured = JSON.parse(readFileSync(new URL('../../../fixtures/print/templates-kubectl.json', import.meta.url), 'utf8')) as {
  cases: CapturedCase[]
}
const pod = load(readFileSync(new URL('../../../fixtures/print/pod.yaml', import.meta.url), 'utf8'))

function kube2(template: string, allowMissingKeys: boolean): {stdout: string; stderr: string; status: number} {
  try {
    return {stdout: executeGoTemplate(parseGoTemplate(template), pod, {allowMissingKeys}), stderr: '', status: 0}
  } catch (error) {
    if (!(error instanceof GoTemplateError)) throw error
    return {stdout: error.output, stderr: `error: ${error.message}`, status: 1}
  }
}

describe('go-template: output of the real kubectl', () => {
  for (const c of captured.cases.filter((x) => x.format === 'go-template')) {
    it(`${c.template}${c.allowMissingKeys ? '' : ' (missing keys not allowed)'}`, () => {
      assert.deepEqual(kube2(c.template, c.allowMissingKeys), {stdout: c.stdout, stderr: c.stderr, status: c.status})
    })
  }
})

describe('go-template: printf verbs', () => {
  // Expected values are Go's fmt.Sprintf results for the same verbs and operands.
  it('pads, truncates and quotes', () => {
    assert.equal(goSprintf('[%5s][%-5s][%.2s][%q]', ['ab', 'ab', 'abc', 'a"b']), '[   ab][ab   ][ab]["a\\"b"]')
  })
  it('reports a missing operand and extra ones', () => {
    assert.equal(goSprintf('%s %s', ['a']), 'a %!s(MISSING)')
  })
  it('prints floats with %v as Go does: exponent from 1e+06', () => {
    assert.equal(goSprintf('%v %v %.2f', [1.5, 1234567.5, 2.345]), '1.5 1.2345675e+06 2.35')
  })
})
