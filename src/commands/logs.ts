// `kube2 logs (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER]`: containers' logs through pods/log,
// with kubectl's flags (--tail, --since, --since-time, --timestamps, --previous, --all-containers,
// --prefix, --max-log-requests, -f) and its choices: a workload's pod picked as kubectl picks it, the
// default container announced when a pod has several.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {PlainError, ServerError, UserError} from '../cli/errors.js'
import type {Cluster} from '../client/cluster.js'
import type {Obj} from '../apiserver/types.js'
import {formatLabelSelector, type LabelSelector} from '../api/labels.js'
import {Resources} from '../ops/resources.js'
import {parseRequestTimeout} from '../client/select.js'

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container'

/** kubectl's ByLogging order: scheduled, Running, ready, more restarts, older first. */
export function byLogging(a: Obj, b: Obj): number {
  const spec = (p: Obj) => (p.spec ?? {}) as Obj
  const st = (p: Obj) => (p.status ?? {}) as Obj
  const assigned = (p: Obj) => (spec(p).nodeName ? 0 : 1)
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b)
  const phaseRank = (p: Obj) => ({Running: 0, Unknown: 1, Pending: 2}[String(st(p).phase)] ?? 3)
  if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b)
  const ready = (p: Obj) => (((st(p).conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True') ? 0 : 1)
  if (ready(a) !== ready(b)) return ready(a) - ready(b)
  const restarts = (p: Obj) => Math.max(0, ...((st(p).containerStatuses ?? []) as Obj[]).map((c) => Number(c.restartCount ?? 0)))
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a)
  const created = (p: Obj) => Date.parse(String((p.metadata as Obj).creationTimestamp ?? '')) || 0
  return created(a) - created(b)
}

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = 'Print the logs for a container in a pod'
  static override examples = [
    '<%= config.bin %> logs web-7d4b9c-x2x9q',
    '<%= config.bin %> logs deploy/web --tail=20 --timestamps',
    '<%= config.bin %> logs -l app=web --prefix --all-containers',
    '<%= config.bin %> logs web-7d4b9c-x2x9q -c web --previous',
    '<%= config.bin %> logs -f deploy/web',
  ]
  static override strict = false
  static override usage = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'
  static override flags = {
    container: Flags.string({char: 'c', description: 'Print the logs of this container'}),
    follow: Flags.boolean({char: 'f', description: 'Specify if the logs should be streamed.', default: false}),
    previous: Flags.boolean({char: 'p', description: 'If true, print the logs for the previous instance of the container in a pod if it exists.', default: false}),
    tail: Flags.integer({description: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.', default: -1}),
    since: Flags.string({description: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs.'}),
    'since-time': Flags.string({description: 'Only return logs after a specific date (RFC3339). Defaults to all logs.'}),
    timestamps: Flags.boolean({description: 'Include timestamps on each line in the log output', default: false}),
    'all-containers': Flags.boolean({description: 'Get all containers\' logs in the pod(s).', default: false}),
    prefix: Flags.boolean({description: 'Prefix each log line with the log source (pod name and container name)', default: false}),
    selector: Flags.string({char: 'l', description: 'Selector (label query) to filter on'}),
    'max-log-requests': Flags.integer({description: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.', default: 5}),
    'ignore-errors': Flags.boolean({description: 'If watching / following pod logs, allow for any errors that occur to be non-fatal', default: false}),
  }

  public async run(): Promise<void> {
    const args = this.positionalArgs()
    const f = this.flags
    if (args.length === 0 && !f.selector) {
      throw new UserError(`expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee '${this.config.bin} logs -h' for help and examples`)
    }
    if (args.length > 0 && f.selector) throw new UserError('only a selector (-l) or a POD name is allowed')
    if (f.since && f['since-time']) throw new UserError('at most one of `sinceTime` or `sinceSeconds` may be specified')
    const cluster = await this.cluster()
    const namespace = f.namespace ?? cluster.defaultNamespace()
    let pods: Obj[]
    const container = f.container ?? (args.length === 2 ? args[1] : undefined)
    if (f.selector) {
      pods = (await this.list(cluster, namespace, f.selector)).sort(byLogging)
      if (f.follow && pods.length > f['max-log-requests']) {
        throw new UserError(`you are attempting to follow ${pods.length} log streams, but maximum allowed concurrency is ${f['max-log-requests']}, use --max-log-requests to increase the limit`)
      }
    } else {
      pods = [await this.podFor(cluster, namespace, args[0]!)]
    }
    const tail = f.tail === -1 && f.selector ? 10 : f.tail
    const query: Record<string, string> = {}
    if (tail >= 0) query.tailLines = String(tail)
    if (f.previous) query.previous = 'true'
    if (f.timestamps) query.timestamps = 'true'
    if (f.since) query.sinceSeconds = String(Math.max(1, Math.ceil(parseRequestTimeout(f.since) / 1000)))
    if (f['since-time']) query.sinceTime = f['since-time']
    if (f.follow) query.follow = 'true'
    for (const pod of pods) {
      const name = String((pod.metadata as Obj).name)
      const spec = (pod.spec ?? {}) as Obj
      const containers = [...((spec.initContainers ?? []) as Obj[]), ...((spec.containers ?? []) as Obj[])].map((c) => String(c.name))
      const regular = ((spec.containers ?? []) as Obj[]).map((c) => String(c.name))
      let chosen: string[]
      if (f['all-containers']) {
        chosen = containers
      } else if (container) {
        if (!containers.includes(container)) throw new UserError(`container ${container} is not valid for pod ${name}`)
        chosen = [container]
      } else {
        const annotated = ((pod.metadata as Obj).annotations as Record<string, string> | undefined)?.[DEFAULT_CONTAINER]
        const pick = annotated && regular.includes(annotated) ? annotated : regular[0]!
        if (regular.length > 1 && !annotated) process.stderr.write(`Defaulted container "${pick}" out of: ${regular.join(', ')}\n`)
        chosen = [pick]
      }
      for (const c of chosen) {
        const prefix = f.prefix ? `[pod/${name}/${c}] ` : ''
        await this.print(cluster, namespace, name, {...query, container: c}, prefix, f.follow)
      }
    }
  }

  private async print(cluster: Cluster, namespace: string, pod: string, query: Record<string, string>, prefix: string, follow: boolean): Promise<void> {
    const req = {verb: 'get' as const, group: '', version: 'v1', resource: 'pods', namespace, name: pod, subresource: 'log', query}
    if (follow && cluster.stream) {
      const res = await cluster.stream(req)
      let pending = ''
      for await (const chunk of res) {
        const text = pending + String(chunk)
        const lines = text.split('\n')
        pending = lines.pop() ?? ''
        for (const l of lines) process.stdout.write(`${prefix}${l}\n`)
      }
      if (pending) process.stdout.write(`${prefix}${pending}`)
      return
    }
    const res = await cluster.request({...req, query: Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'follow'))})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    const text = typeof res.body === 'string' ? res.body : ''
    if (!prefix) {
      process.stdout.write(text)
      return
    }
    for (const l of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) process.stdout.write(`${prefix}${l}\n`)
  }

  private async list(cluster: Cluster, namespace: string, selector: string): Promise<Obj[]> {
    const res = await cluster.request({verb: 'list', group: '', version: 'v1', resource: 'pods', namespace, query: {labelSelector: selector}})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    return ((res.body as Obj).items as Obj[]) ?? []
  }

  /** A pod by name, or the pod kubectl picks for TYPE/NAME (its selector's pods, ByLogging order). */
  private async podFor(cluster: Cluster, namespace: string, arg: string): Promise<Obj> {
    const slash = arg.indexOf('/')
    if (slash < 0 || /^(pods?|po)$/.test(arg.slice(0, slash))) {
      const name = slash < 0 ? arg : arg.slice(slash + 1)
      const res = await cluster.request({verb: 'get', group: '', version: 'v1', resource: 'pods', namespace, name})
      if (res.status === 404) throw new UserError(`error from server (NotFound): pods "${name}" not found in namespace "${namespace}"`)
      if (res.status >= 300) throw new ServerError(res.body as Obj)
      return res.body as Obj
    }
    const resources = await Resources.of(cluster)
    const r = await resources.retryUnknown(() => resources.resolve(arg.slice(0, slash)))
    const name = arg.slice(slash + 1)
    const res = await cluster.request({verb: 'get', group: r.group, version: r.version, resource: r.plural, name, ...(r.namespaced ? {namespace} : {})})
    if (res.status >= 300) throw new ServerError(res.body as Obj)
    const obj = res.body as Obj
    const spec = (obj.spec ?? {}) as Obj
    const sel = r.kind === 'Service' || r.kind === 'ReplicationController'
      ? formatLabelSelector({matchLabels: spec.selector as Record<string, string>})
      : r.kind === 'CronJob' ? undefined : formatLabelSelector(spec.selector as LabelSelector)
    if (!sel) throw new UserError(`cannot get the logs from ${Resources.groupResource(r)}: selector for ${Resources.typeName(r)}/${name} not implemented`)
    const pods = (await this.list(cluster, namespace, sel)).sort(byLogging)
    if (pods.length === 0) throw new PlainError(`error: timed out waiting for the condition`, 1)
    if (pods.length > 1) process.stderr.write(`Found ${pods.length} pods, using pod/${String((pods[0]!.metadata as Obj).name)}\n`)
    return pods[0]!
  }
}
