import type { Command } from 'commander';
import { CLUSTER_SUMMARY, readDist } from '../../operations/dist-fleet';
import { fleetStatus, type ClusterStatus } from '../../operations/status';
import type { CommandContext } from '../context';
import { outputFormat, type GlobalOptions } from '../options';
import { json, table } from '../output';

/** Runs `arlonctl status` (see `statusCommand`). */
export async function runStatus(context: CommandContext, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const format = outputFormat(options.output);
  const fleet = readDist(options.dist, CLUSTER_SUMMARY);
  const rows = await context.withClient(options, (client) => fleetStatus(client, fleet));
  context.io.stdout(format === 'json' ? json(rows) : table(
    ['CLUSTER', 'PROFILES', 'VERSION (DESIRED/ACTUAL)', 'PHASE', 'CONTROL PLANE', 'REGISTERED', 'BUNDLES (SYNCED/HEALTHY/EXPECTED)'],
    rows.map(row),
  ));
  for (const status of rows.filter((r) => r.problem !== undefined)) {
    context.io.stderr(`${status.cluster}: ${status.problem}\n`);
  }
}

function row(status: ClusterStatus): string[] {
  const version = status.external ? '(external)' : `${status.desiredVersion ?? '-'}/${status.actualVersion ?? '-'}`;
  return [
    status.cluster,
    status.profiles.join(',') || '-',
    version,
    status.external ? '-' : status.phase ?? 'not created',
    status.external ? '-' : status.controlPlaneReady ? 'ready' : 'not ready',
    status.problem !== undefined ? 'MANAGEMENT CLUSTER' : status.registered ? 'yes' : 'no',
    `${status.bundles.synced}/${status.bundles.healthy}/${status.bundles.expected}`,
  ];
}
