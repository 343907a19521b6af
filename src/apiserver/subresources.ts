// Subresources: status (spec and status written separately), scale (autoscaling/v1 Scale over a
// workload's replicas), binding (the scheduler assigning a Pod to a Node), eviction (policy/v1,
// refused with 429 while a PodDisruptionBudget allows no disruption), log (what the simulated kubelet
// wrote), namespace finalize and serviceaccounts/token (a TokenRequest: a signed JWT).
import type {ServedResource} from './catalog.js'
import {ApiError, badRequest, conflict, methodNotSupported, notFound, successStatus, tooManyRequests} from './errors.js'
import {clone, isObject, meta, rfc3339} from './objects.js'
import {selectorFromLabelSelector, formatLabelSelector, type LabelSelector} from '../api/labels.js'
import type {ApiServer} from './server.js'
import type {ApiRequest, ApiResponse, Obj} from './types.js'

export function handleSubresource(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  const sub = req.subresource!
  const info = r.subresources?.find((s) => s.name === sub)
  if (!info) throw notFound({group: r.group, resource: `${r.plural}/${sub}`}, req.name ?? '')
  const gr = {group: r.group, resource: `${r.plural}/${sub}`}
  const verb = req.verb
  const allowed = (v: string) => info.verbs.includes(v)
  switch (sub) {
    case 'status':
      if (verb === 'get' && allowed('get')) return {status: 200, body: server.current(r, req.namespace, req.name!).obj}
      if (verb === 'update' || verb === 'patch') return writeStatus(server, r, req)
      break
    case 'scale':
      if (verb === 'get') return {status: 200, body: scaleOf(r, server.current(r, req.namespace, req.name!).obj)}
      if (verb === 'update' || verb === 'patch') return writeScale(server, r, req)
      break
    case 'binding':
      if (verb === 'create') return bind(server, r, req)
      break
    case 'eviction':
      if (verb === 'create') return evict(server, r, req)
      break
    case 'log':
      if (verb === 'get') return podLog(server, r, req)
      break
    case 'finalize':
      if (verb === 'update') return finalizeNamespace(server, r, req)
      break
    case 'token':
      if (verb === 'create' && r.plural === 'serviceaccounts' && !r.group) {
        const {obj: sa} = server.current(r, req.namespace, req.name!)
        const body = server.serviceAccountTokens().request(sa, (req.body ?? {}) as Obj, server.clock.now(), server.lookupForTokens)
        return {status: 201, body}
      }
      break
    default:
      break
  }
  throw methodNotSupported(gr, verb)
}

function writeStatus(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  const opts = server.writeOptions(req)
  const {obj: old} = server.current(r, req.namespace, req.name!)
  let next: Obj
  if (req.verb === 'update') {
    next = server.decodeBody(r, req.body)
    if (meta(next).name && meta(next).name !== req.name) throw badRequest(`the name of the object (${meta(next).name}) does not match the name on the URL (${req.name})`)
    meta(next).name = req.name
  } else {
    if (req.patchType === 'apply') throw badRequest('apply patches to the status subresource are not supported by this emulator yet')
    next = server.applyPatch(r, old, req.body, req.patchType ?? 'merge')
  }
  return server.updateObject(r, req.namespace, old, next, {...opts, subresource: 'status'})
}

/** The Scale object of a workload (or a custom resource with a scale subresource). */
function scaleOf(r: ServedResource, o: Obj): Obj {
  const m = meta(o)
  const spec = (o.spec ?? {}) as Obj
  const status = (o.status ?? {}) as Obj
  const selector = isObject(spec.selector) ? formatSelector(spec.selector as LabelSelector) : ''
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp},
    spec: {replicas: typeof spec.replicas === 'number' ? spec.replicas : 0},
    status: {replicas: typeof status.replicas === 'number' ? status.replicas : 0, ...(selector ? {selector} : {})},
  }
}

function formatSelector(ls: LabelSelector): string {
  const text = formatLabelSelector(ls)
  return text === '<none>' || text === '<error>' ? '' : text
}

