// Authorization as kube-apiserver does it with --authorization-mode=RBAC: every request that carries a
// user (the HTTP server sets it; the in-process cluster and the controllers send none and are trusted)
// is authorized before anything else, with the apiserver's Forbidden texts. Also here: the access
// review APIs (SelfSubjectAccessReview, LocalSubjectAccessReview, SubjectAccessReview,
// SelfSubjectRulesReview, SelfSubjectReview, TokenReview), which are answered and never stored, and the
// RBAC escalation check (nobody creates a role or binding that grants more than they hold).
import {ApiError, failure, forbidden, invalid} from '../errors.js'
import {problem, type Problem} from '../../schema/problems.js'
import type {Store} from '../../store/types.js'
import type {ApiRequest, ApiResponse, Obj, UserInfo} from '../types.js'
import {RBAC_GROUP, RbacAuthorizer, SYSTEM_MASTERS, type Decision} from './authorizer.js'
import {compactRule, uncovered, type PolicyRule, type RequestAttributes} from './rules.js'

/** The review resources: created, answered, never stored. */
const REVIEWS: Record<string, string> = {
  'authorization.k8s.io/selfsubjectaccessreviews': 'SelfSubjectAccessReview',
  'authorization.k8s.io/localsubjectaccessreviews': 'LocalSubjectAccessReview',
  'authorization.k8s.io/subjectaccessreviews': 'SubjectAccessReview',
  'authorization.k8s.io/selfsubjectrulesreviews': 'SelfSubjectRulesReview',
  'authentication.k8s.io/selfsubjectreviews': 'SelfSubjectReview',
  'authentication.k8s.io/tokenreviews': 'TokenReview',
}

export function isReviewResource(group: string, resource: string): boolean {
  return `${group}/${resource}` in REVIEWS
}

/** Who the bearer of a token is (TokenReview); undefined when the token is not valid. */
export type TokenAuthenticator = (token: string) => UserInfo | undefined

export class AccessControl {
  readonly rbac: RbacAuthorizer
  /** The users of the emulator's own bearer tokens (set by the HTTP server). */
  tokenAuthenticator?: TokenAuthenticator
  /** Service account tokens (set by the ApiServer): their user and the audiences they matched. */
  serviceAccountAuthenticator?: (token: string, audiences?: string[]) => (UserInfo & {audiences: string[]}) | undefined

  constructor(store: Store) {
    this.rbac = new RbacAuthorizer(store)
  }

