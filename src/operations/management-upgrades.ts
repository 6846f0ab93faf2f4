import type { DistFleet } from './dist-fleet';
import type { KubeObject } from '../kube/types';
import { DistLayout } from '../output/layout';

/** A version change of a provider of the management plane, and the upstream rule it breaks, when it breaks one. */
export interface ProviderVersionChange {
  readonly provider: string;
  readonly from: string;
  readonly to: string;
  /** The rule broken (`management-downgrade`, `management-minor-skip`, `provider-contract`), with why. */
  readonly broken?: { readonly rule: 'management-downgrade' | 'management-minor-skip' | 'provider-contract'; readonly why: string };
}

/**
 * The contract of each release series, from the `metadata.yaml` of Cluster API v1.14.0 (1.0-1.10 v1beta1, 1.11-1.14
 * v1beta2) and CAPA v2.11.1 (2.0-2.11 v1beta1). A later series is not known here: its contract is not checked.
 */
const CONTRACTS: Readonly<Record<string, (minor: number, major: number) => string | undefined>> = {
  'cluster-api': (minor, major) => (major !== 1 ? undefined : minor <= 10 ? 'v1beta1' : minor <= 14 ? 'v1beta2' : undefined),
  'aws': (minor, major) => (major === 2 && minor <= 11 ? 'v1beta1' : undefined),
};

/**
 * The Cluster API minor from which providers of the v1beta1 contract are no longer supported
 * (cluster-api v1.14.0 `docs/book/src/reference/versions.md`: v1beta1 compatibility ends with v1.16, April 2027).
 */
const V1BETA1_PROVIDERS_UNTIL_MINOR = 16;

/**
 * The version changes of the management plane's providers between two `dist/`s, each checked against what upstream
 * says must not happen:
 * - no downgrade: Cluster API does not support one (`docs/book/src/reference/versions.md`, "Downgrades"), and
 *   cluster-api-operator v0.28.0 refuses a lower minor of any provider (`checkProviderVersion`,
 *   `internal/controller/preflight_checks.go`: "Downgrade is not supported for provider");
 * - Cluster API skips at most three minors in one upgrade (versions.md, "Skip upgrades"; clusterctl enforces it in
 *   `upgrader.go` `doUpgrade`), a rule upstream states for the core provider only;
 * - every provider implements a contract the core supports: a v1beta1 provider (CAPA v2.x) only under Cluster API
 *   before v1.16.
 * Where upstream is silent (CAPA skipping minors) nothing is checked.
 */
export function providerVersionChanges(base: DistFleet, current: DistFleet): ProviderVersionChange[] {
  const [before, after] = [providerVersions(base), providerVersions(current)];
  const core = after.get('cluster-api');
  const changes: ProviderVersionChange[] = [];
  const coreChanged = core !== before.get('cluster-api');
  for (const [provider, to] of [...after].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const from = before.get(provider);
    if (from === undefined || (from === to && !coreChanged)) {
      continue;
    }
    const broken = brokenRule(provider, from, to, core);
    // A provider left as it is matters only when the core's move leaves its contract unsupported.
    if (from !== to || broken !== undefined) {
      changes.push({ provider, from, to, broken });
    }
  }
  return changes;
}

function brokenRule(provider: string, from: string, to: string, core: string | undefined): ProviderVersionChange['broken'] {
  const [f, t] = [parse(from), parse(to)];
  if (f === undefined || t === undefined) {
    return undefined;
  }
  if (t.major < f.major || (t.major === f.major && t.minor < f.minor)) {
    return {
      rule: 'management-downgrade',
      why: `cluster-api-operator refuses to downgrade a provider ("Downgrade is not supported for provider ${provider}")`
        + `${provider === 'cluster-api' ? ', and Cluster API does not support downgrades' : ''}`,
    };
  }
  if (provider === 'cluster-api' && t.major === f.major && t.minor - f.minor > 3) {
    return { rule: 'management-minor-skip', why: `Cluster API skips at most three minor versions in one upgrade (${from} -> ${to} skips ${t.minor - f.minor - 1})` };
  }
  const coreVersion = core === undefined ? undefined : parse(core);
  const contract = CONTRACTS[provider]?.(t.minor, t.major);
  if (provider !== 'cluster-api' && contract === 'v1beta1' && coreVersion !== undefined && coreVersion.major === 1
    && coreVersion.minor >= V1BETA1_PROVIDERS_UNTIL_MINOR) {
    return { rule: 'provider-contract', why: `${provider} ${to} implements the v1beta1 contract, which Cluster API ${core} no longer supports` };
  }
  return undefined;
}

/** Each provider's `spec.version` in `dist/management/providers/`, by provider name. */
function providerVersions(fleet: DistFleet): Map<string, string> {
  const versions = new Map<string, string>();
  for (const [file, obj] of fleet.objects) {
    if (file.startsWith(`${DistLayout.managementProvidersDir}/`) && obj.kind.endsWith('Provider')) {
      const version = (obj as KubeObject & { spec?: { version?: string } }).spec?.version;
      if (version !== undefined) {
        versions.set(obj.metadata.name, version);
      }
    }
  }
  return versions;
}

function parse(version: string): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  return match === null ? undefined : { major: Number(match[1]), minor: Number(match[2]) };
}
