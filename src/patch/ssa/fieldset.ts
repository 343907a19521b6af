// A set of field paths stored as a tree, as structured-merge-diff's fieldpath.Set: each node lists the
// path elements that are members and the children that hold deeper members. Also its FieldsV1 form.
import {isMap} from '../json-value.js'
import {cloneJson} from './copy.js'
import {fastPathsEnabled} from './fast-paths.js'
import {compareGo} from './go-text.js'
import {
  type Path,
  type PathElement,
  comparePathElements,
  comparePaths,
  decodePathElement,
  pathString,
  serializePathElement,
} from './path.js'

/** One element directly under a node: whether it is a member, and the paths below it. */
export interface NodeEntry {
  readonly pe: PathElement
  readonly member: boolean
  readonly set: FieldSet | undefined
}

function byEntry(a: NodeEntry, b: NodeEntry): number {
  return comparePathElements(a.pe, b.pe)
}

/** Sorts by element; an insertion sort for the usual handful of entries, often already in order. */
function sortEntries(entries: NodeEntry[]): void {
  if (entries.length > 16) {
    entries.sort(byEntry)
    return
  }
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i]
    let j = i - 1
    while (j >= 0 && comparePathElements(entries[j].pe, entry.pe) > 0) {
      entries[j + 1] = entries[j]
      j--
    }
    entries[j + 1] = entry
  }
}

interface ChildNode {
  readonly pe: PathElement
  readonly set: FieldSet
}

/** Thrown when a FieldsV1 value cannot be decoded. */
export class FieldsV1Error extends Error {
  override readonly name = 'FieldsV1Error'
}

/** Binary search: the index of pe if present, else -(insertion point) - 1. */
function search<T>(items: readonly T[], pe: PathElement, elementOf: (item: T) => PathElement): number {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const c = comparePathElements(elementOf(items[mid]), pe)
    if (c < 0) lo = mid + 1
    else if (c > 0) hi = mid
    else return mid
  }
  return -lo - 1
}

const self = (pe: PathElement): PathElement => pe
const nodeElement = (node: ChildNode): PathElement => node.pe

export class FieldSet implements Iterable<Path> {
  // Both kept sorted by comparePathElements; a child node is never empty. Undefined until a set decoded
  // from FieldsV1 is first read (see source).
  private _members: PathElement[] | undefined
  private _children: ChildNode[] | undefined
  // Set operations reuse subtrees of their inputs; such a subtree is copied before an insert changes it.
  private shared = false
  /**
   * The FieldsV1 this node was decoded from, when that is exactly how toFieldsV1 writes it (validated
   * first): members and children are read from it on first use, and an untouched node encodes as a copy.
   */
  private source: Record<string, unknown> | undefined

  constructor(paths: Iterable<Path> = []) {
    this._members = []
    this._children = []
    for (const p of paths) this.insert(p)
  }

  private get members(): PathElement[] {
    if (this._members === undefined) this.load()
    return this._members as PathElement[]
  }

  private get children(): ChildNode[] {
    if (this._children === undefined) this.load()
    return this._children as ChildNode[]
  }

  /** A set read lazily from FieldsV1 that isCanonicalFieldsV1 accepted. */
  private static lazy(source: Record<string, unknown>): FieldSet {
    const set = new FieldSet()
    set._members = undefined
    set._children = undefined
    set.source = source
    return set
  }

  private load(): void {
    const source = this.source as Record<string, unknown>
    const members: PathElement[] = []
    const children: ChildNode[] = []
    for (const key of Object.keys(source)) {
      if (key === '.') continue
      const pe = decodePathElement(key) as PathElement
      const value = source[key] as Record<string, unknown>
      let leaf = true
      for (const inner in value) {
        if (Object.hasOwn(value, inner)) {
          leaf = false
          break
        }
      }
      if (leaf || Object.hasOwn(value, '.')) members.push(pe)
      if (!leaf) children.push({pe, set: FieldSet.lazy(value)})
    }
    this._members = members
    this._children = children
  }

  private static of(members: readonly PathElement[], children: readonly ChildNode[]): FieldSet {
    const set = new FieldSet()
    set.members.push(...members)
    set.children.push(...children)
    for (const node of children) node.set.shared = true
    return set
  }

