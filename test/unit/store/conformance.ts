// The Store contract as one mocha suite, run against every implementation (memory.test.ts,
// sqlite.test.ts): the same inputs must give the same revisions, lists, events and errors.
import {strict as assert} from 'node:assert'
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  StoreError,
  type KeyValue,
  type Store,
  type WatchEvent,
} from '../../../src/store/index.js'

/** Opens a fresh, empty store; the suite closes every store it opens. */
export type StoreFactory = () => Store

/** A value whose text carries the revision it was written at, as the API server's encode does. */
export const val = (name: string, extra = '') => (rev: number) => `{"name":"${name}","rv":${rev}${extra}}`

export function record(store: Store, prefix: string, fromRevision: number) {
  const events: WatchEvent[] = []
  const watcher = store.watch(prefix, {fromRevision, onEvent: (e) => events.push(e)})
  return {events, watcher}
}

/** Compact view of events for deepEqual: "TYPE key@modRevision value [prev@rev value]". */
export function show(events: readonly WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}/${e.kv.createRevision} ${e.kv.value}${e.prev ? ` prev@${e.prev.modRevision} ${e.prev.value}` : ''}`)
}

const keys = (items: readonly KeyValue[]) => items.map((kv) => kv.key)

function throwsA<E extends Error>(fn: () => unknown, type: new (...args: never[]) => E): E {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`)
    return err
  }
  return assert.fail(`expected ${type.name}`)
}

