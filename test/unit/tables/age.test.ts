// Ages as apimachinery's duration package and printers.go's translateTimestampSince format them.
import {strict as assert} from 'node:assert'
import {humanDuration, parseTimestamp, shortHumanDuration, translateTimestampSince, translateTimestampUntil} from '../../../src/print/age.js'

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H
const Y = 365 * D

describe('print/age', () => {
  describe('humanDuration', () => {
    // Cases from duration_test.go's TestHumanDuration plus the boundaries between its ranges.
    const cases: Array<[number, string]> = [
      [0, '0s'],
      [-999, '0s'],
      [-1 * S - 999, '0s'],
      [-2 * S, '<invalid>'],
      [-1 * H, '<invalid>'],
      [1 * S, '1s'],
      [59 * S, '59s'],
      [119 * S + 999, '119s'],
      [2 * M, '2m'],
      [2 * M + 1 * S, '2m1s'],
      [9 * M + 59 * S, '9m59s'],
      [10 * M, '10m'],
      [10 * M + 30 * S, '10m'],
      [59 * M, '59m'],
      [179 * M, '179m'],
      [3 * H, '3h'],
      [3 * H + 2 * M, '3h2m'],
      [7 * H + 59 * M, '7h59m'],
      [8 * H, '8h'],
      [8 * H + 59 * M, '8h'],
      [47 * H, '47h'],
      [48 * H, '2d'],
      [48 * H + 1 * H, '2d1h'],
      [5 * D + 4 * H, '5d4h'],
      [7 * D + 23 * H, '7d23h'],
      [8 * D, '8d'],
      [364 * D, '364d'],
      [2 * Y - 1 * D, '729d'],
      [2 * Y, '2y'],
      [2 * Y + 10 * D, '2y10d'],
      [7 * Y + 364 * D, '7y364d'],
      [8 * Y, '8y'],
      [10 * Y + 100 * D, '10y'],
    ]
    for (const [ms, want] of cases) {
      it(`${ms}ms is ${want}`, () => assert.equal(humanDuration(ms), want))
    }
  })

  describe('shortHumanDuration', () => {
    const cases: Array<[number, string]> = [
      [-2 * S, '<invalid>'],
      [-1 * S, '0s'],
      [59 * S, '59s'],
      [60 * S, '1m'],
      [59 * M + 59 * S, '59m'],
      [23 * H, '23h'],
      [24 * H, '1d'],
      [364 * D, '364d'],
      [365 * D, '1y'],
      [800 * D, '2y'],
    ]
    for (const [ms, want] of cases) {
      it(`${ms}ms is ${want}`, () => assert.equal(shortHumanDuration(ms), want))
    }
  })

  describe('translateTimestampSince', () => {
    const now = new Date('2024-06-01T12:00:00Z')
    it('reports <unknown> for unset and zero timestamps', () => {
      assert.equal(translateTimestampSince(undefined, now), '<unknown>')
      assert.equal(translateTimestampSince(null, now), '<unknown>')
      assert.equal(translateTimestampSince('', now), '<unknown>')
      assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>')
      assert.equal(translateTimestampSince('not a time', now), '<unknown>')
    })
    it('measures from now', () => {
      assert.equal(translateTimestampSince('2024-06-01T11:55:00Z', now), '5m')
      assert.equal(translateTimestampSince('2024-06-01T08:58:00Z', now), '3h2m')
      assert.equal(translateTimestampSince('2024-05-30T12:00:00Z', now), '2d')
      assert.equal(translateTimestampSince('2024-06-01T11:59:59.500000Z', now), '0s')
    })
    it('reports <invalid> for timestamps in the future beyond the clock-skew allowance', () => {
      assert.equal(translateTimestampSince('2024-06-01T12:00:01Z', now), '0s')
      assert.equal(translateTimestampSince('2024-06-01T12:00:05Z', now), '<invalid>')
    })
    it('translateTimestampUntil counts forward', () => {
      assert.equal(translateTimestampUntil('2024-06-01T13:00:00Z', now), '60m')
      assert.equal(translateTimestampUntil(undefined, now), '<unknown>')
    })
    it('parseTimestamp accepts MicroTime precision', () => {
      assert.equal(parseTimestamp('2024-06-01T11:00:00.123456Z')?.toISOString(), '2024-06-01T11:00:00.123Z')
    })
  })
})
