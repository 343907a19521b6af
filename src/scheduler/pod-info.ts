// PodInfo: a pod parsed once for scheduling (requests, affinity terms, host ports, priority), as
// framework.PodInfo does, so no plugin re-reads the JSON on the hot path.
import {selectorFromLabelSelector, newRequirement, nothing, type Selector} from '../api/labels.js'
import type {Pod, PodAffinityTerm, Toleration, WeightedPodAffinityTerm} from './api.js'
import {podRequests, type PodRequests} from './resources.js'

export interface AffinityTerm {
  namespaces: ReadonlySet<string>
  selector: Selector
  nsSelector: Selector
  topologyKey: string
  /** Identity of the term (namespaces, selectors, topology key): pods of one template share it. */
  key: string
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number
}

export interface HostPort {
  ip: string
  protocol: string
  port: number
}

const EMPTY: Record<string, string> = {}

function selectorKey(s: Selector): string {
  return s.selectable() ? s.toString() : '<none>'
}

/** fwk.AffinityTerm.Matches: the pod's namespace is covered and its labels match. */
export function termMatches(t: AffinityTerm, pod: PodInfo, nsLabels: Record<string, string> | null): boolean {
  if (!t.namespaces.has(pod.namespace) && !t.nsSelector.matches(nsLabels ?? EMPTY)) return false
  return t.selector.matches(pod.labels)
}

function newAffinityTerm(pod: Pod, labels: Record<string, string>, term: PodAffinityTerm): AffinityTerm {
  let selector = selectorFromLabelSelector(term.labelSelector)
  // matchLabelKeys/mismatchLabelKeys narrow the selector with the pod's own values (KEP-3633).
  const extra = []
  for (const k of term.matchLabelKeys ?? []) if (k in labels) extra.push(newRequirement(k, 'in', [labels[k]!]))
  for (const k of term.mismatchLabelKeys ?? []) if (k in labels) extra.push(newRequirement(k, 'notin', [labels[k]!]))
  if (extra.length > 0 && selector.selectable()) selector = selector.add(...extra)
  const nsSelector = term.namespaceSelector ? selectorFromLabelSelector(term.namespaceSelector) : nothing()
  const ns = term.namespaces ?? []
  const namespaces = new Set(ns.length === 0 && !term.namespaceSelector ? [pod.metadata.namespace ?? 'default'] : ns)
  return {namespaces, selector, nsSelector, topologyKey: term.topologyKey, key: affinityTermKey(namespaces, nsSelector, selector, term.topologyKey)}
}

/** GetAffinityTerms: one invalid selector discards the whole list, as NewPodInfo does. */
function affinityTerms(pod: Pod, labels: Record<string, string>, terms: PodAffinityTerm[] | null | undefined, errs: string[]): AffinityTerm[] {
  if (!terms) return []
  try {
    return terms.map((t) => newAffinityTerm(pod, labels, t))
  } catch (e) {
    errs.push((e as Error).message)
    return []
  }
}

function weightedTerms(pod: Pod, labels: Record<string, string>, terms: WeightedPodAffinityTerm[] | null | undefined, errs: string[]): WeightedAffinityTerm[] {
  if (!terms) return []
  try {
    return terms.map((t) => ({...newAffinityTerm(pod, labels, t.podAffinityTerm), weight: t.weight}))
  } catch (e) {
    errs.push((e as Error).message)
    return []
  }
}

function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = []
  const spec = pod.spec ?? {}
  // Restartable init containers (sidecars) keep their ports for the pod's lifetime.
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')]
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue
      out.push({ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort})
    }
  }
  return out
}

function timestamp(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN
  // A pod that has not started counts as starting now, i.e. later than any that has.
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t
}

export class PodInfo {
  readonly pod: Pod
  /** UID, or namespace/name for objects without one. */
  readonly key: string
  readonly namespace: string
  readonly name: string
  readonly labels: Record<string, string>
  priority: number
  readonly requests: PodRequests
  readonly requiredAffinityTerms: AffinityTerm[]
  readonly requiredAntiAffinityTerms: AffinityTerm[]
  readonly preferredAffinityTerms: WeightedAffinityTerm[]
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[]
  /** Any pod (anti-)affinity at all: NodeInfo.PodsWithAffinity. */
  readonly hasAffinity: boolean
  readonly hostPorts: HostPort[]
  readonly tolerations: Toleration[]
  readonly terminating: boolean
  /** status.startTime in ms, for MoreImportantPod. */
  readonly startTime: number
  readonly createdAt: number
  readonly parseError: string | undefined

  constructor(pod: Pod, priority?: number) {
    this.pod = pod
    const meta = pod.metadata ?? {}
    this.namespace = meta.namespace ?? 'default'
    this.name = meta.name ?? ''
    this.key = meta.uid || `${this.namespace}/${this.name}`
    this.labels = meta.labels ?? EMPTY
    const spec = pod.spec ?? {}
    this.priority = priority ?? spec.priority ?? 0
    this.requests = podRequests(pod)
    const errs: string[] = []
    const aff = spec.affinity
    this.requiredAffinityTerms = affinityTerms(pod, this.labels, aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, errs)
    this.requiredAntiAffinityTerms = affinityTerms(pod, this.labels, aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, errs)
    this.preferredAffinityTerms = weightedTerms(pod, this.labels, aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, errs)
    this.preferredAntiAffinityTerms = weightedTerms(pod, this.labels, aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, errs)
    this.hasAffinity = !!aff && (!!aff.podAffinity || !!aff.podAntiAffinity)
    this.parseError = errs.length > 0 ? errs.join('; ') : undefined
    this.hostPorts = hostPorts(pod)
    this.tolerations = spec.tolerations ?? []
    this.terminating = !!meta.deletionTimestamp
    this.startTime = timestamp(pod.status?.startTime)
    this.createdAt = timestamp(meta.creationTimestamp)
  }

  /** A copy that carries another priority (resolved from a PriorityClass). */
  withPriority(priority: number): PodInfo {
    const copy = Object.create(PodInfo.prototype) as PodInfo
    Object.assign(copy, this)
    copy.priority = priority
    return copy
  }
}

/** The counters' identity of a term after its namespace set or selector changed. */
export function affinityTermKey(namespaces: ReadonlySet<string>, nsSelector: Selector, selector: Selector, topologyKey: string): string {
  return `${[...namespaces].sort().join(',')}|${selectorKey(nsSelector)}|${selectorKey(selector)}|${topologyKey}`
}
