/**
 * Upgrade and version-skew rules for the management cluster's Cluster API (core, kubeadm providers) and CAPA, as data,
 * each with its source, and `providerUpgradeProblem`, which applies exactly these rules. Sources:
 * - kubernetes-sigs/cluster-api v1.14.0 `docs/book/src/reference/versions.md` (#skip-upgrades, #downgrades,
 *   #cluster-api-release-vs-contract-versions, #supported-cluster-api---cluster-api-provider-version-skew, #clusterctl);
 * - kubernetes-sigs/cluster-api v1.14.0 `docs/book/src/clusterctl/commands/upgrade.md` ("Skip upgrades" note);
 * - kubernetes-sigs/cluster-api v1.14.0 `internal/contract/version.go` `GetCompatibleVersions` and `Version`
 *   (= `api/core/v1beta2` GroupVersion.Version);
 * - kubernetes-sigs/cluster-api v1.14.0 `cmd/clusterctl/client/cluster/upgrader.go` `doUpgrade` (blocks a jump of more than
 *   3 minors for core / kubeadm bootstrap / kubeadm control plane when the current version is >= 1.10.0),
 *   `ApplyPlan` / `createCustomPlan` (clusterctl upgrades only to its own contract; every provider, upgraded or not, must
 *   implement a contract compatible with the target core contract), `installer.go` `getProviderContract`;
 * - kubernetes-sigs/cluster-api v1.14.0 `metadata.yaml` and kubernetes-sigs/cluster-api-provider-aws v2.11.1 `metadata.yaml`
 *   (release series -> contract);
 * - kubernetes-sigs/cluster-api-provider-aws v2.11.1 `README.md` "Compatibility with Cluster API and Kubernetes Versions"
 *   (CAPA v1beta2 `(v2.x)` ✓ with Cluster API v1beta1 `(v1.x)`) and `docs/book/src/topics/reference/versions.md` (CAPA is
 *   not released in lock-step; "check the release notes" for the exact CAPI version).
 * Where upstream is silent the code says so and checks nothing: CAPA skip upgrades, CAPA downgrades, CAPA-specific Kubernetes
 * ranges. `undefined` from `providerUpgradeProblem` means "no documented rule is broken", not "tested by upstream".
 */

export interface SkewRule {
  readonly component: 'cluster-api' | 'cluster-api-provider-aws' | 'clusterctl';
  /** Whether minor versions may be skipped in one upgrade; undefined: upstream does not say. */
  readonly maySkipMinors: boolean | undefined;
  /** Largest allowed minor jump in one upgrade, when documented. */
  readonly maxMinorJump?: number;
  /** Whether downgrades are supported; undefined: upstream does not say. */
  readonly downgradesSupported: boolean | undefined;
  readonly rule: string;
  readonly source: string;
}

export const SKEW_RULES: readonly SkewRule[] = [
  {
    component: 'cluster-api',
    maySkipMinors: true,
    maxMinorJump: 3,
    downgradesSupported: false,
    rule: 'Cluster API supports at maximum n-3 minor version skip upgrades (e.g. v1.6.x -> v1.9.x); upgrades from older than n-3 '
      + 'might leave the management cluster non-functional. Cluster API does not support version downgrades. Applies to the core, '
      + 'kubeadm bootstrap and kubeadm control plane providers (same version as core; KCP requires the kubeadm bootstrap provider of the same version).',
    source: 'kubernetes-sigs/cluster-api v1.14.0 docs/book/src/reference/versions.md #skip-upgrades, #downgrades; '
      + 'cmd/clusterctl/client/cluster/upgrader.go doUpgrade ("upgrade for %s provider can\'t skip more than 3 versions", enforced when current >= 1.10.0)',
  },
  {
    component: 'cluster-api-provider-aws',
    maySkipMinors: undefined,
    downgradesSupported: undefined,
    rule: 'Upstream CAPA v2.11.1 documents no skip-upgrade or downgrade rule; clusterctl (upgrade.md) says to check the provider '
      + 'documentation before skipping minors, and clusterctl enforces no skip rule for out-of-tree providers. Compatibility: CAPA v2.x '
      + 'with Cluster API v1.x; the exact CAPI version of each CAPA release is in its release notes.',
    source: 'kubernetes-sigs/cluster-api v1.14.0 docs/book/src/clusterctl/commands/upgrade.md "Skip upgrades"; upgrader.go doUpgrade NOTE; '
      + 'kubernetes-sigs/cluster-api-provider-aws v2.11.1 README.md, docs/book/src/topics/reference/versions.md',
  },
  {
    component: 'clusterctl',
    maySkipMinors: undefined,
    downgradesSupported: undefined,
    rule: 'Upgrade clusterctl first, then use it to upgrade the providers; clusterctl only upgrades the core provider to its own contract '
      + '(v1beta2 for v1.14) and requires every provider to implement that contract or a compatible one (v1beta1, temporarily).',
    source: 'kubernetes-sigs/cluster-api v1.14.0 docs/book/src/reference/versions.md #clusterctl; cmd/clusterctl/client/cluster/upgrader.go '
      + 'ApplyPlan, createCustomPlan; installer.go getProviderContract',
  },
];

const series = (major: number, minors: number[], contract: string): Array<[string, string]> => minors.map((m) => [`${major}.${m}`, contract]);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** cluster-api v1.14.0 `metadata.yaml` releaseSeries (major.minor -> contract): 1.0-1.10 v1beta1, 1.11-1.14 v1beta2. */
export const CAPI_CONTRACTS: Readonly<Record<string, string>> = Object.fromEntries([
  ...series(1, range(0, 10), 'v1beta1'),
  ...series(1, range(11, 14), 'v1beta2'),
]);

