/**
 * What the Amazon EKS API refuses among the requests CAPA sends it. EKS is not open source, so this module is built
 * from AWS's documentation rather than ported code; each rule names its page:
 * - CreateCluster: https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html (name pattern and length,
 *   `resourcesVpcConfig` subnets in at least two Availability Zones, `publicAccessCidrs`);
 * - CreateNodegroup and NodegroupScalingConfig: https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html,
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html (minSize >= 0, maxSize >= 1,
 *   minSize <= desiredSize <= maxSize; node group names of 1 to 63 characters);
 * - AMI types per Kubernetes version: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-extended.html
 *   ("Kubernetes version 1.32 is the last version for which Amazon EKS released AL2 AMIs");
 * - access configuration: https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html (the authentication
 *   mode moves CONFIG_MAP -> API_AND_CONFIG_MAP -> API and never back);
 * - kube-proxy add-on builds are published per Kubernetes minor:
 *   https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html;
 * - node group versions and AMI releases: https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html
 *   ("You can only create a node group for your cluster that is equal to the current Kubernetes version for the
 *   cluster. All node groups are created with the latest AMI release version for the respective minor Kubernetes
 *   version of the cluster, unless you deploy a custom AMI using a launch template") and
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupVersion.html ("You cannot roll back a node
 *   group to an earlier Kubernetes version or AMI version"; without `version` the node group's Kubernetes version does
 *   not change; `releaseVersion` defaults to the latest release of the node group's Kubernetes version; with a launch
 *   template that uses a custom AMI, neither `version` nor `releaseVersion` may be given), with the release names of
 *   https://docs.aws.amazon.com/eks/latest/userguide/eks-linux-ami-versions.html (`1.34.1-20251103`).
 */
import { cidrProblem, parseCidr, cidrContains } from './go-net';

/** Kubernetes versions EKS offers on 2026-11-30 (EKS Kubernetes release calendar; 1.31 left extended support on 2026-11-26). */
export const EKS_OFFERED_VERSIONS = ['1.32', '1.33', '1.34', '1.35', '1.36', '1.37'];

/** The last Kubernetes minor with Amazon Linux 2 AMIs. */
export const LAST_AL2_MINOR = 32;

/**
 * Instance families by CPU architecture and accelerator, from the EC2 instance type pages
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/). An oracle for the harness, kept apart from the library's
 * own classifier on purpose: a family missing here fails the harness rather than pass unchecked.
 */
export const INSTANCE_FAMILIES: Readonly<Record<string, { arch: 'x86_64' | 'arm64'; accelerator?: 'nvidia' | 'neuron' }>> = {
  m5: { arch: 'x86_64' },
  m6i: { arch: 'x86_64' },
  m6a: { arch: 'x86_64' },
  m7i: { arch: 'x86_64' },
  m7a: { arch: 'x86_64' },
  m8i: { arch: 'x86_64' },
  c5: { arch: 'x86_64' },
  c6i: { arch: 'x86_64' },
  c7i: { arch: 'x86_64' },
  r6i: { arch: 'x86_64' },
  r7i: { arch: 'x86_64' },
  t3: { arch: 'x86_64' },
  m6g: { arch: 'arm64' },
  m7g: { arch: 'arm64' },
  m8g: { arch: 'arm64' },
  c6g: { arch: 'arm64' },
  c7g: { arch: 'arm64' },
  c7gn: { arch: 'arm64' },
  r7g: { arch: 'arm64' },
  t4g: { arch: 'arm64' },
  g4dn: { arch: 'x86_64', accelerator: 'nvidia' },
  g5: { arch: 'x86_64', accelerator: 'nvidia' },
  g6: { arch: 'x86_64', accelerator: 'nvidia' },
  g6e: { arch: 'x86_64', accelerator: 'nvidia' },
  p4d: { arch: 'x86_64', accelerator: 'nvidia' },
  p5: { arch: 'x86_64', accelerator: 'nvidia' },
  g5g: { arch: 'arm64', accelerator: 'nvidia' },
  inf2: { arch: 'x86_64', accelerator: 'neuron' },
  trn1: { arch: 'x86_64', accelerator: 'neuron' },
};

/** The architecture an EKS AMI type boots (the `amiType` values of CreateNodegroup). */
export function amiArchitecture(amiType: string): 'x86_64' | 'arm64' | undefined {
  if (/ARM_64/.test(amiType)) {
    return 'arm64';
  }
  return /x86_64/.test(amiType) ? 'x86_64' : undefined;
}

