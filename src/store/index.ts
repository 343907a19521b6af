// The emulator's revisioned key-value store: the contract, its two implementations, and a helper
// that picks one from a location.
import {MemoryStore} from './memory.js'
import {SqliteStore} from './sqlite.js'
import type {Store} from './types.js'

export * from './types.js'
export {MemoryStore} from './memory.js'
export {SqliteStore} from './sqlite.js'

/** A SqliteStore at `path`, or a MemoryStore for ':memory:' or no path. */
export function openStore(path?: string): Store {
  return path === undefined || path === ':memory:' ? new MemoryStore() : SqliteStore.open(path)
}
