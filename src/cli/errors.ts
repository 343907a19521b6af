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
