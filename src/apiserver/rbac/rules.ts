// RBAC's PolicyRule semantics: which requests a rule allows ('*' wildcards, "resource/subresource",
// "*/subresource", resourceNames, nonResourceURLs with a trailing '*'), and whether one set of rules
// covers another (the escalation check: nobody grants what they do not hold).

export interface PolicyRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

/** What is asked: a resource request (group/resource/subresource/name/namespace) or a path. */
export interface RequestAttributes {
  verb: string
  resourceRequest: boolean
  apiGroup?: string
  resource?: string
  subresource?: string
  name?: string
  namespace?: string
  path?: string
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb)
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === '*' || g === group)
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true
    // "*/scale" matches the scale subresource of every resource.
    if (subresource && r === `*/${subresource}`) return true
  }
  return false
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? []
  return names.length === 0 || names.includes(name)
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true
  }
  return false
}

/** Whether `rule` allows the request. */
export function ruleAllows(a: RequestAttributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, a.verb)) return false
  if (a.resourceRequest) {
    return apiGroupMatches(rule, a.apiGroup ?? '') && resourceMatches(rule, a.resource ?? '', a.subresource ?? '') && resourceNameMatches(rule, a.name ?? '')
  }
  return nonResourceURLMatches(rule, a.path ?? '')
}

/**
 * Splits rules into single-verb, single-group, single-resource (single-name) rules, as the escalation
 * check compares them.
 */
export function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = []
  for (const verb of rule.verbs) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? []
        if (names.length === 0) out.push({verbs: [verb], apiGroups: [group], resources: [resource]})
        else for (const n of names) out.push({verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [n]})
      }
    }
    for (const url of rule.nonResourceURLs ?? []) out.push({verbs: [verb], nonResourceURLs: [url]})
  }
  return out
}

function has(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((x) => x === '*' || x === value)
}

/** Whether `owner` (one rule) grants everything `sub` (a broken-down rule) grants. */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  if (!owner.verbs.includes('*') && !owner.verbs.includes(sub.verbs[0]!)) return false
  if (sub.nonResourceURLs?.length) {
    const url = sub.nonResourceURLs[0]!
    return (owner.nonResourceURLs ?? []).some((o) => o === '*' || o === url || (o.endsWith('*') && url.startsWith(o.slice(0, -1))))
  }
  if (!has(owner.apiGroups, sub.apiGroups![0]!)) return false
  const res = sub.resources![0]!
  const slash = res.indexOf('/')
  const resourceOk = (owner.resources ?? []).some((o) => {
    if (o === '*' || o === res) return true
    // "pods/*" covers every subresource of pods; "*/status" every resource's status.
    if (o.endsWith('/*') && slash > 0 && res.slice(0, slash) === o.slice(0, -2)) return true
    if (o.startsWith('*/') && slash > 0 && res.slice(slash + 1) === o.slice(2)) return true
    return false
  })
  if (!resourceOk) return false
  const ownerNames = owner.resourceNames ?? []
  if (ownerNames.length === 0) return true
  const subNames = sub.resourceNames ?? []
  return subNames.length === 1 && ownerNames.includes(subNames[0]!)
}

/** The parts of `requested` that `owned` does not cover (empty: covered). */
export function uncovered(owned: PolicyRule[], requested: PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = []
  for (const r of requested) {
    for (const sub of breakdown(r)) {
      if (!owned.some((o) => ruleCovers(o, sub))) missing.push(sub)
    }
  }
  return missing
}

/** A rule as Kubernetes prints it in escalation errors: {APIGroups:[""], Resources:["pods"], Verbs:["get"]}. */
export function compactRule(rule: PolicyRule): string {
  const q = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`
  const parts: string[] = []
  if (rule.apiGroups?.length) parts.push(`APIGroups:${q(rule.apiGroups)}`)
  if (rule.resources?.length) parts.push(`Resources:${q(rule.resources)}`)
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${q(rule.resourceNames)}`)
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(rule.nonResourceURLs)}`)
  parts.push(`Verbs:${q(rule.verbs)}`)
  return `{${parts.join(', ')}}`
}
