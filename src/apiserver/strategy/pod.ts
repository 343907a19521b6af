// Pods and pod templates: the core/v1 defaulters (SetDefaults_Pod, SetDefaults_PodSpec, containers,
// probes, volumes), the pod strategy (status on create, QoS class, scheduling-gate condition,
// generation) and ValidatePodUpdate's rules for what an update may change.
import {Quantity} from '../../api/quantity.js'
import {problem, type Problem} from '../../schema/problems.js'
import {
  arr,
  atLeast,
  child,
  clone,
  forbidden,
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
import {templateMetadata} from './meta.js'

// ---------------------------------------------------------------------------------------------
// Defaults

interface PodSpecDefaultOptions {
  /** SetDefaults_Pod applies only to Pod objects; templates get SetDefaults_PodSpec alone. */
  isPod: boolean
}

/** The defaults of a Pod object (spec and the v1 status conversions). */
export function defaultPod(pod: Obj, ctx: StrategyContext): void {
  const spec = child(pod, 'spec')
  defaultPodSpec(spec, ctx, {isPod: true})
  const status = obj(pod.status)
  if (status) syncStatusIPs(status)
}

/** A PodTemplateSpec inside a workload: PodSpec defaults plus the template's metadata. */
export function defaultPodTemplate(template: unknown, ctx: StrategyContext): void {
  const t = obj(template)
  if (!t) return
  templateMetadata(t, ctx)
  defaultPodSpec(child(t, 'spec'), ctx, {isPod: false})
}

export function defaultPodSpec(spec: Obj, ctx: StrategyContext, opts: PodSpecDefaultOptions): void {
  const containers = objs(spec.containers)
  const initContainers = objs(spec.initContainers)
  if (opts.isPod) {
    // Requests default to limits per container; on a Pod only, never on a template.
    for (const c of [...containers, ...initContainers]) requestsFromLimits(c)
    if (atLeast(ctx, 34)) defaultPodLevelResources(spec)
    setIfNil(spec, 'enableServiceLinks', true)
    if (spec.hostNetwork === true) {
      for (const c of [...containers, ...initContainers]) {
        for (const p of objs(c.ports)) if (!num(p.hostPort)) p.hostPort = p.containerPort
      }
    }
  }
  // SetDefaults_PodSpec.
  setDefault(spec, 'dnsPolicy', 'ClusterFirst')
  setDefault(spec, 'restartPolicy', 'Always')
  setIfNil(spec, 'securityContext', {})
  setIfNil(spec, 'terminationGracePeriodSeconds', 30)
  setDefault(spec, 'schedulerName', 'default-scheduler')
  // v1 conversion: serviceAccount is the deprecated alias of serviceAccountName.
  const sa = str(spec.serviceAccountName) || str(spec.serviceAccount)
  if (sa) {
    spec.serviceAccountName = sa
    spec.serviceAccount = sa
  }
  for (const v of objs(spec.volumes)) defaultVolume(v, ctx)
  for (const c of [...initContainers, ...containers, ...objs(spec.ephemeralContainers)]) defaultContainer(c)
  roundResourceList(spec.overhead)
}

function requestsFromLimits(c: Obj): void {
  const resources = obj(c.resources)
  const limits = obj(resources?.limits)
  // An empty limits map would give an empty requests map, which does not print.
  if (!resources || !limits || Object.keys(limits).length === 0) return
  const requests = child(resources, 'requests')
  for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v
}

// Supported pod-level resources (cpu, memory, hugepages-*); of those only cpu and memory may be overcommitted.
const isPodLevelResource = (name: string) => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-')
const overcommitAllowed = (name: string) => name === 'cpu' || name === 'memory'

/**
 * PodLevelResources (beta, on since 1.34): pod-level hugepage limits from the containers' limits,
 * then pod-level requests from the containers' effective requests or the pod-level limits.
 */
function defaultPodLevelResources(spec: Obj): void {
  const resources = obj(spec.resources)
  if (!resources) return
  const limits = obj(resources.limits) ?? {}
  const requests = obj(resources.requests) ?? {}
  if (Object.keys(limits).length > 0 || Object.keys(requests).length > 0) {
    const aggregated = aggregateContainers(spec, 'limits')
    for (const [name, q] of aggregated) {
      if (!name.startsWith('hugepages-') || requests[name] !== undefined || limits[name] !== undefined) continue
      limits[name] = q.toString()
    }
    if (Object.keys(limits).length > 0) resources.limits = limits
  }
  if (Object.keys(limits).length === 0) return
  const podRequests: Obj = {...requests}
  for (const [name, q] of aggregateContainers(spec, 'requests')) {
    if (podRequests[name] === undefined && isPodLevelResource(name) && overcommitAllowed(name)) podRequests[name] = q.toString()
  }
  for (const [name, q] of Object.entries(limits)) {
    if (podRequests[name] === undefined && isPodLevelResource(name)) podRequests[name] = q
  }
  if (Object.keys(podRequests).length > 0) resources.requests = podRequests
}

/**
 * The effective requests (or limits) of a pod's containers: the sum over regular and sidecar
 * containers, or a larger single init container plus the sidecars started before it.
 */
function aggregateContainers(spec: Obj, which: 'requests' | 'limits'): Map<string, Quantity> {
  const sum = new Map<string, Quantity>()
  const add = (into: Map<string, Quantity>, list: unknown) => {
    for (const [k, v] of Object.entries(obj(list) ?? {})) {
      const q = quantity(v)
      if (q) into.set(k, (into.get(k) ?? Quantity.fromValue(0, q.format)).add(q))
    }
  }
  for (const c of objs(spec.containers)) add(sum, obj(c.resources)?.[which])
  const sidecars = new Map<string, Quantity>()
  const initMax = new Map<string, Quantity>()
  for (const c of objs(spec.initContainers)) {
    const list = obj(c.resources)?.[which]
    if (c.restartPolicy === 'Always') {
      add(sidecars, list)
      add(sum, list)
      continue
    }
    const effective = new Map(sidecars)
    add(effective, list)
    for (const [k, q] of effective) if (!initMax.has(k) || q.cmp(initMax.get(k)!) > 0) initMax.set(k, q)
  }
  for (const [k, q] of initMax) if (!sum.has(k) || q.cmp(sum.get(k)!) > 0) sum.set(k, q)
  return sum
}

// Volume sources with defaults of their own, keyed by the volume source field.
function defaultVolume(v: Obj, ctx: StrategyContext): void {
  // A volume with no source at all becomes an emptyDir.
  if (Object.keys(v).every((k) => k === 'name')) v.emptyDir = {}
  const hostPath = obj(v.hostPath)
  if (hostPath) setIfNil(hostPath, 'type', '')
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = obj(v[key])
    if (source) setIfNil(source, 'defaultMode', 420)
  }
  for (const item of objs(obj(v.downwardAPI)?.items)) defaultFieldRef(item.fieldRef)
  for (const source of objs(obj(v.projected)?.sources)) {
    for (const item of objs(obj(source.downwardAPI)?.items)) defaultFieldRef(item.fieldRef)
    const token = obj(source.serviceAccountToken)
    if (token) setIfNil(token, 'expirationSeconds', 3600)
  }
  defaultLegacyVolumeSource(v)
  const claimTemplate = obj(obj(v.ephemeral)?.volumeClaimTemplate)
  if (claimTemplate) {
    if (claimTemplate.metadata !== undefined) templateMetadata(claimTemplate, ctx)
    defaultClaimSpec(child(claimTemplate, 'spec'))
  }
  const image = obj(v.image)
  if (image && atLeast(ctx, 35)) setDefault(image, 'pullPolicy', pullPolicyFor(str(image.reference) ?? ''))
}

