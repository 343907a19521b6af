#!/usr/bin/env node
// Production entry point. Runs the bundled CLI (dist/b/kube2.cjs, see scripts/bundle.mjs) compiled
// with V8's code cache: the cache is written after the first run (beside the bundle, else under
// $KUBE2_HOME/cache) and reused until the bundle or Node changes. Without a bundle, oclif runs the
// compiled commands in dist/ through its manifest.
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
const fs = require('node:fs')
const path = require('node:path')
const bundle = new URL('../dist/b/kube2.cjs', import.meta.url)

async function viaOclif() {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}

function cacheFiles(file, stat) {
  const name = `kube2-${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}.cache`
  const home = process.env.KUBE2_HOME || path.join(require('node:os').homedir(), '.kube2')
  return [path.join(path.dirname(file), name), path.join(home, 'cache', name)]
}

function loadBundle(file) {
  const vm = require('node:vm')
  const Module = require('node:module')
  const stat = fs.statSync(file)
  const candidates = cacheFiles(file, stat)
  let cachedData
  for (const c of candidates) {
    try {
      cachedData = fs.readFileSync(c)
      break
    } catch {
      // not there
    }
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {filename: file, cachedData})
  const mod = {exports: {}}
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file))
  const needsCache = !cachedData || script.cachedDataRejected
  return {
    main: mod.exports.main,
    // After the command ran: the functions it compiled go into the cache too.
    saveCache() {
      if (!needsCache) return
      const data = script.createCachedData()
      for (const c of candidates) {
        try {
          fs.mkdirSync(path.dirname(c), {recursive: true})
          const tmp = `${c}.${process.pid}`
          fs.writeFileSync(tmp, data)
          fs.renameSync(tmp, c)
          return
        } catch {
          // not writable: try the next place
        }
      }
    },
  }
}

let loaded
try {
  loaded = loadBundle(new URL(bundle).pathname)
} catch (e) {
  if (e.code !== 'ENOENT') throw e
}
if (loaded) {
  await loaded.main(process.argv.slice(2), new URL('..', import.meta.url).href)
  loaded.saveCache()
  // Done: do not wait for V8's background work (undici's WebAssembly parser being optimised) before
  // exiting. stdout and stderr are synchronous for files, pipes and terminals on Linux and macOS.
  process.exit()
} else {
  await viaOclif()
}
