// The control plane's components by name: each adds its controllers (informers, queues, reconcilers)
// to the ControllerManager. A ControlPlane runs all of them by default; tests and benchmarks may run
// a subset (`controllers: ['replicaset', 'gc']`) to watch one controller at work.
import type {ControllerManager} from '../reconcile/manager.js'
import {addReplicaSetController} from '../reconcile/controllers/replicaset.js'
import {addDeploymentController} from '../reconcile/controllers/deployment.js'
import {addServiceAccountController} from '../reconcile/controllers/serviceaccount.js'
import {addClusterRoleAggregationController} from '../reconcile/controllers/clusterrole-aggregation.js'
import {addGarbageCollector} from '../reconcile/controllers/gc.js'
import {addPodGarbageCollector} from '../reconcile/controllers/podgc.js'
import {addPersistentVolumeBinder} from '../reconcile/controllers/pv-binder.js'
import {addLocalPathProvisioner} from '../reconcile/controllers/provisioner.js'
import {addDaemonSetController} from '../reconcile/controllers/daemonset.js'
import {addStatefulSetController} from '../reconcile/controllers/statefulset.js'
import {addJobController} from '../reconcile/controllers/job.js'
import {addEndpointsController} from '../reconcile/controllers/endpoints.js'
import {addEndpointSliceController} from '../reconcile/controllers/endpointslice.js'
import {addCronJobController} from '../reconcile/controllers/cronjob.js'
import {addTTLAfterFinishedController} from '../reconcile/controllers/ttl-after-finished.js'
import {addNodeLifecycleController} from '../reconcile/controllers/node-lifecycle.js'
import {addTaintEvictionController} from '../reconcile/controllers/taint-eviction.js'
import {addDisruptionController} from '../reconcile/controllers/disruption.js'
import {addHPAController} from '../reconcile/controllers/hpa.js'
import type {PodProfile} from '../kubelet/index.js'
import {addScheduler} from './scheduler-component.js'
import {addKubelet, type ContainerLogSink} from './kubelet-component.js'

/** What a component may need from the control plane besides the manager. */
export interface ComponentEnv {
  kubernetesVersion: string
  seed: number
  /** The simulated kubelets' profile (default: fixtures/kubelet/default-profile.yaml). */
  kubeletProfile?: PodProfile
  /** Where kubelets write container logs (none: logs are not kept). */
  logSink?: ContainerLogSink
  /**
   * When the previous process running this cluster stopped (its virtual time): components resuming
   * work (the kubelets) take everything up to then as already done, so Events are not repeated.
   */
  resumedFrom?: Date
}

export type Component = (m: ControllerManager, env: ComponentEnv) => void

/** In start order (the order only matters for tie-breaks within one drain round). */
export const COMPONENTS: Record<string, Component> = {
  serviceaccount: addServiceAccountController,
  'clusterrole-aggregation': addClusterRoleAggregationController,
  replicaset: addReplicaSetController,
  deployment: addDeploymentController,
  daemonset: addDaemonSetController,
  statefulset: addStatefulSetController,
  gc: addGarbageCollector,
  'pod-garbage-collector': addPodGarbageCollector,
  job: addJobController,
  endpoints: addEndpointsController,
  endpointslice: addEndpointSliceController,
  cronjob: addCronJobController,
  'ttl-after-finished': addTTLAfterFinishedController,
  disruption: addDisruptionController,
  'horizontal-pod-autoscaler': addHPAController,
  'persistentvolume-binder': addPersistentVolumeBinder,
  'local-path-provisioner': addLocalPathProvisioner,
  scheduler: addScheduler,
  kubelet: addKubelet,
  // After the kubelets: a drain round processes their queued heartbeats before the node
  // lifecycle controller judges them (a clock that jumped must not make a live node look dead).
  'node-lifecycle': addNodeLifecycleController,
  'taint-eviction-controller': addTaintEvictionController,
}

export function componentNames(): string[] {
  return Object.keys(COMPONENTS)
}
