// Pod predicates controllers share (k8s.io/kubernetes/pkg/controller and podutil).
import type {Obj} from '../../apiserver/types.js'

/** Not finished and not being deleted. */
export function isPodActive(p: Obj): boolean {
  const phase = (p.status as Obj | undefined)?.phase
  return phase !== 'Succeeded' && phase !== 'Failed' && !(p.metadata as Obj).deletionTimestamp
}

function readyCondition(p: Obj): Obj | undefined {
  return (((p.status as Obj | undefined)?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')
}

export function isPodReady(p: Obj): boolean {
  return readyCondition(p)?.status === 'True'
}

/** When the pod became Ready (ms), if it is. */
export function podReadySince(p: Obj): number | undefined {
  const c = readyCondition(p)
  if (c?.status !== 'True' || typeof c.lastTransitionTime !== 'string') return undefined
  return Date.parse(c.lastTransitionTime)
}
