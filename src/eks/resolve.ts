import { amiReleaseProblem } from './ami-release';
import { AmiType, amiTypeArchitecture, defaultAmiType, isAmazonLinux2, LAST_AL2_KUBERNETES_MINOR } from './ami-type';
import { closestInstanceType, closestRegion, catalogueSource, isKnownInstanceType, isKnownRegion } from './aws-catalogue';
import type { AwsIdentity } from './aws-identity';
import type { EksAddon } from './eks-addon';
import type {
  ControlPlaneLog, EksClusterOverrides, EksClusterSpecProps, EksNetworkOptions, EksServiceQuotas, EndpointAccessOptions,
} from './eks-spec-props';
import { UpgradePolicy } from './eks-spec-props';
import { classifyInstanceType } from './instance-types';
import type { KubernetesVersion } from './kubernetes-version';
import { CapacityType, TaintEffect, type NodePoolOptions, type Taint } from './node-pool';
import { MAX_NODE_VERSION_SKEW } from './version-skew';
import { nonPublicRange, parseIpv4Block, smallestCapaSubnetPrefix, SMALLEST_SUBNET_PREFIX } from '../_cidr';
import { byName } from '../_order';
import {
  checkAwsId, checkAwsTags, checkDnsLabel, checkInstanceType, checkInteger, checkIpv4Cidr, checkKubernetesLabels, checkPlainMap, checkRegion,
  describeValue, problems,
} from '../_validate';

export { MAX_NODE_VERSION_SKEW } from './version-skew';

/**
 * EKS's default service quotas (https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html, both adjustable
 * per account and region) and the one that is not adjustable.
 */
export const EKS_DEFAULT_QUOTAS = {
  /** "Nodes per managed node group". */
  nodesPerManagedNodeGroup: 450,
  /** "Managed node groups per cluster". */
  managedNodeGroupsPerCluster: 30,
  /** "Public endpoint access CIDR ranges per cluster" (not adjustable). */
  publicEndpointCidrs: 40,
} as const;

/** What the checks of a spec's values are told beyond the values: the escape hatches of `EksClusterSpecProps`. */
export interface SpecAllowances {
  readonly unlistedRegions?: readonly string[];
  readonly unlistedInstanceTypes?: readonly string[];
  readonly serviceQuotas?: EksServiceQuotas;
}

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
  /** Sorted, without duplicates. */
  readonly unlistedRegions: readonly string[];
  /** Sorted, without duplicates. */
  readonly unlistedInstanceTypes: readonly string[];
  readonly serviceQuotas?: EksServiceQuotas;
}

/** Where an override's pool names are checked against, for messages. */
export interface OverrideContext {
  /** How to name the spec the overrides apply to, e.g. `profile "dev"`. */
  readonly specDescription: string;
}

/**
 * Props documented as maps (or lists) that are something else: an array where a map is expected would otherwise be
 * copied into an object keyed "0", "1"... and pass.
 */
export function specShapeProblems(props: EksClusterSpecProps, overrides: EksClusterOverrides = {}): string[] {
  return problems(
    checkPlainMap('`nodePools`', props.nodePools, '{ general: { instanceType: "m6i.large" } }'),
    checkPlainMap('`overrides.nodePools`', overrides.nodePools, '{ general: { maxSize: 5 } }'),
    checkPlainMap('`tags`', props.tags, '{ team: "platform" }'),
    checkPlainMap('`overrides.tags`', overrides.tags, '{ team: "platform" }'),
    checkPlainMap('`serviceQuotas`', props.serviceQuotas, '{ nodesPerManagedNodeGroup: 1000 }'),
    checkPlainMap('`overrides.serviceQuotas`', overrides.serviceQuotas, '{ nodesPerManagedNodeGroup: 1000 }'),
    ...Object.entries(isMap(props.nodePools) ? props.nodePools : {}).map(([name, pool]) =>
      checkPlainMap(`\`nodePools.${name}.labels\``, isMap(pool) ? pool.labels : undefined, '{ role: "general" }')),
    ...Object.entries(isMap(overrides.nodePools) ? overrides.nodePools : {}).map(([name, pool]) =>
      checkPlainMap(`\`overrides.nodePools.${name}.labels\``, isMap(pool) ? pool.labels : undefined, '{ role: "general" }')),
    ...(['unlistedRegions', 'unlistedInstanceTypes'] as const).flatMap((key) => [props[key], overrides[key]].map((list, i) =>
      list === undefined || (Array.isArray(list) && list.every((v) => typeof v === 'string')) ? undefined
        : `\`${i === 0 ? '' : 'overrides.'}${key}\` must be a list of strings, but it is ${describeValue(list)}`)),
  );
}

