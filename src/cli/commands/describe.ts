import { Command } from 'commander';
import type { DescribeFlags, DescribeWhat } from '../actions/describe';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, type GlobalOptions } from '../options';

const WHAT: readonly DescribeWhat[] = ['cluster', 'profile', 'bundle'];

/** `arlonctl describe cluster|profile|bundle <name>`: everything dist/ says of one cluster, profile or bundle. */
export function describeCommand(context: CommandContext): Command {
  return new Command('describe')
    .description('Show one cluster, profile or bundle as synthesized, from dist/ alone. A cluster: profiles, labels, region, versions, node pools, '
      + 'bundles and its own values. A profile: its clusters, bundles and rollout waves. A bundle: kind, source, version, namespace, removal policy, '
      + 'profiles, clusters and which of them have values of their own.')
    .argument('<what>', WHAT.join(', ').replace(/, (?=[^,]*$)/, ' or '))
    .argument('<name>', 'its name')
    .option('--trust-policy', 'describe cluster: read the cluster\'s IAM OIDC provider from its control plane on the management cluster, and print '
      + 'the trust policy statement each IRSA role needs for it')
    .addHelpText('after', ['', 'Examples:', '  arlonctl describe cluster prod-euw1', '  arlonctl describe cluster dev-use1 --output json',
      '  arlonctl describe cluster prod-use1 --trust-policy', '  arlonctl describe profile prod', '  arlonctl describe bundle metrics-server -o json'].join('\n'))
    .action(async (what: string, name: string, flags: DescribeFlags, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      if (!(WHAT as readonly string[]).includes(what)) {
        throw new UsageError(`cannot describe "${what}"; use: arlonctl describe cluster|profile|bundle <name>`);
      }
      if (what !== 'cluster' && flags.trustPolicy === true) {
        throw new UsageError('--trust-policy is for clusters; use it with `describe cluster`');
      }
      const { runDescribe } = await import('../actions/describe');
      await runDescribe(context, what as DescribeWhat, name, flags, options, format);
    });
}
