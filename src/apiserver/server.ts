// The emulated kube-apiserver: handle(request) -> response with Kubernetes' REST semantics for every
// served resource. Synchronous (the store is), so an in-process caller and the HTTP adapter see the
// same deterministic behaviour. Per-kind rules come from the strategies; this file is the generic
// registry (genericregistry.Store's role): names, uids, resourceVersions, preconditions, dry-run,
// admission, validation, managed fields, graceful deletion, finalizers and subresources.
import type {Clock} from '../api/clock.js'
import {KeyExistsError, KeyNotFoundError, ConflictError, CompactedError, type KeyValue, type Store} from '../store/types.js'
import {SchemaValidator} from '../schema/validator.js'
import {checkObject} from '../schema/semantic/index.js'
import {problem, type Problem} from '../schema/problems.js'
import {PatchSchema} from '../patch/schema.js'
import {strategicMergePatch} from '../patch/strategic.js'
import {jsonMergePatch} from '../patch/merge.js'
import {applyJsonPatch, JsonPatchError} from '../patch/json.js'
import {loadPatchMeta} from '../schema/files.js'
import {serverSideApply, trackUpdate, ApplyConflictError} from '../patch/ssa/index.js'
import {ResourceCatalog, storageKey, type ServedResource} from './catalog.js'
import {
  ApiError, alreadyExists, badRequest, conflict, forbidden, gone, internalError, invalid, methodNotSupported, notFound,
  notFoundPath, OBJECT_MODIFIED, preconditionFailed, successStatus, unsupportedMediaType, type GroupResource,
} from './errors.js'
import {apiVersionOf, clone, isObject, jsonEqual, meta, randomSuffix, rfc3339, uuid, type Meta} from './objects.js'
import {selection} from './selection.js'
import {createWatch} from './watch.js'
import {ServiceAllocators} from './allocators.js'
import {applyLimitRangeDefaults, checkLimitRanges, checkNamespaceLifecycle, checkQuota, quotaStatus} from './admission.js'
import {applyDefaultStorageClass} from './admission-storage.js'
import {handleMetrics, METRICS_GROUP, metricsResources, type MetricsReader, type MetricsSource} from './metrics.js'
import {applyDefaultTolerationSeconds} from './admission-tolerations.js'
import {handleSubresource} from './subresources.js'
import {handleComponentStatuses} from './componentstatus.js'
import {AccessControl} from './rbac/access.js'
import {newServiceAccountKeyPem, ServiceAccountTokens, type ObjectLookup} from './serviceaccount-token.js'
import {RBAC_GROUP} from './rbac/authorizer.js'
import {materialize, RawList} from './raw-list.js'
import {convertToTable} from './tables/index.js'
import type {Strategy, StrategyContext} from './strategy-port.js'
import type {ApiRequest, ApiResponse, Obj, PatchType, UserInfo} from './types.js'

export interface LogReader {
  /** The log text of a container (`previous`: the last terminated instance), or an ApiError. */
  read(namespace: string, pod: Obj, container: string, opts: {previous: boolean}): string
}

export interface ApiServerOptions {
  store: Store
  clock: Clock
  kubernetesVersion: string
  strategy: Strategy
  random: () => number
  logs?: LogReader
  /** The usage model behind metrics.k8s.io; without one the group is not served. */
  metrics?: MetricsSource
  serviceCIDR?: string
  nodePortRange?: [number, number]
  /** The key service account tokens are signed with (PKCS#8 PEM); without one, a key for this process only. */
  serviceAccountKeyPem?: string
}

/** Resources whose immediate deletion answers with the deleted object rather than a Status. */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'services', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'nodes'])

export interface WriteOptions {
  dryRun: boolean
  fieldValidation: 'Ignore' | 'Warn' | 'Strict'
  manager: string
  subresource?: string
  /** Who writes (requests over HTTP): RBAC objects are checked for privilege escalation. */
  user?: UserInfo
}

export class ApiServer {
  readonly store: Store
  readonly clock: Clock
  readonly catalog: ResourceCatalog
  private readonly metrics?: MetricsSource
  readonly kubernetesVersion: string
  readonly strategy: Strategy
  readonly random: () => number
  readonly allocators: ServiceAllocators
  /** RBAC, the access reviews and the escalation check (src/apiserver/rbac). */
  readonly access: AccessControl
  private readonly serviceAccountKeyPem?: string
  private saTokens?: ServiceAccountTokens
  readonly logs?: LogReader
  private readonly strictValidator: SchemaValidator
  private readonly validator: SchemaValidator
  private readonly patchMeta = loadPatchMeta
  private readonly patchSchemas = new Map<string, PatchSchema>()
  /**
   * The strict schema pass's problems for an object about to be validated, when nothing changed it
   * since (defaults and strategies run in between, so this is only a shortcut when they add nothing
   * the schema could object to: they produce valid values by construction).
   */
  private readonly schemaVerdicts = new WeakMap<Obj, Problem[] | undefined>()

  constructor(opts: ApiServerOptions) {
    this.store = opts.store
    this.clock = opts.clock
    this.kubernetesVersion = opts.kubernetesVersion
    this.strategy = opts.strategy
    this.random = opts.random
    this.logs = opts.logs
    this.catalog = new ResourceCatalog(opts.kubernetesVersion)
    this.metrics = opts.metrics
    if (opts.metrics) this.catalog.addAggregated(metricsResources())
    this.strictValidator = new SchemaValidator({kubernetesVersion: opts.kubernetesVersion, strict: true})
    this.validator = new SchemaValidator({kubernetesVersion: opts.kubernetesVersion, strict: false})
    this.access = new AccessControl(opts.store)
    this.serviceAccountKeyPem = opts.serviceAccountKeyPem
    this.access.serviceAccountAuthenticator = (token, audiences) => this.authenticateServiceAccountToken(token, audiences)
    this.allocators = new ServiceAllocators(opts.serviceCIDR ?? '10.96.0.0/12', opts.nodePortRange ?? [30000, 32767], opts.random)
    this.recover()
  }

