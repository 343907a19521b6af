// The fast entry's command table must name exactly the commands oclif knows (its manifest, built from
// src/commands), each loading a module whose default export is that command.
import {strict as assert} from 'node:assert'
import {readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {COMMANDS} from '../../../src/cli/commands-index.js'
import {findCommand, GLOBAL_VALUE_FLAGS} from '../../../src/cli/main.js'
import {BaseCommand} from '../../../src/cli/base-command.js'

const commandsDir = fileURLToPath(new URL('../../../src/commands/', import.meta.url))

function commandIds(dir: string): string[] {
  const out: string[] = []
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) out.push(...commandIds(p))
    else if (f.endsWith('.ts')) out.push(relative(commandsDir, p).replace(/\.ts$/, '').split('/').join(' '))
  }
  return out
}

describe('fast command dispatch', () => {
  it('knows every command in src/commands and nothing else', () => {
    assert.deepEqual(Object.keys(COMMANDS).sort(), commandIds(commandsDir).sort())
  })

  it('each entry loads its command class', async () => {
    for (const [id, load] of Object.entries(COMMANDS)) {
      const mod = await load()
      assert.equal(typeof mod.default, 'function', id)
      assert.equal(typeof (mod.default as unknown as {run: unknown}).run, 'function', id)
    }
  })

  it('finds the longest command id before any flag', () => {
    assert.deepEqual(findCommand(['get', 'pods', '-o', 'wide']), {id: 'get', rest: ['pods', '-o', 'wide']})
    assert.deepEqual(findCommand(['emulate', 'start', '--port', '0']), {id: 'emulate start', rest: ['--port', '0']})
    assert.deepEqual(findCommand(['emulate', '--help']), undefined)
    assert.deepEqual(findCommand(['-n', 'x', 'get', 'pods']), {id: 'get', rest: ['-n', 'x', 'pods']})
    assert.deepEqual(findCommand(['--context', 'prod', '-A', 'get', 'pods']), {id: 'get', rest: ['--context', 'prod', '-A', 'pods']})
    assert.equal(findCommand(['nosuch']), undefined)
  })

  it('knows which global flags take a value', () => {
    const expected: string[] = []
    for (const [name, f] of Object.entries(BaseCommand.baseFlags) as Array<[string, {type: string; char?: string}]>) {
      if (f.type !== 'option') continue
      expected.push(`--${name}`)
      if (f.char) expected.push(`-${f.char}`)
    }
    assert.deepEqual([...GLOBAL_VALUE_FLAGS].sort(), expected.sort())
  })
})
