import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildExampleFleet } from '../example/fleet';
import { KubernetesVersion } from '../src';
import { runCli, runCliInProcess, type CliResult } from './support/cli';
import { tempDir } from './support/fleet-files';
import { staleFiles } from '../src/operations/dist-freshness';
import { lookupRevision, revisionFinding, type RepositoryRefs } from '../src/operations/git-revisions';
import { contentDigest } from '../src/output/render-cache';

const ROOT = path.resolve(__dirname, '..');

/** The example fleet with the dev profile's Kubernetes version read from a file: the fleet code a user edits. */
const PROGRAM = `const fs = require('fs');
const path = require('path');
const { buildExampleFleet } = require(${JSON.stringify(path.join(ROOT, 'lib/example/fleet'))});
const { KubernetesVersion, synthFleet } = require(${JSON.stringify(path.join(ROOT, 'lib/src'))});
const version = fs.readFileSync(path.join(__dirname, 'dev-version'), 'utf8').trim();
synthFleet(() => buildExampleFleet({}, { devKubernetesVersion: KubernetesVersion.of(version) }));
`;

const CLUSTER_FILE = 'clusters/dev-euw1/Cluster.acme--dev-euw1.yaml';
const PROJECT_FILE = 'fleet/AppProject.acme.yaml';

/** A fleet repository as `arlonctl init` writes one: cdk8s.yaml names the app, sidecars ignored, dist/ committed. */
class FleetRepository {
  public readonly dir: string;
  public readonly dist: string;
  private readonly remove: () => void;

  /** A new repository on `branch`, its one commit the fleet at dev 1.34: a copy of the template (made by the first one). */
  constructor(branch: string, made: 'copy' | 'template' = 'copy') {
    const folder = tempDir('arlon-fresh-');
    this.dir = folder.dir;
    this.remove = folder.cleanup;
    this.dist = path.join(this.dir, 'dist');
    if (made === 'template') {
      this.git('init', '-q', '-b', branch);
      this.git('config', 'user.email', 'test@example.com');
      this.git('config', 'user.name', 'test');
      fs.writeFileSync(path.join(this.dir, 'fleet.js'), PROGRAM);
      fs.writeFileSync(path.join(this.dir, 'cdk8s.yaml'), 'app: node fleet.js\noutput: cdk8s.out\n');
      fs.writeFileSync(path.join(this.dir, '.gitignore'), '.*.arlon-*\n/cdk8s.out/\n');
      this.edit('1.34');
      this.synth();
      this.commit('the fleet');
      return;
    }
    template ??= new FleetRepository('main', 'template');
    // the folder with what a synth keeps beside dist/ (render cache, rollout state), timestamps included
    fs.cpSync(template.dir, this.dir, { recursive: true, preserveTimestamps: true });
    if (branch !== 'main') {
      this.git('branch', '-m', 'main', branch);
    }
  }

  public git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }

  /** Edits the fleet code: the dev profile's Kubernetes version. */
  public edit(devVersion: string): void {
    fs.writeFileSync(path.join(this.dir, 'dev-version'), `${devVersion}\n`);
  }

  /**
   * `npx projen synth`: what fleet.js does, writing dist/ (and the record of what it wrote, beside it). It runs in this
   * process, without a process start and a load of the library per synth; `plan` runs fleet.js itself (cdk8s.yaml),
   * and finds this dist/ fresh (the first test).
   */
  public synth(): void {
    const version = fs.readFileSync(path.join(this.dir, 'dev-version'), 'utf8').trim();
    buildExampleFleet({ outdir: this.dist }, { devKubernetesVersion: KubernetesVersion.of(version) }).writeFiles();
  }

  public commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-qm', message);
  }

  /** `arlonctl ...` run in the repository, as a user runs it (in a thread of this process: see `runCliInProcess`). */
  public cli(...args: string[]): Promise<CliResult> {
    return runCliInProcess(args, { home: this.dir, cwd: this.dir });
  }

  /** The same, with the built binary: the path `cli` stands for, proven by a few runs. */
  public binary(...args: string[]): Promise<CliResult> {
    return runCli(args, { home: this.dir, cwd: this.dir });
  }

  public cleanup(): void {
    this.remove();
  }
}

/** The repository every test starts from (on branch main), made once: each repository is a copy of it, its git folder included. */
let template: FleetRepository | undefined;
afterAll(() => template?.cleanup());

