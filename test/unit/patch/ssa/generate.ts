// Seeded random objects for differential tests: random subsets of Pod, Deployment, Service, ConfigMap
// and custom-resource fields (with the odd null, empty value, duplicate or keyless list item, changed
// shape and unusual string), and random edits of them.
import type {JsonMap} from '../../../../src/patch/json-value.js'

export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** mulberry32: a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }
}

export interface Kind {
  apiVersion: string
  kind: string
  make(rng: Rng, name: string): JsonMap
}

const WORDS = ['app', 'web', 'db', 'cache', 'api', 'worker', 'zeta', 'Alpha', 'b', 'a-b', 'a.b/c', 'x_y']
const ODD = ['', 'é', 'a<b>&c', '\u2028', 'emoji \u{1F600}', 'tab\there', '"quoted"', 'back\\slash', '__proto__', 'f:x', '.', 'k:{"a":1}']

function word(rng: Rng): string {
  return rng.chance(0.05) ? rng.pick(ODD) : rng.pick(WORDS)
}

function maybe(rng: Rng, p: number, obj: JsonMap, key: string, value: () => unknown): void {
  if (rng.chance(p)) obj[key] = value()
}

/** A few keys, sometimes none; sometimes an explicit null or an empty value. */
function stringMap(rng: Rng): unknown {
  if (rng.chance(0.05)) return null
  const out: JsonMap = {}
  const n = rng.int(4)
  for (let i = 0; i < n; i++) out[rng.chance(0.5) ? `${word(rng)}/${word(rng)}` : word(rng)] = rng.chance(0.05) ? rng.int(10) : word(rng)
  return out
}

/** Occasionally replaces a value with something of another shape. */
function odd(rng: Rng, value: () => unknown): unknown {
  if (!rng.chance(0.03)) return value()
  return rng.pick<unknown>([null, {}, [], 0, 1.5, 'text', true, [1, 'a'], {x: {y: null}}])
}

function port(rng: Rng): JsonMap {
  const p: JsonMap = {containerPort: rng.pick([80, 443, 8080, 9090, 1.5])}
  maybe(rng, 0.5, p, 'name', () => rng.pick(['http', 'https', 'metrics', 'grpc']))
  maybe(rng, 0.4, p, 'protocol', () => rng.pick(['TCP', 'UDP', 'SCTP']))
  maybe(rng, 0.1, p, 'hostPort', () => rng.int(30000))
  if (rng.chance(0.02)) delete p.containerPort
  return p
}

function envVar(rng: Rng): JsonMap {
  const e: JsonMap = {name: rng.pick(['LOG_LEVEL', 'POD_NAME', 'POD_IP', 'MODE', 'A', 'B'])}
  if (rng.chance(0.6)) e.value = word(rng)
  else if (rng.chance(0.8)) e.valueFrom = {fieldRef: odd(rng, () => ({fieldPath: rng.pick(['metadata.name', 'status.podIP', 'spec.nodeName'])}))}
  else e.valueFrom = {configMapKeyRef: {name: word(rng), key: word(rng), optional: rng.chance(0.5)}}
  if (rng.chance(0.02)) delete e.name
  return e
}

function probe(rng: Rng): JsonMap {
  const p: JsonMap = rng.chance(0.7) ? {httpGet: {path: `/${word(rng)}`, port: rng.pick<unknown>(['http', 8080])}} : {exec: {command: ['sh', '-c', word(rng)]}}
  maybe(rng, 0.5, p, 'periodSeconds', () => rng.pick([5, 10, 20]))
  maybe(rng, 0.3, p, 'timeoutSeconds', () => 1)
  return p
}

function list<T>(rng: Rng, max: number, item: () => T): T[] {
  const n = rng.int(max + 1)
  const out: T[] = []
  for (let i = 0; i < n; i++) out.push(item())
  return out
}

