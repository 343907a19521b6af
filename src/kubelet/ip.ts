// Pod IP allocation from a node's podCIDR, the way host-local IPAM hands them out: the network
// address and the gateway (.1) are skipped, the lowest free address wins.

interface Cidr {
  family: 4 | 6
  base: bigint
  bits: number
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let v = 0n
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined
    v = (v << 8n) | BigInt(Number(p))
  }
  return v
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'))
  const head = groups(halves[0])
  const tail = halves.length === 2 ? groups(halves[1]) : []
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0
  const all = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail]
  if (all.length !== 8 || !all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  return all.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n)
}

function formatV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.')
}

function formatV6(v: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((v >> s) & 0xffffn).toString(16))
  // RFC 5952: the longest run (two or more) of zero groups becomes "::".
  let best = -1, bestLen = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  if (best < 0) return groups.join(':')
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`
}

export function parseCidr(cidr: string): Cidr {
  const [addr, bitsText] = cidr.split('/')
  const family = addr.includes(':') ? 6 : 4
  const value = family === 4 ? parseV4(addr) : parseV6(addr)
  const width = family === 4 ? 32 : 128
  const bits = Number(bitsText)
  if (value === undefined || !/^\d+$/.test(bitsText ?? '') || bits > width) throw new Error(`invalid CIDR address: ${cidr}`)
  const hostBits = BigInt(width - bits)
  return {family, base: (value >> hostBits) << hostBits, bits}
}

/** The lowest address of `podCIDR` not in `used`, skipping the network address and the gateway. */
export function allocatePodIP(podCIDR: string, used: ReadonlySet<string>): string {
  const {family, base, bits} = parseCidr(podCIDR)
  const width = family === 4 ? 32 : 128
  const size = 1n << BigInt(width - bits)
  // IPv4 also keeps the broadcast address out.
  const last = family === 4 ? size - 2n : size - 1n
  const format = family === 4 ? formatV4 : formatV6
  for (let i = 2n; i <= last; i++) {
    const ip = format(base + i)
    if (!used.has(ip)) return ip
  }
  throw new Error(`no free pod IP left in ${podCIDR}`)
}
