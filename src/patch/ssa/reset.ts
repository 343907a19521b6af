// The strategy's reset of fields an endpoint does not let writers change (status on the main resource,
// spec on the status subresource): they keep their stored values whatever the apply config says.
import {deepClone, isMap, type JsonMap} from '../json-value.js'
import type {Path} from './path.js'

function getPath(obj: unknown, p: Path): {found: boolean; value: unknown} {
  let node: unknown = obj
  for (const pe of p) {
    if (pe.kind !== 'field' || !isMap(node) || !Object.hasOwn(node, pe.name)) return {found: false, value: undefined}
    node = node[pe.name]
  }
  return {found: true, value: node}
}

/** The strategy's reset: reset fields keep their live values (or stay absent). */
export function restoreResetFields(object: JsonMap, live: JsonMap | undefined, resetPaths: readonly Path[]): void {
  for (const p of resetPaths) {
    const names = p.map((pe) => (pe.kind === 'field' ? pe.name : ''))
    const parentPath = names.slice(0, -1)
    const last = names[names.length - 1]
    const before = live ? getPath(live, p) : {found: false, value: undefined}
    let parent: unknown = object
    for (const name of parentPath) {
      if (!isMap(parent)) break
      if (!isMap(parent[name])) {
        if (!before.found) {
          parent = undefined
          break
        }
        parent[name] = {}
      }
      parent = parent[name]
    }
    if (!isMap(parent)) continue
    if (before.found) parent[last] = deepClone(before.value)
    else delete parent[last]
  }
}
