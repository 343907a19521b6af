// Custom resource schemas: converts a CustomResourceDefinition's openAPIV3Schema (structural schema
// with Kubernetes extensions) into a JSON Schema Ajv can compile, and reads JSON Schema files given
// with --schema-location.
import type {JsonSchema} from './files.js'

export interface CustomResourceSchema {
  group: string
  version: string
  kind: string
  namespaced?: boolean
  schema: JsonSchema
  /** Built from a CRD (so the top-level apiVersion/kind/metadata fields are implied). */
  fromCrd: boolean
}

const SUPPORTED_FORMATS = new Set(['int32', 'int64', 'byte', 'date-time', 'date', 'double', 'float', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uuid'])
const DROPPED = new Set(['description', 'title', 'default', 'example', 'externalDocs', 'nullable', 'id', '$schema', 'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type'])

export function isCustomResourceDefinition(obj: Record<string, unknown>): boolean {
  return obj.kind === 'CustomResourceDefinition' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('apiextensions.k8s.io/')
}

/** One schema per served version of a CRD (apiextensions.k8s.io/v1, or the old v1beta1 layout). */
export function crdToSchemas(crd: Record<string, unknown>): CustomResourceSchema[] {
  const spec = asRecord(crd.spec)
  const names = asRecord(spec.names)
  const group = typeof spec.group === 'string' ? spec.group : ''
  const kind = typeof names.kind === 'string' ? names.kind : ''
  if (!group || !kind) return []
  const namespaced = spec.scope !== 'Cluster'
  const topLevel = asRecord(asRecord(spec.validation).openAPIV3Schema)
  const versions = Array.isArray(spec.versions) ? (spec.versions as unknown[]).map(asRecord) : []
  if (versions.length === 0 && typeof spec.version === 'string') versions.push({name: spec.version})
  const out: CustomResourceSchema[] = []
  for (const v of versions) {
    if (typeof v.name !== 'string' || v.served === false) continue
    const raw = asRecord(asRecord(v.schema).openAPIV3Schema)
    const source = Object.keys(raw).length > 0 ? raw : topLevel
    const schema = Object.keys(source).length > 0 ? convertStructural(source) : {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}
    out.push({group, version: v.name, kind, namespaced, schema, fromCrd: true})
  }
  return out
}

/** Kubernetes' structural schema dialect (OpenAPI v3 subset, draft-4 style) to Ajv's draft-07. */
export function convertStructural(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {}
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k)) continue
    switch (k) {
      case 'properties':
      case 'patternProperties':
      case 'definitions': {
        const props: JsonSchema = {}
        for (const [name, sub] of Object.entries(asRecord(v))) props[name] = convertStructural(asRecord(sub))
        out[k] = props
        break
      }
      case 'items':
        out.items = Array.isArray(v) ? v.map((x) => convertStructural(asRecord(x))) : convertStructural(asRecord(v))
        break
      case 'additionalProperties':
      case 'additionalItems':
      case 'not':
        out[k] = typeof v === 'boolean' ? v : convertStructural(asRecord(v))
        break
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[k] = (Array.isArray(v) ? v : []).map((x) => convertStructural(asRecord(x)))
        break
      case 'format':
        if (typeof v === 'string' && SUPPORTED_FORMATS.has(v)) out.format = v
        break
      case 'pattern':
        if (typeof v === 'string' && compiles(v)) out.pattern = v
        break
      case 'exclusiveMaximum':
      case 'exclusiveMinimum':
        // draft-4 booleans become draft-07 limits below.
        break
      default:
        out[k] = v
    }
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    out.exclusiveMaximum = s.maximum
    delete out.maximum
  } else if (typeof s.exclusiveMaximum === 'number') out.exclusiveMaximum = s.exclusiveMaximum
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
    out.exclusiveMinimum = s.minimum
    delete out.minimum
  } else if (typeof s.exclusiveMinimum === 'number') out.exclusiveMinimum = s.exclusiveMinimum
  if (s['x-kubernetes-int-or-string'] === true || s.format === 'int-or-string') {
    delete out['x-kubernetes-int-or-string']
    delete out.anyOf
    out.type = ['integer', 'string']
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    delete out['x-kubernetes-embedded-resource']
    const props = asRecord(out.properties)
    out.properties = {...props, apiVersion: {type: 'string'}, kind: {type: 'string'}, metadata: props.metadata ?? {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}}
    out.required = [...new Set([...(Array.isArray(out.required) ? (out.required as string[]) : []), 'apiVersion', 'kind'])]
  }
  return out
}

/**
 * A JSON Schema file from --schema-location: it names its kind through `x-kubernetes-group-version-kind`,
 * or through its file name in the layouts schema catalogues use: `{kind}-{group}-{version}.json`
 * (kubeconform, openapi2jsonschema) or `{group}/{kind}_{version}.json` (CRD catalogues).
 */
export function jsonSchemaFileToSchemas(schema: JsonSchema, fileName: string, parentDir: string): CustomResourceSchema[] {
  const cleaned = stripDraftKeys(schema)
  const gvks = schema['x-kubernetes-group-version-kind']
  if (Array.isArray(gvks) || typeof gvks === 'object') {
    return (Array.isArray(gvks) ? gvks : [gvks]).map((g) => {
      const r = asRecord(g)
      return {group: String(r.group ?? ''), version: String(r.version ?? ''), kind: String(r.kind ?? ''), schema: cleaned, fromCrd: false}
    })
  }
  const base = fileName.replace(/\.json$/i, '')
  const underscore = /^([^_]+)_([^_]+)$/.exec(base)
  if (underscore) return [{group: parentDir.includes('.') ? parentDir : '', version: underscore[2], kind: underscore[1], schema: cleaned, fromCrd: false}]
  const dashed = /^([^-]+)-(.+)-([^-]+)$/.exec(base)
  if (dashed) return [{group: dashed[2], version: dashed[3], kind: dashed[1], schema: cleaned, fromCrd: false}]
  const plain = /^([^-]+)-([^-]+)$/.exec(base)
  if (plain) return [{group: '', version: plain[2], kind: plain[1], schema: cleaned, fromCrd: false}]
  return []
}

function stripDraftKeys(s: JsonSchema): JsonSchema {
  const {$schema: _s, id: _id, $id: _i, ...rest} = s
  return rest
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u')
    return true
  } catch {
    return false
  }
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}
