// The shape of one kind's registry strategy, as the per-group files declare it; index.ts runs them.
import type {Problem} from '../../schema/problems.js'
import type {Obj, StrategyContext} from './util.js'

/** How a kind converts field selector labels (AddFieldLabelConversionFunc). */
export interface FieldLabels {
  /** Labels accepted as they are. */
  labels: readonly string[]
  /** Labels accepted under another name (events.k8s.io's `regarding.kind` → `involvedObject.kind`). */
  aliases?: Readonly<Record<string, string>>
  /**
   * Whether an unknown label gets the generic conversion's message (`"x" is not a known field
   * selector: only "metadata.name", "metadata.namespace"`) rather than `field label not supported: x`.
   */
  genericMessage?: boolean
}

export interface KindStrategy {
  /** Cluster-scoped kinds select on metadata.name only. */
  namespaced: boolean
  /** The versioned defaulters, plus the v1 conversions that rewrite fields on the way in. */
  defaults?(o: Obj, ctx: StrategyContext): void
  /** The status a create starts from (the strategy resets whatever the client sent). */
  initialStatus?(o: Obj, ctx: StrategyContext): Obj
  /** Whether metadata.generation is tracked: 1 on create, bumped by `specChanged` on update. */
  generation?: boolean | ((ctx: StrategyContext) => boolean)
  /** What bumps the generation; default: any change of `spec`. */
  specChanged?(n: Obj, o: Obj): boolean
  /** Whether updates of the main resource keep the stored status (status is written via /status). */
  statusSubresource?: boolean
  prepareForCreate?(o: Obj, ctx: StrategyContext): Problem[] | void
  prepareForUpdate?(n: Obj, o: Obj, ctx: StrategyContext): Problem[] | void
  /** The /status strategy; default: the stored spec wins. */
  prepareForStatusUpdate?(n: Obj, o: Obj, ctx: StrategyContext): void
  /** The update rules of the kind's Validate…Update beyond ObjectMeta (create-time checks excluded). */
  validateUpdate?(n: Obj, o: Obj, ctx: StrategyContext): Problem[]
  validateStatusUpdate?(n: Obj, o: Obj, ctx: StrategyContext): Problem[]
  /** Selectable fields beyond metadata.name/namespace (GetAttrs / ToSelectableFields). */
  fields?(o: Obj, ctx: StrategyContext): Record<string, string>
  fieldLabels?: FieldLabels | ((ctx: StrategyContext) => FieldLabels)
}

/** Strategies by `group/Kind` (`/Pod`, `apps/Deployment`). */
export type StrategyTable = Record<string, KindStrategy>