  /** Adds a path; its parents are not added. The empty path (the whole object) is never owned. */
  insert(p: Path): void {
    if (p.length === 0) return
    let node: FieldSet = this
    for (let i = 0; i < p.length - 1; i++) node = node.descend(p[i])
    const at = search(node.members, p[p.length - 1], self)
    if (at < 0) node.members.splice(-at - 1, 0, p[p.length - 1])
  }

  private descend(pe: PathElement): FieldSet {
    const at = search(this.children, pe, nodeElement)
    if (at >= 0) {
      const node = this.children[at]
      if (!node.set.shared) return node.set
      const copy = FieldSet.of(node.set.members, node.set.children)
      this.children[at] = {pe: node.pe, set: copy}
      return copy
    }
    const set = new FieldSet()
    this.children.splice(-at - 1, 0, {pe, set})
    return set
  }

  has(p: Path): boolean {
    if (p.length === 0) return false
    let node: FieldSet | undefined = this
    for (let i = 0; i < p.length - 1 && node; i++) node = node.child(p[i])
    return node !== undefined && node.hasMember(p[p.length - 1])
  }

  hasMember(pe: PathElement): boolean {
    return search(this.members, pe, self) >= 0
  }

  /** The subtree under a path element (not including the element's own membership); read-only. */
  child(pe: PathElement): FieldSet | undefined {
    const at = search(this.children, pe, nodeElement)
    return at >= 0 ? this.children[at].set : undefined
  }

  /** fieldpath.Set.WithPrefix: the paths under pe, without pe. */
  withPrefix(pe: PathElement): FieldSet {
    const below = this.child(pe)
    return below ? FieldSet.of(below.members, below.children) : new FieldSet()
  }

  memberElements(): readonly PathElement[] {
    return this.members
  }

  childNodes(): readonly ChildNode[] {
    return this.children
  }

  /**
   * A set from the elements directly under one node, in any order, an element possibly more than once
   * (its memberships and subtrees then combine); used to build sets bottom-up.
   */
  static fromEntries(entries: NodeEntry[]): FieldSet {
    sortEntries(entries)
    const members: PathElement[] = []
    const children: ChildNode[] = []
    for (let i = 0; i < entries.length; ) {
      const {pe} = entries[i]
      let member = entries[i].member
      let below = entries[i].set
      let j = i + 1
      for (; j < entries.length && comparePathElements(entries[j].pe, pe) === 0; j++) {
        member ||= entries[j].member
        const more = entries[j].set
        if (more !== undefined) below = below === undefined ? more : below.union(more)
      }
      if (member) members.push(pe)
      if (below !== undefined && !below.isEmpty()) children.push({pe, set: below})
      i = j
    }
    const set = new FieldSet()
    set._members = members
    set._children = children
    return set
  }

  /** This set with more members (sorted, possibly already members); the subtrees are this set's. */
  withMembers(more: readonly PathElement[], children: readonly ChildNode[]): FieldSet {
    return FieldSet.of(more.length === 0 ? this.members : mergeSorted(this.members, more, self, (a) => a), children)
  }

  /** A set with these members and children; used by schema-aware rewrites of a set. */
  static fromNodes(members: readonly PathElement[], children: readonly ChildNode[]): FieldSet {
    if (strictlySorted(members, self) && strictlySorted(children, nodeElement) && children.every((node) => !node.set.isEmpty())) {
      return FieldSet.of(members, children)
    }
    const sortedMembers = [...members].sort(comparePathElements)
    const unique = sortedMembers.filter((pe, i) => i === 0 || comparePathElements(sortedMembers[i - 1], pe) !== 0)
    return FieldSet.of(
      unique,
      children.filter((node) => !node.set.isEmpty()).sort((a, b) => comparePathElements(a.pe, b.pe)),
    )
  }

  isEmpty(): boolean {
    if (this._members === undefined && this.source !== undefined) {
      for (const key in this.source) if (key !== '.' && Object.hasOwn(this.source, key)) return false
      return true
    }
    return this.members.length === 0 && this.children.every((node) => node.set.isEmpty())
  }

  /** The number of member paths. */
  get size(): number {
    return this.members.length + this.children.reduce((n, node) => n + node.set.size, 0)
  }

  union(other: FieldSet): FieldSet {
    const members = mergeSorted(this.members, other.members, self, (a) => a)
    const children = mergeSorted(this.children, other.children, nodeElement, (a, b) => ({pe: a.pe, set: a.set.union(b.set)}))
    return FieldSet.of(members, children)
  }

