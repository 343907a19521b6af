// A small collector of field problems with the apiserver's error constructors (Required, Invalid,
// Unsupported, Duplicate, Forbidden, NotFound), plus safe readers for untyped object fields.
import {problem, type Path, type Problem} from '../problems.js'

export interface CheckContext {
  /** Kubernetes release the checks follow (`1.36`); some rules changed between releases. */
  kubernetesVersion: string
  namespaced?: boolean
}

export class Checker {
  readonly problems: Problem[] = []
  constructor(readonly ctx: CheckContext) {}

  required(path: Path, detail?: string): void {
    this.problems.push(problem(path, 'Required value', detail))
  }

  invalid(path: Path, value: unknown, detail?: string): void {
    this.problems.push(problem(path, 'Invalid value', detail, value))
  }

  /** One Invalid per message of an apimachinery validator (`isDNS1123Label` and friends). */
  messages(path: Path, value: unknown, messages: string[]): void {
    for (const m of messages) this.invalid(path, value, m)
  }

  /** As messages(), for `base` + `keys`: the path is built only when there is a message (hot paths). */
  messagesAt(base: Path, keys: ReadonlyArray<string | number>, value: unknown, messages: string[]): void {
    if (messages.length > 0) this.messages([...base, ...keys], value, messages)
  }

  unsupported(path: Path, value: unknown, supported: readonly string[]): void {
    this.problems.push(problem(path, 'Unsupported value', `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, value))
  }

  duplicate(path: Path, value: unknown): void {
    this.problems.push(problem(path, 'Duplicate value', undefined, value))
  }

  forbidden(path: Path, detail: string): void {
    this.problems.push(problem(path, 'Forbidden', detail))
  }

  notFound(path: Path, value: unknown): void {
    this.problems.push(problem(path, 'Not found', undefined, value))
  }

  tooLong(path: Path, detail: string): void {
    this.problems.push(problem(path, 'Too long', detail))
  }

  /** Checks an optional enum-like string field `base.key` (the path is built only for a problem: this is a hot path). */
  oneOf(base: Path, key: string | number, value: unknown, supported: readonly string[]): void {
    if (value === undefined || value === null) return
    if (typeof value !== 'string' || !supported.includes(value)) this.unsupported([...base, key], value, supported)
  }

  nonNegative(base: Path, key: string | number, value: unknown): void {
    if (typeof value === 'number' && value < 0) this.invalid([...base, key], value, 'must be greater than or equal to 0')
  }

  /** The release is at least `1.NN`. */
  atLeast(version: string): boolean {
    return minor(this.ctx.kubernetesVersion) >= minor(version)
  }
}

const minors = new Map<string, number>()

function minor(v: string): number {
  let m = minors.get(v)
  if (m === undefined) minors.set(v, (m = Number(v.split('.')[1] ?? 0)))
  return m
}

export type Obj = Record<string, unknown>

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined
}

export function stringMap(v: unknown): Record<string, string> | undefined {
  const o = obj(v)
  if (!o) return undefined
  let allStrings = true
  for (const k in o) {
    if (typeof o[k] !== 'string') {
      allStrings = false
      break
    }
  }
  // The common case needs no copy (callers only read it).
  if (allStrings) return o as Record<string, string>
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(o)) out[k] = typeof val === 'string' ? val : String(val)
  return out
}
