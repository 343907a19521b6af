// Schema validation of Kubernetes objects with Ajv: the generated built-in schemas of one release,
// plus custom resources from CustomResourceDefinitions or JSON Schema files. Each kind's schema is
// compiled once, on first use. In strict mode unknown fields are errors, as with the apiserver's
// strict field validation.
import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {joinApiVersion, ResourceRegistry, splitApiVersion} from '../api/registry.js'
import {loadDefinitions, type JsonSchema} from './files.js'
import {crdToSchemas, type CustomResourceSchema} from './crd.js'
import {problem, type Path, type Problem} from './problems.js'

// ajv-formats is CommonJS: its default export arrives as `.default` of the module object.
const addFormats = (addFormatsModule as unknown as {default: (ajv: Ajv, formats: string[]) => Ajv}).default

const K8S = 'k8s'
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'

export interface ValidatorOptions {
  kubernetesVersion: string
  strict: boolean
}

export interface SchemaResult {
  /** False when no schema is known for the object's apiVersion and kind. */
  known: boolean
  problems: Problem[]
}

interface CustomKind {
  schema: JsonSchema
  namespaced?: boolean
}

/**
 * The built-in kinds of one (release, strict) pair: one Ajv instance with every definition, each
 * kind compiled on first use and kept for the life of the process (compiling Deployment, which
 * reaches PodSpec, takes ~140 ms).
 */
class BuiltinValidators {
  private static readonly instances = new Map<string, BuiltinValidators>()
  readonly ajv: Ajv
  private readonly compiled = new Map<string, ValidateFunction>()

  static get(kubernetesVersion: string, strict: boolean): BuiltinValidators {
    const key = `${kubernetesVersion}/${strict}`
    let v = BuiltinValidators.instances.get(key)
    if (!v) BuiltinValidators.instances.set(key, (v = new BuiltinValidators(kubernetesVersion, strict)))
    return v
  }

  private constructor(kubernetesVersion: string, strict: boolean) {
    this.ajv = newAjv(kubernetesVersion, strict)
  }

  forDefinition(definition: string): ValidateFunction {
    let fn = this.compiled.get(definition)
    if (!fn) this.compiled.set(definition, (fn = this.ajv.compile({$ref: `${K8S}#/definitions/${definition}`})))
    return fn
  }
}

function newAjv(kubernetesVersion: string, strict: boolean): Ajv {
  const ajv = new Ajv({allErrors: true, strict: false, logger: false, validateSchema: false, addUsedSchema: false})
  addFormats(ajv, ['int32', 'int64', 'byte', 'date-time', 'date', 'double', 'float', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uuid'])
  ajv.addKeyword({keyword: 'x-kubernetes-preserve-unknown-fields'})
  let definitions = loadDefinitions(kubernetesVersion)
  if (strict) definitions = strictDefinitions(definitions)
  ajv.addSchema({$id: K8S, definitions}, K8S)
  return ajv
}

export class SchemaValidator {
  readonly registry: ResourceRegistry
  private readonly builtin: BuiltinValidators
  /** Custom resources get an Ajv of their own, so the shared built-in one never holds them. */
  private customAjv?: Ajv
  private readonly customCompiled = new Map<string, ValidateFunction>()
  private readonly custom = new Map<string, CustomKind>()

  constructor(readonly options: ValidatorOptions) {
    this.registry = ResourceRegistry.forVersion(options.kubernetesVersion)
    this.builtin = BuiltinValidators.get(options.kubernetesVersion, options.strict)
  }

  /** Registers the schemas of every served version of a CustomResourceDefinition. */
  addCustomResourceDefinition(crd: Record<string, unknown>): void {
    for (const s of crdToSchemas(crd)) this.addCustomResourceSchema(s)
  }

  addCustomResourceSchema(s: CustomResourceSchema): void {
    // Schema files name kinds in lower case (`widget-example.com-v1.json`): those match any case.
    const key = customKey(joinApiVersion(s.group, s.version), s.kind, !s.fromCrd)
    const schema = prepareCustomSchema(s.schema, this.options.strict, s.fromCrd)
    this.custom.set(key, {schema, namespaced: s.namespaced})
    this.customCompiled.delete(key)
  }

  hasSchema(apiVersion: string, kind: string): boolean {
    return this.customKeyFor(apiVersion, kind) !== undefined || this.definitionFor(apiVersion, kind) !== undefined
  }

  private customKeyFor(apiVersion: string, kind: string): string | undefined {
    if (this.custom.size === 0) return undefined
    const exact = customKey(apiVersion, kind, false)
    if (this.custom.has(exact)) return exact
    const anyCase = customKey(apiVersion, kind, true)
    return this.custom.has(anyCase) ? anyCase : undefined
  }

  /** Whether the kind is namespaced, when known (built-in registry or a CRD's scope). */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    const key = this.customKeyFor(apiVersion, kind)
    if (key) return this.custom.get(key)!.namespaced
    return this.registry.forKind(apiVersion, kind)?.namespaced
  }

  validate(obj: Record<string, unknown>): SchemaResult {
    const fn = this.validatorFor(String(obj.apiVersion), String(obj.kind))
    if (!fn) return {known: false, problems: []}
    // Nulls are rare: validate as written first, and drop nulls only when that fails.
    if (fn(obj)) return {known: true, problems: []}
    const data = withoutNulls(obj)
    if (data !== obj && fn(data)) return {known: true, problems: []}
    return {known: true, problems: toProblems(fn.errors ?? [], data)}
  }

  private definitionFor(apiVersion: string, kind: string): string | undefined {
    return this.registry.forKind(apiVersion, kind)?.definition
  }

  private validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = this.customKeyFor(apiVersion, kind)
    if (key) {
      let fn = this.customCompiled.get(key)
      if (!fn) {
        this.customAjv ??= newAjv(this.options.kubernetesVersion, this.options.strict)
        this.customCompiled.set(key, (fn = this.customAjv.compile(this.custom.get(key)!.schema)))
      }
      return fn
    }
    const def = this.definitionFor(apiVersion, kind)
    return def ? this.builtin.forDefinition(def) : undefined
  }
}

