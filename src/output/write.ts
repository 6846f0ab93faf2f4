import * as fs from 'fs';
import * as path from 'path';
import { applyJournal, isGenerated, lockOutput, sidecars, writeJournal } from './commit-journal';
import type { RenderSink } from './render';
import { RenderCache } from './render-cache';
import { unsafeDistPathProblem } from './safe-path';

/** What a write did to the output directory. */
export interface WriteReport {
  /** Files created or changed. */
  readonly written: number;
  /** Files left as they were because their content did not change (their mtime is kept). */
  readonly unchanged: number;
  /** Of the unchanged files, those known unchanged from the render cache, without rendering or reading them. */
  readonly cached: number;
  /** Generated files removed because nothing produces them any more. */
  readonly removed: number;
  /** Bytes of the files written. */
  readonly bytesWritten: number;
}

/** Options of a `StagedWriter`. */
export interface StagedWriterOptions {
  /** Called after each file moved into place by a commit (tests use it to kill the process mid-commit). */
  readonly onMove?: (relative: string) => void;
}

/**
 * Writes a synthesis into `outdir` without ever leaving it half-written:
 *
 * - the writer takes the folder's lock first: a second synthesis into the same folder fails while this one runs, and
 *   a commit a killed run left half done is finished (see `commit-journal.ts`);
 * - `add()` takes one file at a time, so a fleet's output is never held in memory at once. A file whose content did
 *   not change is left alone (its mtime is kept); a new or changed one goes into a hidden staging folder beside
 *   `outdir`. A file whose render key the render cache holds for it, untouched since, is not even rendered (see
 *   `render-cache.ts`);
 * - `commit()` moves the staged files into place: one rename when `outdir` was empty; otherwise it writes a journal of
 *   the moves and removals first, so that a crash at any point is finished by the next run or reader (a reader sees
 *   the old output or the new one, never a mix), then moves each file (a reader never sees half a file) and removes
 *   generated files nothing produces any more;
 * - `abort()`, when the synthesis fails, drops the staging folder: `outdir` is exactly as it was.
 *
 * Files without the generated header are never removed, so pointing `outdir` at the wrong folder cannot delete
 * hand-written work.
 */
export class StagedWriter implements RenderSink {
  private readonly existing: ReadonlySet<string>;
  private readonly cache: RenderCache;
  private readonly staging: string;
  private readonly staged: string[] = [];
  private readonly seen = new Set<string>();
  private readonly createdDirs = new Set<string>();
  private readonly release: () => void;
  private unchanged = 0;
  private cached = 0;
  private bytesWritten = 0;
  /** Set once the commit's journal is written: from then on the commit is finished, now or by the next run. */
  private journaled = false;

  constructor(private readonly outdir: string, private readonly options: StagedWriterOptions = {}) {
    // Fails while another live process writes the folder; finishes what a killed one left half done.
    const unlock = lockOutput(outdir);
    let locked = true;
    this.release = () => {
      if (locked) {
        locked = false;
        unlock();
      }
    };
    this.existing = listFiles(outdir);
    this.cache = RenderCache.load(outdir);
    this.staging = path.join(sidecars(outdir).parent, `${sidecars(outdir).stagingPrefix}${process.pid}`);
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /** Whether `relative` was added already (two objects would write the same file). */
  public has(relative: string): boolean {
    return this.seen.has(relative);
  }

  /**
   * Takes one file, by path inside `outdir` ('/' separated): the function that gives its render key (undefined when
   * it has none), and the function that renders its content, called unless the render cache knows the file unchanged.
   */
  public add(relative: string, keyOf: () => string | undefined, render: () => string): void {
    const unsafe = unsafeDistPathProblem(relative);
    if (unsafe !== undefined) {
      throw new Error(`refusing to write ${JSON.stringify(relative)}, which ${unsafe}: it could land outside ${this.outdir}`);
    }
    this.seen.add(relative);
    const key = keyOf();
    if (key !== undefined && this.existing.has(relative) && this.cache.isCurrent(relative, key)) {
      this.unchanged++;
      this.cached++;
      return;
    }
    const content = render();
    this.put(relative, content);
    if (key !== undefined) {
      this.cache.remember(relative, key, content);
    }
  }

  /** Takes the content of one file, by path inside `outdir` ('/' separated). */
  public addContent(relative: string, content: string): void {
    this.add(relative, () => undefined, () => content);
  }

  private put(relative: string, content: string): void {
    if (this.existing.has(relative) && fs.readFileSync(path.join(this.outdir, relative), 'utf8') === content) {
      this.unchanged++;
      return;
    }
    const target = path.join(this.staging, relative);
    this.ensureDir(path.dirname(target));
    fs.writeFileSync(target, content);
    this.staged.push(relative);
    this.bytesWritten += Buffer.byteLength(content);
  }

  /**
   * Moves the staged files into `outdir` and removes stale generated files. Into an empty folder, the staging folder
   * is renamed into place at once; otherwise the moves and removals are journaled first (see `commit-journal.ts`).
   */
  public commit(): WriteReport {
    try {
      const removals = [...this.existing]
        .filter((relative) => !this.seen.has(relative) && relative.endsWith('.yaml') && isGenerated(path.join(this.outdir, relative)));
      if (this.existing.size === 0) {
        if (this.staged.length === 0) {
          fs.mkdirSync(this.outdir, { recursive: true });
        } else {
          fs.rmSync(this.outdir, { recursive: true, force: true });
          fs.renameSync(this.staging, this.outdir);
        }
      } else {
        const journal = { staging: this.staging, moves: this.staged, removals };
        writeJournal(this.outdir, journal);
        this.journaled = true;
        applyJournal(this.outdir, journal, this.options.onMove);
      }
      this.cache.save();
      const { unchanged, cached, bytesWritten } = this;
      return { written: this.staged.length, unchanged, cached, removed: removals.length, bytesWritten };
    } finally {
      if (this.staged.length === 0 || !this.journaled) {
        fs.rmSync(this.staging, { recursive: true, force: true });
      }
      this.release();
    }
  }

  /**
   * Drops everything staged; `outdir` stays exactly as it was. A commit that failed after its journal was written is
   * left to the journal: the next run (or reader) finishes it.
   */
  public abort(): void {
    if (!this.journaled) {
      fs.rmSync(this.staging, { recursive: true, force: true });
    }
    this.release();
  }

  private ensureDir(dir: string): void {
    if (!this.createdDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.createdDirs.add(dir);
    }
  }
}

/** Brings `outdir` to exactly what `fill` adds to the writer; when `fill` or the commit throws, nothing is left staged. */
export function writeStaged(outdir: string, fill: (writer: StagedWriter) => void): WriteReport {
  const writer = new StagedWriter(outdir);
  try {
    fill(writer);
    return writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** Brings `outdir` to exactly `files` (see `StagedWriter`). */
export function writeFiles(outdir: string, files: ReadonlyMap<string, string>): WriteReport {
  return writeStaged(outdir, (writer) => {
    for (const [relative, content] of files) {
      writer.addContent(relative, content);
    }
  });
}

/** Relative paths ('/' separated) of the files under `dir`; empty when it does not exist. */
function listFiles(dir: string): Set<string> {
  const found = new Set<string>();
  if (!fs.existsSync(dir)) {
    return found;
  }
  const walk = (current: string, prefix: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        walk(path.join(current, entry.name), `${prefix}${entry.name}/`);
      } else if (entry.isFile()) {
        found.add(`${prefix}${entry.name}`);
      }
    }
  };
  walk(dir, '');
  return found;
}
