// Errors a command reports to the user: a message printed the way kubectl prints it, and an exit code.
// Anything thrown that is not a UserError is a bug; the base command still prints it without a stack
// trace unless KUBE2_DEBUG is set.

export class UserError extends Error {
  readonly exitCode: number

  constructor(message: string, exitCode = 1) {
    super(message)
    this.name = 'UserError'
    this.exitCode = exitCode
  }
}

/** Bad flags or arguments: kubectl's usage errors. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2)
    this.name = 'UsageError'
  }
}

/** The parts of a metav1.Status that kubectl prints. */
export interface StatusLike {
  kind?: string
  status?: string
  message?: string
  reason?: string
  code?: number
}

/**
 * A failed server response, printed as kubectl prints it: `Error from server (NotFound): pods "x"
 * not found`; `context` adds kubectl's `error when creating "file.yaml": ` prefix.
 */
/** An error whose message is already in kubectl's form: printed as it is, without `error: `. */
export class PlainError extends UserError {
  constructor(message: string, exitCode = 1) {
    super(message, exitCode)
    this.name = 'PlainError'
  }
}

export class ServerError extends PlainError {
  constructor(readonly status: StatusLike, context?: string) {
    super(`${serverErrorPrefix(status)}${context ? `${context}: ` : ''}${status.message ?? 'unknown error'}`, 1)
    this.name = 'ServerError'
  }
}

function serverErrorPrefix(s: StatusLike): string {
  // kubectl names the reason; a Status without a known reason prints only "Error from server".
  return s.reason && s.reason !== 'Unknown' ? `Error from server (${s.reason}): ` : 'Error from server: '
}
