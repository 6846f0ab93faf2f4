import * as YAML from 'yaml';
import {
  CLUSTER_SUMMARY, FLEET_WITHOUT_MANAGEMENT, bundleSourceOf, oneCluster, readDist, type BundleSourceFields, type DistBundle, type DistCluster,
  type DistFleet,
} from '../../operations/dist-fleet';
import {
  oidcProvider, serviceAccountRoles, trustStatement, type OidcProviderState, type ServiceAccountRole, type TrustStatement,
} from '../../operations/irsa';
import { readRolloutState, rolloutStateFile, type RolloutState, type WaveState } from '../../rollout/rollout-state';
import type { CommandContext } from '../context';
import { requireKnownName } from '../errors';
import type { GlobalOptions, OutputFormat } from '../options';
import { json, table } from '../output';

/** One cluster as `describe` shows it: what dist/ says of it, with each bundle it gets and its own values. */
export interface ClusterDescription extends Omit<DistCluster, 'bundles'> {
  readonly bundles: ReadonlyArray<Pick<DistBundle, 'name' | 'kind' | 'version' | 'namespace'> & { readonly values?: unknown }>;
  /**
   * The IAM roles its add-ons and bundles assume through their service accounts (IRSA); with `--trust-policy`, each
   * with the statement its trust policy needs for the cluster's OIDC provider, once the provider exists.
   */
  readonly serviceAccountRoles: ReadonlyArray<ServiceAccountRole & { readonly trustStatement?: TrustStatement }>;
  /** With `--trust-policy`: the cluster's IAM OIDC provider, as CAPA publishes it on the control plane's status. */
  readonly oidcProvider?: OidcProviderState;
}

/** One profile as `describe profile` shows it: its clusters and bundles, and its rollout when it follows a rollout policy. */
export interface ProfileDescription {
  readonly name: string;
  readonly clusters: readonly string[];
  readonly bundles: readonly string[];
  /** Where its rollout stands (from the rollout state beside dist/), when it follows a rollout policy. */
  readonly rollout?: ProfileRolloutDescription;
}

/** A profile's rollout: the revision of its spec in the code, and each wave with its clusters and the revision they run. */
export interface ProfileRolloutDescription {
  readonly target: string;
  readonly paused?: boolean;
  readonly aborted?: string;
  readonly waves: ReadonlyArray<Omit<WaveState, 'clusters'> & { readonly clusters: readonly string[] }>;
}

/** One bundle as `describe bundle` shows it. */
export interface BundleDescription {
  readonly name: string;
  readonly kind: string;
  readonly description?: string;
  /** Where it comes from: the repository, and the chart or path in it. */
  readonly source: Pick<DistBundle, 'repoUrl' | 'chart' | 'path'>;
  /** Chart version or git revision. */
  readonly version: string;
  readonly namespace: string;
  readonly releaseName?: string;
  readonly removalPolicy: string;
  readonly profiles: readonly string[];
  readonly clusters: readonly string[];
  /** The clusters with Helm values of their own. */
  readonly clustersWithOwnValues: readonly string[];
  /** The clusters that install another version during a rollout (their wave is not released), with that source. */
  readonly clusterSources: Readonly<Record<string, BundleSourceFields>>;
}

/** What `describe` describes. */
export type DescribeWhat = 'cluster' | 'profile' | 'bundle';

/** The flags of `describe`. */
export interface DescribeFlags {
  readonly trustPolicy?: boolean;
}

/** Runs `arlonctl describe <what> <name>` once `describeCommand` has checked the command line. */
export async function runDescribe(
  context: CommandContext, what: DescribeWhat, name: string, flags: DescribeFlags, options: GlobalOptions, format: OutputFormat,
): Promise<void> {
  if (what === 'profile') {
    const description = describeProfile(readDist(options.dist, CLUSTER_SUMMARY), name, readRolloutState(rolloutStateFile(options.dist)));
    context.io.stdout(format === 'json' ? json(description) : renderProfile(description));
    return;
  }
  if (what === 'bundle') {
    // The values files are read: they say which clusters have values of their own.
    const description = describeBundle(readDist(options.dist, FLEET_WITHOUT_MANAGEMENT), name);
    context.io.stdout(format === 'json' ? json(description) : renderBundle(description));
    return;
  }
  // Only this cluster's files are read; an unknown name is reported from the summary of them all.
  const fleet = readDist(options.dist, oneCluster(name));
  let description = describeCluster(fleet.clusters.some((c) => c.name === name) ? fleet : readDist(options.dist, CLUSTER_SUMMARY), name);
  if (flags.trustPolicy === true) {
    const cluster = fleet.clusters.find((c) => c.name === name)!;
    const provider = await context.withClient(options, (client) => oidcProvider(client, cluster));
    description = withTrust(description, provider);
  }
  context.io.stdout(format === 'json' ? json(description) : render(description, flags.trustPolicy === true));
}

