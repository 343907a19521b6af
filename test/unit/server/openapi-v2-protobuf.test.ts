// The gnostic protobuf form of /openapi/v2: what is encoded is decoded again by a small test-only
// reader (field numbers of gnostic's openapiv2/OpenAPIv2.proto) and compared with the JSON document
// it came from — built-in definitions (Deployment, PodSpec's patch strategies, IntOrString), a CRD's
// schema, the PATCH operation kubectl's fieldValidation check reads — plus the wire format's edge
// cases, Accept negotiation and the ETag / 304 / gzip answers.
import {strict as assert} from 'node:assert'
import {gunzipSync} from 'node:zlib'
import yaml from 'js-yaml'
import {ResourceCatalog} from '../../../src/apiserver/catalog.js'
import {openApiV2Object, type OpenApiSource} from '../../../src/server/openapi.js'
import {
  encodeOpenApiV2Document, negotiateOpenApiV2, OPENAPI_V2_PROTOBUF_TYPE, openApiV2Answer, openApiV2Entry, ProtoWriter,
} from '../../../src/server/openapi-v2-protobuf.js'

type Obj = Record<string, unknown>

// --- a minimal protobuf reader: field number -> raw values, in order ---------------------------

type Raw = bigint | Buffer
type Fields = Map<number, Raw[]>

function decode(buf: Buffer): Fields {
  const out: Fields = new Map()
  let pos = 0
  const varint = (): bigint => {
    let v = 0n
    let shift = 0n
    for (;;) {
      const b = buf[pos++]
      if (b === undefined) throw new Error('truncated varint')
      v |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return v
      shift += 7n
    }
  }
  while (pos < buf.length) {
    const key = Number(varint())
    const field = key >> 3
    let value: Raw
    switch (key & 7) {
      case 0:
        value = varint()
        break
      case 1:
        value = buf.subarray(pos, pos + 8)
        pos += 8
        break
      case 2: {
        const len = Number(varint())
        if (pos + len > buf.length) throw new Error(`field ${field}: length ${len} past the end`)
        value = buf.subarray(pos, pos + len)
        pos += len
        break
      }
      default:
        throw new Error(`unexpected wire type ${key & 7}`)
    }
    out.set(field, [...(out.get(field) ?? []), value])
  }
  return out
}

const bytes = (f: Fields, n: number): Buffer[] => (f.get(n) ?? []) as Buffer[]
const one = (f: Fields, n: number): Buffer | undefined => bytes(f, n)[0]
const text = (f: Fields, n: number): string | undefined => one(f, n)?.toString('utf8')
const texts = (f: Fields, n: number): string[] => bytes(f, n).map((b) => b.toString('utf8'))
const flag = (f: Fields, n: number): boolean | undefined => (f.has(n) ? (f.get(n)![0] as bigint) !== 0n : undefined)
const double = (f: Fields, n: number): number | undefined => one(f, n)?.readDoubleLE(0)
const int = (f: Fields, n: number): number | undefined => (f.has(n) ? Number(BigInt.asIntN(64, f.get(n)![0] as bigint)) : undefined)
/** gnostic Any: the value's YAML text (field 2), parsed. */
const anyValue = (b: Buffer): unknown => yaml.load(text(decode(b), 2)!)

/** NamedX lists (name 1, value 2) as [name, value bytes]. */
function named(f: Fields, n: number): [string, Buffer][] {
  return bytes(f, n).map((b) => {
    const e = decode(b)
    return [text(e, 1)!, one(e, 2)!]
  })
}

