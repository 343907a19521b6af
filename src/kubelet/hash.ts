// Deterministic "randomness" for the simulated kubelet: every id, duration jitter and usage wobble is
// derived from stable inputs (pod uid, container name, attempt, time bucket), never from Math.random.
import {createHash} from 'node:crypto'

export function sha256Hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex')
}

/** A number in [0, 1) fixed by the seed. */
export function unit(seed: string): number {
  return parseInt(sha256Hex(seed).slice(0, 12), 16) / 2 ** 48
}

/** `base` scaled by up to ±`fraction`, fixed by the seed; whole milliseconds. */
export function jittered(baseMs: number, fraction: number, seed: string): number {
  if (fraction <= 0 || baseMs <= 0) return Math.round(baseMs)
  return Math.max(1, Math.round(baseMs * (1 + fraction * (2 * unit(seed) - 1))))
}

/** An integer in [lo, hi] fixed by the seed. */
export function pickInt(lo: number, hi: number, seed: string): number {
  return lo + Math.floor(unit(seed) * (hi - lo + 1))
}
