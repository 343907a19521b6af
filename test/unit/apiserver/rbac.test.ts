// RBAC in the API server: rule matching and coverage, the authorizer over stored bindings (kept current
// as they change), the clusterrole-aggregation controller, review APIs and the escalation check.
import {strict as assert} from 'node:assert'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import {VirtualClock} from '../../../src/api/clock.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {compactRule, ruleAllows, uncovered, type PolicyRule} from '../../../src/apiserver/rbac/rules.js'
import type {ApiRequest, UserInfo} from '../../../src/apiserver/types.js'

const RBAC = {group: 'rbac.authorization.k8s.io', version: 'v1'}
const alice: UserInfo = {name: 'alice', groups: ['dev', 'system:authenticated']}

describe('RBAC', () => {
  describe('rules', () => {
    const res = (verb: string, resource: string, extra: Partial<{apiGroup: string; subresource: string; name: string}> = {}) => ({verb, resourceRequest: true, apiGroup: '', resource, ...extra})
    it('matches verbs, groups, resources, subresources and names with wildcards', () => {
      const r: PolicyRule = {verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log']}
      assert.ok(ruleAllows(res('get', 'pods'), r))
      assert.ok(ruleAllows(res('get', 'pods', {subresource: 'log'}), r))
      assert.ok(!ruleAllows(res('get', 'pods', {subresource: 'exec'}), r))
      assert.ok(!ruleAllows(res('create', 'pods'), r))
      assert.ok(!ruleAllows(res('get', 'pods', {apiGroup: 'apps'}), r))
      assert.ok(ruleAllows(res('update', 'deployments', {apiGroup: 'apps', subresource: 'scale'}), {verbs: ['*'], apiGroups: ['*'], resources: ['*/scale']}))
      const named: PolicyRule = {verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a']}
      assert.ok(ruleAllows(res('get', 'configmaps', {name: 'a'}), named))
      assert.ok(!ruleAllows(res('get', 'configmaps', {name: 'b'}), named))
      assert.ok(!ruleAllows(res('list', 'configmaps'), {...named, verbs: ['list']}))
    })

    it('matches non-resource URLs exactly or by a trailing *', () => {
      const r: PolicyRule = {verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*']}
      assert.ok(ruleAllows({verb: 'get', resourceRequest: false, path: '/healthz'}, r))
      assert.ok(ruleAllows({verb: 'get', resourceRequest: false, path: '/apis/apps/v1'}, r))
      assert.ok(!ruleAllows({verb: 'get', resourceRequest: false, path: '/healthz/etcd'}, r))
      assert.ok(!ruleAllows({verb: 'post', resourceRequest: false, path: '/healthz'}, r))
    })

    it('coverage: what an owner holds covers the broken-down request, wildcards and names included', () => {
      const owner: PolicyRule[] = [{verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'services/*']}, {verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s1']}]
      assert.deepEqual(uncovered(owner, [{verbs: ['get'], apiGroups: [''], resources: ['pods', 'services/status']}]), [])
      assert.deepEqual(uncovered(owner, [{verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s1']}]), [])
      const missing = uncovered(owner, [{verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets']}])
      assert.deepEqual(missing.map(compactRule), [
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
        '{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}',
      ])
      assert.deepEqual(uncovered([{verbs: ['*'], apiGroups: ['*'], resources: ['*']}], [{verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale']}]), [])
    })
  })

  describe('in the API server', () => {
    let cp: ControlPlane
    beforeEach(() => {
      cp = new ControlPlane({store: new MemoryStore(), clock: new VirtualClock(Date.parse('2026-01-01T00:00:00Z')), controllers: ['clusterrole-aggregation'], seed: 1})
      cp.settle()
    })
    afterEach(() => cp.close())
    const admin: UserInfo = {name: 'root', groups: ['system:masters', 'system:authenticated']}
    const as = (user: UserInfo, req: Omit<ApiRequest, 'user'>) => cp.handle({...req, user})
    const create = (resource: string, body: Record<string, unknown>, namespace?: string, user?: UserInfo) =>
      cp.handle({verb: 'create', ...RBAC, resource, body, ...(namespace ? {namespace} : {}), ...(user ? {user} : {})})
    const can = (user: UserInfo, verb: string, resource: string, namespace?: string, group = '') => {
      const r = as(admin, {verb: 'create', group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', body: {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
        spec: {user: user.name, groups: user.groups, resourceAttributes: {verb, resource, group, ...(namespace ? {namespace} : {})}},
      }})
      return (r.body as {status: {allowed: boolean}}).status.allowed
    }

    it('bootstraps the default roles; aggregation fills admin/edit/view and follows changes', () => {
      const view = cp.handle({verb: 'get', ...RBAC, resource: 'clusterroles', name: 'view'}).body as {rules: PolicyRule[]}
      assert.ok(view.rules.some((r) => r.resources?.includes('pods') && r.verbs.includes('list')))
      create('clusterroles', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name: 'widgets-view', labels: {'rbac.authorization.k8s.io/aggregate-to-view': 'true'}}, rules: [{apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get']}]})
      cp.settle()
      for (const name of ['view', 'edit', 'admin']) {
        const role = cp.handle({verb: 'get', ...RBAC, resource: 'clusterroles', name}).body as {rules: PolicyRule[]}
        assert.ok(role.rules.some((r) => r.resources?.includes('widgets')), `${name} aggregates widgets-view`)
      }
      cp.handle({verb: 'delete', ...RBAC, resource: 'clusterroles', name: 'widgets-view'})
      cp.settle()
      const after = cp.handle({verb: 'get', ...RBAC, resource: 'clusterroles', name: 'admin'}).body as {rules: PolicyRule[]}
      assert.ok(!after.rules.some((r) => r.resources?.includes('widgets')))
    })

    it('authorizes by ClusterRoleBinding and by RoleBinding (to a Role or a ClusterRole), for users, groups and service accounts', () => {
      assert.equal(can(alice, 'list', 'pods', 'default'), false)
      create('rolebindings', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'b'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view'}, subjects: [{kind: 'Group', name: 'dev'}]}, 'default')
      assert.equal(can(alice, 'list', 'pods', 'default'), true)
      assert.equal(can(alice, 'list', 'pods', 'other'), false)
      assert.equal(can(alice, 'delete', 'pods', 'default'), false)
      const sa: UserInfo = {name: 'system:serviceaccount:default:robot', groups: ['system:serviceaccounts', 'system:authenticated']}
      create('roles', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {name: 'cm'}, rules: [{apiGroups: [''], resources: ['configmaps'], verbs: ['*']}]}, 'default')
      create('rolebindings', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'robot'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm'}, subjects: [{kind: 'ServiceAccount', name: 'robot'}]}, 'default')
      assert.equal(can(sa, 'delete', 'configmaps', 'default'), true)
      assert.equal(can(sa, 'delete', 'secrets', 'default'), false)
      create('clusterrolebindings', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: {name: 'alice-nodes'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:aggregate-to-view'}, subjects: [{kind: 'User', name: 'alice'}]})
      assert.equal(can(alice, 'list', 'pods', 'other'), true)
    })

    it('refuses with kube-apiserver\'s Forbidden status; internal requests (no user) are not authorized', () => {
      const r = as(alice, {verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web'})
      assert.equal(r.status, 403)
      assert.deepEqual(r.body, {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        message: 'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "default"',
        details: {name: 'web', group: 'apps', kind: 'deployments'},
      })
      assert.equal(cp.handle({verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default'}).status, 200)
    })

    it('reviews are answered and never stored; SelfSubjectRulesReview lists the rules', () => {
      for (let i = 0; i < 2; i++) {
        const r = as(alice, {verb: 'create', group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {verb: 'get', resource: 'pods', namespace: 'default'}}}})
        assert.equal(r.status, 201)
        assert.deepEqual((r.body as {status: unknown}).status, {allowed: false})
      }
      const rules = as(alice, {verb: 'create', group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', body: {spec: {namespace: 'default'}}}).body as {status: {resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[]; incomplete: boolean}}
      assert.equal(rules.status.incomplete, false)
      assert.ok(rules.status.resourceRules.some((r) => r.resources?.includes('selfsubjectaccessreviews')))
      assert.ok(rules.status.nonResourceRules.some((r) => r.nonResourceURLs?.includes('/version')))
      const me = as(alice, {verb: 'create', group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', body: {}}).body as {status: unknown}
      assert.deepEqual(me.status, {userInfo: {username: 'alice', groups: ['dev', 'system:authenticated']}})
      const bad = as(admin, {verb: 'create', group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', body: {spec: {resourceAttributes: {verb: 'get', resource: 'pods'}}}})
      assert.equal(bad.status, 422)
      assert.match((bad.body as {message: string}).message, /spec\.user: Invalid value: "": at least one of user or group must be specified/)
      assert.equal(cp.store.list('/registry/authorization.k8s.io/').items.length, 0)
      assert.equal(as(admin, {verb: 'list', group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews'}).status, 405)
    })

    it('escalation: a role granting what the writer lacks is refused unless it may escalate; bind allows binding', () => {
      create('rolebindings', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'alice-admin'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin'}, subjects: [{kind: 'User', name: 'alice'}]}, 'default')
      const ok = create('roles', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {name: 'r1'}, rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get']}]}, 'default', alice)
      assert.equal(ok.status, 201)
      const denied = create('roles', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {name: 'r2'}, rules: [{apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list']}]}, 'default', alice)
      assert.equal(denied.status, 403)
      assert.equal((denied.body as {message: string}).message, 'roles.rbac.authorization.k8s.io "r2" is forbidden: user "alice" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}\n{APIGroups:[""], Resources:["nodes"], Verbs:["list"]}')
      const bind = (name: string) => create('rolebindings', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin'}, subjects: [{kind: 'User', name: 'alice'}]}, 'default', alice)
      assert.equal(bind('grab').status, 403)
      create('clusterroles', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name: 'binder'}, rules: [{apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['cluster-admin']}]})
      create('rolebindings', {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'alice-binder'}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'binder'}, subjects: [{kind: 'User', name: 'alice'}]}, 'default')
      assert.equal(bind('granted').status, 201)
    })
  })
})
