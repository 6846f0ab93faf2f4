import { Command } from 'commander';
import type { CheckFlags } from '../actions/check';
import type { CommandContext } from '../context';

/** `arlonctl check`: for CI, is dist/ fresh and is the change safe? */
export function checkCommand(context: CommandContext): Command {
  return new Command('check')
    .description('For CI: fail when dist/ is not what a fresh synth produces (stale, or edited by hand), when the branch the fleet deploys '
      + '(its targetRevision) is not in the repository, or when the plan against --base is blocked. Prints one line per problem.')
    .option('--base <ref>', 'git ref to plan against (in CI, the branch the change merges into)', 'HEAD')
    .option('--app <command>', 'the command that synthesizes the fleet (default: `app` of ./cdk8s.yaml); run with ARLON_OUTDIR (and CDK8S_OUTDIR) set')
    .option('--app-timeout <duration>', 'time allowed for the synth; it is stopped after that (with every process it started)', '10m')
    .option('--allow <rule[=cluster]>', 'let a blocked change through; repeatable (in CI, accept it in arlon.accept.yaml instead: see plan --help)',
      (v: string, p: string[]) => [...p, v], [])
    .addHelpText('after', ['', 'Examples:', '  arlonctl check --base origin/main', '  arlonctl check --app "npx ts-node main.ts" --app-timeout 5m'].join('\n'))
    .action(async (flags: CheckFlags, command: Command) => {
      const { runCheck } = await import('../actions/check');
      await runCheck(context, flags, command);
    });
}
