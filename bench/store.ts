// npm run bench:store — 150,000 Pod objects (~2 KB each) created through apiserver.handle on the
// SQLite store: creates/s, p50/p99 single-write latency, time to list all pods and one namespace
// with a label selector, database size and process RSS. Prints figures; it is not a test.
import {mkdtempSync, rmSync, statSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const dist = (rel: string) => new URL(`../dist/${rel}`, import.meta.url).href
const {VirtualClock} = (await import(dist('api/clock.js'))) as typeof import('../src/api/clock.js')
const {SqliteStore} = (await import(dist('store/sqlite.js'))) as typeof import('../src/store/sqlite.js')
const {ControlPlane} = (await import(dist('emulator/control-plane.js'))) as typeof import('../src/emulator/control-plane.js')

const PODS = Number(process.env.BENCH_PODS ?? 150_000)
const NAMESPACES = 50

function pod(i: number): Record<string, unknown> {
  const app = `app-${i % 300}`
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${i.toString(36).padStart(6, '0')}-x7k2p`,
      labels: {'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${app}-prod`, 'app.kubernetes.io/version': '1.4.2', 'pod-template-hash': '7d9c8b6f5c', tier: i % 3 ? 'backend' : 'frontend'},
      annotations: {'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'kubectl.kubernetes.io/restartedAt': '2026-11-01T10:00:00Z'},
      ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9c8b6f5c`, uid: '6f1f4bb0-8a83-4c51-9d5e-0f2bb7a3c9d1', controller: true, blockOwnerDeletion: true}],
    },
    spec: {
      serviceAccountName: app,
      nodeName: `node-${i % 500}`,
      containers: [{
        name: 'app',
        image: `registry.example.com/team/${app}:1.4.2`,
        ports: [{name: 'http', containerPort: 8080}, {name: 'metrics', containerPort: 9090}],
        env: [{name: 'LOG_LEVEL', value: 'info'}, {name: 'POD_NAME', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}}, {name: 'POD_IP', valueFrom: {fieldRef: {fieldPath: 'status.podIP'}}}],
        resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '500m', memory: '256Mi'}},
        readinessProbe: {httpGet: {path: '/ready', port: 'http'}, periodSeconds: 10},
        livenessProbe: {httpGet: {path: '/live', port: 'http'}, periodSeconds: 20},
        volumeMounts: [{name: 'config', mountPath: '/etc/app'}, {name: 'tmp', mountPath: '/tmp'}],
      }],
      volumes: [{name: 'config', configMap: {name: `${app}-config`}}, {name: 'tmp', emptyDir: {}}],
    },
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

const dir = mkdtempSync(join(tmpdir(), 'kube2-bench-store-'))
try {
  const store = SqliteStore.open(join(dir, 'state.db'))
  // The API server and store alone (controllers would cache every pod too: that is bench:cluster's part).
  const cp = new ControlPlane({store, clock: new VirtualClock(Date.UTC(2026, 10, 22)), seed: 1, kubernetesVersion: '1.36', controllers: false})
  for (let n = 0; n < NAMESPACES; n++) {
    cp.handle({verb: 'create', group: '', version: 'v1', resource: 'namespaces', body: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: `ns-${n}`}}})
  }
  const size = JSON.stringify(pod(0)).length
  console.log(`bench:store — ${PODS} pods (${size} bytes of JSON each as sent) through apiserver.handle on SQLite (${dir})`)
  const latencies = new Float64Array(PODS)
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < PODS; i++) {
    const s = process.hrtime.bigint()
    const res = cp.handle({verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: `ns-${i % NAMESPACES}`, body: pod(i), query: {fieldManager: 'bench'}})
    latencies[i] = Number(process.hrtime.bigint() - s) / 1e6
    if (res.status !== 201) throw new Error(`create ${i} failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`)
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const rssAfterCreates = process.memoryUsage().rss
  const sorted = Array.from(latencies).sort((a, b) => a - b)
  console.log(`creates:            ${Math.round(PODS / seconds)} /s (${seconds.toFixed(1)} s)`)
  console.log(`write latency:      p50 ${percentile(sorted, 0.5).toFixed(3)} ms, p99 ${percentile(sorted, 0.99).toFixed(3)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`)

  // One namespace with a label selector first: the full parse below leaves a heap that slows everything after it.
  let t = process.hrtime.bigint()
  const some = cp.handle({verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'ns-7', query: {labelSelector: 'app.kubernetes.io/name=app-7,tier=backend'}})
  const listSome = Number(process.hrtime.bigint() - t) / 1e6
  console.log(`list one namespace with a label selector: ${listSome.toFixed(1)} ms (${(some.body as {items: unknown[]}).items.length} items of ${PODS / NAMESPACES})`)

  t = process.hrtime.bigint()
  const all = cp.handle({verb: 'list', group: '', version: 'v1', resource: 'pods'})
  // What the HTTP server writes: the chunks (string lengths: ASCII JSON, one byte a character).
  let listChars = 0
  for (const chunk of (all.body as {jsonChunks(): Iterable<string>}).jsonChunks()) listChars += chunk.length
  const listAll = Number(process.hrtime.bigint() - t) / 1e6
  t = process.hrtime.bigint()
  const count = ((all.body as {items: unknown[]}).items).length
  const parse = Number(process.hrtime.bigint() - t) / 1e6
  if (count !== PODS) throw new Error(`listed ${count} pods, expected ${PODS}`)
  console.log(`list all pods:      ${listAll.toFixed(0)} ms to produce the list's JSON (${(listChars / 1024 / 1024).toFixed(0)} MiB in chunks, what the HTTP server sends); ${parse.toFixed(0)} ms more to parse it into objects (in-process callers)`)

  const db = join(dir, 'state.db')
  const wal = `${db}-wal`
  const bytes = statSync(db).size + (existsSync(wal) ? statSync(wal).size : 0)
  console.log(`database size:      ${(bytes / 1024 / 1024).toFixed(0)} MiB (with WAL)`)
  console.log(`process RSS:        ${(rssAfterCreates / 1024 / 1024).toFixed(0)} MiB after the creates; ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB after parsing the full list into objects`)
  cp.close()
} finally {
  rmSync(dir, {recursive: true, force: true})
}