/** Declarative defaults of the in-tree volume sources (also used by PersistentVolumes). */
export function defaultLegacyVolumeSource(v: Obj): void {
  const iscsi = obj(v.iscsi)
  if (iscsi) setDefault(iscsi, 'iscsiInterface', 'default')
  const rbd = obj(v.rbd)
  if (rbd) {
    setDefault(rbd, 'pool', 'rbd')
    setDefault(rbd, 'user', 'admin')
    setDefault(rbd, 'keyring', '/etc/ceph/keyring')
  }
  const azureDisk = obj(v.azureDisk)
  if (azureDisk) {
    setDefault(azureDisk, 'cachingMode', 'ReadWrite')
    setDefault(azureDisk, 'fsType', 'ext4')
    setIfNil(azureDisk, 'readOnly', false)
    setDefault(azureDisk, 'kind', 'Shared')
  }
  const scaleIO = obj(v.scaleIO)
  if (scaleIO) {
    setDefault(scaleIO, 'storageMode', 'ThinProvisioned')
    setDefault(scaleIO, 'fsType', 'xfs')
  }
}

export function defaultClaimSpec(spec: Obj): void {
  setIfNil(spec, 'volumeMode', 'Filesystem')
  const resources = obj(spec.resources)
  roundResourceList(resources?.limits)
  roundResourceList(resources?.requests)
}

