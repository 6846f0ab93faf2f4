import { amiReleaseProblem } from './ami-release';
import { AmiType, amiTypeArchitecture, defaultAmiType, isAmazonLinux2, LAST_AL2_KUBERNETES_MINOR } from './ami-type';
import type { AwsIdentity } from './aws-identity';
import type { EksAddon } from './eks-addon';
import type {
  ControlPlaneLog, EksClusterOverrides, EksClusterSpecProps, EksNetworkOptions, EndpointAccessOptions,
} from './eks-spec-props';
import { UpgradePolicy } from './eks-spec-props';
import { classifyInstanceType } from './instance-types';
import type { KubernetesVersion } from './kubernetes-version';
import { CapacityType, TaintEffect, type NodePoolOptions, type Taint } from './node-pool';
import { nonPublicRange, parseIpv4Block, smallestCapaSubnetPrefix, SMALLEST_SUBNET_PREFIX } from '../_cidr';
import { byName } from '../_order';
import {
  checkAwsId, checkAwsTags, checkDnsLabel, checkInstanceType, checkInteger, checkIpv4Cidr, checkKubernetesLabels, checkRegion, problems,
} from '../_validate';

/** EKS supports nodes up to three minor versions older than the control plane (kubelet skew policy since 1.28). */
export const MAX_NODE_VERSION_SKEW = 3;

/** A node pool with every default applied. */
export interface ResolvedNodePool {
  readonly name: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly capacityType: CapacityType;
  readonly diskSizeGiB?: number;
  /** Given, or the default for the instance type. */
  readonly amiType: AmiType;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly kubernetesVersion: KubernetesVersion;
  /** The pinned EKS-optimized AMI release, when one is. */
  readonly amiReleaseVersion?: string;
}

