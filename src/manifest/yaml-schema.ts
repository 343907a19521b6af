// A js-yaml schema and loader that give the values kubectl's go-yaml v2 gives: YAML 1.1 scalars,
// merge keys, explicit tags, and unknown tags passed through rather than rejected.
import {FAILSAFE_SCHEMA, load, type LoadOptions, Type} from 'js-yaml'
import {fastLoad} from './fast-yaml.js'
import {resolved, resolvePlainScalar, ScalarKind} from './scalars.js'

// Set when a NaN or an infinity is constructed: kubectl cannot turn those into JSON, so the
// reader checks this after each document instead of walking every document looking for them.
let sawNonFinite = false

const noteFloat = (value: unknown): unknown => {
  if (typeof value === 'number' && !Number.isFinite(value)) sawNonFinite = true
  return value
}

const resolvesTo =
  (...kinds: ScalarKind[]) =>
  (data: unknown): boolean =>
    typeof data === 'string' && resolvePlainScalar(data) && kinds.includes(resolved.kind)

const mergeKey = new Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: unknown) => data === '<<',
})

// One implicit type for every plain scalar: a single first-character dispatch is much cheaper than
// js-yaml trying null, bool, int and float types in turn on each scalar.
const plainScalar = new Type('tag:kube2.dev,2025:plain', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && resolvePlainScalar(data),
  construct: () => (resolved.kind === ScalarKind.Float ? noteFloat(resolved.value) : resolved.value),
})

const explicitInt = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: resolvesTo(ScalarKind.Int),
  construct: () => resolved.value,
})

const explicitFloat = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: resolvesTo(ScalarKind.Int, ScalarKind.Float),
  construct: () => noteFloat(resolved.value),
})

const explicitBool = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: resolvesTo(ScalarKind.Bool),
  construct: () => resolved.value,
})

const explicitNull = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: unknown) => data === null || resolvesTo(ScalarKind.Null)(data),
  construct: () => null,
})

// The layouts go-yaml v2 accepts; the value stays the text, as it does for untagged timestamps.
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/
const explicitTimestamp = new Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && TIMESTAMP.test(data),
})

// go-yaml decodes !!binary to the raw bytes, which JSON encoding then turns into (UTF-8) text.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const explicitBinary = new Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && BASE64.test(data.replace(/\s+/g, '')),
  construct: (data: string) => Buffer.from(data.replace(/\s+/g, ''), 'base64').toString('utf8'),
})

// go-yaml ignores tags it does not know (local `!foo` tags, !!set, !!omap ...) and keeps the node.
const passThrough = (kind: 'scalar' | 'sequence' | 'mapping') => new Type('', {kind, multi: true})

export const KUBE_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [mergeKey, plainScalar],
  explicit: [
    explicitInt,
    explicitFloat,
    explicitBool,
    explicitNull,
    explicitTimestamp,
    explicitBinary,
    passThrough('scalar'),
    passThrough('sequence'),
    passThrough('mapping'),
  ],
})

// js-yaml's default nesting limit (100) is below what deep CRD schemas reach; 1000 stays far from
// the call-stack limit of its recursive parser.
const MAX_DEPTH = 1000

const lenient: LoadOptions & {maxDepth: number} = {schema: KUBE_YAML_SCHEMA, json: true, maxDepth: MAX_DEPTH}
const strict: LoadOptions & {maxDepth: number} = {schema: KUBE_YAML_SCHEMA, json: false, maxDepth: MAX_DEPTH}

export interface LoadedYaml {
  value: unknown
  /** A NaN or infinity was constructed somewhere in the document (possibly only in a key). */
  nonFinite: boolean
}

/**
 * Parses one YAML document, through the fast path when it handles the document. Throws js-yaml's YAMLException on malformed input; with `strictKeys`
 * a repeated mapping key is such an error, otherwise the last value wins as in kubectl.
 */
export function loadYamlDocument(text: string, strictKeys: boolean): LoadedYaml {
  const fast = fastLoad(text, strictKeys)
  if (fast !== undefined) return fast
  return loadWithJsYaml(text, strictKeys)
}

/** The same, always through js-yaml (the reference the fast path is tested against). */
export function loadWithJsYaml(text: string, strictKeys: boolean): LoadedYaml {
  sawNonFinite = false
  const value = load(text, strictKeys ? strict : lenient)
  return {value, nonFinite: sawNonFinite}
}
