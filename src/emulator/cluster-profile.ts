// Cluster profiles (fixtures/clusters/*.yaml): which nodes a new emulated cluster has — pools with a
// count, capacity, labels, taints, zones — and the Node objects they register, as a kubelet (plus
// the node IPAM controller's podCIDR) would create them.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import yaml from 'js-yaml'
import {parseQuantity} from '../api/quantity.js'
import {formatFieldErrorBody, isQualifiedName, validateLabels} from '../api/names.js'
import {findInText} from '../manifest/locate.js'
import type {Obj} from '../apiserver/types.js'

export const DEFAULT_CLUSTER_PROFILE_PATH = fileURLToPath(new URL('../../fixtures/clusters/default.yaml', import.meta.url))

export interface Taint {
  key: string
  value?: string
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'
}

export interface NodePool {
  name: string
  count: number
  controlPlane: boolean
  capacity: Record<string, string>
  labels: Record<string, string>
  taints: Taint[]
  zones: string[]
  region?: string
}

export interface ClusterProfile {
  source: string
  nodePools: NodePool[]
}

export class ClusterProfileError extends Error {}

const CONTROL_PLANE_TAINT: Taint = {key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']
const POOL_KEYS = ['name', 'count', 'controlPlane', 'capacity', 'labels', 'taints', 'zones', 'region']

type Raw = Record<string, unknown>

function isPlain(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Parses and checks a profile; every problem is reported as `file:line: path: what`. */
export function parseClusterProfile(text: string, source: string): ClusterProfile {
  let doc: unknown
  try {
    doc = yaml.load(text, {filename: source})
  } catch (err) {
    if (err instanceof yaml.YAMLException) throw new ClusterProfileError(`${err.mark ? `${source}:${err.mark.line + 1}` : source}: ${err.reason}`)
    throw err
  }
  const problems: string[] = []
  const at = (path: (string | number)[], msg: string) => {
    const loc = findInText(text, path)
    const p = path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')
    problems.push(`${loc && loc.matched > 0 ? `${source}:${loc.line}` : source}: ${p ? `${p}: ` : ''}${msg}`)
  }
  const pools: NodePool[] = []
  if (!isPlain(doc)) at([], 'a cluster profile must be a mapping with nodePools')
  else {
    if (doc.kind !== undefined && doc.kind !== 'ClusterProfile') at(['kind'], `must be ClusterProfile, not ${JSON.stringify(doc.kind)}`)
    for (const k of Object.keys(doc)) if (!['apiVersion', 'kind', 'metadata', 'nodePools'].includes(k)) at([k], 'unknown field')
    if (!Array.isArray(doc.nodePools) || doc.nodePools.length === 0) at(['nodePools'], 'required: a list of node pools')
    const seen = new Set<string>()
    ;((Array.isArray(doc.nodePools) ? doc.nodePools : []) as unknown[]).forEach((raw, i) => {
      const path = (...p: (string | number)[]) => ['nodePools', i, ...p]
      if (!isPlain(raw)) return at(path(), 'must be a mapping')
      for (const k of Object.keys(raw)) if (!POOL_KEYS.includes(k)) at(path(k), 'unknown field')
      const name = raw.name
      if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 50) at(path('name'), 'required: a DNS label of at most 50 characters')
      else if (seen.has(name)) at(path('name'), `duplicate pool name ${JSON.stringify(name)}`)
      else seen.add(name)
      const count = raw.count ?? 1
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 100_000) at(path('count'), 'must be an integer from 0 to 100000')
      const capacity: Record<string, string> = {}
      if (raw.capacity !== undefined && !isPlain(raw.capacity)) at(path('capacity'), 'must be a mapping of resource name to quantity')
      for (const [k, v] of Object.entries(isPlain(raw.capacity) ? raw.capacity : {})) {
        try {
          capacity[k] = parseQuantity(String(v)).toString()
        } catch {
          at(path('capacity', k), `${JSON.stringify(v)} is not a quantity`)
        }
      }
      const labels: Record<string, string> = {}
      if (raw.labels !== undefined && !isPlain(raw.labels)) at(path('labels'), 'must be a mapping')
      for (const [k, v] of Object.entries(isPlain(raw.labels) ? raw.labels : {})) labels[k] = String(v ?? '')
      for (const e of validateLabels(labels, 'labels')) at(path('labels'), formatFieldErrorBody(e))
      const taints: Taint[] = []
      if (raw.taints !== undefined && !Array.isArray(raw.taints)) at(path('taints'), 'must be a list')
      ;((Array.isArray(raw.taints) ? raw.taints : []) as unknown[]).forEach((t, j) => {
        if (!isPlain(t) || typeof t.key !== 'string') return at(path('taints', j), 'needs a key')
        for (const e of isQualifiedName(t.key)) at(path('taints', j, 'key'), e)
        if (!EFFECTS.includes(String(t.effect))) at(path('taints', j, 'effect'), `must be one of ${EFFECTS.join(', ')}`)
        taints.push({key: t.key, ...(t.value !== undefined ? {value: String(t.value)} : {}), effect: t.effect as Taint['effect']})
      })
      const zones = raw.zones === undefined ? [] : raw.zones
      if (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string' || z === '')) at(path('zones'), 'must be a list of zone names')
      if (raw.region !== undefined && typeof raw.region !== 'string') at(path('region'), 'must be a string')
      if (raw.controlPlane !== undefined && typeof raw.controlPlane !== 'boolean') at(path('controlPlane'), 'must be true or false')
      pools.push({
        name: String(name), count: Number(count), controlPlane: raw.controlPlane === true, capacity, labels, taints,
        zones: Array.isArray(zones) ? zones.map(String) : [], ...(typeof raw.region === 'string' ? {region: raw.region} : {}),
      })
    })
  }
  if (problems.length) throw new ClusterProfileError(problems.join('\n'))
  const total = pools.reduce((s, p) => s + p.count, 0)
  if (total > 65_000) throw new ClusterProfileError(`${source}: ${total} nodes: at most 65000 nodes fit the pod network 10.0.0.0/8 in /24s`)
  return {source, nodePools: pools}
}

export function loadClusterProfile(path = DEFAULT_CLUSTER_PROFILE_PATH): ClusterProfile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ClusterProfileError(`${path}: cannot read cluster profile (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  }
  return parseClusterProfile(text, path)
}

/** The default layout with `workers` worker nodes (what `--nodes N` asks for). */
export function clusterProfileWithWorkers(workers: number, base = loadClusterProfile()): ClusterProfile {
  return {...base, source: `${base.source} (${workers} workers)`, nodePools: base.nodePools.map((p) => (p.controlPlane ? p : {...p, count: workers}))}
}

/** Node names of a pool: the pool's name for a single node, `<name>-1` … otherwise. */
export function poolNodeNames(pool: NodePool): string[] {
  if (pool.count === 1) return [pool.name]
  return Array.from({length: pool.count}, (_, i) => `${pool.name}-${i + 1}`)
}

/**
 * The Node objects of a profile, in pool order: standard labels (arch, os, hostname, role, zone),
 * taints, podCIDR 10.<a>.<b>.0/24 by position (10.244.0.0/16 onward, as kind's first 256 nodes),
 * an InternalIP 172.18.x.y by position and status.capacity from the pool.
 */
export function profileNodes(profile: ClusterProfile, baseCapacity: Record<string, string>, arch = 'amd64', os = 'linux'): Obj[] {
  const out: Obj[] = []
  let index = 0
  for (const pool of profile.nodePools) {
    poolNodeNames(pool).forEach((name, i) => {
      const labels: Record<string, string> = {
        'beta.kubernetes.io/arch': arch, 'beta.kubernetes.io/os': os,
        'kubernetes.io/arch': arch, 'kubernetes.io/hostname': name, 'kubernetes.io/os': os,
      }
      if (pool.controlPlane) {
        labels['node-role.kubernetes.io/control-plane'] = ''
        labels['node.kubernetes.io/exclude-from-external-load-balancers'] = ''
      }
      if (pool.zones.length) labels['topology.kubernetes.io/zone'] = pool.zones[i % pool.zones.length]
      if (pool.region) labels['topology.kubernetes.io/region'] = pool.region
      Object.assign(labels, pool.labels)
      const taints = [...(pool.controlPlane ? [CONTROL_PLANE_TAINT] : []), ...pool.taints]
      const cidr = podCIDR(index)
      out.push({
        apiVersion: 'v1', kind: 'Node',
        metadata: {
          name, labels,
          annotations: {'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true'},
        },
        spec: {podCIDR: cidr, podCIDRs: [cidr], providerID: `kube2://${name}`, ...(taints.length ? {taints: taints.map((t) => ({...t}))} : {})},
        status: {
          capacity: {...baseCapacity, ...pool.capacity},
          addresses: [{type: 'InternalIP', address: nodeIP(index)}, {type: 'Hostname', address: name}],
        },
      })
      index++
    })
  }
  return out
}

/** 10.244.0.0/24 for the first node, counting up through 10.255.255.0 and then from 10.0.0.0. */
export function podCIDR(index: number): string {
  const n = (244 * 256 + index) % 65536
  return `10.${n >> 8}.${n & 255}.0/24`
}

/** 172.18.0.2 for the first node (as kind numbers its containers), counting up. */
export function nodeIP(index: number): string {
  const n = index + 2
  return `172.18.${n >> 8}.${n & 255}`
}
