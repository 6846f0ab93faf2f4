import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Fleet } from './fleet';
import { Annotations, Labels, reservedLabelProblems } from './labels';
import { Profile } from './profile';
import { claimId, ValidationError, throwIfInvalid } from '../_errors';
import { compareStrings } from '../_order';
import { CLUSTER_PROPS } from '../_prop-shapes';
import { unknownPropProblems } from '../_props';
import { checkDnsLabel, checkIpv4Cidr, checkKubernetesLabels, checkPlainMap, problems } from '../_validate';
import type { Bundle } from '../bundle/bundle';
import { clusterBundles, type ClusterBundleOptions } from '../bundle/membership';
import { isRecordedAs, sourceShape } from '../bundle/revive';
import { controlPlaneSpec } from '../capi/control-plane-spec';
import { NodePool } from '../capi/node-pool';
import { refOf } from '../capi/refs';
import type { EksClusterOverrides } from '../eks/eks-spec-props';
import type { NodePoolOptions } from '../eks/node-pool';
import {
  capaSubnetsProblem, nodeGroupCountProblem, nodePoolProblems, nodePoolWarnings, resolveEksSpec, resolveNodePool, type ResolvedEksSpec,
} from '../eks/resolve';
import * as l1 from '../l1';
import { ManagementNamespaces } from '../management/versions';
import { type ClusterNaming, MAX_CLUSTER_BASE_NAME, NAME_SEPARATOR, clusterBaseName, namingProblem, separatorProblem, type ClusterNames } from '../naming/cluster-names';
import { DistLayout } from '../output/layout';
import { ManifestChart } from '../output/manifest-chart';
import type { ReleasedBundle, RolloutPlacement } from '../rollout/fleet-rollout';
import { Warnings } from '../warnings';

const CLUSTER_SYMBOL = Symbol.for('cdk8s-arlon.Cluster');

/** EKS cluster names (`CreateCluster`, `name`: `^[0-9A-Za-z][A-Za-z0-9\-_]*`, 1 to 100 characters). */
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** EKS node group names are at most 63 characters, and the library names them `<cluster>-<pool>`. */
const MAX_NODEGROUP_NAME = 63;

/** Where a cluster stands in its profile's rollout. */
export type ClusterRollout = RolloutPlacement;

/**
 * With EKSEnableIAM, CAPA v2.11.1 names a control plane's IAM role `<Cluster name>-iam-service-role`
 * (`reconcileControlPlaneIAMRole`, `pkg/cloud/services/eks/roles.go`), unshortened, while IAM allows 64 characters
 * (`maxIAMRoleNameLength`, same file); node group roles are shortened there (`GenerateEKSName`).
 */
const CONTROL_PLANE_ROLE_SUFFIX = '-iam-service-role';
const MAX_IAM_ROLE_NAME = 64;

/** Who runs in each namespace of the management plane (`ManagementNamespaces`: clusterctl's and the charts' defaults). */
const MANAGEMENT_NAMESPACE_OWNERS: Readonly<Record<string, string>> = {
  [ManagementNamespaces.certManager]: 'cert-manager',
  [ManagementNamespaces.clusterApiOperator]: 'cluster-api-operator',
  [ManagementNamespaces.clusterApi]: 'Cluster API',
  [ManagementNamespaces.capa]: 'CAPA',
};

/**
 * A cluster's objects go into the namespace named after it, and retiring it deletes that namespace: a cluster named
 * like a namespace of the management plane would share it with a controller, and take it down when retired.
 */
function managementNamespaceProblem(named: string, namespace: string): string | undefined {
  const owner = MANAGEMENT_NAMESPACE_OWNERS[namespace];
  return owner === undefined ? undefined
    : `${named} is the namespace ${owner} runs in on the management cluster: the cluster's objects would go there, `
      + `and retiring the cluster would delete ${owner}'s namespace; pick another name`;
}

