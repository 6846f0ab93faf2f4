import { Command } from 'commander';
import { CLUSTER_SUMMARY } from '../../operations/dist-fleet';
import { registerOnce, registerUntilDone, registrationRole, RoleMismatchError, type RegisterOutcome } from '../../operations/register';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, parseDuration, type GlobalOptions } from '../options';
import { json, table } from '../output';

/** The shortest pause between two rounds of `register --watch`. */
const MIN_INTERVAL_MS = 100;

interface RegisterFlags {
  readonly watch?: boolean;
  readonly timeout: string;
  readonly interval: string;
  readonly roleArn?: string;
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
}

/** `arlonctl register`: register the fleet's workload clusters in Argo CD as their control planes become ready. */
export function registerCommand(context: CommandContext): Command {
  return new Command('register')
    .description('Register every fleet cluster whose control plane is ready as an Argo CD cluster (a Secret <fleet>-cluster-<name>, '
      + 'labelled with the fleet, the cluster and its profiles, using EKS IAM authentication); label the Argo CD Secrets of external '
      + 'clusters the same way; remove the Secrets of retired clusters. Clusters not ready yet are skipped and listed; a cluster whose '
      + 'API server is the management cluster\'s (the kubeconfig\'s server, Argo CD\'s in-cluster address, management.apiServerUrls) is refused.')
    .option('--watch', 'keep going until every cluster is registered or --timeout passes')
    .option('--timeout <duration>', 'with --watch: how long to wait in all', '30m')
    .option('--interval <duration>', 'with --watch: time between rounds', '30s')
    .option('--role-arn <arn>', 'check that Argo CD\'s IAM role is this one (the role comes from the Fleet\'s management.argoCdRoleArn in dist/)')
    .option('--dry-run', 'server-side dry run: store nothing')
    .option('--force-conflicts', 'take over fields another field manager owns')
    .addHelpText('after', [
      '',
      'Examples:',
      '  arlonctl register',
      '  arlonctl register --watch --timeout 45m',
      '',
      'Argo CD authenticates with the IAM role the Fleet names (management.argoCdRoleArn), which every control plane',
      'admits through an EKS access entry.',
    ].join('\n'))
    .action(async (flags: RegisterFlags, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      const timeoutMs = parseDuration('--timeout', flags.timeout);
      // Each round reads every cluster's control plane: a zero interval would hammer the API server.
      const intervalMs = parseDuration('--interval', flags.interval, MIN_INTERVAL_MS, ': each round reads every cluster\'s objects from the API server');
      if (flags.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(flags.roleArn)) {
        throw new UsageError(`--role-arn "${flags.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
      }
      const fleet = context.fleet(options, CLUSTER_SUMMARY);
      try {
        registrationRole(fleet, flags.roleArn);
      } catch (e) {
        throw e instanceof RoleMismatchError ? new UsageError(e.message) : e;
      }
      const settings = { roleArn: flags.roleArn, dryRun: flags.dryRun, forceConflicts: flags.forceConflicts };
      const outcomes = await context.withClient(options, (client) => (flags.watch
        ? registerUntilDone(client, fleet, { ...settings, timeoutMs, intervalMs, onProgress: (line) => context.io.stderr(`${line}\n`) })
        : registerOnce(client, fleet, settings)));
      context.io.stdout(format === 'json' ? json(outcomes) : table(['CLUSTER', 'STATE', 'DETAIL'], outcomes.map(row)));
      const refused = outcomes.filter((o) => o.state === 'refused');
      if (refused.length > 0) {
        throw new Error(`${refused.length} cluster(s) refused: ${refused.map((r) => `${r.cluster}: ${r.reason}`).join('; ')}`);
      }
      const pending = outcomes.filter((o) => o.state === 'pending');
      if (pending.length > 0 && flags.watch) {
        throw new Error(`timed out after ${flags.timeout} with ${pending.length} cluster(s) not registered: ${pending.map((p) => p.cluster).join(', ')}`);
      }
      if (pending.length > 0) {
        context.io.stderr(`${pending.length} cluster(s) not ready yet; run register again later, or with --watch\n`);
      }
    });
}

function row(outcome: RegisterOutcome): string[] {
  return [outcome.cluster, outcome.state, outcome.reason ?? outcome.server ?? ''];
}
