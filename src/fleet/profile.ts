import { Construct } from 'constructs';
import { Fleet } from './fleet';
import { claimId, ValidationError, throwIfInvalid } from '../_errors';
import { PROFILE_PROPS } from '../_prop-shapes';
import { unknownPropProblems } from '../_props';
import { checkDnsLabel, problems } from '../_validate';
import type { Bundle } from '../bundle/bundle';
import type { EksClusterSpec } from '../eks/eks-cluster-spec';
import { RolloutPolicy } from '../rollout/rollout-policy';

const PROFILE_SYMBOL = Symbol.for('cdk8s-arlon.Profile');

/** Properties of a `Profile`. */
export interface ProfileProps {
  /**
   * Name of the profile (a DNS-1123 label), used in labels of every cluster that carries it.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The cluster spec of clusters created from this profile. A cluster carries exactly one profile with a spec; the
   * others only add bundles.
   *
   * @default - none: a bundles-only profile
   */
  readonly spec?: EksClusterSpec;
  /**
   * Bundles installed on every cluster that carries the profile. A cluster with several profiles installs the union
   * of their bundles, each once.
   *
   * @default - none
   */
  readonly bundles?: readonly Bundle[];
  /**
   * How a change of the profile's spec reaches its clusters: in the waves of this policy, each released by
   * `arlonctl rollout promote` once the clusters before it are healthy.
   *
   * @default - the fleet's policy (`fleet.setDefaultRolloutPolicy`); without one, a change reaches every cluster at once
   */
  readonly rollout?: RolloutPolicy;
  /**
   * What the profile is for.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * A profile: a cluster spec plus the bundles to install on every cluster that carries it. Changing a profile changes
 * exactly the clusters that carry it, the next time `dist/` is synthesized and committed.
 */
export class Profile extends Construct {
  /** Whether `x` is a `Profile` (works across copies of the library). */
  public static isProfile(x: unknown): x is Profile {
    return x !== null && typeof x === 'object' && PROFILE_SYMBOL in x;
  }

  public readonly name: string;
  public readonly spec?: EksClusterSpec;
  public readonly description?: string;
  /** The profile's own rollout policy (see `ProfileProps.rollout`). */
  public readonly rollout?: RolloutPolicy;
  /** The profile's bundles, in the order given. */
  public readonly bundles: readonly Bundle[];

  constructor(scope: Construct, id: string, props: ProfileProps = {}) {
    super(claimId(scope, id, 'profile', ' (the name of a profile defaults to its id: set `name` to keep it)'), id);
    Object.defineProperty(this, PROFILE_SYMBOL, { value: true });
    this.name = props.name ?? id;
    this.spec = props.spec;
    this.description = props.description;
    this.rollout = props.rollout;
    throwIfInvalid(problems(
      unknownPropProblems(props, PROFILE_PROPS),
      checkDnsLabel('profile `name`', this.name),
      props.rollout !== undefined && !RolloutPolicy.isRolloutPolicy(props.rollout) ? '`rollout` is not a RolloutPolicy; pass `new RolloutPolicy(...)`' : undefined,
      props.rollout !== undefined && props.spec === undefined
        ? '`rollout` is set on a profile without a spec; a rollout stages changes of a cluster spec, so set it on the spec profile' : undefined,
    ), this);
    const fleet = Fleet.of(this);
    fleet._reserveName('profile', this.name, this);
    const names = (props.bundles ?? []).map((b) => b.name);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined) {
      throw new ValidationError(`\`bundles\` lists bundle "${repeated}" more than once; list each bundle once`, this);
    }
    // Defining the bundles now reports a conflicting definition at the profile that brings it.
    this.bundles = (props.bundles ?? []).map((bundle) => fleet._bundles.define(bundle, this, this.name));
  }
}