/** What CAPA sends to CreateCluster, reduced to the parts EKS validates here. */
export interface CreateClusterRequest {
  readonly name: string;
  /** `major.minor`, or undefined for EKS's default version. */
  readonly version?: string;
  /** Availability Zones the cluster's subnets span. */
  readonly subnetZones: number;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly authenticationMode?: string;
}

/** The private and special ranges EKS refuses in `publicAccessCidrs`. */
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16'].map(parseCidr);

/** Why EKS would refuse `request`; empty when it accepts it. */
export function createClusterProblems(request: CreateClusterRequest): string[] {
  const problems: string[] = [];
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(request.name) || request.name.length > 100) {
    problems.push(`cluster name "${request.name}" must be 1 to 100 characters of letters, digits, '-' and '_', starting with a letter or digit`);
  }
  if (request.version !== undefined && !EKS_OFFERED_VERSIONS.includes(request.version)) {
    problems.push(`Kubernetes version ${request.version} is not offered (offered: ${EKS_OFFERED_VERSIONS.join(', ')})`);
  }
  if (request.subnetZones < 2) {
    problems.push(`subnets span ${request.subnetZones} Availability Zone(s); EKS needs subnets in at least two`);
  }
  if (!request.endpointPublicAccess && !request.endpointPrivateAccess) {
    problems.push('the API endpoint must be public, private or both');
  }
  for (const cidr of request.publicAccessCidrs) {
    const problem = cidrProblem(cidr);
    if (problem !== undefined) {
      problems.push(`publicAccessCidrs: ${problem}`);
    } else if (NON_PUBLIC.some((range) => cidrContains(range, parseCidr(cidr)))) {
      problems.push(`publicAccessCidrs: ${cidr} is not a public range`);
    }
  }
  return problems;
}

/** What CAPA sends to CreateNodegroup, reduced to the parts EKS validates here. */
export interface CreateNodegroupRequest {
  readonly nodegroupName: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredSize: number;
  readonly amiType?: string;
  readonly instanceTypes: readonly string[];
  /** The node group's Kubernetes version: EKS creates it at the cluster's version (CAPA sends none). */
  readonly kubernetesVersion: string;
}

/** The AMI type EKS uses when CreateNodegroup carries none. */
export const EKS_DEFAULT_AMI_TYPE = 'AL2023_x86_64_STANDARD';

/** Why EKS would refuse `request`; empty when it accepts it. */
export function createNodegroupProblems(request: CreateNodegroupRequest): string[] {
  const problems: string[] = [];
  const { minSize, maxSize, desiredSize } = request;
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]*$/.test(request.nodegroupName) || request.nodegroupName.length > 63) {
    problems.push(`node group name "${request.nodegroupName}" must be 1 to 63 characters of letters, digits, '-' and '_'`);
  }
  if (minSize !== undefined && minSize < 0) {
    problems.push(`minSize ${minSize} is below 0`);
  }
  if (maxSize !== undefined && maxSize < 1) {
    problems.push(`maxSize ${maxSize} is below 1`);
  }
  if (minSize !== undefined && desiredSize < minSize) {
    problems.push(`desiredSize ${desiredSize} is below minSize ${minSize}`);
  }
  if (maxSize !== undefined && desiredSize > maxSize) {
    problems.push(`desiredSize ${desiredSize} is above maxSize ${maxSize}`);
  }
  const amiType = request.amiType ?? EKS_DEFAULT_AMI_TYPE;
  const minor = Number(request.kubernetesVersion.split('.')[1]);
  if (amiType.startsWith('AL2_') && minor > LAST_AL2_MINOR) {
    problems.push(`AMI type ${amiType} is Amazon Linux 2, which EKS does not offer for Kubernetes ${request.kubernetesVersion}`);
  }
  for (const instanceType of request.instanceTypes) {
    const family = INSTANCE_FAMILIES[instanceType.split('.')[0]];
    if (family === undefined) {
      throw new Error(`the harness has no architecture for instance type ${instanceType}; add its family to INSTANCE_FAMILIES`);
    }
    const arch = amiArchitecture(amiType);
    if (arch !== undefined && arch !== family.arch) {
      problems.push(`instance type ${instanceType} (${family.arch}) does not run AMI type ${amiType} (${arch})`);
    }
  }
  return problems;
}

