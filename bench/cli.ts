// npm run bench:cli — start-up is part of every command: `kube2 get pods` against `kubectl get pods`
// on the same emulator server (kube2 emulate start, 3 pods running), run alternately, medians of each.
// Also the floors: `node -e 0` and `kubectl version --client`. Prints figures; it is not a test.
// BENCH_RUNS sets the number of runs of each (default 40); KUBECTL the kubectl binary.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'bin', 'run.cjs')
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl'
const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const home = mkdtempSync(join(tmpdir(), 'kube2-bench-cli-'))
const env = {...process.env, HOME: home, KUBE2_HOME: join(home, 'kube2'), KUBECONFIG: join(home, 'kubeconfig')}

function run(cmd: string, args: string[]): {ms: number; status: number | null; stdout: string; stderr: string} {
  const t = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {env, encoding: 'utf8'})
  return {ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status, stdout: r.stdout, stderr: r.stderr}
}

function must(cmd: string, args: string[]): string {
  const r = run(cmd, args)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`

try {
  must(process.execPath, [BIN, 'emulate', 'start', '--port', '0', '--nodes', '2', '--kubelet-profile', join(ROOT, 'fixtures/kubelet/fast.yaml')])
  must(process.execPath, [BIN, 'apply', '-f', join(ROOT, 'fixtures/quickstart.yaml')])
  must(KUBECTL, ['rollout', 'status', 'deploy/web', '--timeout=60s'])
  // Warm-up: kube2's code cache and discovery cache, kubectl's discovery cache, the page cache.
  for (let i = 0; i < 3; i++) {
    must(process.execPath, [BIN, 'get', 'pods'])
    must(KUBECTL, ['get', 'pods'])
  }
  const same = must(process.execPath, [BIN, 'get', 'pods']).replace(/\s+\S+\n/g, '\n') === must(KUBECTL, ['get', 'pods']).replace(/\s+\S+\n/g, '\n')
  const kube2: number[] = []
  const kubectl: number[] = []
  for (let i = 0; i < RUNS; i++) {
    kube2.push(must2(process.execPath, [BIN, 'get', 'pods']))
    kubectl.push(must2(KUBECTL, ['get', 'pods']))
  }
  const node: number[] = []
  const kubectlClient: number[] = []
  for (let i = 0; i < RUNS; i++) {
    node.push(must2(process.execPath, ['-e', '0']))
    kubectlClient.push(must2(KUBECTL, ['version', '--client']))
  }
  const k2 = median(kube2)
  const kc = median(kubectl)
  console.log(`kube2 get pods (${RUNS} runs, alternating)      ${fmt(k2)}  (p90 ${fmt(percentile(kube2, 0.9))})`)
  console.log(`kubectl get pods                              ${fmt(kc)}  (p90 ${fmt(percentile(kubectl, 0.9))})`)
  console.log(`ratio kube2 / kubectl                         ${(k2 / kc).toFixed(2)}x   (target <= 1.5x, stretch <= 1.0x)`)
  console.log(`floor: node -e 0                              ${fmt(median(node))}  (${(median(node) / kc).toFixed(2)}x kubectl get pods)`)
  console.log(`floor: kubectl version --client               ${fmt(median(kubectlClient))}`)
  console.log(`same table apart from ages                    ${same ? 'yes' : 'NO'}`)
} finally {
  run(process.execPath, [BIN, 'emulate', 'stop'])
  rmSync(home, {recursive: true, force: true})
}

function must2(cmd: string, args: string[]): number {
  const r = run(cmd, args)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.ms
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}
