// JSON patch (RFC 6902) on fast-json-patch: the operations are validated before anything is applied, the
// input document is never modified, and failures name the operation with json-patch's (the server's) wording.
import jsonpatch from 'fast-json-patch'
import type {Operation} from 'fast-json-patch'
import {deepClone, hasKey, isMap} from './json-value.js'

export type JsonPatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'

export interface JsonPatchOperation {
  readonly op: JsonPatchOp
  readonly path: string
  readonly value?: unknown
  readonly from?: string
}

/** A malformed JSON patch, or an operation that does not apply to the document. */
export class JsonPatchError extends Error {
  /** Position of the failing operation in the patch, when one failed. */
  readonly index: number | undefined
  readonly operation: unknown
  /** The failing operation's path, when it has one. */
  readonly path: string | undefined
  /** The patch itself is invalid (as opposed to not applying to this document). */
  readonly malformed: boolean
  /** What went wrong, without the operation: json-patch's message for operations that do not apply. */
  readonly detail: string

  constructor(detail: string, opts: {index?: number; operation?: unknown; malformed: boolean}) {
    super(describe(detail, opts))
    this.name = 'JsonPatchError'
    this.detail = detail
    this.index = opts.index
    this.operation = opts.operation
    this.path = isMap(opts.operation) && typeof opts.operation.path === 'string' ? opts.operation.path : undefined
    this.malformed = opts.malformed
  }
}

const REJECTED = 'the server rejected our request due to an error in our request'

function describe(detail: string, opts: {index?: number; operation?: unknown; malformed: boolean}): string {
  const where = opts.index === undefined ? '' : `operation ${opts.index}${operationLabel(opts.operation)}`
  if (opts.malformed) return where ? `${REJECTED}: invalid JSON patch ${where}: ${detail}` : `${REJECTED}: ${detail}`
  return `JSON patch ${where} failed: ${detail}`
}

function operationLabel(operation: unknown): string {
  if (!isMap(operation)) return ''
  const op = typeof operation.op === 'string' ? operation.op : '?'
  return typeof operation.path === 'string' ? ` (${op} ${operation.path || '""'})` : ` (${op})`
}

const OPS: readonly string[] = ['add', 'remove', 'replace', 'move', 'copy', 'test']

/** Checks the shape of every operation; returns them typed. Throws a malformed JsonPatchError. */
export function validateJsonPatch(ops: unknown): JsonPatchOperation[] {
  if (!Array.isArray(ops)) {
    throw new JsonPatchError('a JSON patch must be a list of operations', {malformed: true})
  }
  return ops.map((operation, index) => {
    const problem = operationProblem(operation)
    if (problem) throw new JsonPatchError(problem, {index, operation, malformed: true})
    return operation as JsonPatchOperation
  })
}

function operationProblem(operation: unknown): string | undefined {
  if (!isMap(operation)) return 'an operation must be an object'
  const {op, path} = operation
  if (typeof op !== 'string') return 'missing "op"'
  if (!OPS.includes(op)) return `unsupported operation "${op}"`
  if (typeof path !== 'string') return 'missing "path"'
  if (path !== '' && !path.startsWith('/')) return `"path" must be a JSON pointer starting with "/": ${path}`
  if (op === 'move' || op === 'copy') {
    if (typeof operation.from !== 'string') return 'missing "from"'
    if (operation.from !== '' && !operation.from.startsWith('/')) {
      return `"from" must be a JSON pointer starting with "/": ${operation.from}`
    }
  }
  if ((op === 'add' || op === 'replace' || op === 'test') && (!hasKey(operation, 'value') || operation.value === undefined)) {
    return 'missing "value"'
  }
  if (op === 'move' && typeof operation.from === 'string' && path.startsWith(`${operation.from}/`)) {
    return `cannot move ${operation.from} into its own child ${path}`
  }
  return undefined
}

