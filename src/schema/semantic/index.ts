// The apiserver's semantic validation for the common kinds, beyond what a schema can say: names,
// selectors that match templates, unique names, port ranges, quantities, requests <= limits, and
// the rest. Also used by the emulator's admission. Dispatches on kind; every object gets the
// ObjectMeta checks.
import type {Problem} from '../problems.js'
import {Checker, type CheckContext, type Obj} from './checker.js'
import {checkConfigMap, checkSecret} from './config.js'
import {checkMetadata, checkEmbeddedMetadata} from './metadata.js'
import {
  checkHorizontalPodAutoscaler,
  checkIngress,
  checkLimitRange,
  checkNetworkPolicy,
  checkPersistentVolumeClaim,
  checkPodDisruptionBudget,
  checkResourceQuota,
} from './other.js'
import {checkPodSpec} from './pod.js'
import {checkService} from './service.js'
import {checkCronJob, checkDaemonSet, checkDeployment, checkJob, checkReplicaSet, checkStatefulSet} from './workloads.js'
import {obj} from './checker.js'

export type {CheckContext} from './checker.js'

type KindCheck = (c: Checker, o: Obj) => void

const BY_KIND: Record<string, KindCheck> = {
  Pod: (c, o) => checkPodSpec(c, obj(o.spec), ['spec']),
  PodTemplate: (c, o) => {
    const t = obj(o.template)
    if (!t) return c.required(['template'])
    checkEmbeddedMetadata(c, t.metadata, ['template', 'metadata'])
    checkPodSpec(c, obj(t.spec), ['template', 'spec'])
  },
  Deployment: checkDeployment,
  ReplicaSet: (c, o) => checkReplicaSet(c, o),
  ReplicationController: (c, o) => checkReplicaSet(c, o, 'replicationcontroller'),
  StatefulSet: checkStatefulSet,
  DaemonSet: checkDaemonSet,
  Job: checkJob,
  CronJob: checkCronJob,
  Service: checkService,
  ConfigMap: checkConfigMap,
  Secret: checkSecret,
  PersistentVolumeClaim: checkPersistentVolumeClaim,
  ResourceQuota: checkResourceQuota,
  LimitRange: checkLimitRange,
  HorizontalPodAutoscaler: checkHorizontalPodAutoscaler,
  PodDisruptionBudget: checkPodDisruptionBudget,
  Ingress: checkIngress,
  NetworkPolicy: checkNetworkPolicy,
}

/** Kinds that are created and read back (not review-style requests): they carry ObjectMeta rules. */
function hasObjectMeta(o: Obj): boolean {
  const kind = String(o.kind)
  return !/Review$/.test(kind) && kind !== 'Binding' && kind !== 'Eviction'
}

export function checkObject(o: Obj, ctx: CheckContext): Problem[] {
  const c = new Checker(ctx)
  if (hasObjectMeta(o)) checkMetadata(c, o, String(o.kind))
  const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : ''
  // Only the built-in groups: a custom resource may reuse a kind name such as `Service`.
  if (!group.includes('.') || group.endsWith('.k8s.io')) BY_KIND[String(o.kind)]?.(c, o)
  return c.problems
}