function writeScale(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  const opts = server.writeOptions(req)
  const {obj: old} = server.current(r, req.namespace, req.name!)
  const current = scaleOf(r, old)
  let scale: Obj
  if (req.verb === 'update') {
    if (!isObject(req.body)) throw badRequest('the body of the request is not a Scale object')
    scale = req.body
  } else {
    // Scale is a plain type: strategic merge patch behaves as a merge patch here.
    const type = req.patchType === 'strategic' ? 'merge' : req.patchType ?? 'merge'
    if (type === 'apply') throw badRequest('apply patches to the scale subresource are not supported by this emulator yet')
    scale = server.applyPatch({...r, crd: {name: '', hasStatus: false, hasScale: true}}, current, req.body, type)
  }
  const replicas = (scale.spec as Obj | undefined)?.replicas
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest('Scale.spec.replicas must be an integer')
  if (replicas < 0) {
    throw new ApiError({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Scale.autoscaling "${req.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, reason: 'Invalid', code: 422, details: {name: req.name, group: 'autoscaling', kind: 'Scale', causes: [{reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas'}]}})
  }
  const rv = (scale.metadata as Obj | undefined)?.resourceVersion
  if (rv && rv !== meta(old).resourceVersion) throw conflict({group: r.group, resource: r.plural}, req.name!, 'the object has been modified; please apply your changes to the latest version and try again')
  const next = clone(old)
  ;((next.spec ??= {}) as Obj).replicas = replicas
  const res = server.updateObject(r, req.namespace, old, next, {...opts, subresource: 'scale'})
  return {...res, body: scaleOf(r, res.body as Obj)}
}

function bind(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  if (r.kind !== 'Pod') throw methodNotSupported({group: r.group, resource: `${r.plural}/binding`}, 'create')
  const body = isObject(req.body) ? req.body : {}
  const target = (body.target ?? {}) as Obj
  const node = typeof target.name === 'string' ? target.name : ''
  if (!node) throw badRequest('Binding.target.name is required')
  const {obj: pod} = server.current(r, req.namespace, req.name!)
  const spec = (pod.spec ?? {}) as Obj
  if (spec.nodeName) {
    throw conflict({group: '', resource: 'pods/binding'}, req.name!, `pod ${req.name} is already assigned to node "${String(spec.nodeName)}"`)
  }
  if (meta(pod).deletionTimestamp) throw conflict({group: '', resource: 'pods/binding'}, req.name!, `pod ${req.name} is being deleted, cannot be assigned to a host`)
  const next = clone(pod)
  ;(next.spec as Obj).nodeName = node
  const status = (next.status ??= {}) as Obj
  const conditions = ((status.conditions ??= []) as Obj[]).filter((c) => c.type !== 'PodScheduled')
  conditions.unshift({type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(server.clock.now())})
  status.conditions = conditions
  if (req.query?.dryRun !== 'All') server.writeDirect(r, req.namespace, pod, next)
  return {status: 201, body: successStatus()}
}

function evict(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  const {obj: pod} = server.current(r, req.namespace, req.name!)
  const body = isObject(req.body) ? req.body : {}
  const deleteOptions = (body.deleteOptions ?? {}) as Obj
  const dryRun = req.query?.dryRun === 'All' || (Array.isArray(deleteOptions.dryRun) && deleteOptions.dryRun.includes('All'))
  const phase = (pod.status as Obj | undefined)?.phase
  // Pods that are done, or already being deleted, are deleted without consulting budgets.
  const exempt = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || meta(pod).deletionTimestamp !== undefined
  const pdbRes = server.catalog.lookup('policy', 'v1', 'poddisruptionbudgets')
  if (!exempt && pdbRes) {
    const labels = (meta(pod).labels ?? {}) as Record<string, string>
    const pdbs = server.store.list(`${pdbRes.storagePrefix}${req.namespace}/`).items.map((kv) => server.decode(pdbRes, kv))
      .filter((pdb) => {
        const sel = (pdb.spec as Obj | undefined)?.selector as LabelSelector | undefined
        if (!sel) return false
        try {
          const s = selectorFromLabelSelector(sel)
          return !s.empty() && s.matches(labels)
        } catch {
          return false
        }
      })
    if (pdbs.length > 1) {
      throw new ApiError({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', reason: 'InternalError', code: 500})
    }
    const pdb = pdbs[0]
    if (pdb) {
      const pm = meta(pdb)
      const status = (pdb.status ?? {}) as Obj
      const observed = typeof status.observedGeneration === 'number' ? status.observedGeneration : 0
      const name = String(pm.name)
      if (observed < (pm.generation ?? 1)) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [{reason: 'DisruptionBudget', message: `The disruption budget ${name} is still being processed by the server.`}], 10)
      }
      const allowed = typeof status.disruptionsAllowed === 'number' ? status.disruptionsAllowed : 0
      if (allowed <= 0) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [{reason: 'DisruptionBudget', message: `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`}])
      }
      if (!dryRun) {
        // Record the disruption, as the eviction handler does, so a second eviction sees it.
        const next = clone(pdb)
        const ns = (next.status ??= {}) as Obj
        ns.disruptionsAllowed = allowed - 1
        ns.disruptedPods = {...((ns.disruptedPods ?? {}) as Obj), [String(meta(pod).name)]: rfc3339(server.clock.now())}
        server.updateObject(pdbRes, req.namespace, pdb, next, {dryRun: false, fieldValidation: 'Ignore', manager: 'kube-apiserver', subresource: 'status'})
      }
    }
  }
  const grace = typeof deleteOptions.gracePeriodSeconds === 'number' ? deleteOptions.gracePeriodSeconds : undefined
  server.deleteObject(r, req.namespace, pod, {dryRun, gracePeriodSeconds: grace, preconditions: deleteOptions.preconditions as never})
  return {status: 201, body: successStatus()}
}

