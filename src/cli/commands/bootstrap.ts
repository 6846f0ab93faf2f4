import { Command } from 'commander';
import { CAPA_CREDENTIALS_VARIABLE } from '../../operations/capa-credentials';
import type { BootstrapFlags } from '../actions/bootstrap';
import type { CommandContext } from '../context';
import { withRepositoryCredentialOptions } from '../options';

/** `arlonctl bootstrap`: bring a bare cluster up to the fleet's management plane, then register the fleet. */
export function bootstrapCommand(context: CommandContext): Command {
  return withRepositoryCredentialOptions(new Command('bootstrap')
    .description('Install the fleet\'s management plane (dist/management: Argo CD, cert-manager, cluster-api-operator, Cluster API and CAPA '
      + 'with the gates the fleet needs) on a Kubernetes cluster, in order, waiting for each to be ready, then register the fleet with '
      + 'Argo CD (as deploy does). Server-side apply: a second run changes nothing, an interrupted run resumes. Never deletes anything.')
    .option('--dry-run', 'server-side dry run: show what would change, store nothing, wait for nothing')
    .option('--timeout <duration>', 'time allowed for all the waits together', '30m')
    .option('--print-settings', 'print the settings a management cluster run by hand must have for this fleet, and stop')
    .option('--force-conflicts', 'take over fields another field manager owns, instead of stopping at the conflict'))
    .addHelpText('after', [
      '',
      `CAPA's AWS credentials come from ${CAPA_CREDENTIALS_VARIABLE} (clusterawsadm bootstrap credentials encode-as-profile); they go`,
      'into a Secret on the cluster, never into dist/. Run the AWS step first (see --print-settings).',
      '',
      'Examples:',
      '  arlonctl bootstrap --print-settings',
      '  arlonctl bootstrap --context kind-mgmt --dry-run',
      `  ${CAPA_CREDENTIALS_VARIABLE}=$(clusterawsadm bootstrap credentials encode-as-profile) arlonctl bootstrap --context kind-mgmt`,
    ].join('\n'))
    .action(async (flags: BootstrapFlags, command: Command) => {
      const { runBootstrap } = await import('../actions/bootstrap');
      await runBootstrap(context, flags, command);
    });
}
