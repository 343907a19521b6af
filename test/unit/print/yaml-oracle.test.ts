// toYaml against the installed kubectl (skipped without /usr/bin/kubectl): generated values must
// print byte for byte alike. With YAML_FIXTURE_UPDATE=1 it rewrites fixtures/yaml-kubectl.json.
import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {YamlPrintError, toYaml, yamlKeyLess} from '../../../src/print/yaml.js'

const KUBECTL = '/usr/bin/kubectl'
const FIXTURE = new URL('./fixtures/yaml-kubectl.json', import.meta.url)

interface FixtureCase {
  name: string
  value: unknown
  expected?: string
  error?: string
}

interface KubectlResult {
  stdout: string
  error?: string
}

/**
 * `kubectl patch --local` with an empty patch prints the object it read through the same YAML
 * printer as `get -o yaml`, needs no server, and keeps unknown fields of an unknown kind.
 */
function kubectlYaml(doc: unknown): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const env = {KUBECONFIG: '/dev/null', PATH: process.env.PATH ?? '/usr/bin', HOME: process.env.HOME ?? '/tmp'}
    const args = ['patch', '--local', '-f', '-', '--type', 'merge', '-p', '{}', '-o', 'yaml']
    const child = execFile(KUBECTL, args, {env, maxBuffer: 1 << 26}, (err, stdout, stderr) => {
      if (err && !stderr) reject(err)
      else resolve(err ? {stdout, error: stderr.trim().replace(/^error: /, '')} : {stdout})
    })
    child.stdin?.end(JSON.stringify(doc))
  })
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

function mine(doc: unknown): KubectlResult {
  try {
    return {stdout: toYaml(doc)}
  } catch (err) {
    if (err instanceof YamlPrintError) return {stdout: '', error: err.message}
    throw err
  }
}

const documentOf = (fields: Record<string, unknown>) => ({apiVersion: 'x.example/v1', kind: 'T', ...fields})

/** mulberry32: a small seeded generator, so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Values that stress quoting, folding, block scalars, numbers and key order. */
function generator(seed: number) {
  const rnd = random(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const specials = ['\t', '😀', '"', '\\', "'", 'é', '中', ':', ': ', ' #', '#', '-', '? ', '\u00a0', '\u2028', '\r', '\ufeff',
    '\u0085', '\n', '\n\n', '  ', '---', 'true', '0x1F', '1.5', '2024-01-01', '~', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`']
  const word = () => {
    let w = ''
    for (let i = 0, n = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 25 : 7)); i < n; i++) w += pick('abcdefghijklmnopqrstuvwxyz0123456789'.split(''))
    return rnd() < 0.2 ? w + pick(specials) : w
  }
  const text = (max: number) => {
    const target = Math.floor(rnd() * max)
    let s = rnd() < 0.25 ? pick(specials) : ''
    while (s.length < target) s += word() + (rnd() < 0.85 ? ' ' : pick(['  ', '   ', '\n', '\t']))
    return rnd() < 0.5 ? s.trimEnd() : s
  }
  const num = () => {
    const scale = 10 ** Math.floor(rnd() * 44 - 22)
    return pick([() => Math.floor(rnd() * 1e6), () => rnd() * scale, () => -rnd() * scale,
      () => Math.round(rnd() * scale), () => 2 ** Math.floor(rnd() * 70), () => Number(rnd().toFixed(3))])()
  }
  // kubectl's own key order is random where go-yaml's comparison is not transitive; skip such keys.
  const ordered = (keys: string[]) =>
    keys.every((a) => keys.every((b) => keys.every((c) => !(yamlKeyLess(a, b) && yamlKeyLess(b, c) && !yamlKeyLess(a, c)))))
  const key = () => (rnd() < 0.1 ? text(200) : pick(['a', 'b', 'A', 'x1', 'x10', 'x2', '1', '10', '_', '-', 'é', 'k']) + word())
  const value = (depth: number): unknown => {
    const r = rnd()
    if (depth > 4 || r < 0.45) return text(rnd() < 0.3 ? 300 : 40)
    if (r < 0.6) return num()
    if (r < 0.65) return pick([true, false, null, [], {}])
    if (r < 0.8) return Array.from({length: 1 + Math.floor(rnd() * 3)}, () => value(depth + 1))
    const obj: Record<string, unknown> = {}
    for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++) {
      const k = key()
      if (ordered([...Object.keys(obj), k])) obj[k] = value(depth + 1)
    }
    return obj
  }
  return {value}
}

describe('toYaml against kubectl', function () {
  this.timeout(60_000)
  before(function () {
    if (!existsSync(KUBECTL)) this.skip()
  })

  it('prints generated documents exactly like kubectl', async () => {
    const docs = Array.from({length: 16}, (_, d) => {
      const gen = generator(1000 + d)
      const fields: Record<string, unknown> = {}
      for (let i = 0; i < 8; i++) fields[`f${i}`] = gen.value(0)
      return documentOf(fields)
    })
    const results = await mapLimited(docs, 8, kubectlYaml)
    docs.forEach((doc, i) => {
      assert.deepEqual(mine(doc), results[i], `document ${i}: ${JSON.stringify(doc)}`)
    })
  })

  it('prints every fixture value like this kubectl does', async () => {
    const cases = JSON.parse(readFileSync(FIXTURE, 'utf8')) as FixtureCase[]
    const printable = cases.filter((c) => c.error === undefined)
    const docs: unknown[] = []
    for (let i = 0; i < printable.length; i += 60) {
      docs.push(documentOf(Object.fromEntries(printable.slice(i, i + 60).map((c, j) => [`v${String(i + j).padStart(4, '0')}`, c.value]))))
    }
    const failing = cases.filter((c) => c.error !== undefined).map((c) => documentOf({v: c.value}))
    const all = [...docs, ...failing]
    const results = await mapLimited(all, 8, kubectlYaml)
    all.forEach((doc, i) => assert.deepEqual(mine(doc), results[i], `document ${i}`))
  })

  it('regenerates the fixture when YAML_FIXTURE_UPDATE=1', async function () {
    if (process.env.YAML_FIXTURE_UPDATE !== '1') this.skip()
    const cases = JSON.parse(readFileSync(FIXTURE, 'utf8')) as FixtureCase[]
    const results = await mapLimited(cases, 8, (c) => kubectlYaml(documentOf({v: c.value})))
    const updated = cases.map((c, i) => {
      const r = results[i]
      return r.error === undefined ? {name: c.name, value: c.value, expected: r.stdout} : {name: c.name, value: c.value, error: r.error}
    })
    // Escaped to ASCII so that odd characters stay visible (and intact) in the file.
    const text = JSON.stringify(updated, null, 1).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    writeFileSync(FIXTURE, text + '\n')
  })
})
