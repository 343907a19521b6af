// Generates schemas/protobuf.json: the protobuf message table the emulator's API server uses to read
// request bodies sent as `application/vnd.kubernetes.protobuf` (src/server/protobuf.ts).
//
// Source: the FileDescriptorProtos that every kubectl binary embeds (gzipped, one per generated.proto
// of k8s.io/api, k8s.io/apimachinery and k8s.io/metrics). They carry, per message, each field's number,
// JSON name, type and whether the Go field is a pointer (gogoproto.nullable), which is what decides
// whether a zero value on the wire means "set to zero" or "not set".
//
// Usage: npm run generate:protobuf [-- /path/to/kubectl]   (default: the newest kubectl installed)
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {gunzipSync} from 'node:zlib'
import {fileURLToPath} from 'node:url'
import {loadDefinitions, supportedVersions} from '../src/schema/files.js'
import {readFields, wireNumber, wireString, type WireField} from '../src/server/protobuf-wire.js'

const OUT = fileURLToPath(new URL('../schemas/protobuf.json', import.meta.url))

/** gogoproto.nullable (an extension of FieldOptions). */
const GOGO_NULLABLE = 65001
const FIELD_FLAG_REPEATED = 1
const FIELD_FLAG_POINTER = 2
const FIELD_FLAG_INLINE = 4

type FieldRow = [number, string, number, number] | [number, string, number, number, string]
interface MessageRow {
  fields: FieldRow[]
  mapEntry?: true
}

function kubectlCandidates(): string[] {
  const dir = '/usr/lib/google-cloud-sdk/bin'
  const out = ['/usr/bin/kubectl']
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (/^kubectl\.1\.\d+$/.test(f)) out.push(`${dir}/${f}`)
  return out.filter((p) => existsSync(p))
}

function clientVersion(bin: string): string {
  const out = execFileSync(bin, ['version', '--client', '-o', 'json'], {encoding: 'utf8'})
  return (JSON.parse(out) as {clientVersion: {gitVersion: string}}).clientVersion.gitVersion
}

function minor(v: string): number {
  return Number(/^v1\.(\d+)/.exec(v)?.[1] ?? 0)
}

function pickKubectl(): {bin: string; version: string} {
  const found = kubectlCandidates().map((bin) => ({bin, version: clientVersion(bin)}))
  if (found.length === 0) throw new Error('no kubectl found: pass its path')
  found.sort((a, b) => minor(b.version) - minor(a.version))
  return found[0]!
}

/** Every gzipped FileDescriptorProto of a generated.proto in the binary. */
function descriptors(binary: Buffer): Buffer[] {
  const magic = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00])
  const out: Buffer[] = []
  let at = binary.indexOf(magic)
  while (at >= 0) {
    try {
      // The stream ends by itself; gunzip ignores nothing after it, so give it a generous window and
      // let a failure (not a gzip stream, or trailing garbage) skip this match.
      const d = gunzipSync(binary.subarray(at, at + 4_000_000), {finishFlush: 2})
      if (d.subarray(0, 200).includes('generated.proto')) out.push(d)
    } catch {
      // not a descriptor
    }
    at = binary.indexOf(magic, at + 1)
  }
  return out
}

function fieldRow(f: WireField[]): FieldRow {
  let name = ''
  let jsonName = ''
  let number = 0
  let label = 1
  let type = 0
  let typeName = ''
  let pointer = true
  for (const x of f) {
    if (x.number === 1) name = wireString(x)
    else if (x.number === 3) number = wireNumber(x)
    else if (x.number === 4) label = wireNumber(x)
    else if (x.number === 5) type = wireNumber(x)
    else if (x.number === 6) typeName = wireString(x).replace(/^\./, '')
    else if (x.number === 10) jsonName = wireString(x)
    else if (x.number === 8 && x.bytes) {
      for (const o of readFields(x.bytes)) if (o.number === GOGO_NULLABLE && wireNumber(o) === 0) pointer = false
    }
  }
  const flags = (label === 3 ? FIELD_FLAG_REPEATED : 0) | (pointer && label !== 3 ? FIELD_FLAG_POINTER : 0)
  const row: FieldRow = [number, jsonName || name, type, flags]
  return typeName ? [...row, typeName] as FieldRow : row
}

