import { Command } from 'commander';
import type { ListFlags, ListWhat } from '../actions/list';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, type GlobalOptions } from '../options';

const WHAT: readonly ListWhat[] = ['clusters', 'profiles', 'bundles'];

/** `arlonctl list clusters|profiles|bundles`: the fleet as synthesized, from dist/ alone. */
export function listCommand(context: CommandContext): Command {
  return new Command('list')
    .description('List the clusters, profiles or bundles of the fleet, from dist/ alone (no cluster needed).')
    .argument('<what>', `one of: ${WHAT.join(', ')}`)
    .option('--profile <name>', 'only the clusters of this profile, or the bundles it carries')
    .option('--bundle <name>', 'only the clusters that get this bundle')
    .addHelpText('after', ['', 'Examples:', '  arlonctl list clusters', '  arlonctl list clusters --profile prod', '  arlonctl list bundles --output json',
      '  arlonctl list profiles --dist ./dist'].join('\n'))
    .action(async (what: string, flags: ListFlags, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      if (!(WHAT as readonly string[]).includes(what)) {
        throw new UsageError(`cannot list "${what}"; use one of: ${WHAT.join(', ')}`);
      }
      const { runList } = await import('../actions/list');
      runList(context, what as ListWhat, flags, options, format);
    });
}
