// The remaining built-in groups: autoscaling (HPA v1/v2), policy (PDB), scheduling (PriorityClass),
// storage (StorageClass), rbac, coordination (Lease), events.k8s.io, certificates and apiextensions
// (CustomResourceDefinition).
import type {Problem} from '../../schema/problems.js'
import {eventFields} from './core.js'
import type {KindStrategy, StrategyTable} from './kinds.js'
import {arr, child, clone, forbidden, immutable, invalid, obj, objs, semanticEqual, setDefault, setIfNil, str, type Obj} from './util.js'

const spec = (o: Obj): Obj => obj(o.spec) ?? {}

// ---------------------------------------------------------------------------------------------
// HorizontalPodAutoscaler

// The behavior defaults repeat the autoscaler's historical scaling speed.
const SCALE_UP: Obj = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{type: 'Pods', value: 4, periodSeconds: 15}, {type: 'Percent', value: 100, periodSeconds: 15}],
}
// Scale-down's stabilization window stays unset: the controller's command-line flag decides it.
const SCALE_DOWN: Obj = {selectPolicy: 'Max', policies: [{type: 'Percent', value: 100, periodSeconds: 15}]}

function scalingRules(rules: unknown, defaults: Obj): Obj {
  const out = clone(defaults)
  const r = obj(rules)
  if (!r) return out
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) {
    if (r[key] !== undefined && r[key] !== null) out[key] = r[key]
  }
  return out
}

const hpaV2: KindStrategy = {
  namespaced: true,
  defaults: (o) => {
    const s = child(o, 'spec')
    setIfNil(s, 'minReplicas', 1)
    if (arr(s.metrics).length === 0) {
      s.metrics = [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}]
    }
    const behavior = obj(s.behavior)
    if (behavior) {
      behavior.scaleUp = scalingRules(behavior.scaleUp, SCALE_UP)
      behavior.scaleDown = scalingRules(behavior.scaleDown, SCALE_DOWN)
    }
  },
  initialStatus: () => ({desiredReplicas: 0}),
  statusSubresource: true,
}

const hpaV1: KindStrategy = {
  namespaced: true,
  defaults: (o) => setIfNil(child(o, 'spec'), 'minReplicas', 1),
  initialStatus: () => ({currentReplicas: 0, desiredReplicas: 0}),
  statusSubresource: true,
}

// ---------------------------------------------------------------------------------------------
// PodDisruptionBudget

const podDisruptionBudget: KindStrategy = {
  namespaced: true,
  initialStatus: () => ({disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0}),
  generation: true,
  statusSubresource: true,
}

// ---------------------------------------------------------------------------------------------
// PriorityClass and StorageClass

const priorityClass: KindStrategy = {
  namespaced: false,
  defaults: (o) => setIfNil(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    if (n.value !== o.value) out.push(forbidden(['value'], 'may not be changed in an update.'))
    immutable(out, ['preemptionPolicy'], n.preemptionPolicy, o.preemptionPolicy)
    return out
  },
}

const storageClass: KindStrategy = {
  namespaced: false,
  defaults: (o) => {
    setIfNil(o, 'reclaimPolicy', 'Delete')
    setIfNil(o, 'volumeBindingMode', 'Immediate')
  },
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    if (!semanticEqual(n.parameters, o.parameters)) out.push(forbidden(['parameters'], 'updates to parameters are forbidden.'))
    if (n.provisioner !== o.provisioner) out.push(forbidden(['provisioner'], 'updates to provisioner are forbidden.'))
    if (n.reclaimPolicy !== o.reclaimPolicy) out.push(forbidden(['reclaimPolicy'], 'updates to reclaimPolicy are forbidden.'))
    immutable(out, ['volumeBindingMode'], n.volumeBindingMode, o.volumeBindingMode)
    return out
  },
}

// ---------------------------------------------------------------------------------------------
// RBAC

const RBAC_GROUP = 'rbac.authorization.k8s.io'

function defaultBinding(o: Obj): void {
  setDefault(child(o, 'roleRef'), 'apiGroup', RBAC_GROUP)
  for (const subject of objs(o.subjects)) {
    if (str(subject.apiGroup)) continue
    if (subject.kind === 'ServiceAccount') subject.apiGroup = ''
    else if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP
  }
}

