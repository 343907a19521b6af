// SqliteStore: the shared conformance suite on a file, plus what only a file can show: reopening
// recovers everything, and no acknowledged write is lost when the writing process is killed.
import {strict as assert} from 'node:assert'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import Database from 'better-sqlite3'
import {SqliteStore, openStore, type KeyValue} from '../../../src/store/index.js'
import {readState} from '../../../src/store/sqlite-schema.js'
import {sqliteTuning} from '../../../src/store/sqlite.js'
import {describeStoreConformance, record, show, val} from './conformance.js'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(here, '../../..')
let tmp = ''
let seq = 0
const freshPath = () => join(tmp, `s${++seq}`, 'store.db')

describe('SqliteStore', () => {
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'kube2-store-'))))
  after(() => rmSync(tmp, {recursive: true, force: true}))

  describeStoreConformance('SqliteStore', () => SqliteStore.open(freshPath()))
  describeOnDisk()
})

/** The table read afresh on a second connection must equal the store's in-memory cache. */
function assertConsistent(store: SqliteStore): void {
  const db = new Database(store.path, {readonly: true})
  try {
    const state = readState(db)
    assert.equal(store.currentRevision(), state.revision, 'revision = newest row')
    assert.equal(store.compactedRevision(), state.compacted)
    const cached = store.list('').items
    assert.equal(cached.length, state.current.length)
    assert.deepEqual(cached, state.current, 'cache equals a fresh read of the table')
  } finally {
    db.close()
  }
}

/** What only a file can show: durability, recovery, and the cache agreeing with the table. */
function describeOnDisk(): void {
  describe('on disk', function () {
    this.timeout(60_000)

    it('opens in WAL mode, creating parent directories', () => {
      const path = join(tmp, 'deep', 'er', 'store.db')
      const store = SqliteStore.open(path)
      store.close()
      const db = new Database(path, {readonly: true})
      try {
        assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
      } finally {
        db.close()
      }
      const s = openStore(path)
      assert.ok(s instanceof SqliteStore)
      s.close()
    })

    it('reopen recovers values, revisions, history, compaction and watch replay', () => {
      const path = freshPath()
      let s = SqliteStore.open(path)
      s.create('/r/a', val('a')) // 1
      s.create('/r/b', val('b')) // 2
      s.update('/r/a', val('a')) // 3
      s.delete('/r/b') // 4
      s.create('/r/c', val('c')) // 5
      s.update('/r/c', val('c')) // 6
      s.compact(3)
      assert.throws(() => s.transaction(() => {
        s.create('/r/rolled-back', val('x'))
        throw new Error('no')
      }), /no/)
      const before = {items: s.list('').items, old: s.list('', {revision: 5}).items, events: show(record(s, '/r/', 3).events)}
      s.close()
      assert.throws(() => s.get('/r/a'), /closed/)

      s = SqliteStore.open(path)
      assert.equal(s.currentRevision(), 6)
      assert.equal(s.compactedRevision(), 3)
      assert.deepEqual(s.list('').items, before.items)
      assert.deepEqual(s.list('', {revision: 5}).items, before.old)
      assert.deepEqual(show(record(s, '/r/', 3).events), before.events)
      assert.equal(s.get('/r/rolled-back'), undefined)
      assert.throws(() => s.list('', {revision: 2}), /compacted/)
      assert.deepEqual(s.update('/r/a', val('a')), {key: '/r/a', value: '{"name":"a","rv":7}', createRevision: 1, modRevision: 7})
      assertConsistent(s)
      s.close()
    })

    it('reopen after compacting away a trailing delete keeps the revision', () => {
      const path = freshPath()
      let s = SqliteStore.open(path)
      s.create('/d/a', val('a'))
      s.delete('/d/a')
      s.compact(2)
      s.close()
      s = SqliteStore.open(path)
      assert.equal(s.currentRevision(), 2)
      assert.equal(s.create('/d/a', val('a')).modRevision, 3)
      s.close()
    })

    it('the cache matches the table after a mixed workload with transactions and compaction', () => {
      const s = SqliteStore.open(freshPath())
      for (let i = 0; i < 500; i++) s.create(`/m/${i % 13}/${i}`, val(String(i)))
      s.transaction(() => {
        for (let i = 0; i < 500; i += 3) s.update(`/m/${i % 13}/${i}`, val(String(i)))
      })
      for (let i = 0; i < 500; i += 7) s.delete(`/m/${i % 13}/${i}`)
      s.compact(s.currentRevision() - 20)
      assertConsistent(s)
      s.close()
    })

    it('counts what remains after an old-revision page the same way by both strategies', () => {
      const s = SqliteStore.open(freshPath())
      for (let i = 0; i < 300; i++) s.create(`/o/${i % 3}/${String(i).padStart(3, '0')}`, val(String(i)))
      const old = s.currentRevision()
      for (let i = 0; i < 300; i += 4) s.delete(`/o/${i % 3}/${String(i).padStart(3, '0')}`)
      for (let i = 1; i < 300; i += 4) s.update(`/o/${i % 3}/${String(i).padStart(3, '0')}`, val(String(i)))
      for (let i = 300; i < 340; i++) s.create(`/o/${i % 3}/${String(i).padStart(3, '0')}`, val(String(i)))
      const remainders = () => [10, 150, 250].flatMap((revision) => ['/o/', '/o/1/'].map((prefix) => s.list(prefix, {revision, limit: 7}).remaining))
      const byDelta = remainders()
      const slack = sqliteTuning.deltaCountSlack
      sqliteTuning.deltaCountSlack = -1e9
      try {
        assert.deepEqual(remainders(), byDelta)
      } finally {
        sqliteTuning.deltaCountSlack = slack
      }
      assert.deepEqual(byDelta, [3, 0, 143, 43, 243, 76])
      assert.equal(s.list('/o/', {revision: old, limit: 10}).remaining, 290)
      s.close()
    })

    describe('crash safety', () => {
      it('every write acknowledged before SIGKILL is there after reopen, twice over', async function () {
        this.timeout(120_000)
        const path = freshPath()
        const acked: Ack[] = []
        for (const round of [1, 2]) {
          const target = 300 + Math.floor(Math.random() * 400)
          acked.push(...(await writeUntilKilled(path, round, target)))
          const s = SqliteStore.open(path)
          try {
            assertAcknowledged(s, acked)
            assertConsistent(s)
          } finally {
            s.close()
          }
        }
      })
    })
  })
}

