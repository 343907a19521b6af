// Real-world manifests from the shared corpus must read without problems, with the document counts
// its SOURCES.md states. Skipped where the corpus is not present.
import {strict as assert} from 'node:assert'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {readManifests} from '../../../src/manifest/index.js'

const CORPUS = '/work/shared/corpus'

/** file name -> stated document count, from the markdown table's `file` and `docs` columns. */
function statedCounts(): Map<string, number> {
  const counts = new Map<string, number>()
  const rows = readFileSync(path.join(CORPUS, 'SOURCES.md'), 'utf8')
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
  const header = rows[0] ?? []
  const fileColumn = header.indexOf('file')
  const docsColumn = header.indexOf('docs')
  if (fileColumn < 0 || docsColumn < 0) return counts
  for (const row of rows.slice(1)) {
    const file = /\S+\.ya?ml/.exec(row[fileColumn] ?? '')?.[0]
    const docs = Number(row[docsColumn])
    if (file !== undefined && Number.isInteger(docs)) counts.set(file, docs)
  }
  return counts
}

describe('manifest corpus', function () {
  before(function () {
    if (!existsSync(CORPUS) || !existsSync(path.join(CORPUS, 'SOURCES.md'))) this.skip()
  })

  it('states a document count for every corpus file', function () {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml'))
    const counts = statedCounts()
    assert.ok(files.length > 0)
    for (const file of files) assert.ok(counts.has(file), `${file} has no docs count in SOURCES.md`)
  })

  it('reads every corpus file without problems and with the stated number of documents', async function () {
    const counts = statedCounts()
    for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort()) {
      const r = await readManifests([path.join(CORPUS, file)])
      assert.deepEqual(r.problems, [], `${file}: ${JSON.stringify(r.problems)}`)
      const documents = new Set(r.objects.map((o) => o.documentIndex)).size
      assert.equal(documents, counts.get(file), `${file}: ${documents} documents read`)
      for (const o of r.objects) {
        assert.equal(typeof o.object.kind, 'string')
        assert.ok(o.line > o.lineOffset, `${file}: line ${o.line} after offset ${o.lineOffset}`)
      }
    }
  })

  it('reads the whole corpus directory in one call', async function () {
    const r = await readManifests([CORPUS])
    assert.deepEqual(r.problems, [])
    const total = [...statedCounts().values()].reduce((a, b) => a + b, 0)
    assert.equal(new Set(r.objects.map((o) => `${o.source}#${o.documentIndex}`)).size, total)
  })
})
