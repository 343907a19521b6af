// Cross-object checks over a set of manifests (warnings, not errors): a Service whose selector
// matches no workload among them, and — with --check-references — ConfigMaps, Secrets, PVCs and
// ServiceAccounts that pod templates use but the inputs do not define.
import {warning, type Path, type Problem} from '../problems.js'
import {arr, obj, str, stringMap, type Obj} from './checker.js'

export interface PodTemplateRef {
  /** Path of the pod spec inside the object, e.g. ['spec', 'template', 'spec']. */
  specPath: Path
  spec: Obj
  labels: Record<string, string>
}

/** The pod template of any workload kind (or the Pod itself). */
export function podTemplateOf(o: Obj): PodTemplateRef | undefined {
  const spec = obj(o.spec)
  switch (o.kind) {
    case 'Pod':
      return spec ? {specPath: ['spec'], spec, labels: stringMap(obj(o.metadata)?.labels) ?? {}} : undefined
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job': {
      const t = obj(spec?.template)
      const s = obj(t?.spec)
      return s ? {specPath: ['spec', 'template', 'spec'], spec: s, labels: stringMap(obj(t?.metadata)?.labels) ?? {}} : undefined
    }
    case 'CronJob': {
      const t = obj(obj(obj(spec?.jobTemplate)?.spec)?.template)
      const s = obj(t?.spec)
      return s ? {specPath: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], spec: s, labels: stringMap(obj(t?.metadata)?.labels) ?? {}} : undefined
    }
    case 'PodTemplate': {
      const t = obj(o.template)
      const s = obj(t?.spec)
      return s ? {specPath: ['template', 'spec'], spec: s, labels: stringMap(obj(t?.metadata)?.labels) ?? {}} : undefined
    }
    default:
      return undefined
  }
}

function namespaceOf(o: Obj): string {
  return str(obj(o.metadata)?.namespace) ?? ''
}

function nameOf(o: Obj): string {
  return str(obj(o.metadata)?.name) ?? ''
}

/** Objects every namespace has without anyone applying them. */
const IMPLICIT: Record<string, Set<string>> = {
  ConfigMap: new Set(['kube-root-ca.crt']),
  ServiceAccount: new Set(['default']),
}

export interface Reference {
  kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount'
  name: string
  path: Path
}

/** What a pod spec refers to by name (optional references left out). */
export function podReferences(spec: Obj, base: Path): Reference[] {
  const refs: Reference[] = []
  const add = (kind: Reference['kind'], name: unknown, path: Path, optional?: unknown) => {
    if (typeof name === 'string' && name && optional !== true) refs.push({kind, name, path})
  }
  arr(spec.volumes).forEach((v, i) => {
    const vol = obj(v) ?? {}
    const cm = obj(vol.configMap)
    if (cm) add('ConfigMap', cm.name, [...base, 'volumes', i, 'configMap', 'name'], cm.optional)
    const secret = obj(vol.secret)
    if (secret) add('Secret', secret.secretName, [...base, 'volumes', i, 'secret', 'secretName'], secret.optional)
    const pvc = obj(vol.persistentVolumeClaim)
    if (pvc) add('PersistentVolumeClaim', pvc.claimName, [...base, 'volumes', i, 'persistentVolumeClaim', 'claimName'])
    arr(obj(vol.projected)?.sources).forEach((s, j) => {
      const src = obj(s) ?? {}
      const pcm = obj(src.configMap)
      if (pcm) add('ConfigMap', pcm.name, [...base, 'volumes', i, 'projected', 'sources', j, 'configMap', 'name'], pcm.optional)
      const psec = obj(src.secret)
      if (psec) add('Secret', psec.name, [...base, 'volumes', i, 'projected', 'sources', j, 'secret', 'name'], psec.optional)
    })
  })
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((ctr, i) => {
      const c = obj(ctr) ?? {}
      arr(c.envFrom).forEach((e, j) => {
        const from = obj(e) ?? {}
        const cm = obj(from.configMapRef)
        if (cm) add('ConfigMap', cm.name, [...base, field, i, 'envFrom', j, 'configMapRef', 'name'], cm.optional)
        const sec = obj(from.secretRef)
        if (sec) add('Secret', sec.name, [...base, field, i, 'envFrom', j, 'secretRef', 'name'], sec.optional)
      })
      arr(c.env).forEach((e, j) => {
        const from = obj(obj(e)?.valueFrom) ?? {}
        const cm = obj(from.configMapKeyRef)
        if (cm) add('ConfigMap', cm.name, [...base, field, i, 'env', j, 'valueFrom', 'configMapKeyRef', 'name'], cm.optional)
        const sec = obj(from.secretKeyRef)
        if (sec) add('Secret', sec.name, [...base, field, i, 'env', j, 'valueFrom', 'secretKeyRef', 'name'], sec.optional)
      })
    })
  }
  arr(spec.imagePullSecrets).forEach((s, i) => add('Secret', obj(s)?.name, [...base, 'imagePullSecrets', i, 'name']))
  add('ServiceAccount', spec.serviceAccountName, [...base, 'serviceAccountName'])
  return refs
}

