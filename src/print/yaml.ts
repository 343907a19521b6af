// `kubectl -o yaml` output for JSON-like values: the object goes through Go's encoding/json and
// then sigs.k8s.io/yaml (go-yaml v2), and toYaml reproduces the text of that pipeline exactly.

import {compareYamlKeys} from './yaml-keys.js'
import {YamlEmitter, type NodeContext, type ScalarStyle} from './yaml-emitter.js'
import {canBePlain, formatBigInt, formatNumber} from './yaml-scalar.js'

export {compareYamlKeys, yamlKeyLess} from './yaml-keys.js'
export {formatGoFloat, formatNumber, isYamlTimestamp, resolvesToNonString} from './yaml-scalar.js'

/**
 * kubectl itself fails on some inputs, because its YAML printer re-reads Go's JSON text with go-yaml
 * first; the message is go-yaml's. See readBackError for the cases.
 */
export class YamlPrintError extends Error {
  override name = 'YamlPrintError'
}

const ROOT: NodeContext = {mapping: false, simpleKey: false}
const IN_SEQUENCE: NodeContext = {mapping: false, simpleKey: false}
const IN_MAPPING: NodeContext = {mapping: true, simpleKey: false}

const NEL = '\u0085'
/** Reports that go-yaml could not read back the JSON of the value being printed (throws). */
type Fail = () => never
/** Characters whose trip through encoding/json and back through go-yaml is not the identity. */
const NEEDS_JSON_CARE = /[\u007f-\u009f\ufffe\uffff\ud800-\udfff]/
/** Characters Go's JSON encoder leaves raw but go-yaml's reader refuses. */
const REJECTED_BY_READER = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/
/** go-yaml stops treating a flow scalar as a possible key once ':' is over 1024 characters away. */
const MAX_FLOW_KEY_CHARS = 1024
/** No key this long (in UTF-16 units) can reach that limit, whatever its escapes. */
const SHORT_KEY = Math.floor((MAX_FLOW_KEY_CHARS - 2) / 6)

/** Length in characters of Go's encoding/json spelling of `s`, quotes included. */
function goJsonLength(s: string): number {
  let n = 2
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (c === 0x22 || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c) n += 2
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) n += 6
    else n += 1
  }
  return n
}

function isUnusableKey(key: string): boolean {
  return key.includes(NEL) || (key.length > SHORT_KEY && goJsonLength(key) > MAX_FLOW_KEY_CHARS)
}

/** Go's sort.Strings order (UTF-8 bytes), which is code point order; encoding/json sorts map keys so. */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
}

/** A document marker right after a raw NEL (so at column 0) ends the JSON document early. */
const DOCUMENT_MARKER_AFTER_NEL = /\u0085(?=(?:---|\.\.\.)[ \u0085])/

/**
 * The error go-yaml reports when it reads back Go's JSON for `root`, scanning in JSON order (map
 * keys sorted) and counting lines the way it does: every raw NEL starts a new line. Cases:
 * characters its reader rejects (DEL, C1 controls but NEL, U+FFFE, U+FFFF); "---" or "..." plus a
 * blank right after a NEL inside a string; and a key that contains a NEL or whose JSON spelling
 * exceeds 1024 characters, which stops it from being read as a key.
 */
export function readBackError(root: unknown): YamlPrintError | undefined {
  let line = 0
  const visitString = (s: string, isKey: boolean): YamlPrintError | undefined => {
    const rejected = REJECTED_BY_READER.exec(s)
    const marker = DOCUMENT_MARKER_AFTER_NEL.exec(s)
    if (rejected && (!marker || rejected.index < marker.index)) {
      return new YamlPrintError('yaml: control characters are not allowed')
    }
    if (marker) {
      const before = s.slice(0, marker.index + 1).split(NEL).length - 1
      return new YamlPrintError(`yaml: line ${line + before + 1}: found unexpected document indicator`)
    }
    line += s.split(NEL).length - 1
    if (isKey && isUnusableKey(s)) {
      return new YamlPrintError(`yaml: ${line > 0 ? `line ${line}: ` : ''}did not find expected ',' or '}'`)
    }
    return undefined
  }
  const walk = (v: unknown): YamlPrintError | undefined => {
    if (typeof v === 'string') return visitString(v, false)
    if (typeof v !== 'object' || v === null) return undefined
    if (Array.isArray(v)) {
      for (const item of v) {
        const err = walk(item)
        if (err) return err
      }
      return undefined
    }
    if (hasToJson(v)) return walk(v.toJSON())
    const obj = v as Record<string, unknown>
    for (const key of Object.keys(obj).sort(compareCodePoints)) {
      if (isJsonOmitted(obj[key])) continue
      const err = visitString(key, true) ?? walk(obj[key])
      if (err) return err
    }
    return undefined
  }
  return walk(root)
}

