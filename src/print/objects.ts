// Printing whole objects as kubectl does: -o json (encoding/json MarshalIndent of the object as a map:
// keys sorted, 4-space indent, <, > and & escaped), -o name (`deployment.apps/web`), and the List
// wrapper kubectl prints for several objects.

export function toKubectlJson(value: unknown): string {
  return `${marshalIndent(value, '')}\n`
}

/** The same encoding for a value kubectl marshals from Go structs: keys keep their (struct) order. */
export function toKubectlStructJson(value: unknown): string {
  return `${marshalIndent(value, '', false)}\n`
}

function marshalIndent(v: unknown, indent: string, sortKeys = true): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return goString(v)
  if (typeof v === 'number') return Number.isFinite(v) ? goNumber(v) : 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  const inner = `${indent}    `
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[\n${v.map((x) => `${inner}${marshalIndent(x, inner, sortKeys)}`).join(',\n')}\n${indent}]`
  }
  const keys = Object.keys(v as Record<string, unknown>).filter((k) => (v as Record<string, unknown>)[k] !== undefined)
  if (sortKeys) keys.sort(compareBytes)
  if (keys.length === 0) return '{}'
  return `{\n${keys.map((k) => `${inner}${goString(k)}: ${marshalIndent((v as Record<string, unknown>)[k], inner, sortKeys)}`).join(',\n')}\n${indent}}`
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** encoding/json's string encoding: HTML-sensitive characters and U+2028/2029 escaped. */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** float64 as encoding/json formats it (objects decoded from JSON hold float64 numbers). */
function goNumber(n: number): string {
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const [m, e] = n.toExponential().split('e')
    const exp = Number(e)
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  return String(n)
}

/** What kubectl prints for several objects in -o json/yaml. */
export function listOf(items: unknown[]): Record<string, unknown> {
  return {apiVersion: 'v1', items, kind: 'List', metadata: {resourceVersion: ''}}
}

export function nameOf(typeName: string, name: string): string {
  return `${typeName}/${name}`
}
