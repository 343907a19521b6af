// Bundles the CLI for start-up speed: esbuild turns src/cli/main.ts and everything it can reach into
// one CommonJS file, dist/b/kube2.cjs. bin/run.cjs compiles it through node:vm with V8's code cache
// (Node 20 has no code cache for ES modules), so a command neither resolves hundreds of files nor
// compiles them again. Modules reached only through import() (the embedded cluster, each command)
// are evaluated only when used. dist/b/ is two levels below the package root, like src/<dir>/ and
// dist/<dir>/, so `new URL('../../schemas/', import.meta.url)` finds the same files.
import {build} from 'esbuild'
import {rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
rmSync(`${root}dist/b`, {recursive: true, force: true})
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: `${root}dist/b/kube2.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // better-sqlite3 loads its native addon by path; typescript is only ever required by oclif when it
  // runs TypeScript sources (bin/dev.js), never from the bundle.
  external: ['better-sqlite3', 'typescript', '@napi-rs/keyring'],
  define: {'import.meta.url': '__kube2ModuleUrl'},
  banner: {js: "var __kube2ModuleUrl = require('node:url').pathToFileURL(__filename).href;"},
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
})
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
console.log(`bundled dist/b/kube2.cjs (${(bytes / 1024 / 1024).toFixed(1)} MiB)`)
