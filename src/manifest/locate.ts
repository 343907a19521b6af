// Maps a field path of a read object back to a line of its file, for error messages. Used only when
// something is reported (and for the lines of List items), so it can afford the `yaml` package's tree.
import {type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Pair} from 'yaml'
import {resolveScalar} from './scalars.js'
import type {ManifestObject} from './types.js'

export type FieldPath = readonly (string | number)[]

interface ParsedText {
  doc: Document
  lines: LineCounter
}

// Validation usually reports several fields of one document in a row; a few parsed texts are kept.
const CACHE_SIZE = 16
const cache = new Map<string, ParsedText>()

function parsed(text: string): ParsedText {
  const hit = cache.get(text)
  if (hit !== undefined) {
    cache.delete(text)
    cache.set(text, hit)
    return hit
  }
  const lines = new LineCounter()
  // The failsafe schema keeps every scalar as its source text, so keys can be resolved exactly as
  // the reader resolved them (kubectl's YAML 1.1 rules) rather than by this package's rules.
  const doc = parseDocument(text, {lineCounter: lines, schema: 'failsafe', uniqueKeys: false, prettyErrors: false})
  cache.set(text, {doc, lines})
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  return {doc, lines}
}

/** Where the walk along a path stopped: the line (in the text) of the deepest node found. */
export interface TextPosition {
  line: number
  /** How many leading segments of the path were found. */
  matched: number
}

/** Finds the deepest existing node along `path` in one document's text; undefined for an empty document. */
export function findInText(text: string, path: FieldPath): TextPosition | undefined {
  const {doc, lines} = parsed(text)
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lines.linePos(node.range[0]).line : undefined
  let node = doc.contents as Node | null
  const rootLine = lineOf(node)
  if (rootLine === undefined) return undefined
  let found: TextPosition = {line: rootLine, matched: 0}
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc) ?? null
    const segment = path[i]
    let next: Node | null | undefined
    let line: number | undefined
    if (isMap(node)) {
      const pair = findPair(doc, node.items as Pair<Node | null, Node | null>[], String(segment), 0)
      if (pair === undefined) break
      next = pair.value
      // A field is reported at its key: for `containers:` followed by a block, that is the line naming it.
      line = lineOf(pair.key) ?? lineOf(pair.value)
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment] as Node | null | undefined
      if (next === undefined) break
      line = lineOf(next)
    } else {
      break
    }
    found = {line: line ?? found.line, matched: i + 1}
    node = next ?? null
  }
  return found
}

const MAX_MERGE_DEPTH = 20

function findPair(
  doc: Document,
  pairs: Pair<Node | null, Node | null>[],
  key: string,
  depth: number,
): Pair<Node | null, Node | null> | undefined {
  // With repeated keys the last one is the value the reader kept.
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (keyText(pairs[i].key) === key) return pairs[i]
  }
  if (depth >= MAX_MERGE_DEPTH) return undefined
  // Keys written in the map win over merged ones; among merged maps the first listed wins.
  for (const pair of pairs) {
    if (!isMergeKey(pair.key)) continue
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value]
    for (let source of sources as (Node | null)[]) {
      if (isAlias(source)) source = source.resolve(doc) ?? null
      if (!isMap(source)) continue
      const hit = findPair(doc, source.items as Pair<Node | null, Node | null>[], key, depth + 1)
      if (hit !== undefined) return hit
    }
  }
  return undefined
}

function keyText(key: Node | null): string | undefined {
  if (!isScalar(key)) return undefined
  const text = String(key.value)
  return key.type === 'PLAIN' && key.tag === undefined ? String(resolveScalar(text)) : text
}

function isMergeKey(key: Node | null): boolean {
  return isScalar(key) && key.type === 'PLAIN' && key.value === '<<'
}

/**
 * The 1-based file line of the deepest existing node along `path`, falling back to the nearest
 * existing ancestor and then to the document's (for a List item: the item's) line. The path starts
 * at the root of the document's text, so a field of a List item is found under its `doc.itemPath`
 * (['items', i, ...field]); flow style and JSON documents work the same way.
 */
export function locateLine(doc: Pick<ManifestObject, 'text' | 'lineOffset' | 'line'>, path: FieldPath): number {
  const found = findInText(doc.text, path)
  if (found === undefined || found.matched === 0) return doc.line
  return doc.lineOffset + found.line
}

const PLAIN_FIELD = /^[A-Za-z_$][\w$-]*$/

/** `spec.template.spec.containers[0].ports[1].name`; keys that are not plain names go in brackets. */
export function formatFieldPath(path: FieldPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (PLAIN_FIELD.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${segment}]`
  }
  return out
}
