import type { AwsIdentity } from './aws-identity';
import type { EksAddon } from './eks-addon';
import type { KubernetesVersion } from './kubernetes-version';
import type { NodePoolOptions, NodePoolOverrides } from './node-pool';

/** EKS control plane log types sent to CloudWatch. */
export enum ControlPlaneLog {
  API_SERVER = 'apiServer',
  AUDIT = 'audit',
  AUTHENTICATOR = 'authenticator',
  CONTROLLER_MANAGER = 'controllerManager',
  SCHEDULER = 'scheduler',
}

/** What happens to a cluster whose Kubernetes version leaves standard support (`AWSManagedControlPlane.spec.upgradePolicy`). */
export enum UpgradePolicy {
  /** EKS upgrades the cluster to the next version at the end of standard support; no extended-support charges. */
  STANDARD = 'standard',
  /** The cluster stays on its version in extended support, which is charged extra. */
  EXTENDED = 'extended',
}

/** What `vpcCidrForCluster` is told about the cluster it computes a block for. */
export interface ClusterNetworkContext {
  /** The cluster's name. */
  readonly name: string;
  /** The cluster's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The cluster's region. */
  readonly region: string;
}

/**
 * Where the cluster's network lives: either a new VPC that CAPA creates (`vpcCidr`, `availabilityZoneCount`) or an
 * existing VPC and its subnets (`vpcId`, `subnetIds`). The two are exclusive.
 */
export interface EksNetworkOptions {
  /**
   * CIDR block of a new VPC created by CAPA (a /16 to /28).
   *
   * @default - '10.0.0.0/16' (the CAPA default) unless `vpcId` or `vpcCidrForCluster` is set
   */
  readonly vpcCidr?: string;
  /**
   * The CIDR block of each cluster's new VPC, computed from the cluster, so the clusters of one profile get blocks
   * of their own (for peering or a Transit Gateway) without an override each. Use a number kept with the cluster,
   * never its position in the fleet: a VPC's block never changes once created. `cidrSubnet` helps, e.g.
   * `(c) => cidrSubnet('10.0.0.0/8', 8, Number(c.labels['vpc-index']))`.
   *
   * @default - every cluster gets `vpcCidr`
   */
  readonly vpcCidrForCluster?: (cluster: ClusterNetworkContext) => string;
  /**
   * Number of availability zones a new VPC spreads its subnets over (at least 2: EKS needs subnets in two zones).
   *
   * @default 3
   */
  readonly availabilityZoneCount?: number;
  /**
   * ID of an existing VPC to use instead of creating one. Requires `subnetIds`.
   *
   * @default - CAPA creates a VPC
   */
  readonly vpcId?: string;
  /**
   * IDs of existing subnets in `vpcId`, in at least two availability zones (an EKS requirement).
   *
   * @default - CAPA creates subnets
   */
  readonly subnetIds?: readonly string[];
}

/** Who can reach the Kubernetes API endpoint. */
export interface EndpointAccessOptions {
  /**
   * Whether the endpoint is reachable from the internet.
   *
   * @default true
   */
  readonly public?: boolean;
  /**
   * Whether the endpoint is reachable from inside the VPC.
   *
   * @default false
   */
  readonly private?: boolean;
  /**
   * CIDR blocks allowed to reach the public endpoint. Only with `public` access.
   *
   * @default - any address ('0.0.0.0/0')
   */
  readonly publicCidrs?: readonly string[];
}

/**
 * EKS service quotas of the account and region, where they were raised above AWS's defaults. Sizes past a default
 * quota are refused unless the quota raised here covers them (then the synth warns, so the raise stays visible).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html
 */
export interface EksServiceQuotas {
  /**
   * The quota "Nodes per managed node group" as raised for the account and region: bounds every pool's `maxSize`.
   *
   * @default 450 (the EKS default)
   */
  readonly nodesPerManagedNodeGroup?: number;
  /**
   * The quota "Managed node groups per cluster" as raised for the account and region: bounds the number of pools.
   *
   * @default 30 (the EKS default)
   */
  readonly managedNodeGroupsPerCluster?: number;
}

