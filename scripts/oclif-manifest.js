// Writes oclif.manifest.json from the compiled commands, so that at run time oclif reads one JSON
// file instead of importing every command module. (The `oclif` CLI package does the same but pulls in
// its publishing toolchain; @oclif/core's Plugin builds the manifest on its own.)
import {Plugin} from '@oclif/core'
import {writeFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'oclif.manifest.json')
rmSync(target, {force: true})
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
writeFileSync(target, JSON.stringify(plugin.manifest, null, 2) + '\n')
console.log(`wrote oclif.manifest.json (${Object.keys(plugin.manifest.commands).length} commands)`)
