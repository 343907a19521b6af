// The default RBAC policy a cluster starts with (kube-apiserver's bootstrap policy, the user-facing
// part): cluster-admin for system:masters; the aggregated admin/edit/view roles and their
// system:aggregate-to-* parts; discovery, health and self-review for every authenticated user. The
// ControlPlane creates whatever is missing at every start, as the apiserver's RBAC post-start hook does.
import type {PolicyRule} from './rules.js'

const BOOTSTRAP_LABELS = {'kubernetes.io/bootstrapping': 'rbac-defaults'}
const AUTOUPDATE = {'rbac.authorization.kubernetes.io/autoupdate': 'true'}
const RBAC_V1 = 'rbac.authorization.k8s.io/v1'

const READ = ['get', 'list', 'watch']
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update']
const ALL = [...WRITE.slice(0, 3), 'get', 'list', 'patch', 'update', 'watch']

function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return {apiGroups, resources, ...(resourceNames ? {resourceNames} : {}), verbs}
}
function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return {nonResourceURLs, verbs}
}

type Obj = Record<string, unknown>

function clusterRole(name: string, rules: PolicyRule[] | null, extra: {labels?: Record<string, string>; aggregateFrom?: string} = {}): Obj {
  const role: Obj = {
    apiVersion: RBAC_V1, kind: 'ClusterRole',
    metadata: {name, labels: {...BOOTSTRAP_LABELS, ...extra.labels}, annotations: {...AUTOUPDATE}},
  }
  if (extra.aggregateFrom) role.aggregationRule = {clusterRoleSelectors: [{matchLabels: {[`rbac.authorization.k8s.io/${extra.aggregateFrom}`]: 'true'}}]}
  if (rules) role.rules = rules
  return role
}

function clusterRoleBinding(name: string, role: string, groups: string[]): Obj {
  return {
    apiVersion: RBAC_V1, kind: 'ClusterRoleBinding',
    metadata: {name, labels: {...BOOTSTRAP_LABELS}, annotations: {...AUTOUPDATE}},
    roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role},
    subjects: groups.map((g) => ({apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g})),
  }
}

const aggregateTo = (to: string) => ({[`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true'})

export function bootstrapClusterRoles(): Obj[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', null, {aggregateFrom: 'aggregate-to-admin'}),
    clusterRole('edit', null, {aggregateFrom: 'aggregate-to-edit', labels: aggregateTo('admin')}),
    clusterRole('view', null, {aggregateFrom: 'aggregate-to-view', labels: aggregateTo('edit')}),
    clusterRole('system:aggregate-to-admin', [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule(ALL, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
    ], {labels: aggregateTo('admin')}),
    clusterRole('system:aggregate-to-edit', [
      rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
      rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
      rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
      rule(WRITE, ['policy'], ['poddisruptionbudgets']),
      rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      rule(ALL, ['coordination.k8s.io'], ['leases']),
    ], {labels: aggregateTo('edit')}),
    clusterRole('system:aggregate-to-view', [
      rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
      rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
      rule(READ, [''], ['namespaces']),
      rule(READ, ['discovery.k8s.io'], ['endpointslices']),
      rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
      rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
      rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
    ], {labels: aggregateTo('view')}),
    // Installed by metrics-server's manifest, whose API the emulator serves: viewers may read metrics.
    clusterRole('system:aggregated-metrics-reader', [rule(READ, ['metrics.k8s.io'], ['pods', 'nodes'])], {
      labels: {...aggregateTo('view'), ...aggregateTo('edit'), ...aggregateTo('admin')},
    }),
    clusterRole('system:auth-delegator', [
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:discovery', [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    clusterRole('system:monitoring', [urls(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])]),
  ]
}

export function bootstrapClusterRoleBindings(): Obj[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', ['system:masters']),
    clusterRoleBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
    clusterRoleBinding('system:discovery', 'system:discovery', ['system:authenticated']),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
    clusterRoleBinding('system:monitoring', 'system:monitoring', ['system:monitoring']),
  ]
}
