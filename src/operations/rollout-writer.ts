import * as fs from 'fs';
import * as path from 'path';
import { sidecars } from '../output/commit-journal';
import { takePidLock } from '../output/pid-lock';
import { readRolloutState, rolloutStateFile, writeRolloutState, type RolloutState } from '../rollout/rollout-state';

/** Another rollout command holds the lock, or the state changed under this one: nothing was written. */
export class RolloutConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutConflictError';
  }
}

/** The rollout state as a command read it, and the one way to write it back. */
export interface RolloutStateAccess {
  readonly file: string;
  /** The state when the command began (undefined: there is no state file). */
  readonly state: RolloutState | undefined;
  /**
   * Writes `next` unless the file changed since the command read it (a synth, or someone editing it, in between):
   * then it throws and writes nothing. Returns whether the file changed.
   */
  write(next: RolloutState): boolean;
  /** Puts back the text the command read (after a step that failed half-way). */
  restore(): void;
}

/**
 * Runs a rollout command with the fleet's rollout lock held (`.<dist>.arlon-rollout-lock` beside `dist/`): a second
 * `arlonctl rollout` command on the same fleet fails while one runs, naming its process, so two promotes, or a promote
 * and a pause, never both succeed. What it writes is compared with what it read, so a state changed in between by
 * anything else (a synth) is refused too.
 */
export async function withRolloutState<T>(dist: string, work: (access: RolloutStateAccess) => Promise<T> | T): Promise<T> {
  const { rolloutLock } = sidecars(dist);
  const file = rolloutStateFile(dist);
  const release = takePidLock(rolloutLock, (holder) => new RolloutConflictError(`another \`arlonctl rollout\` command (process ${holder}) is changing `
    + `${path.basename(file)}; wait for it to finish and run this one again, or, if none is running, remove ${rolloutLock}`));
  try {
    const read = readText(file);
    const access: RolloutStateAccess = {
      file,
      state: readRolloutState(file),
      write: (next) => {
        if (readText(file) !== read) {
          throw new RolloutConflictError(`${path.basename(file)} changed since this command read it (a synth, or an edit, in between); nothing was `
            + 'written: run the command again');
        }
        return writeRolloutState(file, next);
      },
      restore: () => {
        if (read === undefined) {
          fs.rmSync(file, { force: true });
        } else if (readText(file) !== read) {
          fs.writeFileSync(file, read);
        }
      },
    };
    return await work(access);
  } finally {
    release();
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}
