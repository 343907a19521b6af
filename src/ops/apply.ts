// `apply -f`: reads and validates every input first (nothing is written if anything is wrong), then
// creates each object or patches it with the manifest, reporting created / configured / unchanged.
// (The three-way client-side apply with last-applied-configuration comes with the command set.)
import {readManifests, type ManifestObject} from '../manifest/index.js'
import {SchemaValidator} from '../schema/validator.js'
import {isCustomResourceDefinition, crdToSchemas} from '../schema/crd.js'
import {validateOne} from './validate/pass.js'
import {toFinding, toInputProblem} from './validate/pass.js'
import {ServerError, UserError} from '../cli/errors.js'
import type {Cluster, ServedResourceInfo} from '../client/cluster.js'
import type {ApiResponse} from '../apiserver/types.js'
import {Resources} from './resources.js'

export interface ApplyOptions {
  inputs: string[]
  recursive?: boolean
  stdin?: NodeJS.ReadableStream
  /** The -n flag: objects without a namespace go there; objects with another one are an error. */
  namespace?: string
  fieldManager?: string
  kubernetesVersion: string
  dryRun?: 'server'
}

export interface ApplyOutcome {
  type: string
  name: string
  action: 'created' | 'configured' | 'unchanged'
}

interface Planned {
  doc: ManifestObject
  resource: ServedResourceInfo | {group: string; version: string; kind: string; plural: string; namespaced: boolean; pendingCrd: true}
  namespace?: string
  name: string
}

export async function applyManifests(cluster: Cluster, opts: ApplyOptions, report: (o: ApplyOutcome) => void): Promise<ApplyOutcome[]> {
  const read = await readManifests(opts.inputs, {recursive: opts.recursive, stdin: opts.stdin, strict: false})
  const problems = read.problems.filter((p) => p.kind !== 'empty').map(toInputProblem)
  if (problems.length > 0) {
    throw new UserError(problems.map((p) => (p.line !== undefined ? `${p.source}:${p.line}: ${p.message}` : `${p.source}: ${p.message}`)).join('\n'), problems.some((p) => p.unreadable) ? 1 : 1)
  }
  if (read.objects.length === 0) throw new UserError('no objects passed to apply')

  const plan = await planAll(cluster, read.objects, opts)
  const outcomes: ApplyOutcome[] = []
  for (const p of plan) {
    const outcome = await applyOne(cluster, p, opts)
    outcomes.push(outcome)
    report(outcome)
  }
  return outcomes
}

