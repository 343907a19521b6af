// A problem found in one object: a field path and what is wrong with it, in the words the apiserver
// uses (field.ErrorType). Printing and line lookup happen later, in the reporter.
import {formatFieldErrorBody, type FieldErrorType} from '../api/names.js'
import {formatFieldPath} from '../manifest/locate.js'

export type Path = Array<string | number>

export type ProblemType =
  | 'Required value'
  | 'Invalid value'
  | 'Unsupported value'
  | 'Duplicate value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Not found'
  | 'Unknown field'
  | 'Removed API'
  | 'No schema'
  | 'Warning'

export interface Problem {
  path: Path
  type: ProblemType
  /** The offending value, when the message shows it. */
  value?: unknown
  detail?: string
  severity: 'error' | 'warning'
}

export function problem(path: Path, type: ProblemType, detail?: string, value?: unknown): Problem {
  const p: Problem = {path, type, severity: 'error'}
  if (detail !== undefined) p.detail = detail
  if (value !== undefined) p.value = value
  return p
}

export function warning(path: Path, detail: string): Problem {
  return {path, type: 'Warning', detail, severity: 'warning'}
}

/** `spec.template.spec.containers[0].ports[1].name`, `data[tls.key]`: field.Path's notation. */
export {formatFieldPath as formatPath} from '../manifest/locate.js'

/** The message after the field path, e.g. `Invalid value: -1: must be greater than or equal to 0`. */
export function describeProblem(p: Problem): string {
  switch (p.type) {
    case 'Warning':
    case 'Removed API':
    case 'No schema':
      return p.detail ?? ''
    case 'Unknown field':
      return 'unknown field' + (p.detail ? `: ${p.detail}` : '')
    default:
      return formatFieldErrorBody({field: '', type: p.type as FieldErrorType, value: p.value, detail: p.detail})
  }
}

/** `field.path: message`, or only the message for problems of the whole object. */
export function formatProblem(p: Problem): string {
  const field = formatFieldPath(p.path)
  return field ? `${field}: ${describeProblem(p)}` : describeProblem(p)
}
