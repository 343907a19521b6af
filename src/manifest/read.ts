// readManifests: everything kubectl's `-f` accepts, read into objects plus a list of problems, going
// on past bad files and documents so that validation can report all of them in one run.
import {promises as fs} from 'node:fs'
import {decodeInput} from './decode.js'
import {expandInputs, type InputEntry, osErrorText, STDIN_SOURCE} from './inputs.js'
import {parseManifestText} from './parse.js'
import type {ManifestProblem, ManifestReadResult, ReadManifestsOptions} from './types.js'
import {defaultFetch, readUrl} from './url.js'

// Files are read a few ahead of the one being parsed, so disk waits overlap parsing.
const READ_AHEAD = 8
const DEFAULT_HTTP_ATTEMPTS = 3
const DEFAULT_HTTP_RETRY_DELAY_MS = 1000

type SourceRead = {source: string; bytes: Uint8Array} | {source: string; problem: ManifestProblem}

export async function readManifests(inputs: string[], opts: ReadManifestsOptions = {}): Promise<ManifestReadResult> {
  return readEntries(await expandInputs(inputs, opts.recursive ?? false), opts)
}

/** Reads inputs already expanded by expandInputs (validate splits them between worker threads). */
export async function readEntries(entries: readonly InputEntry[], opts: ReadManifestsOptions = {}): Promise<ManifestReadResult> {
  const result: ManifestReadResult = {objects: [], problems: [], sources: []}
  const pending = new Map<number, Promise<SourceRead>>()
  const startRead = (i: number) => {
    const entry = entries[i]
    if (entry !== undefined && entry.type !== 'problem' && !pending.has(i)) pending.set(i, readEntry(entry, opts))
  }
  for (let i = 0; i < entries.length; i++) {
    for (let k = i; k < i + READ_AHEAD; k++) startRead(k)
    const entry = entries[i]
    if (entry.type === 'problem') {
      result.problems.push(entry.problem)
      continue
    }
    const read = await (pending.get(i) as Promise<SourceRead>)
    pending.delete(i)
    result.sources.push(read.source)
    if ('problem' in read) {
      result.problems.push(read.problem)
      continue
    }
    parseSource(read.source, read.bytes, opts.strict ?? false, result)
  }
  return result
}

function parseSource(source: string, bytes: Uint8Array, strict: boolean, result: ManifestReadResult): void {
  const decoded = decodeInput(bytes)
  if ('binary' in decoded) {
    result.problems.push({source, line: decoded.line, kind: 'binary', message: decoded.binary})
    return
  }
  if (parseManifestText(decoded.text, source, strict, result)) return
  const what = source === STDIN_SOURCE ? 'standard input' : 'the file'
  result.problems.push({
    source,
    kind: 'empty',
    message:
      decoded.text.trim() === ''
        ? `no objects found: ${what} is empty`
        : `no objects found: ${what} holds only comments, document separators or empty documents`,
  })
}

async function readEntry(entry: Exclude<InputEntry, {type: 'problem'}>, opts: ReadManifestsOptions): Promise<SourceRead> {
  switch (entry.type) {
    case 'file':
      try {
        return {source: entry.path, bytes: await fs.readFile(entry.path)}
      } catch (err) {
        const op = (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open'
        return {source: entry.path, problem: {source: entry.path, kind: 'unreadable', message: osErrorText(op, entry.path, err)}}
      }
    case 'stdin':
      try {
        return {source: STDIN_SOURCE, bytes: await readStream(opts.stdin ?? process.stdin)}
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        return {source: STDIN_SOURCE, problem: {source: STDIN_SOURCE, kind: 'unreadable', message: `reading standard input: ${reason}`}}
      }
    case 'url': {
      const read = await readUrl(
        entry.url,
        opts.fetch ?? defaultFetch,
        opts.httpAttempts ?? DEFAULT_HTTP_ATTEMPTS,
        opts.httpRetryDelayMs ?? DEFAULT_HTTP_RETRY_DELAY_MS,
      )
      if ('error' in read) return {source: entry.url, problem: {source: entry.url, kind: 'unreadable', message: read.error}}
      return {source: entry.url, bytes: read.bytes}
    }
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}
