import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_HEADER } from './render';

/** What a write did to the output directory. */
export interface WriteReport {
  /** Files created or changed. */
  readonly written: number;
  /** Files left as they were because their content did not change (their mtime is kept). */
  readonly unchanged: number;
  /** Generated files removed because nothing produces them any more. */
  readonly removed: number;
}

/**
 * Brings `outdir` to exactly `files`: writes only new or changed files (each through a temporary file and a rename,
 * so a reader never sees half a file), and removes generated files nothing produces any more. Files without the
 * generated header are never touched, so pointing `outdir` at the wrong folder cannot delete hand-written work.
 *
 * All content is rendered before this is called, so a synth that fails on bad input never reaches the disk.
 */
export function writeFiles(outdir: string, files: ReadonlyMap<string, string>): WriteReport {
  let written = 0;
  let unchanged = 0;
  for (const [relative, content] of files) {
    const target = path.join(outdir, relative);
    if (readIfExists(target) === content) {
      unchanged++;
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, target);
    written++;
  }
  const removed = removeStale(outdir, new Set([...files.keys()].map((relative) => path.join(outdir, relative))));
  return { written, unchanged, removed };
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

/** Removes generated files under `dir` that are not in `keep`, then any directory left empty. Returns the count. */
function removeStale(dir: string, keep: ReadonlySet<string>): number {
  let removed = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return 0;
    }
    throw e;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += removeStale(full, keep);
      if (fs.readdirSync(full).length === 0) {
        fs.rmdirSync(full);
      }
    } else if (entry.isFile() && !keep.has(full) && entry.name.endsWith('.yaml') && isGenerated(full)) {
      fs.unlinkSync(full);
      removed++;
    }
  }
  return removed;
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
