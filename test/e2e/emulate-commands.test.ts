// `kube2 emulate start|status|stop|reset|add-user` as a user runs them: the server in the background,
// the kubeconfig it writes, TLS and authentication, state kept across stop/start, embedded commands
// going through the running server, and a clean start after the server was killed.
import {strict as assert} from 'node:assert'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import yaml from 'js-yaml'
import {Agent, request} from 'undici'
import {EmulatorSandbox, KUBECTL_NEWEST, KUBECTL_OLDEST} from '../helpers/emulator.js'

describe('kube2 emulate (CLI)', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  before(() => {
    emu = new EmulatorSandbox()
  })
  after(() => emu.dispose())

  it('start returns once ready and writes the kube2-emulator context, mode 0600', () => {
    const r = emu.start()
    assert.match(r.stdout, /^Switched to context "kube2-emulator"\.\nkube2 emulator running at https:\/\/127\.0\.0\.1:\d+ \(pid \d+, state in .*\)\n$/)
    const mode = statSync(emu.kubeconfig).mode & 0o777
    assert.equal(mode, 0o600)
    const kc = yaml.load(readFileSync(emu.kubeconfig, 'utf8')) as Record<string, unknown>
    assert.equal(kc['current-context'], 'kube2-emulator')
    const cluster = (kc.clusters as Array<{name: string; cluster: Record<string, string>}>).find((c) => c.name === 'kube2-emulator')!
    assert.equal(cluster.cluster.server, emu.server().url)
    assert.ok(cluster.cluster['certificate-authority-data'])
    const status = emu.kube2(['emulate', 'status'])
    assert.equal(status.status, 0, status.stderr)
    assert.match(status.stdout, /^kube2 emulator: +running\nURL: +https:\/\/127\.0\.0\.1:\d+\nPID: +\d+\nState dir: +.*\nKubernetes: +v1\.\d+\.\d+\nStarted: +\S+\n$/)
  })

  it('a second start reports the running server', () => {
    const r = emu.kube2(['emulate', 'start'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /kube2 emulator is already running at https:/)
  })

  it('kubectl 1.27 and 1.33 talk to it over TLS with the admin client certificate', () => {
    for (const bin of [KUBECTL_OLDEST, KUBECTL_NEWEST]) {
      const r = emu.kubectl(bin, ['get', 'nodes', '-o', 'name'])
      assert.equal(r.status, 0, `${bin}: ${r.stderr}`)
      assert.equal(r.stdout, 'node/control-plane\nnode/node-1\nnode/node-2\nnode/node-3\n')
    }
  })

  it('refuses requests without credentials or with an unknown token (401)', async () => {
    const ca = readFileSync(join(emu.stateDir, 'pki', 'ca.crt'), 'utf8')
    const agent = new Agent({connect: {ca}})
    try {
      for (const headers of [{}, {authorization: 'Bearer not-a-token'}]) {
        const res = await request(new URL('/api/v1/namespaces', emu.server().url), {dispatcher: agent, headers})
        const text = await res.body.text()
        assert.equal(res.statusCode, 401, `${JSON.stringify(headers)}: ${text}${emu.log()}`)
        const body = JSON.parse(text) as Record<string, unknown>
        assert.deepEqual({kind: body.kind, reason: body.reason, code: body.code}, {kind: 'Status', reason: 'Unauthorized', code: 401})
      }
    } finally {
      await agent.close()
    }
  })

  it('add-user prints a kubeconfig user whose token authenticates', () => {
    const r = emu.kube2(['emulate', 'add-user', 'alice', '--group', 'dev'])
    assert.equal(r.status, 0, r.stderr)
    const users = yaml.load(r.stdout) as Array<{name: string; user: {token: string}}>
    assert.equal(users[0]!.name, 'alice')
    const token = users[0]!.user.token
    assert.match(token, /^[A-Za-z0-9_-]{32}$/)
    // A kubeconfig with the token alone (no client certificate to fall back on).
    const kc = yaml.load(readFileSync(emu.kubeconfig, 'utf8')) as Record<string, unknown>
    const tokenConfig = join(emu.cli.home, 'alice.kubeconfig')
    writeFileSync(tokenConfig, yaml.dump({...kc, users: users, contexts: [{name: 'a', context: {cluster: 'kube2-emulator', user: 'alice'}}], 'current-context': 'a'}))
    const who = emu.kubectl(KUBECTL_OLDEST, ['get', '--raw', '/version'], {env: {KUBECONFIG: tokenConfig}})
    assert.equal(who.status, 0, who.stderr)
    assert.match(who.stdout, /"gitVersion"/)
    const wrong = join(emu.cli.home, 'wrong.kubeconfig')
    writeFileSync(wrong, yaml.dump({...kc, users: [{name: 'alice', user: {token: 'x'.repeat(32)}}], contexts: [{name: 'a', context: {cluster: 'kube2-emulator', user: 'alice'}}], 'current-context': 'a'}))
    const denied = emu.kubectl(KUBECTL_OLDEST, ['get', 'ns'], {env: {KUBECONFIG: wrong}})
    assert.equal(denied.status, 1)
    assert.match(denied.stderr, /error: You must be logged in to the server \(Unauthorized\)/)
    const bad = emu.kube2(['emulate', 'add-user', 'system:evil'])
    assert.equal(bad.status, 2)
    assert.match(bad.stderr, /^error: invalid user name "system:evil": names starting with "system:" are reserved/)
  })

  it('embedded commands go through the running server (they never open its database)', () => {
    const other = join(emu.cli.home, 'empty-kubeconfig')
    writeFileSync(other, '')
    const created = emu.kube2(['apply', '-f', 'fixtures/quickstart.yaml'], {env: {KUBECONFIG: other}})
    assert.equal(created.status, 0, created.stderr)
    assert.equal(created.stdout, 'configmap/web-config created\ndeployment.apps/web created\nservice/web created\n')
    const seen = emu.kubectl(KUBECTL_OLDEST, ['get', 'deploy', 'web', '-o', 'name'])
    assert.equal(seen.stdout, 'deployment.apps/web\n')
  })

  it('stop keeps the state; start brings it back; status says stopped in between', () => {
    const stop = emu.kube2(['emulate', 'stop'])
    assert.equal(stop.status, 0, stop.stderr)
    assert.match(stop.stdout, /^kube2 emulator stopped \(pid \d+; state kept in /)
    const status = emu.kube2(['emulate', 'status'])
    assert.equal(status.status, 1)
    assert.match(status.stdout, /^kube2 emulator: stopped\n/)
    emu.start()
    const r = emu.kubectl(KUBECTL_NEWEST, ['get', 'cm', 'web-config', '-o', 'jsonpath={.metadata.name}'])
    assert.equal(r.stdout, 'web-config', r.stderr)
  })

  it('a start after SIGKILL recovers (stale server.json and lock)', () => {
    process.kill(emu.server().pid, 'SIGKILL')
    const started = emu.start()
    assert.match(started.stdout, /kube2 emulator running at/)
    const r = emu.kubectl(KUBECTL_NEWEST, ['get', 'deploy', 'web', '-o', 'name'])
    assert.equal(r.stdout, 'deployment.apps/web\n', r.stderr)
  })

  it('reset stops the server and empties the cluster; credentials stay valid', () => {
    const r = emu.kube2(['emulate', 'reset'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /reset \(the server was stopped/)
    emu.start()
    const cm = emu.kubectl(KUBECTL_NEWEST, ['get', 'cm', 'web-config'])
    assert.equal(cm.status, 1)
    assert.equal(cm.stderr, 'Error from server (NotFound): configmaps "web-config" not found\n')
  })

  it('bad flags fail before anything starts', () => {
    const r = emu.kube2(['emulate', 'start', '--nodes', '2', '--profile', 'x.yaml', '--state-dir', join(emu.cli.home, 'other')])
    assert.equal(r.status, 2)
    const p = emu.kube2(['emulate', 'start', '--kubelet-profile', join(emu.cli.home, 'missing.yaml'), '--state-dir', join(emu.cli.home, 'other')])
    assert.equal(p.status, 2)
    assert.match(p.stderr, /missing\.yaml: cannot read kubelet profile \(ENOENT\)/)
  })
})
