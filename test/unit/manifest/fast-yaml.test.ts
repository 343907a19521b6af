// The fast YAML path must give exactly js-yaml's result (with the reader's schema) or give up:
// checked on chosen snippets, on the corpus, and on seeded random documents.
import {strict as assert} from 'node:assert'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import {fastLoad} from '../../../src/manifest/fast-yaml.js'
import {splitYamlDocuments} from '../../../src/manifest/split.js'
import {loadWithJsYaml} from '../../../src/manifest/yaml-schema.js'

/** Fails when the fast path returns something js-yaml would not; returns whether it answered. */
function agrees(text: string, strict: boolean): boolean {
  const fast = fastLoad(text, strict)
  if (fast === undefined) return false
  let reference: unknown
  try {
    reference = loadWithJsYaml(text, strict).value
  } catch (err) {
    assert.fail(`fast path accepted what js-yaml rejects (${(err as Error).message.split('\n')[0]}): ${JSON.stringify(text)}`)
  }
  assert.ok(isDeepStrictEqual(fast.value, reference), `different values for ${JSON.stringify(text)}:\n${JSON.stringify(fast.value)}\n${JSON.stringify(reference)}`)
  return true
}

const handled = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {app: web, tier: "1"}\ndata:\n  a: "1"\n',
  'spec:\n  containers:\n  - name: a\n    args: ["-c", "echo hi"]\n    ports:\n    - containerPort: 80\n      protocol: TCP\n',
  'spec:\n  containers:\n    - name: a\n      image: x # pinned\n',
  'data:\n  script: |\n    #!/bin/sh\n    echo "a: b"\n\n    exit 0\n  folded: >-\n    one\n    two\n\n    three\nafter: 1\n',
  "a: 'it''s'\nb: \"tab\\there \\u00e9 \\x41\"\nc: ''\nd: \"\"\n",
  'yes: 1\n0644: 2\noff: 3\n"quoted": 4\nkey with spaces: 5\n__proto__: 6\n',
  '- a\n- 0x1F\n-\n  k: v\n- k: v\n  j: w\n',
  'a:\nb: ~\nc: null\n',
  'dup: 1\ndup: 2\n',
  'url: http://example.com:8080/path?q=1#frag\nratio: 1:2\n',
  'k: |+\n  keep\n\n\nn: 1\n',
  'empty: {}\nlist: []\nnested: {a: [1, {b: c}], "d":2}\n',
]

const givesUp = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: b\n  c\n',
  'a: "multi\n  line"\n',
  'a: [1,\n  2]\n',
  'a: |2\n    x\n',
  '<<: {a: 1}\n',
  'a: b: c\n',
  '? complex\n: value\n',
  'a:\tb\n',
  'a: 1\r\nb: 2\r\n',
  '%YAML 1.1\n---\na: 1\n',
  'just a scalar\n',
  'a: |\n  last line without newline',
]

describe('fast YAML path', () => {
  it('handles the YAML manifests are usually written in, with js-yaml results', () => {
    for (const text of handled) {
      for (const strict of [false, true]) {
        if (strict && text.startsWith('dup')) continue
        assert.ok(agrees(text, strict), `fast path gave up on ${JSON.stringify(text)}`)
      }
    }
  })

  it('leaves duplicate keys to js-yaml when strict', () => {
    assert.equal(fastLoad('dup: 1\ndup: 2\n', true), undefined)
  })

  it('gives up on everything else', () => {
    for (const text of givesUp) assert.equal(fastLoad(text, false), undefined, JSON.stringify(text))
  })

  it('flags NaN and infinities like the js-yaml path', () => {
    assert.equal(fastLoad('a: .inf\n', false)?.nonFinite, true)
    assert.equal(fastLoad('a: [1, .nan]\n', false)?.nonFinite, true)
    assert.equal(fastLoad('a: ".inf"\n', false)?.nonFinite, false)
  })

  it('agrees with js-yaml on every corpus document', function () {
    const corpus = '/work/shared/corpus'
    if (!existsSync(corpus)) this.skip()
    let answered = 0
    for (const file of readdirSync(corpus).filter((f) => f.endsWith('.yaml'))) {
      for (const chunk of splitYamlDocuments(readFileSync(path.join(corpus, file), 'utf8'))) {
        if (agrees(chunk.text, false)) answered++
      }
    }
    assert.ok(answered > 100, `fast path answered only ${answered} corpus documents`)
  })

  it('agrees with js-yaml on seeded random documents', () => {
    let seed = 20250611
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]
    const scalars = ['a', 'yes', '0644', '.inf', '~', '"q"', "'s''t'", '"a\\"b"', 'a #c', 'a#b', 'a:b', '-1', '- x', '[a, b]', '{a: 1}', '{"a":1}', '{a:1}', '|', '>-', '&x a', '*x', '!t a', 'a: b', '', '[a,]', '{a: }', 'é', '"\\q"']
    const keys = ['k', 'yes', '0644', '"k"', "'k'", 'a b', '<<', '? k', '-k', 'k#x', '__proto__', 'k:x', 'kk', 'kk']
    const line = (): string => {
      const indent = pick(['', ' ', '  ', '    '])
      const r = rand()
      if (r < 0.35) return `${indent}${pick(keys)}: ${pick(scalars)}`
      if (r < 0.5) return `${indent}${pick(keys)}:`
      if (r < 0.65) return `${indent}- ${pick(scalars)}`
      if (r < 0.75) return `${indent}- ${pick(keys)}: ${pick(scalars)}`
      if (r < 0.8) return `${indent}-`
      if (r < 0.85) return `${indent}# comment`
      if (r < 0.9) return ''
      return `${indent}${pick(scalars)}`
    }
    let answered = 0
    for (let i = 0; i < 20000; i++) {
      const lines = Array.from({length: 1 + Math.floor(rand() * 6)}, line)
      if (agrees(lines.join('\n') + '\n', rand() < 0.5)) answered++
    }
    assert.ok(answered > 1000, `fast path answered only ${answered} random documents`)
  })
})
