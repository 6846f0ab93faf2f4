import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_HEADER } from './render';
import { unsafeDistPathProblem } from './safe-path';

/** What a write did to the output directory. */
export interface WriteReport {
  /** Files created or changed. */
  readonly written: number;
  /** Files left as they were because their content did not change (their mtime is kept). */
  readonly unchanged: number;
  /** Generated files removed because nothing produces them any more. */
  readonly removed: number;
  /** Bytes of the files written. */
  readonly bytesWritten: number;
}

/**
 * Writes a synthesis into `outdir` without ever leaving it half-written:
 *
 * - `add()` takes one rendered file at a time, so a fleet's output is never held in memory at once. A file whose
 *   content did not change is left alone (its mtime is kept); a new or changed one goes into a hidden staging folder
 *   beside `outdir`.
 * - `commit()` moves the staged files into place (one rename when `outdir` was empty, one rename per file otherwise,
 *   so a reader never sees half a file) and removes generated files nothing produces any more.
 * - `abort()`, when the synthesis fails, drops the staging folder: `outdir` is exactly as it was.
 *
 * Files without the generated header are never removed, so pointing `outdir` at the wrong folder cannot delete
 * hand-written work.
 */
export class StagedWriter {
  private readonly existing: ReadonlySet<string>;
  private readonly staging: string;
  private readonly staged: string[] = [];
  private readonly seen = new Set<string>();
  private readonly createdDirs = new Set<string>();
  private unchanged = 0;
  private bytesWritten = 0;

  constructor(private readonly outdir: string) {
    this.existing = listFiles(outdir);
    const resolved = path.resolve(outdir);
    this.staging = path.join(path.dirname(resolved), `.${path.basename(resolved)}.arlon-staging-${process.pid}`);
    fs.rmSync(this.staging, { recursive: true, force: true });
  }

  /** Whether `relative` was added already (two objects would write the same file). */
  public has(relative: string): boolean {
    return this.seen.has(relative);
  }

  /** Takes the content of one file, by path inside `outdir` ('/' separated). */
  public add(relative: string, content: string): void {
    const unsafe = unsafeDistPathProblem(relative);
    if (unsafe !== undefined) {
      throw new Error(`refusing to write ${JSON.stringify(relative)}, which ${unsafe}: it could land outside ${this.outdir}`);
    }
    this.seen.add(relative);
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

  /** Moves the staged files into `outdir` and removes stale generated files. */
  public commit(): WriteReport {
    if (this.existing.size === 0) {
      if (this.staged.length === 0) {
        fs.mkdirSync(this.outdir, { recursive: true });
      } else {
        fs.rmSync(this.outdir, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(path.resolve(this.outdir)), { recursive: true });
        fs.renameSync(this.staging, this.outdir);
      }
    } else {
      for (const relative of this.staged) {
        const target = path.join(this.outdir, relative);
        this.ensureDir(path.dirname(target));
        fs.renameSync(path.join(this.staging, relative), target);
      }
      fs.rmSync(this.staging, { recursive: true, force: true });
    }
    let removed = 0;
    for (const relative of this.existing) {
      const full = path.join(this.outdir, relative);
      if (!this.seen.has(relative) && relative.endsWith('.yaml') && isGenerated(full)) {
        fs.unlinkSync(full);
        removed++;
      }
    }
    if (removed > 0) {
      removeEmptyDirectories(this.outdir);
    }
    return { written: this.staged.length, unchanged: this.unchanged, removed, bytesWritten: this.bytesWritten };
  }

  /** Drops everything staged; `outdir` stays exactly as it was. */
  public abort(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
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
      writer.add(relative, content);
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

/** Removes directories under `dir` that hold nothing (after stale files went); `dir` itself stays. */
function removeEmptyDirectories(dir: string): void {
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

function isGenerated(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(GENERATED_HEADER.length);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8') === GENERATED_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}
