// The result of a plugin or of an extension point: kube-scheduler's Status, a code plus reasons,
// where `null` stands for Success so the hot Filter path allocates nothing for a fitting node.

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending'

export class Status {
  readonly code: Code
  readonly reasons: readonly string[]
  /** The plugin that returned it, set by the framework. */
  plugin: string

  constructor(code: Code, reasons: readonly string[] = [], plugin = '') {
    this.code = code
    this.reasons = reasons
    this.plugin = plugin
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons)
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons)
  }

  static error(message: string): Status {
    return new Status('Error', [message])
  }

  static skip(): Status {
    return SKIP
  }

  /** The reasons joined as Status.Message() joins them. */
  message(): string {
    return this.reasons.join(', ')
  }

  withPlugin(name: string): Status {
    return new Status(this.code, this.reasons, name)
  }
}

const SKIP = new Status('Skip')

/** Null (no status) is Success, as a nil *Status is in Go. */
export type MaybeStatus = Status | null

export function isSuccess(s: MaybeStatus): boolean {
  return s === null || s.code === 'Success'
}

/** Unschedulable, UnschedulableAndUnresolvable or Pending: the pod was turned away, not an error. */
export function isRejected(s: MaybeStatus): boolean {
  return s !== null && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable' || s.code === 'Pending')
}

export function isSkip(s: MaybeStatus): boolean {
  return s !== null && s.code === 'Skip'
}

export function codeOf(s: MaybeStatus): Code {
  return s === null ? 'Success' : s.code
}
