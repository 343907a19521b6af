// A set of field paths stored as a tree, as structured-merge-diff's fieldpath.Set: each node lists the
// path elements that are members and the children that hold deeper members. Also its FieldsV1 form.
import {isMap} from '../json-value.js'
import {
  type Path,
  type PathElement,
  comparePathElements,
  comparePaths,
  deserializePathElement,
  pathString,
  serializePathElement,
} from './path.js'

interface ChildNode {
  readonly pe: PathElement
  readonly set: FieldSet
}

/** Thrown when a FieldsV1 value cannot be decoded. */
export class FieldsV1Error extends Error {
  override readonly name = 'FieldsV1Error'
}

function search<T>(items: readonly T[], pe: PathElement, elementOf: (item: T) => PathElement): {found: boolean; at: number} {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (comparePathElements(elementOf(items[mid]), pe) < 0) lo = mid + 1
    else hi = mid
  }
  return {found: lo < items.length && comparePathElements(elementOf(items[lo]), pe) === 0, at: lo}
}

const self = (pe: PathElement): PathElement => pe
const nodeElement = (node: ChildNode): PathElement => node.pe

export class FieldSet implements Iterable<Path> {
  // Both kept sorted by comparePathElements; a child node is never empty.
  private readonly members: PathElement[]
  private readonly children: ChildNode[]
  // Set operations reuse subtrees of their inputs; such a subtree is copied before an insert changes it.
  private shared = false

  constructor(paths: Iterable<Path> = []) {
    this.members = []
    this.children = []
    for (const p of paths) this.insert(p)
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
    const {found, at} = search(node.members, p[p.length - 1], self)
    if (!found) node.members.splice(at, 0, p[p.length - 1])
  }

  private descend(pe: PathElement): FieldSet {
    const {found, at} = search(this.children, pe, nodeElement)
    if (found) {
      const node = this.children[at]
      if (!node.set.shared) return node.set
      const copy = FieldSet.of(node.set.members, node.set.children)
      this.children[at] = {pe: node.pe, set: copy}
      return copy
    }
    const set = new FieldSet()
    this.children.splice(at, 0, {pe, set})
    return set
  }

  has(p: Path): boolean {
    if (p.length === 0) return false
    let node: FieldSet | undefined = this
    for (let i = 0; i < p.length - 1 && node; i++) node = node.child(p[i])
    return node !== undefined && node.hasMember(p[p.length - 1])
  }

  hasMember(pe: PathElement): boolean {
    return search(this.members, pe, self).found
  }

  /** The subtree under a path element (not including the element's own membership); read-only. */
  child(pe: PathElement): FieldSet | undefined {
    const {found, at} = search(this.children, pe, nodeElement)
    return found ? this.children[at].set : undefined
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

  /** A set with these members and children; used by schema-aware rewrites of a set. */
  static fromNodes(members: readonly PathElement[], children: readonly ChildNode[]): FieldSet {
    const sortedMembers = [...members].sort(comparePathElements)
    const unique = sortedMembers.filter((pe, i) => i === 0 || comparePathElements(sortedMembers[i - 1], pe) !== 0)
    return FieldSet.of(
      unique,
      children.filter((node) => !node.set.isEmpty()).sort((a, b) => comparePathElements(a.pe, b.pe)),
    )
  }

  isEmpty(): boolean {
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
    const members = this.members.filter((pe) => other.hasMember(pe))
    const children: ChildNode[] = []
    for (const node of this.children) {
      const theirs = other.child(node.pe)
      if (!theirs) continue
      const common = node.set.intersection(theirs)
      if (!common.isEmpty()) children.push({pe: node.pe, set: common})
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

  /** Decodes FieldsV1. Keys of unknown kinds are skipped; an empty object marks a member. */
  static fromFieldsV1(fields: unknown): FieldSet {
    return readFieldsV1(fields).set ?? new FieldSet()
  }
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
      pe = deserializePathElement(key)
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
  const lastWins = new Map<string, ChildNode>()
  for (const node of children ?? []) lastWins.set(serializePathElement(node.pe), node)
  return {set: FieldSet.fromNodes(members ?? [], [...lastWins.values()]), isMember}
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