/** A gnostic Schema back to its JSON form. */
function schemaJson(b: Buffer): Obj {
  const f = decode(b)
  const s: Obj = {}
  const set = (k: string, v: unknown) => {
    if (v !== undefined) s[k] = v
  }
  set('$ref', text(f, 1))
  set('format', text(f, 2))
  set('title', text(f, 3))
  set('description', text(f, 4))
  if (one(f, 5)) s.default = anyValue(one(f, 5)!)
  set('multipleOf', double(f, 6))
  set('maximum', double(f, 7))
  set('exclusiveMaximum', flag(f, 8))
  set('minimum', double(f, 9))
  set('exclusiveMinimum', flag(f, 10))
  set('maxLength', int(f, 11))
  set('minLength', int(f, 12))
  set('pattern', text(f, 13))
  set('maxItems', int(f, 14))
  set('minItems', int(f, 15))
  set('uniqueItems', flag(f, 16))
  set('maxProperties', int(f, 17))
  set('minProperties', int(f, 18))
  if (f.has(19)) s.required = texts(f, 19)
  if (f.has(20)) s.enum = bytes(f, 20).map(anyValue)
  if (one(f, 21)) {
    const ap = decode(one(f, 21)!)
    s.additionalProperties = ap.has(1) ? schemaJson(one(ap, 1)!) : flag(ap, 2)
  }
  if (one(f, 22)) {
    const t = texts(decode(one(f, 22)!), 1)
    s.type = t.length === 1 ? t[0] : t
  }
  if (one(f, 23)) {
    const items = bytes(decode(one(f, 23)!), 1).map(schemaJson)
    s.items = items.length === 1 ? items[0] : items
  }
  if (f.has(24)) s.allOf = bytes(f, 24).map(schemaJson)
  if (one(f, 25)) s.properties = Object.fromEntries(named(decode(one(f, 25)!), 1).map(([k, v]) => [k, schemaJson(v)]))
  set('readOnly', flag(f, 27))
  if (one(f, 30)) s.example = anyValue(one(f, 30)!)
  for (const [k, v] of named(f, 31)) s[k] = anyValue(v)
  return s
}

/** What the encoder keeps of a JSON schema (v3-only words dropped), for comparison. */
function v2Only(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(v2Only)
  if (typeof v !== 'object' || v === null) return v
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) {
    if (['nullable', 'oneOf', 'anyOf', 'not'].includes(k)) continue
    out[k] = k === 'enum' || k === 'default' || k === 'example' || k.startsWith('x-') ? x : k === 'properties' ? Object.fromEntries(Object.entries(x as Obj).map(([p, s]) => [p, v2Only(s)])) : v2Only(x)
  }
  return out
}

// --- the document under test -------------------------------------------------------------------

const WIDGETS: Obj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {name: 'widgets.example.com', resourceVersion: '41'},
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {plural: 'widgets', singular: 'widget', kind: 'Widget'},
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      schema: {openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            description: 'What the widget should be.',
            required: ['size'],
            properties: {
              size: {type: 'integer', minimum: 1, maximum: 4096, default: 8},
              color: {type: 'string', enum: ['red', 'yes', '1'], nullable: true},
              ratio: {type: 'number', multipleOf: 0.25},
              labels: {type: 'object', additionalProperties: {type: 'string'}, 'x-kubernetes-map-type': 'granular'},
              ports: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['port', 'protocol'],
                items: {type: 'object', required: ['port'], properties: {port: {type: 'integer', format: 'int32'}, protocol: {type: 'string', default: 'TCP'}}},
              },
              target: {'x-kubernetes-int-or-string': true, anyOf: [{type: 'integer'}, {type: 'string'}]},
            },
          },
        },
      }},
    }],
  },
}

function source(crds: Obj[] = [WIDGETS]): OpenApiSource {
  const catalog = new ResourceCatalog('1.28')
  for (const c of crds) catalog.applyCustomResourceDefinition(c, true)
  return {catalog, kubernetesVersion: '1.28', crd: (name) => crds.find((c) => (c.metadata as Obj).name === name)}
}