function addMessage(table: Record<string, MessageRow>, prefix: string, msg: Uint8Array): void {
  const fs = readFields(msg)
  const name = `${prefix}.${wireString(fs.find((x) => x.number === 1)!)}`
  const row: MessageRow = {fields: []}
  for (const x of fs) {
    if (x.number === 2) row.fields.push(fieldRow(readFields(x.bytes!)))
    else if (x.number === 3) addMessage(table, name, x.bytes!)
    else if (x.number === 7) {
      for (const o of readFields(x.bytes!)) if (o.number === 7 && wireNumber(o) === 1) row.mapEntry = true
    }
  }
  row.fields.sort((a, b) => a[0] - b[0])
  table[name] = row
}

/**
 * Aligns the table with the JSON the OpenAPI definitions describe (the newest supported release that
 * has the message's definition):
 * - Go structs embedded with `json:",inline"` (IngressRule's IngressRuleValue, Volume's VolumeSource,
 *   Probe's ProbeHandler, ...) are a field of their own in protobuf but spread into the parent in JSON:
 *   the parent's definition has no property of that name. Marked with flag 4.
 * - A proto field whose name is not its JSON name (Variable's `Name`, BoundObjectReference's `uID`):
 *   renamed to the property that matches it case-insensitively.
 */
function alignWithOpenApi(table: Record<string, MessageRow>, log: (line: string) => void): void {
  const versions = [...supportedVersions()].reverse()
  const defsByVersion = versions.map((v) => loadDefinitions(v) as Record<string, {properties?: Record<string, unknown>}>)
  const inlined: string[] = []
  const renamed: string[] = []
  for (const [name, row] of Object.entries(table)) {
    if (!name.startsWith('k8s.io.')) continue
    const defName = `io.k8s.${name.slice('k8s.io.'.length)}`
    const def = defsByVersion.map((d) => d[defName]).find((d) => d?.properties)
    if (!def?.properties) continue
    const props = Object.keys(def.properties)
    for (const f of row.fields) {
      if (props.includes(f[1])) continue
      const match = props.find((p) => p.toLowerCase() === f[1].toLowerCase())
      if (match) {
        renamed.push(`${name}.${f[1]} -> ${match}`)
        f[1] = match
      } else if (f[2] === 11 && !(f[3] & FIELD_FLAG_REPEATED)) {
        f[3] |= FIELD_FLAG_INLINE
        inlined.push(`${name}.${f[1]}`)
      }
    }
  }
  log(`inlined in JSON: ${inlined.join(', ')}`)
  log(`renamed to their JSON names: ${renamed.join(', ')}`)
}

/** The text of schemas/protobuf.json as generated from a kubectl binary (default: the newest installed). */
export function generateProtobufTable(explicitBin?: string, log: (line: string) => void = () => {}): {text: string; summary: string} {
  const {bin, version} = explicitBin ? {bin: explicitBin, version: clientVersion(explicitBin)} : pickKubectl()
  const table: Record<string, MessageRow> = {}
  const files: string[] = []
  for (const d of descriptors(readFileSync(bin))) {
    const fs = readFields(d)
    const file = wireString(fs.find((x) => x.number === 1)!)
    const pkg = wireString(fs.find((x) => x.number === 2)!)
    files.push(file)
    for (const x of fs) if (x.number === 4) addMessage(table, pkg, x.bytes!)
  }
  alignWithOpenApi(table, log)
  const messages: Record<string, MessageRow> = {}
  for (const k of Object.keys(table).sort()) messages[k] = table[k]!
  const doc = {
    generatedFrom: `descriptors embedded in kubectl ${version}`,
    fieldRow: '[number, jsonName, type (FieldDescriptorProto.Type), flags (1 repeated, 2 Go pointer, 4 inlined in JSON), typeName?]',
    files: files.sort(),
    messages,
  }
  // One message per line: small diffs when a Kubernetes release adds fields.
  const lines = Object.entries(messages).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
  const head = JSON.stringify({generatedFrom: doc.generatedFrom, fieldRow: doc.fieldRow, files: doc.files}, null, 2).replace(/\n}$/, '')
  return {
    text: `${head},\n  "messages": {\n${lines.join(',\n')}\n  }\n}\n`,
    summary: `${Object.keys(messages).length} messages from ${files.length} files (kubectl ${version} at ${bin})`,
  }
}

export const PROTOBUF_TABLE = OUT

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const {text, summary} = generateProtobufTable(process.argv[2], (line) => console.log(line))
  writeFileSync(OUT, text)
  console.log(`${OUT}: ${summary}`)
}
