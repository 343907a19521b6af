// The emulator server for `npm run bench:apiserver`, in its own process (the clients must not share
// its event loop): startEmulator on a state dir, with every component or the API alone. Prints the
// URL on stdout and serves until SIGTERM.
const dist = (rel: string) => new URL(`../dist/${rel}`, import.meta.url).href
const {startEmulator} = (await import(dist('server/emulator.js'))) as typeof import('../src/server/emulator.js')

const [stateDir, mode] = process.argv.slice(2)
const emu = await startEmulator({stateDir: stateDir!, port: 0, controllers: mode !== 'api-only'})
process.stdout.write(`${emu.url}\n`)
process.on('SIGTERM', () => {
  void emu.close().then(() => process.exit(0))
})
