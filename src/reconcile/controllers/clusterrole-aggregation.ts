// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets as its rules the
// union of the rules of every ClusterRole its selectors match (admin = edit + aggregate-to-admin,
// edit = view + aggregate-to-edit, ...), kept current as those roles come, change and go.
import {selectorFromLabelSelector, type LabelSelector} from '../../api/labels.js'
import type {Obj} from '../../apiserver/types.js'
import type {ControllerContext, ControllerManager} from '../manager.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'

function aggregationSelectors(role: Obj): LabelSelector[] | undefined {
  const rule = role.aggregationRule as {clusterRoleSelectors?: LabelSelector[]} | undefined
  return rule?.clusterRoleSelectors
}

export class ClusterRoleAggregationReconciler implements Reconciler {
  readonly name = 'clusterrole-aggregation'

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(key: ObjectKey): ReconcileResult {
    const informer = this.ctx.informer(RESOURCES.clusterroles)
    const role = informer.get(undefined, key.name)
    const selectors = role ? aggregationSelectors(role) : undefined
    if (!role || !selectors) return 'done'
    const matchers = selectors.map((s) => selectorFromLabelSelector(s))
    const sources = informer.list().filter((o) => {
      const m = o.metadata as Obj
      if (m.name === key.name) return false
      const labels = (m.labels ?? {}) as Record<string, string>
      return matchers.some((sel) => sel.matches(labels))
    })
    sources.sort((a, b) => String((a.metadata as Obj).name).localeCompare(String((b.metadata as Obj).name)))
    const rules: unknown[] = []
    const seen = new Set<string>()
    for (const src of sources) {
      for (const r of (src.rules ?? []) as unknown[]) {
        const k = JSON.stringify(r)
        if (seen.has(k)) continue
        seen.add(k)
        rules.push(r)
      }
    }
    if (JSON.stringify(role.rules ?? []) === JSON.stringify(rules)) return 'done'
    this.ctx.client.update(RESOURCES.clusterroles, {...role, rules})
    return 'done'
  }
}

export function addClusterRoleAggregationController(m: ControllerManager): void {
  m.add(new ClusterRoleAggregationReconciler(m), (c, ctx) => {
    const informer = ctx.informer(RESOURCES.clusterroles)
    // Any change may feed any aggregated role: enqueue every role that aggregates.
    const all = () => {
      for (const o of informer.list()) if (aggregationSelectors(o)) c.enqueue({name: String((o.metadata as Obj).name)})
    }
    informer.addHandlers({onAdd: all, onUpdate: all, onDelete: all})
  })
}
