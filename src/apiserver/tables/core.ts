// Table printers for the core ("") group, after pkg/printers/internalversion/printers.go: pods (with
// the STATUS/RESTARTS derivation kubectl users know), services, nodes, volumes, events and the rest.
import {translateTimestampSince} from '../../print/age.js'
import {
  CONTAINERS_DESCRIPTION,
  IMAGES_DESCRIPTION,
  age,
  ageColumn,
  arr,
  bool,
  column,
  formatLabels,
  int,
  isDeleting,
  joinHostPort,
  layoutContainerCells,
  loadBalancerIngress,
  meta,
  nameColumn,
  nameOf,
  obj,
  objs,
  quantityString,
  sortGo,
  spec,
  status,
  str,
  strMap,
  wideColumn, templateWideColumns} from './helpers.js'
import type {Cell, KindPrinter, Obj, PrintContext, PrintedRow, TableRowCondition} from './types.js'

// ---------------------------------------------------------------------------------------------
// Pod

const POD_SUCCEEDED: TableRowCondition[] = [
  {type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'},
]
const POD_FAILED: TableRowCondition[] = [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]

/** node.NodeUnreachablePodReason: set on pods of a node that stopped reporting. */
const NODE_LOST = 'NodeLost'

/** A timestamp as epoch milliseconds, or undefined for Go's zero time (which is before everything). */
function instant(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined
  const t = new Date(v).getTime()
  return Number.isNaN(t) ? undefined : t
}

/** metav1.Time.Before on possibly-zero times: true when `b` is later than `a`. */
function later(a: number | undefined, b: number | undefined): boolean {
  if (b === undefined) return false
  return a === undefined || a < b
}

function lastTerminationFinishedAt(cs: Obj): number | undefined | null {
  const terminated = obj(cs['lastTerminationState'])['terminated']
  if (terminated === undefined || terminated === null) return null
  return instant(obj(terminated)['finishedAt'])
}

/** podutil.IsRestartableInitContainer: an init container with restartPolicy Always (a sidecar). */
function isRestartable(container: Obj | undefined): boolean {
  return container !== undefined && container['restartPolicy'] === 'Always'
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null
}

function hasCondition(conditions: unknown, type: string): boolean {
  return objs(conditions).some((c) => c['type'] === type && c['status'] === 'True')
}

/** isPodInitializedConditionTrue: the first Initialized condition decides. */
function isPodInitialized(st: Obj): boolean {
  const c = objs(st['conditions']).find((x) => x['type'] === 'Initialized')
  return c !== undefined && c['status'] === 'True'
}

function podIP(st: Obj): string {
  // v1 → internal conversion fills podIPs from podIP when only the latter is set.
  const ips = objs(st['podIPs'])
  if (ips.length > 0) return str(ips[0]!['ip'])
  return str(st['podIP'])
}

function readinessGates(sp: Obj, st: Obj): string {
  const gates = objs(sp['readinessGates'])
  if (gates.length === 0) return '<none>'
  const conditions = objs(st['conditions'])
  let trueConditions = 0
  for (const gate of gates) {
    const c = conditions.find((x) => x['type'] === gate['conditionType'])
    if (c && c['status'] === 'True') trueConditions++
  }
  return `${trueConditions}/${gates.length}`
}

function terminatedReason(t: Obj, prefix: string): string {
  const reason = str(t['reason'])
  if (reason !== '') return prefix + reason
  const signal = int(t['signal'])
  if (signal !== 0) return `${prefix}Signal:${signal}`
  return `${prefix}ExitCode:${int(t['exitCode'])}`
}

function printPod(pod: Obj, ctx: PrintContext): PrintedRow {
  const sp = spec(pod)
  const st = status(pod)
  let restarts = 0
  let restartableInitRestarts = 0
  let totalContainers = arr(sp['containers']).length
  let readyContainers = 0
  let lastRestart: number | undefined
  let lastRestartableInitRestart: number | undefined

  const phase = str(st['phase'])
  let reason = phase
  if (str(st['reason']) !== '') reason = str(st['reason'])

  // A pod held back by scheduling gates says so instead of Pending.
  for (const c of objs(st['conditions'])) {
    if (c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated') reason = 'SchedulingGated'
  }

  let conditions: TableRowCondition[] | undefined
  if (phase === 'Succeeded') conditions = POD_SUCCEEDED
  else if (phase === 'Failed') conditions = POD_FAILED

  const initSpecs = objs(sp['initContainers'])
  const initByName = new Map<string, Obj>()
  for (const c of initSpecs) {
    initByName.set(str(c['name']), c)
    if (isRestartable(c)) totalContainers++
  }

  let initializing = false
  const initStatuses = objs(st['initContainerStatuses'])
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!
    const state = obj(cs['state'])
    restarts += int(cs['restartCount'])
    const finished = lastTerminationFinishedAt(cs)
    if (finished !== null && later(lastRestart, finished)) lastRestart = finished
    const restartable = isRestartable(initByName.get(str(cs['name'])))
    if (restartable) {
      restartableInitRestarts += int(cs['restartCount'])
      if (finished !== null && later(lastRestartableInitRestart, finished)) lastRestartableInitRestart = finished
    }
    const terminated = present(state['terminated']) ? obj(state['terminated']) : undefined
    const waiting = present(state['waiting']) ? obj(state['waiting']) : undefined
    if (terminated && int(terminated['exitCode']) === 0) continue
    if (restartable && cs['started'] === true) {
      if (bool(cs['ready'])) readyContainers++
      continue
    }
    if (terminated) {
      reason = terminatedReason(terminated, 'Init:')
    } else if (waiting && str(waiting['reason']) !== '' && waiting['reason'] !== 'PodInitializing') {
      reason = 'Init:' + str(waiting['reason'])
    } else {
      reason = `Init:${i}/${initSpecs.length}`
    }
    initializing = true
    break
  }

  if (!initializing || isPodInitialized(st)) {
    restarts = restartableInitRestarts
    lastRestart = lastRestartableInitRestart
    let hasRunning = false
    const statuses = objs(st['containerStatuses'])
    // Walked from the last container so that the first one's state wins the STATUS column.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!
      const state = obj(cs['state'])
      restarts += int(cs['restartCount'])
      const finished = lastTerminationFinishedAt(cs)
      if (finished !== null && later(lastRestart, finished)) lastRestart = finished
      const waiting = present(state['waiting']) ? obj(state['waiting']) : undefined
      const terminated = present(state['terminated']) ? obj(state['terminated']) : undefined
      if (waiting && str(waiting['reason']) !== '') {
        reason = str(waiting['reason'])
      } else if (terminated) {
        reason = terminatedReason(terminated, '')
      } else if (bool(cs['ready']) && present(state['running'])) {
        hasRunning = true
        readyContainers++
      }
    }
    // One container finished while another still runs: the pod is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(st['conditions'], 'Ready') ? 'Running' : 'NotReady'
    }
  }

  if (isDeleting(pod) && str(st['reason']) === NODE_LOST) {
    reason = 'Unknown'
  } else if (isDeleting(pod) && phase !== 'Failed' && phase !== 'Succeeded') {
    reason = 'Terminating'
  }

  let restartsText = String(restarts)
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsText = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), ctx.now)} ago)`
  }

  const cells: Cell[] = [nameOf(pod), `${readyContainers}/${totalContainers}`, reason, restartsText, age(pod, ctx.now)]
  cells.push(
    podIP(st) || '<none>',
    str(sp['nodeName']) || '<none>',
    str(st['nominatedNodeName']) || '<none>',
    readinessGates(sp, st),
  )
  return conditions ? {cells, conditions} : {cells}
}

const podPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    wideColumn('IP', 'string'),
    wideColumn('Node', 'string'),
    wideColumn('Nominated Node', 'string'),
    wideColumn('Readiness Gates', 'string'),
  ],
  row: printPod,
}

const podTemplatePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION),
    column('Images', 'string', IMAGES_DESCRIPTION),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  row(o) {
    const template = obj(o['template'])
    const [names, images] = layoutContainerCells(obj(template['spec'])['containers'])
    return {cells: [nameOf(o), names, images, formatLabels(obj(template['metadata'])['labels'])]}
  },
}

const replicationControllerPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer'),
    column('Current', 'integer'),
    column('Ready', 'integer'),
    ageColumn(),
    ...templateWideColumns(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const st = status(o)
    // Storage holds defaulted objects; replicas defaults to 1.
    const desired = sp['replicas'] === undefined || sp['replicas'] === null ? 1 : int(sp['replicas'])
    const [names, images] = layoutContainerCells(obj(obj(sp['template'])['spec'])['containers'])
    return {
      cells: [nameOf(o), desired, int(st['replicas']), int(st['readyReplicas']), age(o, ctx.now), names, images, formatLabels(sp['selector'])],
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Service, Endpoints

function serviceExternalIP(svc: Obj): string {
  const sp = spec(svc)
  const externalIPs = arr(sp['externalIPs']).map(str)
  switch (sp['type']) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>'
    case 'LoadBalancer': {
      const lbIPs = loadBalancerIngress(status(svc)['loadBalancer'])
      if (externalIPs.length > 0) return [...lbIPs, ...externalIPs].join(',')
      if (lbIPs.length > 0) return lbIPs.join(',')
      return '<pending>'
    }
    case 'ExternalName':
      return str(sp['externalName'])
    default:
      return '<unknown>'
  }
}

/** makePortString: `port/PROTO`, or `port:nodePort/PROTO` when a node port is allocated. */
function servicePorts(ports: unknown): string {
  return objs(ports)
    .map((p) => {
      const nodePort = int(p['nodePort'])
      const proto = str(p['protocol'])
      return nodePort > 0 ? `${int(p['port'])}:${nodePort}/${proto}` : `${int(p['port'])}/${proto}`
    })
    .join(',')
}

const servicePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string'),
    column('Cluster-IP', 'string'),
    column('External-IP', 'string'),
    column('Port(s)', 'string'),
    ageColumn(),
    wideColumn('Selector', 'string'),
  ],
  row(o, ctx) {
    const sp = spec(o)
    // Internally clusterIPs is authoritative; v1 objects that only set clusterIP convert into it.
    const clusterIPs = arr(sp['clusterIPs']).map(str)
    let internalIP = '<none>'
    if (clusterIPs.length > 0) internalIP = clusterIPs[0]!
    else if (str(sp['clusterIP']) !== '') internalIP = str(sp['clusterIP'])
    const ports = servicePorts(sp['ports']) || '<none>'
    return {cells: [nameOf(o), str(sp['type']), internalIP, serviceExternalIP(o), ports, age(o, ctx.now), formatLabels(sp['selector'])]}
  },
}

/** formatEndpoints with every port: `ip:port` for the first three addresses, then `+ N more...`. */
export function formatEndpoints(endpoints: Obj): string {
  const subsets = objs(endpoints['subsets'])
  if (subsets.length === 0) return '<none>'
  const list: string[] = []
  const max = 3
  let more = false
  let count = 0
  for (const ss of subsets) {
    const addresses = objs(ss['addresses'])
    const ports = objs(ss['ports'])
    if (ports.length === 0) {
      // Headless services may have no ports: list bare addresses.
      count += addresses.length
      for (const a of addresses) {
        if (list.length === max) {
          more = true
          break
        }
        list.push(str(a['ip']))
      }
      continue
    }
    for (const port of ports) {
      count += addresses.length
      for (const a of addresses) {
        if (list.length === max) {
          more = true
          break
        }
        list.push(joinHostPort(str(a['ip']), String(int(port['port']))))
      }
    }
  }
  const joined = list.join(',')
  return more ? `${joined} + ${count - max} more...` : joined
}

const endpointsPrinter: KindPrinter = {
  columns: [nameColumn(), column('Endpoints', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), formatEndpoints(o), age(o, ctx.now)]}),
}

// ---------------------------------------------------------------------------------------------
// Node, Namespace, ComponentStatus

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/'
const NODE_ROLE_LABEL = 'kubernetes.io/role'

/** findNodeRoles: `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
export function findNodeRoles(node: Obj): string[] {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(strMap(meta(node)['labels']))) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length)
      if (role !== '') roles.add(role)
    } else if (k === NODE_ROLE_LABEL && v !== '') {
      roles.add(v)
    }
  }
  return sortGo(roles)
}

