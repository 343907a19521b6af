// node --import tsx bench/scheduler.ts — scheduler_perf-like workloads on the scheduler library:
// pods scheduled per second (schedule + assume, as the scheduling loop does), and the time to build a
// Snapshot of 5,000 nodes and 100,000 pods. Prints figures; it is not a test.
import type {Affinity, Node, Pod, TopologySpreadConstraint} from '../src/scheduler/api.js'
import {Scheduler, Snapshot, isScheduled} from '../src/scheduler/index.js'

const NODES = Number(process.env.BENCH_NODES ?? 5000)
const SCALE = Number(process.env.BENCH_SCALE ?? 1)

function makeNode(i: number, zones = 0): Node {
  const name = `node-${i}`
  const labels: Record<string, string> = {'kubernetes.io/hostname': name}
  if (zones > 0) labels['topology.kubernetes.io/zone'] = `zone-${i % zones}`
  return {metadata: {name, labels}, status: {allocatable: {cpu: '32', memory: '128Gi', pods: '110'}}}
}

interface PodShape {
  labels?: Record<string, string>
  affinity?: Affinity
  spread?: TopologySpreadConstraint[]
}

function makePod(prefix: string, i: number, shape: PodShape = {}, nodeName?: string): Pod {
  return {
    metadata: {name: `${prefix}-${i}`, namespace: 'default', uid: `${prefix}-${i}`, labels: shape.labels ?? {}, creationTimestamp: '2024-01-01T00:00:00Z'},
    spec: {
      ...(nodeName ? {nodeName} : {}),
      containers: [{name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: {requests: {cpu: '100m', memory: '500Mi'}}}],
      ...(shape.affinity ? {affinity: shape.affinity} : {}),
      ...(shape.spread ? {topologySpreadConstraints: shape.spread} : {}),
    },
    status: {phase: nodeName ? 'Running' : 'Pending'},
  }
}

interface Workload {
  name: string
  zones: number
  existing: number
  measured: number
  shape: PodShape
  /** kube-scheduler's scheduler_perf CI threshold (pods/s), for comparison. */
  ciThreshold?: number
}

function run(w: Workload): void {
  const nodes = Array.from({length: NODES}, (_, i) => makeNode(i, w.zones))
  const existing = Array.from({length: w.existing}, (_, i) => makePod('init', i, w.shape, `node-${i % NODES}`))
  let t = performance.now()
  const snapshot = new Snapshot({nodes, pods: existing})
  const buildMs = performance.now() - t
  const scheduler = new Scheduler({seed: 1})
  const pods = Array.from({length: w.measured}, (_, i) => makePod('pod', i, w.shape))
  let failed = 0
  t = performance.now()
  for (const p of pods) {
    const r = scheduler.schedule(p, snapshot)
    if (isScheduled(r)) snapshot.assume(p, r.node)
    else failed++
  }
  const secs = (performance.now() - t) / 1000
  const rate = w.measured / secs
  const ci = w.ciThreshold ? `  (scheduler_perf CI threshold ${w.ciThreshold})` : ''
  console.log(`${w.name.padEnd(26)} ${NODES} nodes, ${w.existing} existing + ${w.measured} pods: ${Math.round(rate).toLocaleString('en-US')} pods/s${ci}; snapshot ${buildMs.toFixed(0)} ms${failed ? `; ${failed} unschedulable` : ''}`)
}

const color = {color: 'blue'}
const workloads: Workload[] = [
  {name: 'SchedulingBasic', zones: 0, existing: 1000, measured: 10_000 * SCALE, shape: {}, ciThreshold: 680},
  {
    name: 'TopologySpreading',
    zones: 3,
    existing: 1000,
    measured: 5000 * SCALE,
    shape: {labels: color, spread: [{maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {matchLabels: color}}]},
    ciThreshold: 85,
  },
  {
    name: 'PreferredTopologySpreading',
    zones: 3,
    existing: 1000,
    measured: 5000 * SCALE,
    shape: {labels: color, spread: [{maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: {matchLabels: color}}]},
  },
  {
    name: 'SchedulingPodAffinity',
    zones: 1,
    existing: 1000,
    measured: 2000 * SCALE,
    shape: {labels: color, affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: color}, topologyKey: 'topology.kubernetes.io/zone'}]}}},
  },
  {
    name: 'SchedulingPreferredAffinity',
    zones: 0,
    existing: 1000,
    measured: 2000 * SCALE,
    shape: {labels: color, affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: {labelSelector: {matchLabels: color}, topologyKey: 'kubernetes.io/hostname'}}]}}},
  },
  {
    name: 'SchedulingPodAntiAffinity',
    zones: 0,
    existing: 1000,
    measured: 2000 * SCALE,
    shape: {labels: color, affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: color}, topologyKey: 'kubernetes.io/hostname'}]}}},
  },
]

const only = process.env.BENCH_ONLY
for (const w of workloads) if (!only || w.name === only) run(w)

// Building the scheduler's view of a large cluster from plain objects.
if (!only || only === 'Snapshot') {
  const nodes = Array.from({length: NODES}, (_, i) => makeNode(i, 3))
  const pods = Array.from({length: 100_000}, (_, i) => makePod('p', i, {labels: {app: `app-${i % 50}`}}, `node-${i % NODES}`))
  const t = performance.now()
  const s = new Snapshot({nodes, pods})
  console.log(`Snapshot                   ${NODES} nodes, 100,000 pods: built in ${(performance.now() - t).toFixed(0)} ms (${s.numNodes} nodes)`)
}
