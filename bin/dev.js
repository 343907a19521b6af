#!/usr/bin/env -S node --import tsx --no-warnings
// Development entry point: runs the TypeScript sources directly (no build needed). tsx is loaded by
// the shebang; oclif is pointed at src/commands instead of dist/commands (its own TypeScript
// registration does not know this tsx version).
import {execute} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
pjson.oclif = {...pjson.oclif, commands: './src/commands'}

await execute({dir: import.meta.url, loadOptions: {root, pjson, ignoreManifest: true}})
