// The core (v1) group's strategies: defaults, create/update preparation, update validation and
// selectable fields of Pod, ConfigMap, Secret, Namespace, Node, PVC, PV, ServiceAccount, Endpoints,
// ResourceQuota, LimitRange, Event, ReplicationController and PodTemplate (the pod machinery is in
// pod.ts, the Service strategy in service.ts).
import type {Problem} from '../../schema/problems.js'
import type {KindStrategy, StrategyTable} from './kinds.js'
import {service} from './service.js'
import {
  defaultClaimSpec,
  defaultLegacyVolumeSource,
  defaultPod,
  defaultPodTemplate,
  preparePodForCreate,
  preparePodStatusUpdate,
  validatePodStatusUpdate,
  validatePodUpdate,
} from './pod.js'
import {
  arr,
  atLeast,
  child,
  clone,
  forbidden,
  immutable,
  invalid,
  nowISO,
  num,
  obj,
  objs,
  quantity,
  roundResourceList,
  semanticEqual,
  setDefault,
  setIfNil,
  str,
  type Obj,
  type StrategyContext,
} from './util.js'

const spec = (o: Obj): Obj => obj(o.spec) ?? {}
const status = (o: Obj): Obj => obj(o.status) ?? {}

// ---------------------------------------------------------------------------------------------
// Pod

const pod: KindStrategy = {
  namespaced: true,
  defaults: defaultPod,
  // The pod strategy has set metadata.generation since 1.33 (and bumps it on spec changes).
  generation: (ctx) => atLeast(ctx, 33),
  statusSubresource: true,
  prepareForCreate: (o, ctx) => preparePodForCreate(o, ctx),
  prepareForStatusUpdate: (n, o) => preparePodStatusUpdate(n, o),
  validateUpdate: (n, o) => validatePodUpdate(n, o),
  validateStatusUpdate: (n, o) => validatePodStatusUpdate(n, o),
  fields: (o) => {
    const s = spec(o)
    const st = status(o)
    return {
      'spec.nodeName': str(s.nodeName) ?? '',
      'spec.restartPolicy': str(s.restartPolicy) ?? '',
      'spec.schedulerName': str(s.schedulerName) ?? '',
      'spec.serviceAccountName': str(s.serviceAccountName) ?? '',
      'spec.hostNetwork': String(s.hostNetwork === true),
      'status.phase': str(st.phase) ?? '',
      'status.podIP': str(objs(st.podIPs)[0]?.ip) ?? str(st.podIP) ?? '',
      'status.nominatedNodeName': str(st.nominatedNodeName) ?? '',
    }
  },
  fieldLabels: {
    labels: [
      'metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
      'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName',
    ],
    // Old v1 clients still send spec.host.
    aliases: {'spec.host': 'spec.nodeName'},
  },
}

const podTemplate: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => defaultPodTemplate(child(o, 'template'), ctx),
}

// ---------------------------------------------------------------------------------------------
// ReplicationController

const replicationController: KindStrategy = {
  namespaced: true,
  defaults: (o, ctx) => {
    const s = child(o, 'spec')
    const template = obj(s.template)
    const labels = obj(obj(template?.metadata)?.labels)
    if (labels) {
      if (Object.keys(obj(s.selector) ?? {}).length === 0) s.selector = {...labels}
      const meta = child(o, 'metadata')
      if (Object.keys(obj(meta.labels) ?? {}).length === 0) meta.labels = {...labels}
    }
    setIfNil(s, 'replicas', 1)
    if (template) defaultPodTemplate(template, ctx)
  },
  initialStatus: () => ({replicas: 0}),
  generation: true,
  statusSubresource: true,
  fields: (o) => ({'status.replicas': String(num(status(o).replicas) ?? 0)}),
  fieldLabels: {labels: ['metadata.name', 'metadata.namespace', 'status.replicas']},
}

// ---------------------------------------------------------------------------------------------
// ConfigMap and Secret

const IMMUTABLE_SET = 'field is immutable when `immutable` is set'

