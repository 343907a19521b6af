// readManifests on kubectl's kinds of -f arguments: directories (with and without -R), globs,
// missing paths, standard input and URLs.
import {strict as assert} from 'node:assert'
import {chmodSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {Readable} from 'node:stream'
import {readManifests} from '../../../src/manifest/index.js'
import {configMap, removeTempDirs, tempDir, writeTree} from './helpers.js'

const names = (objects: {object: Record<string, unknown>}[]) =>
  objects.map((o) => (o.object.metadata as {name: string}).name)

function tree(): string {
  const dir = tempDir()
  writeTree(dir, {
    'b.yaml': configMap('b'),
    'a.yml': configMap('a'),
    'c.json': JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}}),
    'notes.txt': 'not a manifest',
    'upper.YAML': configMap('upper'),
    'README.md': '# docs',
    'sub/d.yaml': configMap('d'),
    'sub/deeper/e.yaml': configMap('e'),
    'a-sub/f.yaml': configMap('f'),
    '.hidden.yaml': configMap('hidden'),
  })
  return dir
}

const fetchStub =
  (answers: (Response | Error)[], calls: string[] = []): typeof fetch =>
  async (input) => {
    calls.push(String(input))
    const next = answers.shift()
    if (next === undefined) throw new Error('no more answers')
    if (next instanceof Error) throw next
    return next
  }