/** Everything that can fail without the server is checked here, before the first write. */
async function planAll(cluster: Cluster, docs: ManifestObject[], opts: ApplyOptions): Promise<Planned[]> {
  const resources = await Resources.of(cluster)
  const validator = new SchemaValidator({kubernetesVersion: opts.kubernetesVersion, strict: false})
  const crdKinds = new Map<string, {plural: string; namespaced: boolean}>()
  for (const d of docs) {
    if (!isCustomResourceDefinition(d.object)) continue
    validator.addCustomResourceDefinition(d.object)
    const spec = (d.object.spec ?? {}) as Record<string, unknown>
    const names = (spec.names ?? {}) as Record<string, unknown>
    for (const s of crdToSchemas(d.object)) crdKinds.set(`${s.group}/${s.version}/${s.kind}`, {plural: String(names.plural ?? ''), namespaced: s.namespaced !== false})
  }
  const errors: string[] = []
  const plan: Planned[] = []
  for (const doc of docs) {
    const o = doc.object
    const apiVersion = String(o.apiVersion)
    const kind = String(o.kind)
    const m = (o.metadata ?? {}) as Record<string, unknown>
    const name = typeof m.name === 'string' ? m.name : ''
    const checked = validateOne(validator, o, true)
    if (checked !== 'skipped') {
      for (const p of checked.filter((x) => x.severity === 'error')) {
        const f = toFinding(doc, p)
        errors.push(`${doc.source}:${f.line}: ${kind}/${name || '<no name>'}: ${f.field ? `${f.field}: ` : ''}${f.message}`)
      }
    }
    let resource: Planned['resource'] | undefined = resources.forKind(apiVersion, kind)
    if (!resource && (await resources.refreshOnce())) resource = resources.forKind(apiVersion, kind)
    if (!resource) {
      const i = apiVersion.indexOf('/')
      const group = i < 0 ? '' : apiVersion.slice(0, i), version = i < 0 ? apiVersion : apiVersion.slice(i + 1)
      const fromCrd = crdKinds.get(`${group}/${version}/${kind}`)
      if (fromCrd) resource = {group, version, kind, plural: fromCrd.plural, namespaced: fromCrd.namespaced, pendingCrd: true}
    }
    if (!resource) {
      errors.push(`resource mapping not found for name: "${name}" namespace: "${String(m.namespace ?? '')}" from "${doc.source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`)
      continue
    }
    let namespace: string | undefined
    if (resource.namespaced) {
      const own = typeof m.namespace === 'string' && m.namespace ? m.namespace : undefined
      if (own && opts.namespace && own !== opts.namespace) {
        errors.push(`the namespace from the provided object "${own}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${own}' to perform this operation.`)
        continue
      }
      namespace = own ?? opts.namespace ?? cluster.defaultNamespace()
    }
    if (!name) {
      errors.push(`error when retrieving current configuration of:\nResource: "${Resources.groupResource(resource)}", GroupVersionKind: "${apiVersion}, Kind=${kind}"\nName: "", Namespace: "${namespace ?? ''}"\nfrom server for: "${doc.source}": resource name may not be empty`)
      continue
    }
    plan.push({doc, resource, namespace, name})
  }
  // Namespaces must exist, or be created earlier in the same inputs: found out now, not half-way.
  const created = new Set(plan.filter((p) => p.resource.kind === 'Namespace' && p.resource.group === '').map((p) => p.name))
  for (const ns of new Set(plan.map((p) => p.namespace).filter((n): n is string => n !== undefined))) {
    if (created.has(ns)) continue
    const res = await cluster.request({verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: ns})
    if (res.status === 404) errors.push(`namespaces "${ns}" not found`)
  }
  if (errors.length > 0) throw new UserError(errors.join('\n'))
  return plan
}

async function applyOne(cluster: Cluster, p: Planned, opts: ApplyOptions): Promise<ApplyOutcome> {
  const r = p.resource
  const base = {group: r.group, version: r.version, resource: r.plural, namespace: p.namespace, name: p.name}
  const query: Record<string, string | undefined> = {fieldManager: opts.fieldManager ?? 'kube2', fieldValidation: 'Strict'}
  if (opts.dryRun === 'server') query.dryRun = 'All'
  const type = Resources.typeName(r)
  const current = await cluster.request({...base, verb: 'get'})
  if (current.status === 404) {
    const body = {...p.doc.object, metadata: {...(p.doc.object.metadata as object), ...(p.namespace ? {namespace: p.namespace} : {})}}
    const res = await cluster.request({...base, name: undefined, verb: 'create', body, query})
    fail(res, `error when creating "${p.doc.source}"`)
    return {type, name: p.name, action: 'created'}
  }
  fail(current, `error when retrieving current configuration of "${p.doc.source}"`)
  const before = ((current.body as Record<string, unknown>).metadata as Record<string, unknown>).resourceVersion
  const patchType = 'pendingCrd' in r || r.group.includes('.') && !r.group.endsWith('.k8s.io') ? 'merge' : 'strategic'
  const res = await cluster.request({...base, verb: 'patch', patchType, body: p.doc.object, query})
  fail(res, `error when patching "${p.doc.source}"`)
  const after = ((res.body as Record<string, unknown>).metadata as Record<string, unknown>).resourceVersion
  return {type, name: p.name, action: after === before ? 'unchanged' : 'configured'}
}

function fail(res: ApiResponse, context: string): void {
  if (res.status < 300) return
  throw new ServerError(res.body as Record<string, unknown>, context)
}
