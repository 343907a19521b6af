// /openapi/v2 in the form older kubectl (1.27–1.29) asks for: the swagger document as the gnostic
// protobuf message openapi.v2.Document (google/gnostic openapiv2/OpenAPIv2.proto), which kubectl's
// apply (strategic-merge patch metadata, the fieldValidation check) and explain decode. The bytes
// are made here from the JSON document of openapi.ts by a small protobuf writer; field numbers are
// gnostic's. Like kube-openapi, the document is built once per (release, served resources, CRD
// versions) and both forms share one ETag: the SHA-512 of the JSON text.
import {createHash} from 'node:crypto'
import {gzipSync} from 'node:zlib'
import yaml from 'js-yaml'
import {openApiV2Object, type OpenApiSource} from './openapi.js'

type Obj = Record<string, unknown>

/** What the apiserver writes for either protobuf Accept type (kube-openapi pkg/handler). */
export const OPENAPI_V2_PROTOBUF_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'
const PROTOBUF_SUBTYPES = new Set(['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf'])

// ---------------------------------------------------------------------------------------------
// The wire format: varints, fixed64 doubles and length-delimited fields in one growing buffer.
// A nested message is written in place after a one-byte length guess; when its length needs more
// varint bytes the body is moved up (rare: only messages of 128 bytes or more).

const VARINT = 0
const FIXED64 = 1
const LENGTH = 2

export class ProtoWriter {
  private buf = Buffer.allocUnsafe(1 << 16)
  private pos = 0

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  private rawVarint(n: number): void {
    this.ensure(10)
    if (n < 0) {
      // int64 two's complement: ten bytes.
      let v = BigInt.asUintN(64, BigInt(n))
      while (v >= 0x80n) {
        this.buf[this.pos++] = Number(v & 0x7fn) | 0x80
        v >>= 7n
      }
      this.buf[this.pos++] = Number(v)
      return
    }
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80
      n = Math.floor(n / 0x80)
    }
    this.buf[this.pos++] = n
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType)
  }

  /** A string field; proto3 leaves empty strings out. */
  string(field: number, s: string | undefined): void {
    if (!s) return
    const len = Buffer.byteLength(s, 'utf8')
    this.tag(field, LENGTH)
    this.rawVarint(len)
    this.ensure(len)
    this.pos += this.buf.write(s, this.pos, 'utf8')
  }

  strings(field: number, list: readonly string[] | undefined): void {
    for (const s of list ?? []) {
      // Repeated strings keep empty elements.
      const len = Buffer.byteLength(s, 'utf8')
      this.tag(field, LENGTH)
      this.rawVarint(len)
      this.ensure(len)
      this.pos += this.buf.write(s, this.pos, 'utf8')
    }
  }

  /** A bool field; `always` for a member of a oneof, which is written even when false. */
  bool(field: number, b: boolean | undefined, always = false): void {
    if (!b && !always) return
    this.tag(field, VARINT)
    this.rawVarint(b ? 1 : 0)
  }

  int64(field: number, n: number | undefined): void {
    if (!n) return
    this.tag(field, VARINT)
    this.rawVarint(Math.trunc(n))
  }

  double(field: number, n: number | undefined): void {
    if (!n) return
    this.tag(field, FIXED64)
    this.ensure(8)
    this.buf.writeDoubleLE(n, this.pos)
    this.pos += 8
  }

  /** An embedded message (written even when empty: presence matters for messages). */
  message(field: number, body: (w: ProtoWriter) => void): void {
    this.tag(field, LENGTH)
    this.ensure(1)
    const lenAt = this.pos++
    const start = this.pos
    body(this)
    const len = this.pos - start
    let lenBytes = 1
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) lenBytes++
    if (lenBytes > 1) {
      this.ensure(lenBytes - 1)
      this.buf.copyWithin(start + lenBytes - 1, start, this.pos)
      this.pos += lenBytes - 1
    }
    let v = len
    for (let i = 0; i < lenBytes; i++) {
      this.buf[lenAt + i] = i < lenBytes - 1 ? (v % 0x80) | 0x80 : v
      v = Math.floor(v / 0x80)
    }
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos))
  }
}

