import { Construct } from 'constructs';
import { Fleet } from './fleet';
import { reservedLabelProblems } from './labels';
import { Profile } from './profile';
import { claimId, throwIfInvalid } from '../_errors';
import { EXTERNAL_CLUSTER_PROPS } from '../_prop-shapes';
import { unknownPropProblems } from '../_props';
import { checkDnsLabel, checkKubernetesLabels, problems } from '../_validate';
import type { Bundle } from '../bundle/bundle';
import { clusterBundles, type ClusterBundleOptions } from '../bundle/membership';
import { type ClusterNaming, namingProblem, separatorProblem } from '../naming/cluster-names';

/** Properties of an `ExternalCluster`. */
export interface ExternalClusterProps extends ClusterBundleOptions {
  /**
   * The cluster's name in Argo CD (its cluster Secret's `name`), a DNS-1123 label.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /** Profiles whose bundles the cluster installs. Their cluster specs do not apply: the cluster is not managed here. */
  readonly profiles: readonly Profile[];
  /**
   * Labels of the cluster, recorded in `dist/` with its profiles (the fleet's external clusters ConfigMap).
   *
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * How the cluster's bundle Applications are named: `<fleet>--<cluster>--<bundle>` (`ClusterNaming.FLEET_SCOPED`), or
   * `<cluster>-<bundle>` (`ClusterNaming.UNSCOPED`, as before fleet-scoped names). Argo CD's name for the cluster
   * stays `name` either way.
   *
   * @default - the fleet's `clusterNaming`
   */
  readonly naming?: ClusterNaming;
}

/**
 * A cluster that exists already and is registered in Argo CD under `name`: it receives the bundles of its profiles,
 * and nothing in the fleet creates, changes or deletes the cluster itself (no Cluster API objects).
 */
export class ExternalCluster extends Construct {
  public readonly name: string;
  /** How the cluster's bundle Applications are named (see `ExternalClusterProps.naming`). */
  public readonly naming: ClusterNaming;
  public readonly profiles: readonly Profile[];
  /** The bundles the cluster installs, in name order. */
  public readonly bundles: readonly Bundle[];

  constructor(scope: Construct, id: string, props: ExternalClusterProps) {
    super(claimId(scope, id, 'cluster', ' (the name of a cluster defaults to its id: set `name` to keep it)'), id);
    throwIfInvalid(unknownPropProblems(props, EXTERNAL_CLUSTER_PROPS), this);
    const fleet = Fleet.of(this);
    this.name = props.name ?? id;
    this.profiles = [...(props.profiles ?? [])];
    this.naming = props.naming ?? fleet.clusterNaming;
    const labels = { ...props.labels };
    throwIfInvalid(problems(
      checkDnsLabel('external cluster `name`', this.name),
      separatorProblem('external cluster `name`', this.name),
      namingProblem('`naming`', this.naming),
      this.profiles.length === 0 ? 'has no profile; give `profiles` the profiles whose bundles it should install' : undefined,
      this.profiles.filter((p) => !Profile.isProfile(p)).map(() => '`profiles` contains something that is not a Profile; pass Profile constructs'),
      checkKubernetesLabels('`labels`', labels),
      reservedLabelProblems(labels),
    ), this);
    fleet._reserveName('cluster', this.name, this);

    this.bundles = clusterBundles(this, { name: this.name, naming: this.naming, labels }, this.profiles, props, fleet._bundles);
    fleet.argocd.addExternal(this.name, this.profiles.map((p) => p.name), labels, this.naming);
  }
}
