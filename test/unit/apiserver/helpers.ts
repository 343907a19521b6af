// A control plane on a MemoryStore and a virtual clock, with a small request helper for tests.
import {MemoryLogStore} from '../../../src/emulator/log-store.js'
import {VirtualClock} from '../../../src/api/clock.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import type {ClusterProfile} from '../../../src/emulator/cluster-profile.js'
import type {ContainerLogSink} from '../../../src/emulator/kubelet-component.js'
import type {ApiRequest, ApiResponse, Obj, PatchType} from '../../../src/apiserver/types.js'

export type Any = Record<string, any>

/**
 * A control plane on a virtual clock. `controllers` picks components by name (see
 * src/emulator/components.ts); the default runs them all.
 */
export function newCluster(seed = 7, opts: {controllers?: boolean | readonly string[]; cluster?: ClusterProfile; logSink?: ContainerLogSink} = {}): {cp: ControlPlane; clock: VirtualClock; api: Api} {
  const clock = new VirtualClock(Date.UTC(2026, 10, 22, 12, 0, 0))
  const cp = new ControlPlane({store: new MemoryStore(), clock, seed, kubernetesVersion: '1.36', controllers: opts.controllers, cluster: opts.cluster, ...(opts.logSink ? {logSink: opts.logSink} : {logStore: new MemoryLogStore()})})
  return {cp, clock, api: new Api(cp)}
}

const GV: Record<string, [string, string, boolean]> = {
  pods: ['', 'v1', true], services: ['', 'v1', true], configmaps: ['', 'v1', true], secrets: ['', 'v1', true], namespaces: ['', 'v1', false],
  nodes: ['', 'v1', false], resourcequotas: ['', 'v1', true], limitranges: ['', 'v1', true], persistentvolumeclaims: ['', 'v1', true],
  deployments: ['apps', 'v1', true], replicasets: ['apps', 'v1', true], statefulsets: ['apps', 'v1', true],
  poddisruptionbudgets: ['policy', 'v1', true], jobs: ['batch', 'v1', true],
  customresourcedefinitions: ['apiextensions.k8s.io', 'v1', false],
}

export class Api {
  constructor(readonly cp: ControlPlane) {}

  req(verb: ApiRequest['verb'], resource: string, opts: Partial<ApiRequest> = {}): ApiResponse {
    const [group, version, namespaced] = GV[resource] ?? ['', 'v1', true]
    return this.cp.handle({verb, group, version, resource, ...(namespaced ? {namespace: 'default'} : {}), ...opts})
  }

  create(resource: string, body: Obj, query: Record<string, string> = {}, namespace?: string): ApiResponse {
    return this.req('create', resource, {body, query, ...(namespace ? {namespace} : {})})
  }

  get(resource: string, name: string, namespace?: string): ApiResponse {
    return this.req('get', resource, {name, ...(namespace ? {namespace} : {})})
  }

  list(resource: string, query: Record<string, string> = {}, namespace?: string | null): ApiResponse {
    return this.req('list', resource, {query, ...(namespace === null ? {namespace: undefined} : namespace ? {namespace} : {})})
  }

  update(resource: string, name: string, body: Obj, query: Record<string, string> = {}, subresource?: string): ApiResponse {
    return this.req('update', resource, {name, body, query, subresource})
  }

  patch(resource: string, name: string, patchType: PatchType, body: unknown, query: Record<string, string> = {}, subresource?: string): ApiResponse {
    return this.req('patch', resource, {name, body, patchType, query, subresource})
  }

  delete(resource: string, name: string, body: Obj = {}, query: Record<string, string> = {}, namespace?: string): ApiResponse {
    return this.req('delete', resource, {name, body, query, ...(namespace ? {namespace} : {})})
  }

  /** Asserts success and returns the body. */
  ok(res: ApiResponse): Any {
    if (res.status >= 300) throw new Error(`expected success, got ${res.status}: ${JSON.stringify(res.body)}`)
    return res.body as Any
  }
}

export function deployment(name = 'web', replicas = 2): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name, labels: {app: name}},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}},
  }
}

export function pod(name: string, labels: Record<string, string> = {app: 'web'}, extra: Obj = {}): Obj {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, labels}, spec: {containers: [{name: 'c', image: 'nginx', resources: {requests: {cpu: '100m', memory: '64Mi'}}}], ...extra}}
}
