import { changedSince, commitContains, GitError, lastCommitsChanging, locateInRepository } from './git-dist';

/** What the fleet repository's history says of the commits Argo CD reports: whether a change reached them. */
export interface ReleaseEvidence {
  /**
   * The commit that last changed `path` (from the repository's root; `''` is the whole repository); `uncommitted` when
   * the working tree changes it; undefined when no commit has it.
   */
  lastChange(path: string): string | 'uncommitted' | undefined;
  /** Whether commit `synced` contains commit `change`; undefined when this clone does not have `synced`. */
  contains(synced: string, change: string): boolean | undefined;
}

/**
 * The release evidence of the repository holding `dist` for `paths`: one `git log` walk for all of them, one `git diff`
 * for the working tree, and one `git merge-base` per pair of commits asked about (few: a release is one commit, and
 * Argo CD reports a handful of revisions).
 */
export async function readReleaseEvidence(dist: string, paths: Iterable<string>): Promise<ReleaseEvidence> {
  const { root, inside } = locateInRepository(dist);
  const asked = [...new Set(paths)];
  let uncommitted: string[];
  try {
    uncommitted = [...changedSince(root, 'HEAD', inside)].map((file) => (inside === '' ? file : `${inside}/${file}`));
  } catch (error) {
    if (!(error instanceof GitError)) {
      throw error;
    }
    // no commit yet: nothing is committed
    uncommitted = [''];
  }
  const last = await lastCommitsChanging(root, asked);
  const under = (file: string, dir: string) => dir === '' || file === dir || file.startsWith(`${dir}/`);
  const contained = new Map<string, boolean | undefined>();
  return {
    lastChange: (p) => (uncommitted.some((file) => under(file, p) || under(p, file)) ? 'uncommitted' : last.get(p)),
    contains: (synced, change) => {
      const key = `${change}..${synced}`;
      if (!contained.has(key)) {
        contained.set(key, commitContains(root, change, synced));
      }
      return contained.get(key);
    },
  };
}