function container(rng: Rng): JsonMap {
  const c: JsonMap = {name: rng.pick(['app', 'sidecar', 'proxy', 'init'])}
  maybe(rng, 0.9, c, 'image', () => `registry.example.com/${word(rng)}:${rng.int(5)}`)
  maybe(rng, 0.5, c, 'ports', () => odd(rng, () => list(rng, 3, () => port(rng))))
  maybe(rng, 0.5, c, 'env', () => odd(rng, () => list(rng, 3, () => envVar(rng))))
  maybe(rng, 0.3, c, 'args', () => list(rng, 3, () => word(rng)))
  maybe(rng, 0.2, c, 'command', () => ['sh', '-c', word(rng)])
  maybe(rng, 0.4, c, 'resources', () =>
    odd(rng, () => {
      const r: JsonMap = {}
      maybe(rng, 0.8, r, 'requests', () => ({cpu: rng.pick(['100m', '1', 0.5]), memory: '128Mi'}))
      maybe(rng, 0.5, r, 'limits', () => stringMap(rng))
      return r
    }),
  )
  maybe(rng, 0.3, c, 'readinessProbe', () => probe(rng))
  maybe(rng, 0.3, c, 'livenessProbe', () => probe(rng))
  maybe(rng, 0.3, c, 'volumeMounts', () => list(rng, 3, () => ({name: rng.pick(['config', 'tmp', 'data']), mountPath: rng.pick(['/etc/app', '/tmp', '/data'])})))
  maybe(rng, 0.2, c, 'securityContext', () => ({runAsUser: rng.int(2000), readOnlyRootFilesystem: rng.chance(0.5), capabilities: {add: list(rng, 2, () => rng.pick(['NET_ADMIN', 'SYS_TIME']))}}))
  maybe(rng, 0.1, c, 'imagePullPolicy', () => 'IfNotPresent')
  if (rng.chance(0.02)) delete c.name
  return c
}

function volume(rng: Rng): JsonMap {
  const v: JsonMap = {name: rng.pick(['config', 'tmp', 'data', 'secret'])}
  const which = rng.int(4)
  if (which === 0) v.configMap = {name: word(rng), items: list(rng, 2, () => ({key: word(rng), path: word(rng)}))}
  else if (which === 1) v.emptyDir = rng.chance(0.7) ? {} : {medium: 'Memory'}
  else if (which === 2) v.secret = {secretName: word(rng), defaultMode: 420}
  else v.persistentVolumeClaim = {claimName: word(rng)}
  return v
}

function podSpec(rng: Rng): JsonMap {
  const s: JsonMap = {}
  maybe(rng, 0.95, s, 'containers', () => odd(rng, () => list(rng, 3, () => container(rng))))
  maybe(rng, 0.15, s, 'initContainers', () => list(rng, 2, () => container(rng)))
  maybe(rng, 0.4, s, 'volumes', () => odd(rng, () => list(rng, 3, () => volume(rng))))
  maybe(rng, 0.3, s, 'nodeSelector', () => stringMap(rng))
  maybe(rng, 0.3, s, 'serviceAccountName', () => word(rng))
  maybe(rng, 0.2, s, 'nodeName', () => `node-${rng.int(5)}`)
  maybe(rng, 0.2, s, 'restartPolicy', () => rng.pick(['Always', 'Never']))
  maybe(rng, 0.15, s, 'tolerations', () => list(rng, 2, () => ({key: word(rng), operator: 'Exists', effect: 'NoSchedule'})))
  maybe(rng, 0.1, s, 'affinity', () => ({nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: word(rng), operator: 'In', values: [word(rng)]}]}]}}}))
  maybe(rng, 0.1, s, 'imagePullSecrets', () => list(rng, 2, () => ({name: word(rng)})))
  maybe(rng, 0.1, s, 'hostAliases', () => list(rng, 2, () => ({ip: rng.pick(['10.0.0.1', '10.0.0.2']), hostnames: [word(rng)]})))
  maybe(rng, 0.1, s, 'terminationGracePeriodSeconds', () => rng.pick([0, 30]))
  maybe(rng, 0.05, s, 'unknownField', () => ({nested: [word(rng)]}))
  return s
}

