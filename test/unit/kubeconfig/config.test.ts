// kubeconfig loading and selection as client-go's clientcmd does it: the $KUBECONFIG list merged
// (first current-context, first entry of a name), paths relative to their file, --context/--cluster/
// --user/-n overrides, and the connection options a selection gives (flags over entries).
import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import yaml from 'js-yaml'
import {loadKubeconfig, selectContext} from '../../../src/kubeconfig/config.js'
import {httpOptions, parseRequestTimeout} from '../../../src/client/select.js'

describe('kubeconfig', () => {
  let dir: string
  const saved = process.env.KUBECONFIG
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kube2-kc-'))))
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
    if (saved === undefined) delete process.env.KUBECONFIG
    else process.env.KUBECONFIG = saved
  })
  const write = (name: string, doc: unknown) => {
    const p = join(dir, name)
    writeFileSync(p, yaml.dump(doc))
    return p
  }

  it('merges a $KUBECONFIG list: first current-context and first entry of each name win', () => {
    const a = write('a', {
      'current-context': 'ctx-a',
      clusters: [{name: 'c', cluster: {server: 'https://a:6443', 'certificate-authority': 'ca.crt'}}],
      users: [{name: 'u', user: {token: 'from-a'}}],
      contexts: [{name: 'ctx-a', context: {cluster: 'c', user: 'u', namespace: 'team'}}],
    })
    const b = write('b', {
      'current-context': 'ctx-b',
      clusters: [{name: 'c', cluster: {server: 'https://b:6443'}}, {name: 'd', cluster: {server: 'https://d'}}],
      users: [{name: 'u', user: {token: 'from-b'}}],
      contexts: [{name: 'ctx-b', context: {cluster: 'd', user: 'u'}}],
    })
    process.env.KUBECONFIG = [a, join(dir, 'missing'), b].join(':')
    const cfg = loadKubeconfig()
    assert.equal(cfg.currentContext, 'ctx-a')
    assert.equal(cfg.currentContextFile, a)
    assert.deepEqual(cfg.paths, [a, b])
    assert.equal(cfg.clusters.find((c) => c.name === 'c')!.value.server, 'https://a:6443')
    assert.equal(cfg.users.find((u) => u.name === 'u')!.value.token, 'from-a')
    const sel = selectContext(cfg, {})
    assert.equal(sel.namespace, 'team')
    assert.equal(sel.cluster!.file, a)
    const other = selectContext(cfg, {context: 'ctx-b', namespace: 'x'})
    assert.equal(other.cluster!.value.server, 'https://d')
    assert.equal(other.namespace, 'x')
    assert.equal(selectContext(cfg, {cluster: 'd'}).cluster!.value.server, 'https://d')
    assert.throws(() => selectContext(cfg, {context: 'nope'}), /context was not found for specified context: nope/)
    assert.throws(() => selectContext(cfg, {user: 'nope'}), /auth info "nope" does not exist/)
    assert.throws(() => selectContext(cfg, {cluster: 'nope'}), /cluster "nope" does not exist/)
  })

  it('reads certificate files relative to their kubeconfig, data inline, and lets flags win', async () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA-PEM')
    writeFileSync(join(dir, 'tok'), 'file-token\n')
    const kc = write('config', {
      'current-context': 'x',
      clusters: [{name: 'c', cluster: {server: 'https://x:6443', 'certificate-authority': 'ca.crt', 'tls-server-name': 'api.x', 'proxy-url': 'socks5://p:1080'}}],
      users: [{name: 'u', user: {'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64'), tokenFile: 'tok', as: 'alice', 'as-groups': ['dev']}}],
      contexts: [{name: 'x', context: {cluster: 'c', user: 'u'}}],
    })
    const sel = selectContext(loadKubeconfig(kc), {})
    const o = httpOptions(sel, {'request-timeout': '1m30s'})
    assert.equal(o.server, 'https://x:6443')
    assert.equal(o.ca, 'CA-PEM')
    assert.equal(o.cert, 'CERT')
    assert.equal(o.key, 'KEY')
    assert.equal(o.tlsServerName, 'api.x')
    assert.equal(o.proxyUrl, 'socks5://p:1080')
    assert.equal(o.timeoutMs, 90_000)
    assert.deepEqual(o.impersonate, {user: 'alice', groups: ['dev']})
    assert.equal((await o.credentials!.get()).token, 'file-token')
    const flagged = httpOptions(sel, {server: 'https://other:1', token: 'flag-token', as: 'bob', 'as-group': ['ops']})
    assert.equal(flagged.server, 'https://other:1')
    assert.deepEqual(flagged.impersonate, {user: 'bob', groups: ['ops']})
    assert.equal((await flagged.credentials!.get()).token, 'flag-token')
    // --insecure-skip-tls-verify drops the entry's CA; with --certificate-authority too it is refused.
    const insecure = httpOptions(sel, {'insecure-skip-tls-verify': true})
    assert.equal(insecure.ca, undefined)
    assert.equal(insecure.insecureSkipTlsVerify, true)
    assert.throws(() => httpOptions(sel, {'insecure-skip-tls-verify': true, 'certificate-authority': join(dir, 'ca.crt')}), /specifying a root certificates file with the insecure flag is not allowed/)
  })

  it('kubectl\'s errors for unreadable files and request timeouts', () => {
    const kc = write('config', {
      'current-context': 'x',
      clusters: [{name: 'c', cluster: {server: 'https://x', 'certificate-authority': 'nope.crt'}}],
      contexts: [{name: 'x', context: {cluster: 'c'}}],
    })
    assert.throws(() => httpOptions(selectContext(loadKubeconfig(kc), {}), {}), /unable to read certificate-authority from "nope.crt": open .*nope\.crt: no such file or directory/)
    assert.throws(() => loadKubeconfig(join(dir, 'absent')), /stat .*absent: no such file or directory/)
    writeFileSync(join(dir, 'bad'), 'clusters: [\n')
    assert.throws(() => loadKubeconfig(join(dir, 'bad')), /error loading config file ".*bad"/)
    assert.equal(parseRequestTimeout('0'), 0)
    assert.equal(parseRequestTimeout('5'), 5000)
    assert.equal(parseRequestTimeout('250ms'), 250)
    assert.equal(parseRequestTimeout('1h2m'), 3_720_000)
    assert.throws(() => parseRequestTimeout('soon'), /Invalid timeout value/)
  })
})