/** Why EKS would refuse moving a cluster from authentication mode `from` to `to` (CAPA's lower-case enum values). */
export function authenticationModeChangeProblem(from: string, to: string): string | undefined {
  const order = ['config_map', 'api_and_config_map', 'api'];
  return order.indexOf(to) < order.indexOf(from) ? `authentication mode cannot move back from ${from} to ${to}` : undefined;
}

/** Why EKS would refuse installing add-on `name` at `version` on a cluster at `clusterVersion` (`major.minor`). */
export function addonProblems(name: string, version: string, clusterVersion: string): string[] {
  if (name === 'kube-proxy') {
    const match = /^v(\d+)\.(\d+)\./.exec(version);
    if (match === null || `${match[1]}.${match[2]}` !== clusterVersion) {
      return [`kube-proxy ${version} is not a build for Kubernetes ${clusterVersion}`];
    }
  }
  return [];
}

/**
 * The EKS-optimized AMI releases EKS offers, newest last, per Kubernetes minor (`major.minor`), for Amazon Linux AMI
 * types. A test fixes the catalogue it runs against.
 */
export type AmiReleaseCatalogue = Readonly<Record<string, readonly string[]>>;

/** A node group as EKS keeps it. */
export interface EksNodegroupVersions {
  readonly version: string;
  readonly releaseVersion: string;
  /** Whether its launch template names an image (CAPA always puts one into the launch template it makes). */
  readonly launchTemplateImage: boolean;
}

/** The Kubernetes minor an Amazon Linux release is built for: `1.34.1-20251103` -> `1.34`. */
export function releaseMinor(release: string): string | undefined {
  return /^(1\.\d+)\.\d+-\d{8}$/.exec(release)?.[1];
}

/** Which of two releases of one minor is older, by its date. */
function releaseOlder(a: string, b: string): boolean {
  return a.split('-')[1] < b.split('-')[1];
}

/** What a node group on a custom AMI reports as its release (its image). */
export const CUSTOM_AMI_RELEASE = 'ami-0123456789abcdef0';

/** CreateNodegroup's version fields: the node group EKS creates, or why it refuses. */
export function createNodegroupVersions(
  clusterVersion: string, request: { version?: string; releaseVersion?: string }, launchTemplateImage: boolean, catalogue: AmiReleaseCatalogue,
): EksNodegroupVersions | string {
  if (request.version !== undefined && request.version !== clusterVersion) {
    return `version ${request.version}: a node group is created at the cluster's version ${clusterVersion}`;
  }
  const releases = catalogue[clusterVersion] ?? [];
  if (request.releaseVersion !== undefined && !releases.includes(request.releaseVersion)) {
    return `release version ${request.releaseVersion} is not a release of Kubernetes ${clusterVersion}`;
  }
  // A node group on a custom AMI runs no EKS release: it reports the image, never an EKS release name.
  const release = launchTemplateImage ? CUSTOM_AMI_RELEASE : request.releaseVersion ?? releases[releases.length - 1] ?? '';
  return { version: clusterVersion, releaseVersion: release, launchTemplateImage };
}

/** UpdateNodegroupVersion: the node group afterwards, or why EKS refuses the request. */
export function updateNodegroupVersion(
  ng: EksNodegroupVersions, clusterVersion: string, request: { version?: string; releaseVersion?: string; launchTemplate?: unknown },
  catalogue: AmiReleaseCatalogue,
): EksNodegroupVersions | string {
  if (request.launchTemplate !== undefined) {
    return ng;
  }
  if (ng.launchTemplateImage && (request.version !== undefined || request.releaseVersion !== undefined)) {
    return 'a node group whose launch template uses a custom AMI takes neither a version nor a release version';
  }
  const minorOf = (v: string) => Number(v.split('.')[1]);
  const version = request.version ?? ng.version;
  if (minorOf(version) < minorOf(ng.version)) {
    return `cannot roll back node group from ${ng.version} to ${version}`;
  }
  if (minorOf(version) > minorOf(clusterVersion)) {
    return `version ${version} is newer than the cluster's ${clusterVersion}`;
  }
  const releases = catalogue[version] ?? [];
  const release = request.releaseVersion ?? releases[releases.length - 1] ?? '';
  if (!releases.includes(release)) {
    return `release version ${release} is not a release of Kubernetes ${version}`;
  }
  if (version === ng.version && releaseOlder(release, ng.releaseVersion)) {
    return `cannot roll back node group from AMI release ${ng.releaseVersion} to ${release}`;
  }
  return { ...ng, version, releaseVersion: release };
}
