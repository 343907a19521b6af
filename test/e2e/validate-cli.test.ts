// kube2 validate as a user runs it: the built CLI, its output and exit codes (0 valid, 1 invalid,
// 2 usage or unreadable input), stdin, formats, and no stack traces on bad input.
import {strict as assert} from 'node:assert'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CliSandbox} from '../helpers/cli.js'

describe('kube2 validate (CLI)', function () {
  this.timeout(60000)
  let cli: CliSandbox
  before(() => (cli = new CliSandbox()))
  after(() => cli.dispose())

  it('validates the quick start fixture: exit 0, summary', () => {
    const r = cli.run(['validate', '-f', 'fixtures/quickstart.yaml', '--summary'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout, 'Summary: 3 resources found in 1 file - Valid: 3, Invalid: 0, Errors: 0, Skipped: 0, Warnings: 0\n')
  })

  it('reports every problem of the invalid fixtures with file and line, exit 1', () => {
    const r = cli.run(['validate', '-f', 'fixtures/validate/'])
    assert.equal(r.status, 1)
    const out = r.stdout
    assert.match(out, /^fixtures\/validate\/invalid-deployment.yaml:9: Deployment\/Web_App: spec.replicas: Invalid value: -1: must be greater than or equal to 0$/m)
    assert.match(out, /^fixtures\/validate\/invalid-deployment.yaml:26: Deployment\/Web_App: spec.template.spec.containers\[0\].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1$/m)
    assert.match(out, /^fixtures\/validate\/removed-api.yaml:1: Deployment\/legacy: apiVersion: Deployment in apiVersion "extensions\/v1beta1" was removed in Kubernetes 1.16; use apiVersion "apps\/v1" instead$/m)
    assert.match(out, /^fixtures\/validate\/malformed.yaml:\d+: malformed YAML: /m)
    assert.match(out, /^fixtures\/validate\/malformed.yaml:14: Object 'Kind' is missing in/m)
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace')
  })

  it('reads stdin with -f -', () => {
    const r = cli.run(['validate', '-f', '-'], {input: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 0}]\n'})
    assert.equal(r.status, 1)
    assert.equal(r.stdout, 'STDIN:5: Service/s: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n')
  })

  it('takes files as arguments too', () => {
    const r = cli.run(['validate', 'fixtures/quickstart.yaml', '--summary', '-o', 'text'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /Valid: 3/)
  })

  it('exit 2 for a missing file, a binary file, a bad version, a bad format, no input', () => {
    let r = cli.run(['validate', '-f', 'no/such/file.yaml'])
    assert.equal(r.status, 2)
    assert.equal(r.stdout, 'no/such/file.yaml: the path "no/such/file.yaml" does not exist\n')
    const bin = join(cli.home, 'blob.yaml')
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]))
    r = cli.run(['validate', '-f', bin])
    assert.equal(r.status, 2)
    assert.match(r.stdout, /binary/)
    r = cli.run(['validate', '-f', 'fixtures/quickstart.yaml', '--kubernetes-version', '1.20'])
    assert.equal(r.status, 2)
    assert.equal(r.stderr, 'error: unsupported --kubernetes-version "1.20": this kube2 has schemas for 1.28 to 1.36\n')
    r = cli.run(['validate', '-f', 'fixtures/quickstart.yaml', '-o', 'xml'])
    assert.equal(r.status, 2)
    assert.equal(r.stderr, 'error: unable to match a printer suitable for the output format "xml", allowed formats are: json,junit,tap,text\n')
    r = cli.run(['validate'])
    assert.equal(r.status, 2)
    assert.match(r.stderr, /^error: must specify at least one file/)
    r = cli.run(['validate', '--no-such-flag'])
    assert.equal(r.status, 2)
    assert.match(r.stderr, /^error: Nonexistent flag: --no-such-flag/)
  })

  it('prints machine-readable formats', () => {
    const json = cli.run(['validate', '-f', 'fixtures/quickstart.yaml', '-o', 'json'])
    assert.equal(json.status, 0)
    assert.equal(JSON.parse(json.stdout).summary.valid, 3)
    const junit = cli.run(['validate', '-f', 'fixtures/validate/invalid-deployment.yaml', '-o', 'junit'])
    assert.equal(junit.status, 1)
    assert.match(junit.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="kube2 validate" tests="1" failures="1"/)
    const tap = cli.run(['validate', '-f', 'fixtures/quickstart.yaml', '-o', 'tap'])
    assert.equal(tap.stdout.split('\n').slice(0, 3).join('\n'), 'TAP version 13\n1..3\nok 1 - fixtures/quickstart.yaml:2 ConfigMap/web-config')
  })

  it('accepts kubectl-style -v=N and the global flags', () => {
    const r = cli.run(['validate', '-f', 'fixtures/quickstart.yaml', '-v=6', '-n=default', '--request-timeout', '5s'])
    assert.equal(r.status, 0, r.stderr)
  })
})
