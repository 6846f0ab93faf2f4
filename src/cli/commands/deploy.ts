import { Command } from 'commander';
import type { DeployFlags } from '../actions/deploy';
import type { CommandContext } from '../context';
import { withRepositoryCredentialOptions } from '../options';

/** `arlonctl deploy`: register the fleet with Argo CD (the bootstrap objects of dist/fleet). */
export function deployCommand(context: CommandContext): Command {
  return withRepositoryCredentialOptions(new Command('deploy')
    .description('Register the fleet with Argo CD: server-side apply its AppProject and root Application (dist/fleet), '
      + 'and the repository credentials when given. Applying again changes nothing; nothing is ever deleted.')
    .option('--dry-run', 'server-side dry run: show what would change and store nothing')
    .option('--force-conflicts', 'take over fields another field manager owns, instead of stopping at the conflict'))
    .addHelpText('after', [
      '',
      'Examples:',
      '  arlonctl deploy --dry-run',
      '  arlonctl deploy --context mgmt',
      '  ARLON_REPO_PASSWORD=$(cat token) arlonctl deploy --repo-username ci-bot',
      '  arlonctl deploy --repo-ssh-key-file ~/.ssh/fleet-deploy-key',
    ].join('\n'))
    .action(async (flags: DeployFlags, command: Command) => {
      const { runDeploy } = await import('../actions/deploy');
      await runDeploy(context, flags, command);
    });
}