function nodeAddress(node: Obj, type: string): string {
  const a = objs(status(node)['addresses']).find((x) => x['type'] === type)
  return a ? str(a['address']) : '<none>'
}

const nodePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string'),
    wideColumn('Internal-IP', 'string'),
    wideColumn('External-IP', 'string'),
    wideColumn('OS-Image', 'string'),
    wideColumn('Kernel-Version', 'string'),
    wideColumn('Container-Runtime', 'string'),
  ],
  row(o, ctx) {
    const st = status(o)
    // Later conditions of the same type replace earlier ones, as in the Go map.
    let ready: Obj | undefined
    for (const c of objs(st['conditions'])) if (c['type'] === 'Ready') ready = c
    const parts: string[] = []
    if (ready) parts.push(ready['status'] === 'True' ? 'Ready' : 'NotReady')
    if (parts.length === 0) parts.push('Unknown')
    if (bool(spec(o)['unschedulable'])) parts.push('SchedulingDisabled')
    const roles = findNodeRoles(o).join(',') || '<none>'
    const info = obj(st['nodeInfo'])
    return {
      cells: [
        nameOf(o),
        parts.join(','),
        roles,
        age(o, ctx.now),
        str(info['kubeletVersion']),
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        str(info['osImage']) || '<unknown>',
        str(info['kernelVersion']) || '<unknown>',
        str(info['containerRuntimeVersion']) || '<unknown>',
      ],
    }
  },
}

