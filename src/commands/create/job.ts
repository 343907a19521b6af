// `kube2 create job NAME --image=IMAGE [-- COMMAND...]` or `--from=cronjob/NAME`.
import {Flags} from '@oclif/core'
import {CREATE_FLAGS, CreateCommand} from '../../cli/create-command.js'
import {ServerError, UserError} from '../../cli/errors.js'
import type {Obj} from '../../apiserver/types.js'
import {jobObject} from '../../ops/create.js'

export default class CreateJob extends CreateCommand<typeof CreateJob> {
  static override summary = 'Create a job with the specified name'
  static override examples = ['<%= config.bin %> create job my-job --image=busybox -- date', '<%= config.bin %> create job test-job --from=cronjob/a-cronjob']
  static override flags = {
    ...CREATE_FLAGS,
    image: Flags.string({description: 'Image name to run.'}),
    from: Flags.string({description: 'The name of the resource to create a Job from (only cronjob is supported).'}),
  }
  protected readonly path = 'create job'

  public async run(): Promise<void> {
    const {name, command} = this.nameAndCommand()
    if (this.flags.from) {
      if (this.flags.image || command.length) throw new UserError('either --image or --from must be specified')
      await this.create(await this.fromCronJob(name, this.flags.from))
      return
    }
    if (!this.flags.image) throw new UserError('either --image or --from must be specified')
    await this.create(jobObject(name, this.flags.image, {...this.options(), command}))
  }

  /** A Job from a CronJob's template, as the CronJob controller would make it, marked as manual. */
  private async fromCronJob(name: string, from: string): Promise<Obj> {
    const [kind, cronName] = from.split('/')
    if (!cronName || !/^(cronjob|cronjobs|cj)(\.batch)?$/.test(kind ?? '')) throw new UserError(`from must be an existing cronjob: ${from}`)
    const cluster = await this.cluster()
    const namespace = this.flags.namespace ?? cluster.defaultNamespace()
    const res = await cluster.request({verb: 'get', group: 'batch', version: 'v1', resource: 'cronjobs', namespace, name: cronName})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    const cj = res.body as Obj
    const tpl = ((cj.spec as Obj).jobTemplate ?? {}) as Obj
    const tm = (tpl.metadata ?? {}) as Obj
    const cm = cj.metadata as Obj
    const metadata: Obj = {
      name, creationTimestamp: null,
      annotations: {'cronjob.kubernetes.io/instantiate': 'manual', ...((tm.annotations as Obj | undefined) ?? {})},
      ...(tm.labels ? {labels: tm.labels} : {}),
      ownerReferences: [{apiVersion: 'batch/v1', kind: 'CronJob', name: cm.name, uid: cm.uid, controller: true}],
    }
    if (this.flags.namespace) metadata.namespace = this.flags.namespace
    return {kind: 'Job', apiVersion: 'batch/v1', metadata, spec: tpl.spec ?? {}, status: {}}
  }
}
