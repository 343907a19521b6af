// What the API server needs from the per-kind strategies (src/apiserver/strategy): defaulting,
// preparing objects for create/update, update validation, and field-selector attributes. A port,
// so tests and previews could substitute their own; `kubernetesStrategy` is the real one.
import type {Problem} from '../schema/problems.js'
import type {StrategyContext} from './strategy/index.js'
import type {Obj} from './types.js'

export type {StrategyContext} from './strategy/index.js'

export interface Strategy {
  applyDefaults(o: Obj, ctx: StrategyContext): void
  /** Resets status, sets generation, per-kind preparation; returns problems that fail the create. */
  prepareForCreate(o: Obj, ctx: StrategyContext): Problem[]
  /** Keeps the stored status, bumps generation on spec changes; returns problems that fail the update. */
  prepareForUpdate(next: Obj, old: Obj, ctx: StrategyContext): Problem[]
  /** For the status subresource: keeps the stored spec and metadata except what status writers may change. */
  prepareForStatusUpdate(next: Obj, old: Obj, ctx: StrategyContext): void
  validateUpdate(next: Obj, old: Obj, ctx: StrategyContext): Problem[]
  validateStatusUpdate(next: Obj, old: Obj, ctx: StrategyContext): Problem[]
  fieldsForSelector(o: Obj, ctx: StrategyContext): Record<string, string>
  /** undefined when the label may be used in a field selector, else the apiserver's error text. */
  fieldSelectorError(apiVersion: string, kind: string, label: string, ctx: StrategyContext): string | undefined
}
