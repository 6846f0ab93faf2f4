import type { Command } from 'commander';
import { deploy, type DeployResult } from '../../operations/deploy';
import { FLEET_ONLY, readDist } from '../../operations/dist-fleet';
import type { CommandContext } from '../context';
import { outputFormat, repositoryCredentials, type CredentialFlags, type GlobalOptions } from '../options';
import { json } from '../output';

/** The flags of `deploy`. */
export interface DeployFlags extends CredentialFlags {
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
}

/** Runs `arlonctl deploy` (see `deployCommand`). */
export async function runDeploy(context: CommandContext, flags: DeployFlags, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const format = outputFormat(options.output);
  const credentials = repositoryCredentials(flags, context.io.env);
  const fleet = readDist(options.dist, FLEET_ONLY);
  const results = await context.withClient(options, (client) => {
    context.io.stderr(`${flags.dryRun ? 'dry run: ' : ''}applying ${fleet.bootstrap.length + (credentials ? 1 : 0)} objects of fleet "${fleet.name}" `
      + `to ${client.server} (context ${client.context})\n`);
    return deploy(client, fleet, { dryRun: flags.dryRun, forceConflicts: flags.forceConflicts, credentials });
  });
  context.io.stdout(format === 'json' ? json({ dryRun: flags.dryRun === true, results }) : results.map((r) => describe(r, flags.dryRun)).join(''));
}

function describe(result: DeployResult, dryRun?: boolean): string {
  const action = dryRun ? (result.action === 'unchanged' ? 'unchanged' : `would be ${result.action}`) : result.action;
  const changes = result.action === 'configured' && result.changes.length > 0 ? `: ${result.changes.join(', ')}` : '';
  return `${result.object} ${action}${changes}${dryRun ? ' (server dry run)' : ''}\n`;
}
