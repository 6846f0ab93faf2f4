import { Command } from 'commander';
import * as YAML from 'yaml';
import { CLUSTER_SUMMARY, bundleSourceOf, oneCluster, type DistBundle, type DistCluster, type DistFleet } from '../../operations/dist-fleet';
import {
  oidcProvider, serviceAccountRoles, trustStatement, type OidcProviderState, type ServiceAccountRole, type TrustStatement,
} from '../../operations/irsa';
import type { CommandContext } from '../context';
import { UsageError, requireKnownName } from '../errors';
import { outputFormat, type GlobalOptions } from '../options';
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

/** `arlonctl describe cluster <name>`: everything dist/ says of one cluster. */
export function describeCommand(context: CommandContext): Command {
  return new Command('describe')
    .description('Show one cluster as synthesized, from dist/ alone: profiles, labels, region, versions, node pools, bundles and its own values.')
    .argument('<what>', 'cluster')
    .argument('<name>', 'the cluster\'s name')
    .option('--trust-policy', 'read the cluster\'s IAM OIDC provider from its control plane on the management cluster, and print the trust '
      + 'policy statement each IRSA role needs for it')
    .addHelpText('after', ['', 'Examples:', '  arlonctl describe cluster prod-euw1', '  arlonctl describe cluster dev-use1 --output json',
      '  arlonctl describe cluster prod-use1 --trust-policy'].join('\n'))
    .action(async (what: string, name: string, flags: { trustPolicy?: boolean }, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      if (what !== 'cluster') {
        throw new UsageError(`cannot describe "${what}"; use: arlonctl describe cluster <name>`);
      }
      // Only this cluster's files are read; an unknown name is reported from the summary of them all.
      const fleet = context.fleet(options, oneCluster(name));
      let description = describeCluster(fleet.clusters.some((c) => c.name === name) ? fleet : context.fleet(options, CLUSTER_SUMMARY), name);
      if (flags.trustPolicy === true) {
        const cluster = fleet.clusters.find((c) => c.name === name)!;
        const provider = await context.withClient(options, (client) => oidcProvider(client, cluster));
        description = withTrust(description, provider);
      }
      context.io.stdout(format === 'json' ? json(description) : render(description, flags.trustPolicy === true));
    });
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
  const lines = fields.filter(([, value]) => value !== undefined && value !== '').map(([label, value]) => `${`${label}:`.padEnd(13)}${value}`);
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