  intersection(other: FieldSet): FieldSet {
    // Looks up the smaller side's elements in the larger (equal elements are alike).
    const members =
      this.members.length <= other.members.length ? this.members.filter((pe) => other.hasMember(pe)) : other.members.filter((pe) => this.hasMember(pe))
    const children: ChildNode[] = []
    if (this.children.length <= other.children.length) {
      for (const node of this.children) {
        const theirs = other.child(node.pe)
        if (!theirs) continue
        const common = node.set.intersection(theirs)
        if (!common.isEmpty()) children.push({pe: node.pe, set: common})
      }
    } else {
      for (const theirs of other.children) {
        const at = search(this.children, theirs.pe, nodeElement)
        if (at < 0) continue
        const node = this.children[at]
        const common = node.set.intersection(theirs.set)
        if (!common.isEmpty()) children.push({pe: node.pe, set: common})
      }
    }
    return FieldSet.of(members, children)
  }

  /** Members of this set not in other; a child path survives the removal of its parent member. */
  difference(other: FieldSet): FieldSet {
    return this.subtract(other, false)
  }

  /** Like difference, but removing a member also removes everything under it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.subtract(other, true)
  }

  private subtract(other: FieldSet, recursive: boolean): FieldSet {
    const members = this.members.filter((pe) => !other.hasMember(pe))
    const children: ChildNode[] = []
    for (const node of this.children) {
      if (recursive && other.hasMember(node.pe)) continue
      const theirs = other.child(node.pe)
      if (!theirs) {
        children.push(node)
        continue
      }
      const rest = node.set.subtract(theirs, recursive)
      if (!rest.isEmpty()) children.push({pe: node.pe, set: rest})
    }
    return FieldSet.of(members, children)
  }

  /** Only the members that have no members under them. */
  leaves(): FieldSet {
    const members = this.members.filter((pe) => {
      const below = this.child(pe)
      return below === undefined || below.isEmpty()
    })
    return FieldSet.of(
      members,
      this.children.map((node) => ({pe: node.pe, set: node.set.leaves()})).filter((node) => !node.set.isEmpty()),
    )
  }

  equals(other: FieldSet): boolean {
    const a = this.paths()
    const b = other.paths()
    return a.length === b.length && a.every((p, i) => comparePaths(p, b[i]) === 0)
  }

  /** Member paths in upstream's iteration order: a node's members, then each child's paths. */
  paths(): Path[] {
    const out: Path[] = []
    this.collect([], out)
    return out
  }

  private collect(prefix: PathElement[], out: Path[]): void {
    for (const pe of this.members) out.push([...prefix, pe])
    for (const node of this.children) node.set.collect([...prefix, node.pe], out)
  }

  [Symbol.iterator](): Iterator<Path> {
    return this.paths()[Symbol.iterator]()
  }

  /** One printed path per line, as fieldpath.Set.String. */
  toString(): string {
    return this.paths()
      .map((p) => pathString(p))
      .join('\n')
  }

  /** The FieldsV1 encoding: keys in path-element order, `.` first where a node is also a member. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false)
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    if (this._members === undefined && this.source !== undefined) return this.copySource(includeSelf)
    const out: Record<string, unknown> = {}
    if (includeSelf && !(this.members.length === 0 && this.children.length === 0)) out['.'] = {}
    let mi = 0
    let ci = 0
    while (mi < this.members.length || ci < this.children.length) {
      const member = mi < this.members.length ? this.members[mi] : undefined
      const node = ci < this.children.length ? this.children[ci] : undefined
      const c = member && node ? comparePathElements(member, node.pe) : member ? -1 : 1
      if (c < 0 && member) {
        out[serializePathElement(member)] = {}
        mi++
      } else if (node) {
        out[serializePathElement(node.pe)] = node.set.emit(c === 0)
        if (c === 0) mi++
        ci++
      }
    }
    return out
  }

  // An untouched decoded node: its source, which is its encoding, with "." as the parent's membership says.
  private copySource(includeSelf: boolean): Record<string, unknown> {
    const source = this.source as Record<string, unknown>
    const out: Record<string, unknown> = {}
    let any = false
    for (const key of Object.keys(source)) {
      if (key === '.') continue
      if (!any && includeSelf) out['.'] = {}
      any = true
      out[key] = cloneJson(source[key])
    }
    return out
  }

  /** Decodes FieldsV1. Keys of unknown kinds are skipped; an empty object marks a member. */
  static fromFieldsV1(fields: unknown): FieldSet {
    if (fastPathsEnabled() && isCanonicalFieldsV1(fields, true)) return FieldSet.lazy(fields as Record<string, unknown>)
    return readFieldsV1(fields).set ?? new FieldSet()
  }
}

