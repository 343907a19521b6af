// SqliteStore: the Store contract on one SQLite file (kine-style, one row per revision), with the
// current values cached in memory so gets, lists and counts at the current revision never touch disk.
import type Database from 'better-sqlite3'
import {CachedStore, pageResult} from './cached-store.js'
import {CurrentIndex, startOf} from './current-index.js'
import {prefixEnd} from './key-range.js'
import {openDatabase, readState, writeMetaStatement, type Db, type KvRow, type StoredState} from './sqlite-schema.js'
import type {KeyValue, ListResult, WatchEvent} from './types.js'
import type {ReplaySource} from './watch-hub.js'

/** Rows fetched per query when paging through history, so replays hold no huge result in memory. */
const BATCH = 512

/** Knobs for choosing between equivalent query strategies (tests turn them to force each path). */
export const sqliteTuning = {
  /** Count an old list's remaining keys from the writes since it when there are at most 2 × live keys + this many. */
  deltaCountSlack: 1000,
}

type HistoryRow = KvRow & {prev_value: string | null}
type LatestRow = {name: string; mid: number}
type ValueRow = Pick<KvRow, 'deleted' | 'create_revision' | 'value'>

/**
 * The process that opens the file must be its only writer: the cache is never refreshed from the
 * table, and revisions are assigned here (a second writer would collide on the primary key).
 */
export class SqliteStore extends CachedStore {
  private readonly insert: Database.Statement<[number, string, number, number, number, number, string]>
  private readonly writeMeta: Database.Statement<[string, number]>
  private readonly byId: Database.Statement<[number]>
  private readonly statements = new Map<string, Database.Statement>()

  /** Opens (creating if needed, with parent directories) the store at `path`; recovers state from the table. */
  static open(path: string): SqliteStore {
    const db = openDatabase(path)
    try {
      return new SqliteStore(path, db, readState(db))
    } catch (err) {
      db.close()
      throw err
    }
  }

