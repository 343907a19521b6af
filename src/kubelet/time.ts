// Time as the kubelet writes and prints it: metav1.Time (RFC 3339, whole seconds) and Go's
// time.Duration String() for the durations in event messages.

export const SECOND = 1000

/** metav1.Time's JSON form: the second the instant falls in. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : t
}

export function floorSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND
}

/** time.Duration.String() for a whole number of milliseconds: 845ms, 1.2s, 1m20s, 5m0s, 1h0m0s. */
export function goDuration(ms: number): string {
  ms = Math.round(ms)
  if (ms === 0) return '0s'
  const sign = ms < 0 ? '-' : ''
  ms = Math.abs(ms)
  if (ms < SECOND) return `${sign}${ms}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const restMs = ms % 60_000
  const whole = Math.floor(restMs / SECOND)
  const frac = restMs % SECOND
  const sec = frac === 0 ? `${whole}` : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`
  if (h > 0) return `${sign}${h}h${m}m${sec}s`
  if (m > 0) return `${sign}${m}m${sec}s`
  return `${sign}${sec}s`
}
