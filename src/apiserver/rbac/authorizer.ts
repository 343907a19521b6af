// The RBAC authorizer (kube-apiserver --authorization-mode=RBAC): a request is allowed when a
// ClusterRoleBinding, or a RoleBinding of the request's namespace, binds a subject the user matches to
// a role with a rule that allows it. Bindings and roles are read from the store and cached until an
// RBAC object changes (a store watch on the group's prefix marks the cache stale).
import type {Store, Watcher} from '../../store/types.js'
import type {UserInfo} from '../types.js'
import {ruleAllows, type PolicyRule, type RequestAttributes} from './rules.js'

export const RBAC_GROUP = 'rbac.authorization.k8s.io'
const PREFIX = `/registry/${RBAC_GROUP}/`
/** The group whose members may do everything (kube-apiserver short-circuits it before RBAC). */
export const SYSTEM_MASTERS = 'system:masters'

interface Subject {
  kind: string
  name: string
  namespace?: string
}
interface Binding {
  name: string
  namespace?: string
  roleRef: {kind: string; name: string}
  subjects: Subject[]
}
interface Policy {
  clusterRoles: Map<string, PolicyRule[]>
  roles: Map<string, PolicyRule[]>
  clusterRoleBindings: Binding[]
  roleBindings: Map<string, Binding[]>
}

export interface Decision {
  allowed: boolean
  /** kube-apiserver's reason: "RBAC: allowed by ..." or "" when nothing allows it. */
  reason: string
}

export interface UserRules {
  resourceRules: PolicyRule[]
  nonResourceRules: PolicyRule[]
  /** Bindings whose role is missing: the rules may be incomplete. */
  errors: string[]
}

export class RbacAuthorizer {
  private policy?: Policy
  private watcher?: Watcher

  constructor(private readonly store: Store) {}

  private current(): Policy {
    if (!this.watcher) this.watcher = this.store.watch(PREFIX, {fromRevision: 0, onEvent: () => (this.policy = undefined)})
    this.policy ??= this.load()
    return this.policy
  }

  private load(): Policy {
    const read = (plural: string) => this.store.list(`${PREFIX}${plural}/`).items.map((kv) => JSON.parse(kv.value) as Record<string, unknown>)
    const rulesOf = (o: Record<string, unknown>) => ((o.rules ?? []) as PolicyRule[]).filter((r) => r && Array.isArray(r.verbs))
    const meta = (o: Record<string, unknown>) => (o.metadata ?? {}) as {name?: string; namespace?: string}
    const binding = (o: Record<string, unknown>): Binding => ({
      name: meta(o).name ?? '',
      ...(meta(o).namespace ? {namespace: meta(o).namespace} : {}),
      roleRef: (o.roleRef ?? {kind: '', name: ''}) as Binding['roleRef'],
      subjects: ((o.subjects ?? []) as Subject[]).filter(Boolean),
    })
    const policy: Policy = {clusterRoles: new Map(), roles: new Map(), clusterRoleBindings: [], roleBindings: new Map()}
    for (const o of read('clusterroles')) policy.clusterRoles.set(meta(o).name ?? '', rulesOf(o))
    for (const o of read('roles')) policy.roles.set(`${meta(o).namespace}/${meta(o).name}`, rulesOf(o))
    for (const o of read('clusterrolebindings')) policy.clusterRoleBindings.push(binding(o))
    for (const o of read('rolebindings')) {
      const ns = meta(o).namespace ?? ''
      if (!policy.roleBindings.has(ns)) policy.roleBindings.set(ns, [])
      policy.roleBindings.get(ns)!.push(binding(o))
    }
    return policy
  }

  /** Stops watching the store. */
  close(): void {
    this.watcher?.stop()
    this.watcher = undefined
  }

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    const policy = this.current()
    let reason = ''
    const visit = (b: Binding, subject: Subject, rules: PolicyRule[]): boolean => {
      if (!rules.some((r) => ruleAllows(a, r))) return false
      reason = `RBAC: allowed by ${describeBinding(b, subject)}`
      return true
    }
    if (this.visitRules(policy, user, a.resourceRequest ? a.namespace ?? '' : '', visit)) return {allowed: true, reason}
    return {allowed: false, reason: ''}
  }

  /** A role's rules (kind Role: in the namespace); undefined when there is no such role. */
  roleRules(kind: string, name: string, namespace: string): PolicyRule[] | undefined {
    const policy = this.current()
    return kind === 'ClusterRole' ? policy.clusterRoles.get(name) : kind === 'Role' ? policy.roles.get(`${namespace}/${name}`) : undefined
  }

  /** Every rule that applies to the user in a namespace ('' = cluster-wide bindings only). */
  rulesFor(user: UserInfo, namespace: string): UserRules {
    const policy = this.current()
    const out: UserRules = {resourceRules: [], nonResourceRules: [], errors: []}
    this.visitRules(policy, user, namespace, (_b, _s, rules) => {
      for (const r of rules) {
        if (r.nonResourceURLs?.length) out.nonResourceRules.push(r)
        else out.resourceRules.push(r)
      }
      return false
    }, out.errors)
    return out
  }

  /** Calls `visit` with each binding that applies to the user and its role's rules, until it answers true. */
  private visitRules(policy: Policy, user: UserInfo, namespace: string, visit: (b: Binding, s: Subject, rules: PolicyRule[]) => boolean, errors?: string[]): boolean {
    for (const b of policy.clusterRoleBindings) {
      const subject = b.subjects.find((s) => appliesTo(s, user, ''))
      if (!subject) continue
      const rules = b.roleRef.kind === 'ClusterRole' ? policy.clusterRoles.get(b.roleRef.name) : undefined
      if (!rules) {
        errors?.push(`clusterrole.rbac.authorization.k8s.io "${b.roleRef.name}" not found`)
        continue
      }
      if (visit(b, subject, rules)) return true
    }
    if (!namespace) return false
    for (const b of policy.roleBindings.get(namespace) ?? []) {
      const subject = b.subjects.find((s) => appliesTo(s, user, namespace))
      if (!subject) continue
      const rules = b.roleRef.kind === 'ClusterRole' ? policy.clusterRoles.get(b.roleRef.name) : policy.roles.get(`${namespace}/${b.roleRef.name}`)
      if (!rules) {
        errors?.push(`${b.roleRef.kind === 'ClusterRole' ? 'clusterrole' : 'role'}.rbac.authorization.k8s.io "${b.roleRef.name}" not found`)
        continue
      }
      if (visit(b, subject, rules)) return true
    }
    return false
  }
}

function appliesTo(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User': return s.name === user.name
    case 'Group': return user.groups.includes(s.name)
    case 'ServiceAccount': return user.name === `system:serviceaccount:${s.namespace || bindingNamespace}:${s.name}`
    default: return false
  }
}

function describeBinding(b: Binding, s: Subject): string {
  const subject = s.kind === 'ServiceAccount' ? `${s.kind} "${s.name}/${s.namespace || b.namespace || ''}"` : `${s.kind} "${s.name}"`
  const which = b.namespace ? `RoleBinding "${b.name}/${b.namespace}"` : `ClusterRoleBinding "${b.name}"`
  return `${which} of ${b.roleRef.kind} "${b.roleRef.name}" to ${subject}`
}
