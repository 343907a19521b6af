// CronJob schedules: what parses (robfig/cron's standard parser), its error texts, and next activations.
import {strict as assert} from 'node:assert'
import {nextActivation, parseCronSchedule} from '../../../src/api/cron.js'

describe('cron schedules', () => {
  const valid = ['* * * * *', '0 3 * * *', '*/15 * * * *', '0 0-6/2 * * MON-FRI', '5,10,15 * 1 JAN,jul *', '0 0 ? * 0', '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 5m', '30 2 1-15 * *', '0 12 * * 6']
  for (const s of valid) it(`parses ${s}`, () => assert.doesNotThrow(() => parseCronSchedule(s)))

  const invalid: Array<[string, string]> = [
    ['', 'empty spec string'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['CRON_TZ=UTC * * * * *', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
  ]
  for (const [s, msg] of invalid) it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseCronSchedule(s), {message: msg}))

  const next: Array<[string, string, string]> = [
    ['0 3 * * *', '2026-01-01T02:59:00Z', '2026-01-01T03:00:00.000Z'],
    ['0 3 * * *', '2026-01-01T03:00:00Z', '2026-01-02T03:00:00.000Z'],
    ['*/15 * * * *', '2026-01-01T10:07:30Z', '2026-01-01T10:15:00.000Z'],
    ['0 0 1 * *', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00.000Z'],
    ['0 9 * * MON', '2026-11-22T12:00:00Z', '2026-11-23T09:00:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 0 13 * 5', '2026-11-01T00:00:00Z', '2026-11-06T00:00:00.000Z'],
    ['@every 90s', '2026-01-01T00:00:00Z', '2026-01-01T00:01:30.000Z'],
  ]
  for (const [s, after, expected] of next) {
    it(`next of ${s} after ${after}`, () => assert.equal(nextActivation(parseCronSchedule(s), new Date(after)).toISOString(), expected))
  }
})