/** The description of profile `name`, with its rollout from `state` when it follows a rollout policy. */
export function describeProfile(fleet: DistFleet, name: string, state?: RolloutState): ProfileDescription {
  requireKnownName('profile', name, fleet.profiles.map((p) => p.name));
  const profile = fleet.profiles.find((p) => p.name === name)!;
  const rollout = state?.profiles[name];
  if (rollout === undefined) {
    return { name, clusters: profile.clusters, bundles: profile.bundles };
  }
  const clusters = fleet.clusters.filter((c) => profile.clusters.includes(c.name));
  const waves = rollout.waves.map((wave) => ({ ...wave, clusters: clusters.filter((c) => c.rolloutWave === wave.name).map((c) => c.name) }));
  const { target, paused, aborted } = rollout;
  const where = { target, ...(paused ? { paused } : {}), ...(aborted ? { aborted } : {}), waves };
  return { name, clusters: profile.clusters, bundles: profile.bundles, rollout: where };
}

/** The description of bundle `name`; its clusters with values of their own are known only when the values files were read. */
export function describeBundle(fleet: DistFleet, name: string): BundleDescription {
  requireKnownName('bundle', name, fleet.bundles.map((b) => b.name));
  const b = fleet.bundles.find((bundle) => bundle.name === name)!;
  return {
    name: b.name,
    kind: b.kind,
    ...(b.description ? { description: b.description } : {}),
    source: { repoUrl: b.repoUrl, ...(b.chart ? { chart: b.chart } : {}), ...(b.path ? { path: b.path } : {}) },
    version: b.version,
    namespace: b.namespace,
    ...(b.releaseName ? { releaseName: b.releaseName } : {}),
    removalPolicy: b.removalPolicy,
    profiles: b.profiles,
    clusters: b.clusters,
    clustersWithOwnValues: b.clusters.filter((c) => b.clusterValues[c] !== undefined),
    clusterSources: b.clusterSources,
  };
}

function fieldLines(fields: ReadonlyArray<[string, string | undefined]>): string[] {
  return fields.filter(([, value]) => value !== undefined && value !== '').map(([label, value]) => `${`${label}:`.padEnd(13)}${value}`);
}