// ---------------------------------------------------------------------------------------------
// The JSON document -> gnostic messages. Each function writes the fields of one message, in
// field-number order as proto.Marshal does. Keys gnostic does not know for v2 (nullable, oneOf,
// anyOf, not: OpenAPI v3 words a CRD schema may carry) are left out, as the apiserver's v2
// publishing drops them.

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined)
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : undefined)

/** A JSON value as gnostic's Any: its YAML text (the protobuf Any beside it stays unset). */
export function yamlText(v: unknown): string {
  return yaml.dump(v, {lineWidth: -1, noRefs: true})
}

function any(w: ProtoWriter, field: number, v: unknown): void {
  if (v === undefined) return
  w.message(field, (a) => a.string(2, yamlText(v)))
}

/** `x-…` keys as NamedAny entries. */
function vendorExtensions(w: ProtoWriter, field: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-') || v === undefined) continue
    w.message(field, (n) => {
      n.string(1, k)
      any(n, 2, v)
    })
  }
}

function sortedEntries(v: unknown): [string, unknown][] {
  return isObj(v) ? Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : []
}

function externalDocs(w: ProtoWriter, field: number, v: unknown): void {
  if (!isObj(v)) return
  w.message(field, (e) => {
    e.string(1, str(v.description))
    e.string(2, str(v.url))
    vendorExtensions(e, 3, v)
  })
}

function schema(w: ProtoWriter, s: Obj): void {
  w.string(1, str(s.$ref))
  w.string(2, str(s.format))
  w.string(3, str(s.title))
  w.string(4, str(s.description))
  any(w, 5, s.default)
  w.double(6, num(s.multipleOf))
  w.double(7, num(s.maximum))
  w.bool(8, bool(s.exclusiveMaximum))
  w.double(9, num(s.minimum))
  w.bool(10, bool(s.exclusiveMinimum))
  w.int64(11, num(s.maxLength))
  w.int64(12, num(s.minLength))
  w.string(13, str(s.pattern))
  w.int64(14, num(s.maxItems))
  w.int64(15, num(s.minItems))
  w.bool(16, bool(s.uniqueItems))
  w.int64(17, num(s.maxProperties))
  w.int64(18, num(s.minProperties))
  w.strings(19, strList(s.required))
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e)
  const ap = s.additionalProperties
  if (isObj(ap)) w.message(21, (a) => a.message(1, (x) => schema(x, ap)))
  else if (typeof ap === 'boolean') w.message(21, (a) => a.bool(2, ap, true))
  const type = strList(s.type)
  if (type) w.message(22, (t) => t.strings(1, type))
  const items = s.items
  if (isObj(items) || Array.isArray(items)) {
    w.message(23, (it) => {
      for (const x of Array.isArray(items) ? items : [items]) if (isObj(x)) it.message(1, (y) => schema(y, x))
    })
  }
  if (Array.isArray(s.allOf)) for (const x of s.allOf) if (isObj(x)) w.message(24, (y) => schema(y, x))
  if (isObj(s.properties)) {
    w.message(25, (p) => {
      for (const [name, x] of sortedEntries(s.properties)) {
        if (!isObj(x)) continue
        p.message(1, (n) => {
          n.string(1, name)
          n.message(2, (y) => schema(y, x))
        })
      }
    })
  }
  w.string(26, str(s.discriminator))
  w.bool(27, bool(s.readOnly))
  const xml = s.xml
  if (isObj(xml)) {
    w.message(28, (x) => {
      x.string(1, str(xml.name))
      x.string(2, str(xml.namespace))
      x.string(3, str(xml.prefix))
      x.bool(4, bool(xml.attribute))
      x.bool(5, bool(xml.wrapped))
      vendorExtensions(x, 6, xml)
    })
  }
  externalDocs(w, 29, s.externalDocs)
  any(w, 30, s.example)
  vendorExtensions(w, 31, s)
}

/** A schema of type file (only in responses): gnostic's FileSchema. */
function fileSchema(w: ProtoWriter, s: Obj): void {
  w.string(1, str(s.format))
  w.string(2, str(s.title))
  w.string(3, str(s.description))
  any(w, 4, s.default)
  w.strings(5, strList(s.required))
  w.string(6, str(s.type))
  w.bool(7, bool(s.readOnly))
  externalDocs(w, 8, s.externalDocs)
  any(w, 9, s.example)
  vendorExtensions(w, 10, s)
}

