// client-go credential plugins: real child processes (small node scripts) answering ExecCredentials.
import {strict as assert} from 'node:assert'
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ExecCredentialSource, parseExecConfig} from '../../../src/kubeconfig/exec.js'

const V1 = 'client.authentication.k8s.io/v1'

describe('exec credential plugins', function () {
  this.timeout(20000)
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kube2-exec-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  /** A plugin script: it appends a line to `calls` on each run and prints what `body` computes. */
  function plugin(name: string, body: string): string {
    const p = join(dir, name)
    writeFileSync(p, `#!${process.execPath}\nconst fs = require('fs'); fs.appendFileSync(${JSON.stringify(join(dir, 'calls'))}, 'x\\n');\nconst info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);\n${body}\n`)
    chmodSync(p, 0o755)
    return p
  }
  const calls = () => readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean).length

  it('passes args, env and KUBERNETES_EXEC_INFO (with the cluster), and keeps the token until it expires', async () => {
    plugin('tok', `process.stdout.write(JSON.stringify({apiVersion: info.apiVersion, kind: 'ExecCredential', status: {token: [process.argv[2], process.env.TEAM, info.spec.interactive, info.spec.cluster.server, info.spec.cluster.config.region].join('|'), expirationTimestamp: new Date(Number(process.env.NOW) + 60000).toISOString()}}))`)
    const cfg = parseExecConfig({apiVersion: V1, command: './tok', args: ['arg1'], env: [{name: 'TEAM', value: 'blue'}], provideClusterInfo: true, interactiveMode: 'Never'}, join(dir, 'kubeconfig'), 'u')
    let now = Date.parse('2026-01-01T00:00:00Z')
    process.env.NOW = String(now)
    const src = new ExecCredentialSource(cfg, {server: 'https://k:6443', config: {region: 'eu'}}, {stdinIsTTY: false, now: () => now})
    assert.equal((await src.get()).token, 'arg1|blue|false|https://k:6443|eu')
    assert.equal((await src.get()).token, 'arg1|blue|false|https://k:6443|eu')
    assert.equal(calls(), 1)
    now += 61_000
    process.env.NOW = String(now)
    await src.get()
    assert.equal(calls(), 2)
    src.refresh()
    await src.get()
    assert.equal(calls(), 3)
    delete process.env.NOW
  })

  it('client certificates from the plugin', async () => {
    plugin('cert', `process.stdout.write(JSON.stringify({apiVersion: info.apiVersion, kind: 'ExecCredential', status: {clientCertificateData: 'CERT', clientKeyData: 'KEY'}}))`)
    const cfg = parseExecConfig({apiVersion: 'client.authentication.k8s.io/v1beta1', command: join(dir, 'cert')}, join(dir, 'kc'), 'u')
    assert.deepEqual(await new ExecCredentialSource(cfg, undefined, {stdinIsTTY: false}).get(), {cert: 'CERT', key: 'KEY'})
  })

  it('kubectl\'s errors: not installed (with the install hint), failing, bad answers, interactive mode', async () => {
    const get = (exec: Record<string, unknown>) => new ExecCredentialSource(parseExecConfig({apiVersion: V1, interactiveMode: 'Never', ...exec}, join(dir, 'kc'), 'u'), undefined, {stdinIsTTY: false}).get()
    await assert.rejects(get({command: 'kube2-no-such-plugin', installHint: 'Install it with: brew install it'}), (e: Error) => e.message === 'getting credentials: exec: executable kube2-no-such-plugin not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation available at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins\n\nInstall it with: brew install it')
    plugin('fail', 'process.exit(3)')
    await assert.rejects(get({command: join(dir, 'fail')}), /getting credentials: exec: executable .*fail failed with exit code 3$/)
    plugin('old', `process.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: {token: 't'}}))`)
    await assert.rejects(get({command: join(dir, 'old')}), /exec plugin is configured to use API version client.authentication.k8s.io\/v1, plugin returned version client.authentication.k8s.io\/v1beta1/)
    plugin('empty', `process.stdout.write(JSON.stringify({apiVersion: info.apiVersion, kind: 'ExecCredential', status: {}}))`)
    await assert.rejects(get({command: join(dir, 'empty')}), /exec plugin didn't return a token or cert\/key pair/)
    plugin('junk', `process.stdout.write('not json')`)
    await assert.rejects(get({command: join(dir, 'junk')}), /getting credentials: decoding stdout/)
    await assert.rejects(get({command: join(dir, 'junk'), interactiveMode: 'Always'}), /exec plugin cannot support interactive mode: standard input is not a terminal/)
    assert.throws(() => parseExecConfig({apiVersion: V1, command: 'x'}, join(dir, 'kc'), 'me'), /user "me": interactiveMode must be specified for client.authentication.k8s.io\/v1 to use exec authentication plugin/)
    assert.throws(() => parseExecConfig({apiVersion: 'example.com/v9', command: 'x'}, join(dir, 'kc'), 'me'), /exec plugin: invalid apiVersion "example.com\/v9"/)
  })
})
