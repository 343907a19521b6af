// apply / get / delete on the embedded emulated cluster, as a user runs them: the built CLI with
// KUBE2_HOME in a temporary directory, state kept between commands.
import {strict as assert} from 'node:assert'
import {writeFileSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {CliSandbox} from '../helpers/cli.js'

describe('embedded cluster (CLI)', function () {
  this.timeout(60000)
  let cli: CliSandbox
  before(() => (cli = new CliSandbox()))
  after(() => cli.dispose())

  it('apply creates, a second apply reports unchanged, a change reports configured', () => {
    let r = cli.run(['apply', '-f', 'fixtures/quickstart.yaml'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout, 'configmap/web-config created\ndeployment.apps/web created\nservice/web created\n')
    r = cli.run(['apply', '-f', 'fixtures/quickstart.yaml'])
    assert.equal(r.stdout, 'configmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n')
    const changed = join(cli.home, 'changed.yaml')
    writeFileSync(changed, readFileSync('fixtures/quickstart.yaml', 'utf8').replace('replicas: 3', 'replicas: 5'))
    r = cli.run(['apply', '-f', changed])
    assert.equal(r.stdout, 'configmap/web-config unchanged\ndeployment.apps/web configured\nservice/web unchanged\n')
  })

  it('get prints tables, YAML without managedFields, JSON, names', () => {
    let r = cli.run(['get', 'deploy'])
    assert.equal(r.status, 0, r.stderr)
    // Deployment -> ReplicaSet -> pods, scheduled onto the default profile's workers and started by
    // the simulated kubelets: the command's settle leaves them Running and Ready.
    assert.match(r.stdout, /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\nweb +5\/5 +5 +5 +\d+s\n$/)
    const pods = cli.run(['get', 'pods', '-o', 'name'])
    assert.equal(pods.stdout.trim().split('\n').length, 5)
    assert.match(pods.stdout, /^pod\/web-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/m)
    const rs = cli.run(['get', 'rs'])
    assert.match(rs.stdout, /^NAME +DESIRED +CURRENT +READY +AGE\nweb-\w+ +5 +5 +5 +\d+s\n$/)
    const wide = cli.run(['get', 'pods', '-o', 'wide', '--no-headers']).stdout.trim().split('\n')
    for (const line of wide) assert.match(line, /^web-\S+ +1\/1 +Running +0 +\d+s +10\.244\.[1-3]\.\d+ +node-[1-3] +<none> +<none>$/)
    const nodes = cli.run(['get', 'nodes', '--no-headers']).stdout
    assert.match(nodes, /^control-plane +Ready +control-plane +\d+s +v1\.\d+\.\d+\nnode-1 +Ready +<none> /)
    r = cli.run(['get', 'deploy', 'web', '-o', 'yaml'])
    assert.match(r.stdout, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/)
    assert.match(r.stdout, /\n  replicas: 5\n/)
    assert.doesNotMatch(r.stdout, /managedFields/)
    r = cli.run(['get', 'svc', 'web', '-o', 'json'])
    const svc = JSON.parse(r.stdout)
    assert.match(svc.spec.clusterIP, /^10\./)
    assert.match(r.stdout, /^{\n    "apiVersion": "v1",\n    "kind": "Service",/)
    r = cli.run(['get', 'svc', '-o', 'name'])
    assert.equal(r.stdout, 'service/kubernetes\nservice/web\n')
    r = cli.run(['get', 'cm', '-o', 'yaml'])
    assert.match(r.stdout, /^apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n/)
    assert.match(r.stdout, /kind: List\nmetadata:\n  resourceVersion: ""\n$/)
  })

  it('get reports what is missing as kubectl does', () => {
    let r = cli.run(['get', 'pods', '-n', 'kube-system'])
    assert.equal(r.status, 0)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, 'No resources found in kube-system namespace.\n')
    r = cli.run(['get', 'deploy', 'nope'])
    assert.equal(r.status, 1)
    assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n')
    r = cli.run(['get', 'widgets'])
    assert.equal(r.status, 1)
    assert.equal(r.stderr, 'error: the server doesn\'t have a resource type "widgets"\n')
  })

  it('an invalid input changes nothing, even when other inputs are valid', () => {
    const mixed = join(cli.home, 'mixed.yaml')
    writeFileSync(mixed, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec:\n  replicas: -1\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: x}]}\n')
    const r = cli.run(['apply', '-f', mixed])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /mixed.yaml:9: Deployment\/broken: spec.replicas: Invalid value: -1: must be greater than or equal to 0/)
    assert.equal(cli.run(['get', 'cm', 'first']).status, 1, 'the valid ConfigMap was not created either')
    const ns = join(cli.home, 'ns.yaml')
    writeFileSync(ns, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: missing}\n')
    const r2 = cli.run(['apply', '-f', ns])
    assert.equal(r2.status, 1)
    assert.equal(r2.stderr, 'error: namespaces "missing" not found\n')
    assert.equal(cli.run(['get', 'cm', 'a']).status, 1)
  })

  it('applies the real-world corpus cleanly (skipped without ../shared/corpus)', function () {
    const r = cli.run(['apply', '-f', '../shared/corpus/cert-manager-v1.19.4.yaml'])
    if (r.stderr.includes('does not exist')) this.skip()
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout.trim().split('\n').length, 49)
    assert.match(r.stdout, /^customresourcedefinition.apiextensions.k8s.io\/certificaterequests.cert-manager.io created$/m)
    const again = cli.run(['apply', '-f', '../shared/corpus/cert-manager-v1.19.4.yaml'])
    assert.equal(again.status, 0, again.stderr)
    assert.ok(again.stdout.trim().split('\n').every((l) => l.endsWith(' unchanged')), again.stdout)
  })

  it('delete removes what the files describe', () => {
    const r = cli.run(['delete', '-f', 'fixtures/quickstart.yaml'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout, 'configmap "web-config" deleted\ndeployment.apps "web" deleted\nservice "web" deleted\n')
    assert.equal(cli.run(['get', 'deploy', 'web']).status, 1)
    // The garbage collector removed what the Deployment owned (background cascade).
    assert.equal(cli.run(['get', 'rs']).stderr, 'No resources found in default namespace.\n')
    assert.equal(cli.run(['get', 'pods']).stderr, 'No resources found in default namespace.\n')
    const again = cli.run(['delete', 'deploy', 'web'])
    assert.equal(again.status, 1)
    assert.equal(again.stderr, 'Error from server (NotFound): deployments.apps "web" not found\n')
  })
})
