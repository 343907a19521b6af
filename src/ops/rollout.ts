// `rollout status|pause|resume|restart`: kubectl's status viewers (the same messages for
// Deployments, DaemonSets and StatefulSets), pause/resume of Deployments and restart through the
// pod template's kubectl.kubernetes.io/restartedAt annotation.
import type {Obj} from '../apiserver/types.js'

const num = (v: unknown) => (typeof v === 'number' ? v : 0)

/** One status reading: the line kubectl prints and whether the rollout is done. */
export function rolloutStatus(kind: string, o: Obj): {message: string; done: boolean; error?: string} {
  const name = String((o.metadata as Obj).name)
  const gen = num((o.metadata as Obj).generation)
  const spec = (o.spec ?? {}) as Obj
  const st = (o.status ?? {}) as Obj
  const observed = num(st.observedGeneration)
  if (kind === 'Deployment') {
    if (gen > observed) return {message: 'Waiting for deployment spec update to be observed...\n', done: false}
    const progressing = ((st.conditions ?? []) as Obj[]).find((c) => c.type === 'Progressing')
    if (progressing?.reason === 'ProgressDeadlineExceeded') return {message: '', done: false, error: `deployment "${name}" exceeded its progress deadline`}
    const replicas = spec.replicas === undefined ? 1 : num(spec.replicas)
    const updated = num(st.updatedReplicas)
    if (updated < replicas) return {message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false}
    if (num(st.replicas) > updated) return {message: `Waiting for deployment "${name}" rollout to finish: ${num(st.replicas) - updated} old replicas are pending termination...\n`, done: false}
    if (num(st.availableReplicas) < updated) return {message: `Waiting for deployment "${name}" rollout to finish: ${num(st.availableReplicas)} of ${updated} updated replicas are available...\n`, done: false}
    return {message: `deployment "${name}" successfully rolled out\n`, done: true}
  }
  if (kind === 'DaemonSet') {
    if (((spec.updateStrategy as Obj | undefined)?.type ?? 'RollingUpdate') !== 'RollingUpdate') return {message: '', done: false, error: 'rollout status is only available for RollingUpdate strategy type'}
    if (gen > observed) return {message: 'Waiting for daemon set spec update to be observed...\n', done: false}
    const desired = num(st.desiredNumberScheduled)
    if (num(st.updatedNumberScheduled) < desired) return {message: `Waiting for daemon set "${name}" rollout to finish: ${num(st.updatedNumberScheduled)} out of ${desired} new pods have been updated...\n`, done: false}
    if (num(st.numberAvailable) < desired) return {message: `Waiting for daemon set "${name}" rollout to finish: ${num(st.numberAvailable)} of ${desired} updated pods are available...\n`, done: false}
    return {message: `daemon set "${name}" successfully rolled out\n`, done: true}
  }
  if (kind === 'StatefulSet') {
    const strategy = (spec.updateStrategy ?? {}) as Obj
    if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') return {message: '', done: false, error: 'rollout status is only available for RollingUpdate strategy type'}
    if (observed === 0 || gen > observed) return {message: 'Waiting for statefulset spec update to be observed...\n', done: false}
    const replicas = spec.replicas === undefined ? 1 : num(spec.replicas)
    if (num(st.readyReplicas) < replicas) return {message: `Waiting for ${replicas - num(st.readyReplicas)} pods to be ready...\n`, done: false}
    const partition = num((strategy.rollingUpdate as Obj | undefined)?.partition)
    if (partition > 0) {
      if (num(st.updatedReplicas) < replicas - partition) return {message: `Waiting for partitioned roll out to finish: ${num(st.updatedReplicas)} out of ${replicas - partition} new pods have been updated...\n`, done: false}
      return {message: `partitioned roll out complete: ${num(st.updatedReplicas)} new pods have been updated...\n`, done: true}
    }
    if (st.updateRevision !== st.currentRevision) return {message: `waiting for statefulset rolling update to complete ${num(st.updatedReplicas)} pods at revision ${String(st.updateRevision)}...\n`, done: false}
    return {message: `statefulset rolling update complete ${num(st.currentReplicas)} pods at revision ${String(st.currentRevision)}...\n`, done: true}
  }
  return {message: '', done: false, error: `no status viewer has been implemented for ${kind}`}
}
