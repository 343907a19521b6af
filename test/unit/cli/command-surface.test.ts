// The command and flag surface, checked against a committed snapshot: an accidental change to a
// command's flags shows up here. Update test/unit/cli/command-surface.json when the change is meant.
import {strict as assert} from 'node:assert'
import {readFileSync, existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../../..', import.meta.url))

describe('command surface', () => {
  it('matches the snapshot (oclif.manifest.json, produced by the build)', function () {
    const manifestPath = `${root}/oclif.manifest.json`
    if (!existsSync(manifestPath)) this.skip()
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {commands: Record<string, {flags: Record<string, {char?: string; type: string; multiple?: boolean}>}>}
    const surface: Record<string, string[]> = {}
    for (const [id, cmd] of Object.entries(manifest.commands).sort(([a], [b]) => a.localeCompare(b))) {
      surface[id] = Object.entries(cmd.flags)
        .map(([name, f]) => `--${name}${f.char ? ` -${f.char}` : ''} ${f.type}${f.multiple ? '[]' : ''}`)
        .sort()
    }
    const snapshot = JSON.parse(readFileSync(`${root}/test/unit/cli/command-surface.json`, 'utf8'))
    assert.deepEqual(surface, snapshot)
  })
})