/** Properties of a `Cluster`. */
export interface ClusterProps extends ClusterBundleOptions {
  /**
   * Name of the cluster in the fleet: its folder in `dist/` and, with the fleet's name, the names it goes by outside
   * (`naming`). Changing it means a new cluster, so it never changes once the cluster exists.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * How the cluster's namespace, Cluster API objects, EKS cluster, Argo CD cluster and Applications are named
   * (`names`): `ClusterNaming.UNSCOPED` keeps a cluster deployed before fleet-scoped names under the names it runs with.
   *
   * @default - the fleet's `clusterNaming` (`ClusterNaming.FLEET_SCOPED` unless it says otherwise)
   */
  readonly naming?: ClusterNaming;
  /**
   * Takes over the EKS cluster of this name that already exists in the account and region, instead of creating one:
   * CAPA upgrades it to the cluster's spec, manages its node groups, and deletes it when the cluster is retired. CAPA
   * v2.11.1 adopts any EKS cluster that has the name it is given (its ownership check never fails), so the library
   * gives a name of its own only when the code says so here; the names it makes carry the fleet's name.
   *
   * @default - no adoption: the EKS cluster is named like the cluster's base name (`names.eksCluster`)
   */
  readonly adoptEksCluster?: string;
  /**
   * The profiles the cluster carries: exactly one of them has a cluster spec; the others add bundles.
   */
  readonly profiles: readonly Profile[];
  /**
   * Changes to the spec for this cluster only (region, node counts, Kubernetes version...). They survive changes to
   * the profile: a profile change reaches this cluster in every field it does not override.
   *
   * @default - the profile's spec as it is
   */
  readonly overrides?: EksClusterOverrides;
  /**
   * Labels of the cluster, on its Cluster API objects and Argo CD Applications (and later its Argo CD cluster Secret).
   *
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Marks the cluster for deletion, the first of two deliberate steps. While retired, Argo CD removes its bundle
   * Applications (what they installed stays, or goes with `RemovalPolicy.DESTROY`, while the cluster still runs),
   * `arlonctl register` removes its Argo CD cluster Secret once they are gone, and its `Cluster` object loses its
   * deletion protection (`Delete=false`); removing the cluster from the code in a later change then deletes its
   * Application, whose resources finalizer deletes the `Cluster`, and Cluster API deletes the EKS cluster and what else
   * it owns. Setting `retire` back to false restores the protection in place, in one change. Without this, removing a cluster
   * from the code leaves it running and `arlonctl plan` blocks the change. `arlonctl plan` shows both steps.
   *
   * @default false
   */
  readonly retire?: boolean;
}

/**
 * A workload cluster of the fleet, created from its profiles: an EKS cluster with managed node groups, as Cluster API
 * objects in `dist/clusters/<name>/` (chart `Capi`), synced by the Application its shard's ApplicationSet generates
 * (`fleet.argocd`). It installs the bundles of its profiles (and its own) through the bundles' ApplicationSets of its
 * shard, under the fleet's AppProject `<fleet>-bundles`, once `arlonctl register` has registered it with Argo CD.
 */
export class Cluster extends Construct {
  /** Whether `x` is a `Cluster` (works across copies of the library). */
  public static isCluster(x: unknown): x is Cluster {
    return x !== null && typeof x === 'object' && CLUSTER_SYMBOL in x;
  }

  public readonly name: string;
  /** How the cluster's names are formed (see `ClusterProps.naming`). */
  public readonly naming: ClusterNaming;
  /** The names the cluster goes by outside the fleet repository: namespace, Cluster API objects, EKS cluster, Argo CD. */
  public readonly names: ClusterNames;
  public readonly profiles: readonly Profile[];
  /** The profile whose spec the cluster is built from. */
  public readonly specProfile: Profile;
  /** The effective spec: the profile's spec with this cluster's overrides applied. */
  public readonly spec: ResolvedEksSpec;
  /** The cluster's namespace on the management cluster (escape hatch). */
  public readonly namespace: k8s.KubeNamespace;
  /** The Cluster API `Cluster` (escape hatch). Argo CD's Application for the cluster comes from its shard's ApplicationSet. */
  public readonly capiCluster: l1.CapiCluster;
  /** The CAPA `AWSManagedCluster` (escape hatch). */
  public readonly infrastructureCluster: l1.AwsManagedCluster;
  /** The CAPA `AWSManagedControlPlane` (escape hatch). */
  public readonly controlPlane: l1.AwsManagedControlPlane;
  /** The bundles the cluster installs, in name order. */
  public readonly bundles: readonly Bundle[];
  /** Whether the cluster is retired (see `ClusterProps.retire`). */
  public readonly retired: boolean;
  /**
   * The cluster's wave and the revision of its profile's spec it runs, when the profile follows a rollout policy
   * (`ProfileProps.rollout`, `Fleet.setDefaultRolloutPolicy`).
   */
  public readonly rollout?: ClusterRollout;

