import { spawnSync } from 'child_process';
import type { DistFleet } from './dist-fleet';
import { GitError } from './git-dist';
import { DistLayout } from '../output/layout';

/** The refs a clone has, by kind, as `plan` and `check` need them to find the revision the fleet deploys. */
export interface RepositoryRefs {
  /** Local branches (`main`). */
  readonly branches: readonly string[];
  /** Remote-tracking branches, with their remote (`origin/main`); `<remote>/HEAD` left out. */
  readonly remoteBranches: readonly string[];
  readonly tags: readonly string[];
  /** A shallow clone: CI's usual checkout, which fetched one ref (or a few), so its refs say little about the remote's. */
  readonly shallow: boolean;
}

/** The refs of the repository at `root`: one `git for-each-ref`, and one `git rev-parse`. */
export function repositoryRefs(root: string): RepositoryRefs {
  const refs = git(root, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes', 'refs/tags']).split('\n').filter((l) => l !== '');
  const under = (prefix: string) => refs.filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length));
  return {
    branches: under('refs/heads/'),
    remoteBranches: under('refs/remotes/').filter((r) => !r.endsWith('/HEAD')),
    tags: under('refs/tags/'),
    shallow: git(root, ['rev-parse', '--is-shallow-repository']).trim() === 'true',
  };
}

/** How a revision the fleet deploys (an Argo CD `targetRevision`) is found in a clone. */
export type RevisionLookup =
  /** Found: `ref` names it for git (`origin/main` before `main`, so that a stale local branch is not taken). */
  | { readonly found: true; readonly ref: string }
  /**
   * Not found. `certain` when the clone knows the remote's branches (remote-tracking branches, not shallow); otherwise
   * the remote may still have it: a clone never pushed, or a CI checkout that fetched one ref.
   */
  | { readonly found: false; readonly certain: boolean };

/** A commit named in full: Argo CD takes it as it is, and so does the check (the clone may not have fetched it). */
const FULL_COMMIT = /^[0-9a-f]{40}$/i;

/**
 * Where the revision `revision` is in a clone with `refs`: `HEAD` (the remote's default branch for Argo CD) and a full
 * commit hash always pass; a branch is looked for as a remote-tracking branch of any remote, then as a local branch,
 * and a tag as a tag.
 */
export function lookupRevision(refs: RepositoryRefs, revision: string): RevisionLookup {
  if (revision === 'HEAD' || FULL_COMMIT.test(revision)) {
    return { found: true, ref: revision };
  }
  const name = revision.replace(/^refs\/(heads|tags)\//, '');
  const remote = refs.remoteBranches.find((r) => r === `origin/${name}`) ?? refs.remoteBranches.find((r) => r.slice(r.indexOf('/') + 1) === name);
  if (remote !== undefined) {
    return { found: true, ref: remote };
  }
  if (refs.branches.includes(name)) {
    return { found: true, ref: name };
  }
  if (refs.tags.includes(name)) {
    return { found: true, ref: `refs/tags/${name}` };
  }
  return { found: false, certain: !refs.shallow && refs.remoteBranches.length > 0 };
}

/** What the branch check found: nothing, or a line (a problem for `check` when `certain`, a warning otherwise). */
export interface RevisionFinding {
  readonly revision: string;
  readonly certain: boolean;
  readonly message: string;
}

/**
 * The branch check: Argo CD resolves the fleet's `targetRevision` in the repository it pulls; when this clone knows
 * that repository's branches and none (nor a tag) has that name, every Application of the fleet fails to resolve it.
 * Undefined when the revision is found, or when the clone cannot tell: no branch to compare with (a detached CI
 * checkout), or a shallow clone (CI's usual checkout, which fetched one ref).
 */
export function revisionFinding(refs: RepositoryRefs, revision: string, where: string): RevisionFinding | undefined {
  const lookup = lookupRevision(refs, revision);
  if (lookup.found) {
    return undefined;
  }
  const names = [...new Set([...refs.remoteBranches.map((r) => r.slice(r.indexOf('/') + 1)), ...refs.branches])].sort();
  if (names.length === 0 || refs.shallow) {
    return undefined; // nothing to compare with, or a CI checkout whose refs are what it fetched, not what the remote has
  }
  const shown = names.slice(0, 5).map((n) => `\`${n}\``).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
  const theirs = names.length === 1 ? `this repository's branch is ${shown}` : `this repository's branches are ${shown}`;
  const other = names.length === 1 ? names[0] : names.includes('main') ? 'main' : names.includes('master') ? 'master' : names[0];
  const remoteKnown = lookup.certain ? '' : ' (as far as this clone knows: it has fetched no branch of a remote)';
  return {
    revision,
    certain: lookup.certain,
    message: `the fleet deploys revision "${revision}" (${where}), which is no branch or tag of this repository${remoteKnown}; ${theirs}: `
      + `Argo CD would fail to resolve "${revision}"; fix: set \`targetRevision: '${other}'\` on the Fleet and synthesize, or rename the branch `
      + `(\`git branch -m ${other} ${revision}\`, then push it)`,
  };
}

/** A revision the fleet's own Applications (those of `dist/fleet/`) deploy, and where it is written. */
export interface FleetRevision {
  readonly revision: string;
  /** e.g. `targetRevision of Application acme in dist/fleet/` */
  readonly where: string;
}

/**
 * The revisions of the fleet's repository that its Applications in `dist/fleet/` (the root Application, and the
 * management plane's) deploy: what Argo CD resolves in the repository. One entry per distinct revision, the root
 * Application's first.
 */
export function fleetRevisions(fleet: DistFleet, dist: string): FleetRevision[] {
  const found = new Map<string, string>();
  const root = (name: string) => Number(name === fleet.name);
  const applications = fleet.bootstrap.filter((o) => o.kind === 'Application').sort((a, b) => root(b.metadata.name) - root(a.metadata.name));
  for (const app of applications) {
    const spec = app.spec as { source?: Source; sources?: Source[] } | undefined;
    for (const source of [spec?.source, ...(spec?.sources ?? [])]) {
      if (source?.repoURL === fleet.repoUrl && typeof source.targetRevision === 'string' && !found.has(source.targetRevision)) {
        found.set(source.targetRevision, `targetRevision of Application ${app.metadata.name} in ${dist}/${DistLayout.fleetDir}/`);
      }
    }
  }
  return [...found].map(([revision, where]) => ({ revision, where }));
}

type Source = { repoURL?: string; targetRevision?: string };

/**
 * The branch check of every revision the fleet deploys (see `revisionFinding`), in the repository at `root`, for the
 * fleet read from `dist`.
 */
export function revisionFindings(root: string, fleet: DistFleet, dist: string): RevisionFinding[] {
  const refs = repositoryRefs(root);
  return fleetRevisions(fleet, dist).map((r) => revisionFinding(refs, r.revision, r.where)).filter((f): f is RevisionFinding => f !== undefined);
}

function git(root: string, args: readonly string[]): string {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new GitError(`git ${args[0]} failed in ${root}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}
