// The simulated kubelet's behaviour as data: stage durations, back-off, run times, failure
// simulations by image, log profiles, usage and the node's shape. Loaded from YAML by profile-load.ts;
// fixtures/kubelet/default-profile.yaml is the default every other profile is layered over.

export type Simulation = 'none' | 'crashloop' | 'imagepullbackoff' | 'oomkilled' | 'fail' | 'unready'

export const SIMULATIONS: readonly Simulation[] = ['none', 'crashloop', 'imagepullbackoff', 'oomkilled', 'fail', 'unready']

export interface TimingProfile {
  /** Pod sandbox and network setup: when PodReadyToStartContainers turns True and the pod gets its IP. */
  sandboxSeconds: number
  /** First pull of an image on a node. */
  pullSeconds: number
  /** A pull whose layers are cached (imagePullPolicy Always on a restart). */
  cachedPullSeconds: number
  /** How long a failing pull takes to report its error. */
  pullFailSeconds: number
  createSeconds: number
  startSeconds: number
  /** From a container exiting (or a pull failing) to the kubelet's next sync of the pod (PLEG relist). */
  syncSeconds: number
  /** How often a pod in back-off is synced again (each sync repeats the BackOff event). */
  resyncSeconds: number
  /** ± fraction applied to durations, fixed per pod and container. */
  jitter: number
}

export interface BackOffProfile {
  initialSeconds: number
  maxSeconds: number
}

export interface RunProfile {
  /** Job-like pods (restartPolicy OnFailure or Never) succeed after this; `kube2.dev/run-seconds` overrides. */
  jobSeconds: number
  /** Init containers complete after this. */
  initSeconds: number
  /** `crashloop` containers exit with failExitCode after this. */
  crashSeconds: number
  /** `oomkilled` containers are killed (137, OOMKilled) after this. */
  oomSeconds: number
  failExitCode: number
}

export interface StopProfile {
  /** From SIGTERM (after any preStop hook) to the container's exit. */
  seconds: number
  exitCode: number
  /** The process ignores SIGTERM (a shell's `sleep` as PID 1): it is killed when the grace period ends. */
  ignoreSigterm: boolean
}

export interface ProbeFailureProfile {
  httpGet: string
  tcpSocket: string
  exec: string
  grpc: string
}

export interface UsageAmount {
  cpu: string
  memory: string
}

export interface ImageRule {
  match: string[]
  simulate?: Simulation
  sizeBytes?: number
  pullSeconds?: number
  /** Error text of a failing pull; {image} and {ref} are replaced. */
  pullError?: string
  logs?: string
  /** How the image's own entrypoint behaves when the container sets no command (a shell exits at once). */
  run?: {seconds: number; exitCode: number}
  stop?: Partial<StopProfile>
  usage?: UsageAmount
}

export interface LogProfile {
  /** Written when the container starts. */
  start: string[]
  /** Seconds between periodic lines (0: none). */
  every: number
  periodic: string[]
  /** Written just before a container exits with an error. */
  crash: string[]
  /** Written when the container is asked to stop. */
  stop: string[]
}

export interface UsageProfile {
  /** Typical usage as a fraction of the container's request. */
  cpuFraction: number
  memoryFraction: number
  /** ± fraction of deterministic wobble. */
  noise: number
  /** Seconds the wobble stays constant. */
  windowSeconds: number
  /** Usage of containers without requests and without an image rule saying otherwise. */
  default: UsageAmount
}

export interface NodeProfile {
  capacity: Record<string, string>
  systemReserved: Record<string, string>
  /** Hard eviction thresholds that come off allocatable: memory.available and nodefs.available (a percentage). */
  evictionHard: {memoryAvailable: string; nodefsAvailablePercent: number}
  architecture: string
  operatingSystem: string
  osImage: string
  kernelVersion: string
  /** containerd://x.y.z; empty: what a kind node of the emulated release ships. */
  containerRuntimeVersion: string
  kubeletPort: number
  /** Seconds after the node's creation before it reports Ready (CNI not yet up). */
  readyAfterSeconds: number
  /** Also write the NetworkUnavailable condition a route controller or CNI would set. */
  networkUnavailableCondition: boolean
}

export interface PodProfile {
  /** Where the profile came from (a file path, or "default"). */
  source: string
  timing: TimingProfile
  backOff: BackOffProfile
  run: RunProfile
  stop: StopProfile
  probeFailures: ProbeFailureProfile
  /** Images every node already has (IfNotPresent does not pull them). */
  preloadedImages: string[]
  /** First matching rule wins, field by field. */
  images: ImageRule[]
  logs: Record<string, LogProfile>
  usage: UsageProfile
  node: NodeProfile
}

/** The rule fields that apply to an image: for each field, the first rule that matches and sets it. */
export type ResolvedImageRule = Omit<ImageRule, 'match'>