/**
 * What the cross-object checks need to know of one object. Small and cloneable, so that objects
 * validated in worker threads need not be sent back whole.
 */
export interface ObjectFacts {
  kind: string
  apiVersion: string
  namespace: string
  name: string
  /** Labels of the object's pod template (or of the Pod). */
  templateLabels?: Record<string, string>
  /** A v1 Service's selector. */
  serviceSelector?: Record<string, string>
  /** Names the pod template refers to (only collected when references are checked). */
  references?: Reference[]
}

export function objectFacts(o: Obj, checkReferences: boolean): ObjectFacts {
  const facts: ObjectFacts = {kind: String(o.kind), apiVersion: String(o.apiVersion), namespace: namespaceOf(o), name: nameOf(o)}
  const t = podTemplateOf(o)
  if (t) {
    facts.templateLabels = t.labels
    if (checkReferences) facts.references = podReferences(t.spec, t.specPath)
  }
  if (o.kind === 'Service' && o.apiVersion === 'v1') {
    const selector = stringMap(obj(o.spec)?.selector)
    if (selector && Object.keys(selector).length > 0) facts.serviceSelector = selector
  }
  return facts
}

/** Warnings per object index. */
export function crossObjectWarnings(facts: ObjectFacts[], opts: {checkReferences: boolean}): Map<number, Problem[]> {
  const out = new Map<number, Problem[]>()
  const push = (i: number, p: Problem) => {
    if (!out.has(i)) out.set(i, [])
    out.get(i)!.push(p)
  }

  // Templates indexed by namespace and one label pair, so each Service looks only at candidates.
  const byLabel = new Map<string, Array<Record<string, string>>>()
  const anyService = facts.some((f) => f.serviceSelector)
  for (const f of anyService ? facts : []) {
    if (!f.templateLabels) continue
    for (const [k, v] of Object.entries(f.templateLabels)) {
      const key = `${f.namespace}\u0000${k}\u0000${v}`
      if (!byLabel.has(key)) byLabel.set(key, [])
      byLabel.get(key)!.push(f.templateLabels)
    }
  }
  facts.forEach((f, i) => {
    const selector = f.serviceSelector
    if (!selector) return
    const [firstKey, firstValue] = Object.entries(selector)[0]
    const candidates = byLabel.get(`${f.namespace}\u0000${firstKey}\u0000${firstValue}`) ?? []
    const matched = candidates.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v))
    if (!matched) {
      const text = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')
      push(i, warning(['spec', 'selector'], `selector ${text} matches no Pod or pod template in the inputs`))
    }
  })

  if (opts.checkReferences) {
    const defined = new Set(facts.map((f) => `${f.kind}/${f.namespace}/${f.name}`))
    facts.forEach((f, i) => {
      for (const ref of f.references ?? []) {
        if (IMPLICIT[ref.kind]?.has(ref.name)) continue
        if (!defined.has(`${ref.kind}/${f.namespace}/${ref.name}`)) {
          push(i, warning(ref.path, `${ref.kind} "${ref.name}" is not defined in the inputs`))
        }
      }
    })
  }
  return out
}
