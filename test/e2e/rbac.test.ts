// RBAC on the emulator, driven by the real kubectl (1.33 sends its reviews as protobuf; 1.27 as JSON):
// the default roles and their aggregation, authorization of resource and non-resource requests with
// kube-apiserver's Forbidden texts, the access-review APIs (never stored), impersonation, and the
// escalation check.
import {strict as assert} from 'node:assert'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import yaml from 'js-yaml'
import {EmulatorSandbox, KUBECTL_NEWEST, KUBECTL_OLDEST, kubectlAvailable} from '../helpers/emulator.js'

describe('RBAC on kube2 emulate', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  let alice: {kubeconfig: string; token: string}
  let viewer: {kubeconfig: string; token: string}
  const k = (args: string[], opts: {input?: string; kubeconfig?: string; bin?: string} = {}) =>
    emu.kubectl(opts.bin ?? KUBECTL_NEWEST, args, {...(opts.input !== undefined ? {input: opts.input} : {}), ...(opts.kubeconfig ? {env: {KUBECONFIG: opts.kubeconfig}} : {})})
  const ok = (args: string[], opts: {input?: string; kubeconfig?: string; bin?: string} = {}) => {
    const r = k(args, opts)
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }

  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST) || !kubectlAvailable(KUBECTL_OLDEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '1'])
    alice = emu.addUser('alice', ['dev'])
    viewer = emu.addUser('vera')
    ok(['create', 'namespace', 'team'])
  })
  after(() => emu?.dispose())

  it('the default roles exist and admin/edit/view are aggregated from their parts', () => {
    const names = ok(['get', 'clusterroles', '-o', 'name']).split('\n')
    for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:aggregate-to-edit']) assert.ok(names.includes(`clusterrole.rbac.authorization.k8s.io/${n}`), n)
    const rules = (name: string) => (JSON.parse(ok(['get', 'clusterrole', name, '-o', 'json'])) as {rules: Array<{resources?: string[]; verbs: string[]}>}).rules
    const grants = (name: string, resource: string, verb: string) => rules(name).some((r) => r.resources?.includes(resource) && r.verbs.includes(verb))
    assert.ok(grants('view', 'pods', 'list'))
    assert.ok(!grants('view', 'pods', 'create'))
    assert.ok(grants('edit', 'pods', 'list') && grants('edit', 'deployments', 'create'))
    assert.ok(grants('admin', 'rolebindings', 'create') && grants('admin', 'pods', 'list'))
    assert.ok(!grants('edit', 'rolebindings', 'create'))
    assert.match(ok(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'jsonpath={.subjects[0].name}']), /^system:masters$/)
  })

  it('a user with no bindings may discover and review itself, nothing else', () => {
    for (const bin of [KUBECTL_OLDEST, KUBECTL_NEWEST]) {
      const denied = k(['get', 'pods', '-n', 'team'], {kubeconfig: viewer.kubeconfig, bin})
      assert.equal(denied.status, 1)
      assert.equal(denied.stderr, 'Error from server (Forbidden): pods is forbidden: User "vera" cannot list resource "pods" in API group "" in the namespace "team"\n')
      const one = k(['get', 'node', 'node-1'], {kubeconfig: viewer.kubeconfig, bin})
      assert.equal(one.stderr, 'Error from server (Forbidden): nodes "node-1" is forbidden: User "vera" cannot get resource "nodes" in API group "" at the cluster scope\n')
      // Asked twice: reviews are answered, not stored (no AlreadyExists).
      for (let i = 0; i < 2; i++) assert.equal(k(['auth', 'can-i', 'list', 'pods'], {kubeconfig: viewer.kubeconfig, bin}).stdout, 'no\n')
    }
    assert.match(ok(['version', '-o', 'json'], {kubeconfig: viewer.kubeconfig}), /"serverVersion"/)
    const metrics = k(['get', '--raw', '/metrics'], {kubeconfig: viewer.kubeconfig})
    assert.equal(metrics.stderr, 'Error from server (Forbidden): forbidden: User "vera" cannot get path "/metrics"\n')
    const who = ok(['auth', 'whoami', '-o', 'json'], {kubeconfig: alice.kubeconfig})
    assert.deepEqual((JSON.parse(who) as {status: {userInfo: unknown}}).status.userInfo, {username: 'alice', groups: ['dev', 'system:authenticated']})
  })

  it('a RoleBinding to edit for a group: allowed in its namespace only, and can-i --list shows the rules', () => {
    ok(['create', 'rolebinding', 'dev-edit', '--clusterrole=edit', '--group=dev', '-n', 'team'])
    assert.equal(ok(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'team'], {kubeconfig: alice.kubeconfig}), 'yes\n')
    assert.equal(k(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'default'], {kubeconfig: alice.kubeconfig}).stdout, 'no\n')
    assert.equal(k(['auth', 'can-i', 'create', 'rolebindings', '-n', 'team'], {kubeconfig: alice.kubeconfig}).stdout, 'no\n')
    ok(['create', 'deployment', 'web', '--image=nginx', '-n', 'team'], {kubeconfig: alice.kubeconfig})
    const list = ok(['auth', 'can-i', '--list', '-n', 'team'], {kubeconfig: alice.kubeconfig})
    assert.match(list, /^Resources +Non-Resource URLs +Resource Names +Verbs\n/)
    assert.match(list, /\ndeployments\.apps +\[\] +\[\] +\[create delete deletecollection patch update get list watch\]\n/)
    assert.match(list, /\nselfsubjectaccessreviews\.authorization\.k8s\.io +\[\] +\[\] +\[create\]\n/)
    assert.match(list, /\n +\[\/api\/\*\] +\[\] +\[get\]\n/)
  })

  it('exec needs create on pods/exec (a viewer is refused before the emulator says it has no containers)', () => {
    ok(['create', 'rolebinding', 'vera-view', '--clusterrole=view', '--user=vera', '-n', 'team'])
    ok(['run', 'p', '--image=nginx', '-n', 'team'])
    const r = k(['exec', 'p', '-n', 'team', '--', 'true'], {kubeconfig: viewer.kubeconfig})
    assert.equal(r.status, 1)
    assert.match(r.stderr, /pods "p" is forbidden: User "vera" cannot create resource "pods\/exec" in API group "" in the namespace "team"/)
    assert.equal(ok(['get', 'pod', 'p', '-n', 'team', '-o', 'name'], {kubeconfig: viewer.kubeconfig}), 'pod/p\n')
  })

  it('impersonation: the admin acts as alice; alice may not act as anyone', () => {
    assert.equal(ok(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'team', '--as=alice', '--as-group=dev']), 'yes\n')
    assert.equal(k(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'team', '--as=alice']).stdout, 'no\n')
    const r = k(['get', 'pods', '-n', 'team', '--as=bob'], {kubeconfig: alice.kubeconfig})
    assert.equal(r.stderr, 'Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope\n')
  })

  it('escalation: a namespace admin grants what it holds, not more', () => {
    ok(['create', 'rolebinding', 'alice-admin', '--clusterrole=admin', '--user=alice', '-n', 'team'])
    ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'team'], {kubeconfig: alice.kubeconfig})
    ok(['create', 'rolebinding', 'read-pods', '--role=pod-reader', '--user=vera', '-n', 'team'], {kubeconfig: alice.kubeconfig})
    const role = k(['create', 'role', 'node-reader', '--verb=get', '--resource=nodes', '-n', 'team'], {kubeconfig: alice.kubeconfig})
    assert.equal(role.status, 1)
    assert.match(role.stderr, /roles\.rbac\.authorization\.k8s\.io "node-reader" is forbidden: user "alice" \(groups=\["dev" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/)
    const binding = k(['create', 'rolebinding', 'grab', '--clusterrole=cluster-admin', '--user=alice', '-n', 'team'], {kubeconfig: alice.kubeconfig})
    assert.equal(binding.status, 1)
    assert.match(binding.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "grab" is forbidden: user "alice" .* is attempting to grant RBAC permissions not currently held/)
    assert.equal(k(['get', 'role', 'node-reader', '-n', 'team']).status, 1)
  })

  it('SubjectAccessReview and TokenReview for the admin; LocalSubjectAccessReview checks its namespace', () => {
    const sar = JSON.parse(ok(['create', '-o', 'json', '-f', '-'], {input: JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
      spec: {user: 'vera', resourceAttributes: {namespace: 'team', verb: 'watch', resource: 'pods'}},
    })})) as {status: {allowed: boolean; reason?: string}}
    assert.deepEqual(sar.status, {allowed: true, reason: 'RBAC: allowed by RoleBinding "vera-view/team" of ClusterRole "view" to User "vera"'})
    const tr = JSON.parse(ok(['create', '-o', 'json', '-f', '-'], {input: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token: alice.token}})})) as {status: {authenticated: boolean; user: {username: string}}}
    assert.equal(tr.status.authenticated, true)
    assert.equal(tr.status.user.username, 'alice')
    const bad = JSON.parse(ok(['create', '-o', 'json', '-f', '-'], {input: JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token: 'nope'}})})) as {status: {authenticated?: boolean}}
    assert.notEqual(bad.status.authenticated, true)
    const lsar = k(['create', '-f', '-', '-n', 'team'], {input: JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview',
      spec: {user: 'vera', resourceAttributes: {namespace: 'other', verb: 'list', resource: 'pods'}},
    })})
    assert.equal(lsar.status, 1)
    assert.match(lsar.stderr, /spec\.resourceAttributes\.namespace: Invalid value: "other": must match metadata\.namespace/)
  })
})

