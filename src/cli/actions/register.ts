import type { Command } from 'commander';
import { CLUSTER_SUMMARY, readDist } from '../../operations/dist-fleet';
import { registerOnce, registerUntilDone, registrationRole, RoleMismatchError, type RegisterOutcome } from '../../operations/register';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { outputFormat, parseDuration, type GlobalOptions } from '../options';
import { json, table } from '../output';

/** The shortest pause between two rounds of `register --watch`. */
const MIN_INTERVAL_MS = 100;

/** The flags of `register`. */
export interface RegisterFlags {
  readonly watch?: boolean;
  readonly timeout: string;
  readonly interval: string;
  readonly roleArn?: string;
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
}

/** Runs `arlonctl register` (see `registerCommand`). */
export async function runRegister(context: CommandContext, flags: RegisterFlags, command: Command): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const format = outputFormat(options.output);
  const timeoutMs = parseDuration('--timeout', flags.timeout);
  // Each round reads every cluster's control plane: a zero interval would hammer the API server.
  const intervalMs = parseDuration('--interval', flags.interval, MIN_INTERVAL_MS, ': each round reads every cluster\'s objects from the API server');
  if (flags.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(flags.roleArn)) {
    throw new UsageError(`--role-arn "${flags.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  }
  const fleet = readDist(options.dist, CLUSTER_SUMMARY);
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
}

function row(outcome: RegisterOutcome): string[] {
  return [outcome.cluster, outcome.state, outcome.reason ?? outcome.server ?? ''];
}
