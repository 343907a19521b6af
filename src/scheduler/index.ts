// The scheduler library: a kube-scheduler over plain Kubernetes objects. Build a Snapshot from nodes
// and pods, call Scheduler.schedule (or scheduleAll), bind what it returns, assume/forget as you go.
export type * from './api.js'
export {CycleState, Frozen, type StateData} from './cycle-state.js'
export {failedSchedulingEvent, preemptedEvent, preemptionCondition, scheduledEvent, truncateMessage, unschedulableCondition, type SchedulerEvent} from './events.js'
export {fitErrorMessage, reasonHistogram, sortedReasons, type Diagnosis} from './fit-error.js'
export {
  MAX_NODE_SCORE, MIN_NODE_SCORE, NodeToStatus,
  type FilterPlugin, type FrameworkHandle, type Plugin, type PostFilterOutcome, type PostFilterPlugin, type PreFilterExtensions,
  type PreFilterOutcome, type PreFilterPlugin, type PreScorePlugin, type QueueSortPlugin, type ReservePlugin, type ScorePlugin,
} from './framework.js'
export {HostPortInfo, NodeInfo} from './node-info.js'
export {PodInfo, termMatches, type AffinityTerm, type WeightedAffinityTerm} from './pod-info.js'
export {PluginNames, type PluginName} from './plugins/names.js'
export {prioritySortLess} from './plugins/priority-sort.js'
export type {VolumeDecisions} from './plugins/volume-binding.js'
export {DEFAULT_PLUGIN_WEIGHTS, defaultPlugins, type ProfileOptions} from './profile.js'
export {Rng} from './rng.js'
export {Framework} from './runtime.js'
export {
  ERR_NO_NODES_AVAILABLE, Scheduler, isScheduled, numFeasibleNodesToFind,
  type ScheduleFailure, type ScheduleResult, type ScheduleSuccess, type SchedulerOptions,
} from './scheduler.js'
export {Snapshot, zoneKey, type ClusterState, type SnapshotObjectKind} from './snapshot.js'
export {Status, isRejected, isSuccess, type Code, type MaybeStatus} from './status.js'
