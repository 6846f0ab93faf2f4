import { FLEET_WITHOUT_MANAGEMENT, readDist, type DistFleet } from '../../operations/dist-fleet';
import type { CommandContext } from '../context';
import { UsageError, requireKnownName } from '../errors';
import type { GlobalOptions, OutputFormat } from '../options';
import { json, table } from '../output';

/** What `list` lists. */
export type ListWhat = 'clusters' | 'profiles' | 'bundles';

/** The flags of `list`. */
export interface ListFlags {
  readonly profile?: string;
  readonly bundle?: string;
}

/** Runs `arlonctl list <what>` once `listCommand` has checked `what` and the format. */
export function runList(context: CommandContext, what: ListWhat, flags: ListFlags, options: GlobalOptions, format: OutputFormat): void {
  const fleet = filtered(readDist(options.dist, FLEET_WITHOUT_MANAGEMENT), what, flags);
  const data = fleet[what];
  context.io.stdout(format === 'json' ? json(data) : render(fleet, what));
}

/** The fleet with only what `--profile` and `--bundle` select; a name the fleet does not have is a usage error. */
function filtered(fleet: DistFleet, what: ListWhat, flags: ListFlags): DistFleet {
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

function render(fleet: DistFleet, what: ListWhat): string {
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
