import { Construct } from 'constructs';
import type { EksClusterSpecProps } from './eks-spec-props';
import type { NodePoolOptions } from './node-pool';
import { resolveEksSpec, specShapeProblems, type ResolvedEksSpec } from './resolve';
import { claimId, throwIfInvalid } from '../_errors';
import { EKS_CLUSTER_SPEC_PROPS } from '../_prop-shapes';
import { unknownPropProblems } from '../_props';
import { Warnings } from '../warnings';

const SPEC_SYMBOL = Symbol.for('cdk8s-arlon.EksClusterSpec');

/**
 * An EKS cluster specification: Kubernetes version, region, node pools, add-ons, networking, endpoint access,
 * logging, identity, SSH key and tags. Profiles carry a spec; clusters are created from it, with overrides.
 *
 * The spec is validated when it is created, so a mistake is reported at the spec, not at each cluster using it.
 */
export class EksClusterSpec extends Construct {
  /** Whether `x` is an `EksClusterSpec` (works across copies of the library). */
  public static isEksClusterSpec(x: unknown): x is EksClusterSpec {
    return x !== null && typeof x === 'object' && SPEC_SYMBOL in x;
  }

  /** The spec as given, copied so later changes to the caller's objects have no effect. */
  public readonly props: EksClusterSpecProps;
  /** The spec with every default applied. */
  public readonly resolved: ResolvedEksSpec;

  constructor(scope: Construct, id: string, props: EksClusterSpecProps) {
    super(claimId(scope, id, 'cluster spec'), id);
    Object.defineProperty(this, SPEC_SYMBOL, { value: true });
    throwIfInvalid([...unknownPropProblems(props, EKS_CLUSTER_SPEC_PROPS), ...specShapeProblems(props)], this);
    this.props = structuredCloneSpec(props);
    const { spec, problems, warnings } = resolveEksSpec(this.props);
    throwIfInvalid(problems, this);
    this.resolved = spec;
    warnings.forEach((warning) => Warnings.of(this).add(warning));
  }
}

/** A deep copy that keeps class instances (versions, add-ons, identities) as they are. */
function structuredCloneSpec(props: EksClusterSpecProps): EksClusterSpecProps {
  const nodePools: Record<string, NodePoolOptions> = {};
  for (const [name, pool] of Object.entries(props.nodePools ?? {})) {
    nodePools[name] = { ...pool, labels: pool.labels && { ...pool.labels }, taints: pool.taints && pool.taints.map((t) => ({ ...t })) };
  }
  return {
    ...props,
    nodePools,
    addons: props.addons && [...props.addons],
    network: props.network && { ...props.network, subnetIds: props.network.subnetIds && [...props.network.subnetIds] },
    endpointAccess: props.endpointAccess && {
      ...props.endpointAccess,
      publicCidrs: props.endpointAccess.publicCidrs && [...props.endpointAccess.publicCidrs],
    },
    controlPlaneLogging: props.controlPlaneLogging && [...props.controlPlaneLogging],
    tags: props.tags && { ...props.tags },
    unlistedRegions: Array.isArray(props.unlistedRegions) ? [...props.unlistedRegions] : props.unlistedRegions,
    unlistedInstanceTypes: Array.isArray(props.unlistedInstanceTypes) ? [...props.unlistedInstanceTypes] : props.unlistedInstanceTypes,
    serviceQuotas: props.serviceQuotas && { ...props.serviceQuotas },
  };
}