  /** Rebuilds in-memory state from the store: served CRDs and allocated Service addresses. */
  private recover(): void {
    for (const kv of this.store.list('/registry/apiextensions.k8s.io/customresourcedefinitions/').items) {
      this.registerCrd(JSON.parse(kv.value) as Obj)
    }
    for (const kv of this.store.list('/registry/core/services/').items) this.allocators.observe(JSON.parse(kv.value) as Obj)
  }

  handle(req: ApiRequest): ApiResponse {
    try {
      // The authorization filter runs before routing: a user who may not learn whether a resource
      // exists gets 403 either way. Requests without a user come from inside the control plane.
      if (req.user) this.access.checkRequest(req)
      const review = this.access.handleReview(req)
      if (review) return review
      const r = this.catalog.lookup(req.group, req.version, req.resource)
      if (!r) throw notFoundPath()
      if (r.namespaced && !req.namespace && req.verb !== 'list' && req.verb !== 'watch') {
        throw badRequest('the server could not find the requested resource')
      }
      if (r.group === METRICS_GROUP && this.metrics) return handleMetrics(this.metrics, this.metricsReader(), r, req)
      if (r.group === '' && r.plural === 'componentstatuses') return this.asTable(r, req, handleComponentStatuses(r, req))
      if (req.subresource) return handleSubresource(this, r, req)
      switch (req.verb) {
        case 'get': return this.asTable(r, req, this.get(r, req))
        case 'list': return this.asTable(r, req, this.list(r, req))
        case 'watch': return this.watch(r, req)
        case 'create': return this.create(r, req)
        case 'update': return this.update(r, req)
        case 'patch': return this.patch(r, req)
        case 'delete': return this.delete(r, req)
        case 'deletecollection': return this.deleteCollection(r, req)
      }
    } catch (e) {
      return errorResponse(e)
    }
  }

  /** The token issuer (made on first use: a key is generated when none was given). */
  serviceAccountTokens(): ServiceAccountTokens {
    this.saTokens ??= new ServiceAccountTokens(this.serviceAccountKeyPem ?? newServiceAccountKeyPem(), this.random)
    return this.saTokens
  }

  /** Reads an object for token issue and verification. */
  readonly lookupForTokens: ObjectLookup = (resource, namespace, name) => {
    const kv = this.store.get(`/registry/core/${resource}/${namespace}/${name}`)
    return kv ? (JSON.parse(kv.value) as Obj) : undefined
  }

  /** The user of a service account token (authentication, TokenReview), or undefined. */
  authenticateServiceAccountToken(token: string, audiences?: string[]): (UserInfo & {audiences: string[]}) | undefined {
    return this.serviceAccountTokens().authenticate(token, this.clock.now(), this.lookupForTokens, audiences)
  }

