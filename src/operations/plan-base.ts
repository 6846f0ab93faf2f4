import { spawnSync } from 'child_process';
import { GitError, commitContains } from './git-dist';
import { lookupRevision, type FleetRevision, type RepositoryRefs } from './git-revisions';

/** The base `plan` chose when `--base` was not given, and why (one line, for stderr and the plan's header). */
export interface BaseChoice {
  readonly ref: string;
  readonly reason: string;
}

/**
 * The base of a plan without `--base`: with uncommitted changes in the repository (dist/ or the fleet's code), `HEAD`,
 * so the plan shows what those changes do; with none, the branch the fleet deploys (`revision`), as `origin/<branch>`
 * when the clone has it, else `<branch>` (see `lookupRevision`), so the plan shows what merging HEAD there deploys.
 */
export function defaultBase(root: string, refs: RepositoryRefs, revision: FleetRevision | undefined): BaseChoice {
  const choose = '--base <ref> chooses another';
  if (uncommitted(root)) {
    return { ref: 'HEAD', reason: `base HEAD: the working tree has uncommitted changes, and the plan shows what they do (${choose})` };
  }
  if (revision === undefined) {
    return { ref: 'HEAD', reason: `base HEAD: the working tree has nothing uncommitted, and the fleet names no revision it deploys (${choose})` };
  }
  const deploys = `the fleet deploys ${revision.revision === 'HEAD' ? 'the default branch of its repository (targetRevision HEAD)' : `"${revision.revision}"`}`;
  const lookup = revision.revision === 'HEAD'
    ? (refs.remoteBranches.length > 0 && resolves(root, 'origin/HEAD') ? { found: true as const, ref: 'origin/HEAD' } : { found: false as const })
    : lookupRevision(refs, revision.revision);
  if (!lookup.found || !resolves(root, lookup.ref)) {
    return { ref: 'HEAD', reason: `base HEAD: the working tree has nothing uncommitted, and ${deploys}, which this clone does not have (${choose})` };
  }
  const base = lookup.ref;
  const head = commitOf(root, 'HEAD');
  const at = commitOf(root, base);
  if (head === at) {
    const branch = revision.revision === 'HEAD' || base === revision.revision ? base : `${revision.revision} (${base})`;
    return { ref: base, reason: `base ${base}: ${deploys}; nothing to deploy: HEAD is ${branch} (${choose})` };
  }
  const behind = head !== undefined && commitContains(root, head, at!) === true
    ? `; HEAD is behind ${base}, so the plan also shows undoing what ${base} has and HEAD lacks: pull or rebase first` : '';
  return { ref: base, reason: `base ${base}: the working tree has nothing uncommitted, and ${deploys}: the plan shows what merging HEAD deploys${behind} (${choose})` };
}

/** Whether the repository has anything uncommitted: changed, staged or untracked files (ignored ones aside). */
function uncommitted(root: string): boolean {
  const result = spawnSync('git', ['status', '--porcelain', '-z', '--untracked-files=normal'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new GitError(`git status failed in ${root}: ${result.stderr.trim()}`);
  }
  return result.stdout !== '';
}

function resolves(root: string, ref: string): boolean {
  return commitOf(root, ref) !== undefined;
}

function commitOf(root: string, ref: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