function immutableData(n: Obj, o: Obj, fields: readonly string[]): Problem[] {
  if (o.immutable !== true) return []
  const out: Problem[] = []
  if (n.immutable !== true) out.push(forbidden(['immutable'], IMMUTABLE_SET))
  for (const f of fields) if (!semanticEqual(n[f], o[f])) out.push(forbidden([f], IMMUTABLE_SET))
  return out
}

const configMap: KindStrategy = {
  namespaced: true,
  validateUpdate: (n, o) => immutableData(n, o, ['data', 'binaryData']),
}

const secret: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    setDefault(o, 'type', 'Opaque')
    // v1 conversion: stringData is written into data (base64) and never stored or returned.
    const stringData = obj(o.stringData)
    if (stringData) {
      if (Object.keys(stringData).length > 0) {
        const data = child(o, 'data')
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64')
      }
      delete o.stringData
    }
  },
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    immutable(out, ['type'], str(n.type) ?? '', str(o.type) ?? '')
    return [...out, ...immutableData(n, o, ['data'])]
  },
  fields: (o) => ({type: str(o.type) ?? ''}),
  fieldLabels: {labels: ['type', 'metadata.namespace', 'metadata.name']},
}

// ---------------------------------------------------------------------------------------------
// Namespace

const namespace: KindStrategy = {
  namespaced: false,
  defaults: (o) => {
    const meta = child(o, 'metadata')
    const name = str(meta.name)
    // Nameless (generateName) namespaces get the label once named, when defaulted again on read.
    if (name) child(meta, 'labels')['kubernetes.io/metadata.name'] = name
    const st = obj(o.status)
    if (st) setDefault(st, 'phase', 'Active')
    else o.status = {phase: 'Active'}
  },
  initialStatus: () => ({phase: 'Active'}),
  statusSubresource: true,
  prepareForCreate: (o) => {
    const s = child(o, 'spec')
    const finalizers = arr(s.finalizers)
    if (!finalizers.includes('kubernetes')) s.finalizers = [...finalizers, 'kubernetes']
  },
  prepareForUpdate: (n, o) => {
    // Finalizers change only through /finalize.
    const s = child(n, 'spec')
    const old = spec(o).finalizers
    if (old === undefined) delete s.finalizers
    else s.finalizers = clone(old)
  },
  validateStatusUpdate: (n) => {
    const phase = str(status(n).phase) ?? ''
    if (!obj(n.metadata)?.deletionTimestamp) {
      return phase === 'Active' ? [] : [invalid(['status', 'Phase'], phase, "may only be 'Active' if `deletionTimestamp` is empty")]
    }
    return phase === 'Terminating' ? [] : [invalid(['status', 'Phase'], phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")]
  },
  fields: (o) => ({'status.phase': str(status(o).phase) ?? ''}),
  fieldLabels: {labels: ['status.phase', 'metadata.name']},
}

// ---------------------------------------------------------------------------------------------
// Node

const node: KindStrategy = {
  namespaced: false,
  defaults: (o) => {
    const s = child(o, 'spec')
    // v1 conversion: podCIDR is podCIDRs[0], and wins when the two disagree.
    const cidr = str(s.podCIDR)
    const cidrs = arr(s.podCIDRs)
    if (cidr && (cidrs.length === 0 || cidrs[0] !== cidr)) s.podCIDRs = [cidr]
    else if (!cidr && cidrs.length > 0) s.podCIDR = cidrs[0]
    const st = obj(o.status)
    if (st) {
      if (st.allocatable === undefined && st.capacity !== undefined) st.allocatable = clone(st.capacity)
      roundResourceList(st.capacity)
      roundResourceList(st.allocatable)
    }
  },
  prepareForCreate: (o) => {
    delete spec(o).configSource
    const st = child(o, 'status')
    delete st.config
    // Non-pointer structs of NodeStatus, printed even when the kubelet has not reported yet.
    setIfNil(st, 'daemonEndpoints', {kubeletEndpoint: {Port: 0}})
    setIfNil(st, 'nodeInfo', {
      machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '',
      kubeletVersion: '', kubeProxyVersion: '', operatingSystem: '', architecture: '',
    })
  },
  statusSubresource: true,
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    const s = spec(n)
    const os = spec(o)
    const oldCIDRs = arr(os.podCIDRs)
    const cidrs = arr(s.podCIDRs)
    const message = 'node updates may not change podCIDR except from "" to valid'
    if (oldCIDRs.length > 0) {
      if (oldCIDRs.length !== cidrs.length) out.push(forbidden(['spec', 'podCIDRs'], message))
      else oldCIDRs.forEach((c, i) => {
        if (c !== cidrs[i]) out.push(forbidden(['spec', 'podCIDRs'], message))
      })
    }
    if (str(os.providerID) && os.providerID !== s.providerID) {
      out.push(forbidden(['spec', 'providerID'], 'node updates may not change providerID except from "" to valid'))
    }
    if ((s.externalID ?? '') !== (os.externalID ?? '')) out.push(forbidden(['spec', 'externalID'], 'may not be updated'))
    return out
  },
  fields: (o) => ({'spec.unschedulable': String(spec(o).unschedulable === true)}),
  fieldLabels: {labels: ['metadata.name', 'spec.unschedulable']},
}

// ---------------------------------------------------------------------------------------------
// PersistentVolumeClaim and PersistentVolume

function defaultClaim(o: Obj): void {
  defaultClaimSpec(child(o, 'spec'))
  const st = child(o, 'status')
  setDefault(st, 'phase', 'Pending')
  roundResourceList(st.capacity)
  roundResourceList(st.allocatedResources)
}

function validateClaimUpdate(n: Obj, o: Obj, ctx: StrategyContext): Problem[] {
  const out: Problem[] = []
  const s = clone(spec(n))
  const os = clone(spec(o))
  // volumeName may be set once, by the binder.
  if (!str(os.volumeName)) {
    if (s.volumeName === undefined) delete os.volumeName
    else os.volumeName = s.volumeName
  }
  const bound = status(n).phase === 'Bound'
  const newStorage = obj(obj(s.resources)?.requests)?.storage
  const oldStorage = obj(obj(os.resources)?.requests)?.storage
  if (bound && obj(obj(s.resources)?.requests)) {
    const requests = obj(obj(s.resources)?.requests)!
    if (oldStorage === undefined) delete requests.storage
    else requests.storage = oldStorage
  }
  const withClass = atLeast(ctx, 29)
  if (bound && withClass && s.volumeAttributesClassName !== undefined) {
    if (os.volumeAttributesClassName === undefined) delete s.volumeAttributesClassName
    else s.volumeAttributesClassName = os.volumeAttributesClassName
  }
  // The beta storage-class annotation may be upgraded to the same class in the field, and a claim
  // without any class may be given one (retroactive default StorageClass).
  const betaClass = 'volume.beta.kubernetes.io/storage-class'
  const oldAnnotation = str(obj(obj(o.metadata)?.annotations)?.[betaClass])
  const newAnnotation = str(obj(obj(n.metadata)?.annotations)?.[betaClass])
  if (os.storageClassName === undefined && s.storageClassName !== undefined) {
    if (oldAnnotation === undefined) delete s.storageClassName
    else if (s.storageClassName === oldAnnotation && (newAnnotation === undefined || newAnnotation === oldAnnotation)) delete s.storageClassName
  }
  if (!semanticEqual(s, os)) {
    const what = withClass ? 'resources.requests and volumeAttributesClassName' : 'resources.requests'
    out.push(forbidden(['spec'], `spec is immutable after creation except ${what} for bound claims`))
  }
  const newQ = quantity(newStorage)
  const oldQ = quantity(oldStorage)
  if (newQ && oldQ && newQ.cmp(oldQ) < 0) {
    // RecoverVolumeExpansionFailure (GA in 1.34, beta and on since 1.32) allows shrinking back above status.capacity.
    const capacity = quantity(obj(status(o).capacity)?.storage)
    if (!atLeast(ctx, 32)) out.push(forbidden(['spec', 'resources', 'requests', 'storage'], 'field can not be less than previous value'))
    else if (capacity ? newQ.cmp(capacity) <= 0 : newQ.sign() <= 0) {
      out.push(forbidden(['spec', 'resources', 'requests', 'storage'], 'field can not be less than status.capacity'))
    }
  }
  // Upstream reports these two at the root, not under spec.
  immutable(out, ['volumeMode'], spec(n).volumeMode, spec(o).volumeMode)
  if (withClass && !semanticEqual(spec(n).volumeAttributesClassName, spec(o).volumeAttributesClassName)) {
    // VolumeAttributesClass is off by default until it goes GA in 1.34.
    if (!atLeast(ctx, 34)) {
      out.push(forbidden(['spec', 'volumeAttributesClassName'], 'update is forbidden when the VolumeAttributesClass feature gate is disabled'))
    } else if (spec(o).volumeAttributesClassName !== undefined && spec(n).volumeAttributesClassName === undefined) {
      out.push(forbidden(['spec', 'volumeAttributesClassName'], 'update from non-nil value to nil is forbidden'))
    }
  }
  return out
}

const persistentVolumeClaim: KindStrategy = {
  namespaced: true,
  defaults: defaultClaim,
  initialStatus: () => ({}),
  statusSubresource: true,
  validateUpdate: validateClaimUpdate,
}

// The PersistentVolumeSpec fields outside the (immutable) volume source.
const PV_SPEC_FIELDS = new Set([
  'capacity', 'accessModes', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName', 'mountOptions', 'volumeMode',
  'nodeAffinity', 'volumeAttributesClassName',
])

const volumeSource = (s: Obj): Obj => Object.fromEntries(Object.entries(s).filter(([k]) => !PV_SPEC_FIELDS.has(k)))

const persistentVolume: KindStrategy = {
  namespaced: false,
  defaults: (o) => {
    const s = child(o, 'spec')
    setDefault(s, 'persistentVolumeReclaimPolicy', 'Retain')
    setIfNil(s, 'volumeMode', 'Filesystem')
    roundResourceList(s.capacity)
    const hostPath = obj(s.hostPath)
    if (hostPath) setIfNil(hostPath, 'type', '')
    defaultLegacyVolumeSource(s)
    setDefault(child(o, 'status'), 'phase', 'Pending')
  },
  initialStatus: (_o, ctx) => (atLeast(ctx, 29) ? {phase: 'Pending', lastPhaseTransitionTime: nowISO(ctx)} : {}),
  statusSubresource: true,
  prepareForStatusUpdate: (n, o, ctx) => {
    n.spec = clone(o.spec)
    // PersistentVolumeLastPhaseTransitionTime: beta and on since 1.29.
    const st = child(n, 'status')
    const old = status(o)
    if (!atLeast(ctx, 29)) return
    // An unchanged phase keeps its time; a new one gets now unless the writer set a time of its own.
    if (st.phase === old.phase && st.lastPhaseTransitionTime == null) {
      if (old.lastPhaseTransitionTime !== undefined) st.lastPhaseTransitionTime = old.lastPhaseTransitionTime
    } else if (st.phase !== old.phase && (st.lastPhaseTransitionTime == null || st.lastPhaseTransitionTime === old.lastPhaseTransitionTime)) {
      st.lastPhaseTransitionTime = nowISO(ctx)
    }
  },
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    const source = volumeSource(spec(n))
    const oldSource = volumeSource(spec(o))
    // A CSI volume may gain a controllerExpandSecretRef.
    const csi = obj(source.csi)
    if (csi && obj(oldSource.csi) && obj(oldSource.csi)!.controllerExpandSecretRef === undefined) {
      source.csi = {...csi}
      delete (source.csi as Obj).controllerExpandSecretRef
    }
    if (!semanticEqual(source, oldSource)) {
      out.push(forbidden(['spec', 'persistentvolumesource'], 'spec.persistentvolumesource is immutable after creation'))
    }
    immutable(out, ['volumeMode'], spec(n).volumeMode, spec(o).volumeMode)
    if (spec(o).nodeAffinity !== undefined && !semanticEqual(spec(n).nodeAffinity, spec(o).nodeAffinity)) {
      out.push(invalid(['nodeAffinity'], spec(n).nodeAffinity, 'field is immutable, except for updating from beta label to GA'))
    }
    return out
  },
}

