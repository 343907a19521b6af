// The fast entry: kube2 runs a command without loading oclif's configuration, plugins and manifest —
// the command's own module is imported and run with a small stand-in for oclif's Config. Help,
// version, unknown commands and anything unusual go to oclif's full `execute`, which prints exactly
// what oclif prints. Start-up time is part of every command (issue 6's bench:cli).
import {fileURLToPath} from 'node:url'
import type {Command, Config} from '@oclif/core'
import {ALIASES, COMMANDS} from './commands-index.js'

/** What oclif's Command reads from its Config while running (parse, debug, json, hooks). */
function lightConfig(root: string): Config {
  const light = {
    bin: 'kube2',
    root,
    userAgent: `kube2 node-${process.version}`,
    theme: undefined,
    runHook: async () => ({successes: [], failures: []}),
    scopedEnvVar: () => undefined,
    scopedEnvVarKey: (k: string) => `KUBE2_${k}`,
    scopedEnvVarKeys: (k: string) => [`KUBE2_${k}`],
    scopedEnvVarTrue: () => false,
    findCommand: () => undefined,
  }
  return light as unknown as Config
}

/**
 * kubectl's global flags that take a value, so that `kube2 --context prod get pods` finds `get` as
 * kubectl does (kept equal to BaseCommand's option flags by test/unit/cli/commands-index.test.ts).
 */
export const GLOBAL_VALUE_FLAGS = [
  '--kubeconfig', '--context', '--cluster', '--user', '-n', '--namespace', '-o', '--output', '--request-timeout', '-v', '--v',
  '-s', '--server', '--token', '--certificate-authority', '--client-certificate', '--client-key', '--tls-server-name',
  '--as', '--as-group', '--as-uid', '--cache-dir',
]

/**
 * The command id in argv (`get`, `emulate start`), after any leading global flags, and the arguments
 * for it: the leading flags, then everything after the id.
 */
export function findCommand(argv: string[]): {id: string; rest: string[]} | undefined {
  let i = 0
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
    i += GLOBAL_VALUE_FLAGS.includes(argv[i]!) ? 2 : 1
  }
  const leading = argv.slice(0, i)
  const tail = argv.slice(i)
  for (const n of [3, 2, 1]) {
    if (tail.length < n || tail.slice(0, n).some((a) => a.startsWith('-'))) continue
    const words = tail.slice(0, n).join(' ')
    const id = ALIASES[words] ?? words
    if (id in COMMANDS) return {id, rest: [...leading, ...tail.slice(n)]}
  }
  return undefined
}

function wantsOclif(rest: string[]): boolean {
  // Help and version are oclif's to print; everything after `--` is an argument, not a flag.
  const end = rest.indexOf('--')
  const flags = end < 0 ? rest : rest.slice(0, end)
  return flags.some((a) => a === '--help' || a === '-h' || a === '--version')
}

export async function main(argv: string[], rootUrl: string): Promise<void> {
  const found = findCommand(argv)
  if (!found || wantsOclif(found.rest)) {
    const {execute} = await import('@oclif/core')
    await execute({dir: rootUrl, args: argv})
    return
  }
  const {default: CommandClass} = await COMMANDS[found.id]!()
  const cmd = new (CommandClass as unknown as new (argv: string[], config: Config) => Command)(found.rest, lightConfig(fileURLToPath(new URL('.', rootUrl))))
  cmd.id = found.id
  try {
    await (cmd as unknown as {_run(): Promise<unknown>})._run()
  } catch (e) {
    // Commands end with oclif's ExitError (this.exit(n)); anything else was already printed by the
    // command's catch, which rethrows only what it does not handle.
    const exit = (e as {oclif?: {exit?: number}}).oclif?.exit
    if (typeof exit === 'number') {
      process.exitCode = exit
      return
    }
    process.stderr.write(`error: ${(e as Error).message}\n`)
    process.exitCode = 1
  }
}
