// npm run bench:apiserver — the emulator server over HTTPS (client certificates, as kubectl talks to
// it), 16 concurrent undici clients in this process, the server in its own:
//   1. ConfigMap creates/s and latency, then GETs/s (every component running)
//   2. Pod creates/s with the scheduler and kubelets placing and starting them
//   3. the API alone filled to 150,000 pods: list latency (all, one namespace, a selector, a page) and
//      single-object latency with them stored
//   4. 100 watchers while 16 clients write: every watcher must see every event, in order
// Prints figures; it is not a test. BENCH_PODS changes the fill size.
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Agent, request} from 'undici'

const PODS = Number(process.env.BENCH_PODS ?? 150_000)
const CLIENTS = 16
const WATCHERS = 100
const NAMESPACES = 100

interface Server {
  url: string
  child: ChildProcess
  agent: Agent
  dir: string
}

async function startServer(mode: 'all' | 'api-only'): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'kube2-bench-api-'))
  const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=8192', new URL('./apiserver-server.ts', import.meta.url).pathname, dir, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n')) resolve(line!)
    })
    child.on('exit', (code) => reject(new Error(`server exited (${code})`)))
  })
  const pki = join(dir, 'pki')
  const agent = new Agent({
    connections: CLIENTS * 2,
    pipelining: 1,
    connect: {
      ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
      cert: readFileSync(join(pki, 'users', 'kube2-admin.crt'), 'utf8'),
      key: readFileSync(join(pki, 'users', 'kube2-admin.key'), 'utf8'),
    },
  })
  return {url, child, agent, dir}
}

async function stopServer(s: Server): Promise<void> {
  await s.agent.close()
  await new Promise<void>((resolve) => {
    s.child.on('exit', () => resolve())
    s.child.kill('SIGTERM')
  })
  rmSync(s.dir, {recursive: true, force: true})
}

