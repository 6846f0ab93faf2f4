import type { Duration } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { claimId, ValidationError, throwIfInvalid } from '../_errors';
import { ROLLOUT_POLICY_PROPS, WAVE_PROPS } from '../_prop-shapes';
import { unknownPropProblems } from '../_props';
import { checkDnsLabel, checkInteger, checkKubernetesLabels, problems } from '../_validate';

/** One wave of a rollout: the clusters it selects, and what a step into it takes. */
export interface WaveOptions {
  /** Name of the wave (a DNS-1123 label), as `arlonctl rollout` shows it, e.g. `dev`. */
  readonly name: string;
  /**
   * The clusters of the wave: those whose `labels` include all of these. Only the last wave may leave it out, to
   * take the clusters no other wave selects ("the rest").
   *
   * @default - the rest (last wave only)
   */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /**
   * The most clusters of this wave one step releases: a larger wave is released in several steps (`arlonctl rollout
   * promote` each), in order of cluster name, each gated like a wave. A change then reaches a profile's first wave
   * by `promote` too, not with its commit.
   *
   * @default - the whole wave in one step
   */
  readonly maxClusters?: number;
  /**
   * How long the clusters of this wave must have been healthy before the next step is released.
   *
   * @default - no soak: healthy is enough
   */
  readonly soak?: Duration;
  /**
   * Whether releasing this wave takes an explicit approval (`arlonctl rollout promote --approve`), beyond health.
   *
   * @default false
   */
  readonly requireApproval?: boolean;
}

/** Properties of a `RolloutPolicy`. */
export interface RolloutPolicyProps {
  /** The waves, in order: a profile change reaches the first wave with the commit, and each next one by `arlonctl rollout promote`. */
  readonly waves: readonly WaveOptions[];
}

/** A wave as the policy holds it. */
export interface Wave {
  readonly name: string;
  /** The labels a cluster must have; undefined for the rest. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly maxClusters?: number;
  /** Soak time in seconds (0: none). */
  readonly soakSeconds: number;
  readonly requireApproval: boolean;
}

const POLICY_SYMBOL = Symbol.for('cdk8s-arlon.RolloutPolicy');

/**
 * How a profile change reaches the fleet: in waves of clusters selected by labels. With a policy, a change to a
 * profile's spec is released with its commit to the profile's first wave only (the first that holds clusters of the
 * profile); the other clusters keep the revision they were released at (recorded in `dist.rollout.yaml` beside `dist/`)
 * until `arlonctl rollout promote` releases the next wave, once the released clusters are healthy. Set it for the fleet (`fleet.setDefaultRolloutPolicy`) or per profile
 * (`ProfileProps.rollout`).
 *
 * Every cluster of a profile that follows the policy belongs to exactly one wave: overlapping selectors, a cluster no
 * wave selects, and a wave that selects no cluster of the fleet fail at synth.
 */
export class RolloutPolicy extends Construct {
  /** Whether `x` is a `RolloutPolicy` (works across copies of the library). */
  public static isRolloutPolicy(x: unknown): x is RolloutPolicy {
    return x !== null && typeof x === 'object' && POLICY_SYMBOL in x;
  }

  /** The waves, in order. */
  public readonly waves: readonly Wave[];

  constructor(scope: Construct, id: string, props: RolloutPolicyProps) {
    super(claimId(scope, id, 'rollout policy'), id);
    Object.defineProperty(this, POLICY_SYMBOL, { value: true });
    throwIfInvalid(unknownPropProblems(props, ROLLOUT_POLICY_PROPS), this);
    const waves = Array.isArray(props.waves) ? props.waves : [];
    throwIfInvalid(wavesProblems(waves), this);
    this.waves = waves.map((w) => ({
      name: w.name,
      matchLabels: w.matchLabels === undefined ? undefined : { ...w.matchLabels },
      maxClusters: w.maxClusters,
      soakSeconds: w.soak === undefined ? 0 : w.soak.toSeconds(),
      requireApproval: w.requireApproval ?? false,
    }));
  }

  /** The wave a cluster with `labels` belongs to; throws (at `cluster`) when none or several select it. */
  public waveOf(labels: Readonly<Record<string, string>>, cluster: IConstruct): Wave {
    const matching = this.waves.filter((w) => w.matchLabels !== undefined && Object.entries(w.matchLabels).every(([k, v]) => labels[k] === v));
    if (matching.length > 1) {
      throw new ValidationError(`its labels ${describeLabels(labels)} match waves ${matching.map((w) => `"${w.name}"`).join(' and ')} of rollout policy `
        + `"${this.node.path}"; a cluster belongs to exactly one wave, so make the waves' \`matchLabels\` exclusive`, cluster);
    }
    const wave = matching[0] ?? this.waves.find((w) => w.matchLabels === undefined);
    if (wave === undefined) {
      throw new ValidationError(`its labels ${describeLabels(labels)} match no wave of rollout policy "${this.node.path}" `
        + `(${this.waves.map((w) => `${w.name}: ${describeLabels(w.matchLabels ?? {})}`).join('; ')}); give it labels a wave selects, `
        + 'or end the policy with a wave without `matchLabels` for the rest', cluster);
    }
    return wave;
  }
}

function wavesProblems(waves: readonly WaveOptions[]): string[] {
  if (waves.length === 0) {
    return ['`waves` is empty; give at least one wave, e.g. `waves: [{ name: \'dev\', matchLabels: { env: \'dev\' } }, { name: \'rest\' }]`'];
  }
  const names = waves.map((w) => w.name);
  return problems(
    waves.flatMap((w, i) => problems(
      unknownPropProblems(w, WAVE_PROPS).map((p) => `wave ${i + 1}: ${p}`),
      checkDnsLabel(`wave ${i + 1} \`name\``, String(w.name)),
      names.indexOf(w.name) !== i ? `wave name "${w.name}" is used twice; give each wave its own name` : undefined,
      w.matchLabels === undefined && i < waves.length - 1
        ? `wave "${w.name}" has no \`matchLabels\`, which makes it the rest of the clusters, so it must be the last wave; move it last or give it labels` : undefined,
      w.matchLabels !== undefined && Object.keys(w.matchLabels).length === 0
        ? `wave "${w.name}" has empty \`matchLabels\`, which would select every cluster; give labels, or leave \`matchLabels\` out on the last wave for the rest` : undefined,
      w.matchLabels === undefined ? [] : checkKubernetesLabels(`wave "${w.name}" \`matchLabels\``, w.matchLabels),
      w.maxClusters === undefined ? undefined : checkInteger(`wave "${w.name}" \`maxClusters\``, w.maxClusters, 1),
    )),
  );
}

function describeLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}
