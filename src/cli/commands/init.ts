import { Command } from 'commander';
import type { InitFlags } from '../actions/init';
import type { CommandContext } from '../context';

/** `arlonctl init`: writes a fleet repository managed by projen into the current folder. */
export function initCommand(context: CommandContext): Command {
  return new Command('init')
    .description('Write a fleet repository managed by projen into the current folder: .projenrc.ts, the fleet program, a jest test, '
      + 'and (after `npm install && npx projen`) the synth task, cdk8s.yaml and a CI workflow that runs arlonctl check and publishes the plan.')
    .requiredOption('--name <fleet>', 'the fleet\'s name (a DNS label, e.g. acme)')
    .requiredOption('--repo-url <url>', 'the git repository Argo CD pulls dist/ from (this repository)')
    .option('--branch <name>', 'the branch Argo CD follows and pull requests target', 'main')
    .option('--library <spec>', 'how to depend on cdk8s-arlon: a version range from your registry, a git URL, or a tarball (copied into vendor/, '
      + 'where CI finds it); default: as package.json has it, else ^<this version>')
    .addHelpText('after', ['', 'Examples:', '  npm install --save-exact cdk8s-arlon@1.2.0 && npx arlonctl init --name acme --repo-url https://github.com/acme/fleet.git',
      '  npm install && npx projen && npx projen synth && npx projen test:update'].join('\n'))
    .action(async (flags: InitFlags) => {
      const { runInit } = await import('../actions/init');
      runInit(context, flags);
    });
}