  private constructor(readonly path: string, private readonly db: Db, state: StoredState) {
    super({index: new CurrentIndex({kvs: state.current}), revision: state.revision, compacted: state.compacted})
    this.insert = db.prepare(
      'INSERT INTO kv (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.writeMeta = writeMetaStatement(db)
    this.byId = db.prepare('SELECT deleted, create_revision, value FROM kv WHERE id = ?')
  }

  protected persist(event: WatchEvent): void {
    const kv = event.kv
    this.insert.run(
      kv.modRevision,
      kv.key,
      event.type === 'ADDED' ? 1 : 0,
      event.type === 'DELETED' ? 1 : 0,
      kv.createRevision,
      event.prev?.modRevision ?? 0,
      kv.value,
    )
  }

  // SQLite's own rollback removes the rows.
  protected unpersist(): void {}

  protected begin(depth: number): void {
    this.sql(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT s${depth}`).run()
  }

  protected commit(depth: number): void {
    this.sql(depth === 0 ? 'COMMIT' : `RELEASE s${depth}`).run()
  }

  protected rollback(depth: number): void {
    if (depth === 0) {
      this.sql('ROLLBACK').run()
    } else {
      this.sql(`ROLLBACK TO s${depth}`).run()
      this.sql(`RELEASE s${depth}`).run()
    }
  }

  protected override transactionLost(): boolean {
    return !this.db.inTransaction
  }

  protected listAt(prefix: string, revision: number, continueAfter: string | undefined, limit: number): ListResult {
    const end = prefixEnd(prefix)
    let [from, after] = startOf(prefix, continueAfter)
    const items: KeyValue[] = []
    // The newest row per key at or below `revision`, in key order; tombstones are skipped, so a page
    // may need several batches.
    for (;;) {
      const batch = limit > 0 ? Math.max(limit - items.length, 16) : BATCH * 4
      const latest = this.sql(`SELECT name, MAX(id) AS mid FROM kv WHERE ${nameRange(after, end)} AND id <= @rev GROUP BY name ORDER BY name LIMIT @batch`)
      const rows = latest.all(rangeParams(from, end, {rev: revision, batch})) as LatestRow[]
      for (const {name, mid} of rows) {
        const row = this.byId.get(mid) as ValueRow
        if (row.deleted) continue
        items.push(Object.freeze({key: name, value: row.value, createRevision: row.create_revision, modRevision: mid}))
        if (items.length === limit) return pageResult(items, revision, this.countAt(items[items.length - 1].key, end, revision))
      }
      if (rows.length < batch) return pageResult(items, revision, 0)
      from = rows[rows.length - 1].name
      after = true
    }
  }

  protected history(prefix: string, after: number, upto: number): ReplaySource {
    const end = prefixEnd(prefix)
    // Walk the revision range (`+` keeps SQLite off the name index, which would sort a wide prefix's
    // whole history for every page).
    const page = this.sql(`
      SELECT kv.*, p.value AS prev_value FROM kv LEFT JOIN kv AS p ON p.id = kv.prev_revision
      WHERE kv.id > @after AND kv.id <= @upto AND ${nameRange(false, end, '+kv.name')}
      ORDER BY kv.id LIMIT ${BATCH}`)
    return (deliver) => {
      let cursor = after
      for (;;) {
        // A page at a time: the callbacks may use this connection, which an open cursor would block.
        const rows = page.all(rangeParams(prefix, end, {after: cursor, upto})) as HistoryRow[]
        for (const row of rows) {
          cursor = row.id
          if (row.name.startsWith(prefix) && !deliver(eventOf(row))) return
        }
        if (rows.length < BATCH) return
      }
    }
  }

  protected discard(revision: number): void {
    const old = this.compactedRevision()
    // As kine does: drop every row superseded by a write at or below `revision`, and tombstones at or
    // below it. The state as of `revision` survives, and so does every row a later event points at.
    this.db.transaction(() => {
      this.sql(`
        DELETE FROM kv WHERE id IN (
          SELECT prev_revision FROM kv WHERE id > @old AND id <= @revision AND prev_revision > 0
          UNION ALL
          SELECT id FROM kv WHERE id > @old AND id <= @revision AND deleted = 1)`).run({old, revision})
      this.writeMeta.run('compacted', revision)
    })()
  }

  protected release(): void {
    this.db.close()
  }

  /** Live keys after `last` up to `end` as of `revision`. */
  private countAt(last: string, end: string | undefined, revision: number): number {
    const since = this.currentRevision() - revision
    // Recent revisions (the usual continue token): today's count corrected by the keys written since,
    // O(writes since). Otherwise count the table, O(history in the range).
    if (since <= 2 * this.index.size + sqliteTuning.deltaCountSlack) {
      // `+name` keeps SQLite on the revision range: few rows follow a recent revision.
      const rows = this.sql(`SELECT name, created FROM kv WHERE id > @rev AND ${nameRange(true, end, '+name')} ORDER BY id`)
        .raw(true)
        .all(rangeParams(last, end, {rev: revision})) as [string, number][]
      return this.index.countAsOf(last, end, rows.map(([name, created]) => [name, created === 1] as const))
    }
    const count = this.sql(`
      SELECT COUNT(*) FROM (SELECT MAX(id) AS mid FROM kv WHERE ${nameRange(true, end)} AND id <= @rev GROUP BY name) m
      CROSS JOIN kv ON kv.id = m.mid WHERE kv.deleted = 0`)
    return count.pluck().get(rangeParams(last, end, {rev: revision})) as number
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text)
    if (!statement) {
      statement = this.db.prepare(text)
      this.statements.set(text, statement)
    }
    return statement
  }
}

function nameRange(after: boolean, end: string | undefined, column = 'name'): string {
  return `${column} ${after ? '>' : '>='} @from${end === undefined ? '' : ` AND ${column} < @end`}`
}

function rangeParams(from: string, end: string | undefined, rest: Record<string, number>): Record<string, number | string> {
  return end === undefined ? {...rest, from} : {...rest, from, end}
}

function eventOf(row: HistoryRow): WatchEvent {
  const kv: KeyValue = Object.freeze({key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id})
  if (row.created) return Object.freeze({type: 'ADDED', kv})
  const prev: KeyValue = Object.freeze({
    key: row.name,
    value: row.prev_value ?? row.value,
    createRevision: row.create_revision,
    modRevision: row.prev_revision,
  })
  return Object.freeze({type: row.deleted ? 'DELETED' : 'MODIFIED', kv, prev})
}
