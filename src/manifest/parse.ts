// Turns the text of one manifest input into objects and problems: YAML documents or a JSON stream,
// each document checked for the kind and apiVersion kubectl needs, and Lists flattened.
import {YAMLException} from 'js-yaml'
import {goJson} from './gojson.js'
import {looksLikeJson, readJsonStream} from './json-stream.js'
import {findInText, formatFieldPath} from './locate.js'
import {splitYamlDocuments} from './split.js'
import type {ManifestObject, ManifestProblem} from './types.js'
import {unshareAliases} from './unshare.js'
import {loadYamlDocument} from './yaml-schema.js'

export interface ParseSink {
  objects: ManifestObject[]
  problems: ManifestProblem[]
}

interface DocumentMeta {
  source: string
  documentIndex: number
  line: number
  text: string
  lineOffset: number
}

/** Parses one input's text into `sink`; false when it held no document at all (empty input). */
export function parseManifestText(text: string, source: string, strict: boolean, sink: ParseSink): boolean {
  return looksLikeJson(text) ? parseJson(text, source, strict, sink) : parseYaml(text, source, strict, sink)
}

function parseYaml(text: string, source: string, strict: boolean, sink: ParseSink): boolean {
  let documentIndex = 0
  let sawDocument = false
  for (const chunk of splitYamlDocuments(text)) {
    if (chunk.badSeparator !== undefined) {
      sawDocument = true
      sink.problems.push({
        source,
        line: chunk.badSeparator.line,
        documentIndex: documentIndex++,
        kind: 'yaml',
        message: `invalid Yaml document separator: ${chunk.badSeparator.trailing}`,
      })
      continue
    }
    let loaded
    try {
      loaded = loadYamlDocument(chunk.text, strict)
    } catch (err) {
      if (!(err instanceof YAMLException)) throw err
      sawDocument = true
      sink.problems.push({
        source,
        line: chunk.lineOffset + errorLine(err, chunk.text),
        documentIndex: documentIndex++,
        kind: 'yaml',
        message: yamlMessage(err),
      })
      continue
    }
    // kubectl drops documents that decode to nothing (`~`, `null`, only a tag-less empty node).
    if (loaded.value === null || loaded.value === undefined) continue
    sawDocument = true
    const doc: DocumentMeta = {
      source,
      documentIndex: documentIndex++,
      line: chunk.firstContentLine + 1,
      text: chunk.text,
      lineOffset: chunk.lineOffset,
    }
    if (loaded.nonFinite && reportNonFinite(loaded.value, doc, sink)) continue
    let value: unknown = loaded.value
    if (chunk.text.includes('*')) {
      const unshared = unshareAliases(value)
      if (!unshared.ok) {
        sink.problems.push(problem(doc, doc.line, 'yaml', unshared.message))
        continue
      }
      value = unshared.value
    }
    acceptDocument(value, doc, () => goJson(value), sink)
  }
  return sawDocument
}

function parseJson(text: string, source: string, strict: boolean, sink: ParseSink): boolean {
  const stream = readJsonStream(text)
  const lines = new LineFinder(text)
  let documentIndex = 0
  let sawDocument = false
  for (const entry of stream.values) {
    if (entry.value === null) continue
    sawDocument = true
    const line = lines.lineAt(entry.start)
    const doc: DocumentMeta = {source, documentIndex: documentIndex++, line, text: entry.text, lineOffset: line - 1}
    if (strict) {
      const duplicate = duplicateKeyIn(entry.text)
      if (duplicate !== undefined) {
        sink.problems.push(problem(doc, doc.lineOffset + duplicate.line, 'yaml', duplicate.message))
        continue
      }
    }
    acceptDocument(entry.value, doc, () => entry.text, sink)
  }
  if (stream.error !== undefined) {
    sawDocument = true
    sink.problems.push({
      source,
      line: lines.lineAt(stream.error.offset),
      documentIndex,
      kind: 'yaml',
      message: stream.error.message,
    })
  }
  return sawDocument
}

/** JSON.parse keeps the last of repeated keys silently; strict reading wants them reported. */
function duplicateKeyIn(json: string): {line: number; message: string} | undefined {
  try {
    loadYamlDocument(json, true)
  } catch (err) {
    if (err instanceof YAMLException && err.reason === 'duplicated mapping key') {
      return {line: err.mark.line + 1, message: yamlMessage(err)}
    }
  }
  return undefined
}

/**
 * 1-based line in `text` of a js-yaml error. Errors found at the end of the input (an unclosed
 * bracket or quote) are put on the document's last non-blank line, not on the separator after it.
 */
function errorLine(err: YAMLException, text: string): number {
  const end = text.trimEnd().length
  if (err.mark.position < end) return err.mark.line + 1
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++
  return line
}

const KEY_AT = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\n]*?))[ \t]*:(?:[ \t\r\n]|$)/