  private readonly fleet: Fleet;
  private readonly capiChart: ManifestChart;
  private readonly userLabels: Readonly<Record<string, string>>;
  private readonly annotations: Readonly<Record<string, string>>;
  /** Whether a bundle (cluster-autoscaler) owns the node pools' replica counts. */
  private readonly autoscaled: boolean;
  private readonly _nodePools = new Map<string, NodePool>();

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(claimId(scope, id, 'cluster', ' (the name of a cluster defaults to its id: set `name` to keep it)'), id);
    throwIfInvalid(unknownPropProblems(props, CLUSTER_PROPS), this);
    throwIfInvalid(problems(
      checkPlainMap('`labels`', props.labels, '{ env: "prod" }'),
      checkPlainMap('`overrides`', props.overrides, '{ region: "eu-west-1" }'),
    ), this);
    const name = props.name ?? id;
    Object.defineProperty(this, CLUSTER_SYMBOL, { value: true });
    this.fleet = Fleet.of(this);
    this.name = name;
    this.profiles = [...(props.profiles ?? [])];
    this.userLabels = { ...props.labels };
    this.retired = props.retire ?? false;
    this.naming = props.naming ?? this.fleet.clusterNaming;
    const base = clusterBaseName(this.fleet.name, name, this.naming);
    this.names = { base, eksCluster: props.adoptEksCluster ?? base };
    throwIfInvalid([...this.identityProblems(), ...this.namingProblems(props.adoptEksCluster)], this);
    this.fleet._reserveName('cluster', name, this, base);
    this.fleet._reserveName('EKS cluster', this.names.eksCluster, this);

    this.specProfile = this.findSpecProfile();
    const spec = this.specProfile.spec!;
    const policy = this.specProfile.rollout ?? this.fleet.defaultRolloutPolicy;
    this.rollout = policy === undefined ? undefined : this.fleet._rollout.place(this, this.specProfile, policy, this.userLabels);
    const released = this.rollout?.releasedSpec;
    if (props.overrides === undefined && released === undefined) {
      // The profile's spec, resolved and checked once when it was created, is this cluster's as it is.
      this.spec = spec.resolved;
    } else {
      const source = released === undefined ? `profile "${this.specProfile.name}"`
        : `profile "${this.specProfile.name}" at revision ${this.rollout!.revision}, which wave "${this.rollout!.wave.name}" runs`;
      // Clusters that override nothing share one resolution of the revision their wave runs.
      const resolution = props.overrides === undefined ? this.rollout!.releasedResolution!()
        : resolveEksSpec(released ?? spec.props, props.overrides, { specDescription: source });
      const effective = `effective spec (${source}${props.overrides === undefined ? '' : ' with this cluster\'s overrides'})`;
      throwIfInvalid(resolution.problems.map((p) => `${effective}: ${p}`), this);
      this.spec = resolution.spec;
      // What the profile's spec warns about is reported once, at the spec; a cluster adds what its overrides bring.
      const specWarnings = Warnings.of(spec).messages;
      resolution.warnings.filter((w) => !specWarnings.includes(w)).forEach((w) => Warnings.of(this).add(`${effective}: ${w}`));
    }
    this.spec = this.withClusterNetwork(this.spec);
    throwIfInvalid(this.spec.nodePools.flatMap((pool) => this.nodegroupNameProblems(pool.name)), this);
    const target = { name, eksClusterName: this.names.eksCluster, naming: this.naming, labels: this.userLabels, spec: this.spec };
    // A retired cluster's bundle Applications go first, while the cluster still runs (see `retire`).
    // A cluster whose wave runs an earlier revision of its profile installs that revision's bundles.
    const held = this.rollout?.releasedBundles;
    const providers = held === undefined ? this.profiles
      : this.profiles.map((p) => (p === this.specProfile ? { name: p.name, bundles: this.releasedBundles(held) } : p));
    const pending = new Set(held === undefined ? [] : this.specProfile.bundles.map((b) => b.name).filter((b) => !held.some((h) => h.name === b)));
    this.bundles = clusterBundles(this, target, providers, props, this.fleet._bundles, !this.retired, pending);
    this.autoscaled = this.bundles.some((bundle) => bundle.managesNodePoolReplicas);
    const irsaUsers = [
      ...this.spec.addons.filter((a) => a.options.serviceAccountRoleArn !== undefined).map((a) => `add-on ${a.name} (serviceAccountRoleArn)`),
      ...this.bundles.filter((b) => b.usesIamRolesForServiceAccounts(target)).map((b) => `bundle ${b.name}`),
    ];
    const associateOidcProvider = this.spec.iamRolesForServiceAccounts ?? irsaUsers.length > 0;
    throwIfInvalid(this.managementProblems(irsaUsers, associateOidcProvider), this);

