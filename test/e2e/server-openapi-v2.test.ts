// kubectl 1.27–1.29 read /openapi/v2 only as a gnostic protobuf Document (apply's strategic-merge
// metadata, the fieldValidation check, `explain --output=plaintext-openapiv2`): each runs against an
// in-process plain-HTTP emulator and must explain, create, configure by strategic merge, report an
// unknown field and diff — with the document fetched in protobuf.
import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import type {Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ServerRuntime} from '../../src/server/runtime.js'
import {close, createApiServer, listen} from '../../src/server/http-server.js'
import {MemoryStore} from '../../src/store/memory.js'
import {MemoryLogStore} from '../../src/emulator/log-store.js'
import {loadClusterProfile} from '../../src/emulator/cluster-profile.js'
import {kubectlAvailable} from '../helpers/emulator.js'

const KUBECTLS = ['1.27', '1.28', '1.29'].map((v) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`)

const CHANGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
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
          image: nginx:1.27
          ports:
            - {name: http, containerPort: 80}
            - {name: metrics, containerPort: 9090}
`

const UNKNOWN_FIELD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
data: {a: b}
dta: {c: d}
`

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
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
              description: What the widget should be.
              properties:
                size: {type: integer, description: How big the widget is.}
                tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
`

for (const bin of KUBECTLS) {
  const version = bin.replace(/^.*kubectl\./, '')
  describe(`kubectl ${version} and /openapi/v2 in protobuf`, function () {
    this.timeout(60000)
    let rt: ServerRuntime
    let srv: Server
    let dir: string
    let kubeconfig: string
    const requests: {url: string; accept: string; status?: number}[] = []

    /** kubectl, asynchronously (the server runs in this process): status, stdout, stderr. */
    const kubectl = (args: string[], input?: string): Promise<{status: number; stdout: string; stderr: string}> =>
      new Promise((resolve) => {
        const child = execFile(bin, args, {env: {...process.env, KUBECONFIG: kubeconfig, HOME: dir, KUBE2_HOME: join(dir, 'kube2')}}, (err, stdout, stderr) => {
          resolve({status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr})
        })
        child.stdin!.end(input ?? '')
      })
    const ok = async (args: string[], input?: string): Promise<string> => {
      const r = await kubectl(args, input)
      assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    const file = (name: string, text: string): string => {
      const p = join(dir, name)
      writeFileSync(p, text)
      return p
    }

    before(async function () {
      if (!kubectlAvailable(bin)) this.skip()
      dir = mkdtempSync(join(tmpdir(), 'kube2-oapi2-'))
      rt = new ServerRuntime({store: new MemoryStore(), cluster: loadClusterProfile(), logStore: new MemoryLogStore(), kubernetesVersion: version === '1.27' ? '1.28' : version})
      srv = createApiServer(rt)
      srv.on('request', (req, res) => {
        const entry = {url: String(req.url), accept: String(req.headers.accept)}
        requests.push(entry)
        res.on('finish', () => Object.assign(entry, {status: res.statusCode}))
      })
      const addr = await listen(srv, 0)
      kubeconfig = file('kubeconfig', [
        'apiVersion: v1', 'kind: Config',
        'clusters: [{name: emu, cluster: {server: "http://127.0.0.1:' + addr.port + '"}}]',
        'users: [{name: nobody, user: {}}]',
        'contexts: [{name: emu, context: {cluster: emu, user: nobody, namespace: default}}]',
        'current-context: emu', '',
      ].join('\n'))
    })
    after(async () => {
      if (srv) await close(srv)
      rt?.close()
      if (dir) rmSync(dir, {recursive: true, force: true})
    })

    it('explains a field from the protobuf document', async () => {
      const v2 = await ok(['explain', 'deployment.spec.strategy', '--output=plaintext-openapiv2'])
      assert.match(v2, /^KIND: +Deployment\nVERSION: +apps\/v1\n\nRESOURCE: strategy <Object>\n/)
      assert.match(v2, /The deployment strategy to use to replace existing pods with new ones\./)
      assert.match(v2, /\n   rollingUpdate\t<Object>\n/)
      assert.match(v2, /\n   type\t<string>\n +Type of deployment\. Can be "Recreate" or "RollingUpdate"/)
      const port = await ok(['explain', 'pod.spec.containers.livenessProbe.httpGet.port', '--output=plaintext-openapiv2'])
      assert.match(port, /FIELD: +port <string>/)
      assert.match(port, /IntOrString is a type that can hold an int32 or a string/)
      // The default explain (OpenAPI v3) still works beside it.
      assert.match(await ok(['explain', 'deployment.spec.strategy']), /FIELD: strategy <DeploymentStrategy>/)
      const fetched = requests.filter((r) => r.url.startsWith('/openapi/v2'))
      assert.ok(fetched.length > 0, 'kubectl read /openapi/v2')
      for (const r of fetched) {
        assert.equal(r.accept, 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf')
        assert.ok(r.status === 200 || r.status === 304, `status ${r.status}`)
      }
    })

    it('applies: creates, then configures by strategic merge (replicas, a port merged by containerPort)', async () => {
      assert.equal(await ok(['apply', '-f', 'fixtures/quickstart.yaml']), 'configmap/web-config created\ndeployment.apps/web created\nservice/web created\n')
      assert.equal(await ok(['apply', '-f', file('changed.yaml', CHANGED_DEPLOYMENT)]), 'deployment.apps/web configured\n')
      const d = JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json'])) as {spec: {replicas: number; template: {spec: {containers: {ports: unknown[]; envFrom?: unknown; resources?: unknown}[]}}}}
      assert.equal(d.spec.replicas, 2)
      const [c] = d.spec.template.spec.containers
      assert.deepEqual(c!.ports, [{containerPort: 80, name: 'http', protocol: 'TCP'}, {containerPort: 9090, name: 'metrics', protocol: 'TCP'}])
      // Fields the last applied configuration had and the new one does not are removed (three-way merge).
      assert.equal(c!.envFrom, undefined)
      assert.equal(c!.resources && Object.keys(c!.resources).length, 0)
    })

    it('reports an unknown field with --validate=true', async () => {
      const r = await kubectl(['apply', '--validate=true', '-f', file('typo.yaml', UNKNOWN_FIELD)])
      assert.notEqual(r.status, 0)
      assert.match(r.stderr, /unknown field "dta"/)
      assert.equal((await kubectl(['get', 'configmap', 'typo'])).status, 1, 'nothing was created')
    })

    it('diffs the live object against the manifest', async () => {
      const same = await kubectl(['diff', '-f', file('changed.yaml', CHANGED_DEPLOYMENT)])
      assert.equal(same.status, 0, same.stderr)
      assert.equal(same.stdout, '')
      const changed = await kubectl(['diff', '-f', file('more.yaml', CHANGED_DEPLOYMENT.replace('replicas: 2', 'replicas: 5'))])
      assert.equal(changed.status, 1, changed.stderr)
      assert.match(changed.stdout, /\n-  replicas: 2\n\+  replicas: 5\n/)
    })

    it("explains and applies a custom resource from its CRD's schema", async () => {
      await ok(['apply', '-f', file('crd.yaml', WIDGET_CRD)])
      await ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s'])
      const explained = await ok(['explain', 'widgets.spec', '--output=plaintext-openapiv2'])
      assert.match(explained, /What the widget should be\./)
      assert.match(explained, /\n   size\t<integer>\n +How big the widget is\./)
      assert.match(explained, /\n   tags\t<\[\]string>\n/)
      const widget = (size: number, tags: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: ${size}, tags: [${tags}]}\n`
      assert.equal(await ok(['apply', '-f', '-'], widget(3, 'a')), 'widget.example.com/w1 created\n')
      assert.equal(await ok(['apply', '-f', '-'], widget(4, 'a, b')), 'widget.example.com/w1 configured\n')
      assert.equal(await ok(['get', 'widget', 'w1', '-o', 'jsonpath={.spec}']), '{"size":4,"tags":["a","b"]}')
    })
  })
}