/**
 * The 17 validation fields shared by PrimitivesItems, Header and the non-body parameters, numbered
 * consecutively from `base` (type) to `base + 16` (multipleOf).
 */
function primitiveFields(w: ProtoWriter, base: number, p: Obj): void {
  w.string(base, str(p.type))
  w.string(base + 1, str(p.format))
  if (isObj(p.items)) {
    const items = p.items
    w.message(base + 2, (x) => primitivesItems(x, items))
  }
  w.string(base + 3, str(p.collectionFormat))
  any(w, base + 4, p.default)
  w.double(base + 5, num(p.maximum))
  w.bool(base + 6, bool(p.exclusiveMaximum))
  w.double(base + 7, num(p.minimum))
  w.bool(base + 8, bool(p.exclusiveMinimum))
  w.int64(base + 9, num(p.maxLength))
  w.int64(base + 10, num(p.minLength))
  w.string(base + 11, str(p.pattern))
  w.int64(base + 12, num(p.maxItems))
  w.int64(base + 13, num(p.minItems))
  w.bool(base + 14, bool(p.uniqueItems))
  if (Array.isArray(p.enum)) for (const e of p.enum) any(w, base + 15, e)
  w.double(base + 16, num(p.multipleOf))
}

function primitivesItems(w: ProtoWriter, p: Obj): void {
  primitiveFields(w, 1, p)
  vendorExtensions(w, 18, p)
}

function header(w: ProtoWriter, h: Obj): void {
  primitiveFields(w, 1, h)
  w.string(18, str(h.description))
  vendorExtensions(w, 19, h)
}

/** NonBodyParameter's oneof members: header 1, formData 2, query 3, path 4. */
const NON_BODY: Record<string, number> = {header: 1, formData: 2, query: 3, path: 4}

function parameter(w: ProtoWriter, p: Obj): void {
  if (p.in === 'body') {
    w.message(1, (b) => {
      b.string(1, str(p.description))
      b.string(2, str(p.name))
      b.string(3, 'body')
      b.bool(4, bool(p.required))
      if (isObj(p.schema)) {
        const s = p.schema
        b.message(5, (x) => schema(x, s))
      }
      vendorExtensions(b, 6, p)
    })
    return
  }
  const member = NON_BODY[String(p.in)]
  if (!member) return
  // Query and formData parameters carry allowEmptyValue at 5, which shifts the rest by one.
  const withEmpty = p.in === 'query' || p.in === 'formData'
  w.message(2, (nb) =>
    nb.message(member, (x) => {
      x.bool(1, bool(p.required))
      x.string(2, str(p.in))
      x.string(3, str(p.description))
      x.string(4, str(p.name))
      if (withEmpty) x.bool(5, bool(p.allowEmptyValue))
      const base = withEmpty ? 6 : 5
      primitiveFields(x, base, p)
      vendorExtensions(x, base + 17, p)
    }),
  )
}

function jsonReference(w: ProtoWriter, r: Obj): void {
  w.string(1, str(r.$ref))
  w.string(2, str(r.description))
}

/** A ParametersItem: a parameter, or a reference to one of the document's parameters. */
function parametersItem(w: ProtoWriter, p: Obj): void {
  if (typeof p.$ref === 'string') w.message(2, (r) => jsonReference(r, p))
  else w.message(1, (x) => parameter(x, p))
}

function response(w: ProtoWriter, r: Obj): void {
  w.string(1, str(r.description))
  if (isObj(r.schema)) {
    const s = r.schema
    w.message(2, (si) => (s.type === 'file' ? si.message(2, (x) => fileSchema(x, s)) : si.message(1, (x) => schema(x, s))))
  }
  if (isObj(r.headers)) {
    w.message(3, (hs) => {
      for (const [name, h] of sortedEntries(r.headers)) {
        if (isObj(h)) hs.message(1, (n) => (n.string(1, name), n.message(2, (x) => header(x, h))))
      }
    })
  }
  if (isObj(r.examples)) {
    w.message(4, (ex) => {
      for (const [name, v] of sortedEntries(r.examples)) ex.message(1, (n) => (n.string(1, name), any(n, 2, v)))
    })
  }
  vendorExtensions(w, 5, r)
}