function rssMiB(s: Server): number {
  const status = readFileSync(`/proc/${s.child.pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024)
}

async function call(s: Server, method: string, path: string, body?: unknown): Promise<{status: number; text: string}> {
  const res = await request(s.url + path, {
    method: method as 'GET',
    dispatcher: s.agent,
    headers: body === undefined ? {} : {'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return {status: res.statusCode, text: await res.body.text()}
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

interface Run {
  count: number
  seconds: number
  p50: number
  p99: number
}

/** `CLIENTS` loops calling `op(i)` until `total` calls are done or `seconds` passed. */
async function load(op: (i: number) => Promise<void>, opts: {seconds?: number; total?: number}): Promise<Run> {
  const lat: number[] = []
  let next = 0
  const start = performance.now()
  const deadline = opts.seconds ? start + opts.seconds * 1000 : Infinity
  const worker = async () => {
    for (;;) {
      const i = next++
      if ((opts.total !== undefined && i >= opts.total) || performance.now() > deadline) return
      const t = performance.now()
      await op(i)
      lat.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({length: CLIENTS}, worker))
  const seconds = (performance.now() - start) / 1000
  lat.sort((a, b) => a - b)
  return {count: lat.length, seconds, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99)}
}

function expect(status: number, want: number, what: string, text: string): void {
  if (status !== want) throw new Error(`${what}: HTTP ${status}: ${text.slice(0, 300)}`)
}

const rows: Array<[string, string]> = []
const report = (what: string, figure: string) => {
  rows.push([what, figure])
  console.log(`${what.padEnd(58)} ${figure}`)
}
const fmtRun = (r: Run, unit: string) => `${Math.round(r.count / r.seconds).toLocaleString('en-US')} ${unit}/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (${r.count.toLocaleString('en-US')})`

function pod(i: number, ns: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {name: `bench-${i}`, namespace: ns, labels: {app: `app-${i % 300}`, tier: i % 3 ? 'backend' : 'frontend'}},
    spec: {containers: [{name: 'app', image: 'registry.example.com/app:1.4.2', ports: [{containerPort: 8080, name: 'http'}], resources: {requests: {cpu: '10m', memory: '16Mi'}}}]},
  }
}

async function createNamespaces(s: Server, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await call(s, 'POST', '/api/v1/namespaces', {apiVersion: 'v1', kind: 'Namespace', metadata: {name: `ns-${i}`}})
    expect(r.status, 201, 'namespace', r.text)
  }
}

async function timeIt(fn: () => Promise<{status: number; text: string}>): Promise<{ms: number; bytes: number; items: number}> {
  const t = performance.now()
  const r = await fn()
  const ms = performance.now() - t
  expect(r.status, 200, 'list', r.text)
  const items = (r.text.match(/"kind":"Pod"/g) ?? []).length
  return {ms, bytes: r.text.length, items}
}

// ---- 1 + 2: every component running --------------------------------------------------------------
{
  const s = await startServer('all')
  console.log(`server (all components) at ${s.url}`)
  const cm = await load(async (i) => {
    const r = await call(s, 'POST', '/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `cm-${i}`}, data: {key: `value-${i}`}})
    expect(r.status, 201, 'create', r.text)
  }, {seconds: 10})
  report('ConfigMap creates (16 clients, HTTPS)', fmtRun(cm, 'creates'))
  const gets = await load(async (i) => {
    const r = await call(s, 'GET', `/api/v1/namespaces/default/configmaps/cm-${(i * 7919) % cm.count}`)
    expect(r.status, 200, 'get', r.text)
  }, {seconds: 10})
  report('ConfigMap GETs (16 clients)', fmtRun(gets, 'gets'))
  const pods = await load(async (i) => {
    const r = await call(s, 'POST', '/api/v1/namespaces/default/pods', pod(i, 'default'))
    expect(r.status, 201, 'create pod', r.text)
  }, {total: 300})
  report('Pod creates, scheduled and started by the kubelets', fmtRun(pods, 'creates'))
  report('server RSS', `${rssMiB(s)} MiB`)
  await stopServer(s)
}

// ---- 3 + 4: the API alone, 150k pods ------------------------------------------------------------
{
  const s = await startServer('api-only')
  console.log(`server (API only) at ${s.url}`)
  await createNamespaces(s, NAMESPACES)
  const fill = await load(async (i) => {
    const r = await call(s, 'POST', `/api/v1/namespaces/ns-${i % NAMESPACES}/pods`, pod(i, `ns-${i % NAMESPACES}`))
    expect(r.status, 201, 'create pod', r.text)
  }, {total: PODS})
  report(`Pod creates, API only, filling to ${PODS.toLocaleString('en-US')}`, fmtRun(fill, 'creates'))
  report('server RSS with the pods stored', `${rssMiB(s)} MiB`)
  const all = await timeIt(() => call(s, 'GET', '/api/v1/pods'))
  report('list all pods', `${Math.round(all.ms)} ms (${all.items.toLocaleString('en-US')} pods, ${Math.round(all.bytes / 1048576)} MiB JSON)`)
  const one = await timeIt(() => call(s, 'GET', '/api/v1/namespaces/ns-7/pods'))
  report('list one namespace', `${one.ms.toFixed(1)} ms (${one.items} pods)`)
  const sel = await timeIt(() => call(s, 'GET', '/api/v1/pods?labelSelector=app%3Dapp-42'))
  report('list with a label selector, all namespaces', `${sel.ms.toFixed(1)} ms (${sel.items} pods)`)
  const page = await timeIt(() => call(s, 'GET', '/api/v1/pods?limit=500'))
  report('first page, limit=500', `${page.ms.toFixed(1)} ms`)
  const gets = await load(async (i) => {
    const n = (i * 7919) % PODS
    const r = await call(s, 'GET', `/api/v1/namespaces/ns-${n % NAMESPACES}/pods/bench-${n}`)
    expect(r.status, 200, 'get', r.text)
  }, {seconds: 10})
  report(`Pod GETs with ${PODS.toLocaleString('en-US')} stored`, fmtRun(gets, 'gets'))
  const more = await load(async (i) => {
    const n = PODS + i
    const r = await call(s, 'POST', `/api/v1/namespaces/ns-${n % NAMESPACES}/pods`, pod(n, `ns-${n % NAMESPACES}`))
    expect(r.status, 201, 'create pod', r.text)
  }, {seconds: 10})
  report(`Pod creates with ${PODS.toLocaleString('en-US')} stored`, fmtRun(more, 'creates'))

  // 100 watchers on ConfigMaps of one namespace from the current revision; 16 clients create 5,000.
  const EVENTS = 5000
  const list = JSON.parse((await call(s, 'GET', '/api/v1/namespaces/ns-1/configmaps')).text) as {metadata: {resourceVersion: string}}
  const rv = list.metadata.resourceVersion
  const pki = join(s.dir, 'pki')
  const wAgent = new Agent({
    connections: WATCHERS + 4,
    connect: {
      ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
      cert: readFileSync(join(pki, 'users', 'kube2-admin.crt'), 'utf8'),
      key: readFileSync(join(pki, 'users', 'kube2-admin.key'), 'utf8'),
    },
  })
  const watchers = await Promise.all(Array.from({length: WATCHERS}, async () => {
    const res = await request(`${s.url}/api/v1/namespaces/ns-1/configmaps?watch=1&resourceVersion=${rv}`, {dispatcher: wAgent})
    const state = {count: 0, lastRv: 0, ordered: true, done: undefined as undefined | (() => void), finished: 0}
    let buf = ''
    const finished = new Promise<void>((resolve) => (state.done = resolve))
    res.body.on('data', (d: Buffer) => {
      buf += d.toString()
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const ev = JSON.parse(buf.slice(0, nl)) as {type: string; object: {metadata: {resourceVersion: string}}}
        buf = buf.slice(nl + 1)
        if (ev.type !== 'ADDED') continue
        const v = Number(ev.object.metadata.resourceVersion)
        if (v <= state.lastRv) state.ordered = false
        state.lastRv = v
        if (++state.count === EVENTS) {
          state.finished = performance.now()
          state.done!()
        }
      }
    })
    return {res, state, finished}
  }))
  const t0 = performance.now()
  const writes = await load(async (i) => {
    const r = await call(s, 'POST', '/api/v1/namespaces/ns-1/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `w-${i}`}})
    expect(r.status, 201, 'create', r.text)
  }, {total: EVENTS})
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref())
  const outcome = await Promise.race([Promise.all(watchers.map((w) => w.finished)), timeout])
  const complete = watchers.filter((w) => w.state.count === EVENTS && w.state.ordered).length
  const lastAt = Math.max(...watchers.map((w) => w.state.finished))
  report(`${WATCHERS} watchers, ${EVENTS.toLocaleString('en-US')} creates while watching`, fmtRun(writes, 'creates'))
  report('watchers that saw every event in order', `${complete}/${WATCHERS}${outcome === 'timeout' ? ' (timed out)' : ''}; all delivered ${Math.round(lastAt - t0)} ms after the first write (${((EVENTS * WATCHERS) / ((lastAt - t0) / 1000)).toLocaleString('en-US', {maximumFractionDigits: 0})} events/s)`)
  for (const w of watchers) w.res.body.destroy()
  await wAgent.close()
  report('server RSS at the end', `${rssMiB(s)} MiB`)
  await stopServer(s)
}

console.log('\nTargets: >= 3,000 creates/s; p99 single-object latency <= 50 ms with 150k pods stored.')
