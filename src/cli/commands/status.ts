import { Command } from 'commander';
import type { CommandContext } from '../context';

/** `arlonctl status`: one row per cluster, desired (dist/) against actual (management cluster). */
export function statusCommand(context: CommandContext): Command {
  return new Command('status')
    .description('Show every cluster of the fleet: profiles, desired and actual Kubernetes version, Cluster API phase, '
      + 'control plane readiness, registration in Argo CD, and its bundle Applications synced and healthy.')
    .addHelpText('after', ['', 'Examples:', '  arlonctl status', '  arlonctl status --output json --context mgmt'].join('\n'))
    .action(async (_flags: unknown, command: Command) => {
      const { runStatus } = await import('../actions/status');
      await runStatus(context, command);
    });
}
