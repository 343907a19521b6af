// Every command's module, by id: the fast entry (main.ts) loads only the one that runs. Kept equal to
// the oclif manifest's command ids by test/unit/cli/commands-index.test.ts.
import type {Command} from '@oclif/core'

export type CommandModule = {default: typeof Command}

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  'api-resources': () => import('../commands/api-resources.js'),
  'api-versions': () => import('../commands/api-versions.js'),
  annotate: () => import('../commands/annotate.js'),
  apply: () => import('../commands/apply.js'),
  cordon: () => import('../commands/cordon.js'),
  'config current-context': () => import('../commands/config/current-context.js'),
  'config get-contexts': () => import('../commands/config/get-contexts.js'),
  'config set-context': () => import('../commands/config/set-context.js'),
  'config set-credentials': () => import('../commands/config/set-credentials.js'),
  'config use-context': () => import('../commands/config/use-context.js'),
  'config view': () => import('../commands/config/view.js'),
  'create configmap': () => import('../commands/create/configmap.js'),
  'create deployment': () => import('../commands/create/deployment.js'),
  'create job': () => import('../commands/create/job.js'),
  'create namespace': () => import('../commands/create/namespace.js'),
  'create secret generic': () => import('../commands/create/secret/generic.js'),
  'create service clusterip': () => import('../commands/create/service/clusterip.js'),
  'create service externalname': () => import('../commands/create/service/externalname.js'),
  'create service loadbalancer': () => import('../commands/create/service/loadbalancer.js'),
  'create service nodeport': () => import('../commands/create/service/nodeport.js'),
  'create serviceaccount': () => import('../commands/create/serviceaccount.js'),
  'credential delete': () => import('../commands/credential/delete.js'),
  'credential get': () => import('../commands/credential/get.js'),
  delete: () => import('../commands/delete.js'),
  get: () => import('../commands/get.js'),
  label: () => import('../commands/label.js'),
  logs: () => import('../commands/logs.js'),
  patch: () => import('../commands/patch.js'),
  'rollout history': () => import('../commands/rollout/history.js'),
  'rollout pause': () => import('../commands/rollout/pause.js'),
  'rollout restart': () => import('../commands/rollout/restart.js'),
  'rollout resume': () => import('../commands/rollout/resume.js'),
  'rollout status': () => import('../commands/rollout/status.js'),
  'rollout undo': () => import('../commands/rollout/undo.js'),
  scale: () => import('../commands/scale.js'),
  'set image': () => import('../commands/set/image.js'),
  uncordon: () => import('../commands/uncordon.js'),
  validate: () => import('../commands/validate.js'),
  version: () => import('../commands/version.js'),
  'emulate add-user': () => import('../commands/emulate/add-user.js'),
  'emulate reset': () => import('../commands/emulate/reset.js'),
  'emulate start': () => import('../commands/emulate/start.js'),
  'emulate status': () => import('../commands/emulate/status.js'),
  'emulate stop': () => import('../commands/emulate/stop.js'),
}

/** kubectl's short names for commands (`create cm`, `create svc clusterip`), as oclif aliases too. */
export const ALIASES: Record<string, string> = {
  'create cm': 'create configmap',
  'create deploy': 'create deployment',
  'create ns': 'create namespace',
  'create sa': 'create serviceaccount',
  'create svc clusterip': 'create service clusterip',
  'create svc externalname': 'create service externalname',
  'create svc loadbalancer': 'create service loadbalancer',
  'create svc nodeport': 'create service nodeport',
}