describe('arlonctl plan synthesizes first, as cdk diff does', () => {
  let repo: FleetRepository;
  beforeEach(() => {
    repo = new FleetRepository('main');
  });
  afterEach(() => repo.cleanup());

  test('an edit of the code that was not synthesized is planned, and the plan says dist/ is stale; --no-synth plans dist/ as it is', async () => {
    // GIVEN the code moves dev to 1.35, and dist/ was not synthesized again
    repo.edit('1.35');
    // WHEN (the built binary, as a user runs it)
    const plan = await repo.binary('plan');
    // THEN the plan shows what the code synthesizes, and says dist/ is stale and how to write it
    expect(plan.code).toBe(0);
    const lines = plan.stdout.split('\n');
    expect(lines[0]).toMatch(/^Plan for fleet "acme": a fresh synth of the code \(dist is not what the code synthesizes\) against HEAD \(\w+\)$/);
    expect(plan.stdout).toContain('warning: dist is stale: 6 file(s) differ from what the code synthesizes (clusters/dev-euw1/');
    expect(plan.stdout).toContain('this plan shows what the code synthesizes; run the synth (npx projen synth) and commit dist\n');
    expect(plan.stdout).toContain('~ cluster dev-euw1\n');
    expect(plan.stdout).toContain('    * Kubernetes v1.34 -> v1.35: the control plane upgrades first, then the node pools follow\n');
    expect(plan.stdout).toContain('2 cluster(s) changed (0 created, 0 removed); nothing blocked\n');
    expect(plan.stdout).not.toContain('hand edit');
    // AND dist/ itself was not written
    expect(repo.git('status', '--porcelain', '--', 'dist')).toBe('');
    // AND json and markdown say the same
    const json = JSON.parse((await repo.cli('plan', '-o', 'json')).stdout) as { synthesized: boolean; stale: string[]; handEdited: string[]; notes: string[] };
    expect(json).toMatchObject({ synthesized: true, handEdited: [] });
    expect(json.stale).toContain(CLUSTER_FILE);
    expect(json.notes.some((n) => n.startsWith('warning: dist is stale'))).toBe(true);
    const markdown = await repo.cli('plan', '-o', 'markdown');
    expect(markdown.stdout).toContain('> ⚠️ dist is stale: 6 file\\(s\\) differ from what the code synthesizes');
    // WHEN --no-synth: dist/ as it is, which does not change anything yet
    const asIs = await repo.cli('plan', '--no-synth');
    expect(asIs.stdout).toMatch(/^Plan for fleet "acme": dist \(working tree\) against HEAD \(\w+\)\n/);
    expect(asIs.stdout).toContain('\nno changes\n');
    // WHEN the edit is synthesized: dist/ is fresh, and the plan is the same, without the warning
    repo.synth();
    const fresh = await repo.cli('plan');
    expect(fresh.stdout).toMatch(/^Plan for fleet "acme": dist \(working tree\) against HEAD \(\w+\)\n/);
    expect(fresh.stdout).not.toContain('stale');
    expect(fresh.stdout.split('\n\n').slice(1)).toEqual(plan.stdout.split('\n\n').slice(1));
  });

  test('a synth that fails fails the plan with its message; without cdk8s.yaml or --app, plan says how to give one', async () => {
    const failed = await repo.cli('plan', '--app', 'node -e "process.exit(3)"');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: synth failed: `node -e "process.exit(3)"` exited with 3');
    expect(failed.stderr).toContain('plan synthesizes the fleet first: fix the code, or plan dist/ as it is with --no-synth\n');
    // the fleet's own message comes through
    repo.edit('not-a-version');
    expect((await repo.cli('plan')).stderr).toContain('synth failed; the output folder was not changed');
    fs.rmSync(path.join(repo.dir, 'cdk8s.yaml'));
    expect(await repo.cli('plan')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`error: there is no cdk8s.yaml in ${repo.dir} to name the app; pass the synth command with --app; `
        + 'or plan dist/ as it is, without synthesizing, with --no-synth\n'),
    });
    expect((await repo.cli('plan', '--no-synth')).code).toBe(0);
  });
});