const namespacePrinter: KindPrinter = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), str(status(o)['phase']), age(o, ctx.now)]}),
}

const componentStatusPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  row(o) {
    let state = 'Unknown'
    let message = ''
    let error = ''
    const healthy = objs(o['conditions']).find((c) => c['type'] === 'Healthy')
    if (healthy) {
      state = healthy['status'] === 'True' ? 'Healthy' : 'Unhealthy'
      message = str(healthy['message'])
      error = str(healthy['error'])
    }
    return {cells: [nameOf(o), state, message, error]}
  },
}

// ---------------------------------------------------------------------------------------------
// Config and identity

const secretPrinter: KindPrinter = {
  columns: [nameColumn(), column('Type', 'string'), column('Data', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), str(o['type']), Object.keys(obj(o['data'])).length, age(o, ctx.now)]}),
}

const configMapPrinter: KindPrinter = {
  columns: [nameColumn(), column('Data', 'string'), ageColumn()],
  row: (o, ctx) => ({
    cells: [nameOf(o), Object.keys(obj(o['data'])).length + Object.keys(obj(o['binaryData'])).length, age(o, ctx.now)],
  }),
}

const serviceAccountPrinter: KindPrinter = {
  columns: [nameColumn(), column('Secrets', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), arr(o['secrets']).length, age(o, ctx.now)]}),
}