function metadata(rng: Rng, name: string): JsonMap {
  const m: JsonMap = {name}
  maybe(rng, 0.5, m, 'namespace', () => rng.pick(['default', 'ns-1']))
  maybe(rng, 0.6, m, 'labels', () => stringMap(rng))
  maybe(rng, 0.4, m, 'annotations', () => stringMap(rng))
  maybe(rng, 0.2, m, 'ownerReferences', () =>
    odd(rng, () => list(rng, 2, () => ({apiVersion: 'apps/v1', kind: 'ReplicaSet', name: word(rng), uid: rng.pick(['u-1', 'u-2', 'u-3']), controller: rng.chance(0.5)}))),
  )
  maybe(rng, 0.15, m, 'finalizers', () => list(rng, 3, () => rng.pick(['a/b', 'kubernetes', 'x'])))
  maybe(rng, 0.3, m, 'uid', () => `uid-${rng.int(1000)}`)
  maybe(rng, 0.3, m, 'creationTimestamp', () => rng.pick<unknown>([null, '2024-01-01T00:00:00Z']))
  maybe(rng, 0.2, m, 'generation', () => rng.int(5))
  maybe(rng, 0.2, m, 'resourceVersion', () => String(rng.int(100)))
  return m
}

function status(rng: Rng): JsonMap {
  const s: JsonMap = {}
  maybe(rng, 0.7, s, 'phase', () => rng.pick(['Pending', 'Running']))
  maybe(rng, 0.4, s, 'conditions', () => list(rng, 2, () => ({type: rng.pick(['Ready', 'Initialized']), status: rng.pick(['True', 'False'])})))
  maybe(rng, 0.2, s, 'podIPs', () => [{ip: '10.0.0.1'}])
  return s
}

/** Sometimes sets fields to what the kind's empty object holds there ({} for structs, null for others). */
function zeroValues(rng: Rng, obj: JsonMap, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) if (rng.chance(0.08)) obj[key] = structuredClone(value)
}

function withRoot(rng: Rng, apiVersion: string, kind: string, name: string, body: JsonMap): JsonMap {
  zeroValues(rng, body, {status: {}, spec: {}})
  if (typeof body.spec === 'object' && body.spec !== null && !Array.isArray(body.spec)) {
    zeroValues(rng, body.spec as JsonMap, {containers: null, selector: null, template: {}, strategy: {}})
    const template = (body.spec as JsonMap).template
    if (typeof template === 'object' && template !== null && !Array.isArray(template)) zeroValues(rng, template as JsonMap, {metadata: {}, spec: {containers: null}})
  }
  const obj: JsonMap = {apiVersion, kind, metadata: metadata(rng, name), ...body}
  if (rng.chance(0.02)) delete obj.apiVersion
  if (rng.chance(0.02)) obj.metadata = rng.pick<unknown>([null, {}])
  return obj
}

export const KINDS: readonly Kind[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    make: (rng, name) => {
      const body: JsonMap = {spec: podSpec(rng)}
      maybe(rng, 0.3, body, 'status', () => status(rng))
      return withRoot(rng, 'v1', 'Pod', name, body)
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    make: (rng, name) => {
      const spec: JsonMap = {}
      maybe(rng, 0.7, spec, 'replicas', () => rng.int(4))
      maybe(rng, 0.7, spec, 'selector', () => ({matchLabels: stringMap(rng)}))
      maybe(rng, 0.9, spec, 'template', () => {
        const t: JsonMap = {}
        maybe(rng, 0.7, t, 'metadata', () => ({labels: stringMap(rng)}))
        maybe(rng, 0.9, t, 'spec', () => podSpec(rng))
        return t
      })
      maybe(rng, 0.3, spec, 'strategy', () => ({type: 'RollingUpdate', rollingUpdate: {maxSurge: rng.pick<unknown>(['25%', 1]), maxUnavailable: 0}}))
      const body: JsonMap = {spec}
      maybe(rng, 0.2, body, 'status', () => ({replicas: rng.int(3), conditions: list(rng, 2, () => ({type: rng.pick(['Available', 'Progressing']), status: 'True'}))}))
      return withRoot(rng, 'apps/v1', 'Deployment', name, body)
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    make: (rng, name) => {
      const spec: JsonMap = {}
      maybe(rng, 0.9, spec, 'ports', () => odd(rng, () => list(rng, 3, () => {
        const p: JsonMap = {port: rng.pick([80, 443, 8080])}
        maybe(rng, 0.5, p, 'name', () => rng.pick(['http', 'https']))
        maybe(rng, 0.4, p, 'protocol', () => rng.pick(['TCP', 'UDP']))
        maybe(rng, 0.5, p, 'targetPort', () => rng.pick<unknown>([8080, 'http']))
        return p
      })))
      maybe(rng, 0.7, spec, 'selector', () => stringMap(rng))
      maybe(rng, 0.4, spec, 'type', () => rng.pick(['ClusterIP', 'NodePort']))
      maybe(rng, 0.3, spec, 'clusterIP', () => '10.96.0.10')
      maybe(rng, 0.3, spec, 'clusterIPs', () => ['10.96.0.10'])
      maybe(rng, 0.2, spec, 'ipFamilies', () => ['IPv4'])
      const body: JsonMap = {spec}
      maybe(rng, 0.2, body, 'status', () => ({loadBalancer: rng.chance(0.5) ? {} : {ingress: [{ip: '1.2.3.4'}]}}))
      return withRoot(rng, 'v1', 'Service', name, body)
    },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    make: (rng, name) => {
      const body: JsonMap = {}
      maybe(rng, 0.8, body, 'data', () => stringMap(rng))
      maybe(rng, 0.2, body, 'binaryData', () => ({bin: 'AAEC'}))
      maybe(rng, 0.1, body, 'immutable', () => rng.chance(0.5))
      return withRoot(rng, 'v1', 'ConfigMap', name, body)
    },
  },
  {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    make: (rng, name) => {
      const body: JsonMap = {spec: {size: rng.int(5), items: list(rng, 3, () => ({name: word(rng), value: rng.int(3)})), config: stringMap(rng)}}
      maybe(rng, 0.3, body, 'status', () => ({ready: rng.chance(0.5)}))
      return withRoot(rng, 'example.com/v1', 'Widget', name, body)
    },
  },
]

function containers(value: unknown): JsonMap[] {
  return Array.isArray(value) ? value.filter((v): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v)) : []
}

