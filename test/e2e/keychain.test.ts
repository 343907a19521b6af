// Keychain credentials, end to end, against a real Secret Service: gnome-keyring-daemon in a private
// D-Bus session (dbus-run-session), as a desktop has it. `kube2 config set-credentials --token-stdin
// --keychain` stores the token there and writes an exec plugin (`kube2 credential get`) into the
// kubeconfig; the real kubectl and kube2 then authenticate through it, and no token is on disk.
// .ci/run installs gnome-keyring and dbus; elsewhere the test is skipped when they are missing.
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {EmulatorSandbox, KUBECTL_NEWEST, kubectlAvailable} from '../helpers/emulator.js'
import {ROOT} from '../helpers/cli.js'

const TOOLS = ['/usr/bin/dbus-run-session', '/usr/bin/gnome-keyring-daemon']

describe('keychain credentials (gnome-keyring in a D-Bus session)', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox

  before(function () {
    const missing = TOOLS.filter((t) => !existsSync(t))
    if (missing.length > 0) {
      if (process.env.CI) throw new Error(`CI must install ${missing.join(', ')} (.ci/run installs gnome-keyring and dbus)`)
      this.skip()
    }
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '1'])
  })
  after(() => emu?.dispose())

  it('stores the token in the keychain, and kubectl and kube2 authenticate through kube2 credential get', () => {
    const alice = emu.addUser('alice', ['dev'])
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'rolebinding', 'dev-view', '--clusterrole=view', '--group=dev']).status, 0)
    const home = emu.cli.home
    const out = (n: string) => join(home, `out-${n}`)
    writeFileSync(join(home, 'token'), `${alice.token}\n`)
    const kube2 = `node ${JSON.stringify(join(ROOT, 'bin', 'run.cjs'))}`
    const script = [
      'set -u',
      // The keyring daemon, unlocked with a password, serving the Secret Service on this session bus.
      'echo -n test-password | gnome-keyring-daemon --unlock --components=secrets > /dev/null',
      `${kube2} config set-credentials alice-kc --token-stdin --keychain < token > ${out('set')} 2>&1; echo $? >> ${out('set')}`,
      `${kube2} config set-context kc --cluster=kube2-emulator --user=alice-kc > /dev/null`,
      `${KUBECTL_NEWEST} --context kc auth whoami -o jsonpath='{.status.userInfo.username}' > ${out('whoami')} 2>&1`,
      `${kube2} --context kc get configmaps > ${out('get')} 2>&1; echo $? >> ${out('get')}`,
      `${kube2} --context kc get secrets -n kube-system > ${out('denied')} 2>&1`,
      `${kube2} credential get nobody > ${out('nobody')} 2>&1; echo $? >> ${out('nobody')}`,
      `${kube2} credential delete alice-kc > ${out('delete')} 2>&1`,
      `${KUBECTL_NEWEST} --context kc get configmaps > ${out('after-delete')} 2>&1; echo $? >> ${out('after-delete')}`,
    ].join('\n')
    const env = {...process.env, HOME: home, KUBECONFIG: emu.kubeconfig, KUBE2_HOME: join(home, 'kube2'), KUBE2_KEYCHAIN_SERVICE: `kube2-test-${process.pid}`, NO_COLOR: '1'}
    const r = spawnSync('/usr/bin/dbus-run-session', ['--', 'bash', '-c', script], {cwd: home, env, encoding: 'utf8', timeout: 90000})
    assert.equal(r.status, 0, r.stderr)
    const read = (n: string) => readFileSync(out(n), 'utf8')
    assert.equal(read('set'), 'User "alice-kc" set.\n0\n')
    // The kubeconfig holds the exec plugin, not the token.
    const kubeconfig = readFileSync(emu.kubeconfig, 'utf8')
    assert.ok(!kubeconfig.includes(alice.token), 'the token must not be in the kubeconfig')
    assert.match(kubeconfig, /command: .*run\.cjs\n/)
    assert.match(kubeconfig, /- credential\n\s+- get\n\s+- alice-kc\n/)
    assert.equal(read('whoami'), 'alice')
    assert.equal(read('get'), 'No resources found in default namespace.\n0\n')
    assert.match(read('denied'), /secrets is forbidden: User "alice" cannot list resource "secrets"/)
    assert.match(read('nobody'), /error: no token for "nobody" in the OS keychain/)
    assert.ok(read('nobody').endsWith('1\n'))
    assert.equal(read('delete'), 'Token of "alice-kc" removed from the OS keychain.\n')
    assert.match(read('after-delete'), /no token for "alice-kc" in the OS keychain/)
    assert.ok(!read('after-delete').endsWith('\n0\n'))
  })
})
