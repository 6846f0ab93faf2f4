/**
 * The props each construct takes, as shapes for `unknownPropProblems` (see `_props.ts`). Each is checked against its
 * interface by the compiler (`satisfies ShapeOf<...>`): a key missing here, or one the interface does not have, fails
 * the build.
 */
import { recordOf, type PropShape, type ShapeOf } from './_props';
import type { BundleOptions, GitBundleOptions, HelmBundleOptions, InlineBundleOptions } from './bundle/bundle-options';
import type { ClusterBundleOptions } from './bundle/membership';
import type { EksAddonOptions } from './eks/eks-addon';
import type { EksClusterOverrides, EksClusterSpecProps, EksNetworkOptions, EksServiceQuotas, EndpointAccessOptions } from './eks/eks-spec-props';
import type { NodePoolOptions } from './eks/node-pool';
import type { ClusterProps } from './fleet/cluster';
import type { ExternalClusterProps } from './fleet/external-cluster';
import type { FleetProps } from './fleet/fleet';
import type { CapaFeatureGates, ManagementClusterOptions } from './fleet/management-cluster';
import type { ProfileProps } from './fleet/profile';
import type { ManagementArgoCdOptions, ManagementPlaneOptions } from './management/plane-options';
import type { RolloutPolicyProps, WaveOptions } from './rollout/rollout-policy';

const CAPA_FEATURE_GATES = { eksEnableIam: true } as const satisfies ShapeOf<CapaFeatureGates>;

const MANAGEMENT = {
  capaFeatureGates: CAPA_FEATURE_GATES,
  egressCidrs: true,
  reachesPrivateEndpoints: true,
  argoCdRoleArn: true,
  clusterAdminRoleArns: true,
  apiServerUrls: true,
  argoCdClusterNames: true,
} as const satisfies ShapeOf<ManagementClusterOptions>;

// Feature gates are maps of gate names: validated against the gates each controller knows, not as props.
const MANAGEMENT_PLANE = {
  managed: true,
  clusterApiFeatureGates: true,
  capaFeatureGates: true,
  capaVariablesSecret: true,
  argoCd: { controllerReplicas: true } satisfies ShapeOf<ManagementArgoCdOptions>,
} as const satisfies ShapeOf<ManagementPlaneOptions>;

export const FLEET_PROPS: PropShape = {
  name: true,
  repoUrl: true,
  targetRevision: true,
  path: true,
  argocdNamespace: true,
  managementClusterName: true,
  clusterNaming: true,
  management: MANAGEMENT,
  managementPlane: MANAGEMENT_PLANE,
  shards: true,
  outdir: true,
} as const satisfies ShapeOf<FleetProps>;

/** Labels and taints are lists or free maps: only the pool's own keys are checked. */
export const NODE_POOL_OPTIONS: PropShape = {
  instanceType: true,
  minSize: true,
  maxSize: true,
  desiredSize: true,
  capacityType: true,
  diskSizeGiB: true,
  amiType: true,
  labels: true,
  taints: true,
  kubernetesVersion: true,
  amiReleaseVersion: true,
} as const satisfies ShapeOf<NodePoolOptions>;

const NETWORK = {
  vpcCidr: true, vpcCidrForCluster: true, availabilityZoneCount: true, vpcId: true, subnetIds: true,
} as const satisfies ShapeOf<EksNetworkOptions>;

const ENDPOINT_ACCESS = { public: true, private: true, publicCidrs: true } as const satisfies ShapeOf<EndpointAccessOptions>;

const SERVICE_QUOTAS = { nodesPerManagedNodeGroup: true, managedNodeGroupsPerCluster: true } as const satisfies ShapeOf<EksServiceQuotas>;

/** `tags` is a free map; add-ons and the identity are objects the library built. */
const EKS_SPEC = {
  kubernetesVersion: true,
  region: true,
  nodePools: recordOf(NODE_POOL_OPTIONS),
  addons: true,
  network: NETWORK,
  endpointAccess: ENDPOINT_ACCESS,
  controlPlaneLogging: true,
  identity: true,
  sshKeyName: true,
  upgradePolicy: true,
  iamRolesForServiceAccounts: true,
  tags: true,
  unlistedRegions: true,
  unlistedInstanceTypes: true,
  serviceQuotas: SERVICE_QUOTAS,
} as const satisfies ShapeOf<EksClusterSpecProps>;

export const EKS_CLUSTER_SPEC_PROPS: PropShape = EKS_SPEC;

/** The same keys: `nodePools` changes fields of the profile's pools. */
const EKS_CLUSTER_OVERRIDES = { ...EKS_SPEC } as const satisfies ShapeOf<EksClusterOverrides>;

/** `bundleValues` holds Helm values: free. */
const CLUSTER_BUNDLE_OPTIONS = { bundles: true, excludeBundles: true, bundleValues: true } as const satisfies ShapeOf<ClusterBundleOptions>;

export const CLUSTER_PROPS: PropShape = {
  ...CLUSTER_BUNDLE_OPTIONS,
  name: true,
  profiles: true,
  overrides: EKS_CLUSTER_OVERRIDES,
  labels: true,
  retire: true,
  naming: true,
  adoptEksCluster: true,
} as const satisfies ShapeOf<ClusterProps>;

export const EXTERNAL_CLUSTER_PROPS: PropShape = {
  ...CLUSTER_BUNDLE_OPTIONS, name: true, profiles: true, labels: true, naming: true,
} as const satisfies ShapeOf<ExternalClusterProps>;

export const PROFILE_PROPS: PropShape = {
  name: true, spec: true, bundles: true, description: true, rollout: true,
} as const satisfies ShapeOf<ProfileProps>;

export const ROLLOUT_POLICY_PROPS: PropShape = { waves: true } as const satisfies ShapeOf<RolloutPolicyProps>;

export const WAVE_PROPS: PropShape = {
  name: true, matchLabels: true, maxClusters: true, soak: true, requireApproval: true,
} as const satisfies ShapeOf<WaveOptions>;

const BUNDLE_OPTIONS = {
  namespace: true,
  description: true,
  extraNamespaces: true,
  createNamespace: true,
  prune: true,
  selfHeal: true,
  allowSecrets: true,
  removalPolicy: true,
  syncOptions: true,
} as const satisfies ShapeOf<BundleOptions>;

/** `values` are Helm values: free. */
export const HELM_BUNDLE_OPTIONS: PropShape = {
  ...BUNDLE_OPTIONS, repoUrl: true, chart: true, version: true, releaseName: true, values: true, valuesForCluster: true,
} as const satisfies ShapeOf<HelmBundleOptions>;

export const GIT_BUNDLE_OPTIONS: PropShape = {
  ...BUNDLE_OPTIONS, repoUrl: true, revision: true, trackBranch: true, path: true, type: true, recurse: true, values: true, valuesForCluster: true,
} as const satisfies ShapeOf<GitBundleOptions>;

export const INLINE_BUNDLE_OPTIONS: PropShape = { ...BUNDLE_OPTIONS, define: true } as const satisfies ShapeOf<InlineBundleOptions>;

export const EKS_ADDON_OPTIONS: PropShape = {
  version: true, configuration: true, serviceAccountRoleArn: true, conflictResolution: true,
} as const satisfies ShapeOf<EksAddonOptions>;
