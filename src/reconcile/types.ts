// Level-based reconciliation, as controller-runtime does it: a reconciler gets only a key
// (namespace/name), reads the current state and returns "done" or "requeue after"; a generic runner
// owns queues, de-duplication and rate-limited retries.

export interface ObjectKey {
  namespace?: string
  name: string
}

/**
 * `requeueAfterMs` schedules another reconcile of the key; `background: true` marks it a periodic
 * resync (a settling virtual clock does not advance time for it, see VirtualClock background timers).
 */
export type ReconcileResult = 'done' | {requeueAfterMs: number; background?: boolean}

export interface Reconciler {
  /** Name for logs and metrics, e.g. `deployment`. */
  readonly name: string
  /** Reconciles one key; throwing means "retry with back-off". */
  reconcile(key: ObjectKey): ReconcileResult
}

/** Resource coordinates used by controllers (plural resource names). */
export interface ResourceRef {
  group: string
  version: string
  resource: string
  namespaced: boolean
}

export const RESOURCES = {
  pods: {group: '', version: 'v1', resource: 'pods', namespaced: true},
  nodes: {group: '', version: 'v1', resource: 'nodes', namespaced: false},
  namespaces: {group: '', version: 'v1', resource: 'namespaces', namespaced: false},
  services: {group: '', version: 'v1', resource: 'services', namespaced: true},
  endpoints: {group: '', version: 'v1', resource: 'endpoints', namespaced: true},
  events: {group: '', version: 'v1', resource: 'events', namespaced: true},
  serviceaccounts: {group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true},
  persistentvolumeclaims: {group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true},
  persistentvolumes: {group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false},
  deployments: {group: 'apps', version: 'v1', resource: 'deployments', namespaced: true},
  replicasets: {group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true},
  statefulsets: {group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true},
  daemonsets: {group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true},
  controllerrevisions: {group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true},
  jobs: {group: 'batch', version: 'v1', resource: 'jobs', namespaced: true},
  cronjobs: {group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true},
  endpointslices: {group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true},
  poddisruptionbudgets: {group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true},
  leases: {group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true},
  storageclasses: {group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false},
  horizontalpodautoscalers: {group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespaced: true},
  priorityclasses: {group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false},
  resourcequotas: {group: '', version: 'v1', resource: 'resourcequotas', namespaced: true},
  replicationcontrollers: {group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true},
  podmetrics: {group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespaced: true},
  clusterroles: {group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false},
} as const satisfies Record<string, ResourceRef>

export function keyString(k: ObjectKey): string {
  return k.namespace ? `${k.namespace}/${k.name}` : k.name
}

export function parseKey(s: string): ObjectKey {
  const i = s.indexOf('/')
  return i < 0 ? {name: s} : {namespace: s.slice(0, i), name: s.slice(i + 1)}
}