/**
 * Applies `overrides` to `props` and checks the result. Returns every problem found, so one run reports them all, and
 * the warnings about what is valid but suspicious (see `Warnings`).
 */
export function resolveEksSpec(
  props: EksClusterSpecProps,
  overrides: EksClusterOverrides = {},
  context: OverrideContext = { specDescription: 'the spec' },
): { spec: ResolvedEksSpec; problems: string[]; warnings: string[] } {
  const found = specShapeProblems(props, overrides);
  if (found.length > 0) {
    // The rest of the resolution reads these as maps and lists.
    return { spec: undefined as unknown as ResolvedEksSpec, problems: found, warnings: [] };
  }
  const kubernetesVersion = overrides.kubernetesVersion ?? props.kubernetesVersion;

  for (const name of Object.keys(overrides.nodePools ?? {})) {
    if (!(name in (props.nodePools ?? {}))) {
      found.push(`\`overrides.nodePools\` changes pool "${name}", which ${context.specDescription} does not define `
        + `(pools: ${Object.keys(props.nodePools ?? {}).sort().join(', ') || 'none'}); fix the name, or add a pool of this cluster's own with \`addNodePool\``);
    }
  }
  const nodePools = Object.keys(props.nodePools ?? {}).sort().map((name) =>
    resolveNodePool(name, { ...props.nodePools[name], ...overrides.nodePools?.[name] }, kubernetesVersion));

  found.push(...duplicateAddonProblems('`addons`', props.addons ?? []), ...duplicateAddonProblems('`overrides.addons`', overrides.addons ?? []));
  const addonsByName = new Map<string, EksAddon>();
  for (const addon of [...props.addons ?? [], ...overrides.addons ?? []]) {
    addonsByName.set(addon.name, addon);
  }
  const union = (a: readonly string[] | undefined, b: readonly string[] | undefined) => [...new Set([...a ?? [], ...b ?? []])].sort();

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
    unlistedRegions: union(props.unlistedRegions, overrides.unlistedRegions),
    unlistedInstanceTypes: union(props.unlistedInstanceTypes, overrides.unlistedInstanceTypes),
    serviceQuotas: overrides.serviceQuotas ?? props.serviceQuotas,
  };
  found.push(...specProblems(spec));
  return { spec, problems: found, warnings: found.length === 0 ? specWarnings(spec) : [] };
}

function isMap(value: unknown): value is Record<string, Record<string, unknown>> {
  return checkPlainMap('', value, '') === undefined && value !== undefined;
}

