import type { Command } from 'commander';
import { ArgoNames } from '../../argocd/names';
import { bootstrap, type BootstrapStep } from '../../operations/bootstrap';
import { CAPA_CREDENTIALS_VARIABLE } from '../../operations/capa-credentials';
import { FLEET_ONLY, readDist } from '../../operations/dist-fleet';
import { readManagementPlane } from '../../operations/dist-management';
import { managementSettings } from '../../operations/management-settings';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import {
  outputFormat, parseDuration, repositoryCredentials, type CredentialFlags, type GlobalOptions,
} from '../options';
import { json } from '../output';

/** The flags of `bootstrap`. */
export interface BootstrapFlags extends CredentialFlags {
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
  readonly timeout: string;
  readonly printSettings?: boolean;
}

/** Time between two looks at a component that is not ready; `ARLONCTL_POLL_MS` sets it (tests). */
const DEFAULT_POLL_MS = 5000;

/** Runs `arlonctl bootstrap` (see `bootstrapCommand`). */
export async function runBootstrap(context: CommandContext, flags: BootstrapFlags, command: Command): Promise<void> {
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
  const fleet = readDist(options.dist, FLEET_ONLY);
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
}

function describe(step: BootstrapStep, dryRun?: boolean): string {
  const changed = step.results.filter((r) => r.action !== 'unchanged');
  const verb = (action: string) => (dryRun ? `would be ${action}` : action);
  return `${step.step}: ${changed.length === 0 ? 'unchanged' : changed.map((r) => `${r.object} ${verb(r.action)}`).join(', ')}\n`;
}
