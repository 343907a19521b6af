// The Service strategy: SetDefaults_Service, ClusterIP/ClusterIPs normalization, the IP family
// fields the Service storage fills in, what a type change drops, and the update rules.
import type {Problem} from '../../schema/problems.js'
import type {KindStrategy} from './kinds.js'
import {arr, atLeast, child, clone, forbidden, invalid, num, obj, objs, semanticEqual, setDefault, setIfNil, str, type Obj, type StrategyContext} from './util.js'

const spec = (o: Obj): Obj => obj(o.spec) ?? {}
const status = (o: Obj): Obj => obj(o.status) ?? {}

type Family = 'IPv4' | 'IPv6'

const externallyAccessible = (s: Obj) =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && arr(s.externalIPs).length > 0)
const needsClusterIP = (s: Obj) => s.type === 'ClusterIP' || s.type === 'NodePort' || s.type === 'LoadBalancer'
const needsNodePort = (s: Obj) =>
  s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false)
const needsHealthCheckNodePort = (s: Obj) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local'
const isHeadless = (s: Obj) => arr(s.clusterIPs).length === 1 && arr(s.clusterIPs)[0] === 'None'

function defaultService(o: Obj, ctx: StrategyContext): void {
  const s = child(o, 'spec')
  setDefault(s, 'sessionAffinity', 'None')
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig
  if (s.sessionAffinity === 'ClientIP' && num(obj(obj(s.sessionAffinityConfig)?.clientIP)?.timeoutSeconds) === undefined) {
    s.sessionAffinityConfig = {clientIP: {timeoutSeconds: 10800}}
  }
  setDefault(s, 'type', 'ClusterIP')
  for (const p of objs(s.ports)) {
    setDefault(p, 'protocol', 'TCP')
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port
  }
  if (externallyAccessible(s)) setDefault(s, 'externalTrafficPolicy', 'Cluster')
  if (s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) {
    if (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP') s.internalTrafficPolicy = 'Cluster'
  }
  if (s.type === 'LoadBalancer') {
    setIfNil(s, 'allocateLoadBalancerNodePorts', true)
    // LoadBalancerIPMode: beta and on since 1.30.
    if (atLeast(ctx, 30)) {
      for (const ing of objs(obj(status(o).loadBalancer)?.ingress)) if (str(ing.ip) && ing.ipMode === undefined) ing.ipMode = 'VIP'
    }
  }
}

/** svcreg.NormalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that send one. */
function normalizeClusterIPs(n: Obj, old: Obj | undefined): void {
  const s = child(n, 'spec')
  const ip = str(s.clusterIP) ?? ''
  const ips = arr(s.clusterIPs)
  if (!old) {
    if (ip && ips.length === 0) s.clusterIPs = [ip]
    return
  }
  const os = spec(old)
  const oldIP = str(os.clusterIP) ?? ''
  const sameIPs = semanticEqual(os.clusterIPs, s.clusterIPs)
  if (arr(os.clusterIPs).length > 0 && ips.length === 0 && oldIP === ip) s.clusterIPs = clone(os.clusterIPs)
  if (oldIP !== ip) {
    if (oldIP && !ip && sameIPs) delete s.clusterIPs
    if (ip && sameIPs) s.clusterIPs = [ip]
  }
}

/**
 * The IP family fields the Service storage fills in on create (ipFamilyPolicy, ipFamilies) for the
 * cluster's families, with the errors it returns for families the cluster does not serve.
 */
export function initServiceIPFamilies(svc: Obj, clusterFamilies: readonly Family[] = ['IPv4']): Problem[] {
  const s = child(svc, 'spec')
  if (s.type === 'ExternalName') return []
  const primary = clusterFamilies[0] ?? 'IPv4'
  const dualStack = clusterFamilies.length > 1
  const other = (f: unknown): Family => (f === 'IPv4' ? 'IPv6' : 'IPv4')
  const ips = arr(s.clusterIPs).map(String)
  const errors: Problem[] = []
  if (s.ipFamilyPolicy === 'SingleStack') {
    if (ips.length === 2) errors.push(invalid(['spec', 'ipFamilyPolicy'], s.ipFamilyPolicy, "must be RequireDualStack or PreferDualStack when multiple 'clusterIPs' are specified"))
    if (arr(s.ipFamilies).length === 2) errors.push(invalid(['spec', 'ipFamilyPolicy'], s.ipFamilyPolicy, "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified"))
  }
  if (errors.length > 0) return errors
  const families = arr(s.ipFamilies).map(String)
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break
    if (i < families.length) continue
    const family: Family = ips[i].includes(':') ? 'IPv6' : 'IPv4'
    if (!clusterFamilies.includes(family)) {
      return [invalid(['spec', 'clusterIPs', i], ips, `may not use ${family} on a cluster which is not configured for it`)]
    }
    families.push(family)
  }
  if (families.length > 0) s.ipFamilies = families
  // A headless Service without a selector may point anywhere, so it asks for both families.
  if (ips[0] === 'None' && Object.keys(obj(s.selector) ?? {}).length === 0) {
    setIfNil(s, 'ipFamilyPolicy', 'RequireDualStack')
    if (families.length === 0) families.push(primary)
    if (families.length < 2 && (s.ipFamilyPolicy === 'RequireDualStack' || (s.ipFamilyPolicy === 'PreferDualStack' && dualStack))) {
      families.push(other(families[0]))
    }
    s.ipFamilies = families
    return []
  }
  if (s.ipFamilyPolicy === 'RequireDualStack' && !dualStack) {
    errors.push(invalid(['spec', 'ipFamilyPolicy'], s.ipFamilyPolicy, 'Cluster is not configured for dual stack services'))
  }
  families.forEach((f, i) => {
    if (!clusterFamilies.includes(f as Family)) errors.push(invalid(['spec', 'ipFamilies', i], ips, `ipfamily ${f} is not configured on cluster`))
  })
  if (errors.length > 0) return errors
  setIfNil(s, 'ipFamilyPolicy', 'SingleStack')
  if (families.length === 0) families.push(primary)
  if (s.ipFamilyPolicy !== 'SingleStack' && families.length === 1 && dualStack) families.push(other(families[0]))
  s.ipFamilies = families
  return []
}

