// npm run bench:validate (after npm run build) — 20,000 resources in 200 files: resources per second for `kube2 validate`
// (read + parse + schema + semantic checks) against reading and parsing the same YAML alone, and the
// wall time of the whole CLI. Prints figures; it is not a test.
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
// The compiled code users run (npm install builds dist/), not the TypeScript sources through tsx.
const dist = (rel: string) => new URL(`../dist/${rel}`, import.meta.url).href
const {readManifests} = (await import(dist('manifest/index.js'))) as typeof import('../src/manifest/index.js')
const {validateManifests} = (await import(dist('ops/validate/index.js'))) as typeof import('../src/ops/validate/index.js')

const FILES = Number(process.env.BENCH_FILES ?? 200)
const PER_FILE = Number(process.env.BENCH_PER_FILE ?? 100)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels:
    app.kubernetes.io/name: app-${i}
    app.kubernetes.io/part-of: shop
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
        app.kubernetes.io/part-of: shop
    spec:
      serviceAccountName: app-${i}
      containers:
        - name: app
          image: registry.example.com/shop/app-${i}:1.${i % 30}.0
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          env:
            - name: LOG_LEVEL
              value: info
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          envFrom:
            - configMapRef:
                name: app-${i}-config
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: "1"
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          volumeMounts:
            - name: config
              mountPath: /etc/app
      volumes:
        - name: config
          configMap:
            name: app-${i}-config
`
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 7}
  labels:
    app.kubernetes.io/name: app-${i}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
      targetPort: metrics
`
}

function configMap(i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}-config
  namespace: team-${i % 7}
data:
  app.properties: |
    server.port=8080
    feature.flags=a,b,c
    cache.size=${i * 10}
  LOG_FORMAT: json
`
}

function serviceAccount(i: number): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-${i}
  namespace: team-${i % 7}
`
}

const makers = [deployment, service, configMap, serviceAccount]

function generate(dir: string): number {
  let n = 0
  for (let f = 0; f < FILES; f++) {
    const docs: string[] = []
    for (let k = 0; k < PER_FILE; k++) {
      const i = f * PER_FILE + k
      docs.push(makers[k % makers.length](Math.floor(i / makers.length)))
      n++
    }
    const sub = join(dir, `team-${f % 10}`)
    mkdirSync(sub, {recursive: true})
    writeFileSync(join(sub, `app-${f}.yaml`), docs.join('---\n'))
  }
  return n
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e6
}

const dir = mkdtempSync(join(tmpdir(), 'kube2-bench-validate-'))
try {
  const total = generate(dir)
  console.log(`bench:validate — ${total} resources in ${FILES} files (${dir})`)

  // First run: loads the schemas and compiles the validators, as every CLI run does once.
  const t0 = process.hrtime.bigint()
  const warm = await validateManifests({inputs: [dir], recursive: true, kubernetesVersion: '1.36'})
  const first = Number(process.hrtime.bigint() - t0) / 1e6
  if (warm.summary.resources !== total || warm.exitCode !== 0) {
    throw new Error(`unexpected warm-up result: ${JSON.stringify(warm.summary)} exit ${warm.exitCode}`)
  }

  const parse: number[] = []
  const validate: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    parse.push(await time(() => readManifests([dir], {recursive: true})))
    validate.push(await time(() => validateManifests({inputs: [dir], recursive: true, kubernetesVersion: '1.36'})))
  }
  const p = median(parse), v = median(validate)
  console.log(`parse only (read + YAML):   ${p.toFixed(0)} ms  = ${Math.round(total / (p / 1000))} resources/s`)
  console.log(`validate (parse + schema + semantic + cross-object): ${v.toFixed(0)} ms  = ${Math.round(total / (v / 1000))} resources/s`)
  console.log(`validate / parse ratio:     ${(v / p).toFixed(2)}x`)
  console.log(`first run in a fresh process (loads schemas, compiles validators, cold JIT): ${first.toFixed(0)} ms = ${Math.round(total / (first / 1000))} resources/s`)

  const bin = fileURLToPath(new URL('../bin/run.cjs', import.meta.url))
  const cli: number[] = []
  for (let r = 0; r < 3; r++) {
    const t = Date.now()
    const res = spawnSync(process.execPath, [bin, 'validate', '-R', '-f', dir], {encoding: 'utf8'})
    cli.push(Date.now() - t)
    if (res.status !== 0) throw new Error(`kube2 validate exited ${res.status}: ${res.stderr.slice(0, 500)}`)
  }
  const c = median(cli)
  console.log(`CLI wall time (kube2 validate -R -f DIR, built dist/, incl. start-up): ${c} ms = ${Math.round(total / (c / 1000))} resources/s`)
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, {recursive: true, force: true})
}
