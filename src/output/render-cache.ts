import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { sidecars } from './commit-journal';

/**
 * What the cache holds of one file: its render key, its size and modification time once written, and the digest of
 * the content the synthesis wrote (see `contentDigest`).
 */
type Entry = readonly [key: string, size: number, mtimeMs: number, digest: string];

/** Format 2 added the digest; a cache of format 1 is ignored (every file is rendered and compared once). */
const FORMAT = 2;

interface CacheFile {
  readonly format: typeof FORMAT;
  readonly files: Record<string, Entry>;
}

/** The digest the cache records of a file's content: SHA-256, hex. */
export function contentDigest(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * What the last synthesis into `outdir` wrote, by file ('/' separated, inside `outdir`): the digest of each file's
 * content, from the cache beside it; undefined when there is no cache of this format (a fresh clone, CI, or a folder
 * never synthesized here). A file of `outdir` whose content has another digest was changed after the synthesis wrote
 * it: by hand, or by git.
 */
export function lastWritten(outdir: string): ReadonlyMap<string, string> | undefined {
  const files = readCache(sidecars(outdir).cache);
  return files === undefined ? undefined : new Map([...files].map(([file, entry]) => [file, entry[3]]));
}

function readCache(file: string): Map<string, Entry> | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    if (parsed.format === FORMAT && parsed.files !== null && typeof parsed.files === 'object') {
      return new Map(Object.entries(parsed.files));
    }
  } catch {
    // none yet, or unreadable
  }
  return undefined;
}

/**
 * What the last synthesis wrote into an output folder, kept beside it (`.<name>.arlon-cache.json`, ignored by git):
 * for each file, the render key of its content (see `render-key.ts`), the size and modification time the file had
 * once written, and the digest of that content (`lastWritten`: how `plan` and `check` tell a hand edit from a stale file). A file whose key is unchanged and which nobody touched since (same size and time, as git's index
 * checks it) is left alone without being rendered or read: a re-synth costs in proportion to what changed.
 *
 * The cache only ever saves work: a missing, unreadable or outdated cache, or a file changed by hand or by git, means
 * the file is rendered and compared by content as before. It is written only after a commit succeeded, while the
 * folder's lock is held. `arlonctl check` never uses it: it synthesizes into a fresh folder.
 */
export class RenderCache {
  /** The cache of `outdir`, empty when there is none or it cannot be read. */
  public static load(outdir: string): RenderCache {
    const file = sidecars(outdir).cache;
    // none yet, unreadable or of another format: every file is rendered and compared by content
    return new RenderCache(outdir, file, readCache(file) ?? new Map());
  }

  private readonly current = new Map<string, Entry>();
  private readonly pending: Array<[relative: string, key: string, digest: string]> = [];

  private constructor(private readonly outdir: string, private readonly file: string, private readonly previous: ReadonlyMap<string, Entry>) {}

  /** Whether `relative` holds what `key` renders to: the same key as when it was written, and untouched since. */
  public isCurrent(relative: string, key: string): boolean {
    const entry = this.previous.get(relative);
    if (entry === undefined || entry[0] !== key) {
      return false;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(this.outdir, relative));
    } catch {
      return false;
    }
    if (stat.size !== entry[1] || stat.mtimeMs !== entry[2]) {
      return false;
    }
    this.current.set(relative, entry);
    return true;
  }

  /** Records that `relative` holds (or will hold once committed) what `key` renders to, `content`. */
  public remember(relative: string, key: string, content: string): void {
    this.pending.push([relative, key, contentDigest(content)]);
  }

  /**
   * After the commit: records the size and time of the files remembered, and replaces the cache file (unless nothing
   * changed). A cache that cannot be written is removed rather than left outdated.
   */
  public save(): void {
    if (this.pending.length === 0 && this.current.size === this.previous.size) {
      return; // every file was found current: the cache on disk says it all already
    }
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      for (const [relative, key, digest] of this.pending) {
        const stat = fs.statSync(path.join(this.outdir, relative));
        this.current.set(relative, [key, stat.size, stat.mtimeMs, digest]);
      }
      fs.writeFileSync(temporary, JSON.stringify({ format: FORMAT, files: Object.fromEntries(this.current) } satisfies CacheFile));
      fs.renameSync(temporary, this.file);
    } catch {
      fs.rmSync(temporary, { force: true });
      fs.rmSync(this.file, { force: true });
    }
  }
}