/** The fields of an EKS cluster spec, every one of which a cluster may override. */
export interface EksClusterSpecProps {
  /** Kubernetes version of the control plane and, unless a pool says otherwise, of the node pools. */
  readonly kubernetesVersion: KubernetesVersion;
  /** AWS region code, e.g. `us-east-1`. */
  readonly region: string;
  /** Node pools by name (a DNS-1123 label; `<cluster>-<pool>` names the EKS node group). */
  readonly nodePools: Readonly<Record<string, NodePoolOptions>>;
  /**
   * EKS managed add-ons, installed and upgraded by CAPA.
   *
   * @default - none managed: EKS installs its default vpc-cni, coredns and kube-proxy unmanaged
   */
  readonly addons?: readonly EksAddon[];
  /**
   * VPC and subnets.
   *
   * @default - a new VPC with CIDR '10.0.0.0/16' over 3 availability zones
   */
  readonly network?: EksNetworkOptions;
  /**
   * Access to the Kubernetes API endpoint.
   *
   * @default - public access from anywhere, no private access
   */
  readonly endpointAccess?: EndpointAccessOptions;
  /**
   * Control plane logs sent to CloudWatch.
   *
   * @default - none
   */
  readonly controlPlaneLogging?: readonly ControlPlaneLog[];
  /**
   * The CAPA identity used to reconcile the cluster.
   *
   * @default - the CAPA controller's default credentials
   */
  readonly identity?: AwsIdentity;
  /**
   * Name of an EC2 key pair for SSH access to the nodes (EKS node group remote access).
   *
   * @default - no SSH access
   */
  readonly sshKeyName?: string;
  /**
   * What EKS does when the cluster's Kubernetes version leaves standard support.
   *
   * @default - not set: a new cluster gets the AWS default (extended support at the time of writing), an existing
   * cluster keeps its policy
   */
  readonly upgradePolicy?: UpgradePolicy;
  /**
   * Whether the cluster gets an IAM OIDC provider, so pods can assume IAM roles through their service account (IRSA).
   * Needs CAPA's `EKSEnableIAM` gate, stated on the Fleet (`management.capaFeatureGates.eksEnableIam`). Set it for
   * bundles of your own that annotate service accounts with roles.
   *
   * @default - true when an add-on (`serviceAccountRoleArn`) or a bundle of the cluster (the cluster-autoscaler's
   * `roleArnForCluster`) uses an IAM role for its service account
   */
  readonly iamRolesForServiceAccounts?: boolean;
  /**
   * AWS tags added to every AWS resource CAPA creates for the cluster.
   *
   * @default - none beyond CAPA's own
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Regions AWS opened after this release of the library, to accept although its catalogue (the AWS SDK's endpoint
   * partitions, `vendor/aws-catalogue.json`) does not list them. Each use is reported as a warning; an override adds
   * to the profile's list.
   *
   * @default - only the catalogue's regions
   */
  readonly unlistedRegions?: readonly string[];
  /**
   * EC2 instance types launched after this release of the library, to accept although its catalogue (the AWS SDK's
   * EC2 `InstanceType` enum, `vendor/aws-catalogue.json`) does not list them. Each use is reported as a warning; an
   * override adds to the profile's list.
   *
   * @default - only the catalogue's instance types
   */
  readonly unlistedInstanceTypes?: readonly string[];
  /**
   * EKS service quotas raised for the account and region (nodes per node group, node groups per cluster).
   *
   * @default - EKS's default quotas: 450 nodes per managed node group, 30 managed node groups per cluster
   */
  readonly serviceQuotas?: EksServiceQuotas;
}

/**
 * Per-cluster changes to the spec of its profile: any field of `EksClusterSpecProps`. Scalars and `network`,
 * `endpointAccess`, `controlPlaneLogging`, `identity` and `serviceQuotas` replace the profile's value; `tags` are merged key by key,
 * `unlistedRegions` and `unlistedInstanceTypes` add to the profile's;
 * `addons` are merged by add-on name; `nodePools` change fields of pools the profile defines (use
 * `Cluster.addNodePool` for a pool of its own). A field left out follows the profile.
 */
export interface EksClusterOverrides extends Partial<Omit<EksClusterSpecProps, 'nodePools'>> {
  /**
   * Changes to fields of the profile's node pools, by pool name.
   *
   * @default - the profile's pools unchanged
   */
  readonly nodePools?: Readonly<Record<string, NodePoolOverrides>>;
}
