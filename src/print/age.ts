// Durations as Kubernetes shows them to people: apimachinery's duration.HumanDuration ("3h2m", "5d4h")
// and ShortHumanDuration ("3h", "5d"), plus the "age of a timestamp" helper the table printers use.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** Go's zero time.Time (0001-01-01T00:00:00Z), which metav1.Time.IsZero treats as unset. */
const GO_ZERO_TIME = (() => {
  // Date.UTC maps years 0-99 onto 1900-1999, so the year-1 instant needs setUTCFullYear.
  const d = new Date(0)
  d.setUTCFullYear(1, 0, 1)
  return d.getTime()
})()

/** Go's integer division of durations truncates toward zero; so must we. */
function whole(ms: number, unit: number): number {
  return Math.trunc(ms / unit)
}

/**
 * duration.HumanDuration: about two significant figures. Up to 2s in the future still counts as now
 * ("0s") because clocks disagree a little; further in the future is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = whole(ms, MINUTE)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = whole(ms, HOUR)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    const days = Math.trunc(hours / 24)
    return h === 0 ? `${days}d` : `${days}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24)
    const years = Math.trunc(days / 365)
    const dy = days % 365
    return dy === 0 ? `${years}y` : `${years}y${dy}d`
  }
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** duration.ShortHumanDuration: one unit only ("59s", "59m", "23h", "364d", "2y"). */
export function shortHumanDuration(ms: number): string {
  const seconds = whole(ms, SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60) return `${seconds}s`
  const minutes = whole(ms, MINUTE)
  if (minutes < 60) return `${minutes}m`
  const hours = whole(ms, HOUR)
  if (hours < 24) return `${hours}h`
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`
  // Go divides the float hours here, then truncates.
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`
}

/**
 * Parses a metav1.Time / MicroTime as the API serializes it (RFC 3339). Returns undefined for a
 * missing, empty or zero timestamp, and for text that is not a time.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value
  if (typeof value !== 'string' || value === '' || value === 'null') return undefined
  const d = new Date(value)
  const t = d.getTime()
  if (Number.isNaN(t)) return undefined
  if (t === GO_ZERO_TIME) return undefined
  return d
}

/**
 * translateTimestampSince: how long ago `timestamp` was, as HumanDuration, or `<unknown>` when it
 * is unset. Every AGE column of the built-in printers goes through this.
 */
export function translateTimestampSince(timestamp: unknown, now: Date): string {
  const t = parseTimestamp(timestamp)
  if (!t) return '<unknown>'
  return humanDuration(now.getTime() - t.getTime())
}

/** translateTimestampUntil: how long until `timestamp`, or `<unknown>` when it is unset. */
export function translateTimestampUntil(timestamp: unknown, now: Date): string {
  const t = parseTimestamp(timestamp)
  if (!t) return '<unknown>'
  return humanDuration(t.getTime() - now.getTime())
}
