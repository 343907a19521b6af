// The protobuf body decoder (src/server/protobuf.ts) on hand-built messages, and the generated table
// (schemas/protobuf.json) against the OpenAPI definitions of the same release.
import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {ResourceRegistry} from '../../../src/api/registry.js'
import {loadDefinitions} from '../../../src/schema/files.js'
import {decodeKubernetesProtobuf, definitionToMessage, goDuration, kindResolver} from '../../../src/server/protobuf.js'
import {decodeBody} from '../../../src/server/routes.js'

// A minimal encoder for the tests: field(number, wireType, payload).
function varint(n: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(n))
  const out: number[] = []
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return out
}
const vf = (n: number, v: bigint | number) => [...varint(n << 3), ...varint(v)]
const bf = (n: number, bytes: number[]) => [...varint((n << 3) | 2), ...varint(bytes.length), ...bytes]
const sf = (n: number, s: string) => bf(n, [...Buffer.from(s, 'utf8')])
function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...bf(1, [...sf(1, apiVersion), ...sf(2, kind)]), ...bf(2, raw)])
}

const resolve = kindResolver(ResourceRegistry.forVersion('1.33').resources)
const decode = (b: Buffer) => decodeKubernetesProtobuf(b, resolve).object

describe('protobuf request bodies', () => {
  it('decodes a Deployment: pointer zero kept, non-pointer zero dropped, maps, nested messages', () => {
    const meta = [...sf(1, 'web'), ...sf(2, ''), ...bf(11, [...sf(1, 'app'), ...sf(2, 'web')]), ...bf(11, [...sf(1, 'empty'), ...sf(2, '')])]
    const spec = [...vf(1, 0), ...vf(5, 0), ...vf(7, 0), ...bf(2, bf(1, [...sf(1, 'app'), ...sf(2, 'web')]))]
    const obj = decode(envelope('apps/v1', 'Deployment', [...bf(1, meta), ...bf(2, spec)]))
    assert.deepEqual(obj, {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: {name: 'web', labels: {app: 'web', empty: ''}},
      spec: {replicas: 0, selector: {matchLabels: {app: 'web'}}},
    })
  })

  it('Time, IntOrString, Quantity, negative int32, inline structs, unknown fields', () => {
    // Pod: metadata.creationTimestamp (Time), spec.containers[0] with a port, a probe (ProbeHandler inline)
    // and resources; spec.securityContext.runAsUser = 0 (pointer); field 999 is unknown.
    const time = bf(8, [...vf(1, 1700000000)])
    const zeroTime = bf(9, [])
    const probe = bf(10, [...bf(1, bf(2, bf(2, [...vf(1, 0), ...vf(2, 8080)]))), ...vf(3, 0)])
    const resources = bf(8, bf(1, [...sf(1, 'cpu'), ...bf(2, sf(1, '250m'))]))
    const container = [...sf(1, 'c'), ...sf(2, 'nginx'), ...bf(6, [...vf(3, 80), ...sf(4, 'TCP')]), ...resources, ...probe]
    const spec = [...bf(2, container), ...bf(14, [...vf(2, 0)]), ...vf(999, 5), ...vf(5, -30)]
    const obj = decode(envelope('v1', 'Pod', [...bf(1, [...sf(1, 'p'), ...time, ...zeroTime]), ...bf(2, spec)]))
    assert.deepEqual(obj, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {name: 'p', creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: null},
      spec: {
        containers: [{name: 'c', image: 'nginx', ports: [{containerPort: 80, protocol: 'TCP'}], resources: {limits: {cpu: '250m'}}, livenessProbe: {httpGet: {port: 8080}}}],
        securityContext: {runAsUser: 0},
        activeDeadlineSeconds: -30,
      },
    })
  })

  it('Secret data (bytes) as base64, DeleteOptions in any group, ExtraValue wrappers', () => {
    const secret = decode(envelope('v1', 'Secret', [...bf(1, sf(1, 's')), ...bf(2, [...sf(1, 'k'), ...bf(2, [0, 1, 255])])]))
    assert.deepEqual(secret.data, {k: Buffer.from([0, 1, 255]).toString('base64')})
    const del = decode(envelope('policy/v1', 'DeleteOptions', [...vf(1, 0), ...sf(4, 'Foreground')]))
    assert.deepEqual(del, {apiVersion: 'policy/v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Foreground'})
    const sar = decode(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', [...bf(2, [...sf(3, 'alice'), ...bf(5, [...sf(1, 'scopes'), ...bf(2, [...sf(1, 'a'), ...sf(1, 'b')])])])]))
    assert.deepEqual(sar.spec, {user: 'alice', extra: {scopes: ['a', 'b']}})
  })

  it('refuses what it cannot read with a message, never a crash', () => {
    assert.throws(() => decode(Buffer.from('{"kind":"Pod"}')), /does not appear to be a protobuf message/)
    assert.throws(() => decode(envelope('v1', 'NoSuchKind', [])), /no kind "NoSuchKind" is registered for version "v1"/)
    const whole = envelope('v1', 'ConfigMap', bf(1, sf(1, 'x')))
    const truncated = whole.subarray(0, whole.length - 2)
    assert.throws(() => decode(truncated), /unable to decode protobuf body: truncated/)
    const req = {method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: {'content-type': 'application/vnd.kubernetes.protobuf'}, body: truncated}
    assert.throws(() => decodeBody(req as never, 'create', resolve), (e: Error & {status?: number}) => e.message.includes('truncated'))
    // Without a resolver (no built-in kinds to decode against) protobuf is an unsupported media type.
    const unknownFormat = /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml$/
    assert.throws(() => decodeBody(req as never, 'create'), (e: Error) => unknownFormat.test(e.message))
    // A kind without a protobuf message (a custom resource) is refused the same way, with 415.
    const cr = {...req, body: envelope('example.com/v1', 'Widget', [])}
    assert.throws(() => decodeBody(cr as never, 'create', resolve), (e: Error & {code?: number}) => unknownFormat.test(e.message) && e.code === 415)
  })

  it('Go duration strings', () => {
    assert.equal(goDuration(0n), '0s')
    assert.equal(goDuration(1_500_000n), '1.5ms')
    assert.equal(goDuration(3_600_000_000_000n), '1h0m0s')
    assert.equal(goDuration(90_500_000_000n), '1m30.5s')
    assert.equal(goDuration(-2_000_000_000n), '-2s')
    assert.equal(goDuration(999n), '999ns')
  })

  it('the table matches the 1.33 OpenAPI definitions: every served kind has a message, every field a property', () => {
    const table = JSON.parse(readFileSync(new URL('../../../schemas/protobuf.json', import.meta.url), 'utf8')) as {messages: Record<string, {fields: Array<[number, string, number, number, string?]>}>}
    const defs = loadDefinitions('1.33') as Record<string, {properties?: Record<string, unknown>}>
    const problems: string[] = []
    // kubectl does not link these groups' types, so its binary has no descriptors for them: their
    // protobuf bodies are refused (415) and clients send JSON (docs/ARCHITECTURE.md).
    const withoutDescriptors = new Set(['apiextensions.k8s.io', 'apiregistration.k8s.io'])
    for (const r of ResourceRegistry.forVersion('1.33').resources) {
      if (!r.definition || /alpha/.test(r.version) || withoutDescriptors.has(r.group)) continue
      if (!resolve(r.group ? `${r.group}/${r.version}` : r.version, r.kind)) problems.push(`no message for ${r.group}/${r.version} ${r.kind}`)
    }
    for (const [name, m] of Object.entries(table.messages)) {
      const def = defs[name.replace(/^k8s\.io\./, 'io.k8s.')]
      if (!def?.properties) continue
      assert.equal(definitionToMessage(name.replace(/^k8s\.io\./, 'io.k8s.')), name)
      for (const f of m.fields) if (!(f[3] & 4) && !(f[1] in def.properties)) problems.push(`${name}.${f[1]} is not in the OpenAPI definition`)
      const fieldNames = new Set(m.fields.map((f) => f[1]))
      const spread = (fields: Array<[number, string, number, number, string?]>): string[] =>
        fields.flatMap((f) => (f[3] & 4 ? spread(table.messages[f[4]!]!.fields) : [f[1]]))
      const inlined = spread(m.fields)
      for (const p of Object.keys(def.properties)) {
        if (p === 'apiVersion' || p === 'kind' || fieldNames.has(p) || inlined.includes(p)) continue
        problems.push(`${name} has no field for property ${p}`)
      }
    }
    assert.deepEqual(problems, [])
  })
})