describe('service account tokens on kube2 emulate', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  const k = (args: string[], env: Record<string, string> = {}, input?: string) => emu.kubectl(KUBECTL_NEWEST, args, {env, ...(input !== undefined ? {input} : {})})

  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '1'])
  })
  after(() => emu?.dispose())

  it('kubectl create token: a JWT that authenticates as the service account, RBAC applies, TokenReview agrees', () => {
    assert.equal(k(['create', 'serviceaccount', 'robot']).status, 0)
    const made = k(['create', 'token', 'robot', '--duration=1h'])
    assert.equal(made.status, 0, made.stderr)
    const token = made.stdout.trim()
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/)
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {sub: string; aud: string[]; exp: number; iat: number}
    assert.equal(claims.sub, 'system:serviceaccount:default:robot')
    assert.deepEqual(claims.aud, ['https://kubernetes.default.svc.cluster.local'])
    assert.equal(claims.exp - claims.iat, 3600)
    // The token alone (no client certificate): a kubeconfig user with just the token.
    const kc = yaml.load(readFileSync(emu.kubeconfig, 'utf8')) as Record<string, unknown>
    const robotConfig = join(emu.cli.home, 'robot.kubeconfig')
    writeFileSync(robotConfig, yaml.dump({...kc, users: [{name: 'robot', user: {token}}], contexts: [{name: 'r', context: {cluster: 'kube2-emulator', user: 'robot'}}], 'current-context': 'r'}))
    const asRobot = (args: string[]) => emu.kubectl(KUBECTL_NEWEST, args, {env: {KUBECONFIG: robotConfig}})
    assert.equal(asRobot(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']).stdout, 'system:serviceaccount:default:robot')
    const denied = asRobot(['get', 'pods'])
    assert.match(denied.stderr, /pods is forbidden: User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" in the namespace "default"/)
    assert.equal(k(['create', 'rolebinding', 'robot-view', '--clusterrole=view', '--serviceaccount=default:robot']).status, 0)
    assert.equal(asRobot(['get', 'pods']).status, 0)
    const review = JSON.parse(k(['create', '-o', 'json', '-f', '-'], {}, JSON.stringify({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {token}})).stdout) as {status: {authenticated: boolean; user: {username: string; groups: string[]}}}
    assert.equal(review.status.authenticated, true)
    assert.deepEqual(review.status.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'])
    // Too short a duration is refused; a deleted service account's token stops working.
    assert.match(k(['create', 'token', 'robot', '--duration=1m']).stderr, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/)
    assert.equal(k(['delete', 'serviceaccount', 'robot']).status, 0)
    assert.match(asRobot(['get', 'pods']).stderr, /Unauthorized|must be logged in/)
  })
})
