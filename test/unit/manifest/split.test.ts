// Splitting YAML streams into documents on kubectl's `---` rule, keeping each document's file line.
import {strict as assert} from 'node:assert'
import {splitYamlDocuments} from '../../../src/manifest/split.js'

const summary = (text: string) =>
  splitYamlDocuments(text).map((c) => ({
    text: c.text,
    lineOffset: c.lineOffset,
    first: c.firstContentLine,
    ...(c.badSeparator ? {bad: c.badSeparator} : {}),
  }))

describe('manifest YAML document splitting', () => {
  it('keeps a stream without separators whole', () => {
    assert.deepEqual(summary('a: 1\nb: 2\n'), [{text: 'a: 1\nb: 2\n', lineOffset: 0, first: 0}])
  })

  it('drops empty and comment-only documents but keeps line offsets', () => {
    const text = '---\n# header\n\na: 1\n---\n# nothing here\n---\n---\n\n---\nb: 2\n'
    assert.deepEqual(summary(text), [
      {text: '# header\n\na: 1\n', lineOffset: 1, first: 3},
      {text: 'b: 2\n', lineOffset: 10, first: 10},
    ])
  })

  it('accepts comments and spaces after the separator', () => {
    const text = 'a: 1\n--- # second\nb: 2\n---   \nc: 3\n---#x\nd: 4\n'
    assert.deepEqual(
      summary(text).map((c) => c.text),
      ['a: 1\n', 'b: 2\n', 'c: 3\n', 'd: 4\n'],
    )
    assert.ok(summary(text).every((c) => c.bad === undefined))
  })

  it('flags a separator with content after it, as kubectl refuses it', () => {
    const chunks = summary('a: 1\n--- {b: 2}\nc: 3\n----\nd: 4\n')
    assert.deepEqual(chunks[1].bad, {line: 2, trailing: '{b: 2}'})
    assert.deepEqual(chunks[2].bad, {line: 4, trailing: '-'})
  })

  it('ends a document at `...` and ignores what follows up to the next separator', () => {
    const chunks = summary('a: 1\n...\nignored: true\n---\nb: 2\n... # end\n')
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['a: 1\n', 'b: 2\n'],
    )
  })

  it('does not take `...text` or indented markers for markers', () => {
    const chunks = summary('a: |\n  ---\n  ...\nb: ...x\n')
    assert.equal(chunks.length, 1)
  })

  it('handles CRLF line endings', () => {
    const chunks = summary('a: 1\r\n---\r\nb: 2\r\n--- \r\nc: 3\r\n')
    assert.deepEqual(
      chunks.map((c) => [c.text, c.lineOffset]),
      [
        ['a: 1\r\n', 0],
        ['b: 2\r\n', 2],
        ['c: 3\r\n', 4],
      ],
    )
  })

  it('returns nothing for an empty or comment-only stream', () => {
    assert.deepEqual(summary(''), [])
    assert.deepEqual(summary('# just\n---\n# comments\n\n'), [])
  })

  it('keeps a final document without a trailing newline', () => {
    assert.deepEqual(summary('a: 1\n---\nb: 2'), [
      {text: 'a: 1\n', lineOffset: 0, first: 0},
      {text: 'b: 2', lineOffset: 2, first: 2},
    ])
  })
})
