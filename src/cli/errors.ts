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
  details?: {kind?: string; name?: string; causes?: Array<{field?: string; message?: string}>}
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
    super(status.reason === 'Invalid' && !context ? invalidMessage(status) : `${serverErrorPrefix(status)}${context ? `${context}: ` : ''}${status.message ?? 'unknown error'}`, 1)
    this.name = 'ServerError'
  }
}

/**
 * kubectl's words for a 422 (its checkErr): `The Deployment "web" is invalid: <field>: <message>`,
 * several causes on their own `* ` lines, `The request is invalid: <message>` without details.
 */
function invalidMessage(s: StatusLike): string {
  const d = s.details
  if (!d || (!d.kind && !d.name && !d.causes?.length)) return `The request is invalid: ${s.message ?? ''}`
  const head = d.kind || d.name ? `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid` : 'The request is invalid'
  const causes = [...new Set((d.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))]
  if (causes.length === 0) return head
  if (causes.length === 1) return `${head}: ${causes[0]}`
  return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`
}

function serverErrorPrefix(s: StatusLike): string {
  // kubectl names the reason; a Status without a known reason prints only "Error from server".
  return s.reason && s.reason !== 'Unknown' ? `Error from server (${s.reason}): ` : 'Error from server: '
}
