// The virtual clock: timers run in (time, creation) order, cancelled ones never, and work timers are
// told apart from background ones — at the scale of a large cluster's pending timers.
import {strict as assert} from 'node:assert'
import {VirtualClock} from '../../../src/api/clock.js'

describe('VirtualClock', () => {
  it('runs due timers in time order, creation order breaking ties, including ones they schedule', () => {
    const c = new VirtualClock(0)
    const ran: string[] = []
    c.setTimeout(() => ran.push('b@20'), 20)
    c.setTimeout(() => ran.push('a@10'), 10)
    c.setTimeout(() => {
      ran.push('c@10')
      c.setTimeout(() => ran.push('d@10+0'), 0)
    }, 10)
    c.setTimeout(() => ran.push('e@30'), 30)
    c.advance(20)
    assert.deepEqual(ran, ['a@10', 'c@10', 'd@10+0', 'b@20'])
    assert.equal(c.now().getTime(), 20)
    assert.equal(c.pending(), 1)
  })

  it('never runs a cancelled timer and skips it when finding the next one', () => {
    const c = new VirtualClock(0)
    const ran: number[] = []
    const handles = Array.from({length: 10}, (_, i) => c.setTimeout(() => ran.push(i), 100 - i * 10))
    for (const i of [9, 8, 3]) c.clearTimeout(handles[i]!)
    assert.equal(c.nextTimerAt(), 30)
    c.advance(100)
    assert.deepEqual(ran, [7, 6, 5, 4, 2, 1, 0])
  })

  it('reports the next work timer apart from background ones', () => {
    const c = new VirtualClock(0)
    c.setTimeout(() => {}, 5, {background: true})
    const work = c.setTimeout(() => {}, 50)
    c.setTimeout(() => {}, 70)
    assert.equal(c.nextTimerAt(), 5)
    assert.equal(c.nextTimerAt(true), 50)
    c.clearTimeout(work)
    assert.equal(c.nextTimerAt(true), 70)
    c.advance(5)
    assert.equal(c.nextTimerAt(), 70)
  })

  it('keeps order across 100,000 timers set in random order', () => {
    const c = new VirtualClock(0)
    let seed = 42
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const ran: number[] = []
    for (let i = 0; i < 100_000; i++) {
      const at = Math.floor(rnd() * 1000)
      c.setTimeout(() => ran.push(at), at)
    }
    c.advance(1000)
    assert.equal(ran.length, 100_000)
    for (let i = 1; i < ran.length; i++) assert.ok(ran[i - 1]! <= ran[i]!, `timer ${i} ran out of order`)
  })
})
