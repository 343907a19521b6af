// ObjectMeta checks the apiserver runs on every object: the name rule of the kind, generateName,
// namespace, labels, annotations and owner references.
import {
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateLabels,
  validatePathSegmentName,
  type FieldError,
  type NameValidator,
} from '../../api/names.js'
import {validateOwnerReferences} from '../../api/owner.js'
import type {Path, Problem} from '../problems.js'
import {problem} from '../problems.js'
import {Checker, obj, str, stringMap} from './checker.js'

/** Kinds whose names follow another rule than a DNS-1123 subdomain. */
const NAME_RULES: Record<string, NameValidator> = {
  Namespace: nameIsDNSLabel,
  Service: nameIsDNS1035Label,
  StatefulSet: nameIsDNSLabel,
  Role: validatePathSegmentName,
  ClusterRole: validatePathSegmentName,
  RoleBinding: validatePathSegmentName,
  ClusterRoleBinding: validatePathSegmentName,
}

/** Kinds whose names become part of other names or labels, so must be shorter. */
const NAME_MAX: Record<string, number> = {CronJob: 52}

export function checkMetadata(c: Checker, o: Record<string, unknown>, kind: string): void {
  const meta = obj(o.metadata)
  if (!meta) {
    c.required(['metadata'])
    return
  }
  const rule = NAME_RULES[kind] ?? nameIsDNSSubdomain
  const name = str(meta.name)
  const generateName = str(meta.generateName)
  if (name) {
    c.messages(['metadata', 'name'], name, rule(name, false))
    const max = NAME_MAX[kind]
    if (max && name.length > max) c.invalid(['metadata', 'name'], name, `must be no more than ${max} characters`)
  } else if (generateName) {
    c.messages(['metadata', 'generateName'], generateName, rule(generateName, true))
  } else {
    c.required(['metadata', 'name'], 'name or generateName is required')
  }
  const namespace = str(meta.namespace)
  // The apiserver silently clears the namespace of cluster-scoped objects, so only namespaced ones are checked.
  if (namespace && c.ctx.namespaced !== false) c.messages(['metadata', 'namespace'], namespace, nameIsDNSLabel(namespace, false))
  adopt(c, validateLabels(stringMap(meta.labels), 'metadata.labels'))
  adopt(c, validateAnnotations(stringMap(meta.annotations), 'metadata.annotations'))
  if (Array.isArray(meta.ownerReferences)) adopt(c, validateOwnerReferences(meta.ownerReferences as never, 'metadata.ownerReferences'))
}

/** Labels and annotations of a pod template or other embedded metadata. */
export function checkEmbeddedMetadata(c: Checker, meta: unknown, path: Path): void {
  const m = obj(meta)
  if (!m) return
  adopt(c, validateLabels(stringMap(m.labels), [...path, 'labels'].join('.')))
  adopt(c, validateAnnotations(stringMap(m.annotations), [...path, 'annotations'].join('.')))
}

/** Takes field errors from the apimachinery-style validators (string field paths) as problems. */
export function adopt(c: Checker, errors: FieldError[]): void {
  for (const e of errors) c.problems.push(fromFieldError(e))
}

export function fromFieldError(e: FieldError): Problem {
  const p = problem(parseFieldPath(e.field), e.type === 'Internal error' ? 'Invalid value' : e.type, e.detail || undefined, e.value)
  return p
}

/** `spec.containers[0].ports[1].name` or `metadata.labels[app.kubernetes.io/name]` back into a path. */
export function parseFieldPath(field: string): Path {
  const path: Path = []
  const re = /([^.[\]]+)|\[([^\]]*)\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(field))) {
    if (m[1] !== undefined) path.push(m[1])
    else if (/^\d+$/.test(m[2])) path.push(Number(m[2]))
    else path.push(m[2])
  }
  return path
}
