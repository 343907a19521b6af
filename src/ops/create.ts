// `kube2 create <generator>`: the objects kubectl's generators build (the same fields, the same empty
// `resources: {}`, `strategy: {}`, `status: {}` and `creationTimestamp: null`), then created — or,
// with --dry-run=client, only printed — with kubectl's messages: `deployment.apps/web created`,
// `error: failed to create deployment: <the server's reason>`.
import {readFileSync, statSync, readdirSync} from 'node:fs'
import {basename, join} from 'node:path'
import {ServerError, UserError, PlainError} from '../cli/errors.js'
import type {Cluster} from '../client/cluster.js'
import type {Obj} from '../apiserver/types.js'
import {Resources} from './resources.js'
import {nameOf, toKubectlJson, toKubectlStructJson} from '../print/objects.js'
import {toYaml} from '../print/yaml.js'

export interface CreateOptions {
  namespace?: string
  /** -n was given (the object then carries its namespace, as kubectl's do). */
  namespaceExplicit: boolean
  dryRun: 'none' | 'client' | 'server'
  output?: string
  fieldManager?: string
}

/** Creates (or prints) a generated object as `kubectl create <generator>` does. */
export async function createGenerated(cluster: Cluster | undefined, obj: Obj, opts: CreateOptions, out: (s: string) => void): Promise<void> {
  const output = opts.output ?? ''
  if (output && !['json', 'yaml', 'name'].includes(output)) throw new UserError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`)
  const apiVersion = String(obj.apiVersion)
  const kind = String(obj.kind)
  const m = obj.metadata as Obj
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : ''
  const typeName = group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase()
  let result = obj
  if (opts.dryRun !== 'client') {
    if (!cluster) throw new Error('a cluster is needed')
    const resources = await Resources.of(cluster)
    const r = resources.forKind(apiVersion, kind)
    if (!r) throw new UserError(`no matches for kind "${kind}" in version "${apiVersion}"`)
    const namespace = r.namespaced ? opts.namespace ?? cluster.defaultNamespace() : undefined
    const res = await cluster.request({
      verb: 'create', group: r.group, version: r.version, resource: r.plural, body: obj,
      ...(namespace ? {namespace} : {}),
      query: {fieldManager: opts.fieldManager ?? 'kubectl-create', ...(opts.dryRun === 'server' ? {dryRun: 'All'} : {})},
    })
    if (res.status >= 300) {
      const status = res.body as Obj
      throw new PlainError(`error: failed to create ${kind.toLowerCase()}: ${String(status.message ?? new ServerError(status).message)}`, 1)
    }
    result = res.body as Obj
    delete ((result.metadata ?? {}) as Obj).managedFields
  }
  const name = String((result.metadata as Obj).name ?? m.name)
  // A generated object is printed from its Go struct (field order); a server's answer as kubectl's
  // generic printer prints it.
  if (output === 'json') out(opts.dryRun === 'client' ? toKubectlStructJson(result) : toKubectlJson(result))
  else if (output === 'yaml') out(toYaml(result))
  else if (output === 'name') out(`${nameOf(typeName, name)}\n`)
  else out(`${nameOf(typeName, name)} created${opts.dryRun === 'client' ? ' (dry run)' : opts.dryRun === 'server' ? ' (server dry run)' : ''}\n`)
}

/** ObjectMeta in its Go field order (kubectl prints generated objects from Go structs). */
function meta(name: string, opts: CreateOptions, labels?: Record<string, string>): Obj {
  const m: Obj = {name}
  if (opts.namespaceExplicit && opts.namespace) m.namespace = opts.namespace
  m.creationTimestamp = null
  if (labels) m.labels = labels
  return m
}

export function namespaceObject(name: string): Obj {
  return {kind: 'Namespace', apiVersion: 'v1', metadata: {name, creationTimestamp: null}, spec: {}, status: {}}
}

export function serviceAccountObject(name: string, opts: CreateOptions): Obj {
  return {kind: 'ServiceAccount', apiVersion: 'v1', metadata: meta(name, opts)}
}

/** The container name kubectl derives from an image: its last path segment, without tag or digest. */
export function containerName(image: string): string {
  const last = image.split('/').pop() ?? image
  return last.split('@')[0]!.split(':')[0]!.replace(/[^a-z0-9-]/gi, '-').toLowerCase()
}

export function deploymentObject(name: string, images: string[], opts: CreateOptions & {replicas: number; port?: number; command: string[]}): Obj {
  if (images.length > 1 && opts.command.length > 0) throw new UserError('cannot specify multiple --image options and command')
  const labels = {app: name}
  const containers = images.map((image, i) => {
    const c: Obj = {name: containerName(image), image}
    if (opts.command.length > 0) c.command = opts.command
    if (opts.port !== undefined && opts.port >= 0 && i === 0) c.ports = [{containerPort: opts.port}]
    c.resources = {}
    return c
  })
  return {
    kind: 'Deployment', apiVersion: 'apps/v1', metadata: meta(name, opts, labels),
    spec: {replicas: opts.replicas, selector: {matchLabels: labels}, template: {metadata: {creationTimestamp: null, labels}, spec: {containers}}, strategy: {}},
    status: {},
  }
}

export function jobObject(name: string, image: string, opts: CreateOptions & {command: string[]}): Obj {
  const c: Obj = {name, image}
  if (opts.command.length > 0) c.command = opts.command
  c.resources = {}
  return {
    kind: 'Job', apiVersion: 'batch/v1', metadata: meta(name, opts),
    spec: {template: {metadata: {creationTimestamp: null}, spec: {containers: [c], restartPolicy: 'Never'}}},
    status: {},
  }
}

export interface DataSources {
  literals: string[]
  files: string[]
  envFiles: string[]
}

/** --from-literal, --from-file (file, dir, key=file) and --from-env-file, as kubectl reads them. */
export function readData(kind: 'ConfigMap' | 'Secret', name: string, src: DataSources): {data: Record<string, string>; binary: Record<string, string>} {
  if (src.envFiles.length > 0 && (src.files.length > 0 || src.literals.length > 0)) throw new UserError('from-env-file cannot be combined with from-file or from-literal')
  const data: Record<string, string> = {}
  const binary: Record<string, string> = {}
  const add = (key: string, value: Buffer) => {
    if (key in data || key in binary) throw new UserError(`cannot add key "${key}", another key by that name already exists in ${kind === 'Secret' ? 'Data' : 'Data'} for ${kind} "${name}"`)
    if (kind === 'ConfigMap' && !isUtf8(value)) binary[key] = value.toString('base64')
    else data[key] = kind === 'Secret' ? value.toString('base64') : value.toString('utf8')
  }
  for (const l of src.literals) {
    const eq = l.indexOf('=')
    if (eq <= 0) throw new UserError(`invalid literal source ${l}, expected key=value`)
    add(l.slice(0, eq), Buffer.from(l.slice(eq + 1)))
  }
  for (const f of src.files) {
    const eq = f.indexOf('=')
    const [key, path] = eq > 0 ? [f.slice(0, eq), f.slice(eq + 1)] : [undefined, f]
    let st
    try {
      st = statSync(path)
    } catch {
      throw new UserError(`error reading ${path}: no such file or directory`)
    }
    if (st.isDirectory()) {
      if (key) throw new UserError(`cannot give a key name for a directory path`)
      for (const entry of readdirSync(path).sort()) {
        const full = join(path, entry)
        if (statSync(full).isFile()) add(entry, readFileSync(full))
      }
    } else {
      add(key ?? basename(path), readFileSync(path))
    }
  }
  for (const f of src.envFiles) {
    let text: string
    try {
      text = readFileSync(f, 'utf8')
    } catch {
      throw new UserError(`error reading ${f}: no such file or directory`)
    }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/^\uFEFF/, '').trimStart()
      if (!line || line.startsWith('#')) continue
      const eq = line.indexOf('=')
      if (eq < 0) {
        // A bare name takes its value from the environment.
        if (process.env[line] !== undefined) add(line, Buffer.from(process.env[line]!))
        continue
      }
      add(line.slice(0, eq), Buffer.from(line.slice(eq + 1)))
    }
  }
  // Go marshals maps with sorted keys.
  return {data: sortedMap(data), binary: sortedMap(binary)}
}

function sortedMap(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = m[k]!
  return out
}

function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b)
}

export function configMapObject(name: string, src: DataSources, opts: CreateOptions & {appendHash?: boolean}): Obj {
  const {data, binary} = readData('ConfigMap', name, src)
  const o: Obj = {kind: 'ConfigMap', apiVersion: 'v1', metadata: meta(name, opts)}
  if (Object.keys(data).length) o.data = data
  if (Object.keys(binary).length) o.binaryData = binary
  return o
}

export function secretObject(name: string, src: DataSources, opts: CreateOptions & {type?: string}): Obj {
  const {data} = readData('Secret', name, src)
  const o: Obj = {kind: 'Secret', apiVersion: 'v1', metadata: meta(name, opts)}
  if (Object.keys(data).length) o.data = data
  if (opts.type) o.type = opts.type
  return o
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'

/** `--tcp=port[:targetPort]` specifiers into kubectl's service ports. */
export function servicePorts(tcp: string[], nodePort?: number): Obj[] {
  return tcp.flatMap((spec) => spec.split(',')).map((spec) => {
    const [p, t] = spec.split(':')
    const port = Number(p)
    if (!Number.isInteger(port)) throw new UserError(`invalid port ${JSON.stringify(p)}`)
    const target: number | string = t === undefined ? port : /^\d+$/.test(t) ? Number(t) : t
    const out: Obj = {name: t === undefined ? `${port}` : `${port}-${t}`, protocol: 'TCP', port, targetPort: target}
    if (nodePort !== undefined && nodePort > 0) out.nodePort = nodePort
    return out
  })
}

export function serviceObject(name: string, type: ServiceType, opts: CreateOptions & {tcp: string[]; clusterIP?: string; nodePort?: number; externalName?: string}): Obj {
  const labels = {app: name}
  const spec: Obj = {}
  if (type !== 'ExternalName') {
    if (opts.tcp.length === 0 && opts.clusterIP !== 'None') throw new UserError('at least one tcp port specifier must be provided')
    if (opts.tcp.length > 0) spec.ports = servicePorts(opts.tcp, type === 'NodePort' ? opts.nodePort : undefined)
  }
  spec.selector = labels
  if (opts.clusterIP) spec.clusterIP = opts.clusterIP
  spec.type = type
  if (type === 'ExternalName') {
    if (!opts.externalName) throw new UserError('external name must be specified')
    spec.externalName = opts.externalName
  }
  return {kind: 'Service', apiVersion: 'v1', metadata: meta(name, opts, labels), spec, status: {loadBalancer: {}}}
}