  /** The authorizer chain: system:masters may do anything, then RBAC. */
  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (user.groups.includes(SYSTEM_MASTERS)) return {allowed: true, reason: ''}
    return this.rbac.authorize(user, a)
  }

  /** Throws kube-apiserver's Forbidden when the request's user may not do it. */
  checkRequest(req: ApiRequest): void {
    if (!req.user) return
    const a = requestAttributes(req)
    const d = this.authorize(req.user, a)
    if (!d.allowed) throw forbiddenFor(req.user, a, d.reason)
  }

  /** For a path that is not a resource (discovery, /version, health, OpenAPI): the error, if denied. */
  checkNonResource(user: UserInfo, verb: string, path: string): ApiError | undefined {
    const a: RequestAttributes = {verb, resourceRequest: false, path}
    const d = this.authorize(user, a)
    return d.allowed ? undefined : forbiddenFor(user, a, d.reason)
  }

  /**
   * RBAC's escalation check on a write of a Role, ClusterRole, RoleBinding or ClusterRoleBinding by a
   * user: the rules granted must be rules the user holds (in the namespace, or cluster-wide), unless
   * the user may `escalate` (roles) or `bind` (bindings) them.
   */
  checkEscalation(req: {user: UserInfo; resource: string; namespace?: string; subresource?: string}, obj: Obj): void {
    const user = req.user
    if (req.subresource || user.groups.includes(SYSTEM_MASTERS)) return
    const name = String((obj.metadata as Obj | undefined)?.name ?? '')
    const namespace = req.namespace ?? ''
    let granted: PolicyRule[]
    if (req.resource === 'roles' || req.resource === 'clusterroles') {
      if (this.authorize(user, {verb: 'escalate', resourceRequest: true, apiGroup: RBAC_GROUP, resource: req.resource, name, namespace}).allowed) return
      // An aggregated ClusterRole's rules are the controller's business, not the writer's grant.
      granted = obj.aggregationRule ? [] : ((obj.rules ?? []) as PolicyRule[])
    } else if (req.resource === 'rolebindings' || req.resource === 'clusterrolebindings') {
      const ref = (obj.roleRef ?? {}) as {kind?: string; name?: string}
      const roleResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles'
      if (this.authorize(user, {verb: 'bind', resourceRequest: true, apiGroup: RBAC_GROUP, resource: roleResource, name: ref.name ?? '', namespace}).allowed) return
      granted = this.roleRules(ref.kind ?? '', ref.name ?? '', namespace)
    } else {
      return
    }
    const held = this.rbac.rulesFor(user, namespace)
    const missing = uncovered([...held.resourceRules, ...held.nonResourceRules], granted)
    if (missing.length === 0) return
    const groups = user.groups.map((g) => JSON.stringify(g)).join(' ')
    let why = `user "${user.name}" (groups=[${groups}]) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactRule).join('\n')}`
    if (held.errors.length > 0) why += `; resolution errors: [${held.errors.join(' ')}]`
    throw forbidden({group: RBAC_GROUP, resource: req.resource}, name, why)
  }

  private roleRules(kind: string, name: string, namespace: string): PolicyRule[] {
    return this.rbac.roleRules(kind, name, namespace) ?? []
  }

  /** Answers a review create (status filled in from the authorizer); undefined for other requests. */
  handleReview(req: ApiRequest): ApiResponse | undefined {
    const kind = REVIEWS[`${req.group}/${req.resource}`]
    if (!kind) return undefined
    if (req.verb !== 'create') {
      throw failure(405, 'MethodNotAllowed', `${req.verb} is not supported on resources of kind "${req.resource}.${req.group}"`, {group: req.group, kind: req.resource})
    }
    const body = (req.body ?? {}) as Obj
    const user = req.user ?? {name: 'system:admin', groups: [SYSTEM_MASTERS, 'system:authenticated']}
    const spec = (body.spec ?? {}) as Obj
    const out: Obj = {kind, apiVersion: `${req.group}/${req.version}`, metadata: {...((body.metadata ?? {}) as Obj), creationTimestamp: null}}
    if (kind !== 'SelfSubjectReview') out.spec = spec
    switch (kind) {
      case 'SelfSubjectAccessReview':
        validateAttributes(kind, spec, [])
        out.status = this.review(user, spec)
        break
      case 'LocalSubjectAccessReview': {
        const problems: Problem[] = []
        const ra = spec.resourceAttributes as Obj | undefined
        if (ra && (ra.namespace ?? '') !== (req.namespace ?? '')) problems.push(problem(['spec', 'resourceAttributes', 'namespace'], 'Invalid value', 'must match metadata.namespace', ra.namespace ?? ''))
        if (spec.nonResourceAttributes) problems.push(problem(['spec', 'nonResourceAttributes'], 'Invalid value', 'disallowed on this kind of request', spec.nonResourceAttributes))
        validateSubject(spec, problems)
        validateAttributes(kind, spec, problems)
        out.status = this.review(subjectOf(spec), spec)
        break
      }
      case 'SubjectAccessReview': {
        const problems: Problem[] = []
        validateSubject(spec, problems)
        validateAttributes(kind, spec, problems)
        out.status = this.review(subjectOf(spec), spec)
        break
      }
      case 'SelfSubjectRulesReview': {
        const namespace = String(spec.namespace ?? '')
        if (!namespace) throw invalid(kind, req.group, '', [problem(['spec', 'namespace'], 'Required value', 'namespace is required')])
        out.status = this.rulesReview(user, namespace)
        break
      }
      case 'SelfSubjectReview':
        out.status = {userInfo: userInfoOf(user)}
        break
      case 'TokenReview': {
        const token = String(spec.token ?? '')
        const wanted = (spec.audiences as string[] | undefined)?.length ? (spec.audiences as string[]) : undefined
        const user = token && this.tokenAuthenticator && !wanted ? this.tokenAuthenticator(token) : undefined
        const sa = token && !user ? this.serviceAccountAuthenticator?.(token, wanted) : undefined
        if (user) out.status = {authenticated: true, user: userInfoOf(user)}
        else if (sa) out.status = {authenticated: true, user: userInfoOf(sa), audiences: sa.audiences}
        else out.status = {user: {}, error: '[invalid bearer token, token lookup failed]'}
        break
      }
    }
    return {status: 201, body: out}
  }

  private review(user: UserInfo, spec: Obj): Obj {
    const ra = spec.resourceAttributes as Obj | undefined
    const nra = spec.nonResourceAttributes as Obj | undefined
    const a: RequestAttributes = ra
      ? {
        verb: String(ra.verb ?? ''), resourceRequest: true, apiGroup: String(ra.group ?? ''), resource: String(ra.resource ?? ''),
        subresource: String(ra.subresource ?? ''), name: String(ra.name ?? ''), namespace: String(ra.namespace ?? ''),
      }
      : {verb: String(nra?.verb ?? ''), resourceRequest: false, path: String(nra?.path ?? '')}
    const d = this.authorize(user, a)
    const status: Obj = {allowed: d.allowed}
    if (d.reason) status.reason = d.reason
    return status
  }

  private rulesReview(user: UserInfo, namespace: string): Obj {
    if (user.groups.includes(SYSTEM_MASTERS)) {
      // What the privileged group may do, stated as rules (RBAC's own answer adds cluster-admin's).
      const r = this.rbac.rulesFor(user, namespace)
      return rulesStatus([{verbs: ['*'], apiGroups: ['*'], resources: ['*']}, ...r.resourceRules], [{verbs: ['*'], nonResourceURLs: ['*']}, ...r.nonResourceRules], r.errors)
    }
    const r = this.rbac.rulesFor(user, namespace)
    return rulesStatus(r.resourceRules, r.nonResourceRules, r.errors)
  }
}

