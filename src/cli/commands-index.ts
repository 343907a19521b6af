// Every command's module, by id: the fast entry (main.ts) loads only the one that runs. Kept equal to
// the oclif manifest's command ids by test/unit/cli/commands-index.test.ts.
import type {Command} from '@oclif/core'

export type CommandModule = {default: typeof Command}

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  apply: () => import('../commands/apply.js'),
  delete: () => import('../commands/delete.js'),
  get: () => import('../commands/get.js'),
  validate: () => import('../commands/validate.js'),
  'emulate add-user': () => import('../commands/emulate/add-user.js'),
  'emulate reset': () => import('../commands/emulate/reset.js'),
  'emulate start': () => import('../commands/emulate/start.js'),
  'emulate status': () => import('../commands/emulate/status.js'),
  'emulate stop': () => import('../commands/emulate/stop.js'),
}
