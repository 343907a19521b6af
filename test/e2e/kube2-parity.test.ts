// Output parity: kube2 and kubectl (1.33) run the same command against the same emulator server and
// must print the same bytes and exit with the same code (ages normalised where a run can straddle a
// second). The start of issue 6's parity suite; commands join it as they are built.
import {strict as assert} from 'node:assert'
import {EmulatorSandbox, KUBECTL_NEWEST, kubectlAvailable} from '../helpers/emulator.js'

const AGE = /\b\d+(s|m\d*s?|h\d*m?|d\d*h?|y\d*d?)\b/g

describe('kube2 and kubectl print the same', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  const both = (args: string[], opts: {input?: string} = {}) => {
    const k = emu.kubectl(KUBECTL_NEWEST, args, opts)
    const b = emu.kube2(args, opts)
    return {k, b}
  }
  const same = (args: string[], opts: {ages?: boolean} = {}) => {
    const {k, b} = both(args)
    const norm = (s: string) => (opts.ages ? s.replace(AGE, 'AGE') : s)
    assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${args.join(' ')}`)
    assert.equal(b.stderr.replace(/^(See ')kube2/m, '$1kubectl').replace(/kube2 /g, 'kubectl '), k.stderr.replace(/kubectl /g, 'kubectl '), `stderr of ${args.join(' ')}`)
    assert.equal(b.status, k.status, `exit code of ${args.join(' ')}`)
  }

  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '2'])
    const r = emu.kube2(['apply', '-f', 'fixtures/quickstart.yaml'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['rollout', 'status', 'deploy/web', '--timeout=60s']).status, 0)
  })
  after(() => emu?.dispose())

  it('api-resources in every form, and its errors', () => {
    for (const args of [[], ['-o', 'wide'], ['-o', 'name'], ['--no-headers'], ['--sort-by=kind'], ['--sort-by=name', '-o', 'wide'], ['--namespaced=false'], ['--namespaced=true', '--api-group=apps'], ['--verbs=list,watch', '--api-group='], ['--sort-by=foo'], ['-o', 'yaml'], ['--cached']]) {
      same(['api-resources', ...args])
    }
  })

  it('api-versions', () => same(['api-versions']))

  it('get: tables, wide, labels, several types, names, errors', () => {
    for (const args of [
      ['get', 'pods'], ['get', 'pods', '-o', 'wide'], ['get', 'deploy', 'web'], ['get', 'deploy,svc'], ['get', 'nodes'], ['get', 'ns'],
      ['get', 'pods', '--show-labels'], ['get', 'pods', '-L', 'app'], ['get', 'pods', '-A'], ['get', 'pods', '--no-headers'],
      ['get', 'deploy', '-o', 'name'], ['get', 'cm', 'web-config', '-o', 'yaml'], ['get', 'svc', 'web', '-o', 'json'],
      ['get', 'pods', 'nope'], ['get', 'nosuchtype'], ['get', 'pods', '-n', 'empty-ns'],
    ]) {
      same(args, {ages: true})
    }
  })
})
