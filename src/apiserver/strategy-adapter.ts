// The real strategies (src/apiserver/strategy) behind the API server's Strategy port.
import * as s from './strategy/index.js'
import type {Strategy} from './strategy-port.js'

export const kubernetesStrategy: Strategy = {
  applyDefaults: s.applyDefaults,
  prepareForCreate: s.prepareForCreate,
  prepareForUpdate: (next, old, ctx) => s.prepareForUpdate(next, old, ctx).problems,
  prepareForStatusUpdate: s.prepareForStatusUpdate,
  validateUpdate: s.validateUpdate,
  validateStatusUpdate: s.validateStatusUpdate,
  fieldsForSelector: s.fieldsForSelector,
  fieldSelectorError: (apiVersion, kind, label, ctx) => {
    const r = s.convertFieldSelectorLabel(apiVersion, kind, label, ctx)
    return 'error' in r ? r.error : undefined
  },
}