function securityRequirements(w: ProtoWriter, field: number, list: unknown): void {
  if (!Array.isArray(list)) return
  for (const req of list) {
    if (!isObj(req)) continue
    w.message(field, (sr) => {
      for (const [name, scopes] of Object.entries(req)) {
        sr.message(1, (n) => {
          n.string(1, name)
          n.message(2, (a) => a.strings(1, strList(scopes)))
        })
      }
    })
  }
}

function operation(w: ProtoWriter, op: Obj): void {
  w.strings(1, strList(op.tags))
  w.string(2, str(op.summary))
  w.string(3, str(op.description))
  externalDocs(w, 4, op.externalDocs)
  w.string(5, str(op.operationId))
  w.strings(6, strList(op.produces))
  w.strings(7, strList(op.consumes))
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObj(p)) w.message(8, (x) => parametersItem(x, p))
  if (isObj(op.responses)) {
    const responses = op.responses
    w.message(9, (rs) => {
      for (const [code, r] of Object.entries(responses)) {
        if (code.startsWith('x-') || !isObj(r)) continue
        rs.message(1, (n) => {
          n.string(1, code)
          n.message(2, (rv) => (typeof r.$ref === 'string' ? rv.message(2, (x) => jsonReference(x, r)) : rv.message(1, (x) => response(x, r))))
        })
      }
      vendorExtensions(rs, 2, responses)
    })
  }
  w.strings(10, strList(op.schemes))
  w.bool(11, bool(op.deprecated))
  securityRequirements(w, 12, op.security)
  vendorExtensions(w, 13, op)
}

const OPERATIONS: [string, number][] = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]]

function pathItem(w: ProtoWriter, item: Obj): void {
  w.string(1, str(item.$ref))
  for (const [verb, field] of OPERATIONS) {
    const op = item[verb]
    if (isObj(op)) w.message(field, (x) => operation(x, op))
  }
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObj(p)) w.message(9, (x) => parametersItem(x, p))
  vendorExtensions(w, 10, item)
}

function oauth2Scopes(w: ProtoWriter, field: number, v: unknown): void {
  if (!isObj(v)) return
  w.message(field, (s) => {
    for (const [name, text] of Object.entries(v)) s.message(1, (n) => (n.string(1, name), n.string(2, str(text))))
  })
}

/** SecurityDefinitionsItem: which oneof member follows from type (and flow for OAuth 2). */
function securityDefinition(w: ProtoWriter, d: Obj): void {
  const type = str(d.type)
  if (type === 'basic') {
    w.message(1, (x) => (x.string(1, type), x.string(2, str(d.description)), vendorExtensions(x, 3, d)))
  } else if (type === 'apiKey') {
    w.message(2, (x) => {
      x.string(1, type)
      x.string(2, str(d.name))
      x.string(3, str(d.in))
      x.string(4, str(d.description))
      vendorExtensions(x, 5, d)
    })
  } else if (type === 'oauth2') {
    const flow = str(d.flow)
    const member = flow === 'implicit' ? 3 : flow === 'password' ? 4 : flow === 'application' ? 5 : flow === 'accessCode' ? 6 : 0
    if (!member) return
    w.message(member, (x) => {
      x.string(1, type)
      x.string(2, flow)
      oauth2Scopes(x, 3, d.scopes)
      let next = 4
      if (member === 3 || member === 6) x.string(next++, str(d.authorizationUrl))
      if (member !== 3) x.string(next++, str(d.tokenUrl))
      x.string(next++, str(d.description))
      vendorExtensions(x, next, d)
    })
  }
}

