// js-yaml hands back one shared object for every alias of an anchor; kubectl gets separate copies
// (it goes through JSON). Copies keep a later change to one object from showing up in another.

const MAX_COPIED_NODES = 250_000
const MAX_DEPTH = 1000

export type Unshared = {ok: true; value: unknown} | {ok: false; message: string}

class TooMuchAliasing extends Error {}

// A `__proto__` key is data here (js-yaml stores it as an own property); plain assignment would
// replace the object's prototype instead.
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, {value, writable: true, enumerable: true, configurable: true})
  else record[key] = value
}

export function unshareAliases(value: unknown): Unshared {
  const seen = new Set<object>()
  let budget = MAX_COPIED_NODES

  const copy = (node: unknown, depth: number): unknown => {
    if (typeof node !== 'object' || node === null) return node
    // An anchor used inside itself makes a cycle; a billion-laughs document makes a huge tree.
    if (--budget < 0 || depth > MAX_DEPTH) throw new TooMuchAliasing()
    if (Array.isArray(node)) return node.map((child) => copy(child, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(node)) setOwn(out, key, copy(child, depth + 1))
    return out
  }

  const visit = (node: unknown, depth: number): unknown => {
    if (typeof node !== 'object' || node === null) return node
    if (seen.has(node)) return copy(node, depth)
    if (depth > MAX_DEPTH) throw new TooMuchAliasing()
    seen.add(node)
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = visit(node[i], depth + 1)
    } else {
      const record = node as Record<string, unknown>
      for (const key of Object.keys(record)) setOwn(record, key, visit(record[key], depth + 1))
    }
    return node
  }

  try {
    return {ok: true, value: visit(value, 0)}
  } catch (err) {
    if (err instanceof TooMuchAliasing) {
      return {ok: false, message: 'document contains excessive aliasing (or an anchor that contains itself)'}
    }
    throw err
  }
}