function rulesStatus(resourceRules: PolicyRule[], nonResourceRules: PolicyRule[], errors: string[]): Obj {
  const status: Obj = {
    resourceRules: resourceRules.map((r) => ({verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? {resourceNames: r.resourceNames} : {})})),
    nonResourceRules: nonResourceRules.map((r) => ({verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? []})),
    incomplete: errors.length > 0,
  }
  if (errors.length > 0) status.evaluationError = errors.join(', ')
  return status
}

function userInfoOf(user: UserInfo): Obj {
  const info: Obj = {username: user.name, groups: user.groups}
  if (user.uid) info.uid = user.uid
  if (user.extra && Object.keys(user.extra).length > 0) info.extra = user.extra
  return info
}

function subjectOf(spec: Obj): UserInfo {
  const u: UserInfo = {name: String(spec.user ?? ''), groups: ((spec.groups ?? []) as string[]).map(String)}
  if (spec.uid) u.uid = String(spec.uid)
  if (spec.extra) u.extra = spec.extra as Record<string, string[]>
  return u
}

function validateSubject(spec: Obj, problems: Problem[]): void {
  if (!spec.user && !((spec.groups ?? []) as unknown[]).length) problems.push(problem(['spec', 'user'], 'Invalid value', 'at least one of user or group must be specified', spec.user ?? ''))
}

function validateAttributes(kind: string, spec: Obj, problems: Problem[]): void {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    problems.push(problem(['spec', 'nonResourceAttributes'], 'Invalid value', 'cannot be specified in combination with resourceAttributes', spec.nonResourceAttributes))
  } else if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    problems.push(problem(['spec', 'resourceAttributes'], 'Invalid value', 'exactly one of nonResourceAttributes or resourceAttributes must be specified', null))
  }
  if (problems.length > 0) throw invalid(kind, 'authorization.k8s.io', '', problems)
}

/** The attributes kube-apiserver's request-info resolver gives a request. */
export function requestAttributes(req: ApiRequest): RequestAttributes {
  const a: RequestAttributes = {verb: req.verb, resourceRequest: true, apiGroup: req.group, resource: req.resource}
  if (req.subresource) a.subresource = req.subresource
  if (req.name) a.name = req.name
  if (req.namespace) a.namespace = req.namespace
  return a
}

/** `pods "x" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenFor(user: UserInfo, a: RequestAttributes, reason: string): ApiError {
  const suffix = reason ? `: ${reason}` : ''
  if (!a.resourceRequest) {
    return failure(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"${suffix}`)
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope'
  const why = `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" ${scope}${suffix}`
  return forbidden({group: a.apiGroup ?? '', resource: a.resource ?? ''}, a.name ?? '', why)
}
