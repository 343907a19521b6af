// JSON text as Go's encoding/json writes a decoded YAML document (sorted keys, <>& escaped), for
// the messages kubectl prints with the document's JSON in them.

const HTML_UNSAFE = /[<>&\u2028\u2029]/g
const escapeHtml = (ch: string) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')

export function goJson(value: unknown): string {
  return write(value).replace(HTML_UNSAFE, escapeHtml)
}

function write(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return '[' + value.map(write).join(',') + ']'
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record).sort()
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + write(record[k])).join(',') + '}'
  }
  return JSON.stringify(value) ?? 'null'
}
