// Cron schedules as CronJob reads them (the standard five-field format with descriptors such as
// @hourly, as robfig/cron's ParseStandard accepts): parsing with its error texts, and the next
// activation time after a given instant (used by the CronJob controller).

export interface CronSchedule {
  /** Bit sets: minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-6. */
  minute: bigint
  hour: bigint
  dom: bigint
  month: bigint
  dow: bigint
  /** `@every 5m`: a fixed interval in milliseconds instead of fields. */
  everyMs?: number
  /** Day-of-month or day-of-week was `*` or `?` (then the other one alone decides). */
  domStar: boolean
  dowStar: boolean
}

export class CronError extends Error {}

interface Bounds {
  min: number
  max: number
  names?: Record<string, number>
}

const MINUTES: Bounds = {min: 0, max: 59}
const HOURS: Bounds = {min: 0, max: 23}
const DOM: Bounds = {min: 1, max: 31}
const MONTHS: Bounds = {min: 1, max: 12, names: {jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12}}
const DOW: Bounds = {min: 0, max: 6, names: {sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6}}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}

export function parseCronSchedule(spec: string): CronSchedule {
  const s = spec.trim()
  if (s.length === 0) throw new CronError('empty spec string')
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) throw new CronError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead')
  if (s.startsWith('@')) {
    if (s.startsWith('@every ')) {
      const ms = parseGoDuration(s.slice(7).trim())
      if (ms === undefined) throw new CronError(`failed to parse duration ${s}: time: invalid duration "${s.slice(7).trim()}"`)
      return {minute: 0n, hour: 0n, dom: 0n, month: 0n, dow: 0n, everyMs: Math.max(ms, 1000), domStar: false, dowStar: false}
    }
    const expanded = DESCRIPTORS[s.toLowerCase()]
    if (!expanded) throw new CronError(`unrecognized descriptor: ${s}`)
    return parseCronSchedule(expanded)
  }
  const fields = s.split(/\s+/)
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`)
  return {
    minute: parseField(fields[0], MINUTES),
    hour: parseField(fields[1], HOURS),
    dom: parseField(fields[2], DOM),
    month: parseField(fields[3], MONTHS),
    dow: parseField(fields[4], DOW),
    domStar: fields[2] === '*' || fields[2] === '?',
    dowStar: fields[4] === '*' || fields[4] === '?',
  }
}

function parseField(field: string, b: Bounds): bigint {
  let bits = 0n
  for (const part of field.split(',')) bits |= parseRange(part, b)
  return bits
}

function parseRange(expr: string, b: Bounds): bigint {
  const [rangePart, stepPart, extra] = expr.split('/')
  if (extra !== undefined) throw new CronError(`too many slashes: ${expr}`)
  const lowHigh = rangePart.split('-')
  let start: number, end: number
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    if (lowHigh.length > 1) throw new CronError(`too many hyphens: ${expr}`)
    start = b.min
    end = b.max
  } else {
    if (lowHigh.length > 2) throw new CronError(`too many hyphens: ${expr}`)
    start = parseValue(lowHigh[0], b)
    end = lowHigh.length === 2 ? parseValue(lowHigh[1], b) : start
  }
  let step = 1
  if (stepPart !== undefined) {
    step = parseInt10(stepPart)
    // `N/step` means from N to the maximum.
    if (lowHigh.length === 1 && lowHigh[0] !== '*' && lowHigh[0] !== '?') end = b.max
    if (step <= 0) throw new CronError(`step of range should be a positive number: ${expr}`)
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`)
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`)
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`)
  let bits = 0n
  for (let i = start; i <= end; i += step) bits |= 1n << BigInt(i)
  return bits
}

function parseValue(v: string, b: Bounds): number {
  const named = b.names?.[v.toLowerCase()]
  if (named !== undefined) return named
  return parseInt10(v)
}

function parseInt10(v: string): number {
  if (!/^-?\d+$/.test(v)) throw new CronError(`failed to parse int from ${v}: strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`)
  const n = Number(v)
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${v}`)
  return n
}

/** Go's time.ParseDuration for the units cron uses (h, m, s, ms). */
export function parseGoDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy
  const units: Record<string, number> = {ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000}
  if (!s) return undefined
  let total = 0
  let m: RegExpExecArray | null
  let consumed = 0
  re.lastIndex = 0
  while ((m = re.exec(s))) {
    total += Number(m[1]) * units[m[2]]
    consumed = re.lastIndex
  }
  return consumed === s.length ? total : undefined
}

const has = (bits: bigint, i: number) => (bits & (1n << BigInt(i))) !== 0n

/** The first activation strictly after `after`, in UTC (or the offset function given), as robfig/cron's Next. */
export function nextActivation(s: CronSchedule, after: Date): Date {
  if (s.everyMs !== undefined) {
    const base = Math.floor(after.getTime() / 1000) * 1000
    return new Date(base + s.everyMs)
  }
  const t = new Date(after.getTime())
  t.setUTCSeconds(0, 0)
  t.setUTCMinutes(t.getUTCMinutes() + 1)
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000
  while (t.getTime() <= limit) {
    if (!has(s.month, t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1)
      t.setUTCHours(0, 0, 0, 0)
      continue
    }
    if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1)
      t.setUTCHours(0, 0, 0, 0)
      continue
    }
    if (!has(s.hour, t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0)
      continue
    }
    if (!has(s.minute, t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0)
      continue
    }
    return t
  }
  throw new CronError('no activation within five years')
}

function dayMatches(s: CronSchedule, t: Date): boolean {
  const domMatch = has(s.dom, t.getUTCDate())
  const dowMatch = has(s.dow, t.getUTCDay())
  // As in cron: when both fields are restricted, either one matching is enough.
  if (s.domStar || s.dowStar) return domMatch && dowMatch
  return domMatch || dowMatch
}