export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, function () {
    this.timeout(60_000)
    let opened: Store[] = []
    const open = () => {
      const store = factory()
      opened.push(store)
      return store
    }
    afterEach(() => {
      for (const store of opened) store.close()
      opened = []
    })

    describe('create, get, update, delete', () => {
      it('starts empty at revision 0', () => {
        const s = open()
        assert.equal(s.currentRevision(), 0)
        assert.equal(s.compactedRevision(), 0)
        assert.equal(s.get('/a'), undefined)
        assert.deepEqual(s.list('/'), {items: [], revision: 0, remaining: 0})
        assert.equal(s.count(''), 0)
      })

      it('create gives the next revision to encode, and create = mod revision', () => {
        const s = open()
        const seen: number[] = []
        const a = s.create('/a', (rev) => {
          seen.push(rev)
          return val('a')(rev)
        })
        assert.deepEqual(seen, [1])
        assert.deepEqual(a, {key: '/a', value: '{"name":"a","rv":1}', createRevision: 1, modRevision: 1})
        assert.deepEqual(s.get('/a'), a)
        assert.equal(s.currentRevision(), 1)
      })

      it('create of an existing key fails with KeyExistsError and writes nothing', () => {
        const s = open()
        s.create('/a', val('a'))
        let called = false
        const err = throwsA(() => s.create('/a', () => ((called = true), 'x')), KeyExistsError)
        assert.equal(err.key, '/a')
        assert.equal(called, false, 'encode is not called for a refused write')
        assert.equal(s.currentRevision(), 1)
        assert.equal(s.get('/a')?.value, '{"name":"a","rv":1}')
      })

      it('update keeps createRevision and moves modRevision; absent keys fail with KeyNotFoundError', () => {
        const s = open()
        s.create('/a', val('a'))
        s.create('/b', val('b'))
        const a = s.update('/a', val('a', ',"v":2'))
        assert.deepEqual(a, {key: '/a', value: '{"name":"a","rv":3,"v":2}', createRevision: 1, modRevision: 3})
        assert.deepEqual(s.get('/a'), a)
        assert.equal(throwsA(() => s.update('/nope', val('x')), KeyNotFoundError).key, '/nope')
        assert.equal(s.currentRevision(), 3)
      })

      it('update and delete honour expectedModRevision with ConflictError', () => {
        const s = open()
        s.create('/a', val('a'))
        s.update('/a', val('a'), 1)
        const err = throwsA(() => s.update('/a', val('a'), 1), ConflictError)
        assert.deepEqual([err.key, err.expected, err.actual], ['/a', 1, 2])
        throwsA(() => s.delete('/a', 1), ConflictError)
        throwsA(() => s.delete('/b', 1), KeyNotFoundError)
        assert.equal(s.currentRevision(), 2)
        assert.equal(s.delete('/a', 2).modRevision, 3)
      })

      it('delete returns the last value with the delete revision; a re-create starts a new life', () => {
        const s = open()
        s.create('/a', val('a'))
        s.update('/a', val('a'))
        const gone = s.delete('/a')
        assert.deepEqual(gone, {key: '/a', value: '{"name":"a","rv":2}', createRevision: 1, modRevision: 3})
        assert.equal(s.get('/a'), undefined)
        throwsA(() => s.delete('/a'), KeyNotFoundError)
        throwsA(() => s.update('/a', val('a')), KeyNotFoundError)
        assert.deepEqual(s.create('/a', val('a')), {key: '/a', value: '{"name":"a","rv":4}', createRevision: 4, modRevision: 4})
      })

      it('a throwing or non-string encode writes nothing and does not advance the revision', () => {
        const s = open()
        s.create('/a', val('a'))
        assert.throws(() => s.create('/b', () => { throw new Error('boom') }), /boom/)
        assert.throws(() => s.update('/a', () => { throw new Error('boom') }), /boom/)
        throwsA(() => s.create('/b', () => 42 as unknown as string), StoreError)
        assert.equal(s.currentRevision(), 1)
        assert.equal(s.get('/b'), undefined)
        assert.equal(s.create('/b', val('b')).modRevision, 2)
        assert.deepEqual(keys(s.list('/', {revision: 2}).items), ['/a', '/b'])
      })

      it('one global revision: monotonic across keys, one per write', () => {
        const s = open()
        const revs = [
          s.create('/x/1', val('1')).modRevision,
          s.create('/y/1', val('1')).modRevision,
          s.update('/x/1', val('1')).modRevision,
          s.delete('/y/1').modRevision,
          s.create('/y/1', val('1')).modRevision,
        ]
        assert.deepEqual(revs, [1, 2, 3, 4, 5])
        assert.equal(s.currentRevision(), 5)
      })
    })

    describe('list and count', () => {
      function seedNamespaces(s: Store) {
        for (const ns of ['default-2', 'default', 'kube-system', 'def']) {
          for (const n of ['b', 'a', 'c']) s.create(`/registry/pods/${ns}/${n}`, val(n))
        }
        s.create('/registry/pods-other/x', val('x'))
        s.create('/registry/pod', val('pod'))
      }

      it('lists by prefix in key order; prefixes that prefix each other stay apart', () => {
        const s = open()
        seedNamespaces(s)
        assert.deepEqual(keys(s.list('/registry/pods/default/').items), ['/registry/pods/default/a', '/registry/pods/default/b', '/registry/pods/default/c'])
        assert.deepEqual(keys(s.list('/registry/pods/default-2/').items), ['/registry/pods/default-2/a', '/registry/pods/default-2/b', '/registry/pods/default-2/c'])
        assert.equal(s.list('/registry/pods/def/').items.length, 3)
        assert.equal(s.list('/registry/pods/default').items.length, 6)
        const all = keys(s.list('/registry/pods/').items)
        assert.equal(all.length, 12)
        assert.deepEqual(all, [...all].sort())
        assert.equal(s.count('/registry/pods/default/'), 3)
        assert.equal(s.count('/registry/pods/'), 12)
        assert.equal(s.count('/registry/pod'), 14)
        assert.equal(s.count(''), 14)
        assert.equal(s.count('/registry/nothing/'), 0)
        const listed = s.list('/registry/pods/kube-system/')
        assert.equal(listed.revision, s.currentRevision())
        assert.equal(listed.continueKey, undefined)
        assert.equal(listed.items[0].value, s.get('/registry/pods/kube-system/a')?.value)
      })

      it('pages with limit/continue: key order, every item exactly once, remaining counts down', () => {
        const s = open()
        seedNamespaces(s)
        const expected = keys(s.list('/registry/pods/').items)
        for (const limit of [1, 2, 5, 12, 13, 100]) {
          const seen: string[] = []
          let continueAfter: string | undefined
          for (;;) {
            const page = s.list('/registry/pods/', {limit, continueAfter})
            assert.ok(page.items.length <= limit)
            seen.push(...keys(page.items))
            assert.equal(page.remaining, expected.length - seen.length, `remaining at limit ${limit}`)
            if (!page.continueKey) break
            assert.equal(page.continueKey, page.items[page.items.length - 1].key)
            continueAfter = page.continueKey
          }
          assert.deepEqual(seen, expected, `pages at limit ${limit}`)
        }
      })

      it('continueAfter before or beyond the prefix', () => {
        const s = open()
        seedNamespaces(s)
        assert.equal(s.list('/registry/pods/default/', {continueAfter: '/a'}).items.length, 3)
        assert.deepEqual(keys(s.list('/registry/pods/default/', {continueAfter: '/registry/pods/default/a'}).items), ['/registry/pods/default/b', '/registry/pods/default/c'])
        assert.deepEqual(s.list('/registry/pods/default/', {continueAfter: '/registry/pods/default/c'}).items, [])
        assert.deepEqual(s.list('/registry/pods/default/', {continueAfter: '/z'}).items, [])
      })

      it('lists at an older revision: old values, deleted keys back, later keys absent', () => {
        const s = open()
        s.create('/p/a', val('a')) // 1
        s.create('/p/b', val('b')) // 2
        s.create('/p/c', val('c')) // 3
        s.update('/p/a', val('a', ',"v":2')) // 4
        s.delete('/p/b') // 5
        s.create('/p/d', val('d')) // 6
        s.create('/q/a', val('qa')) // 7
        s.delete('/p/c') // 8
        s.create('/p/b', val('b', ',"again":true')) // 9
        const at = (revision: number) => s.list('/p/', {revision}).items.map((kv) => `${kv.key}@${kv.modRevision}/${kv.createRevision}`)
        assert.deepEqual(at(1), ['/p/a@1/1'])
        assert.deepEqual(at(3), ['/p/a@1/1', '/p/b@2/2', '/p/c@3/3'])
        assert.deepEqual(at(4), ['/p/a@4/1', '/p/b@2/2', '/p/c@3/3'])
        assert.deepEqual(at(5), ['/p/a@4/1', '/p/c@3/3'])
        assert.deepEqual(at(8), ['/p/a@4/1', '/p/d@6/6'])
        assert.deepEqual(at(9), ['/p/a@4/1', '/p/b@9/9', '/p/d@6/6'])
        assert.deepEqual(at(0), at(9))
        assert.equal(s.list('/p/', {revision: 4}).items[0].value, '{"name":"a","rv":4,"v":2}')
        assert.equal(s.list('/p/', {revision: 3}).revision, 3)
        // Paging at an old revision, over a deleted key.
        const first = s.list('/p/', {revision: 4, limit: 2})
        assert.deepEqual(keys(first.items), ['/p/a', '/p/b'])
        assert.equal(first.remaining, 1)
        assert.equal(first.continueKey, '/p/b')
        const second = s.list('/p/', {revision: 4, limit: 2, continueAfter: first.continueKey})
        assert.deepEqual(keys(second.items), ['/p/c'])
        assert.equal(second.continueKey, undefined)
        assert.equal(second.remaining, 0)
        assert.deepEqual(keys(s.list('/p/', {revision: 8, limit: 1}).items), ['/p/a'])
        assert.equal(s.list('/p/', {revision: 8, limit: 1}).remaining, 1)
        assert.deepEqual(keys(s.list('', {revision: 7}).items), ['/p/a', '/p/c', '/p/d', '/q/a'])
      })

      it('refuses future revisions and, after compaction, older ones with CompactedError', () => {
        const s = open()
        for (let i = 0; i < 6; i++) s.create(`/k/${i}`, val(String(i)))
        s.delete('/k/0') // 7
        s.update('/k/1', val('1')) // 8
        throwsA(() => s.list('/k/', {revision: 9}), StoreError)
        s.compact(7)
        assert.equal(s.compactedRevision(), 7)
        const err = throwsA(() => s.list('/k/', {revision: 6}), CompactedError)
        assert.deepEqual([err.requested, err.compacted], [6, 7])
        assert.deepEqual(keys(s.list('/k/', {revision: 7}).items), ['/k/1', '/k/2', '/k/3', '/k/4', '/k/5'])
        assert.equal(s.list('/k/', {revision: 7}).items[0].modRevision, 2)
        assert.equal(s.list('/k/', {revision: 8}).items[0].modRevision, 8)
        assert.equal(s.list('/k/').items.length, 5)
      })
    })

    describe('watch', () => {
      it('from 0: only future events, filtered by prefix, with prev values; DELETED carries the last value', () => {
        const s = open()
        s.create('/registry/pods/default/old', val('old'))
        const w = record(s, '/registry/pods/default/', 0)
        s.create('/registry/pods/default/a', val('a')) // 2
        s.create('/registry/pods/default-2/a', val('other')) // 3
        s.update('/registry/pods/default/a', val('a', ',"v":2')) // 4
        s.delete('/registry/pods/default/a') // 5
        s.delete('/registry/pods/default/old') // 6
        assert.deepEqual(show(w.events), [
          'ADDED /registry/pods/default/a@2/2 {"name":"a","rv":2}',
          'MODIFIED /registry/pods/default/a@4/2 {"name":"a","rv":4,"v":2} prev@2 {"name":"a","rv":2}',
          'DELETED /registry/pods/default/a@5/2 {"name":"a","rv":4,"v":2} prev@4 {"name":"a","rv":4,"v":2}',
          'DELETED /registry/pods/default/old@6/1 {"name":"old","rv":1} prev@1 {"name":"old","rv":1}',
        ])
      })

      it('from an old revision: replays history in order, then continues live with no gap or duplicate', () => {
        const s = open()
        s.create('/w/a', val('a')) // 1
        s.create('/w/b', val('b')) // 2
        s.update('/w/a', val('a')) // 3
        s.create('/x/a', val('x')) // 4
        s.delete('/w/b') // 5
        const replayed = record(s, '/w/', 1)
        const live = record(s, '/w/', 0)
        s.update('/w/a', val('a')) // 6
        const expected = [
          'ADDED /w/b@2/2 {"name":"b","rv":2}',
          'MODIFIED /w/a@3/1 {"name":"a","rv":3} prev@1 {"name":"a","rv":1}',
          'DELETED /w/b@5/2 {"name":"b","rv":2} prev@2 {"name":"b","rv":2}',
          'MODIFIED /w/a@6/1 {"name":"a","rv":6} prev@3 {"name":"a","rv":3}',
        ]
        assert.deepEqual(show(replayed.events), expected)
        assert.deepEqual(show(live.events), expected.slice(3))
        const fromStart = record(s, '', 0 + 1)
        assert.deepEqual(fromStart.events.map((e) => e.kv.modRevision), [2, 3, 4, 5, 6])
        // Equal to the current revision: nothing to replay, then live.
        const caughtUp = record(s, '/w/', s.currentRevision())
        s.create('/w/c', val('c'))
        assert.deepEqual(caughtUp.events.map((e) => e.kv.modRevision), [7])
      })

      it('replays a long history page by page, then live', () => {
        const s = open()
        s.transaction(() => {
          for (let i = 0; i < 1500; i++) s.create(`/h/${String(i).padStart(5, '0')}`, val(String(i)))
        })
        for (let i = 0; i < 1500; i += 3) s.update(`/h/${String(i).padStart(5, '0')}`, val(String(i)))
        const w = record(s, '/h/', 10)
        s.delete('/h/00000')
        const revs = w.events.map((e) => e.kv.modRevision)
        assert.equal(revs.length, s.currentRevision() - 10)
        revs.forEach((rev, i) => assert.equal(rev, 11 + i))
        assert.equal(w.events[1500 - 10].prev?.modRevision, 1)
      })

      it('fails with CompactedError below the compacted revision; from it, replays what is left', () => {
        const s = open()
        s.create('/c/a', val('a')) // 1
        s.update('/c/a', val('a')) // 2
        s.create('/c/b', val('b')) // 3
        s.update('/c/a', val('a')) // 4
        s.delete('/c/b') // 5
        s.compact(3)
        const err = throwsA(() => s.watch('/c/', {fromRevision: 2, onEvent: () => {}}), CompactedError)
        assert.deepEqual([err.requested, err.compacted], [2, 3])
        const w = record(s, '/c/', 3)
        assert.deepEqual(show(w.events), [
          'MODIFIED /c/a@4/1 {"name":"a","rv":4} prev@2 {"name":"a","rv":2}',
          'DELETED /c/b@5/3 {"name":"b","rv":3} prev@3 {"name":"b","rv":3}',
        ])
        assert.equal(record(s, '/c/', 0).events.length, 0, 'fromRevision 0 is never compacted')
      })

      it('stop() ends delivery, also from inside a callback', () => {
        const s = open()
        const w = record(s, '/s/', 0)
        s.create('/s/a', val('a'))
        w.watcher.stop()
        w.watcher.stop()
        s.create('/s/b', val('b'))
        assert.equal(w.events.length, 1)
        const got: number[] = []
        const self: {w?: {stop(): void}} = {}
        self.w = s.watch('/s/', {
          fromRevision: 0,
          onEvent: (e) => {
            got.push(e.kv.modRevision)
            self.w?.stop()
          },
        })
        s.transaction(() => {
          s.create('/s/c', val('c'))
          s.create('/s/d', val('d'))
        })
        assert.deepEqual(got, [3])
      })

      it('a watcher that writes from its callback: everyone sees every event once, in revision order', () => {
        const s = open()
        const a: number[] = []
        const b: number[] = []
        s.watch('/r/', {
          fromRevision: 0,
          onEvent: (e) => {
            a.push(e.kv.modRevision)
            if (e.type === 'ADDED' && !e.kv.key.endsWith('-status')) s.create(`${e.kv.key}-status`, val('status'))
          },
        })
        s.watch('/r/', {fromRevision: 0, onEvent: (e) => b.push(e.kv.modRevision)})
        s.create('/r/a', val('a'))
        s.create('/r/b', val('b'))
        assert.deepEqual(a, [1, 2, 3, 4])
        assert.deepEqual(b, [1, 2, 3, 4])
        assert.ok(s.get('/r/a-status'))
      })

      it('a watch opened from a callback replays without duplicating queued events', () => {
        const s = open()
        s.create('/n/seed', val('seed'))
        const inner: number[] = []
        let opened = false
        s.watch('/n/', {
          fromRevision: 0,
          onEvent: (e) => {
            if (opened) return
            opened = true
            s.create('/n/echo', val('echo')) // queued behind this event
            s.watch('/n/', {fromRevision: e.kv.modRevision - 1, onEvent: (ev) => inner.push(ev.kv.modRevision)})
          },
        })
        s.create('/n/a', val('a')) // 2, then echo at 3
        s.create('/n/b', val('b')) // 4
        assert.deepEqual(inner, [2, 3, 4])
      })

      it('a watcher that throws is stopped; the write stands and the error surfaces as uncaught', async () => {
        const s = open()
        const mochaHandlers = process.listeners('uncaughtException')
        process.removeAllListeners('uncaughtException')
        const uncaught: unknown[] = []
        process.on('uncaughtException', (err) => uncaught.push(err))
        const calls: number[] = []
        try {
          s.watch('/e/', {
            fromRevision: 0,
            onEvent: (e) => {
              calls.push(e.kv.modRevision)
              throw new Error('watcher bug')
            },
          })
          const others = record(s, '/e/', 0)
          assert.equal(s.create('/e/a', val('a')).modRevision, 1)
          s.create('/e/b', val('b'))
          assert.deepEqual(others.events.map((e) => e.kv.modRevision), [1, 2])
          await new Promise((resolve) => setImmediate(resolve))
        } finally {
          process.removeAllListeners('uncaughtException')
          for (const handler of mochaHandlers) process.on('uncaughtException', handler)
        }
        assert.deepEqual(calls, [1])
        assert.equal(uncaught.length, 1)
        assert.match(String(uncaught[0]), /watcher bug/)
      })

      it('watch from a future revision waits for it', () => {
        const s = open()
        s.create('/f/a', val('a'))
        const w = record(s, '/f/', 3)
        s.create('/f/b', val('b'))
        s.create('/f/c', val('c'))
        s.create('/f/d', val('d'))
        assert.deepEqual(w.events.map((e) => e.kv.modRevision), [4])
      })
    })

    describe('transactions', () => {
      it('commits nested writes together; reads inside see them; watchers only after commit', () => {
        const s = open()
        s.create('/t/a', val('a'))
        const w = record(s, '/t/', 0)
        const result = s.transaction(() => {
          s.update('/t/a', val('a'))
          const b = s.create('/t/b', val('b'))
          s.transaction(() => s.create('/t/c', val('c')))
          assert.equal(s.get('/t/b')?.modRevision, 3)
          assert.equal(s.count('/t/'), 3)
          assert.equal(s.currentRevision(), 4)
          assert.equal(w.events.length, 0, 'no events before commit')
          return b.modRevision
        })
        assert.equal(result, 3)
        assert.deepEqual(w.events.map((e) => `${e.type}@${e.kv.modRevision}`), ['MODIFIED@2', 'ADDED@3', 'ADDED@4'])
        assert.deepEqual(keys(s.list('/t/', {revision: 3}).items), ['/t/a', '/t/b'])
      })

      it('rolls back everything when fn throws: values, revision, history, no events', () => {
        const s = open()
        s.create('/t/a', val('a'))
        s.create('/t/b', val('b'))
        const w = record(s, '/t/', 0)
        assert.throws(() =>
          s.transaction(() => {
            s.update('/t/a', val('a', ',"changed":true'))
            s.delete('/t/b')
            s.create('/t/c', val('c'))
            s.create('/t/c', val('c')) // KeyExistsError
          }), KeyExistsError)
        assert.equal(s.currentRevision(), 2)
        assert.equal(s.get('/t/a')?.value, '{"name":"a","rv":1}')
        assert.equal(s.get('/t/b')?.modRevision, 2)
        assert.equal(s.get('/t/c'), undefined)
        assert.equal(s.count('/t/'), 2)
        assert.equal(w.events.length, 0)
        throwsA(() => s.list('/t/', {revision: 3}), StoreError)
        const late = record(s, '/t/', 1)
        assert.deepEqual(late.events.map((e) => e.kv.modRevision), [2])
        assert.equal(s.create('/t/c', val('c')).modRevision, 3)
        assert.deepEqual(w.events.map((e) => e.kv.modRevision), [3])
      })

      it('an inner transaction that throws is undone alone when the outer one catches', () => {
        const s = open()
        const w = record(s, '', 0)
        s.transaction(() => {
          s.create('/t/a', val('a')) // 1
          assert.throws(() =>
            s.transaction(() => {
              s.create('/t/b', val('b'))
              s.update('/t/a', val('a', ',"inner":true'))
              throw new Error('inner')
            }), /inner/)
          assert.equal(s.get('/t/b'), undefined)
          assert.equal(s.get('/t/a')?.modRevision, 1)
          s.create('/t/c', val('c')) // 2
        })
        assert.deepEqual(show(w.events), ['ADDED /t/a@1/1 {"name":"a","rv":1}', 'ADDED /t/c@2/2 {"name":"c","rv":2}'])
        assert.deepEqual(keys(s.list('').items), ['/t/a', '/t/c'])
        assert.deepEqual(record(s, '', 0 + 1).events.map((e) => e.kv.key), ['/t/c'])
      })

      it('refuses an async function and writes nothing', () => {
        const s = open()
        throwsA(() => s.transaction(async () => s.create('/t/a', val('a'))), StoreError)
        assert.equal(s.currentRevision(), 0)
        assert.equal(s.get('/t/a'), undefined)
      })

      it('refuses compaction inside a transaction', () => {
        const s = open()
        s.create('/t/a', val('a'))
        throwsA(() => s.transaction(() => s.compact(1)), StoreError)
        assert.equal(s.compactedRevision(), 0)
      })
    })

    describe('compaction', () => {
      it('keeps current values and the state at the compacted revision; refuses the future', () => {
        const s = open()
        s.create('/c/a', val('a')) // 1
        s.update('/c/a', val('a')) // 2
        s.create('/c/b', val('b')) // 3
        s.delete('/c/b') // 4
        s.create('/c/d', val('d')) // 5
        throwsA(() => s.compact(6), StoreError)
        s.compact(4)
        s.compact(2) // older than the compacted revision: nothing to do
        assert.equal(s.compactedRevision(), 4)
        assert.deepEqual(keys(s.list('/c/', {revision: 4}).items), ['/c/a'])
        assert.deepEqual(keys(s.list('/c/').items), ['/c/a', '/c/d'])
        assert.equal(s.get('/c/a')?.modRevision, 2)
        s.compact(5)
        assert.deepEqual(keys(s.list('/c/', {revision: 5}).items), ['/c/a', '/c/d'])
        assert.equal(s.update('/c/a', val('a')).modRevision, 6)
        assert.deepEqual(show(record(s, '/c/', 5).events), ['MODIFIED /c/a@6/1 {"name":"a","rv":6} prev@2 {"name":"a","rv":2}'])
      })

      it('compacting at the current revision keeps the revision when the last write was a delete', () => {
        const s = open()
        s.create('/c/a', val('a'))
        s.delete('/c/a')
        s.compact(2)
        assert.equal(s.currentRevision(), 2)
        assert.deepEqual(s.list('', {revision: 2}).items, [])
        assert.equal(s.create('/c/a', val('a')).modRevision, 3)
      })
    })

    describe('against a naive model', () => {
      it('random writes, lists at random revisions, compactions and watches agree', () => {
        const s = open()
        // The model: every write in order; the state at R is a fold over writes <= R.
        const writes: {rev: number; key: string; value?: string; create: number}[] = []
        const stateAt = (rev: number) => {
          const m = new Map<string, {value: string; create: number; mod: number}>()
          for (const w of writes) {
            if (w.rev > rev) break
            if (w.value === undefined) m.delete(w.key)
            else m.set(w.key, {value: w.value, create: w.create, mod: w.rev})
          }
          return m
        }
        let seed = 42
        const rand = (n: number) => {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff
          return seed % n
        }
        const names = ['/m/a', '/m/a/', '/m/a-b', '/m/b/1', '/m/b/2', '/m/b/10', '/m/c', '/n/a', '/m/ab']
        const watched = record(s, '/m/b/', 0)
        for (let step = 0; step < 1500; step++) {
          const key = names[rand(names.length)]
          const cur = s.get(key)
          const doWrite = (fn: () => void) => s.transaction(fn)
          if (!cur) {
            const kv = s.create(key, val(key, `,"s":${step}`))
            writes.push({rev: kv.modRevision, key, value: kv.value, create: kv.modRevision})
          } else if (rand(3) === 0) {
            s.delete(key, cur.modRevision)
            writes.push({rev: s.currentRevision(), key, create: 0})
          } else if (rand(10) === 0) {
            assert.throws(() => doWrite(() => {
              s.update(key, val(key))
              throw new Error('rollback')
            }), /rollback/)
          } else {
            const kv = s.update(key, val(key, `,"s":${step}`))
            writes.push({rev: kv.modRevision, key, value: kv.value, create: cur.createRevision})
          }
          if (step % 50 === 49) {
            const current = s.currentRevision()
            const rev = Math.max(1, s.compactedRevision() + rand(current - s.compactedRevision() + 1))
            const prefix = ['', '/m/', '/m/a', '/m/b/', '/m/b/1'][rand(5)]
            const expected = [...stateAt(rev)].filter(([k]) => k.startsWith(prefix)).sort(([x], [y]) => (x < y ? -1 : 1))
            const limit = 1 + rand(4)
            const got: KeyValue[] = []
            let continueAfter: string | undefined
            for (;;) {
              const page = s.list(prefix, {revision: rev, limit, continueAfter})
              got.push(...page.items)
              assert.equal(page.remaining, expected.length - got.length)
              if (!page.continueKey) break
              continueAfter = page.continueKey
            }
            assert.deepEqual(
              got.map((kv) => [kv.key, kv.value, kv.createRevision, kv.modRevision]),
              expected.map(([k, v]) => [k, v.value, v.create, v.mod]),
              `list ${prefix} at ${rev}`,
            )
            assert.equal(s.count(prefix), [...stateAt(current)].filter(([k]) => k.startsWith(prefix)).length)
            if (rand(3) === 0) s.compact(s.compactedRevision() + rand(current - s.compactedRevision() + 1))
            // A replay from the compacted revision matches the model's writes after it.
            const from = Math.max(1, s.compactedRevision())
            const replay = record(s, '/m/', from)
            replay.watcher.stop()
            assert.deepEqual(
              replay.events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`),
              writes.filter((w) => w.rev > from && w.key.startsWith('/m/')).map((w) => {
                const before = stateAt(w.rev - 1).get(w.key)
                return `${w.value === undefined ? 'DELETED' : before ? 'MODIFIED' : 'ADDED'} ${w.key}@${w.rev}`
              }),
            )
          }
        }
        assert.ok(s.compactedRevision() > 0, 'the run compacted')
        assert.deepEqual(
          watched.events.map((e) => e.kv.modRevision),
          writes.filter((w) => w.key.startsWith('/m/b/')).map((w) => w.rev),
        )
      })
    })

    describe('scale', () => {
      it('20,000 keys over many prefixes: counts, pages and old-revision lists stay exact', () => {
        const s = open()
        const nss = ['default', 'default-2', 'default-20', 'kube-system', 'ns']
        const name = (i: number) => `/registry/pods/${nss[i % nss.length]}/pod-${String(i).padStart(6, '0')}`
        for (let i = 0; i < 2000; i++) s.create(name(i), val(String(i)))
        s.transaction(() => {
          for (let i = 2000; i < 20_000; i++) s.create(name(i), val(String(i)))
        })
        const full = s.currentRevision()
        assert.equal(full, 20_000)
        assert.equal(s.count('/registry/pods/'), 20_000)
        assert.equal(s.count('/registry/pods/default/'), 4000)
        assert.equal(s.count('/registry/pods/default-2'), 8000)
        for (let i = 0; i < 20_000; i++) if (i % 2 === 0 || i % 5 === 0) s.delete(name(i))
        assert.equal(s.count('/registry/pods/'), 8000)
        assert.equal(s.count('/registry/pods/default/'), 0)
        assert.equal(s.count('/registry/pods/default-2/'), 2000)
        assert.equal(s.count('/registry/pods/default-2'), 4000)
        const pageThrough = (prefix: string, revision?: number) => {
          const out: string[] = []
          let continueAfter: string | undefined
          for (;;) {
            const page = s.list(prefix, {limit: 500, continueAfter, revision})
            out.push(...keys(page.items))
            if (!page.continueKey) return out
            continueAfter = page.continueKey
          }
        }
        const now = pageThrough('/registry/pods/default-2/')
        assert.equal(now.length, 2000)
        assert.equal(new Set(now).size, 2000)
        assert.deepEqual(now, [...now].sort())
        const then = pageThrough('/registry/pods/', full)
        assert.equal(then.length, 20_000)
        assert.equal(new Set(then).size, 20_000)
        assert.deepEqual(s.list('/registry/pods/default/', {revision: full, limit: 10}).remaining, 3990)
        assert.equal(s.list('/registry/pods/').items.length, 8000)
        assert.deepEqual(pageThrough('/registry/pods/default/', full).length, 4000)
      })
    })
  })
}
