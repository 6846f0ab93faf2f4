import { Command } from 'commander';
import type { DistFleet } from '../../operations/dist-fleet';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, type GlobalOptions } from '../options';
import { json, table } from '../output';

const WHAT = ['clusters', 'profiles', 'bundles'] as const;

/** `arlonctl list clusters|profiles|bundles`: the fleet as synthesized, from dist/ alone. */
export function listCommand(context: CommandContext): Command {
  return new Command('list')
    .description('List the clusters, profiles or bundles of the fleet, from dist/ alone (no cluster needed).')
    .argument('<what>', `one of: ${WHAT.join(', ')}`)
    .addHelpText('after', ['', 'Examples:', '  arlonctl list clusters', '  arlonctl list bundles --output json', '  arlonctl list profiles --dist ./dist'].join('\n'))
    .action((what: string, _flags: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      if (!(WHAT as readonly string[]).includes(what)) {
        throw new UsageError(`cannot list "${what}"; use one of: ${WHAT.join(', ')}`);
      }
      const fleet = context.fleet(options);
      const data = fleet[what as typeof WHAT[number]];
      context.io.stdout(format === 'json' ? json(data) : render(fleet, what as typeof WHAT[number]));
    });
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