describe('readManifests: inputs', () => {
  after(removeTempDirs)

  it('reads a directory without recursion: only its own .json/.yaml/.yml files, in name order', async () => {
    const dir = tree()
    const r = await readManifests([dir])
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['hidden', 'a', 'b', 'c'])
    assert.deepEqual(r.sources, ['.hidden.yaml', 'a.yml', 'b.yaml', 'c.json'].map((f) => path.join(dir, f)))
  })

  it('walks subdirectories with recursive, where they sort among the files', async () => {
    const dir = tree()
    const r = await readManifests([dir], {recursive: true})
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['hidden', 'f', 'a', 'b', 'c', 'd', 'e'])
    assert.equal(r.objects[1].source, path.join(dir, 'a-sub', 'f.yaml'))
  })

  it('reads a file named explicitly whatever its extension', async () => {
    const dir = tempDir()
    writeTree(dir, {'manifest.txt': configMap('txt')})
    const r = await readManifests([path.join(dir, 'manifest.txt')])
    assert.deepEqual(names(r.objects), ['txt'])
  })

  it('keeps the path as given and cleans walked paths like Go does', async () => {
    const dir = tree()
    const r = await readManifests([`${dir}/sub/`, `${dir}/a.yml`])
    assert.deepEqual(
      r.objects.map((o) => o.source),
      [path.join(dir, 'sub', 'd.yaml'), `${dir}/a.yml`],
    )
  })

  it('reports a path that does not exist and goes on with the others', async () => {
    const dir = tree()
    const missing = path.join(dir, 'nope.yaml')
    const r = await readManifests([missing, path.join(dir, 'a.yml')])
    assert.deepEqual(names(r.objects), ['a'])
    assert.deepEqual(r.problems, [{source: missing, kind: 'unreadable', message: `the path "${missing}" does not exist`}])
  })

  it('reports a path below a file as not accessible', async () => {
    const dir = tree()
    const below = path.join(dir, 'a.yml', 'x.yaml')
    const r = await readManifests([below])
    assert.deepEqual(r.problems.map((p) => p.message), [
      `the path "${below}" cannot be accessed: stat ${below}: not a directory`,
    ])
  })

  it('reports a directory without manifests as empty', async () => {
    const dir = tempDir()
    writeTree(dir, {'notes.txt': 'x', 'sub/a.yaml': configMap('a')})
    const r = await readManifests([dir])
    assert.deepEqual(r.problems, [
      {source: dir, kind: 'empty', message: `error reading [${dir}]: recognized file extensions are [.json .yaml .yml]`},
    ])
  })

  it('expands a glob pattern that names no file, in Go order', async () => {
    const dir = tree()
    const r = await readManifests([path.join(dir, '*.y*ml'), path.join(dir, 's?b', '[d-e].yaml'), path.join(dir, '*', '[^a-c].yaml')])
    assert.deepEqual(r.problems, [])
    // Matching is case-sensitive, as in Go: upper.YAML is not a match for *.y*ml.
    assert.deepEqual(names(r.objects), ['hidden', 'a', 'b', 'd', 'f', 'd'])
  })

  it('reports a glob without matches as a missing path, and a bad pattern', async () => {
    const dir = tree()
    const none = path.join(dir, '*.xml')
    const bad = path.join(dir, '[a-.yaml')
    const r = await readManifests([none, bad])
    assert.deepEqual(r.problems.map((p) => p.message), [
      `the path "${none}" does not exist`,
      `pattern "${bad}" is not valid: syntax error in pattern`,
    ])
  })

  it('reads a symbolic link to a file in a directory, but does not walk into linked directories', async () => {
    const dir = tree()
    const linked = tempDir()
    writeTree(linked, {'inner.yaml': configMap('inner'), 'target.yaml': configMap('target')})
    symlinkSync(path.join(linked, 'target.yaml'), path.join(dir, 'link.yaml'))
    symlinkSync(linked, path.join(dir, 'linkdir'))
    const r = await readManifests([dir], {recursive: true})
    assert.ok(names(r.objects).includes('target'))
    assert.ok(!names(r.objects).includes('inner'))
  })

  it('reports a file it may not read, and reads the rest', async function () {
    if (process.getuid?.() === 0) this.skip()
    const dir = tempDir()
    writeTree(dir, {'a.yaml': configMap('a'), 'b.yaml': configMap('b')})
    chmodSync(path.join(dir, 'a.yaml'), 0)
    const r = await readManifests([dir])
    assert.deepEqual(names(r.objects), ['b'])
    assert.deepEqual(r.problems.map((p) => [p.kind, p.message]), [
      ['unreadable', `open ${path.join(dir, 'a.yaml')}: permission denied`],
    ])
  })

  it('reads standard input for `-`, named STDIN', async () => {
    const stdin = Readable.from([Buffer.from(configMap('one')), Buffer.from(`---\n${configMap('two')}`)])
    const r = await readManifests(['-'], {stdin})
    assert.deepEqual(names(r.objects), ['one', 'two'])
    assert.deepEqual(r.objects.map((o) => [o.source, o.line]), [
      ['STDIN', 1],
      ['STDIN', 6],
    ])
    assert.deepEqual(r.sources, ['STDIN'])
  })

  it('reports empty standard input and a second `-`', async () => {
    const r = await readManifests(['-', '-'], {stdin: Readable.from([])})
    assert.deepEqual(r.problems.map((p) => [p.source, p.kind, p.message]), [
      ['STDIN', 'empty', 'no objects found: standard input is empty'],
      ['STDIN', 'unreadable', 'standard input cannot be used for multiple arguments'],
    ])
  })

  it('reads a URL through the given fetch', async () => {
    const calls: string[] = []
    const url = 'https://example.com/manifests/cm.yaml'
    const r = await readManifests([url], {fetch: fetchStub([new Response(configMap('remote'))], calls)})
    assert.deepEqual(calls, [url])
    assert.deepEqual(r.problems, [])
    assert.deepEqual(r.objects.map((o) => [o.source, (o.object.metadata as {name: string}).name]), [[url, 'remote']])
  })

  it("reports a 404 with kubectl's message, without retrying", async () => {
    const calls: string[] = []
    const url = 'https://example.com/missing.yaml'
    const r = await readManifests([url], {fetch: fetchStub([new Response('nope', {status: 404, statusText: 'Not Found'})], calls)})
    assert.equal(calls.length, 1)
    assert.deepEqual(r.problems, [
      {source: url, kind: 'unreadable', message: `unable to read URL "${url}", server reported 404 Not Found, status code=404`},
    ])
  })

  it('fills in the reason phrase when the server sends none', async () => {
    const url = 'http://example.com/x.yaml'
    const r = await readManifests([url], {fetch: fetchStub([new Response('', {status: 403})])})
    assert.match(r.problems[0].message, /server reported 403 Forbidden, status code=403$/)
  })

  it('retries 5xx answers and network errors, then succeeds or reports the last failure', async () => {
    const url = 'https://example.com/flaky.yaml'
    const calls: string[] = []
    const ok = await readManifests([url], {
      httpRetryDelayMs: 0,
      fetch: fetchStub([new Response('', {status: 503, statusText: 'Service Unavailable'}), new Response(configMap('late'))], calls),
    })
    assert.equal(calls.length, 2)
    assert.deepEqual(names(ok.objects), ['late'])

    const failure = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND example.com'), {code: 'ENOTFOUND'}),
    })
    const down = await readManifests([url], {httpRetryDelayMs: 0, fetch: fetchStub([failure, failure, failure])})
    assert.deepEqual(down.problems.map((p) => p.message), [`unable to read URL "${url}": getaddrinfo ENOTFOUND example.com`])
  })

  it('reports an invalid URL', async () => {
    const r = await readManifests(['http://exa mple.com/x.yaml'], {fetch: fetchStub([])})
    assert.match(r.problems[0].message, /^the URL passed to filename "http:\/\/exa mple\.com\/x\.yaml" is not valid: /)
  })

  it('keeps input order across inputs of all kinds', async () => {
    const dir = tree()
    const stdin = Readable.from([configMap('stdin')])
    const r = await readManifests([path.join(dir, 'b.yaml'), '-', 'https://example.com/u.yaml', path.join(dir, 'a.yml')], {
      stdin,
      fetch: fetchStub([new Response(configMap('url'))]),
    })
    assert.deepEqual(names(r.objects), ['b', 'stdin', 'url', 'a'])
  })
})
