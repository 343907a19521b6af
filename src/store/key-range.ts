// Prefix arithmetic shared by the in-memory index and the SQL range queries: a prefix becomes the
// half-open key range [prefix, prefixEnd(prefix)).

/**
 * The smallest string greater than every string that starts with `prefix` (etcd's GetPrefixRangeEnd,
 * on UTF-16 code units), or undefined when there is none (the empty prefix: every key matches).
 */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const unit = prefix.charCodeAt(i)
    if (unit < 0xffff) return prefix.slice(0, i) + String.fromCharCode(unit + 1)
  }
  return undefined
}
