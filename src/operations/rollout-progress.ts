import type { DistCluster } from './dist-fleet';
import type { ClusterHealth } from './rollout-health';
import { compareStrings } from '../_order';
import { parseSoak, type Approval, type ProfileRollout, type RolloutState, type WaveState } from '../rollout/rollout-state';

/** One wave of a profile, as dist/ has it. */
export interface WaveProgress {
  readonly state: WaveState;
  /** The profile's clusters in the wave, by name. */
  readonly clusters: readonly DistCluster[];
  /** Those that run the target revision. */
  readonly atTarget: readonly string[];
}

/** What `promote` would release next: some clusters of one wave. */
export interface RolloutStep {
  readonly wave: WaveState;
  readonly clusters: readonly string[];
  /** Whether the step releases the rest of the wave (else: the next `maxClusters` of it). */
  readonly completesWave: boolean;
}

/** Where a profile's rollout stands. */
export interface ProfileProgress {
  readonly profile: string;
  readonly rollout: ProfileRollout;
  readonly waves: readonly WaveProgress[];
  /** Clusters that run the target revision. */
  readonly released: readonly string[];
  /** The last wave (in order) with released clusters: its soak applies before the next step. */
  readonly lastReleased?: WaveProgress;
  readonly next?: RolloutStep;
}

/** The progress of `profile`'s rollout, from `dist.rollout.yaml` and the clusters in dist/. */
export function profileProgress(profile: string, rollout: ProfileRollout, clusters: readonly DistCluster[]): ProfileProgress {
  const own = clusters.filter((c) => c.specRevision !== undefined && c.profiles.includes(profile)).sort((a, b) => compareStrings(a.name, b.name));
  const waves = rollout.waves.map((state): WaveProgress => {
    const inWave = own.filter((c) => c.rolloutWave === state.name);
    return { state, clusters: inWave, atTarget: inWave.filter((c) => c.specRevision === rollout.target).map((c) => c.name) };
  });
  let next: RolloutStep | undefined;
  for (const wave of waves) {
    const pending = wave.clusters.filter((c) => c.specRevision !== rollout.target).map((c) => c.name);
    if (pending.length > 0) {
      const step = pending.slice(0, wave.state.maxClusters ?? pending.length);
      next = { wave: wave.state, clusters: step, completesWave: step.length === pending.length };
      break;
    }
  }
  const withReleased = waves.filter((w) => w.atTarget.length > 0);
  return {
    profile,
    rollout,
    waves,
    released: waves.flatMap((w) => w.atTarget),
    lastReleased: withReleased[withReleased.length - 1],
    next,
  };
}

/**
 * `state` with `step` of `profile` released: the whole wave at the target, or its clusters ahead of it; with the
 * approvals that let it past its gates recorded.
 */
export function releaseStep(state: RolloutState, profile: string, step: RolloutStep, approvals: readonly Approval[] = []): RolloutState {
  const rollout = state.profiles[profile];
  const waves = rollout.waves.map((wave): WaveState => {
    if (wave.name !== step.wave.name) {
      return wave;
    }
    if (step.completesWave) {
      const { released: _ahead, ...rest } = wave;
      return { ...rest, revision: rollout.target };
    }
    const released = { ...wave.released, ...Object.fromEntries(step.clusters.map((c) => [c, rollout.target])) };
    return { ...wave, released: Object.fromEntries(Object.entries(released).sort(([a], [b]) => compareStrings(a, b))) };
  });
  const recorded = [...(rollout.approvals ?? []), ...approvals];
  return { ...state, profiles: { ...state.profiles, [profile]: { ...rollout, waves, ...(recorded.length === 0 ? {} : { approvals: recorded }) } } };
}

/** What a person lets a step past: the wave's approval, and the soak of the wave before. */
export interface PromotionGates {
  readonly now: Date;
  readonly approve: boolean;
  readonly skipSoak?: boolean;
}

/** Why the next step may not be released now, or an empty list when it may. */
export function promotionRefusals(progress: ProfileProgress, health: ReadonlyMap<string, ClusterHealth>, options: PromotionGates): string[] {
  const { rollout, next } = progress;
  if (next === undefined) {
    return [];
  }
  const refusals: string[] = [];
  if (rollout.paused === true) {
    refusals.push(`the rollout of profile "${progress.profile}" is paused; \`arlonctl rollout resume ${progress.profile}\` lets it go on`);
  }
  if (rollout.aborted === rollout.target) {
    refusals.push(`revision ${rollout.target} of profile "${progress.profile}" was aborted; revert the change in the code (its next revision reaches the clusters `
      + 'that run the aborted one at once), or remove `aborted` from the rollout state file to take it up again');
  }
  for (const cluster of progress.released) {
    const h = health.get(cluster);
    if (h !== undefined && !h.healthy) {
      refusals.push(`cluster ${cluster} (released at ${rollout.target}) is not healthy: ${h.reasons.join('; ')}`);
    }
  }
  const soak = parseSoak(progress.lastReleased?.state.soak);
  if (refusals.length === 0 && soak > 0 && options.skipSoak !== true) {
    for (const cluster of progress.lastReleased!.atTarget) {
      const since = health.get(cluster)?.since;
      const soaked = since === undefined ? Number.POSITIVE_INFINITY : (options.now.getTime() - since.getTime()) / 1000;
      if (soaked < soak) {
        const until = new Date(since!.getTime() + soak * 1000).toISOString();
        refusals.push(`cluster ${cluster} of wave ${progress.lastReleased!.state.name} has been as it is for ${formatWait(soaked)} of its ${progress.lastReleased!.state.soak} soak `
          + `(since ${since!.toISOString()}); promote again after ${until}, or cut the soak short with --skip-soak`);
      }
    }
  }
  if (next.wave.requireApproval === true && !options.approve) {
    refusals.push(`wave ${next.wave.name} requires approval; release it with \`arlonctl rollout promote ${progress.profile} --approve\``);
  }
  return refusals;
}

function formatWait(seconds: number): string {
  return seconds >= 3600 ? `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m` : seconds >= 60 ? `${Math.floor(seconds / 60)}m` : `${Math.floor(seconds)}s`;
}