/** Random changes to a copy of obj: edits of a few random nodes, list reorders, and sometimes a fresh subtree. */
export function edit(rng: Rng, obj: JsonMap, kind: Kind): JsonMap {
  const next = structuredClone(obj)
  const edits = 1 + rng.int(4)
  for (let e = 0; e < edits; e++) {
    const nodes: Array<{parent: JsonMap | unknown[]; key: string | number}> = []
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          nodes.push({parent: value, key: i})
          visit(item)
        })
      } else if (typeof value === 'object' && value !== null) {
        for (const key of Object.keys(value)) {
          nodes.push({parent: value as JsonMap, key})
          visit((value as JsonMap)[key])
        }
      }
    }
    visit(next)
    if (nodes.length === 0) break
    const {parent, key} = rng.pick(nodes)
    const action = rng.int(7)
    const current = (parent as Record<string | number, unknown>)[key]
    if (action === 0 && !Array.isArray(parent)) delete (parent as JsonMap)[key]
    else if (action === 0 && Array.isArray(parent)) parent.splice(key as number, 1)
    else if (action === 1 && Array.isArray(current) && current.length > 1) current.reverse()
    else if (action === 2 && typeof current === 'string') (parent as Record<string | number, unknown>)[key] = `${current}-${rng.int(3)}`
    else if (action === 3 && typeof current === 'number') (parent as Record<string | number, unknown>)[key] = current + 1
    else if (action === 4 && typeof current === 'object' && current !== null && !Array.isArray(current)) (current as JsonMap)[word(rng)] = word(rng)
    else if (action === 5 && Array.isArray(current) && current.length > 0) current.push(structuredClone(rng.pick(current)))
    else (parent as Record<string | number, unknown>)[key] = odd(rng, () => word(rng))
  }
  // Typical writes: an image and a label.
  if (rng.chance(0.5)) {
    const meta = next.metadata
    if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) {
      const m = meta as JsonMap
      m.labels = {...(typeof m.labels === 'object' && m.labels !== null ? (m.labels as JsonMap) : {}), tier: word(rng)}
    }
    const spec = next.spec as JsonMap | undefined
    const pod = kind.kind === 'Deployment' ? ((spec?.template as JsonMap | undefined)?.spec as JsonMap | undefined) : spec
    const first = containers(pod?.containers)[0]
    if (first) first.image = `registry.example.com/${word(rng)}:${rng.int(9)}`
  }
  if (rng.chance(0.1)) {
    const fresh = kind.make(rng, 'x')
    for (const key of ['spec', 'data', 'status']) if (key in fresh && rng.chance(0.5)) next[key] = fresh[key]
  }
  return next
}
