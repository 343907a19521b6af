// The JSON shapes of the Kubernetes objects the scheduler reads (core/v1, storage/v1, policy/v1,
// apps/v1): only the fields scheduling looks at, all optional the way a decoded object may lack them.

export interface OwnerReference {
  apiVersion: string
  kind: string
  name: string
  uid?: string
  controller?: boolean
}

export interface ObjectMeta {
  name?: string
  namespace?: string
  uid?: string
  labels?: Record<string, string> | null
  annotations?: Record<string, string> | null
  creationTimestamp?: string
  deletionTimestamp?: string | null
  ownerReferences?: OwnerReference[] | null
}

export interface LabelSelectorRequirement {
  key: string
  operator: string
  values?: string[] | null
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null
  matchExpressions?: LabelSelectorRequirement[] | null
}

export interface Taint {
  key: string
  value?: string
  effect: string
}

export interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
  tolerationSeconds?: number | null
}

export interface NodeSelectorRequirement {
  key: string
  operator: string
  values?: string[] | null
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null
  matchFields?: NodeSelectorRequirement[] | null
}

export interface NodeSelector {
  nodeSelectorTerms?: NodeSelectorTerm[] | null
}

export interface PreferredSchedulingTerm {
  weight: number
  preference: NodeSelectorTerm
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector | null
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[] | null
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector | null
  namespaces?: string[] | null
  topologyKey: string
  namespaceSelector?: LabelSelector | null
  matchLabelKeys?: string[] | null
  mismatchLabelKeys?: string[] | null
}

export interface WeightedPodAffinityTerm {
  weight: number
  podAffinityTerm: PodAffinityTerm
}

export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[] | null
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[] | null
}

export interface Affinity {
  nodeAffinity?: NodeAffinity | null
  podAffinity?: PodAffinity | null
  podAntiAffinity?: PodAffinity | null
}

export interface TopologySpreadConstraint {
  maxSkew: number
  topologyKey: string
  whenUnsatisfiable: string
  labelSelector?: LabelSelector | null
  minDomains?: number | null
  nodeAffinityPolicy?: string | null
  nodeTaintsPolicy?: string | null
  matchLabelKeys?: string[] | null
}

export interface ContainerPort {
  containerPort?: number
  hostPort?: number
  hostIP?: string
  protocol?: string
}

export type ResourceList = Record<string, string | number>

export interface Container {
  name?: string
  image?: string
  resources?: {requests?: ResourceList | null; limits?: ResourceList | null} | null
  ports?: ContainerPort[] | null
  restartPolicy?: string
}

export interface Volume {
  name: string
  persistentVolumeClaim?: {claimName: string; readOnly?: boolean} | null
  ephemeral?: {volumeClaimTemplate?: unknown} | null
}

export interface PodSpec {
  nodeName?: string
  nodeSelector?: Record<string, string> | null
  affinity?: Affinity | null
  tolerations?: Toleration[] | null
  containers?: Container[] | null
  initContainers?: Container[] | null
  overhead?: ResourceList | null
  priority?: number | null
  priorityClassName?: string
  preemptionPolicy?: string | null
  topologySpreadConstraints?: TopologySpreadConstraint[] | null
  volumes?: Volume[] | null
  schedulerName?: string
  schedulingGates?: {name: string}[] | null
}

export interface PodCondition {
  type: string
  status: string
  reason?: string
  message?: string
}

export interface Pod {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: PodSpec
  status?: {
    phase?: string
    nominatedNodeName?: string
    startTime?: string
    conditions?: PodCondition[] | null
  }
}

export interface Node {
  apiVersion?: string
  kind?: string
  metadata: ObjectMeta
  spec?: {unschedulable?: boolean; taints?: Taint[] | null}
  status?: {allocatable?: ResourceList | null; capacity?: ResourceList | null}
}

export interface PriorityClass {
  metadata: ObjectMeta
  value: number
  globalDefault?: boolean
  preemptionPolicy?: string
}

export interface PersistentVolumeClaim {
  metadata: ObjectMeta
  spec?: {
    storageClassName?: string | null
    volumeName?: string
    accessModes?: string[] | null
    volumeMode?: string
    selector?: LabelSelector | null
    resources?: {requests?: ResourceList | null} | null
  }
  status?: {phase?: string}
}

export interface PersistentVolume {
  metadata: ObjectMeta
  spec?: {
    storageClassName?: string
    capacity?: ResourceList | null
    accessModes?: string[] | null
    volumeMode?: string
    claimRef?: {namespace?: string; name?: string; uid?: string} | null
    nodeAffinity?: {required?: NodeSelector | null} | null
  }
  status?: {phase?: string}
}

export interface StorageClass {
  metadata: ObjectMeta
  provisioner?: string
  volumeBindingMode?: string
  allowedTopologies?: {matchLabelExpressions?: {key: string; values: string[]}[] | null}[] | null
}

export interface PodDisruptionBudget {
  metadata: ObjectMeta
  spec?: {selector?: LabelSelector | null}
  status?: {disruptionsAllowed?: number; disruptedPods?: Record<string, string> | null}
}

/** A Service, ReplicationController, ReplicaSet or StatefulSet: what default spreading reads. */
export interface Workload {
  kind?: string
  metadata: ObjectMeta
  spec?: {selector?: LabelSelector | Record<string, string> | null}
}

export interface Namespace {
  metadata: ObjectMeta
}
