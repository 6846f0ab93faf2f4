import * as fs from 'fs';
import type { Command } from 'commander';
import { UsageError } from './errors';
import type { RetryPolicy } from '../kube/retry';
import { DEFAULT_RETRY } from '../kube/retry';
import type { RepositoryCredentials } from '../operations/deploy';

/** Options every command takes. */
export interface GlobalOptions {
  readonly dist: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly output: string;
  readonly requestTimeout: string;
  /** Time allowed for the whole command; when not given, `DEFAULT_DEADLINE` beyond the waits the command was asked for. */
  readonly deadline?: string;
  readonly verbose?: boolean;
}

/** What a command may take when `--deadline` is not given, beyond the waits it was asked for. */
export const DEFAULT_DEADLINE = '10m';

/**
 * The deadline of a command, in milliseconds, and how to name it in a message: `--deadline` as given; otherwise
 * `DEFAULT_DEADLINE` plus the waits the command was asked for (`register --watch --timeout`, `check` and `plan --app-timeout`),
 * so that a long wait on purpose is not cut short.
 */
export function commandDeadline(command: string, options: GlobalOptions & { watch?: boolean; timeout?: string; appTimeout?: string }):
{ ms: number; label: string } {
  if (options.deadline !== undefined) {
    return { ms: parseDuration('--deadline', options.deadline), label: `--deadline ${options.deadline}` };
  }
  let waits = 0;
  let label = `--deadline (default ${DEFAULT_DEADLINE})`;
  if (command === 'register' && options.watch && options.timeout !== undefined) {
    waits = parseDuration('--timeout', options.timeout);
    label = `--deadline (default ${DEFAULT_DEADLINE} beyond --timeout ${options.timeout})`;
  } else if (command === 'bootstrap' && options.timeout !== undefined) {
    waits = parseDuration('--timeout', options.timeout);
    label = `--deadline (default ${DEFAULT_DEADLINE} beyond --timeout ${options.timeout})`;
  } else if ((command === 'check' || command === 'promote' || command === 'plan') && options.appTimeout !== undefined) {
    waits = parseDuration('--app-timeout', options.appTimeout);
    label = `--deadline (default ${DEFAULT_DEADLINE} beyond --app-timeout ${options.appTimeout})`;
  }
  return { ms: parseDuration('--deadline', DEFAULT_DEADLINE) + waits, label };
}

/** Output formats of commands whose output is data. */
export type OutputFormat = 'text' | 'json' | 'markdown';

/** The `--output` of a command that prints `allowed` formats (text and json unless it says more). */
export function outputFormat(value: string, allowed: readonly OutputFormat[] = ['text', 'json']): OutputFormat {
  if (!(allowed as readonly string[]).includes(value)) {
    const choices = allowed.length === 2 ? allowed.join(' or ') : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
    throw new UsageError(`--output "${value}" is not a format${allowed.length > 2 ? ' of this command' : ''}; use ${choices}`);
  }
  return value as OutputFormat;
}

/** Milliseconds of a duration like `90s`, `10m`, `1h` or `45` (seconds). */
export function parseDuration(flag: string, value: string, minMs = 0, why = ''): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (match === null) {
    throw new UsageError(`${flag} "${value}" is not a duration; use e.g. 30s, 10m or 1h`);
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(match[1]) * unit;
  if (ms < minMs || ms === 0) {
    throw new UsageError(`${flag} "${value}" is too short${why}; use at least ${minMs > 0 ? `${minMs}ms` : 'a millisecond'}`);
  }
  return ms;
}

/**
 * Request retries. `ARLONCTL_RETRY_DELAY_MS` sets the first delay (it doubles per attempt), for slow or flaky links
 * and for tests.
 */
export function retryPolicy(env: NodeJS.ProcessEnv): RetryPolicy {
  const base = env.ARLONCTL_RETRY_DELAY_MS === undefined ? DEFAULT_RETRY.baseDelayMs : Number(env.ARLONCTL_RETRY_DELAY_MS);
  if (!Number.isFinite(base) || base < 0) {
    throw new UsageError(`ARLONCTL_RETRY_DELAY_MS "${env.ARLONCTL_RETRY_DELAY_MS}" is not a number of milliseconds`);
  }
  return { ...DEFAULT_RETRY, attempts: 8, baseDelayMs: base };
}

/** Adds the flags of `deploy` and `bootstrap` that take the fleet repository's credentials (see `repositoryCredentials`). */
export function withRepositoryCredentialOptions(command: Command): Command {
  return command
    .option('--repo-username <name>', 'user name for an HTTPS fleet repository (or ARLON_REPO_USERNAME)')
    .option('--repo-password-file <file>', 'file holding the password or token for --repo-username (or ARLON_REPO_PASSWORD)')
    .option('--repo-ssh-key-file <file>', 'file holding an SSH private key for an ssh:// or git@ fleet repository (or ARLON_REPO_SSH_KEY)');
}

/** Flags of `deploy` and `bootstrap` that carry repository credentials. */
export interface CredentialFlags {
  readonly repoUsername?: string;
  readonly repoPasswordFile?: string;
  readonly repoSshKeyFile?: string;
}

/**
 * Repository credentials from flags, the environment (`ARLON_REPO_USERNAME`, `ARLON_REPO_PASSWORD`,
 * `ARLON_REPO_SSH_KEY`) or files. There is no flag for a password itself: command lines are visible to other users.
 */
export function repositoryCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv): RepositoryCredentials | undefined {
  const username = flags.repoUsername ?? env.ARLON_REPO_USERNAME;
  const password = flags.repoPasswordFile !== undefined ? readSecretFile('--repo-password-file', flags.repoPasswordFile).trim() : env.ARLON_REPO_PASSWORD;
  const sshPrivateKey = flags.repoSshKeyFile !== undefined ? readSecretFile('--repo-ssh-key-file', flags.repoSshKeyFile) : env.ARLON_REPO_SSH_KEY;
  if (username === undefined && password === undefined && sshPrivateKey === undefined) {
    return undefined;
  }
  if (sshPrivateKey !== undefined && (username !== undefined || password !== undefined)) {
    throw new UsageError('give the repository either an SSH key or a user name and password, not both');
  }
  if (sshPrivateKey === undefined && (username === undefined || password === undefined)) {
    throw new UsageError('HTTPS repository credentials need both a user name (--repo-username or ARLON_REPO_USERNAME) '
      + 'and a password or token (--repo-password-file or ARLON_REPO_PASSWORD)');
  }
  return { username, password, sshPrivateKey };
}

function readSecretFile(flag: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${flag} ${file} cannot be read; give the path of a file holding only the secret`);
  }
}
