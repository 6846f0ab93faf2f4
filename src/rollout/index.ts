export { RolloutPolicy, type RolloutPolicyProps, type Wave, type WaveOptions } from './rollout-policy';
export type { RolloutPlacement } from './fleet-rollout';
export type { ProfileRollout, RolloutState, WaveState } from './rollout-state';