/** Applies a JSON patch to a copy of the document and returns the copy. Throws JsonPatchError. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = validateJsonPatch(ops)
  let document = deepClone(doc)
  operations.forEach((operation, index) => {
    const problem = applicationProblem(document, operation)
    if (problem) throw new JsonPatchError(problem, {index, operation, malformed: false})
    document = applyOne(document, operation, index)
  })
  return document
}

function applyOne(document: unknown, operation: JsonPatchOperation, index: number): unknown {
  try {
    return jsonpatch.applyOperation(document, deepClone(operation) as Operation, true, true, true, index).newDocument
  } catch (err) {
    if (err instanceof jsonpatch.JsonPatchError) {
      throw new JsonPatchError(err.name === 'TEST_OPERATION_FAILED' ? testFailed(operation.path) : err.message, {
        index,
        operation,
        malformed: false,
      })
    }
    if (err instanceof TypeError) throw new JsonPatchError(err.message, {index, operation, malformed: true})
    throw err
  }
}

function testFailed(path: string): string {
  return `testing value ${path} failed: test failed`
}

// ---------------------------------------------------------------------------------------------
// Checks against the document, so that failures read like the API server's (evanphx/json-patch).

function applicationProblem(document: unknown, operation: JsonPatchOperation): string | undefined {
  const {op, path} = operation
  if (op === 'move' || op === 'copy') {
    const from = operation.from ?? ''
    if (op === 'move' && from === '') return 'unable to move entire document to another path: invalid operation'
    if (!exists(document, from)) {
      return op === 'move'
        ? `move operation does not apply: doc is missing from path: ${from}: missing value`
        : `copy operation does not apply: doc is missing from path: "${from}": missing value`
    }
  }
  if (path === '') return op === 'remove' ? `remove operation does not apply: doc is missing path: "": missing value` : undefined
  const parent = resolve(document, parentPointer(path))
  const key = lastToken(path)
  if (!parent.found || (!isMap(parent.value) && !Array.isArray(parent.value))) return missingPath(op, path)
  if (Array.isArray(parent.value)) return arrayIndexProblem(parent.value, key, op, path)
  if (op !== 'add' && op !== 'move' && op !== 'copy' && op !== 'test' && !hasKey(parent.value, key)) {
    return missingPath(op, path)
  }
  return undefined
}

function missingPath(op: JsonPatchOp, path: string): string {
  switch (op) {
    case 'add':
    case 'remove':
      return `${op} operation does not apply: doc is missing path: "${path}": missing value`
    case 'replace':
      return `replace operation does not apply: doc is missing key: ${path}: missing value`
    case 'test':
      return `test operation does not apply: is missing path: ${path}: missing value`
    default:
      return `${op} operation does not apply: doc is missing destination path: ${path}: missing value`
  }
}

function arrayIndexProblem(list: unknown[], key: string, op: JsonPatchOp, path: string): string | undefined {
  const adds = op === 'add' || op === 'move' || op === 'copy'
  if (key === '-' && adds) return undefined
  const index = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1
  const limit = adds ? list.length : list.length - 1
  if (index >= 0 && index <= limit) return undefined
  if (op === 'test') return testFailed(path)
  return `error in ${op} for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`
}

function exists(document: unknown, pointer: string): boolean {
  return resolve(document, pointer).found
}

function parentPointer(path: string): string {
  return path.slice(0, path.lastIndexOf('/'))
}

function lastToken(path: string): string {
  return unescapeToken(path.slice(path.lastIndexOf('/') + 1))
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** Follows an RFC 6901 pointer. */
function resolve(document: unknown, pointer: string): {found: boolean; value: unknown} {
  if (pointer === '') return {found: true, value: document}
  let value = document
  for (const token of pointer.slice(1).split('/').map(unescapeToken)) {
    if (Array.isArray(value)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= value.length) return {found: false, value: undefined}
      value = value[Number(token)]
    } else if (isMap(value) && hasKey(value, token)) {
      value = value[token]
    } else {
      return {found: false, value: undefined}
    }
  }
  return {found: true, value}
}
