// `kube2 config …` against `kubectl config …` (1.33) on the same kubeconfig files
// (fixtures/kubeconfig/a.yaml and b.yaml as a $KUBECONFIG list): the same output, the same exit
// codes, and after the same sequence of changes the same files, byte for byte, with the same modes.
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {KUBECTL_NEWEST, kubectlAvailable} from '../helpers/emulator.js'
import {ROOT} from '../helpers/cli.js'

const BIN = join(ROOT, 'bin', 'run.cjs')

describe('kube2 config against kubectl config', function () {
  this.timeout(60000)
  let dir: string
  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
  })
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kube2-config-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  function workspace(name: string): {a: string; b: string; dir: string} {
    const d = join(dir, name)
    mkdirSync(d)
    copyFileSync(join(ROOT, 'fixtures/kubeconfig/a.yaml'), join(d, 'a.yaml'))
    copyFileSync(join(ROOT, 'fixtures/kubeconfig/b.yaml'), join(d, 'b.yaml'))
    writeFileSync(join(d, 'ca.crt'), 'CA-PEM-TEXT\n')
    return {a: join(d, 'a.yaml'), b: join(d, 'b.yaml'), dir: d}
  }
  const run = (tool: 'kubectl' | 'kube2', args: string[], kubeconfig: string) => {
    const [cmd, pre] = tool === 'kubectl' ? [KUBECTL_NEWEST, []] : [process.execPath, [BIN]]
    const r = spawnSync(cmd, [...pre, ...args], {encoding: 'utf8', env: {...process.env, HOME: dir, KUBE2_HOME: join(dir, 'kube2'), KUBECONFIG: kubeconfig}})
    return {status: r.status, stdout: r.stdout, stderr: r.stderr}
  }

  it('reads: view (redacted, --raw, --minify, --flatten, -o json), get-contexts, current-context', () => {
    const w = workspace('r')
    const list = `${w.a}:${w.b}`
    for (const args of [
      ['config', 'view'], ['config', 'view', '--raw'], ['config', 'view', '--minify'], ['config', 'view', '-o', 'json'], ['config', 'view', '--flatten', '--raw'],
      ['config', 'view', '--minify', '--context', 'ctx-b'], ['config', 'get-contexts'], ['config', 'get-contexts', '-o', 'name'],
      ['config', 'get-contexts', 'ctx-b', '--no-headers'], ['config', 'get-contexts', 'nope'], ['config', 'current-context'],
    ]) {
      assert.deepEqual(run('kube2', args, list), run('kubectl', args, list), args.join(' '))
    }
    assert.deepEqual(run('kube2', ['config', 'current-context'], join(w.dir, 'none')), run('kubectl', ['config', 'current-context'], join(w.dir, 'none')))
  })

  it('writes: use-context, set-context (new, --current, existing) land in the same files with the same bytes', () => {
    const steps = [
      ['config', 'use-context', 'ctx-b'], ['config', 'set-context', 'new', '--cluster=c2', '--namespace=x'], ['config', 'set-context', '--current', '--namespace=y'],
      ['config', 'set-context', 'ctx-b', '--user=u1'], ['config', 'use-context', 'nope'],
      ['config', 'set-credentials', 'bob', '--token=abc'],
      ['config', 'set-credentials', 'bob', '--exec-command=foo', '--exec-api-version=client.authentication.k8s.io/v1', '--exec-arg=a', '--exec-arg=b', '--exec-env=K=V', '--exec-env=L=W', '--exec-interactive-mode=Never'],
      ['config', 'set-credentials', 'bob', '--exec-env=K-', '--token='],
      ['config', 'set-credentials', 'u2', '--username=carl', '--password=pw2'],
    ]
    const k = workspace('k')
    const b = workspace('b')
    for (const s of steps) assert.deepEqual(run('kube2', s, `${b.a}:${b.b}`), run('kubectl', s, `${k.a}:${k.b}`), s.join(' '))
    // Certificates embedded from files (the same file content on both sides).
    const cert = ['config', 'set-credentials', 'carol', `--client-certificate=${join(ROOT, 'fixtures/kubeconfig/a.yaml')}`, '--embed-certs']
    assert.deepEqual(run('kube2', cert, `${b.a}:${b.b}`), run('kubectl', cert, `${k.a}:${k.b}`))
    // A list of files none of which exists: the last one is created (mode 0600).
    assert.deepEqual(run('kube2', ['config', 'set-context', 'z', '--cluster=q'], `${b.dir}/m1:${b.dir}/m2`), run('kubectl', ['config', 'set-context', 'z', '--cluster=q'], `${k.dir}/m1:${k.dir}/m2`))
    for (const f of ['a.yaml', 'b.yaml', 'm2']) {
      assert.equal(readFileSync(join(b.dir, f), 'utf8'), readFileSync(join(k.dir, f), 'utf8'), f)
      assert.equal(statSync(join(b.dir, f)).mode & 0o777, statSync(join(k.dir, f)).mode & 0o777, `${f} mode`)
    }
    assert.equal(existsSync(join(b.dir, 'm1')), false)
  })
})
