// Builders for small hand-made clusters in the scheduler tests.
import type {Affinity, ContainerPort, Node, Pod, Taint, Toleration, TopologySpreadConstraint, Volume} from '../../../src/scheduler/api.js'
import {CycleState as CycleStateImpl, Scheduler, Snapshot, type ClusterState, type SchedulerOptions} from '../../../src/scheduler/index.js'

export interface NodeOptions {
  cpu?: string
  memory?: string
  pods?: number
  labels?: Record<string, string>
  taints?: Taint[]
  unschedulable?: boolean
  zone?: string
  extra?: Record<string, string>
}

export function node(name: string, o: NodeOptions = {}): Node {
  const labels: Record<string, string> = {'kubernetes.io/hostname': name, ...(o.zone ? {'topology.kubernetes.io/zone': o.zone} : {}), ...o.labels}
  return {
    metadata: {name, labels},
    spec: {...(o.unschedulable ? {unschedulable: true} : {}), ...(o.taints ? {taints: o.taints} : {})},
    status: {allocatable: {cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...o.extra}},
  }
}

export interface PodOptions {
  ns?: string
  cpu?: string
  memory?: string
  extra?: Record<string, string>
  labels?: Record<string, string>
  nodeName?: string
  priority?: number
  priorityClassName?: string
  preemptionPolicy?: string
  tolerations?: Toleration[]
  nodeSelector?: Record<string, string>
  affinity?: Affinity
  spread?: TopologySpreadConstraint[]
  ports?: ContainerPort[]
  volumes?: Volume[]
  startTime?: string
  created?: string
  nominatedNodeName?: string
  owner?: {kind: string; name: string; apiVersion?: string}
  init?: {cpu?: string; memory?: string}[]
  overhead?: Record<string, string>
  deleting?: boolean
}

let uid = 0

export function pod(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = {...(o.cpu ? {cpu: o.cpu} : {}), ...(o.memory ? {memory: o.memory} : {}), ...o.extra}
  return {
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: `uid-${name}-${++uid}`,
      labels: o.labels ?? {},
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.deleting ? {deletionTimestamp: '2024-01-02T00:00:00Z'} : {}),
      ...(o.owner ? {ownerReferences: [{apiVersion: o.owner.apiVersion ?? 'apps/v1', kind: o.owner.kind, name: o.owner.name, controller: true}]} : {}),
    },
    spec: {
      ...(o.nodeName ? {nodeName: o.nodeName} : {}),
      containers: [{name: 'c', image: 'img', resources: {requests}, ...(o.ports ? {ports: o.ports} : {})}],
      ...(o.init ? {initContainers: o.init.map((r, i) => ({name: `i${i}`, resources: {requests: {...(r.cpu ? {cpu: r.cpu} : {}), ...(r.memory ? {memory: r.memory} : {})}}}))} : {}),
      ...(o.overhead ? {overhead: o.overhead} : {}),
      ...(o.priority !== undefined ? {priority: o.priority} : {}),
      ...(o.priorityClassName ? {priorityClassName: o.priorityClassName} : {}),
      ...(o.preemptionPolicy ? {preemptionPolicy: o.preemptionPolicy} : {}),
      ...(o.tolerations ? {tolerations: o.tolerations} : {}),
      ...(o.nodeSelector ? {nodeSelector: o.nodeSelector} : {}),
      ...(o.affinity ? {affinity: o.affinity} : {}),
      ...(o.spread ? {topologySpreadConstraints: o.spread} : {}),
      ...(o.volumes ? {volumes: o.volumes} : {}),
    },
    status: {phase: o.nodeName ? 'Running' : 'Pending', ...(o.startTime ? {startTime: o.startTime} : {}), ...(o.nominatedNodeName ? {nominatedNodeName: o.nominatedNodeName} : {})},
  }
}

export const CONTROL_PLANE_TAINT: Taint = {key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}

/** Schedules one pod on a fresh snapshot of `state`. */
export function scheduleOne(state: ClusterState, p: Pod, options: SchedulerOptions = {}) {
  return new Scheduler(options).schedule(p, new Snapshot(state))
}

/** The FailedScheduling message, or a marker when the pod was placed. */
export function messageOf(r: ReturnType<typeof scheduleOne>): string {
  return 'failure' in r ? r.failure.message : `scheduled on ${r.node}`
}

export function nodeOf(r: ReturnType<typeof scheduleOne>): string | undefined {
  return 'node' in r ? r.node : undefined
}

/** A snapshot, a cycle state and a PodInfo, for calling one plugin's methods directly. */
export function cycle(state: ClusterState, p: Pod) {
  const snapshot = new Snapshot(state)
  return {snapshot, state: new CycleStateImpl(snapshot), pi: snapshot.podInfo(p), ni: (name: string) => snapshot.get(name)!}
}
