import { Command } from 'commander';
import { CLUSTER_SUMMARY } from '../../operations/dist-fleet';
import { fleetStatus, type ClusterStatus } from '../../operations/status';
import type { CommandContext } from '../context';
import { outputFormat, type GlobalOptions } from '../options';
import { json, table } from '../output';

/** `arlonctl status`: one row per cluster, desired (dist/) against actual (management cluster). */
export function statusCommand(context: CommandContext): Command {
  return new Command('status')
    .description('Show every cluster of the fleet: profiles, desired and actual Kubernetes version, Cluster API phase, '
      + 'control plane readiness, registration in Argo CD, and its bundle Applications synced and healthy.')
    .addHelpText('after', ['', 'Examples:', '  arlonctl status', '  arlonctl status --output json --context mgmt'].join('\n'))
    .action(async (_flags: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      const fleet = context.fleet(options, CLUSTER_SUMMARY);
      const rows = await context.withClient(options, (client) => fleetStatus(client, fleet));
      context.io.stdout(format === 'json' ? json(rows) : table(
        ['CLUSTER', 'PROFILES', 'VERSION (DESIRED/ACTUAL)', 'PHASE', 'CONTROL PLANE', 'REGISTERED', 'BUNDLES (SYNCED/HEALTHY/EXPECTED)'],
        rows.map(row),
      ));
      for (const status of rows.filter((r) => r.problem !== undefined)) {
        context.io.stderr(`${status.cluster}: ${status.problem}\n`);
      }
    });
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