// ---------------------------------------------------------------------------------------------
// The rest of the group

const serviceAccount: KindStrategy = {
  namespaced: true,
  // Secret references keep only their name.
  prepareForCreate: (o) => cleanSecretReferences(o),
  prepareForUpdate: (n) => cleanSecretReferences(n),
}

function cleanSecretReferences(o: Obj): void {
  if (Array.isArray(o.secrets)) o.secrets = objs(o.secrets).map((s) => (s.name === undefined ? {} : {name: s.name}))
}

const endpoints: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    for (const subset of objs(o.subsets)) for (const p of objs(subset.ports)) setDefault(p, 'protocol', 'TCP')
  },
}

const resourceQuota: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    roundResourceList(spec(o).hard)
    roundResourceList(status(o).hard)
    roundResourceList(status(o).used)
  },
  initialStatus: () => ({}),
  statusSubresource: true,
}

const limitRange: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    for (const item of objs(spec(o).limits)) {
      if (item.type === 'Container') {
        const dflt = child(item, 'default')
        const dfltRequest = child(item, 'defaultRequest')
        for (const [k, v] of Object.entries(obj(item.max) ?? {})) if (dflt[k] === undefined) dflt[k] = v
        for (const [k, v] of Object.entries(dflt)) if (dfltRequest[k] === undefined) dfltRequest[k] = v
        for (const [k, v] of Object.entries(obj(item.min) ?? {})) if (dfltRequest[k] === undefined) dfltRequest[k] = v
        // Empty maps do not print.
        if (Object.keys(dflt).length === 0) delete item.default
        if (Object.keys(dfltRequest).length === 0) delete item.defaultRequest
      }
      for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) roundResourceList(item[key])
    }
  },
}

