// readManifests on single inputs: documents, Lists, JSON, encodings and every kind of problem.
import {strict as assert} from 'node:assert'
import {configMap, readContent, removeTempDirs} from './helpers.js'

const names = (objects: {object: Record<string, unknown>}[]) =>
  objects.map((o) => (o.object.metadata as {name: string}).name)

describe('readManifests: documents', () => {
  after(removeTempDirs)

  it('reads multi-document YAML, skipping empty and comment-only documents', async () => {
    const text = `---\n${configMap('a')}---\n\n---\n# just a comment\n---\n${configMap('b')}---\n~\n---\n${configMap('c')}`
    const r = await readContent(text)
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['a', 'b', 'c'])
    assert.deepEqual(
      r.objects.map((o) => [o.documentIndex, o.line]),
      [
        [0, 2],
        [1, 11],
        [2, 18],
      ],
    )
    assert.equal(r.objects[0].source, r.file)
    assert.deepEqual(r.sources, [r.file])
  })

  it('keeps the text and line offset of each document for locating lines', async () => {
    const r = await readContent(`${configMap('a')}---\n# lead comment\n${configMap('b')}`)
    const b = r.objects[1]
    assert.equal(b.lineOffset, 5)
    assert.equal(b.line, 7)
    assert.ok(b.text.startsWith('# lead comment\napiVersion: v1'))
  })

  it('reports malformed YAML at its file line and goes on with the next documents', async () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n   labels: x\n'
    const r = await readContent(`${configMap('a')}---\n${configMap('b')}---\n${bad}---\n${configMap('d')}`)
    assert.deepEqual(names(r.objects), ['a', 'b', 'd'])
    assert.equal(r.problems.length, 1)
    const p = r.problems[0]
    assert.equal(p.kind, 'yaml')
    assert.equal(p.documentIndex, 2)
    assert.equal(p.line, 15)
    assert.match(p.message, /bad indentation of a mapping entry/)
    assert.equal(r.objects[2].documentIndex, 3)
  })

  it('puts an error found at the end of a document on its last line, not on the next separator', async () => {
    const r = await readContent(`${configMap('a')}---\nmetadata: {name: b\n\n---\n${configMap('c')}`)
    assert.equal(r.problems[0].line, 6)
    assert.deepEqual(names(r.objects), ['a', 'c'])
  })

  it('reports a separator followed by content, like kubectl, without losing other documents', async () => {
    const r = await readContent(`${configMap('a')}--- {kind: x}\nfoo: bar\n---\n${configMap('c')}`)
    assert.deepEqual(names(r.objects), ['a', 'c'])
    assert.deepEqual(r.problems.map((p) => [p.kind, p.line, p.message]), [
      ['yaml', 5, 'invalid Yaml document separator: {kind: x}'],
    ])
  })

  it('stops a document at `...`', async () => {
    const r = await readContent(`${configMap('a')}...\nnot: [valid\n---\n${configMap('b')}...\n`)
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['a', 'b'])
  })

  it('reads CRLF files with the right lines', async () => {
    const text = `${configMap('a')}---\n${configMap('b')}---\nbroken: [\n`.replaceAll('\n', '\r\n')
    const r = await readContent(text)
    assert.deepEqual(names(r.objects), ['a', 'b'])
    assert.equal(r.objects[1].line, 6)
    assert.equal(r.problems[0].line, 11)
    assert.equal((r.objects[0].object.metadata as {name: string}).name, 'a')
  })

  it('ignores a UTF-8 byte order mark', async () => {
    const r = await readContent(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(configMap('bom'))]))
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['bom'])
    assert.equal(r.objects[0].object.apiVersion, 'v1')
  })

  it('decodes UTF-16 with a byte order mark, as kubectl does', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(configMap('sixteen'), 'utf16le')])
    const be = Buffer.from(le)
    be.swap16()
    for (const bytes of [le, be]) {
      const r = await readContent(bytes)
      assert.deepEqual(r.problems, [])
      assert.deepEqual(names(r.objects), ['sixteen'])
    }
  })

  it('reads non-ASCII UTF-8 text', async () => {
    const r = await readContent(`${configMap('a')}data:\n  greeting: "héllo — 世界 🚀"\n`)
    assert.equal((r.objects[0].object.data as {greeting: string}).greeting, 'héllo — 世界 🚀')
  })

  it('reads a JSON object', async () => {
    const json = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'j'}, data: {mode: '0644'}}, null, 2)
    const r = await readContent(`\n\n${json}\n`, 'cm.json')
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['j'])
    assert.equal(r.objects[0].line, 3)
    assert.equal(r.objects[0].lineOffset, 2)
    assert.equal((r.objects[0].object.data as {mode: string}).mode, '0644')
  })

  it('reads a stream of JSON objects, and reports a JSON syntax error at its line', async () => {
    const one = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'one'}})
    const two = JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'two'}}, null, 1)
    const r = await readContent(`${one}\n${two}\n{"apiVersion": "v1",\n "kind": }\n`, 'stream.json')
    assert.deepEqual(names(r.objects), ['one', 'two'])
    assert.deepEqual(r.objects.map((o) => o.line), [1, 2])
    assert.equal(r.problems.length, 1)
    assert.equal(r.problems[0].kind, 'yaml')
    assert.equal(r.problems[0].line, 10)
  })

  it('treats any input starting with `{` as JSON, whatever its name', async () => {
    const r = await readContent('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}\n', 'x.yaml')
    assert.deepEqual(names(r.objects), ['x'])
  })

  it('flattens a v1 List into its items, with item lines', async () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- ${configMap('a').trimEnd().replaceAll('\n', '\n  ')}\n- ${configMap('b').trimEnd().replaceAll('\n', '\n  ')}\n`
    const r = await readContent(text)
    assert.deepEqual(r.problems, [])
    assert.deepEqual(names(r.objects), ['a', 'b'])
    assert.deepEqual(r.objects.map((o) => [o.itemIndex, o.itemPath, o.line, o.documentIndex]), [
      [0, ['items', 0], 4, 0],
      [1, ['items', 1], 8, 0],
    ])
    assert.equal(r.objects[0].text, r.objects[1].text)
  })

  it('fills in kind and apiVersion of typed list items as kubectl does', async () => {
    const r = await readContent('apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p}\n- {kind: Pod, metadata: {name: q}}\n')
    assert.deepEqual(r.objects.map((o) => [o.object.apiVersion, o.object.kind]), [['v1', 'Pod']])
    assert.deepEqual(r.problems.map((p) => [p.kind, p.line]), [['noapiversion', 5]])
  })

  it('flattens JSON Lists and nested Lists', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'a'}},
        {apiVersion: 'v1', kind: 'List', items: [{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'b'}}]},
      ],
    }
    const r = await readContent(JSON.stringify(list, null, 2), 'list.json')
    assert.deepEqual(names(r.objects), ['a', 'b'])
    assert.deepEqual(r.objects[1].itemPath, ['items', 1, 'items', 0])
    assert.equal(r.objects[1].itemIndex, 1)
    assert.equal(r.objects[1].line, 16)
  })

  it('reports List items that are not objects or lack a kind', async () => {
    const r = await readContent('apiVersion: v1\nkind: List\nitems:\n- just a string\n- metadata: {name: x}\n')
    assert.deepEqual(r.objects, [])
    assert.deepEqual(r.problems.map((p) => [p.kind, p.line]), [
      ['notobject', 4],
      ['nokind', 5],
    ])
  })

  it("reports a missing kind with kubectl's message and the document's JSON", async () => {
    const r = await readContent(`${configMap('a')}---\napiVersion: v1\nmetadata:\n  name: b\n  note: <x> & y\n`)
    assert.deepEqual(names(r.objects), ['a'])
    assert.deepEqual(r.problems, [
      {
        source: r.file,
        line: 6,
        documentIndex: 1,
        kind: 'nokind',
        message: `Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"b","note":"\\u003cx\\u003e \\u0026 y"}}'`,
      },
    ])
  })

  it('reports a missing or non-string apiVersion', async () => {
    const r = await readContent('kind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: 1\nkind: ConfigMap\n')
    assert.deepEqual(r.problems.map((p) => [p.kind, p.line, p.documentIndex]), [
      ['noapiversion', 1, 0],
      ['noapiversion', 4, 1],
    ])
    assert.match(r.problems[0].message, /^Object 'apiVersion' is missing in '\{"kind":"ConfigMap","metadata":\{"name":"a"\}\}'$/)
  })

  it('reports JSON missing a kind with the JSON as written', async () => {
    const r = await readContent('{"apiVersion": "v1",  "metadata": {}}', 'x.json')
    assert.equal(r.problems[0].message, `Object 'Kind' is missing in '{"apiVersion": "v1",  "metadata": {}}'`)
  })

  it('reports documents that are not mappings', async () => {
    const r = await readContent(`- a\n- b\n---\njust text\n---\n42\n---\n${configMap('ok')}`)
    assert.deepEqual(names(r.objects), ['ok'])
    assert.deepEqual(r.problems.map((p) => [p.kind, p.line, p.message]), [
      ['notobject', 1, 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
      ['notobject', 4, 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
      ['notobject', 6, 'json: cannot unmarshal number into Go value of type map[string]interface {}'],
    ])
  })

  it('lets the last duplicate key win, or reports it with its line when strict', async () => {
    const text = `${configMap('a')}spec:\n  containers:\n  - name: c\n    image: one\n    image: two\n`
    const lenient = await readContent(text)
    assert.deepEqual(lenient.problems, [])
    assert.equal(((lenient.objects[0].object.spec as {containers: {image: string}[]}).containers[0]).image, 'two')
    const strict = await readContent(text, 'm.yaml', {strict: true})
    assert.deepEqual(strict.objects, [])
    assert.deepEqual(strict.problems.map((p) => [p.kind, p.line, p.message]), [['yaml', 9, 'duplicate key "image"']])
  })

  it('reports duplicate keys in flow mappings and JSON when strict', async () => {
    const flow = await readContent(`${configMap('a')}data: {"x": 1, y: 2, "x": 3}\n`, 'f.yaml', {strict: true})
    assert.deepEqual(flow.problems.map((p) => [p.line, p.message]), [[5, 'duplicate key "x"']])
    const json = await readContent('{"apiVersion": "v1",\n "kind": "ConfigMap",\n "kind": "Secret"}\n', 'd.json', {strict: true})
    assert.deepEqual(json.problems.map((p) => [p.line, p.message]), [[3, 'duplicate key "kind"']])
    const lenientJson = await readContent('{"apiVersion": "v1",\n "kind": "ConfigMap",\n "kind": "Secret"}\n', 'd.json')
    assert.equal(lenientJson.objects[0].object.kind, 'Secret')
  })

  it('rejects NaN and infinities, which kubectl cannot turn into JSON', async () => {
    const r = await readContent(`${configMap('a')}spec:\n  replicas: .inf\n`)
    assert.deepEqual(r.objects, [])
    assert.equal(r.problems[0].line, 6)
    assert.match(r.problems[0].message, /json: unsupported value: \+Inf \(at spec\.replicas\)/)
  })

  it('gives aliased nodes their own copies', async () => {
    const r = await readContent(`${configMap('a')}data:\n  one: &v {k: 1}\n  two: *v\n  three:\n    <<: *v\n`)
    const data = r.objects[0].object.data as Record<string, {k: number}>
    assert.deepEqual(data, {one: {k: 1}, two: {k: 1}, three: {k: 1}})
    data.one.k = 2
    assert.equal(data.two.k, 1)
    assert.equal(data.three.k, 1)
  })

  it('refuses a billion-laughs document', async () => {
    let text = `${configMap('a')}data:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n`
    for (let i = 1; i < 9; i++) text += `  l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`
    const r = await readContent(text)
    assert.deepEqual(r.objects, [])
    assert.match(r.problems[0].message, /excessive aliasing/)
  })

  it('reports an empty file and a comments-only file as empty', async () => {
    const empty = await readContent('')
    assert.deepEqual(empty.problems, [{source: empty.file, kind: 'empty', message: 'no objects found: the file is empty'}])
    const comments = await readContent('# nothing\n---\n---\n# here\n~\n')
    assert.deepEqual(comments.problems.map((p) => p.kind), ['empty'])
    assert.match(comments.problems[0].message, /only comments/)
  })

  it('does not call a file of empty Lists empty', async () => {
    const r = await readContent('apiVersion: v1\nkind: List\nitems: []\n')
    assert.deepEqual(r.problems, [])
    assert.deepEqual(r.objects, [])
  })

  it('reports binary files: NUL bytes and invalid UTF-8', async () => {
    const nul = await readContent(Buffer.from('apiVersion: v1\nkind: \u0000Pod\n'))
    assert.deepEqual(nul.problems.map((p) => [p.kind, p.line]), [['binary', 2]])
    assert.match(nul.problems[0].message, /binary data.*NUL byte/)
    const latin1 = await readContent(Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n', 'latin1'))
    assert.deepEqual(latin1.problems.map((p) => [p.kind, p.line]), [['binary', 4]])
    assert.match(latin1.problems[0].message, /invalid UTF-8 at offset 46/)
    const png = await readContent(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'image.yaml')
    assert.deepEqual(png.problems.map((p) => p.kind), ['binary'])
  })

  it('reads every corpus-style oddity: quoted apiVersion, trailing spaces, uneven indentation', async () => {
    const r = await readContent('apiVersion: "apps/v1"   \nkind: StatefulSet  \nmetadata:\n   name: x\nspec:\n     replicas: 3\n')
    assert.deepEqual(r.problems, [])
    assert.equal((r.objects[0].object.spec as {replicas: number}).replicas, 3)
  })
})