function customKey(apiVersion: string, kind: string, anyCase: boolean): string {
  return anyCase ? `${apiVersion}/~${kind.toLowerCase()}` : `${apiVersion}/${kind}`
}

/** Kubernetes decodes `null` as "not set": drop nulls, copying only the parts that hold any. */
export function withoutNulls<T>(value: T): T {
  // Almost no manifest has nulls: scan first without allocating, copy only when one is found.
  return hasNull(value) ? (copyWithoutNulls(value) as T) : value
}

function hasNull(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] === null || hasNull(value[i])) return true
    return false
  }
  const o = value as Record<string, unknown>
  for (const k in o) {
    const v = o[k]
    if (v === null || (typeof v === 'object' && hasNull(v))) return true
  }
  return false
}

function copyWithoutNulls(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !hasNull(value)) return value
  if (Array.isArray(value)) return value.map(copyWithoutNulls)
  const out: Record<string, unknown> = {}
  const o = value as Record<string, unknown>
  for (const k in o) {
    if (o[k] !== null) out[k] = copyWithoutNulls(o[k])
  }
  return out
}

/** Strict field validation: every object schema that lists its properties rejects others. */
function strictDefinitions(defs: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {}
  for (const [name, s] of Object.entries(defs)) out[name] = closeObjects(s, false)
  return out
}

function closeObjects(s: JsonSchema, closeEmpty: boolean): JsonSchema {
  if (typeof s !== 'object' || s === null || '$ref' in s) return s
  const out: JsonSchema = {...s}
  if (isRecord(s.properties)) {
    const props: Record<string, JsonSchema> = {}
    for (const [k, v] of Object.entries(s.properties)) props[k] = closeObjects(v as JsonSchema, closeEmpty)
    out.properties = props
  }
  if (isRecord(s.items)) out.items = closeObjects(s.items, closeEmpty)
  if (isRecord(s.additionalProperties)) out.additionalProperties = closeObjects(s.additionalProperties, closeEmpty)
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[k])) out[k] = (s[k] as JsonSchema[]).map((x) => closeObjects(x, closeEmpty))
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true
  const isObjectType = s.type === 'object' || (s.type === undefined && isRecord(s.properties))
  if (isObjectType && !preserve && s.additionalProperties === undefined && (isRecord(s.properties) || closeEmpty)) {
    out.additionalProperties = false
  }
  return out
}

