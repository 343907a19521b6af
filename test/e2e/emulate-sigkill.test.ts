// Nothing acknowledged is lost: the emulator server is killed with SIGKILL while 8 clients write to
// it over HTTPS; after a restart every create and delete that was answered with success is there.
import {strict as assert} from 'node:assert'
import {request} from 'undici'
import {EmulatorSandbox} from '../helpers/emulator.js'

describe('kube2 emulate: SIGKILL under write load', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  before(() => {
    emu = new EmulatorSandbox()
    emu.start()
  })
  after(() => emu.dispose())

  it('finds every acknowledged write after a restart', async () => {
    const agent = emu.adminAgent()
    const url = emu.server().url
    const created = new Set<string>()
    const deleted = new Set<string>()
    // A delete sent but not answered when the server died may or may not have happened.
    const deleteInFlight = new Set<string>()
    let stop = false
    let n = 0
    const writer = async (w: number) => {
      while (!stop) {
        const name = `cm-${w}-${n++}`
        try {
          const res = await request(`${url}/api/v1/namespaces/default/configmaps`, {
            method: 'POST', dispatcher: agent, headers: {'content-type': 'application/json'},
            body: JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {w: String(w)}}),
          })
          await res.body.text()
          if (res.statusCode === 201) created.add(name)
          // Every third object is deleted again: acknowledged deletes must stay deleted.
          if (res.statusCode === 201 && n % 3 === 0) {
            deleteInFlight.add(name)
            const del = await request(`${url}/api/v1/namespaces/default/configmaps/${name}`, {method: 'DELETE', dispatcher: agent})
            await del.body.text()
            if (del.statusCode === 200) deleted.add(name)
            deleteInFlight.delete(name)
          }
        } catch {
          return // the server went away
        }
      }
    }
    const writers = Array.from({length: 8}, (_, i) => writer(i))
    while (created.size < 400) await new Promise((r) => setTimeout(r, 20))
    process.kill(emu.server().pid, 'SIGKILL')
    await Promise.all(writers)
    stop = true
    await agent.close()
    assert.ok(created.size >= 400 && deleted.size > 50, `${created.size} created, ${deleted.size} deleted before the kill`)

    emu.start()
    const res = await emu.raw('/api/v1/namespaces/default/configmaps')
    assert.equal(res.status, 200)
    const names = new Set((JSON.parse(res.body) as {items: Array<{metadata: {name: string}}>}).items.map((i) => i.metadata.name))
    const lost = [...created].filter((x) => !deleted.has(x) && !deleteInFlight.has(x) && !names.has(x))
    const resurrected = [...deleted].filter((x) => names.has(x))
    assert.deepEqual(lost, [], 'acknowledged creates lost')
    assert.deepEqual(resurrected, [], 'acknowledged deletes undone')
  })
})