// ---------------------------------------------------------------------------------------------
// Volumes

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class'

/** helper.GetAccessModesAsString: abbreviations in a fixed order, duplicates dropped. */
export function accessModesString(modes: unknown): string {
  const set = new Set(arr(modes).map(str))
  const out: string[] = []
  if (set.has('ReadWriteOnce')) out.push('RWO')
  if (set.has('ReadOnlyMany')) out.push('ROX')
  if (set.has('ReadWriteMany')) out.push('RWX')
  if (set.has('ReadWriteOncePod')) out.push('RWOP')
  return out.join(',')
}

function annotation(o: Obj, key: string): string | undefined {
  const a = obj(meta(o)['annotations'])[key]
  return typeof a === 'string' ? a : undefined
}

function optionalString(v: unknown): string {
  return typeof v === 'string' ? v : '<unset>'
}

const persistentVolumePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Capacity', 'string'),
    column('Access Modes', 'string'),
    column('Reclaim Policy', 'string'),
    column('Status', 'string'),
    column('Claim', 'string'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string'),
    ageColumn(),
    wideColumn('VolumeMode', 'string'),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const st = status(o)
    let claim = ''
    if (sp['claimRef'] !== undefined && sp['claimRef'] !== null) {
      const ref = obj(sp['claimRef'])
      claim = `${str(ref['namespace'])}/${str(ref['name'])}`
    }
    const phase = isDeleting(o) ? 'Terminating' : str(st['phase'])
    const storageClass = annotation(o, BETA_STORAGE_CLASS_ANNOTATION) ?? str(sp['storageClassName'])
    return {
      cells: [
        nameOf(o),
        quantityString(obj(sp['capacity'])['storage']),
        accessModesString(sp['accessModes']),
        str(sp['persistentVolumeReclaimPolicy']),
        phase,
        claim,
        storageClass,
        optionalString(sp['volumeAttributesClassName']),
        str(st['reason']),
        age(o, ctx.now),
        optionalString(sp['volumeMode']),
      ],
    }
  },
}

const persistentVolumeClaimPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string'),
    column('Volume', 'string'),
    column('Capacity', 'string'),
    column('Access Modes', 'string'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    wideColumn('VolumeMode', 'string'),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const st = status(o)
    const phase = isDeleting(o) ? 'Terminating' : str(st['phase'])
    const volumeName = str(sp['volumeName'])
    let capacity = ''
    let accessModes = ''
    // Until bound, the claim shows no capacity or modes: only the volume's are meaningful.
    if (volumeName !== '') {
      accessModes = accessModesString(st['accessModes'])
      capacity = quantityString(obj(st['capacity'])['storage'])
    }
    const storageClass = annotation(o, BETA_STORAGE_CLASS_ANNOTATION) ?? str(sp['storageClassName'])
    return {
      cells: [
        nameOf(o),
        phase,
        volumeName,
        capacity,
        accessModes,
        storageClass,
        optionalString(sp['volumeAttributesClassName']),
        age(o, ctx.now),
        optionalString(sp['volumeMode']),
      ],
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Events

/** strings.TrimSpace: Go's white space (JavaScript's \s without U+FEFF, plus U+0085) at both ends. */
const GO_SPACE_EDGES = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g

function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE_EDGES, '')
}

