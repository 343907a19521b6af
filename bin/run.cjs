#!/usr/bin/env node
// Production entry point (CommonJS: Node starts a CommonJS entry ~4 ms sooner than an ES module). Runs the bundled CLI (dist/b/kube2.cjs, see scripts/bundle.mjs) compiled
// with V8's code cache: the cache is written after the first run (beside the bundle, else under
// $KUBE2_HOME/cache) and reused until the bundle or Node changes. Without a bundle, oclif runs the
// compiled commands in dist/ through its manifest.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const {pathToFileURL} = require('node:url')
const bundle = path.join(__dirname, '..', 'dist', 'b', 'kube2.cjs')

async function viaOclif() {
  const {execute} = require('@oclif/core')
  await execute({dir: __filename})
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

async function run() {
  let loaded
  try {
    loaded = loadBundle(bundle)
  } catch (e) {
    if (e.code !== 'ENOENT') throw e
  }
  if (!loaded) return viaOclif()
  await loaded.main(process.argv.slice(2), pathToFileURL(path.join(__dirname, '..') + path.sep).href)
  loaded.saveCache()
  // Done: do not wait for V8's background threads before exiting. stdout and stderr are synchronous
  // for files, pipes and terminals on Linux and macOS, so nothing written is lost.
  process.exit()
}

run().catch((e) => {
  process.stderr.write(`error: ${e && e.message ? e.message : String(e)}\n`)
  process.exit(1)
})