function prepareCustomSchema(schema: JsonSchema, strict: boolean, fromCrd: boolean): JsonSchema {
  let s = schema
  if (fromCrd) {
    // A custom resource always has the standard top-level fields; metadata is validated as ObjectMeta.
    const props = {...(isRecord(s.properties) ? s.properties : {})}
    props.apiVersion = {type: 'string'}
    props.kind = {type: 'string'}
    props.metadata = {$ref: `${K8S}#/definitions/${OBJECT_META}`}
    s = {...s, type: 'object', properties: props}
  }
  // Custom resources are pruned by the apiserver: a structural object schema without properties
  // keeps nothing, so in strict mode anything there is an unknown field.
  return strict ? closeObjects(s, fromCrd) : s
}

function toProblems(errors: ErrorObject[], data: unknown): Problem[] {
  const out: Problem[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    // anyOf/oneOf repeat their branches' errors; the branches are what say what is wrong.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if' || e.keyword === '$ref') continue
    const path = pointerToPath(e.instancePath, data)
    const p = describeAjvError(e, path, valueAt(data, path))
    if (!p) continue
    const key = `${p.path.join('\u0000')}|${p.type}|${p.detail}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(p)
  }
  return out
}

function describeAjvError(e: ErrorObject, path: Path, value: unknown): Problem | undefined {
  const params = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return problem([...path, String(params.missingProperty)], 'Required value')
    case 'additionalProperties':
      return problem([...path, String(params.additionalProperty)], 'Unknown field')
    case 'type':
      return problem(path, 'Invalid value', `must be of type ${typeWords(params.type)}`, value)
    case 'enum':
      return problem(path, 'Unsupported value', `supported values: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, value)
    case 'format':
      return problem(path, 'Invalid value', formatWords(String(params.format)), value)
    case 'minimum':
    case 'exclusiveMinimum':
      return problem(path, 'Invalid value', `should be greater than ${e.keyword === 'minimum' ? 'or equal to ' : ''}${params.limit}`, value)
    case 'maximum':
    case 'exclusiveMaximum':
      return problem(path, 'Invalid value', `should be less than ${e.keyword === 'maximum' ? 'or equal to ' : ''}${params.limit}`, value)
    case 'maxLength':
      return problem(path, 'Too long', `may not be longer than ${params.limit}`)
    case 'minLength':
      return problem(path, 'Invalid value', `should be at least ${params.limit} chars long`, value)
    case 'maxItems':
      return problem(path, 'Too many', `must have at most ${params.limit} items`)
    case 'minItems':
      return problem(path, 'Invalid value', `should have at least ${params.limit} items`, value)
    case 'pattern':
      return problem(path, 'Invalid value', `should match '${params.pattern}'`, value)
    case 'uniqueItems':
      return problem([...path, Number(params.j)], 'Duplicate value', undefined, Array.isArray(value) ? value[Number(params.j)] : undefined)
    case 'multipleOf':
      return problem(path, 'Invalid value', `should be a multiple of ${params.multipleOf}`, value)
    case 'const':
      return problem(path, 'Unsupported value', `supported values: ${JSON.stringify(params.allowedValue)}`, value)
    case 'not':
      return problem(path, 'Invalid value', 'must not validate the schema (not)', value)
    case 'false schema':
      return problem(path, 'Forbidden', 'not allowed')
    default:
      return problem(path, 'Invalid value', e.message ?? e.keyword, value)
  }
}

function typeWords(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',')
  return types.join(' or ')
}

function formatWords(format: string): string {
  switch (format) {
    case 'int32': return 'must be a 32-bit integer (between -2147483648 and 2147483647)'
    case 'int64': return 'must be a 64-bit integer'
    case 'byte': return 'must be base64-encoded data'
    case 'date-time': return 'must be an RFC 3339 date-time (e.g. 2006-01-02T15:04:05Z)'
    default: return `must be a valid ${format}`
  }
}

function pointerToPath(pointer: string, data: unknown): Path {
  if (!pointer) return []
  const path: Path = []
  let cur: unknown = data
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur)) {
      const i = Number(seg)
      path.push(i)
      cur = cur[i]
    } else {
      path.push(seg)
      cur = isRecord(cur) ? cur[seg] : undefined
    }
  }
  return path
}

export function valueAt(data: unknown, path: Path): unknown {
  let cur = data
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg]
    else if (isRecord(cur)) cur = cur[String(seg)]
    else return undefined
  }
  return cur
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export {splitApiVersion}
