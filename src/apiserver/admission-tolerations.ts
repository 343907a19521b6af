// DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): every new Pod
// that does not already tolerate `node.kubernetes.io/not-ready:NoExecute` or
// `node.kubernetes.io/unreachable:NoExecute` gets a toleration for it with tolerationSeconds 300
// (the plugin's --default-*-toleration-seconds). This is why the taint-eviction controller deletes
// an ordinary pod five minutes after its node becomes NotReady or unreachable, rather than at once.
//
// A toleration counts when its key is the taint's key or empty (every key) and its effect is
// NoExecute or empty (every effect); operator and value are not looked at, as in the plugin.
import {isObject} from './objects.js'
import type {Obj} from './types.js'

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready'
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable'
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300

function toleratesNoExecute(tolerations: unknown[], key: string): boolean {
  return tolerations.some((t) => {
    if (!isObject(t)) return false
    const k = typeof t.key === 'string' ? t.key : ''
    const effect = typeof t.effect === 'string' ? t.effect : ''
    return (k === key || k === '') && (effect === 'NoExecute' || effect === '')
  })
}

/** Mutating admission on Pod create: appends the missing not-ready/unreachable tolerations. */
export function applyDefaultTolerationSeconds(pod: Obj, seconds = DEFAULT_TOLERATION_SECONDS): void {
  const spec = isObject(pod.spec) ? pod.spec : (pod.spec = {})
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : []
  const added: Obj[] = []
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    if (!toleratesNoExecute(tolerations, key)) added.push({key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds})
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added]
}
