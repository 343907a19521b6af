// The shortcuts taken when they cannot change the outcome (the create walk, lazily decoded FieldsV1,
// reading the live object without copying it, skipping pruning steps that have nothing to do) can be
// switched off, so that tests compare them with the general path they stand in for.

const state = {enabled: true}

/** Whether the shortcuts are on (they are, except inside generalPathOnly). */
export function fastPathsEnabled(): boolean {
  return state.enabled
}

/** Runs fn with every shortcut off: the general path alone, as the differential tests need it. */
export function generalPathOnly<T>(fn: () => T): T {
  const was = state.enabled
  state.enabled = false
  try {
    return fn()
  } finally {
    state.enabled = was
  }
}
