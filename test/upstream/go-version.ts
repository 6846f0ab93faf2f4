/**
 * Version parsing as the upstream webhooks and controllers do it.
 *
 * - `parseGeneric` / `parseSemantic`: port of `k8s.io/apimachinery/pkg/util/version` (`parse`, `ParseGeneric`,
 *   `ParseSemantic`, `Version.Compare`), kubernetes/apimachinery v0.33.4 (the version CAPA v2.11.1 builds with),
 *   `pkg/util/version/version.go`. CAPA's `parseEKSVersion` is built on `ParseGeneric`.
 * - `parseSemver`: port of `github.com/blang/semver/v4` v4.0.0 `Parse` (strict semantic versions, no "v"), which
 *   Cluster API v1.14.0 uses in the MachinePool webhook (`core/webhooks/admission/machinepool.go`).
 */

/** A parsed `k8s.io/apimachinery` version. */
export interface GoVersion {
  readonly components: readonly number[];
  readonly semver: boolean;
  readonly preRelease: string;
  readonly buildMetadata: string;
}

const VERSION_MATCH = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$/;
const EXTRA_MATCH = /^(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\s*$/;

function parse(str: string, semver: boolean): GoVersion {
  const parts = VERSION_MATCH.exec(str);
  if (parts === null) {
    throw new Error(`could not parse "${str}" as version`);
  }
  const [, numbers, extra = ''] = parts;
  const components = numbers.split('.');
  if ((semver && components.length !== 3) || (!semver && components.length < 2)) {
    throw new Error(`illegal version string "${str}"`);
  }
  components.forEach((comp, i) => {
    if ((i === 0 || semver) && comp.startsWith('0') && comp !== '0') {
      throw new Error(`illegal zero-prefixed version component "${comp}" in "${str}"`);
    }
  });
  let preRelease = '';
  let buildMetadata = '';
  if (semver && extra !== '') {
    const extraParts = EXTRA_MATCH.exec(extra);
    if (extraParts === null) {
      throw new Error(`could not parse pre-release/metadata (${extra}) in version "${str}"`);
    }
    [preRelease, buildMetadata] = [extraParts[1] ?? '', extraParts[2] ?? ''];
    for (const comp of preRelease.split('.')) {
      if (/^[0-9]+$/.test(comp) && comp.startsWith('0') && comp !== '0') {
        throw new Error(`illegal zero-prefixed version component "${comp}" in "${str}"`);
      }
    }
  }
  return { components: components.map(Number), semver, preRelease, buildMetadata };
}

/** `version.ParseGeneric`: at least major.minor, an optional "v", anything after the numbers ignored. */
export function parseGeneric(str: string): GoVersion {
  return parse(str, false);
}

/** `version.ParseSemantic`: exactly major.minor.patch with optional pre-release and build metadata. */
export function parseSemantic(str: string): GoVersion {
  return parse(str, true);
}

export const major = (v: GoVersion): number => v.components[0];
export const minor = (v: GoVersion): number => v.components[1];

/** `strconv.ParseUint(s, 10, 0)` succeeds: decimal digits only, within uint64. */
const isUint = (s: string): boolean => /^[0-9]+$/.test(s) && BigInt(s) < 2n ** 64n;

/**
 * `Version.compareInternal`: numeric components (missing ones count as zero); then, only when both versions are
 * semantic, the pre-release, compared identifier by identifier (numerically when both identifiers are numbers).
 */
export function compareVersions(a: GoVersion, b: GoVersion): number {
  const [aLen, bLen] = [a.components.length, b.components.length];
  for (let i = 0; i < aLen && i < bLen; i++) {
    if (b.components[i] < a.components[i]) {
      return 1;
    }
    if (b.components[i] > a.components[i]) {
      return -1;
    }
  }
  if (bLen < aLen && a.components.slice(bLen).some((c) => c !== 0)) {
    return 1;
  }
  if (bLen > aLen && b.components.slice(aLen).some((c) => c !== 0)) {
    return -1;
  }
  if (!a.semver || !b.semver) {
    return 0;
  }
  if (a.preRelease === '' && b.preRelease !== '') {
    return 1;
  }
  if (a.preRelease !== '' && b.preRelease === '') {
    return -1;
  }
  if (a.preRelease === b.preRelease) {
    return 0;
  }
  const [aPR, bPR] = [a.preRelease.split('.'), b.preRelease.split('.')];
  for (let i = 0; i < aPR.length && i < bPR.length; i++) {
    if (isUint(aPR[i]) && isUint(bPR[i])) {
      const [x, y] = [BigInt(aPR[i]), BigInt(bPR[i])];
      if (y < x) {
        return 1;
      }
      if (y > x) {
        return -1;
      }
      continue;
    }
    if (bPR[i] < aPR[i]) {
      return 1;
    }
    if (bPR[i] > aPR[i]) {
      return -1;
    }
  }
  if (bPR.length < aPR.length) {
    return 1;
  }
  if (bPR.length > aPR.length) {
    return -1;
  }
  return 0;
}

export const lessThan = (a: GoVersion, b: GoVersion): boolean => compareVersions(a, b) < 0;

/** CAPA's `parseEKSVersion` (controlplane/eks/webhooks and pkg/cloud/services/eks/cluster.go): ParseGeneric, then major.minor only. */
export function parseEksVersion(raw: string): GoVersion {
  const v = parseGeneric(raw);
  return { components: [major(v), minor(v)], semver: false, preRelease: '', buildMetadata: '' };
}

const SEMVER_NUMBER = '(0|[1-9][0-9]*)';
const SEMVER_IDENT = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER = new RegExp(`^${SEMVER_NUMBER}\\.${SEMVER_NUMBER}\\.${SEMVER_NUMBER}`
  + `(?:-(${SEMVER_IDENT}(?:\\.${SEMVER_IDENT})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`);

/** blang/semver v4 `Parse`: a strict semantic version (no "v" prefix, no missing parts, no empty identifiers). */
export function parseSemver(str: string): GoVersion {
  const match = SEMVER.exec(str);
  if (match === null) {
    throw new Error(`"${str}" is not a valid semantic version`);
  }
  return { components: [Number(match[1]), Number(match[2]), Number(match[3])], semver: true, preRelease: match[4] ?? '', buildMetadata: match[5] ?? '' };
}
