import type { PlacementReader } from './fleet-rollout';
import type { RolloutState } from './rollout-state';

/**
 * Where a fleet's rollout reads what the last synthesis recorded: its rollout state (`dist.rollout.yaml`) and where
 * it placed each cluster (the `Cluster` files of `dist/`). A fleet reads them beside its `outdir` unless it is built
 * inside `withRolloutInputs` (as `FleetTesting` builds one), which gives them explicitly, so that the result does not
 * depend on the working directory.
 */
export interface RolloutInputs {
  /** Names the state in messages (a file, or a description of where it came from). */
  readonly stateName: string;
  readonly readState: () => RolloutState | undefined;
  readonly previousPlacement: PlacementReader;
}

let scoped: RolloutInputs | undefined;

/** Runs `build`; a fleet constructed in it takes its rollout inputs from `inputs` instead of the disk. */
export function withRolloutInputs<T>(inputs: RolloutInputs, build: () => T): T {
  const outer = scoped;
  scoped = inputs;
  try {
    return build();
  } finally {
    scoped = outer;
  }
}

/** The rollout inputs of the `withRolloutInputs` call running, if any. */
export function scopedRolloutInputs(): RolloutInputs | undefined {
  return scoped;
}
