// The structured-merge-diff view of a type, built from the generated patch metadata: structs (named
// fields), maps (granular or atomic), lists (atomic, set or map with keys), scalars, and deduced values.
import type {FieldPatchInfo, PatchMeta} from '../meta.js'
import type {PatchSchema} from '../schema.js'

export type ListRelationship = 'atomic' | 'set' | 'map'

export type SsaType =
  /** An object with named fields; name is the definition, undefined for the root of an unknown kind. */
  | {readonly kind: 'struct'; readonly name: string | undefined; readonly atomic: boolean}
  /** additionalProperties: every key holds an elem. */
  | {readonly kind: 'map'; readonly elem: SsaType; readonly atomic: boolean}
  | {
      readonly kind: 'list'
      readonly elem: SsaType
      readonly relationship: ListRelationship
      readonly keys: readonly string[]
      /** Definition of the items, where key defaults are looked up. */
      readonly elemName: string | undefined
    }
  | {readonly kind: 'scalar'}
  /** A field the metadata says nothing about: a scalar or a list of scalars, either way a leaf. */
  | {readonly kind: 'primitive'}
  /** Untyped: maps are granular, lists atomic, as upstream's deduced schema. */
  | {readonly kind: 'deduced'}

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'

const SCALAR: SsaType = {kind: 'scalar'}
const PRIMITIVE: SsaType = {kind: 'primitive'}
const DEDUCED: SsaType = {kind: 'deduced'}

// Structs marked +structType=atomic upstream (x-kubernetes-map-type: atomic on the definition). The
// generated metadata records the extension per field only, so the definitions are listed here.
const ATOMIC_STRUCTS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'io.k8s.api.core.v1.SecretReference',
  'io.k8s.api.core.v1.NodeSelector',
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'io.k8s.api.core.v1.TopologySelectorTerm',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.SecretKeySelector',
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'io.k8s.api.core.v1.EndpointAddress',
  'io.k8s.api.core.v1.EndpointPort',
])

// Definitions whose values are strings or numbers on the wire.
const SCALAR_TYPES = new Set([
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
])

// Free-form JSON: upstream's type converter treats these as untyped.
const DEDUCED_TYPES = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
])

// OpenAPI defaults of list-map key fields (+default="TCP"): an item that omits the key gets it.
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  'io.k8s.api.core.v1.ContainerPort': {protocol: 'TCP'},
  'io.k8s.api.core.v1.ServicePort': {protocol: 'TCP'},
}

// The root of a kind without a definition keeps these as named fields (the apiserver always knows
// them); everything else there is deduced.
const UNKNOWN_ROOT_FIELDS: Record<string, SsaType> = {
  apiVersion: SCALAR,
  kind: SCALAR,
  metadata: {kind: 'struct', name: OBJECT_META, atomic: false},
}

/** Type lookups over the generated patch metadata. */
export class SsaSchema {
  readonly meta: PatchMeta
  readonly root: SsaType

  constructor(meta: PatchMeta, rootName: string | undefined) {
    this.meta = meta
    const known = rootName !== undefined && Object.hasOwn(meta, rootName)
    this.root = {kind: 'struct', name: known ? rootName : undefined, atomic: false}
  }

  /** The schema for a PatchSchema; one per PatchSchema (both are immutable), so its caches are reused. */
  static from(schema: PatchSchema): SsaSchema {
    let ssa = bySchema.get(schema)
    if (ssa === undefined || ssa.meta !== schema.meta) {
      ssa = new SsaSchema(schema.meta, schema.typeName)
      bySchema.set(schema, ssa)
    }
    return ssa
  }

  // Types of the fields the metadata describes, per definition; built on first use.
  private readonly structFields = new Map<string, Map<string, SsaType>>()

  /** The type of a map entry or struct field. */
  field(type: SsaType, key: string): SsaType {
    switch (type.kind) {
      case 'map':
        return type.elem
      case 'deduced':
        return DEDUCED
      case 'struct':
        if (type.name === undefined) return Object.hasOwn(UNKNOWN_ROOT_FIELDS, key) ? UNKNOWN_ROOT_FIELDS[key] : DEDUCED
        return this.structField(type.name, key)
      default:
        return DEDUCED
    }
  }

  /** Whether the key is a field of the struct (not an entry of a map): named fields are not owned themselves. */
  isNamed(type: SsaType, key: string): boolean {
    if (type.kind !== 'struct') return false
    return type.name !== undefined || Object.hasOwn(UNKNOWN_ROOT_FIELDS, key)
  }

  /** The default of a list-map key field, if the item definition declares one. */
  keyDefault(elemName: string | undefined, key: string): unknown {
    if (elemName === undefined || !Object.hasOwn(KEY_DEFAULTS, elemName)) return undefined
    return KEY_DEFAULTS[elemName][key]
  }

  // The last definition looked up: fields of one object come one after another.
  private lastStruct: string | undefined
  private lastFields: Map<string, SsaType> | undefined

  private structField(name: string, key: string): SsaType {
    let known = this.lastStruct === name ? this.lastFields : undefined
    if (known === undefined) {
      known = this.structFields.get(name)
      if (known === undefined) {
        known = new Map()
        this.structFields.set(name, known)
      }
      this.lastStruct = name
      this.lastFields = known
    }
    const cached = known.get(key)
    if (cached !== undefined) return cached
    const fields = Object.hasOwn(this.meta, name) ? this.meta[name] : undefined
    // The metadata omits scalars and lists of scalars without list information (atomic lists).
    const info = fields && Object.hasOwn(fields, key) ? fields[key] : undefined
    if (info === undefined) return PRIMITIVE
    const type = this.describedField(info)
    known.set(key, type)
    return type
  }

  private describedField(info: FieldPatchInfo): SsaType {
    if (info.list) {
      const strategies = info.strategy ?? []
      const relationship: ListRelationship =
        info.listType ?? (strategies.includes('merge') ? (info.mergeKey ? 'map' : 'set') : 'atomic')
      const keys = relationship === 'map' ? (info.mapKeys ?? (info.mergeKey ? [info.mergeKey] : [])) : []
      return {kind: 'list', elem: info.type ? namedType(info.type) : SCALAR, relationship, keys, elemName: info.type}
    }
    if (info.map) return {kind: 'map', elem: info.type ? namedType(info.type) : SCALAR, atomic: info.mapType === 'atomic'}
    if (info.type) {
      const t = namedType(info.type)
      return t.kind === 'struct' && info.mapType === 'atomic' ? {...t, atomic: true} : t
    }
    return PRIMITIVE
  }
}

const named = new Map<string, SsaType>()

function namedType(name: string): SsaType {
  if (SCALAR_TYPES.has(name)) return SCALAR
  if (DEDUCED_TYPES.has(name)) return DEDUCED
  let type = named.get(name)
  if (type === undefined) {
    type = {kind: 'struct', name, atomic: ATOMIC_STRUCTS.has(name)}
    named.set(name, type)
  }
  return type
}

const bySchema = new WeakMap<PatchSchema, SsaSchema>()
