// MemoryStore against the shared Store conformance suite.
import {MemoryStore, openStore} from '../../../src/store/index.js'
import {strict as assert} from 'node:assert'
import {describeStoreConformance} from './conformance.js'

describeStoreConformance('MemoryStore', () => new MemoryStore())

describe('openStore', () => {
  it('gives a MemoryStore for no path or :memory:', () => {
    for (const store of [openStore(), openStore(':memory:')]) {
      assert.ok(store instanceof MemoryStore)
      store.close()
    }
  })
})