    const labels = this.objectLabels();
    const annotations = this.annotations = {
      [Annotations.PROFILES]: this.profiles.map((p) => p.name).join(','),
      // Removing the cluster from the code, or pruning by hand, must never delete the EKS cluster. A retired cluster's
      // `Cluster` alone loses `Delete=false` (below): deleting it, Cluster API deletes the rest in order.
      [Annotations.ARGOCD_SYNC_OPTIONS]: 'Prune=false,Delete=false',
      ...(this.retired ? { [Annotations.RETIRED]: 'true' } : {}),
    };
    const capi = new ManifestChart(this, 'Capi', { folder: DistLayout.clusterDir(name) });
    const metadata = (objectName: string) => ({ name: objectName, namespace: base, labels: { ...labels }, annotations: { ...annotations } });

    this.namespace = new k8s.KubeNamespace(capi, 'Namespace', { metadata: { name: base, labels: { ...labels }, annotations: { ...annotations } } });
    this.infrastructureCluster = new l1.AwsManagedCluster(capi, 'Infrastructure', { metadata: metadata(base), spec: {} });
    this.controlPlane = new l1.AwsManagedControlPlane(capi, 'ControlPlane', {
      metadata: metadata(`${base}-control-plane`),
      spec: controlPlaneSpec(this.spec, {
        eksClusterName: this.names.eksCluster, associateOidcProvider, accessRoleArns: this.fleet.management.accessRoleArns,
      }),
    });
    // The Cluster alone says which fields of the profile's spec this cluster overrides: a change to them moves one file.
    const overridden = overriddenFields(props.overrides);
    const clusterAnnotations = {
      ...annotations,
      ...(this.retired ? { [Annotations.ARGOCD_SYNC_OPTIONS]: 'Prune=false' } : {}),
      ...(overridden.length > 0 ? { [Annotations.OVERRIDES]: overridden.join(',') } : {}),
      // What `arlonctl rollout` reads back: the cluster's wave and the revision of the profile's spec it runs.
      ...(this.rollout === undefined ? {} : {
        [Annotations.ROLLOUT_WAVE]: this.rollout.wave.name,
        [Annotations.SPEC_REVISION]: this.rollout.revision,
      }),
    };
    this.capiCluster = new l1.CapiCluster(capi, 'Cluster', {
      metadata: { ...metadata(base), annotations: clusterAnnotations },
      spec: { infrastructureRef: refOf(this.infrastructureCluster), controlPlaneRef: refOf(this.controlPlane) },
    });
    // A pool removed from the code keeps running (`Prune=false`); `IgnoreExtraneous` keeps its live objects from holding
    // the cluster's Application OutOfSync for good (Argo CD v3.5.1 `controller/state.go`, `CompareAppState`).
    const poolAnnotations = { ...annotations, [Annotations.ARGOCD_COMPARE_OPTIONS]: 'IgnoreExtraneous' };
    for (const pool of this.spec.nodePools) {
      this._nodePools.set(pool.name, new NodePool(capi, `NodePool-${pool.name}`, {
        pool, clusterName: base, namespace: base, labels, annotations: poolAnnotations, sshKeyName: this.spec.sshKeyName, autoscaled: this.autoscaled,
      }));
    }

    this.capiChart = capi;
    // `ApiObject.of(cluster)` and `cluster.node.defaultChild` reach the Cluster API Cluster.
    this.node.defaultChild = this.capiCluster;

