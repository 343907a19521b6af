// The empty object the apiserver compares a created object against: for built-in kinds the Go zero value
// as unstructured JSON (non-pointer structs present as {}, fields without omitempty as null), for other
// kinds just apiVersion and kind. Which nodes exist there decides which maps get `.` in Update entries.
import type {JsonMap} from '../json-value.js'
import type {PatchMeta} from '../meta.js'
import {OBJECT_META} from './types.js'

type Presence = 'struct' | 'null'

// Fields present in the zero value of a definition: non-pointer structs and pointers, slices or maps
// serialized without omitempty. Kinds not listed get metadata, spec and status.
const ZERO_FIELDS: Record<string, Record<string, Presence>> = {
  [OBJECT_META]: {creationTimestamp: 'null'},
  'io.k8s.api.core.v1.PodTemplateSpec': {metadata: 'struct', spec: 'struct'},
  'io.k8s.api.core.v1.PodSpec': {containers: 'null'},
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {resources: 'struct'},
  'io.k8s.api.core.v1.ServiceStatus': {loadBalancer: 'struct'},
  'io.k8s.api.apps.v1.DeploymentSpec': {selector: 'null', template: 'struct', strategy: 'struct'},
  'io.k8s.api.apps.v1.ReplicaSetSpec': {selector: 'null', template: 'struct'},
  'io.k8s.api.apps.v1.StatefulSetSpec': {selector: 'null', template: 'struct', updateStrategy: 'struct'},
  'io.k8s.api.apps.v1.DaemonSetSpec': {selector: 'null', template: 'struct', updateStrategy: 'struct'},
  'io.k8s.api.batch.v1.JobSpec': {template: 'struct'},
  'io.k8s.api.batch.v1.CronJobSpec': {jobTemplate: 'struct'},
  'io.k8s.api.batch.v1.JobTemplateSpec': {metadata: 'struct', spec: 'struct'},
  'io.k8s.api.networking.v1.IngressStatus': {loadBalancer: 'struct'},
  'io.k8s.api.networking.v1.NetworkPolicySpec': {podSelector: 'struct'},
  'io.k8s.api.rbac.v1.Role': {metadata: 'struct', rules: 'null'},
  'io.k8s.api.rbac.v1.ClusterRole': {metadata: 'struct', rules: 'null'},
  'io.k8s.api.rbac.v1.RoleBinding': {metadata: 'struct', roleRef: 'struct'},
  'io.k8s.api.rbac.v1.ClusterRoleBinding': {metadata: 'struct', roleRef: 'struct'},
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec': {scaleTargetRef: 'struct'},
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': {scaleTargetRef: 'struct'},
}

const ROOT_STRUCTS = ['metadata', 'spec', 'status']

function zeroOf(meta: PatchMeta, name: string | undefined, depth: number): JsonMap {
  const out: JsonMap = {}
  if (name === undefined || depth > 8) return out
  const fields = Object.hasOwn(meta, name) ? meta[name] : {}
  for (const [field, presence] of Object.entries(ZERO_FIELDS[name] ?? {})) {
    out[field] = presence === 'null' ? null : zeroOf(meta, fields[field]?.type, depth + 1)
  }
  return out
}

/** The object a create is compared against (runtime.ObjectCreater.New for the kind). */
export function zeroObject(meta: PatchMeta, rootName: string | undefined, apiVersion: string, kind: string): JsonMap {
  if (rootName === undefined || !Object.hasOwn(meta, rootName)) return {apiVersion, kind}
  const out = zeroOf(meta, rootName, 0)
  if (!ZERO_FIELDS[rootName]) {
    const fields = meta[rootName]
    for (const field of ROOT_STRUCTS) {
      const info = fields[field]
      if (info?.type && !info.list && !info.map) out[field] = zeroOf(meta, info.type, 1)
    }
  }
  return out
}
