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
  /** Bytes of the files written. */
  readonly bytesWritten: number;
}

/**
 * Brings `outdir` to exactly `files`: writes only new or changed files, and removes generated files nothing produces
 * any more. A changed file is replaced through a temporary file and a rename, so a reader never sees half of it.
 * Files without the generated header are never touched, so pointing `outdir` at the wrong folder cannot delete
 * hand-written work.
 *
 * All content is rendered before this is called, so a synth that fails on bad input never reaches the disk. The
 * existing tree is listed once up front; looking each file up instead would cost an exception per new file.
 */
export function writeFiles(outdir: string, files: ReadonlyMap<string, string>): WriteReport {
  const existing = listFiles(outdir);
  const createdDirs = new Set<string>();
  let written = 0;
  let unchanged = 0;
  let bytesWritten = 0;
  for (const [relative, content] of files) {
    const target = path.join(outdir, relative);
    if (existing.has(relative)) {
      if (fs.readFileSync(target, 'utf8') === content) {
        unchanged++;
        continue;
      }
      const temporary = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, content);
      fs.renameSync(temporary, target);
    } else {
      const dir = path.dirname(target);
      if (!createdDirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        createdDirs.add(dir);
      }
      fs.writeFileSync(target, content);
    }
    written++;
    bytesWritten += Buffer.byteLength(content);
  }
  let removed = 0;
  for (const relative of existing) {
    const full = path.join(outdir, relative);
    if (!files.has(relative) && relative.endsWith('.yaml') && isGenerated(full)) {
      fs.unlinkSync(full);
      removed++;
    }
  }
  if (removed > 0) {
    removeEmptyDirectories(outdir);
  }
  return { written, unchanged, removed, bytesWritten };
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