interface Ack {
  op: string
  rev: number
  key: string
}

/** Runs crash-writer.ts on `path` and SIGKILLs it once it has acknowledged `target` writes. */
function writeUntilKilled(path: string, round: number, target: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), path, String(round)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const acks: Ack[] = []
    let buffered = ''
    let stderr = ''
    let killed = false
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? '' // a line cut by the kill was never fully acknowledged
      for (const line of lines) {
        const [op, rev, key] = line.split(' ')
        acks.push({op, rev: Number(rev), key})
      }
      if (!killed && acks.length >= target) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited early (code ${code}): ${stderr}`))
      else resolve(acks)
    })
  })
}

function assertAcknowledged(s: SqliteStore, acked: readonly Ack[]): void {
  assert.ok(acked.length > 0)
  for (let i = 1; i < acked.length; i++) assert.ok(acked[i].rev > acked[i - 1].rev, 'acknowledged revisions increase')
  assert.ok(s.currentRevision() >= acked[acked.length - 1].rev)
  // Every acknowledged write is in history: the key's value as of that revision is what was written.
  const db = new Database(s.path, {readonly: true})
  try {
    const row = db.prepare('SELECT name, deleted, value FROM kv WHERE id = ?')
    for (const a of acked) {
      const got = row.get(a.rev) as {name: string; deleted: number; value: string} | undefined
      assert.ok(got, `revision ${a.rev} (${a.op} ${a.key}) survived`)
      assert.equal(got.name, a.key)
      assert.equal(got.deleted, a.op === 'delete' ? 1 : 0)
      const body = JSON.parse(got.value) as {key: string; rev: number}
      assert.equal(body.key, a.key)
      if (a.op !== 'delete') assert.equal(body.rev, a.rev)
    }
    // Revisions are gap-free (nothing was compacted), so the newest row is the revision.
    assert.equal(db.prepare('SELECT COUNT(*) FROM kv').pluck().get(), s.currentRevision())
    // The last acknowledged word on each key is its current state, unless a later write to it
    // committed before the kill but was not acknowledged yet (its line was still in the pipe): then
    // the table has that later row, and the current state is the newest row's.
    const newest = db.prepare('SELECT id, deleted FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1')
    const last = new Map<string, Ack>()
    for (const a of acked) last.set(a.key, a)
    for (const [key, a] of last) {
      const latest = newest.get(key) as {id: number; deleted: number}
      assert.ok(latest.id >= a.rev, `${key}: no row older than its acknowledged write is the newest`)
      const kv: KeyValue | undefined = s.get(key)
      if (latest.deleted) {
        assert.equal(kv, undefined, `${key} is deleted (revision ${latest.id})`)
      } else {
        assert.ok(kv, `${key} present`)
        assert.equal(kv.modRevision, latest.id)
        assert.equal((JSON.parse(kv.value) as {rev: number}).rev, kv.modRevision)
      }
    }
  } finally {
    db.close()
  }
}
