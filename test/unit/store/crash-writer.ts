// Child process for the SQLite crash-safety test: writes to the store at argv[2] in a loop and prints
// each write on stdout ("<create|update|delete> <revision> <key>") only once the store returned.
import {SqliteStore} from '../../../src/store/sqlite.js'

const store = SqliteStore.open(process.argv[2])
const round = process.argv[3] ?? '0'
const pad = 'x'.repeat(600)
/** Deterministic from key and revision, so the parent can check the stored text. */
const value = (key: string) => (rev: number) => JSON.stringify({key, rev, pad})
const live: string[] = []
const ack = (op: string, rev: number, key: string) => process.stdout.write(`${op} ${rev} ${key}\n`)

// A cap so an orphaned child cannot run forever (the parent normally kills it long before).
for (let i = 0; i < 200_000; i++) {
  const key = `/registry/things/ns-${i % 7}/r${round}-obj-${i}`
  if (i % 40 === 39) {
    // A transaction: its three writes are acknowledged together once it returns.
    const acks: [string, number, string][] = []
    store.transaction(() => {
      for (let j = 0; j < 3; j++) {
        const k = `${key}-tx${j}`
        acks.push(['create', store.create(k, value(k)).modRevision, k])
      }
    })
    for (const a of acks) ack(...a)
    live.push(...acks.map((a) => a[2]))
  } else if (i % 5 === 3 && live.length > 0) {
    const k = live[(i * 7) % live.length]
    ack('update', store.update(k, value(k)).modRevision, k)
  } else if (i % 11 === 10 && live.length > 1) {
    // Deleted keys are never written again, so a delete is each key's last word.
    const k = live.splice((i * 3) % live.length, 1)[0]
    ack('delete', store.delete(k).modRevision, k)
  } else {
    ack('create', store.create(key, value(key)).modRevision, key)
    live.push(key)
  }
}
store.close()
