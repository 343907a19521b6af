// resourceAllocationScorer: per-resource (requested, allocatable) pairs for a node with the pod
// added, and the LeastAllocated / MostAllocated / balanced formulas over them.
import {MAX_NODE_SCORE} from '../framework.js'
import type {NodeInfo} from '../node-info.js'
import type {PodInfo} from '../pod-info.js'
import {isScalarResourceName} from '../resources.js'

export interface ResourceSpec {
  name: string
  weight: number
}

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [{name: 'cpu', weight: 1}, {name: 'memory', weight: 1}]

/** The pod's request of each resource: non-zero defaults for CPU/memory unless `useRequested`. */
export function podRequestList(pod: PodInfo, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const r = pod.requests
  return resources.map(({name}) => {
    switch (name) {
      case 'cpu':
        return useRequested ? r.resource.milliCPU : r.non0CPU
      case 'memory':
        return useRequested ? r.resource.memory : r.non0Mem
      case 'ephemeral-storage':
        return r.resource.ephemeralStorage
      default:
        return r.resource.scalar?.get(name) ?? 0
    }
  })
}

/**
 * Fills `requested`/`allocatable` for a node; a resource the node lacks, or an extended resource
 * the pod does not ask for, is left at 0/0 and so takes no part in the score.
 */
export function allocation(nodeInfo: NodeInfo, resources: readonly ResourceSpec[], podRequests: readonly number[], useRequested: boolean, requested: Float64Array, allocatable: Float64Array): void {
  const alloc = nodeInfo.allocatable
  const req = nodeInfo.requested
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i]!.name
    const podReq = podRequests[i]!
    let a = 0
    let r = 0
    if (name === 'cpu') {
      a = alloc.milliCPU
      r = (useRequested ? req.milliCPU : nodeInfo.nonZeroCPU) + podReq
    } else if (name === 'memory') {
      a = alloc.memory
      r = (useRequested ? req.memory : nodeInfo.nonZeroMem) + podReq
    } else if (name === 'ephemeral-storage') {
      a = alloc.ephemeralStorage
      r = req.ephemeralStorage + podReq
    } else if (!(podReq === 0 && isScalarResourceName(name)) && alloc.scalar?.has(name)) {
      a = alloc.scalar.get(name)!
      r = (req.scalar?.get(name) ?? 0) + podReq
    }
    allocatable[i] = a
    requested[i] = a === 0 ? 0 : r
  }
}

export type Scorer = (requested: Float64Array, allocatable: Float64Array) => number

function weighted(resources: readonly ResourceSpec[], one: (req: number, cap: number) => number): Scorer {
  return (requested, allocatable) => {
    let score = 0
    let weights = 0
    for (let i = 0; i < resources.length; i++) {
      if (allocatable[i] === 0) continue
      const w = resources[i]!.weight
      score += one(requested[i]!, allocatable[i]!) * w
      weights += w
    }
    return weights === 0 ? 0 : Math.trunc(score / weights)
  }
}

/** LeastAllocated: the share of each resource still free after placing the pod. */
export function leastAllocatedScorer(resources: readonly ResourceSpec[]): Scorer {
  return weighted(resources, (req, cap) => (req > cap ? 0 : Math.trunc(((cap - req) * MAX_NODE_SCORE) / cap)))
}

/** MostAllocated: the share in use after placing the pod (bin packing). */
export function mostAllocatedScorer(resources: readonly ResourceSpec[]): Scorer {
  return weighted(resources, (req, cap) => Math.trunc((Math.min(req, cap) * MAX_NODE_SCORE) / cap))
}

/** BalancedAllocation: 1 - the standard deviation of the per-resource usage fractions. */
export function balancedScorer(requested: Float64Array, allocatable: Float64Array): number {
  const fractions: number[] = []
  let total = 0
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue
    const f = Math.min(requested[i]! / allocatable[i]!, 1)
    total += f
    fractions.push(f)
  }
  let std = 0
  if (fractions.length === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2)
  } else if (fractions.length > 2) {
    const mean = total / fractions.length
    let sum = 0
    for (const f of fractions) sum += (f - mean) * (f - mean)
    std = Math.sqrt(sum / fractions.length)
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE)
}
