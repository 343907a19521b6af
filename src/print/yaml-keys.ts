// Mapping-key order of `kubectl -o yaml`: go-yaml v2 sorts map keys with a "natural" comparison in
// which letters sort after everything else and runs of digits compare by numeric value.

const LETTER = /\p{L}/u
const DIGIT = /\p{Nd}/u
const ZERO = 0x30

function isLetter(cp: number): boolean {
  return cp < 0x80 ? (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) : LETTER.test(String.fromCodePoint(cp))
}

function isDigit(cp: number): boolean {
  return cp < 0x80 ? cp >= 0x30 && cp <= 0x39 : DIGIT.test(String.fromCodePoint(cp))
}

/**
 * Value of the digit run starting at UTF-16 index `from`, accumulated the way Go does it:
 * `n = n*10 + (r - '0')` on an int64, so non-ASCII digits add their raw offset from '0' and long
 * runs wrap around. `end` counts runes, which is what Go compares run lengths by.
 */
function digitRun(s: string, from: number, seed: number): {value: bigint; end: number} {
  let i = from
  let runes = 0
  let small = seed
  let exact = true
  const digits: number[] = []
  for (;;) {
    const cp = s.codePointAt(i)
    if (cp === undefined || !isDigit(cp)) break
    if (cp >= 0x80 || runes >= 15) exact = false
    small = small * 10 + (cp - ZERO)
    digits.push(cp)
    runes++
    i += cp > 0xffff ? 2 : 1
  }
  if (exact) return {value: BigInt(small), end: runes}
  let value = BigInt(seed)
  for (const cp of digits) value = BigInt.asIntN(64, value * 10n + BigInt(cp - ZERO))
  return {value, end: runes}
}

/** go-yaml v2 keyList.Less for two string keys (sorter.go), comparing runes. */
export function yamlKeyLess(a: string, b: string): boolean {
  if (a === b) return false
  let i = 0
  // Identical UTF-16 prefixes are identical rune prefixes; Go's rune index only matters for the
  // digit look-back, which works on the shared prefix and so can use UTF-16 indices too.
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++
  // Step back onto the start of a surrogate pair the prefix ended inside of.
  if (i > 0 && i < a.length && i < b.length) {
    const prev = a.charCodeAt(i - 1)
    if (prev >= 0xd800 && prev <= 0xdbff) i--
  }
  if (i >= a.length || i >= b.length) return runeLength(a) < runeLength(b)
  const ca = a.codePointAt(i) ?? 0
  const cb = b.codePointAt(i) ?? 0
  const al = isLetter(ca)
  const bl = isLetter(cb)
  if (al && bl) return ca < cb
  if (al || bl) return bl
  // Neither is a letter: compare the digit runs starting here (possibly empty) as numbers. A
  // differing '0' after non-zero digits of the shared prefix is part of a bigger number, which Go
  // marks by seeding both sides with 1.
  let seed = 0
  if (ca === ZERO || cb === ZERO) {
    for (let j = i - 1; j >= 0; j--) {
      let cp = a.charCodeAt(j)
      if (cp >= 0xdc00 && cp <= 0xdfff && j > 0) cp = a.codePointAt(--j) ?? cp
      if (!isDigit(cp)) break
      if (cp !== ZERO) {
        seed = 1
        break
      }
    }
  }
  const ra = digitRun(a, i, seed)
  const rb = digitRun(b, i, seed)
  if (ra.value !== rb.value) return ra.value < rb.value
  if (ra.end !== rb.end) return ra.end < rb.end
  return ca < cb
}

function runeLength(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++
  }
  return n
}

/** Array.prototype.sort comparator giving go-yaml's key order. */
export function compareYamlKeys(a: string, b: string): number {
  if (yamlKeyLess(a, b)) return -1
  if (yamlKeyLess(b, a)) return 1
  return 0
}
