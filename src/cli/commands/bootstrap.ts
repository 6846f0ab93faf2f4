import { Command } from 'commander';
import { ArgoNames } from '../../argocd/names';
import { CAPA_CREDENTIALS_VARIABLE, bootstrap, type BootstrapStep } from '../../operations/bootstrap';
import { FLEET_ONLY } from '../../operations/dist-fleet';
import { readManagementPlane } from '../../operations/dist-management';
import { managementSettings } from '../../operations/management-settings';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import {
  outputFormat, parseDuration, repositoryCredentials, withRepositoryCredentialOptions, type CredentialFlags, type GlobalOptions,
} from '../options';
import { json } from '../output';

interface BootstrapFlags extends CredentialFlags {
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
  readonly timeout: string;
  readonly printSettings?: boolean;
}

/** Time between two looks at a component that is not ready; `ARLONCTL_POLL_MS` sets it (tests). */
const DEFAULT_POLL_MS = 5000;

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
      const options = command.optsWithGlobals<GlobalOptions>();
      const plane = readManagementPlane(options.dist);
      if (flags.printSettings) {
        context.io.stdout(managementSettings(plane, options.dist));
        return;
      }
      const format = outputFormat(options.output);
      const timeoutMs = parseDuration('--timeout', flags.timeout);
      const pollMs = context.io.env.ARLONCTL_POLL_MS === undefined ? DEFAULT_POLL_MS : Number(context.io.env.ARLONCTL_POLL_MS);
      const credentials = repositoryCredentials(flags, context.io.env);
      const fleet = context.fleet(options, FLEET_ONLY);
      if (!fleet.bootstrap.some((o) => o.kind === 'Application' && o.metadata.name === ArgoNames.managementRoot(fleet.name))) {
        throw new UsageError(`fleet "${fleet.name}" describes its management plane but does not manage it (\`managementPlane.managed: false\`); `
          + 'set up the management cluster with the settings `arlonctl bootstrap --print-settings` prints, then run `arlonctl deploy`');
      }
      const steps = await context.withClient(options, (client) => {
        context.io.stderr(`${flags.dryRun ? 'dry run: ' : ''}bootstrapping the management plane of fleet "${fleet.name}" on ${client.server} `
          + `(context ${client.context})\n`);
        return bootstrap(client, plane, fleet, {
          dryRun: flags.dryRun,
          forceConflicts: flags.forceConflicts,
          timeoutMs,
          pollMs,
          capaCredentials: context.io.env[CAPA_CREDENTIALS_VARIABLE],
          repositoryCredentials: credentials,
          onProgress: (line) => {
            context.doing(line.trim());
            context.io.stderr(`${line}\n`);
          },
        });
      });
      context.io.stdout(format === 'json' ? json({ dryRun: flags.dryRun === true, steps }) : steps.map((s) => describe(s, flags.dryRun)).join(''));
    });
}

function describe(step: BootstrapStep, dryRun?: boolean): string {
  const changed = step.results.filter((r) => r.action !== 'unchanged');
  const verb = (action: string) => (dryRun ? `would be ${action}` : action);
  return `${step.step}: ${changed.length === 0 ? 'unchanged' : changed.map((r) => `${r.object} ${verb(r.action)}`).join(', ')}\n`;
}
