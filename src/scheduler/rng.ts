// A small seeded PRNG (sfc32) standing in for math/rand, so one seed always gives the same placements.

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    // Mix the seed in before first use so nearby seeds give unrelated streams.
    for (let i = 0; i < 15; i++) this.next()
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** rand.Intn: uniform in [0, n). */
  intn(n: number): number {
    if (n <= 1) return 0
    return Math.floor((this.next() / 4294967296) * n)
  }
}
