// Errors of patch creation and application, with upstream's messages (k8s.io/apimachinery/pkg/util/mergepatch),
// and the precondition checks kubectl apply passes to patch creation.
import {dump} from 'js-yaml'
import {goFormat, goTypeName, isMap} from './json-value.js'

/** A malformed patch or document, or a patch that cannot be applied; the message is upstream's. */
export class StrategicMergePatchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StrategicMergePatchError'
  }
}

/** A three-way patch would change something that was changed differently on the live object. */
export class MergeConflictError extends Error {
  readonly patch: unknown
  readonly changed: unknown

  constructor(patch: unknown, changed: unknown) {
    super(`patch:\n${toYaml(patch)}\nconflicts with changes made from original to current:\n${toYaml(changed)}\n`)
    this.name = 'MergeConflictError'
    this.patch = patch
    this.changed = changed
  }
}

/** A created patch changes something a precondition said must not change (e.g. kind or name). */
export class PreconditionFailedError extends Error {
  readonly patch: unknown

  constructor(patch: unknown) {
    super(`precondition failed for: ${goFormat(patch)}`)
    this.name = 'PreconditionFailedError'
    this.patch = patch
  }
}

/** Returns false when the patch changes something it must not. */
export type PreconditionFunc = (patch: unknown) => boolean

/** Fails when the patch sets `key` at its top level, i.e. would change it. */
export function requireKeyUnchanged(key: string): PreconditionFunc {
  return (patch) => !isMap(patch) || !Object.prototype.hasOwnProperty.call(patch, key)
}

/** Fails when the patch sets `metadata.<key>`. */
export function requireMetadataKeyUnchanged(key: string): PreconditionFunc {
  return (patch) => {
    if (!isMap(patch) || !isMap(patch.metadata)) return true
    return !Object.prototype.hasOwnProperty.call(patch.metadata, key)
  }
}

export function checkPreconditions(patch: unknown, preconditions: readonly PreconditionFunc[]): void {
  for (const fn of preconditions) {
    if (!fn(patch)) throw new PreconditionFailedError(patch)
  }
}

function toYaml(value: unknown): string {
  return dump(value, {sortKeys: true, lineWidth: -1, noRefs: true})
}

// Messages of mergepatch's sentinel errors, shared by the strategic and JSON merge patch code.
export const ERR_BAD_JSON_DOC = 'invalid JSON document'
export const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported'
export const ERR_BAD_PATCH_FORMAT_FOR_PRIMITIVE_LIST = 'invalid patch format of primitive list'
export const ERR_BAD_PATCH_FORMAT_FOR_RETAIN_KEYS = 'invalid patch format of retainKeys'
export const ERR_BAD_PATCH_FORMAT_FOR_SET_ELEMENT_ORDER_LIST = 'invalid patch format of setElementOrder list'

export function errBadArgType(expected: 'map' | 'list', actual: unknown): StrategicMergePatchError {
  const name = expected === 'map' ? 'map[string]interface {}' : '[]interface {}'
  return new StrategicMergePatchError(`expected a ${name}, but received a ${goTypeName(actual)}`)
}

export function errNoMergeKey(map: unknown, mergeKey: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${goFormat(map)} does not contain declared merge key: ${mergeKey}`)
}

export function errBadPatchType(directive: unknown, map: unknown): StrategicMergePatchError {
  return new StrategicMergePatchError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(map)}`)
}
