// kube2 as a client of a cluster it reaches through a kubeconfig context (here: the emulator server):
// exec credential plugins, tokens and impersonation from flags, the discovery cache on disk and its
// refresh when a resource is new, kubectl's connection errors.
import {strict as assert} from 'node:assert'
import {chmodSync, existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import yaml from 'js-yaml'
import {EmulatorSandbox, KUBECTL_NEWEST, kubectlAvailable} from '../helpers/emulator.js'

describe('kube2 against a cluster from the kubeconfig', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  let alice: {kubeconfig: string; token: string}

  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '1'])
    alice = emu.addUser('alice', ['dev'])
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'rolebinding', 'dev-view', '--clusterrole=view', '--group=dev']).status, 0)
  })
  after(() => emu?.dispose())

  it('an exec plugin user: the plugin is run with KUBERNETES_EXEC_INFO and its token is used', () => {
    const plugin = join(emu.cli.home, 'token-plugin')
    writeFileSync(plugin, `#!${process.execPath}\nconst info = JSON.parse(process.env.KUBERNETES_EXEC_INFO)\nrequire('fs').writeFileSync(${JSON.stringify(join(emu.cli.home, 'exec-info.json'))}, JSON.stringify(info))\nprocess.stdout.write(JSON.stringify({apiVersion: info.apiVersion, kind: 'ExecCredential', status: {token: process.env.TOKEN}}))\n`)
    chmodSync(plugin, 0o755)
    const kc = yaml.load(readFileSync(emu.kubeconfig, 'utf8')) as {clusters: unknown[]}
    const file = join(emu.cli.home, 'exec.kubeconfig')
    writeFileSync(file, yaml.dump({
      apiVersion: 'v1', kind: 'Config', clusters: kc.clusters, 'current-context': 'e',
      contexts: [{name: 'e', context: {cluster: 'kube2-emulator', user: 'plugin-user', namespace: 'default'}}],
      users: [{name: 'plugin-user', user: {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: './token-plugin', interactiveMode: 'Never', provideClusterInfo: true, env: [{name: 'TOKEN', value: alice.token}]}}}],
    }))
    const r = emu.kube2(['get', 'pods', '-n', 'kube-system'], {env: {KUBECONFIG: file}})
    assert.equal(r.status, 1)
    assert.equal(r.stderr, 'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "kube-system"\n')
    assert.equal(emu.kube2(['get', 'configmaps'], {env: {KUBECONFIG: file}}).status, 0)
    const info = JSON.parse(readFileSync(join(emu.cli.home, 'exec-info.json'), 'utf8')) as {spec: {interactive: boolean; cluster: {server: string}}}
    assert.equal(info.spec.interactive, false)
    assert.equal(info.spec.cluster.server, emu.server().url)
  })

  it('--token, --as and --as-group', () => {
    const asAlice = emu.kube2(['get', 'pods', '-n', 'kube-system', '--as', 'alice'])
    assert.match(asAlice.stderr, /User "alice" cannot list resource "pods"/)
    assert.equal(emu.kube2(['get', 'configmaps', '--as', 'alice', '--as-group', 'dev']).status, 0)
    const impersonating = emu.kube2(['get', 'pods', '--as', 'bob'], {env: {KUBECONFIG: alice.kubeconfig}})
    assert.equal(impersonating.stderr, 'Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope\n')
    const bad = emu.kube2(['get', 'pods', '--token', 'not-a-token'], {env: {KUBECONFIG: alice.kubeconfig}})
    assert.equal(bad.status, 1)
    assert.equal(bad.stderr, 'error: You must be logged in to the server (Unauthorized)\n')
  })

  it('caches discovery on disk and asks again for a resource it does not know', () => {
    assert.equal(emu.kube2(['get', 'pods']).status, 0)
    const base = join(emu.cli.home, '.kube', 'cache', 'discovery')
    const hostDir = readdirSync(base).find((d) => existsSync(join(base, d, 'kube2-aggregated.json')))
    assert.ok(hostDir, 'kube2-aggregated.json written')
    assert.match(hostDir!, /^127\.0\.0\.1_\d+$/)
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'widgets.example.com'},
      spec: {group: 'example.com', scope: 'Namespaced', names: {plural: 'widgets', singular: 'widget', kind: 'Widget'}, versions: [{name: 'v1', served: true, storage: true, schema: {openAPIV3Schema: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}}}]},
    }
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['apply', '-f', '-'], {input: JSON.stringify(crd)}).status, 0)
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['wait', '--for=condition=Established', 'crd/widgets.example.com']).status, 0)
    const r = emu.kube2(['get', 'widgets'])
    assert.equal(r.stderr, 'No resources found in default namespace.\n')
    assert.equal(r.status, 0)
    assert.equal(emu.kube2(['get', 'gadgets']).stderr, 'error: the server doesn\'t have a resource type "gadgets"\n')
  })

  it('a server that is not there reads as kubectl says it', () => {
    const r = emu.kube2(['get', 'pods', '--server', 'https://127.0.0.1:1', '--insecure-skip-tls-verify'])
    assert.equal(r.status, 1)
    assert.equal(r.stderr, 'error: The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n')
  })
})
