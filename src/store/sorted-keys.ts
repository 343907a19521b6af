// An ordered set of strings for prefix lists with limit/continue over ~10^5 keys: a list of sorted
// chunks (a flat B-tree), so inserts move at most one chunk and range scans walk arrays.

/** Chunks split above twice this size and merge with a neighbour below a quarter of it. */
const LOAD = 512

export class SortedKeys {
  private chunks: string[][] = []
  /** Last (largest) key of each chunk: binary search over it picks the chunk. */
  private maxes: string[] = []
  private count = 0

  /** Builds from keys already in ascending order without duplicates (e.g. a table read ORDER BY key). */
  static fromSorted(keys: readonly string[]): SortedKeys {
    const set = new SortedKeys()
    for (let i = 0; i < keys.length; i += LOAD) {
      const chunk = keys.slice(i, i + LOAD)
      set.chunks.push(chunk)
      set.maxes.push(chunk[chunk.length - 1])
    }
    set.count = keys.length
    return set
  }

  get size(): number {
    return this.count
  }

  has(key: string): boolean {
    const ci = this.chunkFor(key)
    if (ci === this.chunks.length) return false
    const chunk = this.chunks[ci]
    const i = lowerBound(chunk, key)
    return i < chunk.length && chunk[i] === key
  }

  /** Adds `key`; returns false when it was already present. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key])
      this.maxes.push(key)
      this.count = 1
      return true
    }
    let ci = this.chunkFor(key)
    if (ci === this.chunks.length) ci-- // beyond every key: append to the last chunk
    const chunk = this.chunks[ci]
    const i = lowerBound(chunk, key)
    if (i < chunk.length && chunk[i] === key) return false
    if (i === chunk.length) {
      chunk.push(key)
      this.maxes[ci] = key
    } else {
      chunk.splice(i, 0, key)
    }
    this.count++
    if (chunk.length > 2 * LOAD) {
      const upper = chunk.splice(LOAD)
      this.chunks.splice(ci + 1, 0, upper)
      this.maxes.splice(ci, 1, chunk[chunk.length - 1], upper[upper.length - 1])
    }
    return true
  }

  /** Removes `key`; returns false when it was absent. */
  delete(key: string): boolean {
    const ci = this.chunkFor(key)
    if (ci === this.chunks.length) return false
    const chunk = this.chunks[ci]
    const i = lowerBound(chunk, key)
    if (i === chunk.length || chunk[i] !== key) return false
    chunk.splice(i, 1)
    this.count--
    if (chunk.length === 0) {
      this.chunks.splice(ci, 1)
      this.maxes.splice(ci, 1)
      return true
    }
    this.maxes[ci] = chunk[chunk.length - 1]
    // Keep chunks from fragmenting after mass deletes, so scans and the chunk search stay short.
    if (chunk.length < LOAD / 4 && this.chunks.length > 1) {
      const left = ci > 0 ? ci - 1 : ci
      const merged = this.chunks[left].concat(this.chunks[left + 1])
      if (merged.length <= 2 * LOAD) {
        this.chunks.splice(left, 2, merged)
        this.maxes.splice(left, 2, merged[merged.length - 1])
      }
    }
    return true
  }

  /**
   * Up to `limit` keys in ascending order from `from` (inclusive, or exclusive when `after`), stopping
   * before `end` (exclusive; undefined: no bound).
   */
  range(from: string, after: boolean, end: string | undefined, limit: number): string[] {
    const out: string[] = []
    if (limit <= 0) return out
    let [ci, i] = this.position(from, after)
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]
      for (; i < chunk.length; i++) {
        const key = chunk[i]
        if (end !== undefined && key >= end) return out
        out.push(key)
        if (out.length === limit) return out
      }
    }
    return out
  }

  /** How many keys lie in the range [from (or after it), end). */
  countRange(from: string, after: boolean, end: string | undefined): number {
    const stop = end === undefined ? this.count : this.rank(...this.position(end, false))
    return Math.max(0, stop - this.rank(...this.position(from, after)))
  }

  /** Every key in ascending order (tests and consistency checks). */
  toArray(): string[] {
    return this.chunks.flat()
  }

  /** The first chunk whose largest key is >= key (chunks.length when key is beyond every key). */
  private chunkFor(key: string): number {
    return lowerBound(this.maxes, key)
  }

  /** [chunk, index] of the first key >= from (or > from when `after`). */
  private position(from: string, after: boolean): [number, number] {
    const ci = after ? upperBound(this.maxes, from) : lowerBound(this.maxes, from)
    if (ci === this.chunks.length) return [ci, 0]
    const chunk = this.chunks[ci]
    return [ci, after ? upperBound(chunk, from) : lowerBound(chunk, from)]
  }

  private rank(ci: number, i: number): number {
    let n = i
    for (let c = 0; c < ci; c++) n += this.chunks[c].length
    return n
  }
}

/** First index whose element is >= key. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose element is > key. */
function upperBound(sorted: readonly string[], key: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] <= key) lo = mid + 1
    else hi = mid
  }
  return lo
}
