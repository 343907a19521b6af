// The engine's call and answer for one pod: what the control plane passes in and gets back.
import type {PodEvent} from './collect.js'
import type {LogLine} from './logs.js'
import type {Obj} from './obj.js'
import type {PodProfile} from './profile.js'

export interface PodStateArgs {
  pod: Obj
  node: Obj
  profile: PodProfile
  now: Date
  /** Allocates the pod's IP (called once, when its sandbox is up and it has none yet). */
  podIP: (pod: Obj) => string
  /** The emulated release (1.28 … 1.36); decides texts and status fields. Default 1.36. */
  kubernetesVersion?: string
  /**
   * When this pod was last passed in: events and log lines after it are returned. Without it the
   * window starts at the latest time the status records, so events may repeat (their ids do not).
   */
  since?: Date
  /** Images the node already has (IfNotPresent does not pull them). */
  nodeImages?: ReadonlySet<string>
  /** Most log lines per container and call (the latest are kept). Default 1000. */
  maxLogLines?: number
}

export interface PodStateResult {
  /** The complete new pod.status, or undefined when it is unchanged. */
  status?: Obj
  events: PodEvent[]
  logs: LogLine[]
  /** Containers that started a new instance in the window: keep the previous log for --previous. */
  restartedContainers?: string[]
  /** When to call again; undefined when nothing more will happen on its own. */
  wakeAt?: Date
  /** When something other than a new log line happens (status, events); undefined when nothing will. */
  stateWakeAt?: Date
  /** Only for pods being deleted: when the kubelet removes the pod object. */
  deleteAt?: Date
}
