// Untyped access to decoded Kubernetes objects (pods, nodes) for the simulated kubelet, which reads
// them as plain JSON and never mutates what it is given.

export type Obj = Record<string, unknown>

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined
}

export function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((x): x is Obj => obj(x) !== undefined) : []
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

export function meta(o: Obj): Obj {
  return obj(o.metadata) ?? {}
}

export function spec(o: Obj): Obj {
  return obj(o.spec) ?? {}
}

export function annotations(o: Obj): Record<string, string> {
  const a = obj(meta(o).annotations) ?? {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(a)) if (typeof v === 'string') out[k] = v
  return out
}

/** Structural equality of JSON values; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  const oa = obj(a), ob = obj(b)
  if (!oa || !ob) return false
  const ka = Object.keys(oa).filter((k) => oa[k] !== undefined)
  const kb = Object.keys(ob).filter((k) => ob[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => jsonEqual(oa[k], ob[k]))
}
