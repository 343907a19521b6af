// The networking.k8s.io and discovery.k8s.io strategies: Ingress, IngressClass, NetworkPolicy and
// EndpointSlice.
import type {Problem} from '../../schema/problems.js'
import type {KindStrategy, StrategyTable} from './kinds.js'
import {arr, child, immutable, obj, objs, semanticEqual, setDefault, setIfNil, type Obj} from './util.js'

const ingress: KindStrategy = {
  namespaced: true,
  initialStatus: () => ({loadBalancer: {}}),
  generation: true,
  statusSubresource: true,
}

const ingressClass: KindStrategy = {
  namespaced: false,
  defaults: (o) => {
    const parameters = obj(obj(o.spec)?.parameters)
    if (parameters) setIfNil(parameters, 'scope', 'Cluster')
  },
  generation: true,
}

const networkPolicy: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    const s = child(o, 'spec')
    for (const rule of [...objs(s.ingress), ...objs(s.egress)]) for (const p of objs(rule.ports)) setIfNil(p, 'protocol', 'TCP')
    // A policy without policyTypes is an Ingress policy, and an Egress one too if it has egress rules.
    if (arr(s.policyTypes).length === 0) s.policyTypes = arr(s.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress']
  },
  generation: true,
}

const endpointSlice: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    for (const p of objs(o.ports)) {
      setIfNil(p, 'name', '')
      setDefault(p, 'protocol', 'TCP')
    }
  },
  generation: true,
  // Everything outside metadata is desired state, and labels tie the slice to its Service.
  specChanged: (n, o) => {
    const rest = (x: Obj) => Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'metadata' && k !== 'apiVersion' && k !== 'kind'))
    return !semanticEqual(rest(n), rest(o)) || !semanticEqual(obj(n.metadata)?.labels, obj(o.metadata)?.labels)
  },
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    immutable(out, ['addressType'], n.addressType, o.addressType)
    return out
  },
}

export const NETWORKING: StrategyTable = {
  'networking.k8s.io/Ingress': ingress,
  'networking.k8s.io/IngressClass': ingressClass,
  'networking.k8s.io/NetworkPolicy': networkPolicy,
  'discovery.k8s.io/EndpointSlice': endpointSlice,
}
