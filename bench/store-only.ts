// node --import tsx bench/store-only.ts — the store alone at the scale: 150,000 ~2 KB objects
// created one write at a time (creates/s, p50/p99/max latency), then a full list, a namespace list,
// paged lists at the current and an old revision, reopen time, RSS and database size. Not a test.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, statSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {MemoryStore, SqliteStore, type Store} from '../src/store/index.js'

const N = Number(process.env.BENCH_N ?? 150_000)
const NAMESPACES = 50
const KIND = process.env.BENCH_STORE ?? 'sqlite'

const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(48)
/** A pod-shaped JSON text of about 2 KB whose resourceVersion is the revision it is written at. */
function encoder(i: number) {
  const ns = `ns-${i % NAMESPACES}`
  const head = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-${i}","namespace":"${ns}","uid":"${i}-0000-4000-8000-000000000000","resourceVersion":"`
  const tail = `","labels":{"app":"web-${i % 100}"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}],"note":"${filler.slice(0, 1600 + (i % 200))}"}}`
  return (rev: number) => head + rev + tail
}
const keyOf = (i: number) => `/registry/pods/ns-${i % NAMESPACES}/pod-${i}`
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6

function timeIt<T>(label: string, fn: () => T): T {
  const t0 = process.hrtime.bigint()
  const out = fn()
  console.log(`${label}: ${ms(t0).toFixed(1)} ms`)
  return out
}

function pageAll(store: Store, prefix: string, revision?: number): number {
  let n = 0
  let continueAfter: string | undefined
  for (;;) {
    const page = store.list(prefix, {limit: 500, continueAfter, revision})
    n += page.items.length
    if (!page.continueKey) return n
    continueAfter = page.continueKey
  }
}

if (process.argv[2] === '--reopen') {
  // A fresh process, so RSS shows what a restarted server holds.
  const store = timeIt('reopen (recover the current values into the cache)', () => SqliteStore.open(process.argv[3]))
  console.log(`  revision ${store.currentRevision()}, keys ${store.count('')}`)
  timeIt('list all after reopen', () => store.list('/registry/pods/'))
  global.gc?.()
  console.log(`RSS after reopen: ${mb(process.memoryUsage().rss)}; peak ${mb(process.resourceUsage().maxRSS * 1024)}`)
  store.close()
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'kube2-store-bench-'))
const path = join(dir, 'store.db')
try {
  let store: Store = KIND === 'memory' ? new MemoryStore() : SqliteStore.open(path)
  console.log(`${KIND} store, ${N} creates of ~2 KB, ${NAMESPACES} namespaces`)
  const lat = new Float64Array(N)
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const encode = encoder(i)
    const s = process.hrtime.bigint()
    store.create(keyOf(i), encode)
    lat[i] = Number(process.hrtime.bigint() - s) / 1e6
  }
  const total = ms(t0)
  const sorted = Float64Array.from(lat).sort()
  const pct = (p: number) => sorted[Math.min(N - 1, Math.floor((p / 100) * N))].toFixed(3)
  console.log(`creates: ${(N / (total / 1000)).toFixed(0)}/s (${(total / 1000).toFixed(1)} s); latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, p99.9 ${pct(99.9)} ms, max ${sorted[N - 1].toFixed(1)} ms`)
  const valueBytes = store.get(keyOf(0))?.value.length ?? 0
  console.log(`value size: ~${valueBytes} B`)

  const mid = store.currentRevision()
  for (let i = 0; i < 2000; i++) store.update(keyOf(i * 37 % N), encoder(i * 37 % N))
  for (let i = 0; i < 1000; i++) store.delete(keyOf(i * 53 % N + (i * 53 % N === 0 ? 1 : 0)))

  const all = timeIt('list all (current, one call)', () => store.list('/registry/pods/'))
  console.log(`  items: ${all.items.length}, joined JSON: ${mb(all.items.reduce((n, kv) => n + kv.value.length, 0))}`)
  timeIt('list all (current, pages of 500)', () => pageAll(store, '/registry/pods/'))
  timeIt('list one namespace (current)', () => store.list('/registry/pods/ns-7/'))
  timeIt('count all + one namespace', () => store.count('/registry/pods/') + store.count('/registry/pods/ns-7/'))
  timeIt('first page of 500 at an old revision', () => store.list('/registry/pods/', {revision: mid, limit: 500}))
  timeIt('one namespace at an old revision', () => store.list('/registry/pods/ns-7/', {revision: mid}))
  timeIt('list all at an old revision (pages of 500)', () => pageAll(store, '/registry/pods/', mid))
  let replayed = 0
  timeIt('watch replay of the last 3,000 events', () => store.watch('/registry/pods/', {fromRevision: store.currentRevision() - 3000, onEvent: () => replayed++}).stop())
  console.log(`  replayed ${replayed}`)

  global.gc?.()
  const mem = process.memoryUsage()
  console.log(`RSS after load: ${mb(mem.rss)} (heap used ${mb(mem.heapUsed)}, external ${mb(mem.external)}); peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`)

  if (store instanceof SqliteStore) {
    timeIt('compact to the middle revision', () => store.compact(mid))
    store.close()
    const size = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0)
    console.log(`database size (db + wal): ${mb(size)}`)
    spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--reopen', path], {stdio: 'inherit'})
  }
  store.close()
} finally {
  rmSync(dir, {recursive: true, force: true})
}
