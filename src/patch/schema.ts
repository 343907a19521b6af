// A cursor over PatchMeta for strategic merge patch: the patch strategy and merge key of a field, and the
// schema of a field's value (nested object, list element or map value). Unknown types are schemaless.
import {StrategicMergePatchError} from './errors.js'
import {goFormat} from './json-value.js'
import type {FieldPatchInfo, PatchMeta} from './meta.js'

/** A field's x-kubernetes-patch-strategy, split the way upstream's extractRetainKeysPatchStrategy does. */
export interface FieldStrategy {
  /** The strategy lists retainKeys: a $retainKeys directive is built for the field's maps. */
  readonly retainKeys: boolean
  /** The other strategy: 'merge', 'replace' or '' (the default: maps merge, lists are replaced). */
  readonly strategy: string
}

const NO_INFO: FieldPatchInfo = Object.freeze({})

export class PatchSchema {
  readonly meta: PatchMeta
  readonly typeName: string | undefined
  // Set on the schema of a map field's value (additionalProperties): every key holds a `typeName`.
  private readonly mapValues: boolean

  constructor(meta: PatchMeta, typeName?: string, mapValues = false) {
    this.meta = meta
    this.typeName = typeName
    this.mapValues = mapValues
  }

  /** A schema that knows nothing, so lists are replaced and maps merge (as for custom resources). */
  static schemaless(): PatchSchema {
    return new PatchSchema({})
  }

  /**
   * The schema of a built-in kind, found by its definition name (io.k8s.api.<group>.<version>.<Kind> and
   * the like); schemaless for kinds of other groups, such as custom resources.
   */
  static forKind(meta: PatchMeta, apiVersion: string, kind: string): PatchSchema {
    return new PatchSchema(meta, definitionNameForKind(meta, apiVersion, kind))
  }

  /** Whether the type is described by the metadata at all. */
  get known(): boolean {
    return this.typeName !== undefined && !this.mapValues && Object.hasOwn(this.meta, this.typeName)
  }

  get name(): string {
    return this.typeName ?? 'unknown type'
  }

  /** The field's patch information; empty for fields the metadata omits (primitives) and unknown types. */
  field(key: string): FieldPatchInfo {
    if (this.mapValues || this.typeName === undefined) return NO_INFO
    const fields = Object.hasOwn(this.meta, this.typeName) ? this.meta[this.typeName] : undefined
    if (fields === undefined || !Object.hasOwn(fields, key)) return NO_INFO
    return fields[key] ?? NO_INFO
  }

  /** The schema of the field's value: the nested object, a list's element, or a map's values. */
  sub(key: string): PatchSchema {
    if (this.mapValues) return new PatchSchema(this.meta, this.typeName)
    const info = this.field(key)
    return new PatchSchema(this.meta, info.type, info.map === true)
  }

  strategy(key: string): FieldStrategy {
    return splitStrategy(this.field(key).strategy ?? [])
  }

  mergeKey(key: string): string {
    return this.field(key).mergeKey ?? ''
  }
}

function splitStrategy(strategies: readonly string[]): FieldStrategy {
  if (strategies.length === 0) return {retainKeys: false, strategy: ''}
  if (strategies.length === 1) {
    return strategies[0] === 'retainKeys' ? {retainKeys: true, strategy: ''} : {retainKeys: false, strategy: strategies[0]}
  }
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return {retainKeys: true, strategy: strategies[1]}
    if (strategies[1] === 'retainKeys') return {retainKeys: true, strategy: strategies[0]}
  }
  throw new StrategicMergePatchError(`unexpected patch strategy: ${goFormat(strategies)}`)
}

// Definition names use the group's first DNS label (apps, rbac, networking...), except these.
const GROUP_PACKAGES: Record<string, string> = {
  '': 'core',
  'internal.apiserver.k8s.io': 'apiserverinternal',
}

function definitionNameForKind(meta: PatchMeta, apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1)
  // Only Kubernetes' own groups have built-in definitions; apps.example.com is not apps.
  if (group.includes('.') && !group.endsWith('.k8s.io')) return undefined
  const pkg = GROUP_PACKAGES[group] ?? group.split('.')[0]
  const suffix = `.${pkg}.${version}.${kind}`
  const matches = Object.keys(meta).filter((name) => name.endsWith(suffix))
  return matches.length === 1 ? matches[0] : undefined
}