/** What an update keeps from the stored Service when the request leaves it out (patchAllocatedValues). */
function carryAllocatedValues(n: Obj, old: Obj): void {
  const s = child(n, 'spec')
  const os = spec(old)
  if (needsClusterIP(os) && needsClusterIP(s)) {
    if (!str(s.clusterIP) && os.clusterIP !== undefined) s.clusterIP = os.clusterIP
    if (arr(s.clusterIPs).length === 0 && arr(os.clusterIPs).length > 0) s.clusterIPs = clone(os.clusterIPs)
  }
  if (needsNodePort(os) && needsNodePort(s)) {
    const key = (p: Obj) => `${String(p.port)}/${String(p.protocol ?? 'TCP')}`
    const oldPorts = new Map(objs(os.ports).filter((p) => num(p.nodePort)).map((p) => [key(p), p.nodePort]))
    const used = new Set(objs(s.ports).map((p) => p.nodePort).filter((x) => num(x)))
    for (const p of objs(s.ports)) {
      const carried = oldPorts.get(key(p))
      if (!num(p.nodePort) && carried !== undefined && !used.has(carried)) p.nodePort = carried
    }
  }
  if (needsHealthCheckNodePort(os) && needsHealthCheckNodePort(s) && !num(s.healthCheckNodePort) && os.healthCheckNodePort !== undefined) {
    s.healthCheckNodePort = os.healthCheckNodePort
  }
  // A request without the family fields keeps the stored ones (the storage re-infers the same values).
  if (s.type !== 'ExternalName' && os.type !== 'ExternalName' && isHeadless(s) === isHeadless(os)) {
    if (s.ipFamilyPolicy === undefined && os.ipFamilyPolicy !== undefined) s.ipFamilyPolicy = os.ipFamilyPolicy
    if (arr(s.ipFamilies).length === 0 && arr(os.ipFamilies).length > 0) s.ipFamilies = clone(os.ipFamilies)
  }
}