/** An add-on listed twice: CAPA would get two entries of one name, and only one of the versions can be installed. */
function duplicateAddonProblems(what: string, addons: readonly EksAddon[]): string[] {
  if (!Array.isArray(addons)) {
    return [`${what} must be a list of EksAddon (e.g. [EksAddon.vpcCni()]), but it is ${describeValue(addons)}`];
  }
  const addonsNamed = new Map<string, EksAddon[]>();
  for (const addon of addons) {
    addonsNamed.set(addon.name, [...addonsNamed.get(addon.name) ?? [], addon]);
  }
  return [...addonsNamed].filter(([, all]) => all.length > 1).map(([name, all]) => {
    const versions = [...new Set(all.map((a) => a.options.version ?? 'the default'))];
    const detail = versions.length > 1 ? ` with different versions (${versions.map((v) => (v === 'the default' ? v : `"${v}"`)).join(', ')})` : '';
    return `${what} lists "${name}" ${all.length} times${detail}; EKS installs one version of an add-on per cluster, so keep one entry`;
  });
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
    regionProblem(spec.region, spec.unlistedRegions),
    spec.nodePools.length === 0 ? '`nodePools` is empty; an EKS cluster needs at least one node pool to run its system pods (CoreDNS), so add one' : undefined,
    serviceQuotaProblems(spec.serviceQuotas),
    nodeGroupCountProblem(spec.nodePools.length, spec.serviceQuotas),
    spec.nodePools.flatMap((pool) => nodePoolProblems(pool, spec.kubernetesVersion, versionProblem === undefined, spec)),
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

/** The warnings about a valid spec: values accepted through its escape hatches. */
export function specWarnings(spec: ResolvedEksSpec): string[] {
  const found = problems(
    spec.kubernetesVersion.warning('`kubernetesVersion`'),
    isKnownRegion(spec.region) ? undefined
      : `\`region\` "${spec.region}" is not in the library's catalogue of AWS regions (${catalogueSource('regions')}); accepted because \`unlistedRegions\` lists it`,
    spec.unlistedRegions.filter((r) => isKnownRegion(r)).map((r) => `\`unlistedRegions\` lists "${r}", which the catalogue knows; drop it from the list`),
    spec.unlistedInstanceTypes.filter((t) => isKnownInstanceType(t))
      .map((t) => `\`unlistedInstanceTypes\` lists "${t}", which the catalogue knows; drop it from the list`),
    nodeGroupCountWarning(spec.nodePools.length, spec.serviceQuotas),
    spec.nodePools.flatMap((pool) => nodePoolWarnings(pool, spec)),
  );
  return [...new Set(found)];
}

/** The warnings about a valid pool: an unlisted instance type, a size past the default quota that a raised quota allows. */
export function nodePoolWarnings(pool: ResolvedNodePool, allowances: SpecAllowances): string[] {
  const at = `\`nodePools.${pool.name}`;
  const quota = allowances.serviceQuotas?.nodesPerManagedNodeGroup;
  return problems(
    isKnownInstanceType(pool.instanceType) ? undefined
      : `${at}.instanceType\` "${pool.instanceType}" is not in the library's catalogue of EC2 instance types (${catalogueSource('instanceTypes')}); `
        + 'accepted because `unlistedInstanceTypes` lists it: check that it is offered in the region',
    quota !== undefined && pool.maxSize > EKS_DEFAULT_QUOTAS.nodesPerManagedNodeGroup
      ? `${at}.maxSize\` (${pool.maxSize}) is past EKS's default quota of ${EKS_DEFAULT_QUOTAS.nodesPerManagedNodeGroup} nodes per managed node group; `
        + `accepted because \`serviceQuotas.nodesPerManagedNodeGroup\` says the account's quota was raised to ${quota} in the region: every account and `
        + 'region the profile reaches needs that raise'
      : undefined,
  );
}

function regionProblem(region: string, unlisted: readonly string[]): string | undefined {
  if (isKnownRegion(region)) {
    return undefined;
  }
  const near = typeof region === 'string' ? closestRegion(region) : undefined;
  const malformed = checkRegion('`region`', region);
  if (malformed !== undefined) {
    return near === undefined ? malformed : `${malformed}; did you mean "${near}"?`;
  }
  if (unlisted.includes(region)) {
    return undefined;
  }
  return `\`region\` "${region}" is not an AWS region${near === undefined ? '' : `; did you mean "${near}"?`} (the library's catalogue: ${catalogueSource('regions')}). `
    + `If AWS opened it after this release of the library, list it in \`unlistedRegions: ["${region}"]\` to accept it with a warning`;
}

function instanceTypeCatalogueProblem(at: string, instanceType: string, unlisted: readonly string[]): string | undefined {
  if (isKnownInstanceType(instanceType) || unlisted.includes(instanceType)) {
    return undefined;
  }
  const near = closestInstanceType(instanceType);
  return `${at}.instanceType\` "${instanceType}" is not an EC2 instance type${near === undefined ? '' : `; did you mean "${near}"?`} `
    + `(the library's catalogue: ${catalogueSource('instanceTypes')}). If EC2 launched it after this release of the library, list it in `
    + `\`unlistedInstanceTypes: ["${instanceType}"]\` to accept it with a warning`;
}

function serviceQuotaProblems(quotas: EksServiceQuotas | undefined): string[] {
  return quotas === undefined ? [] : problems(
    quotas.nodesPerManagedNodeGroup === undefined ? undefined
      : checkInteger('`serviceQuotas.nodesPerManagedNodeGroup`', quotas.nodesPerManagedNodeGroup, EKS_DEFAULT_QUOTAS.nodesPerManagedNodeGroup),
    quotas.managedNodeGroupsPerCluster === undefined ? undefined
      : checkInteger('`serviceQuotas.managedNodeGroupsPerCluster`', quotas.managedNodeGroupsPerCluster, EKS_DEFAULT_QUOTAS.managedNodeGroupsPerCluster),
  );
}

/** Problems of a cluster with `count` node pools under the quota "Managed node groups per cluster". */
export function nodeGroupCountProblem(count: number, quotas: EksServiceQuotas | undefined): string | undefined {
  const quota = quotas?.managedNodeGroupsPerCluster ?? EKS_DEFAULT_QUOTAS.managedNodeGroupsPerCluster;
  if (count <= quota) {
    return undefined;
  }
  return `\`nodePools\` has ${count} pools, each an EKS managed node group, past the quota of ${quota} managed node groups per cluster`
    + `${quotas?.managedNodeGroupsPerCluster === undefined ? ' (the EKS default)' : ' (`serviceQuotas.managedNodeGroupsPerCluster`)'}; `
    + 'merge pools, or have the quota raised for the account and region (Service Quotas, Amazon EKS) and state it with '
    + `\`serviceQuotas: { managedNodeGroupsPerCluster: ${count} }\``;
}

function nodeGroupCountWarning(count: number, quotas: EksServiceQuotas | undefined): string | undefined {
  const quota = quotas?.managedNodeGroupsPerCluster;
  return quota === undefined || count <= EKS_DEFAULT_QUOTAS.managedNodeGroupsPerCluster ? undefined
    : `\`nodePools\` has ${count} pools, past EKS's default quota of ${EKS_DEFAULT_QUOTAS.managedNodeGroupsPerCluster} managed node groups per cluster; `
      + `accepted because \`serviceQuotas.managedNodeGroupsPerCluster\` says the account's quota was raised to ${quota} in the region`;
}

/** The largest value of a CRD `int32` field. */
const INT32_MAX = 2_147_483_647;

/**
 * Problems of one pool; version skew is checked only when the cluster's version itself is valid. `allowances` are the
 * spec's escape hatches (unlisted instance types, raised quotas).
 */
export function nodePoolProblems(
  pool: ResolvedNodePool, clusterVersion: KubernetesVersion, checkSkew: boolean, allowances: SpecAllowances = {},
): string[] {
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
  const nodeQuota = allowances.serviceQuotas?.nodesPerManagedNodeGroup;
  if (sizes.length === 0 && pool.maxSize > (nodeQuota ?? EKS_DEFAULT_QUOTAS.nodesPerManagedNodeGroup)) {
    sizes.push(nodeQuota === undefined
      ? `${at}.maxSize\` (${pool.maxSize}) is past EKS's default quota of ${EKS_DEFAULT_QUOTAS.nodesPerManagedNodeGroup} nodes per managed node group, so `
        + 'the node group cannot scale that far; split the pool in two, or have the quota raised for the account and region (Service Quotas, Amazon EKS, '
        + `"Nodes per managed node group") and state it with \`serviceQuotas: { nodesPerManagedNodeGroup: ${pool.maxSize} }\``
      : `${at}.maxSize\` (${pool.maxSize}) is past the quota of ${nodeQuota} nodes per managed node group that \`serviceQuotas.nodesPerManagedNodeGroup\` `
        + 'states; lower maxSize, split the pool, or raise the quota further and state the new value');
  }
  const poolVersionProblem = pool.kubernetesVersion === clusterVersion ? undefined : pool.kubernetesVersion.problem(`${at}.kubernetesVersion\``);
  const skew = clusterVersion.minor - pool.kubernetesVersion.minor;
  return problems(
    checkDnsLabel('node pool name', pool.name),
    pool.instanceType === undefined ? `${at}.instanceType\` is missing; set an EC2 instance type such as "m6i.large"`
      : checkInstanceType(`${at}.instanceType\``, pool.instanceType)
        ?? instanceTypeCatalogueProblem(at, pool.instanceType, allowances.unlistedInstanceTypes ?? []),
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
    (access.publicCidrs?.length ?? 0) > EKS_DEFAULT_QUOTAS.publicEndpointCidrs
      ? `\`endpointAccess.publicCidrs\` has ${access.publicCidrs!.length} blocks; EKS allows at most ${EKS_DEFAULT_QUOTAS.publicEndpointCidrs} public endpoint `
        + 'CIDR ranges per cluster (a quota that cannot be raised), so merge blocks into larger ones' : undefined,
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
