// The ServiceAccount controller: every active namespace has a `default` ServiceAccount.
import type {Obj} from '../../apiserver/types.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'

export class ServiceAccountReconciler implements Reconciler {
  readonly name = 'serviceaccount'

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const ns = this.ctx.informer(RESOURCES.namespaces).get(undefined, key.name)
    if (!ns || (ns.metadata as Obj).deletionTimestamp) return 'done'
    if (this.ctx.informer(RESOURCES.serviceaccounts).get(key.name, 'default')) return 'done'
    this.ctx.client.create(RESOURCES.serviceaccounts, key.name, {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'default', namespace: key.name}})
    return 'done'
  }
}

export function addServiceAccountController(m: ControllerManager): void {
  m.add(new ServiceAccountReconciler(m), (c, ctx) => {
    ctx.informer(RESOURCES.namespaces).addHandlers({onAdd: (o) => c.enqueue({name: String((o.metadata as Obj).name)})})
    ctx.informer(RESOURCES.serviceaccounts).addHandlers({
      onDelete: (o) => {
        const m = o.metadata as Obj
        if (m.name === 'default') c.enqueue({name: String(m.namespace)})
      },
    })
  })
}
