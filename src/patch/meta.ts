// Patch metadata: what the OpenAPI documents say about how each field of each type merges. It drives
// strategic merge patch (patch strategy and merge key) and, later, server-side apply (list types and
// map keys). Generated into schemas/v1.NN/patch.json by scripts/generate-schemas.ts.

export interface FieldPatchInfo {
  /** Definition name of the field's object type, or of a list's/map's element type when that is an object. */
  type?: string
  /** The field is an array. */
  list?: boolean
  /** The field is a map (`additionalProperties`); `type` then names the value type. */
  map?: boolean
  /** x-kubernetes-patch-strategy split on ',': e.g. ['merge'], ['retainKeys'], ['merge', 'retainKeys']. */
  strategy?: string[]
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string
  /** x-kubernetes-list-type. */
  listType?: 'atomic' | 'set' | 'map'
  /** x-kubernetes-list-map-keys. */
  mapKeys?: string[]
  /** x-kubernetes-map-type. */
  mapType?: 'atomic' | 'granular'
}

/** Per definition name (e.g. `io.k8s.api.core.v1.PodSpec`): its fields that carry patch information or nest objects. */
export type PatchMeta = Record<string, Record<string, FieldPatchInfo>>