    this.fleet.argocd.addCluster(name, base);
  }

  /** The cluster's node pools by name, in name order. */
  public get nodePools(): ReadonlyMap<string, NodePool> {
    return new Map([...this._nodePools.entries()].sort(([a], [b]) => compareStrings(a, b)));
  }

  /** The labels given to the cluster (copy). */
  public get labels(): Record<string, string> {
    return { ...this.userLabels };
  }

  /**
   * Adds a node pool of this cluster's own, next to the pools of its profile.
   *
   * @throws when a pool of that name exists or the options are invalid
   */
  public addNodePool(poolName: string, options: NodePoolOptions): NodePool {
    if (this._nodePools.has(poolName)) {
      throw new ValidationError(`node pool "${poolName}" already exists on this cluster (pools: ${[...this._nodePools.keys()].sort().join(', ')}); `
        + 'pick another name, or change the existing pool with `overrides.nodePools`', this);
    }
    throwIfInvalid(problems(checkPlainMap('`addNodePool` options', options, '{ instanceType: "m6i.large" }')), this);
    const pool = resolveNodePool(poolName, options, this.spec.kubernetesVersion);
    const versionOk = this.spec.kubernetesVersion.problem('') === undefined;
    throwIfInvalid([
      ...nodePoolProblems(pool, this.spec.kubernetesVersion, versionOk, this.spec),
      ...this.nodegroupNameProblems(poolName),
      ...problems(nodeGroupCountProblem(this._nodePools.size + 1, this.spec.serviceQuotas)),
    ], this);
    nodePoolWarnings(pool, this.spec).forEach((w) => Warnings.of(this).add(w));
    const labels = this.objectLabels();
    const nodePool = new NodePool(this.capiChart, `NodePool-${poolName}`, {
      pool,
      clusterName: this.names.base,
      namespace: this.names.base,
      labels,
      annotations: this.annotations,
      sshKeyName: this.spec.sshKeyName,
      // A pool of the cluster's own is scaled by the cluster's autoscaler like the profile's pools.
      autoscaled: this.autoscaled,
    });
    this._nodePools.set(poolName, nodePool);
    return nodePool;
  }

  /**
   * The bundles of the revision of its profile the cluster's wave runs, as that revision defined them: the fleet's own
   * bundle when it is unchanged, else the recorded definition (an earlier chart version, other values), which the
   * bundle's ApplicationSets give this cluster by parameters.
   */
  private releasedBundles(held: readonly ReleasedBundle[]): Bundle[] {
    const registry = this.fleet._bundles;
    const revision = `revision ${this.rollout!.revision} of profile "${this.specProfile.name}"`;
    return held.map(({ name, definition }) => {
      const current = registry.definedBundle(name);
      if (current !== undefined && isRecordedAs(current, definition)) {
        // the profile carries it for this cluster, as the revision did
        return registry.define(current, this, this.specProfile.name);
      }
      const recorded = definition === undefined ? undefined : registry.recordedBundle(definition, current);
      if (recorded === undefined) {
        throw new ValidationError(`its wave runs ${revision}, which installs bundle "${name}", but nothing in the fleet defines that bundle any more, `
          + 'and it holds code (an inline bundle, or values computed per cluster), so the state file cannot restore it; keep it defined (on the '
          + `profile, or on a cluster that uses it) until \`arlonctl rollout promote ${this.specProfile.name}\` has released the change to every wave`, this);
      }
      if (current === undefined) {
        return registry.define(recorded, this, this.specProfile.name);
      }
      if (sourceShape(recorded) !== sourceShape(current)) {
        throw new ValidationError(`bundle "${name}" is a ${sourceShape(current)} bundle in the code, and a ${sourceShape(recorded)} one in the ${revision} this `
          + 'cluster\'s wave runs; a rollout stages a new version, values or source of a bundle, not a new kind of source: give the new one another '
          + 'name, so that each wave installs it in place of the old one as it is released', this);
      }
      return registry.variant(recorded, this);
    });
  }

  private identityProblems(): string[] {
    const profileNames = this.profiles.map((p) => p.name);
    const repeated = profileNames.filter((n, i) => profileNames.indexOf(n) !== i);
    const namespace = this.names.base;
    const named = namespace === this.name ? `cluster \`name\` "${this.name}"` : `cluster \`name\` "${this.name}" (namespace "${namespace}")`;
    return problems(
      checkDnsLabel('cluster `name`', this.name),
      separatorProblem('cluster `name`', this.name),
      namespace === this.fleet.argocdNamespace || namespace === 'default' || namespace.startsWith('kube-')
        // A fleet named kube or kube-* puts every cluster there: renaming the cluster would not help.
        ? `${named} would put the cluster's objects into the reserved namespace "${namespace}"; `
          + `${namespace !== this.name && `${this.fleet.name}${NAME_SEPARATOR}`.startsWith('kube-') ? 'rename the fleet' : 'pick another name'}` : undefined,
      managementNamespaceProblem(named, namespace),
      this.profiles.length === 0
        ? 'has no profile; give `profiles` at least one profile with a cluster spec, e.g. `profiles: [dev]`' : undefined,
      repeated.length > 0 ? `\`profiles\` lists profile "${repeated[0]}" more than once; list each profile once` : undefined,
      this.profiles.filter((p) => !Profile.isProfile(p)).map(() => '`profiles` contains something that is not a Profile; pass Profile constructs'),
      this.profiles.filter((p) => Profile.isProfile(p) && Fleet.of(p) !== this.fleet)
        .map((p) => `profile "${p.name}" belongs to another fleet; use profiles of this cluster's fleet`),
      checkKubernetesLabels('`labels`', this.userLabels),
      reservedLabelProblems(this.userLabels),
    );
  }

  /** What the names the cluster goes by outside the repository rule out. */
  private namingProblems(adopt: string | undefined): string[] {
    const { base } = this.names;
    return problems(
      namingProblem('`naming`', this.naming),
      base.length > MAX_CLUSTER_BASE_NAME
        ? `cluster \`name\` "${this.name}" gives the name "${base}" (${base.length} characters) to its namespace and Cluster API cluster, `
          + `which Kubernetes limits to ${MAX_CLUSTER_BASE_NAME}; shorten the cluster's name${base === this.name ? '' : ' or the fleet\'s'}`
        : undefined,
      adopt === undefined || EKS_CLUSTER_NAME.test(adopt) ? undefined
        : `\`adoptEksCluster\` ${JSON.stringify(adopt)} is not an EKS cluster name (1 to 100 letters, digits, hyphens and underscores, `
          + 'starting with a letter or digit); give the name the cluster has in the EKS console',
    );
  }

  /** The spec with the VPC block `vpcCidrForCluster` computes for this cluster, checked. */
  private withClusterNetwork(spec: ResolvedEksSpec): ResolvedEksSpec {
    const compute = spec.network?.vpcCidrForCluster;
    if (compute === undefined) {
      return spec;
    }
    let cidr: unknown;
    try {
      cidr = compute({ name: this.name, labels: { ...this.userLabels }, region: spec.region });
    } catch (e) {
      throw new ValidationError(`\`network.vpcCidrForCluster\` of profile "${this.specProfile.name}" failed for this cluster: ${(e as Error).message}`, this);
    }
    const problem = typeof cidr === 'string'
      ? checkIpv4Cidr('`network.vpcCidrForCluster` result', cidr, 16, 28)
        ?? capaSubnetsProblem('`network.vpcCidrForCluster` result', cidr, spec.network?.availabilityZoneCount)
      : `\`network.vpcCidrForCluster\` returned ${JSON.stringify(cidr)}, not a CIDR block string`;
    throwIfInvalid(problem === undefined ? [] : [`${problem} (profile "${this.specProfile.name}")`], this);
    return { ...spec, network: { ...spec.network, vpcCidr: cidr as string, vpcCidrForCluster: undefined } };
  }

  /** What the management cluster's stated settings rule out for this cluster. */
  private managementProblems(irsaUsers: readonly string[], associateOidcProvider: boolean): string[] {
    const management = this.fleet.management;
    const from = `(profile "${this.specProfile.name}")`;
    const unreachable = management.endpointProblem(this.spec.endpointAccess);
    return problems(
      management.eksEnableIam && this.names.base.length + CONTROL_PLANE_ROLE_SUFFIX.length > MAX_IAM_ROLE_NAME
        ? `the Cluster API cluster name "${this.names.base}" is ${this.names.base.length} characters: with EKSEnableIAM `
          + `(\`management.capaFeatureGates.eksEnableIam\`) CAPA names the control plane's IAM role "<name>${CONTROL_PLANE_ROLE_SUFFIX}", and IAM refuses `
          + `role names over ${MAX_IAM_ROLE_NAME} characters on every reconcile; shorten the cluster's name (or the fleet's) so that `
          + `"${this.names.base === this.name ? '<cluster>' : `${this.fleet.name}${NAME_SEPARATOR}<cluster>`}" has at most `
          + `${MAX_IAM_ROLE_NAME - CONTROL_PLANE_ROLE_SUFFIX.length} characters`
        : undefined,
      associateOidcProvider && !management.eksEnableIam
        ? `${irsaUsers.length > 0 ? irsaUsers.join(' and ') : '`iamRolesForServiceAccounts`'} ${from} need${irsaUsers.length === 1 ? 's' : ''} an IAM OIDC provider `
        + '(IAM roles for service accounts), which CAPA creates only with its EKSEnableIAM feature gate, off by default; enable it on the management cluster '
        + '(CAPA_EKS_IAM=true at `clusterctl init`) and state it on the Fleet with `management: { capaFeatureGates: { eksEnableIam: true } }`, '
        + 'or drop the IAM roles and use the node role'
        : undefined,
      this.spec.iamRolesForServiceAccounts === false && irsaUsers.length > 0
        ? `\`iamRolesForServiceAccounts\` is false ${from}, but ${irsaUsers.join(' and ')} assume IAM roles through their service accounts, which needs it; `
        + 'set it to true or leave it out' : undefined,
      unreachable === undefined ? undefined : `${unreachable} ${from}`,
      this.bundles.length > 0 && management.argoCdRoleArn === undefined
        ? `has bundles (${this.bundles.map((b) => b.name).join(', ')}), which Argo CD installs through the cluster's API, but the Fleet names no IAM role for `
        + 'Argo CD to reach the clusters with; set `management: { argoCdRoleArn: "arn:aws:iam::<account>:role/<name>" }` on the Fleet, so every control plane '
        + 'gets an EKS access entry for it and `arlonctl register` uses it' : undefined,
    );
  }

  private findSpecProfile(): Profile {
    const withSpec = this.profiles.filter((p) => p.spec !== undefined);
    if (withSpec.length !== 1) {
      const names = (list: readonly Profile[]) => list.map((p) => `"${p.name}"`).join(', ');
      throw new ValidationError(withSpec.length === 0
        ? `none of its profiles (${names(this.profiles)}) has a cluster spec; add a profile that has one`
        : `profiles ${names(withSpec)} each have a cluster spec, and a cluster is built from exactly one; keep one spec profile and make the others bundles-only`, this);
    }
    return withSpec[0];
  }

  private nodegroupNameProblems(poolName: string): string[] {
    const nodegroup = `${this.names.base}-${poolName}`;
    return nodegroup.length > MAX_NODEGROUP_NAME
      ? [`node pool "${poolName}" would be EKS node group "${nodegroup}" (${nodegroup.length} characters); EKS allows ${MAX_NODEGROUP_NAME}, so shorten the cluster or pool name`]
      : [];
  }

  private objectLabels(): Record<string, string> {
    const labels: Record<string, string> = {
      ...this.userLabels,
      ...this.fleet.labels(),
      [Labels.CLUSTER]: this.name,
      [Labels.CAPI_CLUSTER_NAME]: this.names.base,
    };
    for (const profile of this.profiles) {
      labels[Labels.profile(profile.name)] = 'true';
    }
    return labels;
  }
}

/** The fields of the profile's spec `overrides` sets, sorted: top-level fields, and each node pool as `nodePools.<pool>`. */
function overriddenFields(overrides: EksClusterOverrides | undefined): string[] {
  if (overrides === undefined) {
    return [];
  }
  return Object.entries(overrides).filter(([, value]) => value !== undefined).flatMap(([field, value]) => {
    return field === 'nodePools' ? Object.keys(value as object).map((pool) => `nodePools.${pool}`) : [field];
  }).sort();
}
