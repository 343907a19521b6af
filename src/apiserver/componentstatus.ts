// v1 ComponentStatus: not stored anywhere — the apiserver probes the scheduler, the controller
// manager and etcd when asked. In the emulator they run in the same process as the API, so each is
// healthy while it answers. Read-only, deprecated since 1.19 (the answer carries the warning).
import {methodNotSupported, notFound} from './errors.js'
import type {ServedResource} from './catalog.js'
import type {ApiRequest, ApiResponse, Obj} from './types.js'

const COMPONENTS = ['controller-manager', 'etcd-0', 'scheduler']
const WARNING = 'v1 ComponentStatus is deprecated in v1.19+'

function status(name: string): Obj {
  return {
    kind: 'ComponentStatus', apiVersion: 'v1',
    metadata: {name, creationTimestamp: null},
    conditions: [{type: 'Healthy', status: 'True', message: 'ok'}],
  }
}

export function handleComponentStatuses(r: ServedResource, req: ApiRequest): ApiResponse {
  if (req.verb === 'get') {
    if (!COMPONENTS.includes(req.name ?? '')) throw notFound({group: '', resource: r.plural}, req.name ?? '')
    return {status: 200, body: status(req.name!), warnings: [WARNING]}
  }
  if (req.verb === 'list') {
    return {status: 200, body: {kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: COMPONENTS.map(status)}, warnings: [WARNING]}
  }
  throw methodNotSupported({group: '', resource: r.plural}, req.verb)
}
