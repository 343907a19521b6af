// What a simulated node's kubelet writes to node.status: capacity and allocatable from the node
// profile (minus reservations and hard-eviction thresholds), the pressure and Ready conditions with
// heartbeats, addresses, the kubelet endpoint and nodeInfo for the emulated release.
import {parseQuantity, Quantity} from '../api/quantity.js'
import {derivedNodeIP} from './context.js'
import {sha256Hex} from './hash.js'
import {meta, obj, objs, str, type Obj} from './obj.js'
import type {PodProfile} from './profile.js'
import {defaultContainerRuntime, gates, release} from './release.js'
import {parseTime, rfc3339} from './time.js'
import {podUsage} from './usage.js'

export interface NodeStatusArgs {
  now: Date
  profile: PodProfile
  kubernetesVersion?: string
  /** Pods bound to the node: their simulated memory usage counts toward MemoryPressure. */
  pods?: Obj[]
  /** Measured usage instead of the pods' simulated one. */
  usage?: {memory?: string}
}

function uuid(seed: string): string {
  const h = sha256Hex(seed)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

function q(v: string | undefined): Quantity | undefined {
  if (v === undefined) return undefined
  try {
    return parseQuantity(v)
  } catch {
    return undefined
  }
}

/** capacity minus system reservations and the hard-eviction thresholds, per resource. */
export function nodeResources(profile: PodProfile): {capacity: Record<string, string>; allocatable: Record<string, string>} {
  const node = profile.node
  const capacity: Record<string, string> = {}
  const allocatable: Record<string, string> = {}
  for (const name of Object.keys(node.capacity).sort()) {
    const cap = q(node.capacity[name])
    if (!cap) continue
    capacity[name] = cap.toString()
    let alloc = cap
    const reserved = q(node.systemReserved[name])
    if (reserved) alloc = alloc.sub(reserved)
    if (name === 'memory') {
      const threshold = q(node.evictionHard.memoryAvailable)
      if (threshold) alloc = alloc.sub(threshold)
    }
    if (name === 'ephemeral-storage') {
      // The kubelet takes the percentage of the capacity in bytes, as a float64.
      const value = Number(alloc.value())
      const threshold = Math.floor(Number(cap.value()) * (node.evictionHard.nodefsAvailablePercent / 100))
      alloc = Quantity.fromValue(BigInt(value - threshold), 'BinarySI')
    }
    allocatable[name] = (alloc.sign() < 0 ? Quantity.fromValue(0, alloc.format) : alloc).toString()
  }
  return {capacity, allocatable}
}

interface NodeConditionValue {
  type: string
  status: 'True' | 'False'
  reason: string
  message: string
}

function memoryInUse(args: NodeStatusArgs): bigint {
  const measured = q(args.usage?.memory)
  if (measured) return measured.value()
  let total = 0n
  for (const pod of args.pods ?? []) total += parseQuantity(podUsage(pod, args.profile, args.now).memory).value()
  return total
}

export function nodeStatus(node: Obj, args: NodeStatusArgs): Obj {
  const now = args.now.getTime()
  const r = release(args.kubernetesVersion)
  const profile = args.profile.node
  const name = str(meta(node).name) ?? ''
  const old = obj(node.status) ?? {}
  const {capacity, allocatable} = nodeResources(args.profile)
  const created = parseTime(meta(node).creationTimestamp) ?? now
  const readyAt = created + profile.readyAfterSeconds * 1000
  const memCapacity = q(capacity.memory)
  const memThreshold = q(profile.evictionHard.memoryAvailable)
  const memoryPressure = memCapacity !== undefined && memThreshold !== undefined && memCapacity.value() - memoryInUse(args) < memThreshold.value()
  const values: NodeConditionValue[] = []
  if (profile.networkUnavailableCondition) values.push({type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'RouteController created a route'})
  values.push(
    memoryPressure
      ? {type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available'}
      : {type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available'},
    {type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure'},
    {type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available'},
    now >= readyAt
      ? {type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status'}
      : {type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'},
  )
  const oldConditions = objs(old.conditions)
  const conditions = values.map((c) => {
    const prev = oldConditions.find((o) => o.type === c.type)
    // A condition keeps its transition time while its status holds; Ready turns True when the node became ready.
    const becameReady = c.type === 'Ready' && c.status === 'True' ? Math.max(readyAt, parseTime(prev?.lastTransitionTime) ?? -Infinity) : now
    const transition = prev && prev.status === c.status ? (str(prev.lastTransitionTime) ?? rfc3339(now)) : rfc3339(Math.min(becameReady, now))
    const heartbeat = c.type === 'NetworkUnavailable' ? transition : rfc3339(now)
    return {type: c.type, status: c.status, lastHeartbeatTime: heartbeat, lastTransitionTime: transition, reason: c.reason, message: c.message}
  })
  const addresses = objs(old.addresses).length > 0 ? structuredClone(old.addresses) : [{type: 'InternalIP', address: derivedNodeIP(name)}, {type: 'Hostname', address: name}]
  const runtimeVersion = profile.containerRuntimeVersion || defaultContainerRuntime(r)
  const containerd2 = /^containerd:\/\/([2-9]|\d\d)\./.test(runtimeVersion)
  const status: Obj = {
    capacity,
    allocatable,
    conditions,
    addresses,
    daemonEndpoints: {kubeletEndpoint: {Port: profile.kubeletPort}},
    nodeInfo: {
      machineID: sha256Hex(`machine:${name}`).slice(0, 32),
      systemUUID: uuid(`system:${name}`),
      bootID: uuid(`boot:${name}:${created}`),
      kernelVersion: profile.kernelVersion,
      osImage: profile.osImage,
      containerRuntimeVersion: runtimeVersion,
      kubeletVersion: r.version,
      kubeProxyVersion: gates.emptyKubeProxyVersion(r) ? '' : r.version,
      operatingSystem: profile.operatingSystem,
      architecture: profile.architecture,
    },
  }
  for (const k of ['volumesInUse', 'volumesAttached']) if (old[k] !== undefined) status[k] = structuredClone(old[k])
  // containerd 2 reports its runtime handlers and their features (1.30 added the field, 1.31 user namespaces).
  if (containerd2 && r.minor >= 30) {
    const features = r.minor >= 31 ? {recursiveReadOnlyMounts: true, userNamespaces: true} : {recursiveReadOnlyMounts: true}
    status.runtimeHandlers = [{name: '', features}, {name: 'runc', features}]
  }
  if (containerd2 && gates.containerUserStatus(r)) status.features = {supplementalGroupsPolicy: true}
  return status
}
