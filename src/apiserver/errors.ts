// API errors as metav1.Status objects with the real reasons, codes and message texts, so that
// kubectl (and kube2) print exactly what they print against a real cluster.
import {formatProblem, type Problem} from '../schema/problems.js'

export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  uid?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, unknown>
  status: 'Success' | 'Failure'
  message?: string
  reason?: string
  details?: StatusDetails
  code: number
}

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error')
    this.name = 'ApiError'
  }

  get code(): number {
    return this.status.code
  }

  get reason(): string | undefined {
    return this.status.reason
  }
}

/** `deployments.apps`, or `pods` for the core group: how the apiserver names a resource in messages. */
export interface GroupResource {
  group: string
  resource: string
}

export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  const s: Status = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code}
  if (details) s.details = details
  return new ApiError(s)
}

export function successStatus(details?: StatusDetails): Status {
  const s: Status = {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200}
  if (details) s.details = details
  return s
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, {name, group: gr.group || undefined, kind: gr.resource})
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, {name, group: gr.group || undefined, kind: gr.resource})
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {name, group: gr.group || undefined, kind: gr.resource})
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again'

/** 422: `Deployment.apps "web" is invalid: [spec.replicas: Invalid value: ..., ...]` with one cause per problem. */
export function invalid(kind: string, group: string, name: string, problems: Problem[]): ApiError {
  const messages = [...new Set(problems.map(formatProblem))]
  const list = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`
  const qualifiedKind = group ? `${kind}.${group}` : kind
  const causes = problems.map((p) => {
    const text = formatProblem(p)
    const field = text.slice(0, Math.max(0, text.indexOf(': ')))
    return {reason: causeReason(p.type), message: text.slice(field.length + 2), field}
  })
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {name, group: group || undefined, kind, causes})
}

function causeReason(type: Problem['type']): string {
  switch (type) {
    case 'Required value': return 'FieldValueRequired'
    case 'Unsupported value': return 'FieldValueNotSupported'
    case 'Duplicate value': return 'FieldValueDuplicate'
    case 'Forbidden': return 'FieldValueForbidden'
    case 'Too long': return 'FieldValueTooLong'
    case 'Too many': return 'FieldValueTooMany'
    case 'Not found': return 'FieldValueNotFound'
    default: return 'FieldValueInvalid'
  }
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message)
}

export function forbidden(gr: GroupResource, name: string, why: string): ApiError {
  const what = name ? `${qualified(gr)} "${name}"` : qualified(gr)
  return failure(403, 'Forbidden', `${what} is forbidden: ${why}`, {name: name || undefined, group: gr.group || undefined, kind: gr.resource})
}

export function methodNotSupported(gr: GroupResource, verb: string): ApiError {
  return failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(gr)}"`, {group: gr.group || undefined, kind: gr.resource})
}

export function notFoundPath(message = 'the server could not find the requested resource'): ApiError {
  return failure(404, 'NotFound', message, {})
}

export function unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {causes: [{reason: 'UnexpectedServerResponse', message: contentType}]})
}

/** 410: a watch or list from a compacted resourceVersion. */
export function gone(message: string): ApiError {
  return failure(410, 'Expired', message)
}

export function tooManyRequests(message: string, causes: StatusCause[], retryAfterSeconds?: number): ApiError {
  return failure(429, 'TooManyRequests', message, {causes, ...(retryAfterSeconds !== undefined ? {retryAfterSeconds} : {})})
}

export function internalError(message: string): ApiError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, {causes: [{message}]})
}

export function preconditionFailed(message: string): ApiError {
  return failure(409, 'Conflict', message)
}