function podLog(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  const {obj: pod} = server.current(r, req.namespace, req.name!)
  const q = req.query ?? {}
  const containers = ((pod.spec as Obj | undefined)?.containers ?? []) as Obj[]
  let container = q.container
  if (!container) {
    if (containers.length !== 1) {
      const names = containers.map((c) => String(c.name)).join(' ')
      throw badRequest(`a container name must be specified for pod ${req.name}, choose one of: [${names}]`)
    }
    container = String(containers[0].name)
  }
  const all = [...containers, ...(((pod.spec as Obj | undefined)?.initContainers ?? []) as Obj[]), ...(((pod.spec as Obj | undefined)?.ephemeralContainers ?? []) as Obj[])]
  if (!all.some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${req.name}`)
  }
  if (!server.logs) {
    throw badRequest(`container "${container}" in pod "${req.name}" is waiting to start: ContainerCreating`)
  }
  let text = server.logs.read(String(req.namespace), pod, container, {previous: q.previous === 'true'})
  text = filterLog(text, q, server.clock.now())
  return {status: 200, body: text}
}

/** tailLines, sinceSeconds, sinceTime, timestamps and limitBytes over RFC 3339-stamped log lines. */
export function filterLog(text: string, q: Record<string, string | undefined>, now: Date): string {
  let lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const since = q.sinceSeconds ? now.getTime() - Number(q.sinceSeconds) * 1000 : q.sinceTime ? Date.parse(q.sinceTime) : undefined
  if (since !== undefined) lines = lines.filter((l) => Date.parse(l.slice(0, l.indexOf(' '))) >= since)
  if (q.tailLines !== undefined) lines = Number(q.tailLines) > 0 ? lines.slice(-Number(q.tailLines)) : []
  if (q.timestamps !== 'true') lines = lines.map((l) => l.slice(l.indexOf(' ') + 1))
  let out = lines.length > 0 ? `${lines.join('\n')}\n` : ''
  if (q.limitBytes) out = Buffer.from(out).subarray(0, Number(q.limitBytes)).toString()
  return out
}

function finalizeNamespace(server: ApiServer, r: ServedResource, req: ApiRequest): ApiResponse {
  const opts = server.writeOptions(req)
  const {obj: old} = server.current(r, undefined, req.name!)
  const body = server.decodeBody(r, req.body)
  const next = clone(old)
  ;((next.spec ??= {}) as Obj).finalizers = ((body.spec as Obj | undefined)?.finalizers ?? []) as unknown[]
  return server.updateObject(r, undefined, old, next, {...opts, subresource: 'finalize'})
}