describe('hand edits of dist/ are told from stale files', () => {
  let repo: FleetRepository;
  beforeEach(() => {
    repo = new FleetRepository('main');
  });
  afterEach(() => repo.cleanup());

  test('plan and check name a hand-edited file, with the fix; files the code changed are stale', async () => {
    // GIVEN a file of dist/ edited by hand, and a code change not synthesized
    fs.appendFileSync(path.join(repo.dist, PROJECT_FILE), '# edited by hand\n');
    repo.edit('1.35');
    const handEdit = `hand edit: ${PROJECT_FILE} was edited by hand after the synth wrote it (it is neither what the synth wrote nor what the code `
      + 'produces); dist/ is generated, never edit it by hand: change the fleet code instead, then run the synth (npx projen synth), which '
      + 'overwrites it, and commit dist';
    // WHEN
    const plan = await repo.cli('plan');
    const check = await repo.cli('check');
    // THEN plan warns about the hand edit, and plans what the code synthesizes (the edit is not in it)
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`warning: ${handEdit}\n`);
    expect(plan.stdout).toContain('warning: dist is stale: 6 file(s)');
    expect(plan.stdout).not.toContain('~ fleet\n    * changed AppProject');
    // AND check fails on both, one line each
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${handEdit}\n`);
    expect(check.stdout).toContain(`stale: ${CLUSTER_FILE} differs from a fresh synth; run the synth and commit dist\n`);
    // AND plan --no-synth knows the hand edit too, from the record the synth left beside dist/
    const asIs = await repo.cli('plan', '--no-synth');
    expect(asIs.stdout).toContain(`warning: ${handEdit}\n`);
    // WHEN there is no record (a fresh clone, CI): the file is stale, as far as anyone can tell
    fs.rmSync(path.join(repo.dir, '.dist.arlon-cache.json'));
    const ci = await repo.cli('check');
    expect(ci.stdout).toContain(`stale: ${PROJECT_FILE} differs from a fresh synth; run the synth and commit dist\n`);
    expect(ci.stdout).not.toContain('hand edit');
  });

  test('a generated file deleted by hand, and a copy added by hand, are hand edits; a committed file is not', async () => {
    repo.synth(); // the record now lists every file
    fs.rmSync(path.join(repo.dist, CLUSTER_FILE));
    fs.copyFileSync(path.join(repo.dist, PROJECT_FILE), path.join(repo.dist, 'fleet/AppProject.copy.yaml'));
    const check = await repo.cli('check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`hand edit: ${CLUSTER_FILE} was deleted by hand after the synth wrote it;`);
    expect(check.stdout).toContain('hand edit: fleet/AppProject.copy.yaml was added by hand (no synth wrote it, and the code does not produce it);');
    expect(check.stdout).toContain('which removes it, and commit dist\n');
    expect((await repo.cli('plan', '--no-synth')).stdout).toContain(`warning: hand edit: ${CLUSTER_FILE} was deleted by hand`);
    // WHEN the hand edit is committed: git brought the file, so it is stale (a commit that was not synthesized), not a hand edit here
    repo.commit('hand edits');
    const committed = await repo.cli('check');
    expect(committed.stdout).toContain(`stale: ${CLUSTER_FILE} is missing from dist; run the synth and commit dist\n`);
    expect(committed.stdout).not.toContain('hand edit');
  });

  test('check compares by digest; a program whose library writes the files instead (ARLON_DIGESTS unknown) gives the same lines', async () => {
    repo.synth(); // the record now lists every file
    fs.appendFileSync(path.join(repo.dist, PROJECT_FILE), '# edited by hand\n');
    fs.rmSync(path.join(repo.dist, 'clusters/prod-use1/AWSManagedMachinePool.acme--prod-use1-system.yaml'));
    repo.edit('1.35');
    const byDigest = await repo.cli('check');
    const byContent = await repo.cli('check', '--app', 'env -u ARLON_DIGESTS node fleet.js');
    expect(byDigest.code).toBe(1);
    expect(byDigest.stdout).toContain(`stale: ${CLUSTER_FILE} differs from a fresh synth;`);
    expect(byDigest.stdout).toContain(`hand edit: ${PROJECT_FILE} was edited by hand`);
    expect(byDigest.stdout).toContain('hand edit: clusters/prod-use1/AWSManagedMachinePool.acme--prod-use1-system.yaml was deleted by hand');
    expect(byContent).toEqual(byDigest);
  });

  test('a synth with ARLON_DIGESTS set writes the digest of each file it renders, and no file', () => {
    const out = tempDir('arlon-digests-');
    const previous = process.env.ARLON_DIGESTS;
    process.env.ARLON_DIGESTS = path.join(out.dir, 'digests.json');
    try {
      const fleet = buildExampleFleet({ outdir: path.join(out.dir, 'dist') });
      const report = fleet.writeFiles();
      const files = fleet.renderFiles();
      const written = JSON.parse(fs.readFileSync(path.join(out.dir, 'digests.json'), 'utf8')) as { files: Record<string, string> };
      expect(written.files).toEqual(Object.fromEntries([...files].map(([file, content]) => [file, contentDigest(content)])));
      expect(report.written).toBe(files.size);
      // no dist/: only the digests, and the rollout state a synth keeps beside its output
      expect(fs.readdirSync(out.dir).sort()).toEqual(['digests.json', 'dist.rollout.yaml']);
    } finally {
      process.env.ARLON_DIGESTS = previous;
      if (previous === undefined) {
        delete process.env.ARLON_DIGESTS;
      }
      out.cleanup();
    }
  });

  test('staleFiles: the record of the last synth and git decide', () => {
    const fresh = new Map([['a.yaml', 'A2'], ['b.yaml', 'B'], ['c.yaml', 'C']]);
    const dist = new Map([['a.yaml', 'A1'], ['b.yaml', 'B-edited'], ['d.yaml', 'D']]);
    const written = new Map([['a.yaml', contentDigest('A1')], ['b.yaml', contentDigest('B')], ['c.yaml', contentDigest('C')]]);
    expect(staleFiles(fresh, dist, written, () => true)).toEqual([
      { file: 'a.yaml', kind: 'differs', handEdited: false }, // what the synth wrote: the code changed since
      { file: 'b.yaml', kind: 'differs', handEdited: true },
      { file: 'c.yaml', kind: 'missing', handEdited: true },
      { file: 'd.yaml', kind: 'extra', handEdited: true },
    ]);
    // committed (git brought it), or no record: stale
    expect(staleFiles(fresh, dist, written, () => false).every((s) => !s.handEdited)).toBe(true);
    expect(staleFiles(fresh, dist, undefined, () => true).every((s) => !s.handEdited)).toBe(true);
  });
});

describe('the default base of plan', () => {
  let repo: FleetRepository;
  beforeEach(() => {
    repo = new FleetRepository('main');
  });
  afterEach(() => repo.cleanup());

  const note = (result: CliResult) => result.stderr.split('\n')[0];
  // plan chooses its base before, and apart from, its synth: these plans read dist/ as it is (--no-synth), which the
  // test synthesizes and commits itself; the first describe covers the synth.
  const plan = (...args: string[]) => repo.cli('plan', '--no-synth', ...args);

  test('HEAD with uncommitted changes; with none, the branch the fleet deploys, origin/<branch> first; nothing to deploy when HEAD is it', async () => {
    // GIVEN nothing uncommitted, on the branch the fleet deploys
    const same = await plan();
    const head = repo.git('rev-parse', '--short', 'HEAD').trim();
    expect(note(same)).toBe('note: base main: the fleet deploys "main"; nothing to deploy: HEAD is main (--base <ref> chooses another)');
    expect(same.stdout.split('\n').slice(0, 2)).toEqual([
      `Plan for fleet "acme": dist (working tree) against main (${head})`,
      'base main: the fleet deploys "main"; nothing to deploy: HEAD is main (--base <ref> chooses another)',
    ]);
    // WHEN a branch commits a change: against main, what merging it deploys
    repo.git('checkout', '-qb', 'upgrade-dev');
    repo.edit('1.35');
    // (uncommitted: against HEAD)
    expect(note(await plan())).toBe('note: base HEAD: the working tree has uncommitted changes, and the plan shows what they do '
      + '(--base <ref> chooses another)');
    repo.synth();
    repo.commit('dev to 1.35');
    const branch = await plan();
    expect(note(branch)).toBe('note: base main: the working tree has nothing uncommitted, and the fleet deploys "main": the plan shows what '
      + 'merging HEAD deploys (--base <ref> chooses another)');
    expect(branch.stdout).toContain('    * Kubernetes v1.34 -> v1.35: the control plane upgrades first');
    // WHEN a clone has origin/main: that is the base, not a local main that may lag
    const clone = tempDir('arlon-clone-');
    try {
      execFileSync('git', ['clone', '-q', '--branch', 'upgrade-dev', repo.dir, clone.dir]);
      const cloned = await runCliInProcess(['plan', '--no-synth'], { home: clone.dir, cwd: clone.dir });
      expect(note(cloned)).toBe('note: base origin/main: the working tree has nothing uncommitted, and the fleet deploys "main": the plan shows '
        + 'what merging HEAD deploys (--base <ref> chooses another)');
      expect(cloned.stdout).toContain('~ cluster dev-euw1\n');
    } finally {
      clone.cleanup();
    }
    // AND --base wins, without a note
    const given = await plan('--base', 'HEAD');
    expect(given.stderr).toBe('');
    expect(given.stdout).toContain('\nno changes\n');
  });
});

describe('the branch check: the revision the fleet deploys exists', () => {
  const clones: Array<{ cleanup: () => void }> = [];
  afterEach(() => clones.splice(0).forEach((c) => c.cleanup()));
  const clone = (from: string, ...flags: string[]) => {
    const made = tempDir('arlon-clone-');
    clones.push(made);
    fs.rmSync(made.dir, { recursive: true });
    execFileSync('git', ['clone', '-q', ...flags, from, made.dir]);
    return made.dir;
  };
  const check = (dir: string) => runCliInProcess(['check'], { home: dir, cwd: dir });

  test('a repository on master deploying main: plan warns, and check fails once the clone knows the remote\'s branches', async () => {
    // GIVEN the example fleet (targetRevision main) in a repository whose branch is master
    const repo = new FleetRepository('master');
    clones.push(repo);
    const message = 'branch: the fleet deploys revision "main" (targetRevision of Application acme in dist/fleet/), which is no branch or tag of '
      + 'this repository';
    const fix = 'this repository\'s branch is `master`: Argo CD would fail to resolve "main"; fix: set `targetRevision: \'master\'` on the Fleet '
      + 'and synthesize, or rename the branch (`git branch -m master main`, then push it)';
    // WHEN plan runs in it (never pushed): a warning
    const plan = await repo.cli('plan', '--no-synth');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`warning: ${message} (as far as this clone knows: it has fetched no branch of a remote); ${fix}\n`);
    // AND check does not fail on what it cannot know (nothing pushed yet)
    expect((await check(repo.dir)).code).toBe(0);
    // WHEN a clone knows the remote's branches (origin/master): check fails, one line, with the fix
    const cloned = clone(repo.dir);
    const failed = await check(cloned);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(`${message}; ${fix}\n`);
    // AND once the branch is renamed, it passes
    repo.git('branch', '-m', 'master', 'main');
    expect((await check(clone(repo.dir))).code).toBe(0);
  });

  test('no false positive in CI checkouts: detached HEAD with only origin/* refs, and a shallow clone', async () => {
    const repo = new FleetRepository('main');
    clones.push(repo);
    repo.git('checkout', '-qb', 'feature');
    repo.edit('1.35');
    repo.synth();
    repo.commit('dev to 1.35');
    // GIVEN a checkout as CI makes it: the change's commit, detached, and no local branch
    const ci = clone(repo.dir, '--no-checkout');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ci, encoding: 'utf8' });
    git('checkout', '-q', '--detach', 'origin/feature');
    git('branch', '-D', 'feature'); // the branch the clone checked out (the repository's HEAD)
    expect(git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('');
    // THEN check against the target branch passes (the built binary, as CI runs it), and plan warns of nothing
    const result = await runCli(['check', '--base', 'origin/main'], { home: ci, cwd: ci });
    expect(result).toMatchObject({ code: 0, stdout: 'ok: dist matches a fresh synth, and the plan against origin/main changes 2 cluster(s) with nothing blocked\n' });
    expect((await runCliInProcess(['plan', '--no-synth', '--base', 'origin/main'], { home: ci, cwd: ci })).stdout).not.toContain('warning');
    // AND a shallow clone of one branch, which cannot know the remote's other branches, passes too
    const shallow = clone(`file://${repo.dir}`, '--depth', '1', '--branch', 'feature');
    expect(await check(shallow)).toMatchObject({ code: 0 });
  });

  test('lookupRevision and revisionFinding', () => {
    const refs: RepositoryRefs = { branches: ['main'], remoteBranches: ['origin/main', 'origin/release'], tags: ['v1'], shallow: false };
    expect(lookupRevision(refs, 'main')).toEqual({ found: true, ref: 'origin/main' });
    expect(lookupRevision(refs, 'release')).toEqual({ found: true, ref: 'origin/release' });
    expect(lookupRevision(refs, 'v1')).toEqual({ found: true, ref: 'refs/tags/v1' });
    expect(lookupRevision(refs, 'HEAD')).toEqual({ found: true, ref: 'HEAD' });
    expect(lookupRevision(refs, 'a'.repeat(40))).toEqual({ found: true, ref: 'a'.repeat(40) });
    expect(lookupRevision(refs, 'prod')).toEqual({ found: false, certain: true });
    expect(revisionFinding(refs, 'prod', 'here')?.message).toContain('this repository\'s branches are `main`, `release`');
    expect(revisionFinding({ ...refs, shallow: true }, 'prod', 'here')).toBeUndefined();
    expect(revisionFinding({ branches: [], remoteBranches: [], tags: [], shallow: false }, 'prod', 'here')).toBeUndefined();
  });
});
