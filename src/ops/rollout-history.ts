// A workload's revisions, oldest first: a Deployment's ReplicaSets (deployment.kubernetes.io/revision),
// a DaemonSet's or StatefulSet's ControllerRevisions (their revision field), each with its change cause.
import {ServerError} from '../cli/errors.js'
import type {Cluster} from '../client/cluster.js'
import type {Obj} from '../apiserver/types.js'

export interface Revision {
  revision: number
  changeCause?: string
  /** A Deployment's revision: the ReplicaSet's pod template. */
  template?: unknown
  /** A ControllerRevision's data (a patch of the workload). */
  data?: unknown
}

const CHANGE_CAUSE = 'kubernetes.io/change-cause'

function ownedBy(o: Obj, uid: unknown): boolean {
  return (((o.metadata as Obj).ownerReferences ?? []) as Obj[]).some((ref) => ref.controller === true && ref.uid === uid)
}

export async function revisionsOf(cluster: Cluster, kind: string, workload: Obj): Promise<Revision[]> {
  const m = workload.metadata as Obj
  const namespace = String(m.namespace)
  const deployment = kind === 'Deployment'
  const res = await cluster.request(deployment
    ? {verb: 'list', group: 'apps', version: 'v1', resource: 'replicasets', namespace}
    : {verb: 'list', group: 'apps', version: 'v1', resource: 'controllerrevisions', namespace})
  if (res.status >= 300) throw new ServerError(res.body as Obj)
  const out: Revision[] = []
  for (const o of ((res.body as Obj).items as Obj[]) ?? []) {
    if (!ownedBy(o, m.uid)) continue
    const annotations = ((o.metadata as Obj).annotations ?? {}) as Record<string, string>
    const revision = deployment ? Number(annotations['deployment.kubernetes.io/revision'] ?? 0) : Number(o.revision ?? 0)
    if (!revision) continue
    const v: Revision = {revision}
    if (annotations[CHANGE_CAUSE]) v.changeCause = annotations[CHANGE_CAUSE]
    if (deployment) v.template = (o.spec as Obj).template
    else v.data = o.data
    out.push(v)
  }
  return out.sort((a, b) => a.revision - b.revision)
}
