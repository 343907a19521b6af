// The result of `kube2 validate`, as plain data: every reporter (text, json, junit, tap) prints this.

export type ResourceStatus = 'valid' | 'invalid' | 'error' | 'skipped'

export interface Finding {
  /** Field path, e.g. `spec.template.spec.containers[0].image`; empty for the object as a whole. */
  field: string
  /** 1-based line in the source file. */
  line: number
  /** What is wrong, after the field path (e.g. `Required value`). */
  message: string
}

export interface ResourceReport {
  source: string
  line: number
  documentIndex: number
  itemIndex?: number
  apiVersion: string
  kind: string
  name: string
  namespace?: string
  status: ResourceStatus
  /** Why it was skipped, for status `skipped`. */
  reason?: string
  errors: Finding[]
  warnings: Finding[]
}

/** A problem with an input rather than with one object: unreadable, binary, malformed YAML, no kind. */
export interface InputProblem {
  source: string
  line?: number
  message: string
  severity: 'error' | 'warning'
  /** Unreadable inputs (missing, binary, failed download) make the exit code 2. */
  unreadable: boolean
}

export interface ValidationSummary {
  files: number
  resources: number
  valid: number
  invalid: number
  errors: number
  skipped: number
  warnings: number
}

export interface ValidationReport {
  kubernetesVersion: string
  resources: ResourceReport[]
  inputProblems: InputProblem[]
  summary: ValidationSummary
  /** 0 all valid, 1 anything invalid, 2 unreadable input. */
  exitCode: 0 | 1 | 2
}
