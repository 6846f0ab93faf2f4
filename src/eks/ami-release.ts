import { isAmazonLinux2 } from './ami-type';

/**
 * An EKS-optimized AMI release a managed node group runs, as EKS names it (`releaseVersion` of CreateNodegroup,
 * UpdateNodegroupVersion and DescribeNodegroup; CAPA's AWSManagedMachinePool `spec.amiVersion`):
 * - Amazon Linux (AL2, AL2023): `<kubernetes major.minor.patch>-<release date YYYYMMDD>`, e.g. `1.34.1-20251103`, a
 *   build for one Kubernetes minor (https://docs.aws.amazon.com/eks/latest/userguide/eks-linux-ami-versions.html);
 * - Bottlerocket: `<Bottlerocket version>-<commit>`, e.g. `1.26.0-5a5a4e2c`, the OS release, whatever the Kubernetes
 *   version (EKS picks the variant for the node group's Kubernetes version).
 * Windows releases are named otherwise, and are not modelled here.
 */
export interface AmiRelease {
  readonly family: 'amazon-linux' | 'bottlerocket';
  /** For Amazon Linux: the Kubernetes minor the release is built for. */
  readonly kubernetesMinor?: number;
  /** What orders releases of one family (and, for Amazon Linux, one minor): later is greater. */
  readonly order: readonly number[];
}

const AMAZON_LINUX_RELEASE = /^1\.(\d{1,3})\.(\d{1,3})-(\d{4})(\d{2})(\d{2})$/;
const BOTTLEROCKET_RELEASE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})-([0-9a-f]{8})$/;

/** The release family of an AMI type, or undefined for one whose releases the library does not model (Windows). */
export function amiReleaseFamily(amiType: string): AmiRelease['family'] | undefined {
  if (isAmazonLinux2(amiType) || amiType.startsWith('AL2023_')) {
    return 'amazon-linux';
  }
  return amiType.startsWith('BOTTLEROCKET_') ? 'bottlerocket' : undefined;
}

/** Parses `release` as a release of the family of `amiType`; undefined when it is not one. */
export function parseAmiRelease(amiType: string, release: string): AmiRelease | undefined {
  const family = amiReleaseFamily(amiType);
  if (family === 'amazon-linux') {
    const m = AMAZON_LINUX_RELEASE.exec(release);
    if (m === null || Number(m[4]) < 1 || Number(m[4]) > 12 || Number(m[5]) < 1 || Number(m[5]) > 31) {
      return undefined;
    }
    // Releases of one minor are ordered by their date; the patch only grows with it.
    return { family, kubernetesMinor: Number(m[1]), order: [Number(`${m[3]}${m[4]}${m[5]}`), Number(m[2])] };
  }
  if (family === 'bottlerocket') {
    const m = BOTTLEROCKET_RELEASE.exec(release);
    return m === null ? undefined : { family, order: [Number(m[1]), Number(m[2]), Number(m[3])] };
  }
  return undefined;
}

/** -1, 0 or 1 as release `a` is older than, as old as, or newer than `b` (both of one family). */
export function compareAmiReleases(a: AmiRelease, b: AmiRelease): number {
  for (let i = 0; i < Math.max(a.order.length, b.order.length); i++) {
    const d = (a.order[i] ?? 0) - (b.order[i] ?? 0);
    if (d !== 0) {
      return Math.sign(d);
    }
  }
  return 0;
}

/** An example release of the family of `amiType` for Kubernetes minor `minor`, for messages. */
export function exampleAmiRelease(amiType: string, minor: number): string {
  return amiReleaseFamily(amiType) === 'bottlerocket' ? '1.26.0-5a5a4e2c' : `1.${minor}.1-20251103`;
}

/**
 * Why `release` cannot be the AMI release of a pool of `amiType` at Kubernetes minor `minor` (`what` names the field),
 * or undefined when it can.
 */
export function amiReleaseProblem(what: string, release: unknown, amiType: string, minor: number): string | undefined {
  const family = amiReleaseFamily(amiType);
  if (family === undefined) {
    return `${what} is set, but the library does not model the AMI releases of ${amiType}; leave it out (EKS then keeps the release a node `
      + 'group runs, and gives a new one the newest release of its Kubernetes version)';
  }
  const example = exampleAmiRelease(amiType, minor);
  if (typeof release !== 'string') {
    return `${what} must be a string, an EKS AMI release version such as "${example}"`;
  }
  const parsed = parseAmiRelease(amiType, release);
  if (parsed === undefined) {
    return family === 'amazon-linux'
      ? `${what} "${release}" is not an Amazon Linux AMI release version: EKS names them "<Kubernetes version>-<release date>", e.g. "${example}" `
        + `(aws ssm get-parameter --name /aws/service/eks/optimized-ami/1.${minor}/amazon-linux-2023/x86_64/standard/recommended/release_version)`
      : `${what} "${release}" is not a Bottlerocket release version: EKS names them "<Bottlerocket version>-<commit>", e.g. "${example}"`;
  }
  if (parsed.kubernetesMinor !== undefined && Number.isFinite(minor) && parsed.kubernetesMinor !== minor) {
    return `${what} "${release}" is a release for Kubernetes 1.${parsed.kubernetesMinor}, but the pool runs 1.${minor}; EKS only gives a node group `
      + `releases of its own Kubernetes version, so pin a 1.${minor} release (e.g. "${example}") or leave it out; when the pool's version changes, change `
      + 'its release with it';
  }
  return undefined;
}