/** The gnostic openapi.v2.Document bytes of a swagger 2.0 document (as JSON-shaped values). */
export function encodeOpenApiV2Document(doc: Obj): Buffer {
  const w = new ProtoWriter()
  w.string(1, str(doc.swagger))
  const info = doc.info
  if (isObj(info)) {
    w.message(2, (i) => {
      i.string(1, str(info.title))
      i.string(2, str(info.version))
      i.string(3, str(info.description))
      i.string(4, str(info.termsOfService))
      const contact = info.contact
      if (isObj(contact)) i.message(5, (c) => (c.string(1, str(contact.name)), c.string(2, str(contact.url)), c.string(3, str(contact.email)), vendorExtensions(c, 4, contact)))
      const license = info.license
      if (isObj(license)) i.message(6, (l) => (l.string(1, str(license.name)), l.string(2, str(license.url)), vendorExtensions(l, 3, license)))
      vendorExtensions(i, 7, info)
    })
  }
  w.string(3, str(doc.host))
  w.string(4, str(doc.basePath))
  w.strings(5, strList(doc.schemes))
  w.strings(6, strList(doc.consumes))
  w.strings(7, strList(doc.produces))
  if (isObj(doc.paths)) {
    const paths = doc.paths
    w.message(8, (p) => {
      vendorExtensions(p, 1, paths)
      for (const [path, item] of sortedEntries(paths)) {
        if (path.startsWith('x-') || !isObj(item)) continue
        p.message(2, (n) => (n.string(1, path), n.message(2, (x) => pathItem(x, item))))
      }
    })
  }
  if (isObj(doc.definitions)) {
    w.message(9, (d) => {
      for (const [name, s] of sortedEntries(doc.definitions)) {
        if (isObj(s)) d.message(1, (n) => (n.string(1, name), n.message(2, (x) => schema(x, s))))
      }
    })
  }
  if (isObj(doc.parameters)) {
    w.message(10, (d) => {
      for (const [name, p] of sortedEntries(doc.parameters)) {
        if (isObj(p)) d.message(1, (n) => (n.string(1, name), n.message(2, (x) => parameter(x, p))))
      }
    })
  }
  if (isObj(doc.responses)) {
    w.message(11, (d) => {
      for (const [name, r] of sortedEntries(doc.responses)) {
        if (isObj(r)) d.message(1, (n) => (n.string(1, name), n.message(2, (x) => response(x, r))))
      }
    })
  }
  securityRequirements(w, 12, doc.security)
  if (isObj(doc.securityDefinitions)) {
    w.message(13, (d) => {
      for (const [name, s] of sortedEntries(doc.securityDefinitions)) {
        if (isObj(s)) d.message(1, (n) => (n.string(1, name), n.message(2, (x) => securityDefinition(x, s))))
      }
    })
  }
  if (Array.isArray(doc.tags)) {
    for (const t of doc.tags) {
      if (isObj(t)) w.message(14, (x) => (x.string(1, str(t.name)), x.string(2, str(t.description)), externalDocs(x, 3, t.externalDocs), vendorExtensions(x, 4, t)))
    }
  }
  externalDocs(w, 15, doc.externalDocs)
  vendorExtensions(w, 16, doc)
  return w.finish()
}

// ---------------------------------------------------------------------------------------------
// The served document: built once per (release, served resources, CRD versions), kept for a few
// such sets, in JSON and (on demand) protobuf, each also gzipped on demand.

export interface OpenApiV2Entry {
  json: Buffer
  /** Quoted: the SHA-512 of the JSON text, upper-case hex (the same for both forms). */
  etag: string
  lastModified: Date
  protobuf(): Buffer
  gzipped(form: 'json' | 'protobuf'): Buffer
}

const MAX_ENTRIES = 4
const entries = new Map<string, OpenApiV2Entry>()

/** What the document depends on: the release, the served kinds and each CRD's resourceVersion. */
function cacheKey(src: OpenApiSource): string {
  const parts = [src.kubernetesVersion]
  const crds = new Set<string>()
  for (const r of src.catalog.all()) {
    if (r.storagePrefix === '') continue
    parts.push(`${r.group}/${r.version}/${r.kind}`)
    if (r.crd) crds.add(r.crd.name)
  }
  for (const name of [...crds].sort()) {
    const meta = src.crd(name)?.metadata as Obj | undefined
    parts.push(`${name}@${String(meta?.resourceVersion ?? '')}`)
  }
  return parts.join('|')
}

