/**
 * The Kubernetes minor versions Amazon EKS offers that this release of the library pins defaults for (add-on builds,
 * cluster-autoscaler images): 1.32 and 1.33 in extended support, 1.34 to 1.36 in standard support in November 2026
 * (EKS Kubernetes version calendar; 1.31 left extended support on 2026-11-26). EKS added 1.37 in October 2026; until
 * its defaults are pinned here, use `KubernetesVersion.unlisted('1.37')` with explicit add-on versions.
 */
export const KNOWN_EKS_VERSIONS: readonly string[] = ['1.32', '1.33', '1.34', '1.35', '1.36'];

/**
 * The oldest Kubernetes minor EKS still runs, in extended support included: 1.31 left extended support on 2026-11-26
 * and 1.32 leaves it on 2027-03-23 (EKS Kubernetes version calendar,
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html: 14 months of standard support, then 12
 * of extended support). An older version is refused even through `KubernetesVersion.unlisted`, which is for versions
 * newer than this library.
 */
export const OLDEST_EKS_VERSION = KNOWN_EKS_VERSIONS[0];

const MINOR_VERSION = /^1\.(\d{1,3})$/;

/**
 * An EKS Kubernetes version (`major.minor`; EKS picks the patch).
 *
 * Validated where it is used, so the error names the spec or cluster that carries it.
 *
 * @example KubernetesVersion.V1_33
 * @example KubernetesVersion.of('1.34')
 */
export class KubernetesVersion {
  public static readonly V1_32 = new KubernetesVersion('1.32', false);
  public static readonly V1_33 = new KubernetesVersion('1.33', false);
  public static readonly V1_34 = new KubernetesVersion('1.34', false);
  public static readonly V1_35 = new KubernetesVersion('1.35', false);
  public static readonly V1_36 = new KubernetesVersion('1.36', false);

  /** A version by its `major.minor` string, e.g. `'1.34'`. It must be one EKS offers (see `KNOWN_EKS_VERSIONS`). */
  public static of(version: string): KubernetesVersion {
    return new KubernetesVersion(version, false);
  }

  /**
   * A well-formed version this release of the library does not list yet (EKS released it after this release).
   * EKS add-ons then need explicit versions, since there are no pinned defaults for it.
   */
  public static unlisted(version: string): KubernetesVersion {
    return new KubernetesVersion(version, true);
  }

  private constructor(
    /** The version as given, e.g. `'1.34'`. */
    public readonly version: string,
    /** Whether the version was accepted without being in `KNOWN_EKS_VERSIONS`. */
    public readonly unlisted: boolean,
  ) {}

  /** The minor number, e.g. 34 for '1.34'. Only meaningful once `problem()` returned undefined. */
  public get minor(): number {
    return Number(MINOR_VERSION.exec(this.version)?.[1] ?? NaN);
  }

  /** The form AWSManagedControlPlane stores after CAPA's defaulting webhook: `v1.34`. Emitting it avoids a permanent diff. */
  public get controlPlaneVersion(): string {
    return `v${this.version}`;
  }

  /** The semantic version a CAPI MachinePool requires (`v1.34.0`); CAPA uses only major.minor for the node group. */
  public get machinePoolVersion(): string {
    return `v${this.version}.0`;
  }

  /** A problem sentence for `what`, or undefined when the version is well-formed and known (or explicitly unlisted). */
  public problem(what: string): string | undefined {
    if (!MINOR_VERSION.test(this.version)) {
      const fix = /^v?1\.\d+(\.\d+)?$/.test(this.version) ? `; try "${this.version.replace(/^v/, '').split('.').slice(0, 2).join('.')}"` : '';
      return `${what} "${this.version}" is malformed: EKS versions are "major.minor" without a "v" or a patch (EKS chooses the patch), e.g. "1.34"${fix}`;
    }
    const oldest = Number(OLDEST_EKS_VERSION.split('.')[1]);
    if (this.minor < oldest) {
      return `${what} "${this.version}" is not a Kubernetes version EKS offers (known: ${KNOWN_EKS_VERSIONS.join(', ')}): it is retired, past the end of `
        + `EKS extended support (the oldest EKS runs is ${OLDEST_EKS_VERSION}; EKS Kubernetes version calendar), so EKS refuses to create a cluster at it; `
        + `use ${OLDEST_EKS_VERSION} or later${this.unlisted ? ' (`KubernetesVersion.unlisted` is for versions newer than this library, not older)' : ''}`;
    }
    if (!this.unlisted && !KNOWN_EKS_VERSIONS.includes(this.version)) {
      return `${what} "${this.version}" is not a Kubernetes version EKS offers (known: ${KNOWN_EKS_VERSIONS.join(', ')}); `
        + `pick one of those, or use KubernetesVersion.unlisted("${this.version}") if EKS released it after this library`;
    }
    return undefined;
  }

  /**
   * A warning for `what` when the version is accepted without being known (`unlisted`), or undefined. Only meaningful
   * once `problem()` returned undefined.
   */
  public warning(what: string): string | undefined {
    if (!this.unlisted) {
      return undefined;
    }
    return KNOWN_EKS_VERSIONS.includes(this.version)
      ? `${what} "${this.version}" is given as KubernetesVersion.unlisted, but this library knows it; use KubernetesVersion.of("${this.version}") `
        + 'to get its pinned add-on defaults'
      : `${what} "${this.version}" is not one this library knows (known: ${KNOWN_EKS_VERSIONS.join(', ')}); accepted because it is `
        + 'KubernetesVersion.unlisted: check that EKS offers it in the region, and give every add-on an explicit version';
  }

  public toString(): string {
    return this.version;
  }
}
