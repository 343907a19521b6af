// The shape of a kubelet profile file, checked field by field: unknown keys are named, wrong types
// say what was expected, and every problem carries the path to locate it in the file.
import {isValidQuantity} from '../api/quantity.js'
import {SIMULATIONS} from './profile.js'

export type Path = (string | number)[]

export interface SchemaProblem {
  path: Path
  message: string
}

export type Field =
  | {kind: 'number'; min?: number; integer?: boolean}
  | {kind: 'string'}
  | {kind: 'boolean'}
  | {kind: 'strings'}
  | {kind: 'enum'; values: readonly string[]}
  | {kind: 'quantity'}
  | {kind: 'object'; fields: Record<string, Field>; optional?: readonly string[]}
  | {kind: 'map'; values: Field}
  | {kind: 'list'; items: Field}

const seconds: Field = {kind: 'number', min: 0}
const quantityMap: Field = {kind: 'map', values: {kind: 'quantity'}}
const usageAmount: Field = {kind: 'object', fields: {cpu: {kind: 'quantity'}, memory: {kind: 'quantity'}}}
const stopFields = {seconds, exitCode: {kind: 'number', min: 0, integer: true}, ignoreSigterm: {kind: 'boolean'}} satisfies Record<string, Field>

export const PROFILE_SCHEMA: Field = {
  kind: 'object',
  optional: ['kind', 'apiVersion'],
  fields: {
    apiVersion: {kind: 'string'},
    kind: {kind: 'enum', values: ['KubeletProfile']},
    timing: {
      kind: 'object',
      fields: {
        sandboxSeconds: seconds, pullSeconds: seconds, cachedPullSeconds: seconds, pullFailSeconds: seconds,
        createSeconds: seconds, startSeconds: seconds, syncSeconds: seconds, resyncSeconds: {kind: 'number', min: 0.1},
        jitter: {kind: 'number', min: 0},
      },
    },
    backOff: {kind: 'object', fields: {initialSeconds: {kind: 'number', min: 0.001}, maxSeconds: {kind: 'number', min: 0.001}}},
    run: {
      kind: 'object',
      fields: {jobSeconds: seconds, initSeconds: seconds, crashSeconds: seconds, oomSeconds: seconds, failExitCode: {kind: 'number', min: 1, integer: true}},
    },
    stop: {kind: 'object', fields: stopFields},
    probeFailures: {kind: 'object', fields: {httpGet: {kind: 'string'}, tcpSocket: {kind: 'string'}, exec: {kind: 'string'}, grpc: {kind: 'string'}}},
    preloadedImages: {kind: 'strings'},
    images: {
      kind: 'list',
      items: {
        kind: 'object',
        optional: ['simulate', 'sizeBytes', 'pullSeconds', 'pullError', 'logs', 'run', 'stop', 'usage'],
        fields: {
          match: {kind: 'strings'},
          simulate: {kind: 'enum', values: SIMULATIONS},
          sizeBytes: {kind: 'number', min: 1, integer: true},
          pullSeconds: seconds,
          pullError: {kind: 'string'},
          logs: {kind: 'string'},
          run: {kind: 'object', fields: {seconds, exitCode: {kind: 'number', min: 0, integer: true}}},
          stop: {kind: 'object', fields: stopFields, optional: ['seconds', 'exitCode', 'ignoreSigterm']},
          usage: usageAmount,
        },
      },
    },
    logs: {
      kind: 'map',
      values: {
        kind: 'object',
        optional: ['start', 'every', 'periodic', 'crash', 'stop'],
        fields: {start: {kind: 'strings'}, every: seconds, periodic: {kind: 'strings'}, crash: {kind: 'strings'}, stop: {kind: 'strings'}},
      },
    },
    usage: {
      kind: 'object',
      fields: {
        cpuFraction: {kind: 'number', min: 0}, memoryFraction: {kind: 'number', min: 0}, noise: {kind: 'number', min: 0},
        windowSeconds: {kind: 'number', min: 1}, default: usageAmount,
      },
    },
    node: {
      kind: 'object',
      fields: {
        capacity: quantityMap,
        systemReserved: quantityMap,
        evictionHard: {kind: 'object', fields: {memoryAvailable: {kind: 'quantity'}, nodefsAvailablePercent: {kind: 'number', min: 0}}},
        architecture: {kind: 'string'}, operatingSystem: {kind: 'string'}, osImage: {kind: 'string'}, kernelVersion: {kind: 'string'},
        containerRuntimeVersion: {kind: 'string'},
        kubeletPort: {kind: 'number', min: 1, integer: true},
        readyAfterSeconds: seconds,
        networkUnavailableCondition: {kind: 'boolean'},
      },
    },
  },
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return JSON.stringify(v)
}

/**
 * Checks `value` against `field`. Objects may be partial (a profile is layered over the default);
 * `complete` also requires every non-optional field, for the default profile itself.
 */
export function checkField(value: unknown, field: Field, path: Path, problems: SchemaProblem[], complete: boolean): void {
  const bad = (message: string): void => {
    problems.push({path, message})
  }
  switch (field.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad(`must be a number, got ${describe(value)}`)
      if (field.integer && !Number.isInteger(value)) return bad(`must be a whole number, got ${value}`)
      if (field.min !== undefined && value < field.min) return bad(`must be at least ${field.min}, got ${value}`)
      return
    case 'string':
      if (typeof value !== 'string') bad(`must be a string, got ${describe(value)}`)
      return
    case 'boolean':
      if (typeof value !== 'boolean') bad(`must be true or false, got ${describe(value)}`)
      return
    case 'enum':
      if (typeof value !== 'string' || !field.values.includes(value)) bad(`must be one of ${field.values.join(', ')}; got ${describe(value)}`)
      return
    case 'quantity': {
      if (typeof value !== 'string' && typeof value !== 'number') return bad(`must be a quantity such as 100m or 64Mi, got ${describe(value)}`)
      const err = isValidQuantity(value)
      if (err) bad(`invalid quantity ${JSON.stringify(String(value))}: ${err}`)
      return
    }
    case 'strings':
      if (!Array.isArray(value)) return bad(`must be a list of strings, got ${describe(value)}`)
      value.forEach((v, i) => {
        if (typeof v !== 'string') problems.push({path: [...path, i], message: `must be a string, got ${describe(v)}`})
      })
      return
    case 'list':
      if (!Array.isArray(value)) return bad(`must be a list, got ${describe(value)}`)
      value.forEach((v, i) => checkField(v, field.items, [...path, i], problems, true))
      return
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(`must be a mapping, got ${describe(value)}`)
      for (const [k, v] of Object.entries(value)) checkField(v, field.values, [...path, k], problems, true)
      return
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(`must be a mapping, got ${describe(value)}`)
      const o = value as Record<string, unknown>
      const known = Object.keys(field.fields)
      for (const [k, v] of Object.entries(o)) {
        const sub = field.fields[k]
        if (!sub) {
          problems.push({path: [...path, k], message: `unknown field ${JSON.stringify(k)} (known: ${known.join(', ')})`})
          continue
        }
        checkField(v, sub, [...path, k], problems, complete)
      }
      if (complete) {
        for (const k of known) {
          if (o[k] === undefined && !field.optional?.includes(k)) problems.push({path: [...path, k], message: 'required field is missing'})
        }
      }
      return
    }
  }
}