  /** Pods and nodes as stored, for the metrics API. */
  private metricsReader(): MetricsReader {
    const read = (prefix: string) => this.store.list(prefix).items.map((kv) => JSON.parse(kv.value) as Obj)
    return {
      pods: (namespace) => read(`/registry/core/pods/${namespace ? `${namespace}/` : ''}`),
      nodes: () => read('/registry/core/nodes/'),
      now: () => this.clock.now(),
    }
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The apiserver's table conversion, for clients that ask for `as=Table` (kubectl get does). */
  private asTable(r: ServedResource, req: ApiRequest, res: ApiResponse): ApiResponse {
    if (req.as !== 'Table' || res.status >= 300) return res
    const body = (res.body instanceof RawList ? res.body.toObject() : res.body) as Obj
    const list = Array.isArray(body.items) ? (body.items as Obj[]) : [body]
    const listMeta = Array.isArray(body.items) ? (body.metadata as Obj) : {resourceVersion: meta(body).resourceVersion}
    const table = convertToTable(list, {
      now: this.clock.now(),
      kind: r.kind,
      group: r.group,
      listMeta: listMeta as never,
      includeObject: (req.query?.includeObject as 'None' | 'Object' | 'Metadata' | undefined) ?? 'Metadata',
      printerColumns: r.crd?.printerColumns as never,
    })
    return {...res, body: table}
  }

  decode(r: ServedResource, kv: KeyValue): Obj {
    const o = JSON.parse(kv.value) as Obj
    o.apiVersion = apiVersionOf(r.group, r.version)
    o.kind = r.kind
    meta(o).resourceVersion = String(kv.modRevision)
    return o
  }

  gr(r: ServedResource): GroupResource {
    return {group: r.group, resource: r.plural}
  }

  /** The current object or 404. */
  current(r: ServedResource, namespace: string | undefined, name: string): {kv: KeyValue; obj: Obj} {
    const kv = this.store.get(storageKey(r, namespace, name))
    if (!kv) throw notFound(this.gr(r), name)
    return {kv, obj: this.decode(r, kv)}
  }

  private get(r: ServedResource, req: ApiRequest): ApiResponse {
    return {status: 200, body: this.current(r, req.namespace, req.name!).obj}
  }

  private list(r: ServedResource, req: ApiRequest): ApiResponse {
    const q = req.query ?? {}
    const sel = selection(r, q, this.strategy, this.strategyContext())
    const prefix = r.namespaced && req.namespace ? `${r.storagePrefix}${req.namespace}/` : r.storagePrefix
    const limit = q.limit ? Number(q.limit) : 0
    let revision: number | undefined
    let after: string | undefined
    if (q.continue) {
      const token = decodeContinue(q.continue)
      revision = token.rv
      after = token.start
    } else if (q.resourceVersion && q.resourceVersion !== '0' && q.resourceVersionMatch === 'Exact') {
      revision = Number(q.resourceVersion)
    }
    const items: Obj[] = []
    // Without a selector, items whose stored text is already in the requested version are passed on
    // unparsed (stored objects carry their resourceVersion); others are decoded.
    const raw = sel.empty ? [] as string[] : undefined
    const storedPrefix = `{"apiVersion":${JSON.stringify(apiVersionOf(r.group, r.version))},"kind":${JSON.stringify(r.kind)},`
    let continueKey: string | undefined
    let readRevision = revision ?? this.store.currentRevision()
    let remaining = 0
    try {
      // Pages of the store are read until `limit` selected items are found (selectors filter within pages).
      for (;;) {
        const page = this.store.list(prefix, {revision, limit: limit > 0 ? Math.max(limit - items.length, 50) : undefined, continueAfter: after})
        readRevision = page.revision
        revision = page.revision
        for (let i = 0; i < page.items.length; i++) {
          const kv = page.items[i]
          if (raw && kv.value.startsWith(storedPrefix)) raw.push(kv.value)
          else {
            const o = this.decode(r, kv)
            if (!sel.matches(o)) continue
            if (raw) raw.push(JSON.stringify(o))
            else items.push(o)
          }
          const count = raw ? raw.length : items.length
          if (limit > 0 && count === limit) {
            const more = i < page.items.length - 1 || page.continueKey !== undefined
            if (more) {
              continueKey = page.items[i].key
              remaining = (page.items.length - 1 - i) + (page.remaining ?? 0)
            }
            break
          }
        }
        if (continueKey !== undefined || (limit > 0 && (raw ? raw.length : items.length) === limit) || page.continueKey === undefined) break
        after = page.continueKey
      }
    } catch (e) {
      if (e instanceof CompactedError) {
        throw gone(q.continue
          ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'
          : `too old resource version: ${e.requested} (${e.compacted})`)
      }
      throw e
    }
    const listMeta: Obj = {resourceVersion: String(readRevision)}
    if (continueKey !== undefined) {
      listMeta.continue = encodeContinue(readRevision, continueKey)
      if (sel.empty) listMeta.remainingItemCount = remaining
    }
    const head = {kind: `${r.kind}List`, apiVersion: apiVersionOf(r.group, r.version), metadata: listMeta}
    return {status: 200, body: raw ? new RawList(head, raw) : {...head, items}}
  }

  private watch(r: ServedResource, req: ApiRequest): ApiResponse {
    const q = req.query ?? {}
    const sel = selection(r, q, this.strategy, this.strategyContext())
    const prefix = r.namespaced && req.namespace ? `${r.storagePrefix}${req.namespace}/` : r.storagePrefix
    const rv = q.resourceVersion ?? ''
    const sendInitial = q.sendInitialEvents === 'true'
    let from: number
    let initial: Obj[] | undefined
    if (rv === '' || rv === '0' || sendInitial) {
      const listed = this.store.list(prefix)
      from = listed.revision
      initial = listed.items.map((kv) => this.decode(r, kv)).filter((o) => sel.matches(o))
      if (sendInitial && rv !== '' && rv !== '0') from = Math.max(from, Number(rv))
    } else {
      from = Number(rv)
      if (!Number.isFinite(from)) throw badRequest(`invalid resource version: ${rv}`)
    }
    const stream = createWatch({
      store: this.store,
      clock: this.clock,
      prefix,
      selection: sel,
      fromRevision: from,
      initial,
      initialEventsEnd: sendInitial && q.allowWatchBookmarks === 'true',
      bookmarks: q.allowWatchBookmarks === 'true',
      timeoutMs: q.timeoutSeconds ? Number(q.timeoutSeconds) * 1000 : undefined,
      kind: r.kind,
      apiVersion: apiVersionOf(r.group, r.version),
      decode: (kv) => this.decode(r, kv),
      compactedMessage: (requested, compacted) => `too old resource version: ${requested} (${compacted})`,
    })
    return {status: 200, body: stream}
  }

  // ---- writing -------------------------------------------------------------------------------

  writeOptions(req: ApiRequest): WriteOptions {
    const q = req.query ?? {}
    if (q.dryRun !== undefined && q.dryRun !== 'All' && q.dryRun !== '') throw badRequest(`Invalid dry run value: ${q.dryRun}`)
    const fv = q.fieldValidation ?? 'Warn'
    if (fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict') {
      throw badRequest(`fieldValidation ${JSON.stringify(fv)} is invalid: valid values are "Ignore", "Warn", or "Strict"`)
    }
    const manager = q.fieldManager || defaultManager(req.userAgent)
    if (manager.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`)
    const opts: WriteOptions = {dryRun: q.dryRun === 'All', fieldValidation: fv, manager, subresource: req.subresource}
    if (req.user) opts.user = req.user
    return opts
  }

  private create(r: ServedResource, req: ApiRequest): ApiResponse {
    if (!r.verbs.includes('create')) throw methodNotSupported(this.gr(r), 'create')
    const opts = this.writeOptions(req)
    const obj = this.decodeBody(r, req.body)
    return this.createObject(r, req.namespace, obj, opts, undefined)
  }

  /** The create path, also used by update/apply of an object that does not exist yet. */
  createObject(r: ServedResource, namespace: string | undefined, obj: Obj, opts: WriteOptions, managedFieldsDone = false): ApiResponse {
    const m = meta(obj)
    if (r.namespaced) {
      if (m.namespace && namespace && m.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      m.namespace = namespace ?? m.namespace
    } else {
      delete m.namespace
    }
    if (m.resourceVersion) {
      // kubectl never sends one; the apiserver refuses it on create.
      throw badRequest('resourceVersion should not be set on objects to be created')
    }
    const warnings: string[] = []
    const gr = this.gr(r)
    if (!m.name && m.generateName) m.name = `${m.generateName}${randomSuffix(this.random)}`
    if (opts.user && r.group === RBAC_GROUP) this.access.checkEscalation({user: opts.user, resource: r.plural, namespace, subresource: opts.subresource}, obj)
    dropEmptyMetadata(m)
    if (r.namespaced && m.namespace) checkNamespaceLifecycle(this.store, gr, String(m.name ?? ''), String(m.namespace))
    this.pruneUnknownFields(r, obj, opts, warnings)
    const now = this.clock.now()
    m.uid = uuid(this.random)
    m.creationTimestamp = rfc3339(now)
    const ctx = this.strategyContext(r, String(m.uid))
    this.strategy.applyDefaults(obj, ctx)
    const prepared = this.strategy.prepareForCreate(obj, ctx)
    if (prepared.length > 0) throw invalid(r.kind, r.group, String(m.name ?? ''), prepared)
    delete m.deletionTimestamp
    delete m.deletionGracePeriodSeconds
    if (r.kind === 'Pod' && !r.group && m.namespace) applyLimitRangeDefaults(this.store, obj, String(m.namespace))
    if (r.kind === 'Pod' && !r.group) applyDefaultTolerationSeconds(obj)
    if (r.kind === 'PersistentVolumeClaim' && !r.group) applyDefaultStorageClass(this.store, obj)
    if (r.kind === 'CustomResourceDefinition') this.establishCrd(obj, now)
    this.validateOrThrow(r, obj)
    let allocated = false
    if (r.kind === 'Service' && !r.group) {
      const problems = this.allocators.allocateFor(obj)
      if (problems.length > 0) throw invalid(r.kind, r.group, String(m.name), problems)
      allocated = true
    }
    try {
      if (m.namespace) {
        checkLimitRanges(this.store, gr, obj, String(m.namespace))
        checkQuota(this.store, gr, obj, String(m.namespace), r.group, r.plural)
      }
      const schema = this.patchSchema(r)
      const final = managedFieldsDone
        ? obj
        : (trackUpdate({old: undefined, updated: obj, manager: opts.manager, schema, apiVersion: apiVersionOf(r.group, r.version), now: rfc3339(now), subresource: opts.subresource}) as Obj)
      if (opts.dryRun) {
        if (allocated) this.allocators.release(obj)
        return {status: 201, body: final, warnings}
      }
      const key = storageKey(r, m.namespace as string | undefined, String(m.name))
      try {
        // encodeWithRevision sets final's resourceVersion: the response is the stored object itself.
        this.store.create(key, (rev) => encodeWithRevision(final, rev))
      } catch (e) {
        if (e instanceof KeyExistsError) throw alreadyExists(gr, String(m.name))
        throw e
      }
      this.afterWrite(r, final, undefined)
      return {status: 201, body: final, warnings}
    } catch (e) {
      if (allocated) this.allocators.release(obj)
      throw e
    }
  }

  private update(r: ServedResource, req: ApiRequest): ApiResponse {
    if (!r.verbs.includes('update')) throw methodNotSupported(this.gr(r), 'update')
    const opts = this.writeOptions(req)
    const next = this.decodeBody(r, req.body)
    const m = meta(next)
    if (m.name && m.name !== req.name) throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${req.name})`)
    m.name = req.name
    const key = storageKey(r, req.namespace, req.name!)
    const kv = this.store.get(key)
    if (!kv) {
      if (allowsCreateOnUpdate(r)) return this.createObject(r, req.namespace, next, opts)
      throw notFound(this.gr(r), req.name!)
    }
    return this.updateObject(r, req.namespace, this.decode(r, kv), next, opts)
  }

  /**
   * The update path (update, patch, status writes): optimistic concurrency against the object's
   * resourceVersion, strategies, validation, managed fields, no-op detection, finalizers.
   */
  updateObject(r: ServedResource, namespace: string | undefined, old: Obj, next: Obj, opts: WriteOptions, managedFieldsDone = false): ApiResponse {
    const gr = this.gr(r)
    const om = meta(old)
    const nm = meta(next)
    const name = String(om.name)
    if (opts.user && r.group === RBAC_GROUP) this.access.checkEscalation({user: opts.user, resource: r.plural, namespace, subresource: opts.subresource}, next)
    dropEmptyMetadata(nm)
    if (nm.resourceVersion && nm.resourceVersion !== om.resourceVersion) throw conflict(gr, name, OBJECT_MODIFIED)
    if (r.namespaced) {
      if (nm.namespace && nm.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      nm.namespace = namespace
    }
    const warnings: string[] = []
    const ctx = this.strategyContext(r, String(om.uid))
    const nowDate = this.clock.now()
    this.pruneUnknownFields(r, next, opts, warnings)
    // System fields clients cannot change.
    nm.uid = om.uid
    nm.creationTimestamp = om.creationTimestamp
    if (om.deletionTimestamp) nm.deletionTimestamp = om.deletionTimestamp
    else delete nm.deletionTimestamp
    if (om.deletionGracePeriodSeconds !== undefined) nm.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds
    if (om.generation !== undefined) nm.generation = om.generation
    else delete nm.generation
    nm.resourceVersion = om.resourceVersion
    this.strategy.applyDefaults(next, ctx)
    const status = opts.subresource === 'status'
    const prepared: Problem[] = []
    if (status) this.strategy.prepareForStatusUpdate(next, old, ctx)
    else prepared.push(...this.strategy.prepareForUpdate(next, old, ctx))
    if (r.kind === 'CustomResourceDefinition') this.establishCrd(next, nowDate)
    if (r.kind === 'Service' && !r.group) {
      // clusterIP and node ports are kept from the old object unless changed (validateUpdate rejects IP changes).
      const ospec = (old.spec ?? {}) as Obj, nspec = (next.spec ??= {}) as Obj
      if (nspec.clusterIP === undefined && ospec.clusterIP !== undefined) nspec.clusterIP = ospec.clusterIP
      if (nspec.clusterIPs === undefined && ospec.clusterIPs !== undefined) nspec.clusterIPs = ospec.clusterIPs
    }
    const updateRules = status ? this.strategy.validateStatusUpdate(next, old, ctx) : this.strategy.validateUpdate(next, old, ctx)
    const problems = [...prepared, ...this.validationProblems(r, next), ...updateRules]
    if (problems.some((p) => p.severity === 'error')) throw invalid(r.kind, r.group, name, problems.filter((p) => p.severity === 'error'))
    const schema = this.patchSchema(r)
    const now = rfc3339(nowDate)
    const tracked = managedFieldsDone
      ? next
      : (trackUpdate({old, updated: next, manager: opts.manager, schema, apiVersion: apiVersionOf(r.group, r.version), now, subresource: opts.subresource}) as Obj)
    // Nothing changed: no write, the resourceVersion stays (as the apiserver does).
    if (jsonEqual(withoutVolatile(tracked), withoutVolatile(old))) return {status: 200, body: old, warnings}
    const tm = meta(tracked)
    const finalizing = tm.deletionTimestamp && (tm.finalizers ?? []).length === 0 && !(r.kind === 'Namespace' && !r.group && ((tracked.spec as Obj | undefined)?.finalizers as unknown[] | undefined)?.length)
    if (opts.dryRun) return {status: 200, body: tracked, warnings}
    const key = storageKey(r, namespace, name)
    try {
      if (finalizing) {
        const kv = this.store.delete(key, Number(om.resourceVersion))
        this.afterDelete(r, tracked)
        return {status: 200, body: this.decode(r, kv), warnings}
      }
      this.store.update(key, (rev) => encodeWithRevision(tracked, rev), Number(om.resourceVersion))
      this.afterWrite(r, tracked, old)
      return {status: 200, body: tracked, warnings}
    } catch (e) {
      if (e instanceof ConflictError) throw conflict(gr, name, OBJECT_MODIFIED)
      if (e instanceof KeyNotFoundError) throw notFound(gr, name)
      throw e
    }
  }

  /**
   * A write the apiserver makes on its own behalf with no strategy or validation in between (what
   * the binding handler's GuaranteedUpdate does): guarded by the old object's resourceVersion.
   */
  writeDirect(r: ServedResource, namespace: string | undefined, old: Obj, next: Obj): Obj {
    const name = String(meta(old).name)
    try {
      const kv = this.store.update(storageKey(r, namespace, name), (rev) => encodeWithRevision(next, rev), Number(meta(old).resourceVersion))
      this.afterWrite(r, next, old)
      return this.decode(r, kv)
    } catch (e) {
      if (e instanceof ConflictError) throw conflict(this.gr(r), name, OBJECT_MODIFIED)
      throw e
    }
  }

  private patch(r: ServedResource, req: ApiRequest): ApiResponse {
    if (!r.verbs.includes('patch')) throw methodNotSupported(this.gr(r), 'patch')
    const opts = this.writeOptions(req)
    const type = req.patchType ?? 'merge'
    const key = storageKey(r, req.namespace, req.name!)
    const kv = this.store.get(key)
    if (type === 'apply') {
      if (!req.query?.fieldManager) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')
      const config = this.decodeBody(r, req.body)
      const cm = meta(config)
      if (cm.name && cm.name !== req.name) throw badRequest(`the name of the object (${cm.name}) does not match the name on the URL (${req.name})`)
      cm.name = req.name
      const force = req.query?.force === 'true'
      const old = kv ? this.decode(r, kv) : undefined
      // As the apiserver does: merge the applied configuration into the live object (this also decides
      // field ownership and conflicts), then default and validate the result like any write.
      const merged = serverSideApply({
        live: old, config, manager: opts.manager, force, schema: this.patchSchema(r),
        apiVersion: apiVersionOf(r.group, r.version), now: rfc3339(this.clock.now()), subresource: opts.subresource,
      }) as Obj
      if (!old) return this.createObject(r, req.namespace, merged, opts, true)
      return this.updateObject(r, req.namespace, old, merged, opts, true)
    }
    if (!kv) throw notFound(this.gr(r), req.name!)
    const old = this.decode(r, kv)
    const next = this.applyPatch(r, old, req.body, type)
    return this.updateObject(r, req.namespace, old, next, opts)
  }

  /** JSON, merge or strategic merge patch of an object (not server-side apply). */
  applyPatch(r: ServedResource, old: Obj, body: unknown, type: PatchType): Obj {
    if (type === 'strategic' && r.crd) {
      throw unsupportedMediaType('application/strategic-merge-patch+json', ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'])
    }
    let next: unknown
    try {
      if (type === 'json') next = applyJsonPatch(old, body)
      else if (type === 'merge') next = jsonMergePatch(clone(old), body)
      else next = strategicMergePatch(old, asObject(body, 'patch'), this.patchSchema(r))
    } catch (e) {
      if (e instanceof ApiError) throw e
      if (e instanceof JsonPatchError) throw e.malformed ? badRequest(e.message) : invalidPatch(e.message)
      throw badRequest((e as Error).message)
    }
    if (!isObject(next)) throw badRequest('the patch produced something that is not an object')
    return next
  }

  private delete(r: ServedResource, req: ApiRequest): ApiResponse {
    if (!r.verbs.includes('delete')) throw methodNotSupported(this.gr(r), 'delete')
    const {obj} = this.current(r, req.namespace, req.name!)
    return this.deleteObject(r, req.namespace, obj, deleteOptions(req))
  }

  /** Deletion with preconditions, propagation finalizers, graceful deletion and finalizers. */
  deleteObject(r: ServedResource, namespace: string | undefined, obj: Obj, o: DeleteOptions): ApiResponse {
    const gr = this.gr(r)
    const m = meta(obj)
    const name = String(m.name)
    if (o.preconditions?.uid && o.preconditions.uid !== m.uid) {
      throw preconditionFailed(`Precondition failed: UID in precondition: ${o.preconditions.uid}, UID in object meta: ${m.uid}`)
    }
    if (o.preconditions?.resourceVersion && o.preconditions.resourceVersion !== m.resourceVersion) {
      throw preconditionFailed(`Precondition failed: ResourceVersion in precondition: ${o.preconditions.resourceVersion}, ResourceVersion in meta: ${m.resourceVersion}`)
    }
    const key = storageKey(r, namespace, name)
    const now = this.clock.now()
    const next = clone(obj)
    const nm = meta(next)
    const finalizers = new Set(nm.finalizers ?? [])
    const policy = o.propagationPolicy ?? (o.orphanDependents === true ? 'Orphan' : undefined)
    if (policy === 'Orphan') finalizers.add('orphan')
    if (policy === 'Foreground') finalizers.add('foregroundDeletion')
    // Namespaces go through their own finalizer (spec.finalizers) and the Terminating phase.
    if (r.kind === 'Namespace' && !r.group) {
      if (!nm.deletionTimestamp) {
        nm.deletionTimestamp = rfc3339(now)
        nm.deletionGracePeriodSeconds = 0
        ;((next.status ??= {}) as Obj).phase = 'Terminating'
      }
      if (finalizers.size > 0) nm.finalizers = [...finalizers]
      return this.storeDeletionState(r, key, next, obj, o.dryRun)
    }
    const grace = this.gracePeriod(r, obj, o)
    if (grace > 0 && !nm.deletionTimestamp) {
      nm.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000))
      nm.deletionGracePeriodSeconds = grace
      if (finalizers.size > 0) nm.finalizers = [...finalizers]
      return this.storeDeletionState(r, key, next, obj, o.dryRun)
    }
    if (grace > 0 && nm.deletionTimestamp) {
      // Already terminating: a shorter grace period moves the deadline closer.
      const left = (Date.parse(nm.deletionTimestamp) - now.getTime()) / 1000
      if (grace < left) {
        nm.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000))
        nm.deletionGracePeriodSeconds = grace
        return this.storeDeletionState(r, key, next, obj, o.dryRun)
      }
      return {status: 200, body: obj}
    }
    if (finalizers.size > 0) {
      let changed = false
      if (!nm.deletionTimestamp || (nm.deletionGracePeriodSeconds ?? 0) > 0) {
        // Not terminating yet, or terminating gracefully: an immediate deletion moves the deadline to now.
        nm.deletionTimestamp = rfc3339(now)
        nm.deletionGracePeriodSeconds = 0
        changed = true
      }
      const before = m.finalizers ?? []
      if (before.length !== finalizers.size || before.some((f) => !finalizers.has(f))) changed = true
      // Deleting what is already being deleted, with nothing new to record, writes nothing (as the
      // real registry answers a repeated DELETE of an object held by its finalizers).
      if (!changed) return {status: 200, body: obj}
      nm.finalizers = [...finalizers]
      return this.storeDeletionState(r, key, next, obj, o.dryRun)
    }
    if (o.dryRun) return {status: 200, body: RETURNS_DELETED_OBJECT.has(r.plural) ? obj : successStatus({name, group: r.group || undefined, kind: r.plural, uid: m.uid})}
    try {
      const kv = this.store.delete(key, Number(m.resourceVersion))
      this.afterDelete(r, obj)
      const deleted = this.decode(r, kv)
      return {status: 200, body: RETURNS_DELETED_OBJECT.has(r.plural) ? deleted : successStatus({name, group: r.group || undefined, kind: r.plural, uid: m.uid})}
    } catch (e) {
      if (e instanceof ConflictError) throw conflict(gr, name, OBJECT_MODIFIED)
      if (e instanceof KeyNotFoundError) throw notFound(gr, name)
      throw e
    }
  }

  private storeDeletionState(r: ServedResource, key: string, next: Obj, old: Obj, dryRun: boolean): ApiResponse {
    if (dryRun) return {status: 200, body: next}
    try {
      const kv = this.store.update(key, (rev) => encodeWithRevision(next, rev), Number(meta(old).resourceVersion))
      this.afterWrite(r, next, old)
      return {status: 200, body: this.decode(r, kv)}
    } catch (e) {
      if (e instanceof ConflictError) throw conflict(this.gr(r), String(meta(old).name), OBJECT_MODIFIED)
      throw e
    }
  }

  /** Pods are deleted gracefully once bound to a node (their kubelet finishes the job); everything else at once. */
  private gracePeriod(r: ServedResource, obj: Obj, o: DeleteOptions): number {
    if (r.kind !== 'Pod' || r.group) return 0
    const spec = (obj.spec ?? {}) as Obj
    if (!spec.nodeName) return 0
    const phase = (obj.status as Obj | undefined)?.phase
    if (phase === 'Succeeded' || phase === 'Failed') return 0
    if (o.gracePeriodSeconds !== undefined) return Math.max(0, o.gracePeriodSeconds)
    return typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30
  }

  private deleteCollection(r: ServedResource, req: ApiRequest): ApiResponse {
    if (!r.verbs.includes('deletecollection')) throw methodNotSupported(this.gr(r), 'deletecollection')
    const listed = materialize(this.list(r, {...req, verb: 'list', query: {...req.query, limit: undefined, continue: undefined}})).body as {items: Obj[]}
    const options = deleteOptions(req)
    const deleted: Obj[] = []
    for (const o of listed.items) {
      try {
        const res = this.deleteObject(r, (meta(o).namespace as string | undefined) ?? req.namespace, o, options)
        deleted.push(isObject(res.body) && (res.body as Obj).kind !== 'Status' ? (res.body as Obj) : o)
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e
      }
    }
    return {status: 200, body: {kind: `${r.kind}List`, apiVersion: apiVersionOf(r.group, r.version), metadata: {}, items: deleted}}
  }

  // ---- pieces --------------------------------------------------------------------------------

  strategyContext(r?: ServedResource, uid?: string): StrategyContext {
    const ctx: StrategyContext = {kubernetesVersion: this.kubernetesVersion, now: () => this.clock.now()}
    if (uid) ctx.uid = uid
    if (r?.crd) ctx.statusSubresource = r.crd.hasStatus
    return ctx
  }

  decodeBody(r: ServedResource, body: unknown): Obj {
    if (!isObject(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body ?? null)}'`)
    const o = clone(body)
    const apiVersion = apiVersionOf(r.group, r.version)
    if (o.apiVersion !== undefined && o.apiVersion !== apiVersion) {
      throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersion})`)
    }
    if (o.kind !== undefined && o.kind !== r.kind) {
      throw badRequest(`the kind in the data (${String(o.kind)}) does not match the expected kind (${r.kind})`)
    }
    o.apiVersion = apiVersion
    o.kind = r.kind
    meta(o)
    return o
  }

  /** Unknown fields: refused with fieldValidation=Strict, otherwise dropped (with warnings for Warn). */
  private pruneUnknownFields(r: ServedResource, obj: Obj, opts: WriteOptions, warnings: string[]): void {
    const result = this.strictValidator.validate(obj)
    const unknown = result.problems.filter((p) => p.type === 'Unknown field')
    // The strict pass found everything else too: validation later need not run the schema again.
    this.schemaVerdicts.set(obj, unknown.length === 0 ? result.problems : undefined)
    if (unknown.length === 0) return
    const paths = unknown.map((p) => p.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, ''))
    if (opts.fieldValidation === 'Strict') {
      throw badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: strict decoding error: ${paths.map((p) => `unknown field "${p}"`).join(', ')}`)
    }
    for (const p of unknown) deletePath(obj, p.path)
    if (opts.fieldValidation === 'Warn') for (const p of paths) warnings.push(`unknown field "${p}"`)
  }

  private validationProblems(r: ServedResource, obj: Obj): Problem[] {
    const schema = {problems: this.schemaVerdicts.get(obj) ?? this.validator.validate(obj).problems}
    this.schemaVerdicts.delete(obj)
    const typeProblems = schema.problems.some((p) => p.type === 'Invalid value' && /must be of type/.test(p.detail ?? ''))
    const semantic = typeProblems ? [] : checkObject(obj, {kubernetesVersion: this.kubernetesVersion, namespaced: r.namespaced})
    return [...schema.problems, ...semantic]
  }

  private validateOrThrow(r: ServedResource, obj: Obj): void {
    const problems = this.validationProblems(r, obj).filter((p) => p.severity === 'error')
    if (problems.length > 0) throw invalid(r.kind, r.group, String(meta(obj).name ?? ''), problems)
  }

  patchSchema(r: ServedResource): PatchSchema {
    if (r.crd) return PatchSchema.schemaless()
    const key = `${r.group}/${r.version}/${r.kind}`
    let schema = this.patchSchemas.get(key)
    if (!schema) {
      schema = PatchSchema.forKind(this.patchMeta(this.kubernetesVersion), apiVersionOf(r.group, r.version), r.kind)
      this.patchSchemas.set(key, schema)
    }
    return schema
  }

  /** Side effects of a stored create/update: CRDs served, quota usage kept current. */
  private afterWrite(r: ServedResource, obj: Obj, old: Obj | undefined): void {
    if (r.kind === 'CustomResourceDefinition' && r.group === 'apiextensions.k8s.io') this.registerCrd(obj)
    if (!old || (old.status as Obj | undefined)?.phase !== (obj.status as Obj | undefined)?.phase) this.refreshQuotas(r, obj)
  }

  private afterDelete(r: ServedResource, obj: Obj): void {
    if (r.kind === 'Service' && !r.group) this.allocators.release(obj)
    if (r.kind === 'CustomResourceDefinition' && r.group === 'apiextensions.k8s.io') {
      const name = String(meta(obj).name)
      const crdResources = this.catalog.all().filter((x) => x.crd?.name === name)
      this.catalog.removeCustomResourceDefinition(name)
      // The custom resources go with their definition.
      const prefix = crdResources[0]?.storagePrefix
      if (prefix) for (const kv of this.store.list(prefix).items) this.store.delete(kv.key)
    }
    this.refreshQuotas(r, obj)
  }

  private registerCrd(crd: Obj): void {
    this.catalog.applyCustomResourceDefinition(crd, true)
    this.validator.addCustomResourceDefinition(crd)
    this.strictValidator.addCustomResourceDefinition(crd)
  }

  /** What the CRD establishing controller writes: accepted names, Established and NamesAccepted. */
  private establishCrd(crd: Obj, now: Date): void {
    const spec = (crd.spec ?? {}) as Obj
    const status = (crd.status ??= {}) as Obj
    const time = rfc3339(now)
    status.acceptedNames = clone(spec.names ?? {})
    // A condition keeps its lastTransitionTime while its status stays the same.
    const previous = new Map(((status.conditions ?? []) as Obj[]).map((c) => [String(c.type), c]))
    const condition = (type: string, reason: string, message: string): Obj => {
      const old = previous.get(type)
      return {type, status: 'True', lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : time, reason, message}
    }
    status.conditions = [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ]
    const stored = ((spec.versions ?? []) as Obj[]).filter((v) => v.storage === true).map((v) => String(v.name))
    status.storedVersions = [...new Set([...((status.storedVersions ?? []) as string[]), ...stored])]
  }

  /** ResourceQuota status.used of the object's namespace, recomputed when usage may have changed. */
  private refreshQuotas(r: ServedResource, obj: Obj): void {
    const ns = meta(obj).namespace as string | undefined
    if (!ns) return
    const quotaPrefix = `/registry/core/resourcequotas/${ns}/`
    for (const kv of this.store.list(quotaPrefix).items) {
      const quota = JSON.parse(kv.value) as Obj
      const status = quotaStatus(this.store, quota, ns)
      if (jsonEqual(status, quota.status)) continue
      quota.status = status
      this.store.update(kv.key, (rev) => encodeWithRevision(quota, rev), kv.modRevision)
    }
    void r
  }

  /** The namespace controller's work, run by the control plane: empties Terminating namespaces, then removes them. */
  finalizeNamespaces(): boolean {
    let changed = false
    for (const kv of this.store.list('/registry/core/namespaces/').items) {
      const ns = JSON.parse(kv.value) as Obj
      if (!meta(ns).deletionTimestamp) continue
      const name = String(meta(ns).name)
      let remaining = 0
      for (const r of this.catalog.all()) {
        if (!r.namespaced || !r.verbs.includes('delete')) continue
        if (this.catalog.forKind(r.group, r.version, r.kind) !== r) continue
        for (const item of this.store.list(`${r.storagePrefix}${name}/`).items) {
          const o = this.decode(r, item)
          remaining++
          if (meta(o).deletionTimestamp) continue
          this.deleteObject(r, name, o, {dryRun: false, gracePeriodSeconds: undefined})
          changed = true
        }
      }
      if (remaining > 0) continue
      const spec = (ns.spec ?? {}) as Obj
      if (((spec.finalizers ?? []) as string[]).length > 0) {
        spec.finalizers = []
        this.store.update(kv.key, (rev) => encodeWithRevision(ns, rev), kv.modRevision)
      }
      if ((meta(ns).finalizers ?? []).length === 0) {
        this.store.delete(kv.key)
        changed = true
      }
    }
    return changed
  }
}

