// The resource metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it behind the
// apiserver: PodMetrics for running pods and NodeMetrics for nodes whose kubelet answers, read-only
// (get and list, label selectors). Usage comes from the simulated kubelets' model
// (src/kubelet/usage.ts: a fraction of the requests, the image's typical usage, or what the
// kube2.dev/cpu-usage and kube2.dev/memory-usage annotations say). Node usage is the sum of its pods
// plus what the node's system daemons use (NODE_OVERHEAD). As metrics-server, values are sampled per
// scrape window (15 s): `timestamp` is the end of the last window, `window` its length.
import {parseSelector} from '../api/labels.js'
import {parseQuantity} from '../api/quantity.js'
import type {ServedResource} from './catalog.js'
import {badRequest, failure, methodNotSupported} from './errors.js'
import type {ApiRequest, ApiResponse, Obj} from './types.js'

export const METRICS_GROUP = 'metrics.k8s.io'
export const METRICS_VERSION = 'v1beta1'
/** What a node's own daemons (kubelet, container runtime, kube-proxy) use beyond its pods. */
export const NODE_OVERHEAD = {cpuNano: 60_000_000, memoryKi: 600 * 1024}
const SCRAPE_MS = 15_000

export interface PodUsageSample {
  cpu: string
  memory: string
  containers: Array<{name: string; cpu: string; memory: string}>
}

/** Where the numbers come from: the kubelets' usage model. */
export interface MetricsSource {
  podUsage(pod: Obj, at: Date): PodUsageSample
}

/** The served resources of the group, for the catalog (discovery) and routing. */
export function metricsResources(): ServedResource[] {
  const base = {group: METRICS_GROUP, version: METRICS_VERSION, verbs: ['get', 'list'], storagePrefix: ''}
  return [
    {...base, kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false},
    {...base, kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true},
  ]
}

function meta(o: Obj): Obj {
  return (o.metadata ?? {}) as Obj
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
}

function nano(q: string): number {
  return Number(parseQuantity(q).asApproximateFloat64() * 1e9)
}

function ki(q: string): number {
  return Math.round(parseQuantity(q).asApproximateFloat64() / 1024)
}

function isRunning(pod: Obj): boolean {
  return ((pod.status ?? {}) as Obj).phase === 'Running' && !!((pod.spec ?? {}) as Obj).nodeName
}

function nodeAnswers(node: Obj): boolean {
  const conds = (((node.status ?? {}) as Obj).conditions ?? []) as Obj[]
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

export interface MetricsReader {
  pods(namespace?: string): Obj[]
  nodes(): Obj[]
  now(): Date
}

/** get/list of PodMetrics and NodeMetrics. */
export function handleMetrics(source: MetricsSource, read: MetricsReader, r: ServedResource, req: ApiRequest): ApiResponse {
  if (req.verb !== 'get' && req.verb !== 'list') throw methodNotSupported({group: METRICS_GROUP, resource: r.plural}, req.verb)
  if (req.subresource) throw failure(404, 'NotFound', 'the server could not find the requested resource', {})
  let selector
  try {
    selector = parseSelector(req.query?.labelSelector ?? '')
  } catch (e) {
    throw badRequest((e as Error).message)
  }
  const now = read.now().getTime()
  const sampled = Math.floor(now / SCRAPE_MS) * SCRAPE_MS
  const at = new Date(sampled)
  const window = `${SCRAPE_MS / 1000}s`
  const podMetrics = (pod: Obj): Obj => {
    const u = source.podUsage(pod, at)
    return {
      kind: 'PodMetrics', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
      metadata: {name: meta(pod).name, namespace: meta(pod).namespace, creationTimestamp: rfc3339(now), ...(meta(pod).labels ? {labels: meta(pod).labels} : {})},
      timestamp: rfc3339(sampled), window,
      containers: u.containers.map((c) => ({name: c.name, usage: {cpu: c.cpu, memory: c.memory}})),
    }
  }
  if (r.plural === 'pods') {
    if (req.verb === 'get') {
      const pod = read.pods(req.namespace).find((p) => meta(p).name === req.name)
      if (!pod || !isRunning(pod)) throw failure(404, 'NotFound', `podmetrics.metrics.k8s.io "${req.namespace}/${req.name}" not found`, {name: req.name, group: METRICS_GROUP, kind: 'pods'})
      return {status: 200, body: podMetrics(pod)}
    }
    const items = read.pods(req.namespace).filter((p) => isRunning(p) && selector.matches((meta(p).labels ?? {}) as Record<string, string>)).map(podMetrics)
    return {status: 200, body: {kind: 'PodMetricsList', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items}}
  }
  const byNode = new Map<string, {cpu: number; mem: number}>()
  for (const pod of read.pods()) {
    if (!isRunning(pod)) continue
    const u = source.podUsage(pod, at)
    const n = String(((pod.spec ?? {}) as Obj).nodeName)
    const acc = byNode.get(n) ?? {cpu: 0, mem: 0}
    acc.cpu += nano(u.cpu)
    acc.mem += ki(u.memory)
    byNode.set(n, acc)
  }
  const nodeMetrics = (node: Obj): Obj => {
    const acc = byNode.get(String(meta(node).name)) ?? {cpu: 0, mem: 0}
    return {
      kind: 'NodeMetrics', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
      metadata: {name: meta(node).name, creationTimestamp: rfc3339(now), ...(meta(node).labels ? {labels: meta(node).labels} : {})},
      timestamp: rfc3339(sampled), window,
      usage: {cpu: `${Math.round(acc.cpu + NODE_OVERHEAD.cpuNano)}n`, memory: `${acc.mem + NODE_OVERHEAD.memoryKi}Ki`},
    }
  }
  if (req.verb === 'get') {
    const node = read.nodes().find((n) => meta(n).name === req.name)
    if (!node || !nodeAnswers(node)) throw failure(404, 'NotFound', `nodemetrics.metrics.k8s.io "${req.name}" not found`, {name: req.name, group: METRICS_GROUP, kind: 'nodes'})
    return {status: 200, body: nodeMetrics(node)}
  }
  const items = read.nodes().filter((n) => nodeAnswers(n) && selector.matches((meta(n).labels ?? {}) as Record<string, string>)).map(nodeMetrics)
  return {status: 200, body: {kind: 'NodeMetricsList', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items}}
}