/** dropTypeDependentFields: a type change wipes what the old type allocated, unless the user changed it. */
function dropTypeDependentFields(n: Obj, old: Obj): void {
  const s = child(n, 'spec')
  const os = spec(old)
  if (needsClusterIP(os) && !needsClusterIP(s)) {
    if (semanticEqual(os.clusterIPs, s.clusterIPs) && (os.clusterIP ?? '') === (s.clusterIP ?? '')) {
      delete s.clusterIP
      delete s.clusterIPs
    }
    if (semanticEqual(os.ipFamilies, s.ipFamilies)) delete s.ipFamilies
    if (os.ipFamilyPolicy === s.ipFamilyPolicy) delete s.ipFamilyPolicy
  }
  if (needsNodePort(os) && !needsNodePort(s)) {
    const oldPorts = objs(os.ports).map((p) => num(p.nodePort) ?? 0)
    const newPorts = objs(s.ports).map((p) => num(p.nodePort) ?? 0)
    if (semanticEqual(oldPorts, newPorts)) for (const p of objs(s.ports)) delete p.nodePort
  }
  if (needsHealthCheckNodePort(os) && !needsHealthCheckNodePort(s) && os.healthCheckNodePort === s.healthCheckNodePort) delete s.healthCheckNodePort
  if (os.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (typeof s.allocateLoadBalancerNodePorts === 'boolean' && s.allocateLoadBalancerNodePorts === os.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts
    if (os.loadBalancerClass === s.loadBalancerClass) delete s.loadBalancerClass
  }
  if (externallyAccessible(os) && !externallyAccessible(s) && os.externalTrafficPolicy === s.externalTrafficPolicy) delete s.externalTrafficPolicy
  if (s.type !== 'LoadBalancer') child(n, 'status').loadBalancer = {}
}

function validateServiceUpdate(n: Obj, o: Obj): Problem[] {
  const out: Problem[] = []
  const s = spec(n)
  const os = spec(o)
  if (s.type !== 'ExternalName' && os.type !== 'ExternalName' && !(isHeadless(s) && isHeadless(os))) {
    const ips = arr(s.clusterIPs)
    const oldIPs = arr(os.clusterIPs)
    const path = ['spec', 'clusterIPs', 0]
    if (oldIPs.length === ips.length) {
      oldIPs.forEach((ip, i) => {
        if (ip !== ips[i]) out.push(invalid(['spec', 'clusterIPs', i], ips, 'may not change once set'))
      })
    } else if (oldIPs.length > ips.length) {
      if (ips.length === 0) out.push(invalid(path, ips, 'primary clusterIP can not be unset'))
      if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) out.push(invalid(path, ips, 'may not change once set'))
      if (ips.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
        out.push(invalid(['spec', 'ipFamilyPolicy'], s.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary clusterIP"))
      }
    } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
      out.push(invalid(path, ips, 'may not change once set'))
    }
  }
  if (s.type !== 'ExternalName' && os.type !== 'ExternalName' && isHeadless(s) === isHeadless(os) && !isHeadless(s)) {
    const fams = arr(s.ipFamilies)
    const oldFams = arr(os.ipFamilies)
    const path = ['spec', 'ipFamilies', 0]
    if (oldFams.length === fams.length) {
      // Upstream reports every changed family at index 0.
      oldFams.forEach((f, i) => {
        if (f !== fams[i]) out.push(invalid(path, fams, 'may not change once set'))
      })
    } else if (oldFams.length > fams.length) {
      if (arr(s.clusterIPs).length === 0) out.push(invalid(path, fams, 'primary ipFamily can not be unset'))
      if (fams.length > 0 && fams[0] !== oldFams[0]) out.push(invalid(path, arr(s.clusterIPs), 'may not change once set'))
      if (fams.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
        out.push(invalid(['spec', 'ipFamilyPolicy'], s.ipFamilyPolicy, "must be set to 'SingleStack' when releasing the secondary ipFamily"))
      }
    } else if (oldFams.length > 0 && fams.length > 0 && fams[0] !== oldFams[0]) {
      out.push(invalid(path, arr(s.clusterIPs), 'may not change once set'))
    }
  }
  if (os.type === 'LoadBalancer' && s.type === 'LoadBalancer' && (os.loadBalancerClass ?? null) !== (s.loadBalancerClass ?? null)) {
    out.push(invalid(['spec', 'loadBalancerClass'], s.loadBalancerClass, 'may not change once set'))
  }
  if (needsHealthCheckNodePort(os) && needsHealthCheckNodePort(s) && (s.healthCheckNodePort ?? 0) !== (os.healthCheckNodePort ?? 0)) {
    out.push(forbidden(['spec', 'healthCheckNodePort'], 'field is immutable'))
  }
  return out
}

export const service: KindStrategy = {
  namespaced: true,
  defaults: defaultService,
  initialStatus: () => ({loadBalancer: {}}),
  statusSubresource: true,
  prepareForCreate: (o, ctx) => {
    normalizeClusterIPs(o, undefined)
    return initServiceIPFamilies(o, ctx.serviceIPFamilies)
  },
  prepareForUpdate: (n, o, ctx) => {
    normalizeClusterIPs(n, o)
    carryAllocatedValues(n, o)
    dropTypeDependentFields(n, o)
    // Leaving ExternalName (or a Service stored without families) starts the families afresh.
    if (arr(spec(n).ipFamilies).length === 0) return initServiceIPFamilies(n, ctx.serviceIPFamilies)
    return []
  },
  validateUpdate: (n, o) => validateServiceUpdate(n, o),
  fields: (o, ctx): Record<string, string> =>
    atLeast(ctx, 31) ? {'spec.clusterIP': str(spec(o).clusterIP) ?? '', 'spec.type': str(spec(o).type) ?? ''} : {},
  // Services select on spec.clusterIP and spec.type since 1.31; before, only on metadata.
  fieldLabels: (ctx) =>
    atLeast(ctx, 31)
      ? {labels: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type']}
      : {labels: ['metadata.name', 'metadata.namespace'], genericMessage: true},
}