/** The selectable fields of an event (core and events.k8s.io share them). */
export function eventFields(o: Obj): Record<string, string> {
  const involved = obj(o.involvedObject) ?? obj(o.regarding) ?? {}
  const source = str(obj(o.source)?.component) || str(obj(o.deprecatedSource)?.component) || str(o.reportingComponent) || str(o.reportingController) || ''
  return {
    'involvedObject.kind': str(involved.kind) ?? '',
    'involvedObject.namespace': str(involved.namespace) ?? '',
    'involvedObject.name': str(involved.name) ?? '',
    'involvedObject.uid': str(involved.uid) ?? '',
    'involvedObject.apiVersion': str(involved.apiVersion) ?? '',
    'involvedObject.resourceVersion': str(involved.resourceVersion) ?? '',
    'involvedObject.fieldPath': str(involved.fieldPath) ?? '',
    reason: str(o.reason) ?? '',
    reportingComponent: str(o.reportingComponent) ?? str(o.reportingController) ?? '',
    source,
    type: str(o.type) ?? '',
  }
}

const event: KindStrategy = {
  namespaced: true,
  fields: eventFields,
  fieldLabels: {
    labels: [
      'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
      'reportingComponent', 'source', 'type', 'metadata.namespace', 'metadata.name',
    ],
  },
}

export const CORE: StrategyTable = {
  '/Pod': pod,
  '/PodTemplate': podTemplate,
  '/ReplicationController': replicationController,
  '/Service': service,
  '/ConfigMap': configMap,
  '/Secret': secret,
  '/Namespace': namespace,
  '/Node': node,
  '/PersistentVolumeClaim': persistentVolumeClaim,
  '/PersistentVolume': persistentVolume,
  '/ServiceAccount': serviceAccount,
  '/Endpoints': endpoints,
  '/ResourceQuota': resourceQuota,
  '/LimitRange': limitRange,
  '/Event': event,
}
