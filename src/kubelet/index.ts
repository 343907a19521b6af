// The simulated kubelet: a pure engine the control plane calls for pods bound to simulated nodes,
// driven by declarative profiles (fixtures/kubelet/default-profile.yaml).
export {nextPodState} from './engine.js'
export {terminatingPodState} from './termination.js'
export type {PodStateArgs, PodStateResult} from './types.js'
export type {PodEvent} from './collect.js'
export type {LogLine} from './logs.js'
export {nodeStatus, nodeResources, type NodeStatusArgs} from './node-status.js'
export {podUsage, type PodUsage, type ContainerUsage} from './usage.js'
export {qosClass, computeQOS, type QOSClass} from './qos.js'
export {allocatePodIP} from './ip.js'
export {loadPodProfile, parsePodProfile, ProfileError, DEFAULT_PROFILE_PATH} from './profile-load.js'
export type {PodProfile, Simulation} from './profile.js'
export {SIMULATE_ANNOTATION, RUN_SECONDS_ANNOTATION, EXIT_CODE_ANNOTATION} from './behaviour.js'