function roleRefImmutable(n: Obj, o: Obj): Problem[] {
  if (semanticEqual(n.roleRef, o.roleRef)) return []
  // Shown in RoleRef's field order.
  const ref = obj(n.roleRef) ?? {}
  return [invalid(['roleRef'], {apiGroup: ref.apiGroup ?? '', kind: ref.kind ?? '', name: ref.name ?? ''}, 'cannot change roleRef')]
}

const roleBinding: KindStrategy = {namespaced: true, defaults: defaultBinding, validateUpdate: roleRefImmutable}
const clusterRoleBinding: KindStrategy = {namespaced: false, defaults: defaultBinding, validateUpdate: roleRefImmutable}

// ---------------------------------------------------------------------------------------------
// events.k8s.io

const eventsV1: KindStrategy = {
  namespaced: true,
  fields: eventFields,
  // events.k8s.io names map onto the core fields the event strategy selects on.
  fieldLabels: {
    labels: ['reason', 'type', 'metadata.namespace', 'metadata.name'],
    aliases: {
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
    },
  },
}

// ---------------------------------------------------------------------------------------------
// CertificateSigningRequest

const certificateSigningRequest: KindStrategy = {
  namespaced: false,
  fields: (o) => ({'spec.signerName': str(spec(o).signerName) ?? ''}),
  fieldLabels: {labels: ['metadata.name', 'spec.signerName']},
}

// ---------------------------------------------------------------------------------------------
// CustomResourceDefinition

function storageVersion(o: Obj): string | undefined {
  return str(objs(spec(o).versions).find((v) => v.storage === true)?.name)
}

const customResourceDefinition: KindStrategy = {
  namespaced: false,
  defaults: (o) => {
    const s = child(o, 'spec')
    const names = child(s, 'names')
    if (!str(names.singular) && str(names.kind)) names.singular = String(names.kind).toLowerCase()
    if (!str(names.listKind) && str(names.kind)) names.listKind = `${String(names.kind)}List`
    setIfNil(s, 'conversion', {strategy: 'None'})
    const service = obj(obj(obj(obj(s.conversion)?.webhook)?.clientConfig)?.service)
    if (service) setIfNil(service, 'port', 443)
    const st = child(o, 'status')
    if (arr(st.storedVersions).length === 0) {
      const stored = storageVersion(o)
      if (stored) st.storedVersions = [stored]
    }
  },
  // acceptedNames is a non-pointer struct with required fields: it prints empty until the
  // establishing controller fills it in.
  initialStatus: () => ({acceptedNames: {kind: '', plural: ''}}),
  generation: true,
  statusSubresource: true,
  prepareForUpdate: (n) => {
    // The storage version is recorded as soon as a spec names it.
    const stored = storageVersion(n)
    const st = child(n, 'status')
    const versions = arr(st.storedVersions)
    if (stored && !versions.includes(stored)) st.storedVersions = [...versions, stored]
  },
  validateUpdate: (n, o) => {
    const out: Problem[] = []
    const s = spec(n)
    const os = spec(o)
    const established = objs(obj(o.status)?.conditions).some((c) => c.type === 'Established' && c.status === 'True')
    if (established) {
      immutable(out, ['spec', 'scope'], s.scope, os.scope)
      immutable(out, ['spec', 'names', 'kind'], obj(s.names)?.kind, obj(os.names)?.kind)
    }
    immutable(out, ['spec', 'group'], s.group, os.group)
    immutable(out, ['spec', 'names', 'plural'], obj(s.names)?.plural, obj(os.names)?.plural)
    return out
  },
}

export const OTHER: StrategyTable = {
  'autoscaling/HorizontalPodAutoscaler@v2': hpaV2,
  'autoscaling/HorizontalPodAutoscaler@v1': hpaV1,
  'policy/PodDisruptionBudget': podDisruptionBudget,
  'scheduling.k8s.io/PriorityClass': priorityClass,
  'storage.k8s.io/StorageClass': storageClass,
  'rbac.authorization.k8s.io/Role': {namespaced: true},
  'rbac.authorization.k8s.io/ClusterRole': {namespaced: false},
  'rbac.authorization.k8s.io/RoleBinding': roleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBinding,
  'coordination.k8s.io/Lease': {namespaced: true},
  'events.k8s.io/Event': eventsV1,
  'certificates.k8s.io/CertificateSigningRequest': certificateSigningRequest,
  'apiextensions.k8s.io/CustomResourceDefinition': customResourceDefinition,
}