function renderProfile(d: ProfileDescription): string {
  const lines = fieldLines([['Name', d.name], ['Clusters', d.clusters.join(', ') || 'none'], ['Bundles', d.bundles.join(', ') || 'none']]);
  const r = d.rollout;
  if (r === undefined) {
    lines.push('Rollout:     none (its changes reach every cluster at once)');
  } else {
    const how = [r.paused ? 'paused' : undefined, r.aborted ? `revision ${r.aborted} aborted` : undefined].filter((x) => x !== undefined);
    lines.push(`Rollout:     target revision ${r.target}${how.length > 0 ? ` (${how.join(', ')})` : ''}; arlonctl rollout status ${d.name} for health`);
    lines.push(...table(['WAVE', 'SELECTS', 'CLUSTERS', 'REVISION', 'GATES'], r.waves.map((w) => [
      w.name,
      w.matchLabels === undefined ? 'the rest' : Object.entries(w.matchLabels).map(([k, v]) => `${k}=${v}`).join(','),
      w.clusters.join(',') || '-',
      w.revision === r.target ? `${w.revision} (target)` : w.revision,
      [w.soak ? `soak ${w.soak}` : undefined, w.requireApproval ? 'approval' : undefined, w.maxClusters ? `max ${w.maxClusters} at a time` : undefined]
        .filter((x) => x !== undefined).join(', ') || '-',
    ])).trimEnd().split('\n').map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

function renderBundle(d: BundleDescription): string {
  const staged = Object.entries(d.clusterSources).map(([cluster, source]) => `${cluster} (${source.version})`).join(', ');
  return `${fieldLines([
    ['Name', d.name],
    ['Kind', d.kind],
    ['Description', d.description],
    ['Source', [d.source.repoUrl, d.source.chart ?? (d.source.path && d.source.path !== '.' ? d.source.path : undefined)].filter((x) => x).join(' ')],
    ['Version', d.version],
    ['Namespace', d.namespace],
    ['Release', d.releaseName],
    ['Removal', d.removalPolicy === 'destroy' ? 'destroy (what it installed is deleted with its Applications)'
      : `${d.removalPolicy} (what it installed stays when its Applications are deleted)`],
    ['Profiles', d.profiles.join(', ') || 'none'],
    ['Clusters', d.clusters.join(', ') || 'none'],
    ['Own values', d.clustersWithOwnValues.join(', ') || 'none'],
    ['Staged', staged === '' ? undefined : `${staged}: an earlier version, until their rollout wave is released`],
  ]).join('\n')}\n`;
}

/** The description of cluster `name`; a name the fleet does not have is a usage error naming those it has. */
export function describeCluster(fleet: DistFleet, name: string): ClusterDescription {
  requireKnownName('cluster', name, fleet.clusters.map((c) => c.name));
  const cluster = fleet.clusters.find((c) => c.name === name)!;
  const bundles = cluster.bundles.map((bundleName) => {
    const bundle = fleet.bundles.find((b) => b.name === bundleName)!;
    const values = bundle.clusterValues[name];
    const { kind, namespace } = bundle;
    // during a rollout, a cluster of a wave not released installs an earlier version
    const { version } = bundleSourceOf(bundle, name);
    return { name: bundle.name, kind, version, namespace, ...(values === undefined ? {} : { values }) };
  });
  return { ...cluster, bundles, serviceAccountRoles: serviceAccountRoles(fleet, cluster) };
}

/** The description with the cluster's OIDC provider and, once it exists, each role's trust statement. */
export function withTrust(description: ClusterDescription, provider: OidcProviderState): ClusterDescription {
  return {
    ...description,
    oidcProvider: provider,
    serviceAccountRoles: description.serviceAccountRoles.map((role) => (provider.ready && role.serviceAccounts.length > 0
      ? { ...role, trustStatement: trustStatement(provider, role.serviceAccounts) } : role)),
  };
}

function render(d: ClusterDescription, trust = false): string {
  const labels = Object.entries(d.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const fields: Array<[string, string | undefined]> = [
    ['Name', d.name],
    ['Type', d.external ? 'external (registered with Argo CD by its owners; bundles only)' : 'eks'],
    ['Profiles', d.profiles.join(', ')],
    ['Overrides', d.overrides.length > 0 ? `${d.overrides.join(', ')} (of its profile's spec)` : undefined],
    ['Labels', labels],
    ['Namespace', d.namespace],
    ['Region', d.region],
    ['EKS cluster', d.eksClusterName],
    ['Kubernetes', d.kubernetesVersion],
    ['Rollout', d.rolloutWave === undefined ? undefined : `wave ${d.rolloutWave}, spec revision ${d.specRevision} (arlonctl rollout status)`],
    ['Retired', d.retired ? 'yes (its bundles are removed; delete it from the code in a later change)' : undefined],
  ];
  const lines = fieldLines(fields);
  const indent = (text: string) => text.trimEnd().split('\n').map((line) => `  ${line}`).join('\n');
  if (d.nodePools.length > 0) {
    lines.push('Node pools:', indent(table(['NAME', 'INSTANCE TYPE', 'MIN', 'MAX', 'DESIRED', 'VERSION'], d.nodePools.map((p) => [
      p.name, p.instanceType, String(p.minSize), String(p.maxSize), p.desiredSize === undefined ? '-' : String(p.desiredSize), p.kubernetesVersion || '-',
    ]))));
  }
  lines.push('Bundles:', d.bundles.length === 0 ? '  none' : indent(table(['NAME', 'KIND', 'VERSION', 'NAMESPACE', 'OWN VALUES'],
    d.bundles.map((b) => [b.name, b.kind, b.version, b.namespace, b.values === undefined ? '-' : 'yes']))));
  const own = d.bundles.filter((b) => b.values !== undefined);
  if (own.length > 0) {
    lines.push('Own values:', indent(YAML.stringify(Object.fromEntries(own.map((b) => [b.name, b.values])))));
  }
  if (d.serviceAccountRoles.length > 0) {
    lines.push(...renderRoles(d, trust));
  }
  return `${lines.join('\n')}\n`;
}

/** The IRSA section: each role, who assumes it, and with `--trust-policy` the statement its trust policy needs. */
function renderRoles(d: ClusterDescription, trust: boolean): string[] {
  const lines = ['IAM roles for service accounts (IRSA):'];
  const provider = d.oidcProvider;
  if (trust && provider !== undefined) {
    lines.push(provider.ready ? `  OIDC provider: ${provider.arn}` : `  ${provider.reason}`);
  }
  for (const role of d.serviceAccountRoles) {
    lines.push(`  ${role.roleArn}`, `    used by:          ${role.usedBy.join(', ')}`);
    if (role.serviceAccounts.length > 0) {
      lines.push(`    service accounts: ${role.serviceAccounts.map((a) => `${a.namespace}:${a.name}`).join(', ')}`);
    }
    if (role.unknownServiceAccounts.length > 0) {
      lines.push(`    service account unknown to arlonctl for ${role.unknownServiceAccounts.join(', ')}: add system:serviceaccount:<namespace>:<name> `
        + 'to the statement\'s :sub condition yourself');
    }
    if (role.trustStatement !== undefined) {
      lines.push('    add this statement to the role\'s trust policy (aws iam update-assume-role-policy):',
        ...JSON.stringify(role.trustStatement, null, 2).split('\n').map((line) => `      ${line}`));
    }
  }
  if (!trust) {
    lines.push(`  Each role must trust this cluster's IAM OIDC provider: arlonctl describe cluster ${d.name} --trust-policy prints the statements.`);
  }
  return lines;
}
