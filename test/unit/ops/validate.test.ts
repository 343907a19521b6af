// The validate operation end to end on files: verdicts, messages with file and line, exit codes,
// CRDs and schema locations, skip/reject, strict mode, output formats.
import {strict as assert} from 'node:assert'
import {mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {validateManifests, type ValidateOptions, type ValidationReport} from '../../../src/ops/validate/index.js'
import {formatValidationReport} from '../../../src/print/validation.js'

let dir: string
function file(name: string, text: string): string {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), {recursive: true})
  writeFileSync(p, text)
  return p
}
function run(inputs: string[], opts: Partial<ValidateOptions> = {}): Promise<ValidationReport> {
  return validateManifests({inputs, kubernetesVersion: '1.36', ...opts})
}
function lines(r: ValidationReport): string[] {
  return formatValidationReport(r, 'text').trimEnd().split('\n').filter(Boolean).map((l) => l.replace(dir + '/', ''))
}

const GOOD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
`

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube2-validate-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('validate operation', () => {
  it('accepts a valid deployment with exit 0 and no output', async () => {
    const r = await run([file('ok.yaml', GOOD_DEPLOYMENT)])
    assert.equal(r.exitCode, 0)
    assert.equal(r.summary.valid, 1)
    assert.deepEqual(lines(r), [])
  })

  it('reports FILE:LINE: Kind/name: field: problem for each problem, exit 1', async () => {
    const r = await run([file('bad.yaml', GOOD_DEPLOYMENT.replace('replicas: 2', 'replicas: -3').replace('name: web\n          image', 'name: Web\n          image'))])
    assert.equal(r.exitCode, 1)
    assert.deepEqual(lines(r), [
      'bad.yaml:6: Deployment/web: spec.replicas: Invalid value: -3: must be greater than or equal to 0',
      "bad.yaml:14: Deployment/web: spec.template.spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ])
  })

  it('finds the line of a problem in the third document of a file', async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n${GOOD_DEPLOYMENT.replace('image: nginx', 'image: nginx\n          ports:\n            - containerPort: 0')}`
    const r = await run([file('multi.yaml', text)])
    assert.deepEqual(lines(r), ['multi.yaml:25: Deployment/web: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive'])
  })

  it('names removed API versions with their replacement', async () => {
    const r = await run([file('old.yaml', GOOD_DEPLOYMENT.replace('apps/v1', 'extensions/v1beta1'))])
    assert.equal(r.exitCode, 1)
    assert.match(lines(r)[0], /old.yaml:1: Deployment\/web: apiVersion: Deployment in apiVersion "extensions\/v1beta1" was removed in Kubernetes 1.16; use apiVersion "apps\/v1" instead/)
  })

  it('knows what each release serves: flowcontrol v1beta3 is valid in 1.31, removed in 1.32', async () => {
    const fs = file('fs.yaml', `apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: x}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n`)
    assert.equal((await run([fs], {kubernetesVersion: '1.31'})).exitCode, 0)
    const r = await run([fs], {kubernetesVersion: '1.32'})
    assert.equal(r.exitCode, 1)
    assert.match(lines(r)[0], /was removed in Kubernetes 1.32; use apiVersion "flowcontrol.apiserver.k8s.io\/v1" instead/)
  })

  it('unknown fields pass by default and fail with --strict', async () => {
    const f = file('extra.yaml', GOOD_DEPLOYMENT.replace('image: nginx', 'image: nginx\n          imagePolicy: Always'))
    assert.equal((await run([f])).exitCode, 0)
    const r = await run([f], {strict: true})
    assert.deepEqual(lines(r), ['extra.yaml:16: Deployment/web: spec.template.spec.containers[0].imagePolicy: unknown field'])
  })

  it('duplicate keys pass by default and fail with --strict', async () => {
    const f = file('dup.yaml', GOOD_DEPLOYMENT.replace('image: nginx', 'image: nginx\n          image: busybox'))
    assert.equal((await run([f])).exitCode, 0)
    const r = await run([f], {strict: true})
    assert.equal(r.exitCode, 1)
    assert.match(lines(r).join('\n'), /dup.yaml:16: .*image/)
  })

  it('reports type errors from the schema', async () => {
    const r = await run([file('t.yaml', GOOD_DEPLOYMENT.replace('replicas: 2', 'replicas: two'))])
    assert.deepEqual(lines(r), ['t.yaml:6: Deployment/web: spec.replicas: Invalid value: "two": must be of type integer'])
  })

  it('accepts null for optional fields, as kubectl create -o yaml writes them', async () => {
    const r = await run([file('n.yaml', GOOD_DEPLOYMENT.replace('name: web\nspec', 'name: web\n  creationTimestamp: null\nspec').replace('containers:', 'containers:').replace('spec:\n      containers', 'spec:\n      nodeSelector: null\n      containers'))])
    assert.equal(r.exitCode, 0, lines(r).join('\n'))
  })

  it('validates custom resources from CRDs among the inputs, and fails without a schema', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
                color: {type: string, enum: [red, blue]}
                port: {x-kubernetes-int-or-string: true}
`
    const cr = (spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: ${spec}\n`
    const good = file('good-cr.yaml', cr('{size: 3, color: red, port: http}'))
    const bad = file('bad-cr.yaml', cr('{size: 0, color: green, extra: 1}'))
    const crdFile = file('crd.yaml', crd)

    const noSchema = await run([good])
    assert.equal(noSchema.exitCode, 1)
    assert.equal(noSchema.resources[0].status, 'error')
    assert.match(lines(noSchema)[0], /could not find a schema for Widget in "example.com\/v1"/)
    assert.equal((await run([good], {ignoreMissingSchemas: true})).resources[0].status, 'skipped')

    assert.equal((await run([crdFile, good])).exitCode, 0)
    const r = await run([crdFile, bad], {strict: true})
    assert.deepEqual(new Set(lines(r)), new Set([
      'bad-cr.yaml:4: Widget/w: spec.color: Unsupported value: "green": supported values: "red", "blue"',
      'bad-cr.yaml:4: Widget/w: spec.extra: unknown field',
      'bad-cr.yaml:4: Widget/w: spec.size: Invalid value: 0: should be greater than or equal to 1',
    ]))
    assert.equal(r.resources.find((x) => x.kind === 'Widget')!.errors.length, 3)

    // The same CRD through --schema-location.
    const loc = file('schemas/crd.yaml', crd)
    assert.equal((await run([good], {schemaLocations: [join(dir, 'schemas')]})).exitCode, 0)
    assert.equal((await run([good], {schemaLocations: [loc]})).exitCode, 0)
  })

  it('reads JSON Schema files named {kind}-{group}-{version}.json from --schema-location', async () => {
    file('js/widget-example.com-v1.json', JSON.stringify({type: 'object', properties: {spec: {type: 'object', properties: {size: {type: 'integer'}}}}}))
    const cr = file('cr.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n')
    const r = await run([cr], {schemaLocations: [join(dir, 'js')]})
    assert.deepEqual(lines(r), ['cr.yaml:4: Widget/w: spec.size: Invalid value: "big": must be of type integer'])
  })

  it('skips and rejects kinds', async () => {
    const f = file('mix.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\n${GOOD_DEPLOYMENT}`)
    const skipped = await run([f], {skip: ['Secret']})
    assert.deepEqual(skipped.resources.map((r) => r.status), ['skipped', 'valid'])
    const rejected = await run([f], {reject: ['v1/Secret']})
    assert.equal(rejected.exitCode, 1)
    assert.match(lines(rejected)[0], /mix.yaml:2: Secret\/s: kind: Forbidden: Secret is rejected \(--reject\)/)
  })

  it('warns about a Service that selects nothing; --warnings-as-errors makes it fail', async () => {
    const f = file('svc.yaml', `${GOOD_DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n`)
    const r = await run([f])
    assert.equal(r.exitCode, 0)
    assert.deepEqual(lines(r), ['svc.yaml:21: warning: Service/api: spec.selector: selector app=api matches no Pod or pod template in the inputs'])
    assert.equal((await run([f], {warningsAsErrors: true})).exitCode, 1)
    const matching = file('svc2.yaml', `${GOOD_DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`)
    assert.deepEqual(lines(await run([matching])), [])
  })

  it('--check-references warns about missing ConfigMaps, Secrets, PVCs and ServiceAccounts, not optional ones', async () => {
    const f = file('refs.yaml', GOOD_DEPLOYMENT.replace('image: nginx', `image: nginx
          envFrom:
            - configMapRef: {name: settings}
            - secretRef: {name: maybe, optional: true}
      serviceAccountName: robot
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: data}`))
    assert.deepEqual(lines(await run([f])), [])
    const r = await run([f], {checkReferences: true})
    assert.deepEqual(lines(r).map((l) => l.replace(/^refs.yaml:\d+: warning: Deployment\/web: /, '')), [
      'spec.template.spec.containers[0].envFrom[0].configMapRef.name: ConfigMap "settings" is not defined in the inputs',
      'spec.template.spec.serviceAccountName: ServiceAccount "robot" is not defined in the inputs',
      'spec.template.spec.volumes[0].persistentVolumeClaim.claimName: PersistentVolumeClaim "data" is not defined in the inputs',
    ])
  })

  it('gives exit 2 for a missing path and still reports the rest', async () => {
    const r = await run([join(dir, 'nope.yaml'), file('ok.yaml', GOOD_DEPLOYMENT)])
    assert.equal(r.exitCode, 2)
    assert.equal(r.summary.valid, 1)
    assert.match(lines(r)[0], /the path ".*nope.yaml" does not exist/)
  })

  it('reports malformed YAML and documents without kind as errors (exit 1), with their lines', async () => {
    const f = file('m.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [b\n---\nmetadata: {name: c}\n')
    const r = await run([f])
    assert.equal(r.exitCode, 1)
    assert.equal(r.summary.valid, 1)
    const out = lines(r)
    assert.ok(out.some((l) => /^m.yaml:\d+: malformed YAML: /.test(l)), out.join('\n'))
    assert.ok(out.some((l) => l.startsWith("m.yaml:10: Object 'Kind' is missing")), out.join('\n'))
  })

  it('says so when there is nothing to validate', async () => {
    const r = await run([file('empty.yaml', '# nothing here\n')])
    assert.equal(r.exitCode, 1)
    assert.ok(lines(r).some((l) => /no objects passed to validate/.test(l)))
  })

  it('validates every item of a kind: List', async () => {
    const list = {apiVersion: 'v1', kind: 'List', items: [
      {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'a'}},
      {apiVersion: 'v1', kind: 'Service', metadata: {name: 'b'}, spec: {ports: [{port: 99999}], selector: {x: 'y'}}},
    ]}
    const r = await run([file('list.json', JSON.stringify(list, null, 2))])
    assert.equal(r.resources.length, 2)
    assert.equal(r.resources[1].status, 'invalid')
    assert.match(lines(r).find((l) => l.includes('Invalid'))!, /list.json:\d+: Service\/b: spec.ports\[0\].port: Invalid value: 99999: must be between 1 and 65535, inclusive/)
  })

  it('prints json, junit and tap', async () => {
    const r = await run([file('a.yaml', GOOD_DEPLOYMENT), file('b.yaml', GOOD_DEPLOYMENT.replace('replicas: 2', 'replicas: -1'))])
    const json = JSON.parse(formatValidationReport(r, 'json'))
    assert.equal(json.summary.invalid, 1)
    assert.equal(json.resources[1].errors[0].field, 'spec.replicas')
    assert.equal(json.resources[1].errors[0].line, 6)
    const junit = formatValidationReport(r, 'junit')
    assert.match(junit, /<testsuites name="kube2 validate" tests="2" failures="1"/)
    assert.match(junit, /<failure message="spec.replicas: Invalid value: -1: must be greater than or equal to 0" type="invalid">/)
    const tap = formatValidationReport(r, 'tap').split('\n')
    assert.deepEqual(tap.slice(0, 4).map((l) => l.replace(dir + '/', '')), ['TAP version 13', '1..2', 'ok 1 - a.yaml:1 Deployment/web', 'not ok 2 - b.yaml:1 Deployment/web'])
  })

  it('every manifest of ../shared/corpus is valid, strictly, for 1.36 (skipped without the corpus)', async function () {
    const corpus = join(process.cwd(), '..', 'shared', 'corpus')
    if (!existsSync(corpus)) this.skip()
    const files = readdirSync(corpus).filter((f) => f.endsWith('.yaml')).map((f) => join(corpus, f))
    const r = await run(files, {strict: true})
    assert.deepEqual(lines(r), [])
    assert.equal(r.exitCode, 0)
    assert.equal(r.summary.resources, 116)
  })
})
