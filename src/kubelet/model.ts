// The simulated kubelet's view of a pod over time: container instances (attempts), the state each
// container shows from a given moment on (segments), and the events it records. The engine builds
// this from the pod and its profile, then reads the status at "now" off it.

export interface TimedEvent {
  /** Stable across calls: lets a caller drop an event it already recorded. */
  id: string
  at: number
  type: 'Normal' | 'Warning'
  reason: string
  message: string
  fieldPath?: string
}

export interface Exit {
  at: number
  exitCode: number
  /** Completed, Error, OOMKilled, ContainerStatusUnknown. */
  reason: string
  message?: string
}

/** One container instance, from creation to exit. */
export interface Attempt {
  /** The restartCount this instance reports. */
  index: number
  containerID: string
  image: string
  imageID: string
  createdAt: number
  startedAt: number
  /** How it ends on its own; undefined while it would run until stopped. */
  exit?: Exit
  /** When `started` turns true (startup probe), and `ready` (readiness probe); Infinity: never. */
  startedFrom: number
  readyFrom: number
  /** When it was asked to stop (SIGTERM), if it was. */
  stopRequestedAt?: number
}

export type ContainerState =
  /** The kubelet's default: waiting with ContainerCreating, or PodInitializing when there are init containers. */
  | {kind: 'default'}
  | {kind: 'waiting'; reason: string; message?: string}
  | {kind: 'running'; attempt: Attempt}
  /** attempt is missing for ContainerStatusUnknown: a container the kubelet never found when the pod ended. */
  | {kind: 'terminated'; attempt?: Attempt; exit: Exit}

export interface Segment {
  from: number
  state: ContainerState
  restartCount: number
  /** The previous instance's termination: `lastState`. */
  last?: {attempt: Attempt; exit: Exit}
  /** The instance whose id and image a waiting status still shows (CrashLoopBackOff). */
  shown?: Attempt
}

export type ContainerRole = 'init' | 'sidecar' | 'regular'

export interface ContainerTrack {
  name: string
  role: ContainerRole
  fieldPath: string
  segments: Segment[]
  attempts: Attempt[]
  events: TimedEvent[]
  /** When the container's first start is done (started, or its first pull failed): the next one's turn. */
  slotEnd?: number
  /** When it finished for good (no restart follows), and whether with exit code 0. */
  finishedAt?: number
  succeeded?: boolean
  /** The next moment not generated yet, when generation stopped at the horizon. */
  nextAt?: number
}

/** The segment in force at `t`; segments are kept in time order, so this is a binary search. */
export function segmentAt(track: ContainerTrack, t: number): Segment | undefined {
  const segs = track.segments
  let lo = 0, hi = segs.length - 1, found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (segs[mid].from <= t) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found < 0 ? undefined : segs[found]
}
