/** A command line that cannot be run as given (exit status 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Refuses a name of `kind` (cluster, profile, bundle) the fleet does not have, listing those it has. */
export function requireKnownName(kind: string, name: string, names: readonly string[]): void {
  if (!names.includes(name)) {
    throw new UsageError(`the fleet has no ${kind} "${name}"; its ${kind}s: ${names.join(', ') || 'none'}`);
  }
}

/** The command did not finish within its `--deadline` and was stopped (exit status 1). */
export class DeadlineError extends Error {
  constructor(
    /** `arlonctl status` */
    public readonly command: string,
    /** How the deadline was set, e.g. `--deadline 2m`. */
    public readonly deadline: string,
    /** What the command was waiting for when it was stopped. */
    public readonly activity: string,
  ) {
    super(`${command} did not finish within ${deadline} and was stopped while ${activity}; find out why that takes so long, `
      + 'or allow more time with --deadline <duration>');
    this.name = 'DeadlineError';
  }
}

/** Exit statuses: 0 success, 1 failure, 2 usage error. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/**
 * The message and exit status of an error of the command itself (a usage error, the deadline), unredacted; undefined
 * for any other error, which `describeError` (error-messages.ts) describes.
 */
export function describeCommandError(error: unknown): { message: string; exitCode: number } | undefined {
  if (error instanceof UsageError) {
    return { message: error.message, exitCode: EXIT.USAGE };
  }
  if (error instanceof DeadlineError) {
    return { message: error.message, exitCode: EXIT.FAILURE };
  }
  return undefined;
}

/** Where the command was talking to, for messages about the management cluster. */
export interface Target {
  readonly server: string;
  readonly context: string;
}