function hasKeys(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true
  return false
}

/**
 * Whether FieldsV1 decodes without error and reads back exactly as toFieldsV1 writes the decoded set:
 * every key a path element in its own encoding, in order, objects all the way down, "." first (and only
 * as {}) in a node that has more, never at the root. Anything else is decoded the long way.
 */
function isCanonicalFieldsV1(value: unknown, root: boolean): boolean {
  if (!isMap(value)) return false
  let previous: PathElement | undefined
  let previousKey: string | undefined
  let first = true
  let dot = false
  for (const key of Object.keys(value)) {
    const inner = value[key]
    if (key === '.') {
      if (root || !first || !isMap(inner) || hasKeys(inner)) return false
      first = false
      dot = true
      continue
    }
    first = false
    if (key.startsWith('f:') && (previousKey === undefined || previousKey.startsWith('f:'))) {
      // Field keys are their own encoding and order as their names do.
      if (previousKey !== undefined && compareGo(previousKey, key) >= 0) return false
      previous = undefined
    } else {
      let pe: PathElement | undefined
      try {
        pe = decodePathElement(key)
      } catch {
        return false
      }
      if (pe === undefined || (pe.kind !== 'field' && serializePathElement(pe) !== key)) return false
      if (previousKey !== undefined) {
        previous ??= decodePathElement(previousKey)
        if (comparePathElements(previous as PathElement, pe) >= 0) return false
      }
      previous = pe
    }
    previousKey = key
    if (!isMap(inner)) return false
    if (hasKeys(inner) && !isCanonicalFieldsV1(inner, false)) return false
  }
  // {".": {}} alone decodes as a member leaf, written {}.
  return !(dot && previousKey === undefined)
}

function readFieldsV1(value: unknown): {set: FieldSet | undefined; isMember: boolean} {
  if (!isMap(value)) throw new FieldsV1Error(`expected an object in FieldsV1, got ${JSON.stringify(value)}`)
  let isMember = false
  let members: PathElement[] | undefined
  let children: ChildNode[] | undefined
  for (const key of Object.keys(value)) {
    if (key === '.') {
      isMember = true
      continue
    }
    let pe: PathElement | undefined
    try {
      pe = decodePathElement(key)
    } catch (err) {
      throw new FieldsV1Error(`parsing key as path element: ${(err as Error).message}`)
    }
    if (pe === undefined) continue
    const inner = readFieldsV1(value[key])
    if (inner.isMember) (members ??= []).push(pe)
    // A repeated key keeps its last subtree, as upstream's decoder does.
    if (inner.set) (children ??= []).push({pe, set: inner.set})
  }
  if (members === undefined && children === undefined) return {set: undefined, isMember: true}
  // Keys as FieldSet encodes them come in order, without repeats.
  if (strictlySorted(members ?? [], self) && strictlySorted(children ?? [], nodeElement)) {
    return {set: FieldSet.fromNodes(members ?? [], children ?? []), isMember}
  }
  const lastWins = new Map<string, ChildNode>()
  for (const node of children ?? []) lastWins.set(serializePathElement(node.pe), node)
  return {set: FieldSet.fromNodes(members ?? [], [...lastWins.values()]), isMember}
}

function strictlySorted<T>(items: readonly T[], elementOf: (item: T) => PathElement): boolean {
  for (let i = 1; i < items.length; i++) if (comparePathElements(elementOf(items[i - 1]), elementOf(items[i])) >= 0) return false
  return true
}

function mergeSorted<T>(a: readonly T[], b: readonly T[], elementOf: (item: T) => PathElement, both: (x: T, y: T) => T): T[] {
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const c = comparePathElements(elementOf(a[i]), elementOf(b[j]))
    if (c < 0) out.push(a[i++])
    else if (c > 0) out.push(b[j++])
    else out.push(both(a[i++], b[j++]))
  }
  while (i < a.length) out.push(a[i++])
  while (j < b.length) out.push(b[j++])
  return out
}
