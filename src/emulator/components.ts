// The control plane's components by name: each adds its controllers (informers, queues, reconcilers)
// to the ControllerManager. A ControlPlane runs all of them by default; tests and benchmarks may run
// a subset (`controllers: ['replicaset', 'gc']`) to watch one controller at work.
import type {ControllerManager} from '../reconcile/manager.js'
import {addReplicaSetController} from '../reconcile/controllers/replicaset.js'
import {addDeploymentController} from '../reconcile/controllers/deployment.js'
import {addServiceAccountController} from '../reconcile/controllers/serviceaccount.js'
import {addGarbageCollector} from '../reconcile/controllers/gc.js'

/** What a component may need from the control plane besides the manager. */
export interface ComponentEnv {
  kubernetesVersion: string
  seed: number
}

export type Component = (m: ControllerManager, env: ComponentEnv) => void

/** In start order (the order only matters for tie-breaks within one drain round). */
export const COMPONENTS: Record<string, Component> = {
  serviceaccount: addServiceAccountController,
  replicaset: addReplicaSetController,
  deployment: addDeploymentController,
  gc: addGarbageCollector,
}

export function componentNames(): string[] {
  return Object.keys(COMPONENTS)
}