/**
 * What a string looks like after sigs.k8s.io/yaml parses Go's JSON for it. Go writes U+0085 (NEL)
 * unescaped, and YAML treats it as a line break inside the double-quoted scalar, folding it (with
 * the spaces around it) into one space, or n-1 newlines for n of them. Unpaired surrogates are
 * invalid UTF-8 by the time Go sees them, and it substitutes U+FFFD. Calls `fail` where go-yaml
 * cannot read the string back at all.
 */
function throughJson(s: string, fail: Fail): string {
  if (!NEEDS_JSON_CARE.test(s)) return s
  if (REJECTED_BY_READER.test(s)) fail()
  let text = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    text += c >= 0xd800 && c <= 0xdfff ? '\ufffd' : ch
  }
  if (!text.includes(NEL)) return text
  if (DOCUMENT_MARKER_AFTER_NEL.test(text)) fail()
  return text.replace(/[ \u0085]*\u0085[ \u0085]*/g, (run: string) => {
    const breaks = run.split(NEL).length - 1
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)
  })
}

/** encoder.stringv: literal for text with newlines, plain if it reads back as itself, else quoted. */
function requestedStyle(s: string): ScalarStyle {
  if (s.includes('\n')) return 'literal'
  return canBePlain(s) ? 'plain' : 'double'
}

/** JSON.stringify leaves these out of objects and turns them into null inside arrays. */
function isJsonOmitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol'
}

function hasToJson(v: object): v is {toJSON: () => unknown} {
  return typeof (v as {toJSON?: unknown}).toJSON === 'function'
}

function emitValue(e: YamlEmitter, v: unknown, ctx: NodeContext, fail: Fail): void {
  switch (typeof v) {
    case 'string': {
      const s = throughJson(v, fail)
      e.scalar(s, requestedStyle(s), ctx)
      return
    }
    case 'number':
      e.scalar(formatNumber(v), 'plain', ctx)
      return
    case 'bigint':
      e.scalar(formatBigInt(v), 'plain', ctx)
      return
    case 'boolean':
      e.scalar(v ? 'true' : 'false', 'plain', ctx)
      return
    case 'object':
      if (v === null) break
      if (Array.isArray(v)) {
        emitSequence(e, v, ctx, fail)
        return
      }
      if (hasToJson(v)) {
        emitValue(e, v.toJSON(), ctx, fail)
        return
      }
      emitMapping(e, v as Record<string, unknown>, fail)
      return
  }
  e.scalar('null', 'plain', ctx)
}

function emitSequence(e: YamlEmitter, items: readonly unknown[], ctx: NodeContext, fail: Fail): void {
  if (items.length === 0) {
    e.emptyCollection('[', ']')
    return
  }
  e.beginSequence(ctx)
  for (const item of items) {
    e.sequenceItem()
    emitValue(e, isJsonOmitted(item) ? null : item, IN_SEQUENCE, fail)
  }
  e.endCollection()
}

function emitMapping(e: YamlEmitter, obj: Record<string, unknown>, fail: Fail): void {
  const entries: Array<[string, unknown]> = []
  for (const key of Object.keys(obj)) {
    const value = obj[key]
    if (isJsonOmitted(value)) continue
    if (isUnusableKey(key)) fail()
    entries.push([throughJson(key, fail), value])
  }
  if (entries.length === 0) {
    e.emptyCollection('{', '}')
    return
  }
  entries.sort((a, b) => compareYamlKeys(a[0], b[0]))
  e.beginMapping()
  for (const [key, value] of entries) {
    e.mappingKey(key, requestedStyle(key))
    emitValue(e, value, IN_MAPPING, fail)
  }
  e.endCollection()
}

/**
 * Renders `value` (anything JSON.stringify accepts) exactly as `kubectl -o yaml` prints the same
 * JSON: keys in go-yaml's natural order, go-yaml's quoting, folding at 80 columns and block
 * scalars. Throws YamlPrintError where kubectl errors out instead of printing.
 */
export function toYaml(value: unknown): string {
  const e = new YamlEmitter()
  // The checks along the way only notice that there is an error; which one kubectl reports, and
  // at which line, depends on everything before it in JSON order.
  const fail: Fail = () => {
    throw readBackError(value) ?? new YamlPrintError('yaml: unreadable JSON')
  }
  emitValue(e, value, ROOT, fail)
  e.endDocument()
  return e.result()
}
