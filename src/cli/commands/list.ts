import { Command } from 'commander';
import { FLEET_WITHOUT_MANAGEMENT, type DistFleet } from '../../operations/dist-fleet';
import type { CommandContext } from '../context';
import { UsageError, requireKnownName } from '../errors';
import { outputFormat, type GlobalOptions } from '../options';
import { json, table } from '../output';

const WHAT = ['clusters', 'profiles', 'bundles'] as const;

/** `arlonctl list clusters|profiles|bundles`: the fleet as synthesized, from dist/ alone. */
export function listCommand(context: CommandContext): Command {
  return new Command('list')
    .description('List the clusters, profiles or bundles of the fleet, from dist/ alone (no cluster needed).')
    .argument('<what>', `one of: ${WHAT.join(', ')}`)
    .option('--profile <name>', 'only the clusters of this profile, or the bundles it carries')
    .option('--bundle <name>', 'only the clusters that get this bundle')
    .addHelpText('after', ['', 'Examples:', '  arlonctl list clusters', '  arlonctl list clusters --profile prod', '  arlonctl list bundles --output json',
      '  arlonctl list profiles --dist ./dist'].join('\n'))
    .action((what: string, flags: { profile?: string; bundle?: string }, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      if (!(WHAT as readonly string[]).includes(what)) {
        throw new UsageError(`cannot list "${what}"; use one of: ${WHAT.join(', ')}`);
      }
      const fleet = filtered(context.fleet(options, FLEET_WITHOUT_MANAGEMENT), what as typeof WHAT[number], flags);
      const data = fleet[what as typeof WHAT[number]];
      context.io.stdout(format === 'json' ? json(data) : render(fleet, what as typeof WHAT[number]));
    });
}

/** The fleet with only what `--profile` and `--bundle` select; a name the fleet does not have is a usage error. */
function filtered(fleet: DistFleet, what: typeof WHAT[number], flags: { profile?: string; bundle?: string }): DistFleet {
  if (flags.profile !== undefined) {
    requireKnownName('profile', flags.profile, fleet.profiles.map((p) => p.name));
  }
  if (flags.bundle !== undefined) {
    requireKnownName('bundle', flags.bundle, fleet.bundles.map((b) => b.name));
  }
  if (flags.bundle !== undefined && what !== 'clusters') {
    throw new UsageError('--bundle selects clusters; use it with `list clusters`');
  }
  if (flags.profile !== undefined && what === 'profiles') {
    throw new UsageError('--profile selects clusters or bundles; use it with `list clusters` or `list bundles`');
  }
  return {
    ...fleet,
    clusters: fleet.clusters.filter((c) => (flags.profile === undefined || c.profiles.includes(flags.profile))
      && (flags.bundle === undefined || c.bundles.includes(flags.bundle))),
    bundles: fleet.bundles.filter((b) => flags.profile === undefined || b.profiles.includes(flags.profile)),
  };
}

function render(fleet: DistFleet, what: typeof WHAT[number]): string {
  switch (what) {
    case 'clusters':
      return table(['NAME', 'TYPE', 'PROFILES', 'REGION', 'VERSION', 'NODE POOLS', 'BUNDLES'], fleet.clusters.map((c) => [
        c.name,
        c.external ? 'external' : 'eks',
        c.profiles.join(',') || '-',
        c.region ?? '-',
        c.kubernetesVersion ?? '-',
        c.nodePools.map((p) => `${p.name}(${p.instanceType} ${p.minSize}-${p.maxSize})`).join(',') || '-',
        c.bundles.join(',') || '-',
      ]));
    case 'profiles':
      return table(['NAME', 'CLUSTERS', 'BUNDLES'], fleet.profiles.map((p) => [p.name, p.clusters.join(',') || '-', p.bundles.join(',') || '-']));
    case 'bundles':
      return table(['NAME', 'KIND', 'SOURCE', 'VERSION', 'NAMESPACE', 'CLUSTERS'], fleet.bundles.map((b) => [
        b.name, b.kind, b.chart ? `${b.repoUrl} ${b.chart}` : b.path && b.path !== '.' ? `${b.repoUrl} ${b.path}` : b.repoUrl,
        b.version, b.namespace, String(b.clusters.length),
      ]));
  }
}
