// Client-side apply meeting server-side apply. For the manager "kubectl", conflicts on fields that the
// last-applied-configuration annotation set (and the live object still holds) are forced, and after the
// apply the annotation is rewritten from the applied config (lastappliedmanager / lastappliedupdater).
import {deepClone, isMap, type JsonMap} from '../json-value.js'
import type {FieldSet} from './fieldset.js'
import {goJson} from './go-text.js'
import {compareValues} from './merge.js'
import {toFieldSet} from './typed.js'
import type {SsaSchema} from './types.js'

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'

/** The manager name kubectl uses for server-side apply; only it takes part in the upgrade. */
export const KUBECTL_MANAGER = 'kubectl'

function annotations(obj: unknown): JsonMap | undefined {
  if (!isMap(obj) || !isMap(obj.metadata)) return undefined
  const a = obj.metadata.annotations
  return isMap(a) ? a : undefined
}

export function lastAppliedOf(obj: unknown): string | undefined {
  const value = annotations(obj)?.[LAST_APPLIED_ANNOTATION]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The fields client-side apply last set that still hold the applied values: the annotation's field
 * set minus what differs between it and the live object. Undefined when there is nothing to go by.
 */
export function allowedConflictsFromLastApplied(schema: SsaSchema, live: unknown, apiVersion: string): FieldSet | undefined {
  const text = lastAppliedOf(live)
  if (text === undefined) return undefined
  let lastApplied: unknown
  try {
    lastApplied = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isMap(lastApplied) || lastApplied.apiVersion !== apiVersion) return undefined
  try {
    const set = toFieldSet(schema, lastApplied)
    const diff = compareValues(schema, lastApplied, live)
    return set.difference(diff.modified).difference(diff.added).difference(diff.removed)
  } catch {
    return undefined
  }
}

/**
 * The annotation value rebuilt from an applied config: the config without the annotation itself,
 * as the unstructured JSON encoder writes it (sorted keys, trailing newline).
 */
export function buildLastApplied(config: unknown): string {
  const copy = deepClone(config)
  const a = annotations(copy)
  if (a) delete a[LAST_APPLIED_ANNOTATION]
  return `${goJson(copy)}\n`
}

/** Sets the annotation on an object that already has one. */
export function setLastApplied(obj: JsonMap, value: string): void {
  const a = annotations(obj)
  if (a) a[LAST_APPLIED_ANNOTATION] = value
}