function yamlMessage(err: YAMLException): string {
  if (err.reason !== 'duplicated mapping key') return err.reason
  // js-yaml points at the repeated key; name it, as a reader of the message needs the name.
  const m = KEY_AT.exec(err.mark.buffer.slice(err.mark.position, err.mark.position + 400))
  if (m === null) return 'duplicate key'
  const key = m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2] !== undefined ? m[2].replaceAll("''", "'") : m[3]
  return `duplicate key ${JSON.stringify(key)}`
}

function reportNonFinite(value: unknown, doc: DocumentMeta, sink: ParseSink): boolean {
  const found = findNonFinite(value, [])
  if (found === undefined) return false
  const at = findInText(doc.text, found.path)
  const spelled = Number.isNaN(found.value) ? 'NaN' : found.value > 0 ? '+Inf' : '-Inf'
  sink.problems.push(
    problem(
      doc,
      at === undefined ? doc.line : doc.lineOffset + at.line,
      'yaml',
      // kubectl converts every document to JSON, which has no NaN or infinities.
      `error converting YAML to JSON: json: unsupported value: ${spelled} (at ${formatFieldPath(found.path) || 'the top level'})`,
    ),
  )
  return true
}

function findNonFinite(value: unknown, path: (string | number)[]): {path: (string | number)[]; value: number} | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : {path, value}
  if (typeof value !== 'object' || value === null) return undefined
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>)
  for (const [key, child] of entries) {
    const hit = findNonFinite(child, [...path, key])
    if (hit !== undefined) return hit
  }
  return undefined
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== ''

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'boolean') return 'bool'
  return typeof value
}

function problem(doc: DocumentMeta, line: number, kind: ManifestProblem['kind'], message: string): ManifestProblem {
  return {source: doc.source, line, documentIndex: doc.documentIndex, kind, message}
}

/**
 * Checks a decoded document and adds it (or, for a List, its items) to the sink. `json` gives the
 * document's JSON text for kubectl's missing-kind messages, built only when one is needed.
 */
function acceptDocument(
  value: unknown,
  doc: DocumentMeta,
  json: () => string,
  sink: ParseSink,
  item?: {path: (string | number)[]; index: number; line: number},
): void {
  const line = item?.line ?? doc.line
  if (!isRecord(value)) {
    sink.problems.push(
      problem(doc, line, 'notobject', `json: cannot unmarshal ${goTypeName(value)} into Go value of type map[string]interface {}`),
    )
    return
  }
  if (!isNonEmptyString(value.kind)) {
    sink.problems.push(problem(doc, line, 'nokind', `Object 'Kind' is missing in '${json()}'`))
    return
  }
  if (!isNonEmptyString(value.apiVersion)) {
    sink.problems.push(problem(doc, line, 'noapiversion', `Object 'apiVersion' is missing in '${json()}'`))
    return
  }
  // kubectl decodes anything with an `items` array as a list and visits the items instead.
  if (Array.isArray(value.items)) {
    flattenList(value, value.items, doc, sink, item?.path ?? [], item?.index)
    return
  }
  const object: ManifestObject = {
    object: value,
    source: doc.source,
    documentIndex: doc.documentIndex,
    line,
    text: doc.text,
    lineOffset: doc.lineOffset,
  }
  if (item !== undefined) {
    object.itemIndex = item.index
    object.itemPath = item.path
  }
  sink.objects.push(object)
}

function flattenList(
  list: Record<string, unknown>,
  items: unknown[],
  doc: DocumentMeta,
  sink: ParseSink,
  listPath: (string | number)[],
  topIndex: number | undefined,
): void {
  const listKind = list.kind as string
  // Typed lists (PodList) leave kind and apiVersion off their items; kubectl fills them in.
  const itemKind = listKind.endsWith('List') ? listKind.slice(0, -4) : listKind
  for (let i = 0; i < items.length; i++) {
    const path = [...listPath, 'items', i]
    const at = findInText(doc.text, path)
    let value = items[i]
    if (isRecord(value) && !isNonEmptyString(value.kind) && !isNonEmptyString(value.apiVersion) && itemKind !== '') {
      value = {apiVersion: list.apiVersion, kind: itemKind, ...value}
    }
    const itemValue = value
    acceptDocument(itemValue, doc, () => goJson(itemValue), sink, {
      path,
      index: topIndex ?? i,
      line: at !== undefined && at.matched === path.length ? doc.lineOffset + at.line : doc.line,
    })
  }
}

/** Line numbers for offsets visited in increasing order, without rescanning from the start. */
class LineFinder {
  private offset = 0
  private line = 1

  constructor(private readonly text: string) {}

  lineAt(target: number): number {
    if (target < this.offset) {
      this.offset = 0
      this.line = 1
    }
    for (let i = this.text.indexOf('\n', this.offset); i >= 0 && i < target; i = this.text.indexOf('\n', i + 1)) {
      this.line++
      this.offset = i + 1
    }
    return this.line
  }
}
