import { Command } from 'commander';
import { deploy, type DeployResult } from '../../operations/deploy';
import { FLEET_ONLY } from '../../operations/dist-fleet';
import type { CommandContext } from '../context';
import { outputFormat, repositoryCredentials, withRepositoryCredentialOptions, type CredentialFlags, type GlobalOptions } from '../options';
import { json } from '../output';

interface DeployFlags extends CredentialFlags {
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
}

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
      const options = command.optsWithGlobals<GlobalOptions>();
      const format = outputFormat(options.output);
      const credentials = repositoryCredentials(flags, context.io.env);
      const fleet = context.fleet(options, FLEET_ONLY);
      const results = await context.withClient(options, (client) => {
        context.io.stderr(`${flags.dryRun ? 'dry run: ' : ''}applying ${fleet.bootstrap.length + (credentials ? 1 : 0)} objects of fleet "${fleet.name}" `
          + `to ${client.server} (context ${client.context})\n`);
        return deploy(client, fleet, { dryRun: flags.dryRun, forceConflicts: flags.forceConflicts, credentials });
      });
      context.io.stdout(format === 'json' ? json({ dryRun: flags.dryRun === true, results }) : results.map((r) => describe(r, flags.dryRun)).join(''));
    });
}

function describe(result: DeployResult, dryRun?: boolean): string {
  const action = dryRun ? (result.action === 'unchanged' ? 'unchanged' : `would be ${result.action}`) : result.action;
  const changes = result.action === 'configured' && result.changes.length > 0 ? `: ${result.changes.join(', ')}` : '';
  return `${result.object} ${action}${changes}${dryRun ? ' (server dry run)' : ''}\n`;
}