/** cluster-api-provider-aws v2.11.1 `metadata.yaml` releaseSeries (major.minor -> contract): 1.0-1.5 and 2.0-2.11 v1beta1. */
export const CAPA_CONTRACTS: Readonly<Record<string, string>> = Object.fromEntries([
  ['0.4', 'v1alpha2'], ['0.5', 'v1alpha3'], ['0.6', 'v1alpha3'], ['0.7', 'v1alpha4'],
  ...series(1, range(0, 5), 'v1beta1'),
  ...series(2, range(0, 11), 'v1beta1'),
]);

/**
 * versions.md #cluster-api-release-vs-contract-versions: v1beta1 contract "Deprecated since CAPI v1.11; in v1.16, April 2027
 * compatibility with the v1beta1 contract will be considered EOL" (plan: kubernetes-sigs/cluster-api#11920).
 */
export const V1BETA1_CONTRACT_COMPATIBILITY_EOL = { capiMinor: 16, date: '2027-04' } as const;

/** cluster-api v1.14.0 `internal/contract/version.go` `GetCompatibleVersions`. */
export function getCompatibleContractVersions(contract: string): Set<string> {
  const compatible = new Set([contract]);
  // v1beta2 contract is temporarily compatible with v1beta1 (until v1beta1 is EOL).
  if (contract === 'v1beta2') compatible.add('v1beta1');
  return compatible;
}

interface SemVer { readonly major: number; readonly minor: number; readonly patch: number; readonly pre: string }

/** blang/semver `ParseTolerant`-like: optional `v`, missing patch allowed. */
function parseVersion(v: string): SemVer {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) throw new Error(`invalid version ${JSON.stringify(v)}`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}

function compare(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return a.pre < b.pre ? -1 : 1;
}

const seriesOf = (v: SemVer) => `${v.major}.${v.minor}`;

export interface ManagementVersions {
  /** Cluster API core (and kubeadm providers, same version). */
  readonly capi: string;
  /** CAPA (infrastructure-aws). */
  readonly capa: string;
}

/**
 * The first documented rule an upgrade of the management cluster from `from` to `to` breaks, or undefined.
 * `clusterctl` is the clusterctl binary used (default: the target core version, as versions.md asks to upgrade clusterctl first).
 */
export function providerUpgradeProblem(from: ManagementVersions, to: ManagementVersions, clusterctl: string = to.capi): string | undefined {
  const f = { capi: parseVersion(from.capi), capa: parseVersion(from.capa) };
  const t = { capi: parseVersion(to.capi), capa: parseVersion(to.capa) };
  const ctl = parseVersion(clusterctl);

  // versions.md #downgrades
  if (compare(t.capi, f.capi) < 0) return `Cluster API does not support version downgrades (${from.capi} -> ${to.capi})`;
  // CAPA downgrades: upstream silent (clusterctl has no downgrade check either) -> not checked.

  // versions.md #skip-upgrades (n-3); clusterctl enforces the same from current >= 1.10.0. A major change: upstream silent
  // (no Cluster API v2 exists); the contract lookups below fail for unknown series.
  if (t.capi.major === f.capi.major && t.capi.minor > f.capi.minor + 3) {
    return `Cluster API supports at maximum n-3 minor version skip upgrades (${from.capi} -> ${to.capi} skips `
      + `${t.capi.minor - f.capi.minor - 1} minors)`;
  }
  // CAPA skip upgrades: upstream silent -> not checked.

  // CAPA README: CAPA v1beta2 (v2.x) is compatible with Cluster API v1beta1 (v1.x); v1.x (v1beta1) likewise; v0.7 only with CAPI v0.4.
  if (t.capa.major >= 1 && t.capi.major !== 1) {
    return `CAPA v${t.capa.major}.x is documented as compatible with Cluster API v1.x only (target Cluster API ${to.capi})`;
  }

  const capaContract = CAPA_CONTRACTS[seriesOf(t.capa)];
  if (capaContract === undefined) return `unknown: CAPA ${to.capa} is not a release series of CAPA v2.11.1 metadata.yaml; its contract is unknown`;
  if (capaContract === 'v1beta1' && t.capi.major === 1 && t.capi.minor >= V1BETA1_CONTRACT_COMPATIBILITY_EOL.capiMinor) {
    return `compatibility with the v1beta1 contract (CAPA ${to.capa}) is documented as EOL in Cluster API `
      + `v1.${V1BETA1_CONTRACT_COMPATIBILITY_EOL.capiMinor} (target ${to.capi})`;
  }
  const capiContract = CAPI_CONTRACTS[seriesOf(t.capi)];
  if (capiContract === undefined) return `unknown: Cluster API ${to.capi} is not a release series of Cluster API v1.14.0 metadata.yaml; its contract is unknown`;
  const ctlContract = CAPI_CONTRACTS[seriesOf(ctl)];
  if (ctlContract === undefined) return `unknown: the contract of clusterctl ${clusterctl} is unknown`;

  // upgrader.go ApplyPlan / createCustomPlan: clusterctl only upgrades the core provider to its own contract.
  if (capiContract !== ctlContract) {
    return `clusterctl ${clusterctl} could only upgrade the core provider to ${ctlContract} contract version, requested ${capiContract} (Cluster API ${to.capi})`;
  }
  // installer.go getProviderContract + createCustomPlan: every provider's contract must be compatible with the core's.
  const compatible = getCompatibleContractVersions(capiContract);
  if (!compatible.has(capaContract)) {
    return `CAPA ${to.capa} implements the ${capaContract} contract version, while Cluster API ${to.capi} supports `
      + `${[...compatible].join(', ')} contract versions`;
  }
  return undefined;
}