function defaultFieldRef(ref: unknown): void {
  const r = obj(ref)
  if (r) setDefault(r, 'apiVersion', 'v1')
}

function defaultContainer(c: Obj): void {
  setDefault(c, 'imagePullPolicy', pullPolicyFor(str(c.image) ?? ''))
  setDefault(c, 'terminationMessagePath', '/dev/termination-log')
  setDefault(c, 'terminationMessagePolicy', 'File')
  for (const p of objs(c.ports)) setDefault(p, 'protocol', 'TCP')
  for (const e of objs(c.env)) defaultFieldRef(obj(e.valueFrom)?.fieldRef)
  // Resources is a non-pointer struct: it always prints, as {} when empty.
  const resources = child(c, 'resources')
  roundResourceList(resources.limits)
  roundResourceList(resources.requests)
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = obj(c[key])
    if (!probe) continue
    for (const [field, value] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) {
      if (!num(probe[field])) probe[field] = value
    }
    defaultHTTPGet(probe.httpGet)
  }
  const lifecycle = obj(c.lifecycle)
  if (lifecycle) {
    defaultHTTPGet(obj(lifecycle.postStart)?.httpGet)
    defaultHTTPGet(obj(lifecycle.preStop)?.httpGet)
  }
}

function defaultHTTPGet(action: unknown): void {
  const a = obj(action)
  if (!a) return
  setDefault(a, 'path', '/')
  setDefault(a, 'scheme', 'HTTP')
}

/**
 * The kubelet pulls `:latest` (or an untagged, undigested image) every time and anything else only
 * when missing. An image reference that does not parse counts as having no tag.
 */
export function pullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent'
}

