// CycleState: what plugins compute in one scheduling cycle (PreFilter, PreScore) and read later,
// cloneable so preemption and nominated pods can try "what if" without disturbing the original.
import type {Snapshot} from './snapshot.js'

export interface StateData {
  clone(): StateData
}

export class CycleState {
  readonly snapshot: Snapshot
  private data = new Map<string, StateData>()
  /** Plugins whose PreFilter returned Skip: their Filter and PreFilter extensions do not run. */
  skipFilterPlugins = new Set<string>()
  /** Plugins whose PreScore returned Skip: their Score does not run. */
  skipScorePlugins = new Set<string>()

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot
  }

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value)
  }

  clone(): CycleState {
    const c = new CycleState(this.snapshot)
    for (const [k, v] of this.data) c.data.set(k, v.clone())
    c.skipFilterPlugins = new Set(this.skipFilterPlugins)
    c.skipScorePlugins = new Set(this.skipScorePlugins)
    return c
  }
}

/** StateData for values that never change after they are written: cloning shares them. */
export class Frozen<T> implements StateData {
  constructor(readonly value: T) {}

  clone(): StateData {
    return this
  }
}