describe('/openapi/v2 as a gnostic protobuf Document', function () {
  this.timeout(20000)
  const src = source()
  const json = openApiV2Object(src)
  const pb = openApiV2Entry(src).protobuf()
  const doc = decode(pb)
  const definitions = new Map(named(decode(one(doc, 9)!), 1))
  const definition = (name: string) => schemaJson(definitions.get(name)!)

  it('carries swagger, info and every definition, sorted by name', () => {
    assert.equal(text(doc, 1), '2.0')
    const info = decode(one(doc, 2)!)
    assert.equal(text(info, 1), 'Kubernetes')
    assert.match(text(info, 2)!, /^v1\.28\.\d+$/)
    const names = [...definitions.keys()]
    assert.deepEqual(names, Object.keys(json.definitions as Obj).sort())
    assert.ok(names.length > 500)
  })

  for (const name of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']) {
    it(`round-trips ${name.replace(/^.*\./, '')} to the JSON definition`, () => {
      assert.deepEqual(definition(name), (json.definitions as Obj)[name])
    })
  }

  it('round-trips every built-in definition of the release', () => {
    for (const [name, s] of Object.entries(json.definitions as Obj)) {
      if (!name.startsWith('com.example.')) assert.deepEqual(definition(name), s, name)
    }
  })

  it('keeps the patch strategies, merge keys and list types strategic merge reads', () => {
    const pod = definition('io.k8s.api.core.v1.PodSpec').properties as Record<string, Obj>
    assert.equal(pod.containers!['x-kubernetes-patch-strategy'], 'merge')
    assert.equal(pod.containers!['x-kubernetes-patch-merge-key'], 'name')
    assert.deepEqual(pod.containers!.items, {$ref: '#/definitions/io.k8s.api.core.v1.Container'})
    const ports = (definition('io.k8s.api.core.v1.Container').properties as Record<string, Obj>).ports!
    assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort')
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol'])
    assert.deepEqual(definition('io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind'], [{group: 'apps', kind: 'Deployment', version: 'v1'}])
    const intOrString = definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString')
    assert.equal(intOrString.format, 'int-or-string')
    assert.equal(intOrString.type, 'string')
  })

  it("encodes a CRD's structural schema: defaults, enums as YAML, numbers, maps, list-map keys", () => {
    const widget = definition('com.example.v1.Widget')
    const given = (json.definitions as Obj)['com.example.v1.Widget']
    assert.deepEqual(widget, v2Only(given))
    const spec = (widget.properties as Record<string, Obj>).spec!.properties as Record<string, Obj>
    assert.deepEqual(spec.color!.enum, ['red', 'yes', '1'], 'strings that look like YAML 1.1 booleans or numbers stay strings')
    assert.equal(spec.size!.default, 8)
    assert.equal(spec.size!.maximum, 4096)
    assert.equal(spec.ratio!.multipleOf, 0.25)
    assert.deepEqual(spec.labels!.additionalProperties, {type: 'string'})
    assert.equal(spec.target!['x-kubernetes-int-or-string'], true)
    assert.equal(spec.target!.anyOf, undefined)
    assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{group: 'example.com', version: 'v1', kind: 'Widget'}])
  })

  it('writes the PATCH operation with its GVK and the fieldValidation query parameter', () => {
    const paths = new Map(named(decode(one(doc, 8)!), 2))
    const item = decode(paths.get('/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!)
    const patch = decode(one(item, 8)!)
    assert.equal(text(patch, 5), 'patchDeployment')
    const ext = new Map(named(patch, 13).map(([k, v]) => [k, anyValue(v)]))
    assert.deepEqual(ext.get('x-kubernetes-group-version-kind'), {group: 'apps', version: 'v1', kind: 'Deployment'})
    assert.equal(ext.get('x-kubernetes-action'), 'patch')
    const query = bytes(patch, 8).map((p) => decode(one(decode(one(decode(one(decode(p), 1)!), 2)!), 3)!))
    const names = query.map((q) => text(q, 4))
    assert.deepEqual(names, ['dryRun', 'fieldManager', 'fieldValidation', 'force'])
    const fv = query[2]!
    assert.equal(text(fv, 2), 'query')
    assert.equal(text(fv, 6), 'string')
    assert.equal(flag(fv, 20), true)
    const ok = named(decode(one(patch, 9)!), 1)
    assert.equal(ok[0]![0], '200')
    const response = decode(one(decode(ok[0]![1]), 1)!)
    assert.equal(text(response, 1), 'OK')
    assert.deepEqual(schemaJson(one(decode(one(response, 2)!), 1)!), {$ref: '#/definitions/io.k8s.api.apps.v1.Deployment'})
    assert.ok(paths.has('/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'))
  })

  it('writes what the Kubernetes document does not use: security, body and path parameters, oneof false, negatives', () => {
    const bin = encodeOpenApiV2Document({
      swagger: '2.0',
      info: {title: 't', version: 'v', 'x-note': {a: [1, 2]}},
      securityDefinitions: {BearerToken: {type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication'}},
      security: [{BearerToken: []}],
      paths: {'/x/{name}': {
        parameters: [{name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true}],
        post: {consumes: ['*/*'], parameters: [{name: 'body', in: 'body', required: true, schema: {type: 'object', additionalProperties: false}}, {$ref: '#/parameters/pretty'}], responses: {201: {description: 'Created', schema: {type: 'file'}}}},
      }},
      definitions: {N: {type: 'integer', minimum: -5, minLength: -1, 'x-kubernetes-unions': [{discriminator: 'type', 'fields-to-discriminateBy': {a: 'A'}}]}},
    })
    const d = decode(bin)
    const infoExt = named(decode(one(d, 2)!), 7)
    assert.deepEqual(infoExt.map(([k, v]) => [k, anyValue(v)]), [['x-note', {a: [1, 2]}]])
    const security = named(decode(one(d, 12)!), 1)
    assert.equal(security[0]![0], 'BearerToken')
    assert.deepEqual(texts(decode(security[0]![1]), 1), [])
    const [[sdName, sd]] = named(decode(one(d, 13)!), 1) as [[string, Buffer]]
    assert.equal(sdName, 'BearerToken')
    const apiKey = decode(one(decode(sd), 2)!)
    assert.deepEqual([text(apiKey, 1), text(apiKey, 2), text(apiKey, 3), text(apiKey, 4)], ['apiKey', 'authorization', 'header', 'Bearer Token authentication'])
    const item = decode(named(decode(one(d, 8)!), 2)[0]![1])
    const pathParam = decode(one(decode(one(decode(one(decode(one(item, 9)!), 1)!), 2)!), 4)!)
    assert.deepEqual([text(pathParam, 4), flag(pathParam, 1), text(pathParam, 5), flag(pathParam, 19)], ['name', true, 'string', true])
    const post = decode(one(item, 4)!)
    assert.deepEqual(texts(post, 7), ['*/*'])
    const [body, ref] = bytes(post, 8).map(decode) as [Fields, Fields]
    const bodyParam = decode(one(decode(one(body, 1)!), 1)!)
    assert.deepEqual([text(bodyParam, 2), text(bodyParam, 3), flag(bodyParam, 4)], ['body', 'body', true])
    assert.deepEqual(schemaJson(one(bodyParam, 5)!), {type: 'object', additionalProperties: false}, 'a oneof false is still written')
    assert.equal(text(decode(one(ref, 2)!), 1), '#/parameters/pretty')
    const created = named(decode(one(post, 9)!), 1)[0]!
    assert.equal(created[0], '201')
    const fileSchema = decode(one(decode(one(decode(one(decode(created[1]), 1)!), 2)!), 2)!)
    assert.equal(text(fileSchema, 6), 'file')
    const n = schemaJson(named(decode(one(d, 9)!), 1)[0]![1])
    assert.deepEqual(n, {type: 'integer', minimum: -5, minLength: -1, 'x-kubernetes-unions': [{discriminator: 'type', 'fields-to-discriminateBy': {a: 'A'}}]})
  })

  it('writes lengths of any size as varints (nested messages past 127 and 16383 bytes)', () => {
    for (const size of [0, 1, 127, 128, 300, 16383, 16384, 70000, 2_100_000]) {
      const w = new ProtoWriter()
      w.message(7, (m) => m.message(1, (x) => x.string(2, 'a'.repeat(size))))
      const outer = decode(w.finish())
      const inner = decode(one(outer, 7)!)
      const leaf = decode(one(inner, 1)!)
      assert.equal(text(leaf, 2)?.length ?? 0, size)
    }
  })

  it('is cached per set of CRD versions: a changed CRD makes a new document', () => {
    assert.equal(openApiV2Entry(source()), openApiV2Entry(src))
    const changed = structuredClone(WIDGETS)
    ;(changed.metadata as Obj).resourceVersion = '42'
    const versions = (changed.spec as Obj).versions as Obj[]
    const spec = (((versions[0]!.schema as Obj).openAPIV3Schema as Obj).properties as Record<string, Obj>).spec!
    ;(spec.properties as Obj).shape = {type: 'string'}
    const next = openApiV2Entry(source([changed]))
    assert.notEqual(next, openApiV2Entry(src))
    assert.notEqual(next.etag, openApiV2Entry(src).etag)
    const props = (schemaJson(new Map(named(decode(one(decode(next.protobuf()), 9)!), 1)).get('com.example.v1.Widget')!).properties as Record<string, Obj>).spec!.properties as Obj
    assert.ok('shape' in props)
  })
})

describe('/openapi/v2 negotiation and caching headers', () => {
  const src = source()

  it('picks JSON or protobuf as kube-openapi does', () => {
    assert.equal(negotiateOpenApiV2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), 'protobuf')
    assert.equal(negotiateOpenApiV2('application/com.github.proto-openapi.spec.v2.v1.0+protobuf'), 'protobuf')
    assert.equal(negotiateOpenApiV2('application/json'), 'json')
    assert.equal(negotiateOpenApiV2(undefined), 'json')
    assert.equal(negotiateOpenApiV2('*/*'), 'json')
    assert.equal(negotiateOpenApiV2('application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), 'protobuf')
    assert.equal(negotiateOpenApiV2('*/*, application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), 'protobuf', 'the specific range before the wildcard')
    assert.equal(negotiateOpenApiV2('application/xml'), undefined)
    assert.equal(negotiateOpenApiV2('application/json;q=0'), undefined)
  })

  it('answers with the protobuf type, a quoted SHA-512 ETag shared by both forms, and Vary', () => {
    const pb = openApiV2Answer(src, {accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'}, 'GET')
    assert.equal(pb.status, 200)
    assert.equal(pb.headers['Content-Type'], OPENAPI_V2_PROTOBUF_TYPE)
    assert.match(pb.headers.Etag!, /^"[0-9A-F]{128}"$/)
    assert.equal(pb.headers.Vary, 'Accept')
    assert.equal(pb.headers['Content-Length'], String(pb.body!.length))
    assert.equal(text(decode(pb.body!), 1), '2.0')
    const js = openApiV2Answer(src, {accept: 'application/json'}, 'GET')
    assert.equal(js.headers['Content-Type'], 'application/json')
    assert.equal(js.headers.Etag, pb.headers.Etag)
    assert.equal((JSON.parse(js.body!.toString('utf8')) as Obj).swagger, '2.0')
    assert.equal(openApiV2Answer(src, {accept: 'text/html'}, 'GET').status, 406)
  })

  it('answers 304 to a matching If-None-Match or a later If-Modified-Since, and no body to HEAD', () => {
    const first = openApiV2Answer(src, {}, 'GET')
    assert.equal(openApiV2Answer(src, {'if-none-match': first.headers.Etag}, 'GET').status, 304)
    assert.equal(openApiV2Answer(src, {'if-none-match': `"other", W/${first.headers.Etag}`}, 'GET').status, 304)
    assert.equal(openApiV2Answer(src, {'if-none-match': '"other"'}, 'GET').status, 200)
    assert.equal(openApiV2Answer(src, {'if-modified-since': first.headers['Last-Modified']}, 'GET').status, 304)
    assert.equal(openApiV2Answer(src, {'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT'}, 'GET').status, 200)
    const head = openApiV2Answer(src, {}, 'HEAD')
    assert.equal(head.status, 200)
    assert.equal(head.body, undefined)
    assert.equal(head.headers['Content-Length'], first.headers['Content-Length'])
  })

  it('gzips when the client accepts it', () => {
    const plain = openApiV2Answer(src, {accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'}, 'GET')
    const gz = openApiV2Answer(src, {accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'accept-encoding': 'gzip'}, 'GET')
    assert.equal(gz.headers['Content-Encoding'], 'gzip')
    assert.ok(gunzipSync(gz.body!).equals(plain.body!))
    assert.equal(openApiV2Answer(src, {'accept-encoding': 'gzip;q=0, identity'}, 'GET').headers['Content-Encoding'], undefined)
  })
})
