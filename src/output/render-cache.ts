import * as fs from 'fs';
import * as path from 'path';
import { sidecars } from './commit-journal';

/** What the cache holds of one file: its render key, and its size and modification time once written. */
type Entry = readonly [key: string, size: number, mtimeMs: number];

interface CacheFile {
  readonly format: 1;
  readonly files: Record<string, Entry>;
}

/**
 * What the last synthesis wrote into an output folder, kept beside it (`.<name>.arlon-cache.json`, ignored by git):
 * for each file, the render key of its content (see `render-key.ts`) and the size and modification time the file had
 * once written. A file whose key is unchanged and which nobody touched since (same size and time, as git's index
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
    let previous = new Map<string, Entry>();
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (parsed.format === 1 && parsed.files !== null && typeof parsed.files === 'object') {
        previous = new Map(Object.entries(parsed.files));
      }
    } catch {
      // none yet, or unreadable: every file is rendered and compared by content
    }
    return new RenderCache(outdir, file, previous);
  }

  private readonly current = new Map<string, Entry>();
  private readonly pending: Array<[relative: string, key: string]> = [];

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

  /** Records that `relative` holds (or will hold once committed) what `key` renders to. */
  public remember(relative: string, key: string): void {
    this.pending.push([relative, key]);
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
      for (const [relative, key] of this.pending) {
        const stat = fs.statSync(path.join(this.outdir, relative));
        this.current.set(relative, [key, stat.size, stat.mtimeMs]);
      }
      fs.writeFileSync(temporary, JSON.stringify({ format: 1, files: Object.fromEntries(this.current) } satisfies CacheFile));
      fs.renameSync(temporary, this.file);
    } catch {
      fs.rmSync(temporary, { force: true });
      fs.rmSync(this.file, { force: true });
    }
  }
}
