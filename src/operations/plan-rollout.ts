/**
 * What a change does to the fleet's rollouts, for the plan: for each profile whose rollout state the change moves,
 * which waves run the target revision and which clusters are held back at which revision, from `dist.rollout.yaml` in
 * the base and in the working tree. The clusters' names are in `arlonctl rollout status`; the state holds counts.
 */
import type { ProfileRollout, RolloutState } from '../rollout/rollout-state';

/** One line per profile whose rollout the change moves. */
export function rolloutLines(base: RolloutState | undefined, head: RolloutState | undefined): string[] {
  return Object.entries(head?.profiles ?? {}).filter(([name, rollout]) => JSON.stringify(base?.profiles[name]) !== JSON.stringify(rollout))
    .map(([name, rollout]) => describeRollout(name, rollout));
}

function describeRollout(profile: string, rollout: ProfileRollout): string {
  const waves = rollout.waves.filter((w) => w.clusters > 0).map((wave) => {
    const overrides = Object.values(wave.released ?? {});
    const atTarget = wave.revision === rollout.target ? wave.clusters - overrides.filter((r) => r !== rollout.target).length
      : overrides.filter((r) => r === rollout.target).length;
    const heldAt = [...new Set([wave.revision, ...overrides].filter((r) => r !== rollout.target))].sort();
    return { name: wave.name, clusters: wave.clusters, atTarget, heldAt };
  });
  const held = waves.filter((w) => w.atTarget < w.clusters);
  if (held.length === 0) {
    return `rollout of profile "${profile}": every cluster runs revision ${rollout.target}`;
  }
  const released = waves.filter((w) => w.atTarget > 0).map((w) => `${w.name} (${w.atTarget} of ${w.clusters})`);
  return `rollout of profile "${profile}" at revision ${rollout.target}: released to ${released.length === 0 ? 'no wave yet' : `wave ${released.join(', ')}`}; `
    + `held back: ${held.map((w) => `wave ${w.name} (${w.clusters - w.atTarget} cluster(s) at ${w.heldAt.join(', ')})`).join(', ')}; `
    + `\`arlonctl rollout promote ${profile}\` releases the next step`;
}
