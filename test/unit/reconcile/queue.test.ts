// The runner's work queue: de-duplication, re-adding while processing, back-off, delayed adds.
import {strict as assert} from 'node:assert'
import {VirtualClock} from '../../../src/api/clock.js'
import {WorkQueue} from '../../../src/reconcile/queue.js'

describe('WorkQueue', () => {
  it('queues a key once, and once more if it is added while being processed', () => {
    const q = new WorkQueue(new VirtualClock())
    q.add('a')
    q.add('a')
    q.add('b')
    assert.equal(q.length, 2)
    const k = q.next()!
    q.add(k)
    assert.equal(q.length, 1, 'not queued twice while processing')
    q.done(k)
    assert.deepEqual([q.next(), q.next(), q.next()], ['b', 'a', undefined])
  })

  it('backs off failures exponentially from 5 ms, and forgets on success', () => {
    const clock = new VirtualClock()
    const q = new WorkQueue(clock)
    const at: number[] = []
    for (let i = 0; i < 4; i++) {
      q.addRateLimited('k')
      const start = clock.now().getTime()
      while (q.length === 0) clock.advanceToNext()
      at.push(clock.now().getTime() - start)
      q.done(q.next()!)
    }
    assert.deepEqual(at, [5, 10, 20, 40])
    q.forget('k')
    q.addRateLimited('k')
    assert.equal(clock.nextTimerAt()! - clock.now().getTime(), 5)
  })

  it('keeps the earliest of several delayed adds', () => {
    const clock = new VirtualClock()
    const q = new WorkQueue(clock)
    q.addAfter('k', 1000)
    q.addAfter('k', 200)
    q.addAfter('k', 5000)
    clock.advance(200)
    assert.equal(q.length, 1)
    clock.advance(5000)
    q.done(q.next()!)
    assert.equal(q.length, 0)
  })

  it('drops a pending delayed add when asked (a reconcile answered again)', () => {
    const clock = new VirtualClock()
    const q = new WorkQueue(clock)
    q.addAfter('k', 1000)
    q.cancelDelayed('k')
    assert.equal(q.waiting, 0)
    assert.equal(clock.nextTimerAt(), undefined)
    clock.advance(2000)
    assert.equal(q.length, 0)
  })

  it('hands out a long queue in order, whatever its length', () => {
    const q = new WorkQueue(new VirtualClock())
    for (let i = 0; i < 5000; i++) q.add(`k${i}`)
    const out: string[] = []
    for (let k = q.next(); k !== undefined; k = q.next()) {
      out.push(k)
      q.done(k)
      if (out.length === 2500) q.add('late')
    }
    assert.equal(out.length, 5001)
    assert.equal(out[0], 'k0')
    assert.equal(out[4999], 'k4999')
    assert.equal(out[5000], 'late')
  })
})