/** An EKS spec with every default applied and every list in a stable order. */
export interface ResolvedEksSpec {
  readonly kubernetesVersion: KubernetesVersion;
  readonly region: string;
  /** Sorted by name. */
  readonly nodePools: readonly ResolvedNodePool[];
  /** Sorted by name. */
  readonly addons: readonly EksAddon[];
  readonly network?: EksNetworkOptions;
  readonly endpointAccess?: EndpointAccessOptions;
  /** Sorted, without duplicates. */
  readonly controlPlaneLogging: readonly ControlPlaneLog[];
  readonly identity?: AwsIdentity;
  readonly sshKeyName?: string;
  readonly upgradePolicy?: UpgradePolicy;
  readonly iamRolesForServiceAccounts?: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** Where an override's pool names are checked against, for messages. */
export interface OverrideContext {
  /** How to name the spec the overrides apply to, e.g. `profile "dev"`. */
  readonly specDescription: string;
}

/**
 * Applies `overrides` to `props` and checks the result. Returns every problem found, so one run reports them all.
 */
export function resolveEksSpec(
  props: EksClusterSpecProps,
  overrides: EksClusterOverrides = {},
  context: OverrideContext = { specDescription: 'the spec' },
): { spec: ResolvedEksSpec; problems: string[] } {
  const found: string[] = [];
  const kubernetesVersion = overrides.kubernetesVersion ?? props.kubernetesVersion;

  for (const name of Object.keys(overrides.nodePools ?? {})) {
    if (!(name in (props.nodePools ?? {}))) {
      found.push(`\`overrides.nodePools\` changes pool "${name}", which ${context.specDescription} does not define `
        + `(pools: ${Object.keys(props.nodePools ?? {}).sort().join(', ') || 'none'}); fix the name, or add a pool of this cluster's own with \`addNodePool\``);
    }
  }
  const nodePools = Object.keys(props.nodePools ?? {}).sort().map((name) =>
    resolveNodePool(name, { ...props.nodePools[name], ...overrides.nodePools?.[name] }, kubernetesVersion));

  const addonsByName = new Map<string, EksAddon>();
  for (const addon of props.addons ?? []) {
    if (addonsByName.has(addon.name)) {
      found.push(`\`addons\` lists "${addon.name}" twice; keep one entry`);
    }
    addonsByName.set(addon.name, addon);
  }
  for (const addon of overrides.addons ?? []) {
    addonsByName.set(addon.name, addon);
  }

  const spec: ResolvedEksSpec = {
    kubernetesVersion,
    region: overrides.region ?? props.region,
    nodePools,
    addons: [...addonsByName.values()].sort(byName),
    network: overrides.network ?? props.network,
    endpointAccess: overrides.endpointAccess ?? props.endpointAccess,
    controlPlaneLogging: [...new Set(overrides.controlPlaneLogging ?? props.controlPlaneLogging ?? [])].sort(),
    identity: overrides.identity ?? props.identity,
    sshKeyName: overrides.sshKeyName ?? props.sshKeyName,
    upgradePolicy: overrides.upgradePolicy ?? props.upgradePolicy,
    iamRolesForServiceAccounts: overrides.iamRolesForServiceAccounts ?? props.iamRolesForServiceAccounts,
    tags: { ...props.tags, ...overrides.tags },
  };
  found.push(...specProblems(spec));
  return { spec, problems: found };
}

/**
 * Fills in a pool's defaults: min 1, desired = min, max = max(min, desired). Derived values are clamped to their own
 * valid range, so one bad value is reported once rather than again through every default computed from it.
 */
export function resolveNodePool(name: string, options: NodePoolOptions, clusterVersion: KubernetesVersion): ResolvedNodePool {
  const minSize = options.minSize ?? 1;
  const desiredSize = options.desiredSize ?? Math.max(minSize, 0);
  return {
    name,
    instanceType: options.instanceType,
    minSize,
    desiredSize,
    maxSize: options.maxSize ?? Math.max(minSize, desiredSize, 1),
    capacityType: options.capacityType ?? CapacityType.ON_DEMAND,
    diskSizeGiB: options.diskSizeGiB,
    // An invalid instance type is reported on its own; the default then is only a placeholder.
    amiType: options.amiType ?? (typeof options.instanceType === 'string' ? defaultAmiType(options.instanceType) : AmiType.AL2023_X86_64_STANDARD),
    labels: { ...options.labels },
    taints: [...(options.taints ?? [])],
    kubernetesVersion: options.kubernetesVersion ?? clusterVersion,
    amiReleaseVersion: options.amiReleaseVersion,
  };
}

/** Every problem with a resolved spec. */
export function specProblems(spec: ResolvedEksSpec): string[] {
  const versionProblem = spec.kubernetesVersion.problem('`kubernetesVersion`');
  return problems(
    versionProblem,
    checkRegion('`region`', spec.region),
    spec.nodePools.length === 0 ? '`nodePools` is empty; an EKS cluster needs at least one node pool to run its system pods (CoreDNS), so add one' : undefined,
    spec.nodePools.flatMap((pool) => nodePoolProblems(pool, spec.kubernetesVersion, versionProblem === undefined)),
    versionProblem === undefined ? spec.addons.flatMap((addon) => addon.problems('`addons`', spec.kubernetesVersion)) : [],
    networkProblems(spec.network),
    endpointProblems(spec.endpointAccess),
    spec.identity ? checkDnsLabel('`identity` name', spec.identity.name, 253) : undefined,
    spec.sshKeyName !== undefined && !/^[\x20-\x7e]{1,255}$/.test(spec.sshKeyName)
      ? `\`sshKeyName\` "${spec.sshKeyName}" must be the name of an EC2 key pair (1 to 255 printable ASCII characters)` : undefined,
    spec.upgradePolicy === undefined || Object.values(UpgradePolicy).includes(spec.upgradePolicy) ? undefined
      : `\`upgradePolicy\` "${spec.upgradePolicy}" must be UpgradePolicy.STANDARD or UpgradePolicy.EXTENDED`,
    checkAwsTags('`tags`', spec.tags),
  );
}

/** The largest value of a CRD `int32` field. */
const INT32_MAX = 2_147_483_647;

/** Problems of one pool; version skew is checked only when the cluster's version itself is valid. */
export function nodePoolProblems(pool: ResolvedNodePool, clusterVersion: KubernetesVersion, checkSkew: boolean): string[] {
  const at = `\`nodePools.${pool.name}`;
  const sizes = problems(
    // The CRDs store sizes as int32: a larger number would be refused by the API server.
    checkInteger(`${at}.minSize\``, pool.minSize, 0, INT32_MAX),
    checkInteger(`${at}.maxSize\``, pool.maxSize, 1, INT32_MAX),
    checkInteger(`${at}.desiredSize\``, pool.desiredSize, 0, INT32_MAX),
  );
  if (sizes.length === 0 && pool.minSize > pool.maxSize) {
    sizes.push(`${at}.minSize\` (${pool.minSize}) is greater than \`maxSize\` (${pool.maxSize}); the minimum must not exceed the maximum, so raise maxSize or lower minSize`);
  } else if (sizes.length === 0 && (pool.desiredSize < pool.minSize || pool.desiredSize > pool.maxSize)) {
    sizes.push(`${at}.desiredSize\` (${pool.desiredSize}) is outside minSize..maxSize (${pool.minSize}..${pool.maxSize}); pick a desired size within the range`);
  }
  const poolVersionProblem = pool.kubernetesVersion === clusterVersion ? undefined : pool.kubernetesVersion.problem(`${at}.kubernetesVersion\``);
  const skew = clusterVersion.minor - pool.kubernetesVersion.minor;
  return problems(
    checkDnsLabel('node pool name', pool.name),
    pool.instanceType === undefined ? `${at}.instanceType\` is missing; set an EC2 instance type such as "m6i.large"` : checkInstanceType(`${at}.instanceType\``, pool.instanceType),
    sizes,
    pool.diskSizeGiB === undefined ? undefined : checkInteger(`${at}.diskSizeGiB\``, pool.diskSizeGiB, 1, 16384),
    checkKubernetesLabels(`${at}.labels\``, pool.labels),
    pool.taints.flatMap((taint, i) => problems(
      checkKubernetesLabels(`${at}.taints[${i}]\``, { [taint.key]: taint.value }),
      Object.values(TaintEffect).includes(taint.effect) ? undefined
        : `${at}.taints[${i}].effect\` "${taint.effect}" must be one of ${Object.values(TaintEffect).join(', ')}`,
    )),
    poolVersionProblem,
    amiTypeProblems(pool, at, poolVersionProblem === undefined),
    pool.amiReleaseVersion === undefined || !Object.values(AmiType).includes(pool.amiType) ? undefined
      : amiReleaseProblem(`${at}.amiReleaseVersion\``, pool.amiReleaseVersion, pool.amiType, poolVersionProblem === undefined ? pool.kubernetesVersion.minor : NaN),
    checkSkew && poolVersionProblem === undefined && skew < 0
      ? `${at}.kubernetesVersion\` ${pool.kubernetesVersion} is newer than the control plane's ${clusterVersion}; node pools upgrade after the control plane, never before`
      : undefined,
    checkSkew && poolVersionProblem === undefined && skew > MAX_NODE_VERSION_SKEW
      ? `${at}.kubernetesVersion\` ${pool.kubernetesVersion} is ${skew} minor versions behind the control plane's ${clusterVersion}; EKS allows at most ${MAX_NODE_VERSION_SKEW}, so upgrade the pool first`
      : undefined,
  );
}

/** The AMI type must exist, run on the instance type's architecture, and be offered for the pool's Kubernetes version. */
function amiTypeProblems(pool: ResolvedNodePool, at: string, versionKnown: boolean): string[] {
  if (!Object.values(AmiType).includes(pool.amiType)) {
    return [`${at}.amiType\` "${pool.amiType}" is not an EKS AMI type (use AmiType, e.g. AmiType.AL2023_X86_64_STANDARD)`];
  }
  const found: string[] = [];
  const instance = typeof pool.instanceType === 'string' ? classifyInstanceType(pool.instanceType) : undefined;
  if (instance !== undefined && instance.architecture !== amiTypeArchitecture(pool.amiType)) {
    found.push(`${at}.amiType\` ${pool.amiType} boots ${amiTypeArchitecture(pool.amiType)}, but ${pool.instanceType} is ${instance.architecture}; `
      + `EKS refuses the node group, so use ${defaultAmiType(pool.instanceType)} (or leave \`amiType\` out to get it)`);
  }
  if (versionKnown && isAmazonLinux2(pool.amiType) && pool.kubernetesVersion.minor > LAST_AL2_KUBERNETES_MINOR) {
    found.push(`${at}.amiType\` ${pool.amiType} is Amazon Linux 2, which EKS does not offer for Kubernetes ${pool.kubernetesVersion} (the last is 1.${LAST_AL2_KUBERNETES_MINOR}); `
      + 'a node group keeps its AMI type for life, so add a pool with an AL2023 AMI type (the default), move the workloads, remove the AL2 pool, then upgrade');
  }
  return found;
}

function networkProblems(network: EksNetworkOptions | undefined): string[] {
  if (network === undefined) {
    return [];
  }
  const found: string[] = [];
  if (network.vpcId !== undefined && network.vpcCidr !== undefined) {
    found.push(`\`network\` sets both \`vpcId\` ("${network.vpcId}", an existing VPC) and \`vpcCidr\` ("${network.vpcCidr}", a new VPC); `
      + 'keep `vpcId` and `subnetIds` to use the existing VPC, or `vpcCidr` to have CAPA create one');
  }
  if (network.vpcCidrForCluster !== undefined && (network.vpcCidr !== undefined || network.vpcId !== undefined)) {
    found.push('`network.vpcCidrForCluster` computes each cluster\'s VPC block, so it excludes `vpcCidr` and `vpcId`; keep one of them');
  }
  if (network.vpcCidrForCluster !== undefined && typeof network.vpcCidrForCluster !== 'function') {
    found.push('`network.vpcCidrForCluster` must be a function of the cluster returning a CIDR block, e.g. (c) => cidrSubnet(\'10.0.0.0/8\', 8, index)');
  }
  if (network.vpcId !== undefined && network.availabilityZoneCount !== undefined) {
    found.push('`network.availabilityZoneCount` only applies to a new VPC, but `vpcId` names an existing one; drop `availabilityZoneCount` or `vpcId`');
  }
  if (network.subnetIds !== undefined && network.vpcId === undefined) {
    found.push('`network.subnetIds` needs `network.vpcId`: existing subnets only make sense in an existing VPC; add the VPC ID, or drop the subnets to let CAPA create them');
  }
  if (network.vpcId !== undefined && (network.subnetIds?.length ?? 0) < 2) {
    found.push(`\`network.vpcId\` "${network.vpcId}" needs \`subnetIds\` with at least two subnets in different availability zones (an EKS requirement); `
      + `got ${network.subnetIds?.length ?? 0}`);
  }
  const duplicates = (network.subnetIds ?? []).filter((id, i, all) => all.indexOf(id) !== i);
  if (duplicates.length > 0) {
    found.push(`\`network.subnetIds\` lists ${[...new Set(duplicates)].map((d) => `"${d}"`).join(', ')} more than once; list each subnet once`);
  }
  return problems(
    found,
    network.vpcCidr === undefined ? undefined
      : checkIpv4Cidr('`network.vpcCidr`', network.vpcCidr, 16, 28) ?? capaSubnetsProblem('`network.vpcCidr`', network.vpcCidr, network.availabilityZoneCount),
    network.availabilityZoneCount === undefined ? undefined
      : checkInteger('`network.availabilityZoneCount` (EKS needs subnets in at least two zones)', network.availabilityZoneCount, 2, 6),
    network.vpcId === undefined ? undefined : checkAwsId('`network.vpcId`', network.vpcId, 'vpc'),
    (network.subnetIds ?? []).map((id) => checkAwsId('`network.subnetIds` entry', id, 'subnet')).filter((p): p is string => p !== undefined),
  );
}

function endpointProblems(access: EndpointAccessOptions | undefined): string[] {
  if (access === undefined) {
    return [];
  }
  const isPublic = access.public ?? true;
  const isPrivate = access.private ?? false;
  return problems(
    !isPublic && !isPrivate ? '`endpointAccess` turns off both public and private access, which leaves the API unreachable; enable at least one' : undefined,
    !isPublic && access.publicCidrs !== undefined
      ? '`endpointAccess.publicCidrs` restricts the public endpoint, but `public` is false; drop `publicCidrs` or set `public: true`' : undefined,
    (access.publicCidrs ?? []).map((cidr) => checkIpv4Cidr('`endpointAccess.publicCidrs` entry', cidr) ?? publicCidrProblem(cidr))
      .filter((p): p is string => p !== undefined),
  );
}

/** A `publicCidrs` entry in a range that never reaches the public endpoint from the internet. */
function publicCidrProblem(cidr: string): string | undefined {
  const range = nonPublicRange(cidr);
  return range === undefined ? undefined : `\`endpointAccess.publicCidrs\` entry "${cidr}" is in ${range}, whose clients never reach the `
    + 'public endpoint (EKS refuses it); clients inside the VPC or a peered network use the private endpoint: set `private: true`';
}

/** A new VPC block too small for the subnets CAPA carves from it (see `smallestCapaSubnetPrefix`). */
export function capaSubnetsProblem(what: string, cidr: string, zoneCount: number | undefined): string | undefined {
  const block = parseIpv4Block(cidr);
  const zones = zoneCount ?? CAPA_DEFAULT_ZONES;
  if (block === undefined || !Number.isInteger(zones) || zones < 1) {
    return undefined;
  }
  const smallest = smallestCapaSubnetPrefix(block.prefix, zones);
  if (smallest <= SMALLEST_SUBNET_PREFIX) {
    return undefined;
  }
  const largestVpcPrefix = block.prefix - (smallest - SMALLEST_SUBNET_PREFIX);
  return `${what} "${cidr}" is too small for the subnets CAPA creates in ${zones} availability zones: a private and a public subnet per `
    + `zone, the public ones /${smallest}, smaller than AWS's smallest subnet (/${SMALLEST_SUBNET_PREFIX}); use a /${largestVpcPrefix} or larger block`;
}

/** How many availability zones CAPA spreads a new VPC over when the spec does not say (`defaultMaxNumAZs`). */
const CAPA_DEFAULT_ZONES = 3;