export interface DeleteOptions {
  dryRun: boolean
  gracePeriodSeconds?: number
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  orphanDependents?: boolean
  preconditions?: {uid?: string; resourceVersion?: string}
}

function deleteOptions(req: ApiRequest): DeleteOptions {
  const body = isObject(req.body) ? req.body : {}
  const q = req.query ?? {}
  const dryRun = q.dryRun === 'All' || (Array.isArray(body.dryRun) && body.dryRun.includes('All'))
  const grace = body.gracePeriodSeconds ?? (q.gracePeriodSeconds !== undefined ? Number(q.gracePeriodSeconds) : undefined)
  const policy = (body.propagationPolicy ?? q.propagationPolicy) as DeleteOptions['propagationPolicy'] | undefined
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`)
  }
  const o: DeleteOptions = {dryRun, gracePeriodSeconds: typeof grace === 'number' ? grace : undefined}
  if (policy) o.propagationPolicy = policy
  if (typeof body.orphanDependents === 'boolean') o.orphanDependents = body.orphanDependents
  if (isObject(body.preconditions)) o.preconditions = body.preconditions as DeleteOptions['preconditions']
  return o
}

/** Kinds the apiserver creates on PUT when absent (AllowCreateOnUpdate). */
function allowsCreateOnUpdate(r: ServedResource): boolean {
  return !r.group && ['endpoints', 'events', 'nodes', 'services', 'replicationcontrollers'].includes(r.plural)
    || (r.group === 'coordination.k8s.io' && r.plural === 'leases')
    || (r.group === 'discovery.k8s.io' && r.plural === 'endpointslices')
}

export function encodeWithRevision(o: Obj, rev: number): string {
  ;(meta(o) as Meta).resourceVersion = String(rev)
  // apiVersion and kind first, so lists can recognise stored texts of the requested version unparsed.
  const keys = Object.keys(o)
  return JSON.stringify(o.apiVersion !== undefined && (keys[0] !== 'apiVersion' || keys[1] !== 'kind') ? {apiVersion: o.apiVersion, kind: o.kind, ...o} : o)
}

/** managedFields times and the resourceVersion change on every write; they do not make a write a change. */
function withoutVolatile(o: Obj): Obj {
  const c = {...o, metadata: {...meta(o)}}
  const m = c.metadata as Meta
  delete m.resourceVersion
  if (Array.isArray(m.managedFields)) m.managedFields = m.managedFields.map((f) => ({...(f as Obj), time: undefined}))
  return c
}

function deletePath(o: Obj, path: Array<string | number>): void {
  let cur: unknown = o
  for (let i = 0; i < path.length - 1; i++) {
    cur = Array.isArray(cur) ? cur[Number(path[i])] : isObject(cur) ? cur[String(path[i])] : undefined
    if (cur === undefined) return
  }
  if (isObject(cur)) delete cur[String(path[path.length - 1])]
}

function asObject(v: unknown, what: string): Obj {
  if (!isObject(v)) throw badRequest(`the ${what} is not a JSON object`)
  return v
}

function invalidPatch(message: string): ApiError {
  return new ApiError({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422})
}

function defaultManager(userAgent: string | undefined): string {
  if (!userAgent) return 'kube2'
  return userAgent.split('/')[0] || 'kube2'
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({v: 'meta.k8s.io/v1', rv, start})).toString('base64')
}

function decodeContinue(token: string): {rv: number; start: string} {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {v?: string; rv?: number; start?: string}
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token')
    return {rv: t.rv, start: t.start}
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)')
  }
}

export function errorResponse(e: unknown): ApiResponse {
  if (e instanceof ApiError) return {status: e.code, body: e.status}
  if (e instanceof ApplyConflictError) {
    return {status: 409, body: {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: 'Conflict', details: {causes: e.conflicts.map((c) => ({reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.field}))}, code: 409}}
  }
  const err = internalError((e as Error)?.message ?? String(e))
  if (process.env.KUBE2_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`)
  return {status: 500, body: err.status}
}

export {problem, forbidden}

/**
 * ObjectMeta's maps and lists are `omitempty`: an apiserver that decodes into Go structs never stores
 * `labels: {}` (what removing the last label by a patch leaves), so neither do we.
 */
function dropEmptyMetadata(m: Obj): void {
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields']) {
    const v = m[k]
    if (v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) delete m[k]
  }
}