export function openApiV2Entry(src: OpenApiSource): OpenApiV2Entry {
  const key = cacheKey(src)
  const hit = entries.get(key)
  if (hit) {
    entries.delete(key)
    entries.set(key, hit)
    return hit
  }
  const doc = openApiV2Object(src)
  const json = Buffer.from(JSON.stringify(doc), 'utf8')
  let pb: Buffer | undefined
  const gz: Partial<Record<'json' | 'protobuf', Buffer>> = {}
  const entry: OpenApiV2Entry = {
    json,
    etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`,
    // HTTP dates have whole seconds; If-Modified-Since compares at that precision.
    lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
    protobuf: () => (pb ??= encodeOpenApiV2Document(doc)),
    gzipped: (form) => (gz[form] ??= gzipSync(form === 'json' ? json : entry.protobuf())),
  }
  entries.set(key, entry)
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!)
  return entry
}

/**
 * Which form an Accept header asks for, as kube-openapi negotiates: clauses by quality, then the
 * specific before the wildcard; the first that JSON or either protobuf type matches wins.
 * Undefined when none does (the apiserver answers 406).
 */
export function negotiateOpenApiV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const clauses: {type: string; subtype: string; q: number; i: number}[] = []
  const text = accept && accept.trim() !== '' ? accept : '*/*'
  text.split(',').forEach((part, i) => {
    const [range, ...params] = part.split(';').map((s) => s.trim())
    if (!range) return
    const slash = range.indexOf('/')
    const type = (slash < 0 ? range : range.slice(0, slash)).toLowerCase()
    const subtype = (slash < 0 ? '*' : range.slice(slash + 1)).toLowerCase()
    let q = 1
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p)
      if (m) q = Number(m[1])
    }
    if (q > 0) clauses.push({type, subtype, q, i})
  })
  clauses.sort((a, b) => b.q - a.q || Number(a.type === '*') - Number(b.type === '*') || Number(a.subtype === '*') - Number(b.subtype === '*') || a.i - b.i)
  for (const c of clauses) {
    if (c.type !== 'application' && c.type !== '*') continue
    if (c.subtype === 'json' || c.subtype === '*') return 'json'
    if (PROTOBUF_SUBTYPES.has(c.subtype)) return 'protobuf'
  }
  return undefined
}

export interface OpenApiV2Answer {
  status: 200 | 304 | 406
  headers: Record<string, string>
  body?: Buffer
}

/**
 * GET /openapi/v2 as the apiserver answers it: the negotiated form with its content type, ETag,
 * Last-Modified and `Vary: Accept`; 304 when If-None-Match (or, without it, If-Modified-Since)
 * says the client has it; gzip when the client accepts it (as the apiserver's gzip handler does).
 */
export function openApiV2Answer(src: OpenApiSource, reqHeaders: Record<string, string | string[] | undefined>, method: string): OpenApiV2Answer {
  const h = (name: string): string | undefined => {
    const v = reqHeaders[name]
    return Array.isArray(v) ? v.join(', ') : v
  }
  const form = negotiateOpenApiV2(h('accept'))
  if (!form) return {status: 406, headers: {Vary: 'Accept'}}
  const entry = openApiV2Entry(src)
  const headers: Record<string, string> = {
    Vary: 'Accept',
    'Content-Type': form === 'json' ? 'application/json' : OPENAPI_V2_PROTOBUF_TYPE,
    Etag: entry.etag,
    'Last-Modified': entry.lastModified.toUTCString(),
  }
  if (notModified(entry, h('if-none-match'), h('if-modified-since'))) return {status: 304, headers}
  let body = form === 'json' ? entry.json : entry.protobuf()
  if (acceptsGzip(h('accept-encoding'))) {
    body = entry.gzipped(form)
    headers['Content-Encoding'] = 'gzip'
    headers.Vary = 'Accept, Accept-Encoding'
  }
  headers['Content-Length'] = String(body.length)
  return {status: 200, headers, ...(method === 'HEAD' ? {} : {body})}
}

/** Whether Accept-Encoding lists gzip (or *) with a quality above zero. */
function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.split(';').map((x) => x.trim().toLowerCase())
    if (coding !== 'gzip' && coding !== '*') continue
    const q = params.find((p) => p.startsWith('q='))
    if (q === undefined || Number(q.slice(2)) > 0) return true
  }
  return false
}

function notModified(entry: OpenApiV2Entry, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((t) => {
      const tag = t.trim().replace(/^W\//, '')
      return tag === '*' || tag === entry.etag
    })
  }
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince)
    return !Number.isNaN(since) && entry.lastModified.getTime() <= since
  }
  return false
}
