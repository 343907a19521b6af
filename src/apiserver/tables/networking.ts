// Table printers for networking.k8s.io (Ingress, IngressClass, NetworkPolicy, ServiceCIDR,
// IPAddress) and discovery.k8s.io (EndpointSlice), after pkg/printers/internalversion/printers.go.
import {
  age,
  ageColumn,
  arr,
  column,
  formatLabelSelector,
  int,
  listWithMoreString,
  loadBalancerStatusString,
  nameColumn,
  nameOf,
  obj,
  objs,
  spec,
  status,
  str,
} from './helpers.js'
import type {KindPrinter, Obj} from './types.js'

/** formatHosts: the first three rule hosts, `*` when no rule names a host. */
function formatHosts(rules: Obj[]): string {
  const list: string[] = []
  const max = 3
  let more = false
  for (const rule of rules) {
    if (list.length === max) more = true
    const host = str(rule['host'])
    if (!more && host !== '') list.push(host)
  }
  if (list.length === 0) return '*'
  const joined = list.join(',')
  return more ? `${joined} + ${rules.length - max} more...` : joined
}

const ingressPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const className = typeof sp['ingressClassName'] === 'string' ? sp['ingressClassName'] : '<none>'
    const ports = arr(sp['tls']).length !== 0 ? '80, 443' : '80'
    return {
      cells: [nameOf(o), className, formatHosts(objs(sp['rules'])), loadBalancerStatusString(status(o)['loadBalancer']), ports, age(o, ctx.now)],
    }
  },
}

const ingressClassPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    let parameters = '<none>'
    if (sp['parameters'] !== undefined && sp['parameters'] !== null) {
      const p = obj(sp['parameters'])
      parameters = str(p['kind'])
      if (typeof p['apiGroup'] === 'string') parameters += '.' + p['apiGroup']
      parameters += '/' + str(p['name'])
    }
    return {cells: [nameOf(o), str(sp['controller']), parameters, age(o, ctx.now)]}
  },
}

const networkPolicyPrinter: KindPrinter = {
  columns: [nameColumn(), column('Pod-Selector', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), formatLabelSelector(spec(o)['podSelector'] ?? {}), age(o, ctx.now)]}),
}

const serviceCIDRPrinter: KindPrinter = {
  columns: [nameColumn(), column('CIDRs', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), arr(spec(o)['cidrs']).map(str).join(','), age(o, ctx.now)]}),
}

const ipAddressPrinter: KindPrinter = {
  // Upstream declares no AGE column but still emits the age cell; kubectl ignores the extra cell.
  columns: [nameColumn(), column('ParentRef', 'string')],
  row(o, ctx) {
    const ref = spec(o)['parentRef']
    let parent = '<none>'
    if (ref !== undefined && ref !== null) {
      const r = obj(ref)
      const group = str(r['group'])
      const resource = str(r['resource'])
      parent = (group === '' ? resource : `${resource}.${group}`).toLowerCase()
      if (str(r['namespace']) !== '') parent += '/' + str(r['namespace'])
      parent += '/' + str(r['name'])
    }
    return {cells: [nameOf(o), parent, age(o, ctx.now)]}
  },
}

/** formatDiscoveryPorts: port numbers (or names, or `*`), three at most. */
function formatDiscoveryPorts(ports: Obj[]): string {
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const port of ports) {
    if (list.length < max) {
      let portNum = '*'
      if (port['port'] !== undefined && port['port'] !== null) portNum = String(int(port['port']))
      else if (typeof port['name'] === 'string') portNum = port['name']
      list.push(portNum)
    } else if (list.length === max) {
      more = true
    }
    count++
  }
  return listWithMoreString(list, more, count, max)
}

function formatDiscoveryEndpoints(endpoints: Obj[]): string {
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const endpoint of endpoints) {
    for (const address of arr(endpoint['addresses'])) {
      if (list.length < max) list.push(str(address))
      else if (list.length === max) more = true
      count++
    }
  }
  return listWithMoreString(list, more, count, max)
}

const endpointSlicePrinter: KindPrinter = {
  columns: [nameColumn(), column('AddressType', 'string'), column('Ports', 'string'), column('Endpoints', 'string'), ageColumn()],
  row: (o, ctx) => ({
    cells: [nameOf(o), str(o['addressType']), formatDiscoveryPorts(objs(o['ports'])), formatDiscoveryEndpoints(objs(o['endpoints'])), age(o, ctx.now)],
  }),
}

export const NETWORKING_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Ingress: ingressPrinter,
  IngressClass: ingressClassPrinter,
  NetworkPolicy: networkPolicyPrinter,
  ServiceCIDR: serviceCIDRPrinter,
  IPAddress: ipAddressPrinter,
}

export const DISCOVERY_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  EndpointSlice: endpointSlicePrinter,
}
