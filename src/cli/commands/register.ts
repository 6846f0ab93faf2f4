import { Command } from 'commander';
import type { RegisterFlags } from '../actions/register';
import type { CommandContext } from '../context';

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
      const { runRegister } = await import('../actions/register');
      await runRegister(context, flags, command);
    });
}
