// node --import tsx bench/ssa.ts — managed-fields tracking and server-side apply in isolation:
// trackUpdate for creating 10,000 ~2 KB Pods, trackUpdate for updating them (an image and a label
// change by another manager, then by the same manager), and serverSideApply of a Deployment config
// re-applied. Prints µs/op and a digest of every output (which must not change when optimizing).
// It is not a test.
import {createHash} from 'node:crypto'
import {PatchSchema} from '../src/patch/schema.js'
import {serverSideApply, trackUpdate} from '../src/patch/ssa/index.js'
import {loadPatchMeta} from '../src/schema/files.js'

const N = Number(process.env.BENCH_N ?? 10_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

type Obj = Record<string, unknown>

const META = loadPatchMeta('1.36')
const POD = PatchSchema.forKind(META, 'v1', 'Pod')
const DEPLOY = PatchSchema.forKind(META, 'apps/v1', 'Deployment')

function pod(i: number): Obj {
  const app = `app-${i % 300}`
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${i.toString(36).padStart(6, '0')}-x7k2p`,
      namespace: `ns-${i % 50}`,
      uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      creationTimestamp: '2026-11-22T00:00:00Z',
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
        ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}, {name: 'metrics', containerPort: 9090, protocol: 'TCP'}],
        env: [{name: 'LOG_LEVEL', value: 'info'}, {name: 'POD_NAME', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.name'}}}, {name: 'POD_IP', valueFrom: {fieldRef: {apiVersion: 'v1', fieldPath: 'status.podIP'}}}],
        resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '500m', memory: '256Mi'}},
        readinessProbe: {httpGet: {path: '/ready', port: 'http', scheme: 'HTTP'}, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3},
        livenessProbe: {httpGet: {path: '/live', port: 'http', scheme: 'HTTP'}, periodSeconds: 20, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3},
        volumeMounts: [{name: 'config', mountPath: '/etc/app'}, {name: 'tmp', mountPath: '/tmp'}],
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      }],
      volumes: [{name: 'config', configMap: {name: `${app}-config`, defaultMode: 420}}, {name: 'tmp', emptyDir: {}}],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    },
    status: {phase: 'Pending', qosClass: 'Burstable'},
  }
}

function changed(obj: Obj, i: number): Obj {
  const next = structuredClone(obj)
  const meta = next.metadata as Obj
  ;(meta.labels as Obj).tier = `t-${i % 7}`
  const container = ((next.spec as Obj).containers as Obj[])[0]
  container.image = `registry.example.com/team/app-${i % 300}:1.5.${i % 10}`
  return next
}

function deploymentConfig(i: number, replicas: number): Obj {
  const app = `web-${i}`
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: app, namespace: 'default', labels: {app, team: 'core'}, annotations: {'example.com/owner': 'platform'}},
    spec: {
      replicas,
      selector: {matchLabels: {app}},
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: 0}},
      template: {
        metadata: {labels: {app, tier: 'web'}},
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.27',
            ports: [{name: 'http', containerPort: 80}],
            env: [{name: 'MODE', value: 'prod'}, {name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
            resources: {requests: {cpu: '50m', memory: '64Mi'}, limits: {memory: '128Mi'}},
            readinessProbe: {httpGet: {path: '/', port: 'http'}},
            volumeMounts: [{name: 'html', mountPath: '/usr/share/nginx/html'}],
          }, {
            name: 'sidecar',
            image: 'busybox:1.36',
            args: ['sh', '-c', 'sleep infinity'],
          }],
          volumes: [{name: 'html', emptyDir: {}}],
        },
      },
    },
  }
}

const time = (n: number): string => new Date(Date.UTC(2026, 10, 22, 0, 0, n)).toISOString()

// Times fn over ops inputs (results dropped, as the apiserver encodes and drops them), then runs it once
// more untimed to keep the results and digest them.
function run(label: string, ops: number, fn: (i: number) => object, digest: ReturnType<typeof createHash>): object[] {
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < ops; i++) fn(i)
    times.push(Number(process.hrtime.bigint() - t0) / 1e3 / ops)
  }
  const outs: object[] = new Array(ops)
  for (let i = 0; i < ops; i++) outs[i] = fn(i)
  for (const o of outs) digest.update(JSON.stringify(o))
  const best = Math.min(...times)
  console.log(`${label.padEnd(46)} ${best.toFixed(1).padStart(7)} µs/op  (rounds: ${times.map((t) => t.toFixed(1)).join(', ')})`)
  return outs
}

const digest = createHash('sha256')
const pods = Array.from({length: N}, (_, i) => pod(i))
const created = run('trackUpdate create Pod', N, (i) => trackUpdate({old: undefined, updated: pods[i], manager: 'bench', schema: POD, apiVersion: 'v1', now: time(0)}), digest) as Obj[]

const edits = created.map((p, i) => changed(p, i))
const edited = run('trackUpdate update Pod (other manager)', N, (i) => trackUpdate({old: created[i], updated: edits[i], manager: 'kubectl-edit', schema: POD, apiVersion: 'v1', now: time(1)}), digest) as Obj[]

const again = edited.map((p, i) => changed(p, i + 1))
run('trackUpdate update Pod (same manager again)', N, (i) => trackUpdate({old: edited[i], updated: again[i], manager: 'kubectl-edit', schema: POD, apiVersion: 'v1', now: time(2)}), digest)

const unchanged = edited.map((p) => structuredClone(p))
run('trackUpdate no-op update Pod', N, (i) => trackUpdate({old: edited[i], updated: unchanged[i], manager: 'kubectl-edit', schema: POD, apiVersion: 'v1', now: time(3)}), digest)

const D = Math.max(1, Math.floor(N / 10))
const applied = run('serverSideApply create Deployment', D, (i) => serverSideApply({live: undefined, config: deploymentConfig(i, 2), manager: 'kubectl', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: time(0)}), digest) as Obj[]
run('serverSideApply re-apply Deployment (same)', D, (i) => serverSideApply({live: applied[i], config: deploymentConfig(i, 2), manager: 'kubectl', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: time(1)}), digest)
run('serverSideApply re-apply Deployment (changed)', D, (i) => serverSideApply({live: applied[i], config: deploymentConfig(i, 3), manager: 'kubectl', force: false, schema: DEPLOY, apiVersion: 'apps/v1', now: time(2)}), digest)

console.log(`output digest: ${digest.digest('hex').slice(0, 16)}`)
