// Node selection rules from component-helpers' nodeaffinity: nodeSelector maps, NodeSelectorTerms
// (ORed terms of ANDed label expressions and metadata.name fields) and weighted preferred terms.
import {everything, newRequirement, selectorFromSet, type Operator, type Selector} from '../api/labels.js'
import type {Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm} from './api.js'

const OPERATORS: Readonly<Record<string, Operator>> = {In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt'}

/** A parsed NodeSelectorTerm; `null` when it cannot match (empty, or invalid and skipped as upstream does). */
interface CompiledTerm {
  labels: Selector | null
  fields: {op: 'in' | 'notin'; value: string}[]
}

function compileTerm(term: NodeSelectorTerm): CompiledTerm | null {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (exprs.length === 0 && fields.length === 0) return null
  try {
    const reqs = exprs.map((e: NodeSelectorRequirement) => {
      const op = OPERATORS[e.operator]
      if (!op) throw new Error(`${e.operator} is not a valid label selector operator`)
      return newRequirement(e.key, op, e.values ?? [])
    })
    const compiledFields = fields.map((f) => {
      // Only metadata.name with In/NotIn and one value is a valid node field selector.
      if (f.key !== 'metadata.name' || (f.operator !== 'In' && f.operator !== 'NotIn') || (f.values ?? []).length !== 1) throw new Error('invalid field selector')
      return {op: f.operator === 'In' ? ('in' as const) : ('notin' as const), value: f.values![0]!}
    })
    return {labels: reqs.length > 0 ? everything().add(...reqs) : null, fields: compiledFields}
  } catch {
    return null
  }
}

function termMatches(t: CompiledTerm, name: string, labels: Record<string, string>): boolean {
  if (t.labels && !t.labels.matches(labels)) return false
  for (const f of t.fields) if ((name === f.value) !== (f.op === 'in')) return false
  return true
}

/** nodeaffinity.NodeSelector: true when any term matches. */
export class CompiledNodeSelector {
  private readonly terms: (CompiledTerm | null)[]

  constructor(ns: NodeSelector) {
    this.terms = (ns.nodeSelectorTerms ?? []).map(compileTerm)
  }

  matches(node: Node): boolean {
    const labels = node.metadata.labels ?? {}
    const name = node.metadata.name ?? ''
    for (const t of this.terms) if (t && termMatches(t, name, labels)) return true
    return false
  }
}

/** nodeaffinity.RequiredNodeAffinity: the pod's nodeSelector and required node affinity together. */
export class RequiredNodeAffinity {
  private readonly selector: Selector | null
  private readonly affinity: CompiledNodeSelector | null
  /** True when the pod constrains nodes at all; otherwise every node matches. */
  readonly present: boolean

  constructor(pod: Pod) {
    const spec = pod.spec ?? {}
    this.selector = spec.nodeSelector ? selectorFromSet(spec.nodeSelector) : null
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    this.affinity = required ? new CompiledNodeSelector(required) : null
    this.present = this.selector !== null || this.affinity !== null
  }

  matches(node: Node): boolean {
    if (this.selector && !this.selector.matches(node.metadata.labels ?? {})) return false
    return this.affinity === null || this.affinity.matches(node)
  }
}

const requiredCache = new WeakMap<Pod, RequiredNodeAffinity>()

export function requiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  let r = requiredCache.get(pod)
  if (!r) {
    r = new RequiredNodeAffinity(pod)
    requiredCache.set(pod, r)
  }
  return r
}

/** nodeaffinity.PreferredSchedulingTerms: the sum of the weights of the terms a node matches. */
export class PreferredSchedulingTerms {
  private readonly terms: {weight: number; term: CompiledTerm}[] = []

  constructor(terms: readonly PreferredSchedulingTerm[]) {
    for (const t of terms) {
      if (!t.weight) continue
      const term = compileTerm(t.preference ?? {})
      if (term) this.terms.push({weight: t.weight, term})
    }
  }

  score(node: Node): number {
    const labels = node.metadata.labels ?? {}
    const name = node.metadata.name ?? ''
    let sum = 0
    for (const t of this.terms) if (termMatches(t.term, name, labels)) sum += t.weight
    return sum
  }
}
