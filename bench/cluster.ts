// npm run bench:cluster — the whole embedded cluster end to end: a 5,000-node cluster (the default
// profile with more workers) takes a workload of Deployments totalling 150,000 pods; every component
// runs (Deployment and ReplicaSet controllers, scheduler, kubelets, Events, endpoints …) on the
// in-memory store and a virtual clock. Prints the wall time until every pod is Running and Ready, the
// work per phase and the process's memory. Figures, not a test.
//   BENCH_NODES (5000), BENCH_PODS (150000), BENCH_DEPLOYMENTS (150)
import {VirtualClock} from '../src/api/clock.js'
import {clusterProfileWithWorkers} from '../src/emulator/cluster-profile.js'
import {ControlPlane} from '../src/emulator/control-plane.js'
import {MemoryStore} from '../src/store/memory.js'
import type {Obj} from '../src/apiserver/types.js'

const NODES = Number(process.env.BENCH_NODES ?? 5000)
const PODS = Number(process.env.BENCH_PODS ?? 150_000)
const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 150)

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(0)} MiB`
}

function deployment(i: number, replicas: number): Obj {
  const name = `app-${i}`
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name, namespace: 'default'},
    spec: {
      replicas, selector: {matchLabels: {app: name}},
      template: {
        metadata: {labels: {app: name}},
        spec: {containers: [{name: 'app', image: 'registry.k8s.io/pause:3.10', resources: {requests: {cpu: '10m', memory: '16Mi'}}}]},
      },
    },
  }
}

function countPods(cp: ControlPlane): {total: number; running: number; pending: number} {
  const res = cp.handle({verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default'})
  const items = ((res.body as Obj).items ?? []) as Obj[]
  let running = 0, pending = 0
  for (const p of items) {
    const st = (p.status ?? {}) as Obj
    const ready = ((st.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True')
    if (st.phase === 'Running' && ready) running++
    else pending++
  }
  return {total: items.length, running, pending}
}

function main(): void {
  const t0 = performance.now()
  const clock = new VirtualClock(Date.UTC(2026, 10, 22, 12, 0, 0))
  const cp = new ControlPlane({store: new MemoryStore(), clock, seed: 1, kubernetesVersion: '1.36', cluster: clusterProfileWithWorkers(NODES - 1)})
  cp.settle({horizonMs: 0})
  const tNodes = performance.now()
  console.log(`cluster: ${NODES} nodes registered and synced in ${((tNodes - t0) / 1000).toFixed(1)} s (rss ${mib(process.memoryUsage().rss)})`)

  const per = Math.floor(PODS / DEPLOYMENTS)
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const replicas = i === DEPLOYMENTS - 1 ? PODS - per * (DEPLOYMENTS - 1) : per
    const res = cp.handle({verb: 'create', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', body: deployment(i, replicas)})
    if (res.status >= 300) throw new Error(JSON.stringify(res.body))
  }
  const tApplied = performance.now()
  const virtualStart = clock.now().getTime()
  cp.settle({horizonMs: 10 * 60 * 1000})
  const tSettled = performance.now()
  const counts = countPods(cp)
  const mem = process.memoryUsage()
  const wall = (tSettled - tApplied) / 1000
  console.log(`workload: ${DEPLOYMENTS} Deployments, ${PODS} pods`)
  console.log(`  pods: ${counts.total} created, ${counts.running} Running and Ready, ${counts.pending} not`)
  console.log(`  time to all Running: ${wall.toFixed(1)} s wall (${(counts.running / wall).toFixed(0)} pods/s end to end), ${((clock.now().getTime() - virtualStart) / 1000).toFixed(0)} s of cluster time`)
  console.log(`  store: revision ${cp.store.currentRevision()}`)
  console.log(`  memory: rss ${mib(mem.rss)}, heap used ${mib(mem.heapUsed)}`)
  cp.close()
  if (counts.running !== PODS) process.exitCode = 1
}

main()
