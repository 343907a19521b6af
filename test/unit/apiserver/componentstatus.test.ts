// v1 ComponentStatus: computed on request (nothing stored), read-only, with the deprecation warning.
import {strict as assert} from 'node:assert'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import {VirtualClock} from '../../../src/api/clock.js'
import {MemoryStore} from '../../../src/store/memory.js'

describe('componentstatuses', () => {
  const cp = new ControlPlane({store: new MemoryStore(), clock: new VirtualClock(Date.parse('2026-01-01T00:00:00Z')), controllers: false, seed: 1})
  after(() => cp.close())
  const req = {group: '', version: 'v1', resource: 'componentstatuses'}

  it('lists the control plane components as healthy, with the deprecation warning', () => {
    const r = cp.handle({...req, verb: 'list'})
    assert.equal(r.status, 200)
    assert.deepEqual(r.warnings, ['v1 ComponentStatus is deprecated in v1.19+'])
    const items = (r.body as {items: Array<{metadata: {name: string}; conditions: unknown[]}>}).items
    assert.deepEqual(items.map((i) => i.metadata.name), ['controller-manager', 'etcd-0', 'scheduler'])
    assert.deepEqual(items[0]!.conditions, [{type: 'Healthy', status: 'True', message: 'ok'}])
  })

  it('prints as kubectl get cs shows it', () => {
    const r = cp.handle({...req, verb: 'list', as: 'Table'})
    const t = r.body as {columnDefinitions: Array<{name: string}>; rows: Array<{cells: unknown[]}>}
    assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Status', 'Message', 'Error'])
    assert.deepEqual(t.rows[2]!.cells, ['scheduler', 'Healthy', 'ok', ''])
  })

  it('gets one by name; unknown names are 404; writes are refused', () => {
    assert.equal(cp.handle({...req, verb: 'get', name: 'scheduler'}).status, 200)
    const missing = cp.handle({...req, verb: 'get', name: 'nope'})
    assert.equal(missing.status, 404)
    assert.equal((missing.body as {message: string}).message, 'componentstatuses "nope" not found')
    assert.equal(cp.handle({...req, verb: 'create', body: {metadata: {name: 'x'}}}).status, 405)
  })
})