// A loose docker reference: [host[:port]/]path[:tag][@digest], path components lowercase.
const REFERENCE = /^(?:([a-zA-Z0-9.-]+(?::\d+)?)\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$/

function imageTag(image: string): string {
  const m = REFERENCE.exec(image)
  if (!m) return ''
  // A first component without a dot, colon or "localhost" is part of the path, not a host.
  if (m[1] && !/[.:]/.test(m[1]) && m[1] !== 'localhost' && m[1] !== m[1].toLowerCase()) return ''
  if (m[3]) return m[3]
  return m[4] ? '' : 'latest'
}

/** v1 conversion: status.podIP(s) and hostIP(s) mirror each other. */
function syncStatusIPs(status: Obj): void {
  for (const [one, many] of [['podIP', 'podIPs'], ['hostIP', 'hostIPs']] as const) {
    const list = objs(status[many])
    const single = str(status[one])
    if (list.length === 0 && single) status[many] = [{ip: single}]
    else if (list.length > 0 && str(list[0].ip)) status[one] = list[0].ip
  }
}

// ---------------------------------------------------------------------------------------------
// QoS

/** qos.GetPodQOS: Guaranteed, Burstable or BestEffort from the cpu and memory requests and limits. */
export function podQOSClass(pod: Obj, ctx: StrategyContext): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = obj(pod.spec) ?? {}
  const requests = new Map<string, Quantity>()
  const limits = new Map<string, Quantity>()
  let guaranteed = true
  const collect = (from: unknown, into: Map<string, Quantity>): Set<string> => {
    const found = new Set<string>()
    for (const [name, v] of Object.entries(obj(from) ?? {})) {
      if (name !== 'cpu' && name !== 'memory') continue
      const q = quantity(v)
      if (!q || q.sign() <= 0) continue
      found.add(name)
      into.set(name, into.has(name) ? into.get(name)!.add(q) : q)
    }
    return found
  }
  const podResources = obj(spec.resources)
  if (atLeast(ctx, 34) && podResources) {
    collect(podResources.requests, requests)
    if (Object.keys(obj(podResources.limits) ?? {}).length > 0) {
      const found = collect(podResources.limits, limits)
      if (!found.has('cpu') || !found.has('memory')) guaranteed = false
    }
  } else {
    for (const c of [...objs(spec.containers), ...objs(spec.initContainers)]) {
      const r = obj(c.resources) ?? {}
      collect(r.requests, requests)
      const found = collect(r.limits, limits)
      if (!found.has('cpu') || !found.has('memory')) guaranteed = false
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort'
  if (guaranteed) {
    for (const [name, q] of requests) {
      const lim = limits.get(name)
      if (!lim || lim.cmp(q) !== 0) {
        guaranteed = false
        break
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable'
}

// ---------------------------------------------------------------------------------------------
// Strategy

export function preparePodForCreate(pod: Obj, ctx: StrategyContext): void {
  const meta = child(pod, 'metadata')
  if (atLeast(ctx, 33)) meta.generation = 1
  const status: Obj = {phase: 'Pending', qosClass: podQOSClass(pod, ctx)}
  pod.status = status
  const spec = child(pod, 'spec')
  if (arr(spec.schedulingGates).length > 0) {
    status.conditions = [{
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: nowISO(ctx),
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    }]
  }
  const labels = obj(meta.labels) ?? {}
  if (atLeast(ctx, 31)) mutatePodAffinity(spec, labels)
  if (atLeast(ctx, 34)) {
    for (const c of objs(spec.topologySpreadConstraints)) applyLabelKeys(c.labelSelector, c.matchLabelKeys, 'In', labels)
  }
  if (atLeast(ctx, 30)) applyAppArmorAnnotations(pod)
}

/** matchLabelKeys / mismatchLabelKeys become In / NotIn requirements on the term's selector. */
function mutatePodAffinity(spec: Obj, labels: Obj): void {
  const affinity = obj(spec.affinity)
  if (!affinity) return
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = obj(affinity[kind])
    if (!a) continue
    const terms = [
      ...objs(a.requiredDuringSchedulingIgnoredDuringExecution),
      ...objs(a.preferredDuringSchedulingIgnoredDuringExecution).map((w) => obj(w.podAffinityTerm) ?? {}),
    ]
    for (const term of terms) {
      applyLabelKeys(term.labelSelector, term.matchLabelKeys, 'In', labels)
      applyLabelKeys(term.labelSelector, term.mismatchLabelKeys, 'NotIn', labels)
    }
  }
}

function applyLabelKeys(selector: unknown, keys: unknown, operator: 'In' | 'NotIn', labels: Obj): void {
  const s = obj(selector)
  if (!s) return
  for (const key of arr(keys)) {
    const value = typeof key === 'string' ? labels[key] : undefined
    if (typeof value !== 'string') continue
    s.matchExpressions = [...arr(s.matchExpressions), {key, operator, values: [value]}]
  }
}

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'

/** 1.30 moved AppArmor from annotations to fields; an annotation without a field is copied over. */
function applyAppArmorAnnotations(pod: Obj): void {
  const spec = child(pod, 'spec')
  if (obj(spec.os)?.name === 'windows') return
  const annotations = obj(obj(pod.metadata)?.annotations) ?? {}
  const podProfile = obj(spec.securityContext)?.appArmorProfile
  for (const c of [...objs(spec.initContainers), ...objs(spec.containers), ...objs(spec.ephemeralContainers)]) {
    const value = str(annotations[APPARMOR_PREFIX + str(c.name)])
    if (value === undefined || obj(c.securityContext)?.appArmorProfile) continue
    const profile =
      value === 'runtime/default' ? {type: 'RuntimeDefault'}
      : value === 'unconfined' ? {type: 'Unconfined'}
      : value.startsWith('localhost/') && value.length > 'localhost/'.length ? {type: 'Localhost', localhostProfile: value.slice('localhost/'.length)}
      : undefined
    if (profile && !semanticEqual(profile, podProfile)) child(c, 'securityContext').appArmorProfile = profile
  }
}

// ---------------------------------------------------------------------------------------------
// Admission defaults (not defaulters, but what a created pod comes back with)

export interface PodAdmissionOptions {
  /** The PriorityClass named by the pod, or the global default class, when one exists. */
  priorityClass?: {name?: string; value: number; preemptionPolicy?: string}
  /** DefaultTolerationSeconds' value (the plugin's default is 300). */
  defaultTolerationSeconds?: number
}

/**
 * What the default admission chain adds to a new pod: the ServiceAccount plugin's default account
 * name, DefaultTolerationSeconds' not-ready/unreachable tolerations and the Priority plugin's
 * priority and preemption policy. The service account token volume is left to the caller (its name
 * carries a random suffix and needs the account).
 */
export function applyPodAdmissionDefaults(pod: Obj, opts: PodAdmissionOptions = {}): void {
  const spec = child(pod, 'spec')
  if (!str(spec.serviceAccountName)) {
    spec.serviceAccountName = 'default'
    spec.serviceAccount = 'default'
  }
  const seconds = opts.defaultTolerationSeconds ?? 300
  const tolerations = objs(spec.tolerations)
  const tolerates = (key: string) =>
    tolerations.some((t) => (t.key === key || !str(t.key)) && (t.effect === 'NoExecute' || !str(t.effect)))
  const added: Obj[] = []
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(key)) added.push({key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds})
  }
  if (added.length > 0) spec.tolerations = [...arr(spec.tolerations), ...added]
  const pc = opts.priorityClass
  if (pc?.name && !str(spec.priorityClassName)) spec.priorityClassName = pc.name
  spec.priority = pc ? pc.value : 0
  const policy = pc ? pc.preemptionPolicy : 'PreemptLowerPriority'
  if (policy) spec.preemptionPolicy = policy
}

// ---------------------------------------------------------------------------------------------
// Update validation

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
]

/**
 * The header of ValidatePodUpdate's catch-all message. The apiserver appends a go-cmp diff of the
 * two specs after a newline; go-cmp deliberately randomises its output, so it is not reproduced.
 */
export const POD_UPDATE_FORBIDDEN = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`

const MAX_INT32 = 2147483647

export function validatePodUpdate(newPod: Obj, oldPod: Obj): Problem[] {
  const out: Problem[] = []
  const spec = obj(newPod.spec) ?? {}
  const old = obj(oldPod.spec) ?? {}
  for (const key of ['containers', 'initContainers'] as const) {
    const n = objs(spec[key])
    if (n.length !== objs(old[key]).length) {
      out.push(forbidden(['spec', key], 'pod updates may not add or remove containers'))
      return out
    }
    n.forEach((c, i) => {
      const image = str(c.image) ?? ''
      if (image === '') out.push(problem(['spec', key, i, 'image'], 'Required value'))
      if (image.trim() !== image) out.push(invalid(['spec', key, i, 'image'], image, 'must not have leading or trailing whitespace'))
    })
  }
  const deadline = num(spec.activeDeadlineSeconds)
  const oldDeadline = num(old.activeDeadlineSeconds)
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > MAX_INT32) {
      out.push(invalid(['spec', 'activeDeadlineSeconds'], deadline, `must be between 0 and ${MAX_INT32}, inclusive`))
      return out
    }
    if (oldDeadline !== undefined && oldDeadline < deadline) {
      out.push(invalid(['spec', 'activeDeadlineSeconds'], deadline, 'must be less than or equal to previous value'))
      return out
    }
  } else if (oldDeadline !== undefined) {
    out.push(invalid(['spec', 'activeDeadlineSeconds'], null, 'must not update from a positive integer to nil value'))
  }
  out.push(...onlyAddedTolerations(spec.tolerations, old.tolerations))
  out.push(...onlyDeletedSchedulingGates(spec.schedulingGates, old.schedulingGates))
  if (semanticEqual(spec, old)) return out

  // Put the fields that may change back to their old values and see whether anything else differs.
  const munged: Obj = JSON.parse(JSON.stringify(spec)) as Obj
  for (const key of ['containers', 'initContainers'] as const) {
    const oldList = objs(old[key])
    objs(munged[key]).forEach((c, i) => {
      if (oldList[i]?.image === undefined) delete c.image
      else c.image = oldList[i].image
    })
  }
  copyField(munged, old, 'activeDeadlineSeconds')
  copyField(munged, old, 'schedulingGates')
  copyField(munged, old, 'tolerations')
  const oldGrace = num(old.terminationGracePeriodSeconds)
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace
  if (arr(old.schedulingGates).length > 0) out.push(...gatedPodMutations(munged, old))
  if (!semanticEqual(munged, old)) out.push(forbidden(['spec'], POD_UPDATE_FORBIDDEN))
  return out
}

function copyField(into: Obj, from: Obj, key: string): void {
  if (from[key] === undefined) delete into[key]
  else into[key] = JSON.parse(JSON.stringify(from[key])) as unknown
}

function onlyAddedTolerations(newList: unknown, oldList: unknown): Problem[] {
  const fields = (t: Obj) => ({key: str(t.key) ?? '', operator: str(t.operator) ?? '', value: str(t.value) ?? '', effect: str(t.effect) ?? ''})
  const added = objs(newList)
  for (const old of objs(oldList)) {
    if (!added.some((t) => semanticEqual(fields(t), fields(old)))) {
      return [forbidden(['spec', 'tolerations'], 'existing toleration can not be modified except its tolerationSeconds')]
    }
  }
  return []
}

function onlyDeletedSchedulingGates(newList: unknown, oldList: unknown): Problem[] {
  const oldNames = new Set(objs(oldList).map((g) => str(g.name)))
  const out: Problem[] = []
  // Upstream collects the new names in a map (last index wins) and reports them in map order; the
  // order here is the list's.
  const seen = new Map<string, number>()
  objs(newList).forEach((g, i) => seen.set(str(g.name) ?? '', i))
  for (const [name, i] of seen) {
    if (!oldNames.has(name)) out.push(forbidden(['spec', 'schedulingGates', i, 'name'], `only deletion is allowed, but found new scheduling gate '${name}'`))
  }
  return out
}

/** A pod still waiting on scheduling gates may gain node selector entries and node affinity terms. */
function gatedPodMutations(munged: Obj, old: Obj): Problem[] {
  const out: Problem[] = []
  const oldSelector = obj(old.nodeSelector) ?? {}
  const newSelector = obj(munged.nodeSelector) ?? {}
  if (!semanticEqual(newSelector, oldSelector)) {
    for (const [k, v] of Object.entries(oldSelector)) {
      if (newSelector[k] !== v) {
        out.push(invalid(['spec', 'nodeSelector'], newSelector, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'))
        break
      }
    }
    copyField(munged, old, 'nodeSelector')
  }
  const oldNode = obj(obj(old.affinity)?.nodeAffinity)
  const newNode = obj(obj(munged.affinity)?.nodeAffinity)
  if (!semanticEqual(oldNode, newNode)) {
    out.push(...nodeAffinityMutation(newNode, oldNode))
    const affinity = obj(munged.affinity)
    if (!affinity && oldNode) munged.affinity = {nodeAffinity: oldNode}
    else if (affinity && !obj(old.affinity) && !affinity.podAffinity && !affinity.podAntiAffinity) delete munged.affinity
    else if (affinity) {
      if (oldNode) affinity.nodeAffinity = oldNode
      else delete affinity.nodeAffinity
    }
  }
  return out
}

function nodeAffinityMutation(newNode: Obj | undefined, oldNode: Obj | undefined): Problem[] {
  const oldRequired = obj(oldNode?.requiredDuringSchedulingIgnoredDuringExecution)
  if (!oldRequired) return []
  const base = ['spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']
  const oldTerms = objs(oldRequired.nodeSelectorTerms)
  const newTerms = objs(obj(newNode?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms)
  if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
    return [invalid(base, newTerms, 'no additions/deletions to non-empty NodeSelectorTerms list are allowed')]
  }
  const out: Problem[] = []
  oldTerms.forEach((term, i) => {
    if (!termHasOnlyAdditions(newTerms[i], term)) out.push(invalid([...base, i], newTerms[i], 'only additions are allowed (no mutations or deletions)'))
  })
  return out
}

function termHasOnlyAdditions(newTerm: Obj, oldTerm: Obj): boolean {
  const oldExpr = arr(oldTerm.matchExpressions)
  const oldFields = arr(oldTerm.matchFields)
  const newExpr = arr(newTerm.matchExpressions)
  const newFields = arr(newTerm.matchFields)
  if (oldExpr.length === 0 && oldFields.length === 0 && (newExpr.length > 0 || newFields.length > 0)) return false
  if (newExpr.length < oldExpr.length || !semanticEqual(newExpr.slice(0, oldExpr.length), oldExpr)) return false
  if (newFields.length < oldFields.length || !semanticEqual(newFields.slice(0, oldFields.length), oldFields)) return false
  return true
}

/** The pods/status strategy: spec, owner references and a set QoS class come from the stored pod. */
export function preparePodStatusUpdate(newPod: Obj, oldPod: Obj): void {
  newPod.spec = clone(oldPod.spec)
  const meta = child(newPod, 'metadata')
  const oldMeta = obj(oldPod.metadata) ?? {}
  if (oldMeta.ownerReferences === undefined) delete meta.ownerReferences
  else meta.ownerReferences = clone(oldMeta.ownerReferences)
  if (oldMeta.deletionTimestamp === undefined) delete meta.deletionTimestamp
  else meta.deletionTimestamp = oldMeta.deletionTimestamp
  const status = child(newPod, 'status')
  const oldStatus = obj(oldPod.status) ?? {}
  if (!str(status.qosClass) && oldStatus.qosClass !== undefined) status.qosClass = oldStatus.qosClass
  if (!num(status.observedGeneration) && oldStatus.observedGeneration !== undefined) status.observedGeneration = oldStatus.observedGeneration
  // Conditions without an observedGeneration keep the one of the old condition of the same type.
  const oldByType = new Map<string, unknown[]>()
  for (const c of objs(oldStatus.conditions)) oldByType.set(String(c.type), [...(oldByType.get(String(c.type)) ?? []), c.observedGeneration])
  for (const c of objs(status.conditions)) {
    const queue = oldByType.get(String(c.type))
    const previous = queue?.shift()
    if (!num(c.observedGeneration) && previous !== undefined) c.observedGeneration = previous
  }
  syncStatusIPs(status)
}

export function validatePodStatusUpdate(newPod: Obj, oldPod: Obj): Problem[] {
  const out: Problem[] = []
  const n = str(obj(newPod.status)?.qosClass) ?? ''
  const o = str(obj(oldPod.status)?.qosClass) ?? ''
  if (n !== o) out.push(invalid(['status', 'qosClass'], n, 'field is immutable'))
  return out
}
