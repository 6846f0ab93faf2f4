import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_HEADER } from './generated-header';
import { takePidLock } from './pid-lock';
import { unsafeDistPathProblem } from './safe-path';

/**
 * What keeps an output folder whole across crashes and concurrent runs. Three files live beside `outdir` (hidden, and
 * ignored by git), with the render cache of `render-cache.ts`:
 *
 * - the lock `.<name>.arlon-lock`, holding the writer's process id: a second writer fails while the first is alive,
 *   and takes over when it is not;
 * - the staging folders `.<name>.arlon-staging-<pid>`, where a synthesis writes its new and changed files;
 * - the journal `.<name>.arlon-journal.json`, written once everything is staged and before the first file moves: it
 *   lists the moves and removals of the commit. A commit interrupted at any point after it is finished from the
 *   journal (every step is idempotent) before anyone reads or writes the folder again, so a reader sees the old output
 *   or the new one, never a mix. Staging folders without a journal are the leftovers of killed runs, and are removed.
 */
export interface CommitJournal {
  /** The staging folder that holds the new files. */
  readonly staging: string;
  /** Files to move from `staging` into `outdir`, by path inside both. */
  readonly moves: readonly string[];
  /** Generated files of `outdir` to remove. */
  readonly removals: readonly string[];
}

/** The files beside an output folder, and the folder that holds them. */
export interface Sidecars {
  readonly parent: string;
  readonly lock: string;
  readonly journal: string;
  /** What the last synthesis wrote, to skip unchanged files (see `render-cache.ts`). */
  readonly cache: string;
  /** Names of staging folders start with it, then the writer's process id. */
  readonly stagingPrefix: string;
  /** Held by an `arlonctl rollout` command while it reads and writes the rollout state. */
  readonly rolloutLock: string;
}

/** The sidecar paths of an output folder. */
export function sidecars(outdir: string): Sidecars {
  const resolved = path.resolve(outdir);
  const parent = path.dirname(resolved);
  const name = path.basename(resolved);
  return {
    parent,
    lock: path.join(parent, `.${name}.arlon-lock`),
    journal: path.join(parent, `.${name}.arlon-journal.json`),
    cache: path.join(parent, `.${name}.arlon-cache.json`),
    stagingPrefix: `.${name}.arlon-staging-`,
    rolloutLock: path.join(parent, `.${name}.arlon-rollout-lock`),
  };
}

/** Thrown when another live process holds the output folder's lock. */
export class OutputLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputLockedError';
  }
}

/**
 * Takes the lock of `outdir` for this process, finishing a commit a killed run left behind and removing its staging
 * folders; returns the function that releases it.
 */
export function lockOutput(outdir: string): () => void {
  const { lock, parent } = sidecars(outdir);
  fs.mkdirSync(parent, { recursive: true });
  takePidLock(lock, (holder) => new OutputLockedError(`another synthesis (process ${holder}) is writing ${outdir}; wait for it to finish, or, `
    + `if no synthesis is running, remove ${lock}`));
  try {
    recover(outdir);
  } catch (error) {
    fs.rmSync(lock, { force: true });
    throw error;
  }
  return () => fs.rmSync(lock, { force: true });
}

/**
 * Before reading `outdir`: when a write was interrupted (a journal or a lock is left), takes the lock, finishes it,
 * and releases the lock. Fails while another process is writing.
 */
export function settleOutput(outdir: string): void {
  const { lock, journal } = sidecars(outdir);
  if (fs.existsSync(lock) || fs.existsSync(journal)) {
    lockOutput(outdir)();
  }
}

/** Writes the journal of a commit, atomically and durably, before the commit touches `outdir`. */
export function writeJournal(outdir: string, journal: CommitJournal): void {
  const file = sidecars(outdir).journal;
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(journal));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

/**
 * Carries out a commit: every move, then every removal, then drops the journal and the staging folder. Each step can
 * run again after an interruption: a file already moved is no longer in the staging folder, a file already removed
 * is no longer there.
 */
export function applyJournal(outdir: string, journal: CommitJournal, onMove?: (relative: string) => void): void {
  const unsafe = [...journal.moves, ...journal.removals].find((relative) => unsafeDistPathProblem(relative) !== undefined);
  if (unsafe !== undefined) {
    throw new Error(`the journal ${sidecars(outdir).journal} names ${JSON.stringify(unsafe)}, a path outside ${outdir}; it was not written by `
      + 'cdk8s-arlon: remove it, and synthesize again');
  }
  const made = new Set<string>();
  for (const relative of journal.moves) {
    const source = path.join(journal.staging, relative);
    if (!fs.existsSync(source)) {
      continue;
    }
    const target = path.join(outdir, relative);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.renameSync(source, target);
    onMove?.(relative);
  }
  let removed = false;
  for (const relative of journal.removals) {
    const full = path.join(outdir, relative);
    if (fs.existsSync(full) && isGenerated(full)) {
      fs.unlinkSync(full);
      removed = true;
    }
  }
  if (removed && fs.existsSync(outdir)) {
    removeEmptyDirectories(outdir);
  }
  fs.rmSync(sidecars(outdir).journal, { force: true });
  fs.rmSync(journal.staging, { recursive: true, force: true });
}

/** Finishes a journaled commit, and removes staging folders no journal refers to (those of killed runs). */
function recover(outdir: string): void {
  const { journal: journalFile, cache, parent, stagingPrefix } = sidecars(outdir);
  if (fs.existsSync(journalFile)) {
    applyJournal(outdir, JSON.parse(fs.readFileSync(journalFile, 'utf8')) as CommitJournal);
  }
  for (const entry of fs.readdirSync(parent)) {
    const temporary = entry.endsWith('.tmp') && (entry.startsWith(path.basename(journalFile)) || entry.startsWith(path.basename(cache)));
    if (entry.startsWith(stagingPrefix) || temporary) {
      fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

/** Removes directories under `dir` that hold nothing (after stale files went); `dir` itself stays. */
export function removeEmptyDirectories(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const full = path.join(dir, entry.name);
      removeEmptyDirectories(full);
      if (fs.readdirSync(full).length === 0) {
        fs.rmdirSync(full);
      }
    }
  }
}

/** Whether `file` starts with the generated header: only such files are ever removed. */
export function isGenerated(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(GENERATED_HEADER.length);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8') === GENERATED_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}
