// `kube2 rollout undo (TYPE NAME | TYPE/NAME) [--to-revision=N]`: back to the previous (or the given)
// revision, as kubectl's rollbackers do it: a Deployment gets the ReplicaSet's pod template back, a
// DaemonSet or StatefulSet its ControllerRevision's patch.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {PlainError, ServerError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {rolloutTargets} from '../../cli/rollout-command.js'
import {revisionsOf} from '../../ops/rollout-history.js'
import {Resources} from '../../ops/resources.js'
import {equalIgnoreHash, POD_TEMPLATE_HASH_LABEL} from '../../reconcile/controllers/deployment-util.js'

export default class RolloutUndo extends BaseCommand<typeof RolloutUndo> {
  static override summary = 'Undo a previous rollout'
  static override examples = ['<%= config.bin %> rollout undo deployment/web', '<%= config.bin %> rollout undo deployment/web --to-revision=3']
  static override strict = false
  static override flags = {
    'to-revision': Flags.integer({description: 'The revision to rollback to. Default to 0 (last revision).', default: 0}),
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    'dry-run': Flags.string({description: 'Must be "none", "server", or "client".', default: 'none', options: ['none', 'server', 'client']}),
  }

  public async run(): Promise<void> {
    const cluster = await this.cluster()
    const targets = await rolloutTargets(this as never, cluster, this.positionalArgs(), this.flags.selector)
    const errors: string[] = []
    for (const t of targets) {
      const r = t.resource
      const name = String((t.object.metadata as Obj).name)
      const kindWord = r.kind.toLowerCase()
      if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(r.kind)) {
        errors.push(`error: no rollbacker has been implemented for "${r.kind}"`)
        continue
      }
      if (r.kind === 'Deployment' && (t.object.spec as Obj).paused === true) {
        errors.push(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`)
        continue
      }
      const revisions = await revisionsOf(cluster, r.kind, t.object)
      const wanted = this.flags['to-revision']
      let target = wanted > 0 ? revisions.find((v) => v.revision === wanted) : revisions.length > 1 ? revisions[revisions.length - 2] : undefined
      if (!target) {
        errors.push(wanted > 0 ? `error: unable to find specified revision ${wanted} in history` : `error: no rollout history found for ${kindWord} "${name}"`)
        continue
      }
      const base = {group: r.group, version: r.version, resource: r.plural, name, ...(t.namespace ? {namespace: t.namespace} : {})}
      const dryRun = this.flags['dry-run']
      const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''
      if (r.kind === 'Deployment') {
        const tpl = structuredClone(target.template!) as Obj
        const labels = ((tpl.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>
        delete labels[POD_TEMPLATE_HASH_LABEL]
        if (equalIgnoreHash(tpl, (t.object.spec as Obj).template)) {
          process.stdout.write(`${Resources.typeName(r)}/${name} skipped rollback (current template already matches revision ${target.revision})\n`)
          continue
        }
        if (dryRun !== 'client') {
          const res = await cluster.request({...base, verb: 'patch', patchType: 'json', body: [{op: 'replace', path: '/spec/template', value: tpl}], ...(dryRun === 'server' ? {query: {dryRun: 'All'}} : {})})
          if (res.status >= 300) throw new ServerError(res.body as Obj)
        }
      } else if (dryRun !== 'client') {
        const res = await cluster.request({...base, verb: 'patch', patchType: 'strategic', body: target.data, ...(dryRun === 'server' ? {query: {dryRun: 'All'}} : {})})
        if (res.status >= 300) throw new ServerError(res.body as Obj)
      }
      process.stdout.write(`${Resources.typeName(r)}/${name} rolled back${suffix}\n`)
    }
    if (errors.length > 0) throw new PlainError(errors.join('\n'), 1)
  }
}