function eventSource(e: Obj): string {
  const source = obj(e['source'])
  const component = str(source['component']) || str(e['reportingComponent'])
  const host = str(source['host']) || str(e['reportingInstance'])
  return host === '' ? component : `${component}, ${host}`
}

function printEvent(e: Obj, ctx: PrintContext): PrintedRow {
  let firstTimestamp = translateTimestampSince(e['firstTimestamp'], ctx.now)
  if (firstTimestamp === '<unknown>') firstTimestamp = translateTimestampSince(e['eventTime'], ctx.now)
  let lastTimestamp = translateTimestampSince(e['lastTimestamp'], ctx.now)
  if (lastTimestamp === '<unknown>') lastTimestamp = firstTimestamp
  let count = int(e['count'])
  const series = e['series']
  if (series !== undefined && series !== null) {
    lastTimestamp = translateTimestampSince(obj(series)['lastObservedTime'], ctx.now)
    count = int(obj(series)['count'])
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1
  }
  const involved = obj(e['involvedObject'])
  const kind = str(involved['kind']).toLowerCase()
  const target = str(involved['name']) !== '' ? `${kind}/${str(involved['name'])}` : kind
  return {
    cells: [
      lastTimestamp,
      str(e['type']),
      str(e['reason']),
      target,
      str(involved['fieldPath']),
      eventSource(e),
      goTrimSpace(str(e['message'])),
      firstTimestamp,
      count,
      nameOf(e),
    ],
  }
}

export const eventPrinter: KindPrinter = {
  columns: [
    column('Last Seen', 'string'),
    column('Type', 'string'),
    column('Reason', 'string'),
    column('Object', 'string'),
    wideColumn('Subobject', 'string'),
    wideColumn('Source', 'string'),
    column('Message', 'string'),
    wideColumn('First Seen', 'string'),
    wideColumn('Count', 'string'),
    column('Name', 'string', '', {format: 'name', priority: 1}),
  ],
  row: printEvent,
}

/**
 * events.k8s.io/v1 Events are served from the same storage as core Events and print the same way;
 * this maps their field names back onto the core ones.
 */
export function coreEventFromEventsV1(e: Obj): Obj {
  return {
    metadata: e['metadata'],
    involvedObject: e['regarding'],
    reason: e['reason'],
    message: e['note'],
    source: e['deprecatedSource'],
    firstTimestamp: e['deprecatedFirstTimestamp'],
    lastTimestamp: e['deprecatedLastTimestamp'],
    count: e['deprecatedCount'],
    type: e['type'],
    eventTime: e['eventTime'],
    series: e['series'],
    action: e['action'],
    related: e['related'],
    reportingComponent: e['reportingController'],
    reportingInstance: e['reportingInstance'],
  }
}

// ---------------------------------------------------------------------------------------------
// ResourceQuota

const resourceQuotaPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    ageColumn(),
  ],
  row(o, ctx) {
    const st = status(o)
    const hard = obj(st['hard'])
    const used = obj(st['used'])
    const requests: string[] = []
    const limits: string[] = []
    for (const resource of sortGo(Object.keys(hard))) {
      const text = `${resource}: ${quantityString(used[resource])}/${quantityString(hard[resource])}`
      const pieces = resource.split('.')
      if (pieces.length > 1 && pieces[0] === 'limits') limits.push(text)
      else requests.push(text)
    }
    return {cells: [nameOf(o), requests.join(', '), limits.join(', '), age(o, ctx.now)]}
  },
}

export const CORE_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Pod: podPrinter,
  PodTemplate: podTemplatePrinter,
  ReplicationController: replicationControllerPrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  ComponentStatus: componentStatusPrinter,
  Secret: secretPrinter,
  ConfigMap: configMapPrinter,
  ServiceAccount: serviceAccountPrinter,
  PersistentVolume: persistentVolumePrinter,
  PersistentVolumeClaim: persistentVolumeClaimPrinter,
  Event: eventPrinter,
  ResourceQuota: resourceQuotaPrinter,
}
