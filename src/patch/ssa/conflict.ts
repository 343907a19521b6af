// Apply conflicts: the fields another manager owns that an apply would change, and the 409 message the
// apiserver builds from them (one conflict inline, several grouped by manager).
import {compareGoStrings} from '../json-value.js'
import type {FieldSet} from './fieldset.js'
import {printManager} from './managed.js'
import {type Path, comparePaths, pathString} from './path.js'

export interface ApplyConflict {
  /** The other manager's name. */
  manager: string
  /** The version that manager used. */
  apiVersion: string
  /** The field as the apiserver prints it: `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
  field: string
  /** The status cause message: `conflict with "kubectl-client-side-apply" using apps/v1`. */
  message: string
}

/** One conflicting field and the identifier of the manager that owns it. */
export interface RawConflict {
  readonly managerId: string
  readonly apiVersion: string
  readonly path: Path
}

/** merge.Conflicts: raised inside the updater, turned into ApplyConflictError at the edge. */
export class ConflictList extends Error {
  override readonly name = 'ConflictList'
  readonly conflicts: readonly RawConflict[]

  constructor(conflicts: readonly RawConflict[]) {
    super(`${conflicts.length} apply conflicts`)
    this.conflicts = conflicts
  }

  /** ConflictsFromManagers: every path of every manager's conflicting set, managers in identifier order. */
  static fromSets(sets: ReadonlyMap<string, {set: FieldSet; apiVersion: string}>): ConflictList {
    const conflicts: RawConflict[] = []
    for (const id of [...sets.keys()].sort(compareGoStrings)) {
      const entry = sets.get(id)
      if (!entry) continue
      for (const p of entry.set.paths()) conflicts.push({managerId: id, apiVersion: entry.apiVersion, path: p})
    }
    return new ConflictList(conflicts)
  }
}

export class ApplyConflictError extends Error {
  override readonly name = 'ApplyConflictError'
  readonly conflicts: ApplyConflict[]

  constructor(message: string, conflicts: ApplyConflict[]) {
    super(message)
    this.conflicts = conflicts
  }

  /** NewConflictError: the message and causes the apiserver returns with status 409. */
  static from(list: ConflictList): ApplyConflictError {
    const raw = [...list.conflicts].sort((a, b) => compareGoStrings(a.managerId, b.managerId) || comparePaths(a.path, b.path))
    const conflicts = raw.map((c) => ({
      manager: managerName(c.managerId),
      apiVersion: c.apiVersion,
      field: pathString(c.path),
      message: `conflict with ${printManager(c.managerId)}`,
    }))
    return new ApplyConflictError(conflictMessage(list.conflicts), conflicts)
  }
}

function managerName(id: string): string {
  try {
    const parsed: unknown = JSON.parse(id)
    const name = (parsed as {manager?: unknown}).manager
    return typeof name === 'string' ? name : id
  } catch {
    return id
  }
}

function conflictMessage(conflicts: readonly RawConflict[]): string {
  if (conflicts.length === 1) {
    const [only] = conflicts
    return `Apply failed with 1 conflict: conflict with ${printManager(only.managerId)}: ${pathString(only.path)}`
  }
  const byManager = new Map<string, Path[]>()
  for (const c of conflicts) byManager.set(c.managerId, [...(byManager.get(c.managerId) ?? []), c.path])
  const lines: string[] = []
  for (const id of [...byManager.keys()].sort(compareGoStrings)) {
    lines.push(`conflicts with ${printManager(id)}:`)
    for (const p of byManager.get(id) ?? []) lines.push(`- ${pathString(p)}`)
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
}
