// Realistic objects for the server-side apply tests: a Deployment, a Service and a ConfigMap, as kubectl
// would send them (no defaults filled in).
import type {JsonMap} from '../../../../src/patch/json-value.js'

export function deployment(overrides: {replicas?: number; image?: string; extraSpec?: JsonMap} = {}): JsonMap {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', namespace: 'default', labels: {app: 'web'}},
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: {matchLabels: {app: 'web'}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {
          containers: [{name: 'web', image: overrides.image ?? 'nginx:1.25', ports: [{containerPort: 80}]}],
        },
      },
      ...overrides.extraSpec,
    },
  }
}

export function service(): JsonMap {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'web', namespace: 'default'},
    spec: {selector: {app: 'web'}, ports: [{name: 'http', port: 80, targetPort: 8080}], type: 'ClusterIP'},
  }
}

export function configMap(data: Record<string, string>, extraMeta: JsonMap = {}): JsonMap {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cfg', namespace: 'default', ...extraMeta}, data}
}
