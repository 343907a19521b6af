// Service checks from the apiserver's core validation: type, ports, names, target ports, node ports,
// ExternalName and session affinity.
import {isDNS1123Label, isDNS1123Subdomain, isValidLabelValue, isQualifiedName, isValidPortName, isValidPortNum} from '../../api/names.js'
import {arr, Checker, num, obj, str, type Obj} from './checker.js'

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']

export function checkService(c: Checker, o: Obj): void {
  const spec = obj(o.spec)
  if (!spec) return c.required(['spec'])
  const type = str(spec.type) ?? 'ClusterIP'
  c.oneOf(['spec'], 'type', spec.type, TYPES)
  c.oneOf(['spec'], 'sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None'])
  c.oneOf(['spec'], 'externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local'])
  c.oneOf(['spec'], 'internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local'])
  const headless = spec.clusterIP === 'None'
  const ports = arr(spec.ports)
  if (type === 'ExternalName') {
    const name = str(spec.externalName)
    if (!name) c.required(['spec', 'externalName'])
    else c.messages(['spec', 'externalName'], name, isDNS1123Subdomain(name.replace(/\.$/, '')))
  } else if (ports.length === 0 && !headless) {
    c.required(['spec', 'ports'])
  }
  const names = new Set<string>()
  ports.forEach((p, i) => {
    const port = obj(p)
    if (!port) return
    const name = str(port.name)
    if (ports.length > 1 && !name) c.required(['spec', 'ports', i, 'name'])
    if (name) {
      c.messages(['spec', 'ports', i, 'name'], name, isDNS1123Label(name))
      if (names.has(name)) c.duplicate(['spec', 'ports', i, 'name'], name)
      names.add(name)
    }
    const n = num(port.port)
    if (n === undefined) c.required(['spec', 'ports', i, 'port'])
    else c.messages(['spec', 'ports', i, 'port'], n, isValidPortNum(n))
    c.oneOf(['spec', 'ports', i], 'protocol', port.protocol, PROTOCOLS)
    const target = port.targetPort
    if (typeof target === 'number') c.messages(['spec', 'ports', i, 'targetPort'], target, isValidPortNum(target))
    else if (typeof target === 'string') c.messages(['spec', 'ports', i, 'targetPort'], target, isValidPortName(target))
    const nodePort = num(port.nodePort)
    if (nodePort !== undefined && nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') c.forbidden(['spec', 'ports', i, 'nodePort'], `may not be used when \`type\` is '${type}'`)
      else c.messages(['spec', 'ports', i, 'nodePort'], nodePort, isValidPortNum(nodePort))
    }
  })
  const selector = obj(spec.selector)
  if (selector) {
    for (const [k, v] of Object.entries(selector)) {
      c.messages(['spec', 'selector'], k, isQualifiedName(k))
      if (typeof v === 'string') c.messages(['spec', 'selector'], v, isValidLabelValue(v))
    }
  }
}
