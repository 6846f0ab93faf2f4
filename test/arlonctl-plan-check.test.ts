import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildExampleFleet } from '../example/fleet';
import { Cluster, KubernetesVersion, type Profile } from '../src';
import { runCli, runCliInProcess } from './support/cli';
import { copyOutput, tempDir } from './support/fleet-files';

const ROOT = path.resolve(__dirname, '..');

describe('arlonctl plan and check, in a fleet repository', () => {
  let repo: { dir: string; cleanup: () => void };
  let dist: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
  const synth = (devVersion: string) => buildExampleFleet({ outdir: dist }, { devKubernetesVersion: KubernetesVersion.of(devVersion) }).writeFiles();
  /** What `synth(devVersion)` writes into a repository as the template left it, by version: made once for the file. */
  let synths: { dir: string; cleanup: () => void };
  /**
   * `synth(devVersion)` as a test's first step, from the synth made once: dist/, its render cache and the rollout state
   * (the synth reads nothing else, and writes no time) are what the same synth writes into this copy of the template.
   */
  const synthFirst = (devVersion: string) => {
    const made = path.join(synths.dir, devVersion);
    if (!fs.existsSync(made)) {
      synth(devVersion);
      copyOutput(dist, made);
      return;
    }
    fs.rmSync(dist, { recursive: true });
    copyOutput(made, dist);
  };
  // plan runs dist/ as it is (--no-synth): these tests write dist/ themselves; test/plan-freshness.test.ts covers the synth.
  // check runs in this process too (see runCliInProcess), but for one run of the built binary and the run that stops its synth.
  const cli = (...args: string[]) => runCliInProcess([...args, '--dist', dist, ...(args[0] === 'plan' ? ['--no-synth'] : [])], { home: repo.dir });
  /** The repository every test starts from, made once: each test gets a copy of it (its git folder included). */
  let template: { dir: string; cleanup: () => void };

  beforeAll(() => {
    synths = tempDir('arlon-synths-');
    // GIVEN a repository whose last commit holds the example fleet's dist/
    repo = template = tempDir('arlon-repo-');
    dist = path.join(repo.dir, 'dist');
    git('init', '-q', '-b', 'main'); // the branch the example fleet deploys
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    synth('1.34');
    git('add', '-A');
    git('commit', '-qm', 'fleet');
    // AND an app that synthesizes the example fleet with the dev version from DEV_VERSION, as `check` runs it
    fs.writeFileSync(path.join(repo.dir, 'app.js'), [
      `const { buildExampleFleet } = require(${JSON.stringify(path.join(ROOT, 'lib/example/fleet'))});`,
      `const { KubernetesVersion } = require(${JSON.stringify(path.join(ROOT, 'lib/src'))});`,
      "buildExampleFleet({}, { devKubernetesVersion: KubernetesVersion.of(process.env.DEV_VERSION || '1.34') }).synth();",
    ].join('\n'));
  });
  afterAll(() => {
    template.cleanup();
    synths.cleanup();
  });

  beforeEach(() => {
    repo = tempDir('arlon-repo-');
    dist = path.join(repo.dir, 'dist');
    fs.cpSync(template.dir, repo.dir, { recursive: true, preserveTimestamps: true });
  });
  afterEach(() => repo.cleanup());

  test('plan shows a profile upgrade cluster by cluster, and exits 0', async () => {
    synthFirst('1.35');
    const result = await cli('plan');
    expect(result.code).toBe(0);
    const commit = git('rev-parse', '--short', 'HEAD').trim();
    expect(result.stdout.split('\n')[0]).toBe(`Plan for fleet "acme": ${dist} (working tree) against HEAD (${commit})`);
    expect(result.stdout).toMatch(/~ cluster dev-euw1\n {4}\* rollout wave dev: spec revision \w{12} -> \w{12}\n {4}\* Kubernetes v1.34 -> v1.35: the control plane upgrades first, then the node pools follow\n/);
    expect(result.stdout).not.toContain('prod-');
    expect(result.stdout).toContain('2 cluster(s) changed (0 created, 0 removed); nothing blocked\n');
  });

  test('the README shows the plan for this upgrade, as plan prints it', async () => {
    synthFirst('1.35');
    const result = await cli('plan');
    const body = result.stdout.split('\n').slice(1).join('\n');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`Plan for fleet "acme": dist (working tree) against HEAD (3f9c2ab)\n${body}`);
  });

  test('plan blocks a skipped minor version, exits 1, and shows the escape', async () => {
    synthFirst('1.36');
    const result = await cli('plan', '--base', 'HEAD');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('    x BLOCKED (kubernetes-minor-skip) Kubernetes v1.34 -> v1.36\n'
      + '        why: a control plane moves one Kubernetes minor version per change: EKS upgrades one minor at a time, and while CAPA would step '
      + 'through the minors in between, the add-on builds this change pins are for the target minor\n'
      + '        fix: move to v1.35 in this change and on in later ones\n'
      + '        escape: arlonctl plan --allow kubernetes-minor-skip=dev-euw1\n');
    expect(result.stderr).toBe('error: the plan against HEAD is blocked by the rules above; fix the change, accept it in review with the '
      + '"accept with" entry in arlon.accept.yaml (committed with the change), or let it through once with the escape shown\n');
    // the README quotes this block
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`~ cluster dev-euw1\n${result.stdout.split('~ cluster dev-euw1\n')[1].split('\n').slice(0, 4).join('\n')}\n`);
    // with the entry that accepts it in review, as plan prints it
    const acceptWith = /\n {8}accept with: - \{ rule: kubernetes-minor-skip, cluster: dev-euw1, [^\n]*\n/.exec(result.stdout)![0];
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`escape: arlonctl plan --allow kubernetes-minor-skip=dev-euw1${acceptWith}`);
    const allowed = await cli('plan', '--allow', 'kubernetes-minor-skip');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('! ALLOWED (kubernetes-minor-skip, by --allow kubernetes-minor-skip) Kubernetes v1.34 -> v1.36');
  });

  test('plan --output markdown: a pull-request comment, blocked changes first, one collapsible section per cluster', async () => {
    synthFirst('1.36');
    const result = await cli('plan', '-o', 'markdown', '--base', 'HEAD');
    expect(result.code).toBe(1);
    const commit = git('rev-parse', '--short', 'HEAD').trim();
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `### Plan for fleet "acme": ${dist} \\(working tree\\) against HEAD \\(${commit}\\)`,
      '',
      '**2 cluster(s) changed** (0 created, 0 removed); **2 change(s) blocked**',
      '',
      '#### Blocked',
    ]);
    expect(result.stdout).toContain('- ❌ cluster `dev-euw1`: **Kubernetes v1.34 -&gt; v1.36** (rule `kubernetes-minor-skip`)\n'
      + '  - why: a control plane moves one Kubernetes minor version per change');
    expect(result.stdout).toContain('  - escape: `arlonctl plan --allow kubernetes-minor-skip=dev-euw1`\n');
    expect(result.stdout).toContain('<details>\n<summary>❌ cluster <code>dev-euw1</code> changed (');
    // every section closes, and the summary of changes matches the text plan's
    expect(lines.filter((l) => l === '<details>')).toHaveLength(lines.filter((l) => l === '</details>').length);
    const text = await cli('plan');
    expect(text.stdout).toContain('2 cluster(s) changed (0 created, 0 removed); 2 change(s) blocked\n');
    // and only plan takes markdown
    expect(await cli('list', 'clusters', '-o', 'markdown')).toMatchObject({ code: 2, stderr: expect.stringContaining('--output "markdown" is not a format; use text or json') });
  });

  test('a blocked change accepted in arlon.accept.yaml, reviewed with it: plan and check (as CI runs it) let it through, and no other change', async () => {
    // GIVEN dev skips a minor version: plan blocks it on both dev clusters, printing the entry that accepts each
    synthFirst('1.36');
    const blocked = await cli('plan');
    expect(blocked.code).toBe(1);
    const entries = [...blocked.stdout.matchAll(/accept with: - (\{ rule: kubernetes-minor-skip, cluster: (dev-\w+), fingerprint: ([0-9a-f]{12}), reason: "<why this change is safe>" \})/g)];
    expect(entries.map((m) => m[2])).toEqual(['dev-euw1', 'dev-use1']);
    const file = path.join(repo.dir, 'arlon.accept.yaml');
    const write = (reasons: string[]) => fs.writeFileSync(file, ['# blocked changes accepted in review', 'accept:',
      ...entries.map((m, i) => `  - ${m[1].replace('<why this change is safe>', reasons[i])}`), ''].join('\n'));
    // WHEN the file beside dist/ holds them, each with its reason
    write(['dev clusters were never deployed', 'same']);
    const accepted = await cli('plan');
    // THEN plan lets the change through, saying by what and why
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('    ! ACCEPTED (kubernetes-minor-skip) Kubernetes v1.34 -> v1.36\n');
    expect(accepted.stdout).toContain('        accepted by arlon.accept.yaml: dev clusters were never deployed\n');
    expect(accepted.stdout).toContain('nothing blocked\n');
    expect(accepted.stdout).not.toContain('warning:');
    // AND the markdown for the pull request shows it
    const markdown = await cli('plan', '-o', 'markdown');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('- ⚠️ ACCEPTED (`kubernetes-minor-skip`) Kubernetes v1.34 -&gt; v1.36; accepted by `arlon.accept.yaml`: dev clusters were never deployed\n');
    // AND check, as CI runs it (no --allow), passes
    const check = await runCliInProcess(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir, env: { DEV_VERSION: '1.36' } });
    expect(check).toMatchObject({ code: 0 });
    expect(check.stdout).toBe(`ok: ${dist} matches a fresh synth, and the plan against HEAD changes 2 cluster(s) with nothing blocked `
      + '(2 blocked change(s) accepted by arlon.accept.yaml)\n');
    // WHEN the change becomes another one (down to 1.32), the entries accept nothing: blocked again, and the entries reported unused
    synth('1.32');
    const other = await cli('plan');
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('    x BLOCKED (kubernetes-downgrade) Kubernetes v1.34 -> v1.32\n');
    expect(other.stdout).toContain(`warning: arlon.accept.yaml: the entry for kubernetes-minor-skip on cluster dev-euw1, fingerprint ${entries[0][3]}, accepts no blocked change`);
    const otherCheck = await runCliInProcess(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir, env: { DEV_VERSION: '1.32' } });
    expect(otherCheck.code).toBe(1);
    expect(otherCheck.stdout).toContain('warning: arlon.accept.yaml: the entry for kubernetes-minor-skip on cluster dev-use1');
    expect(otherCheck.stdout).toContain('blocked (kubernetes-downgrade): cluster dev-euw1: Kubernetes v1.34 -> v1.32');
    // AND --allow still works beside the file
    expect((await cli('plan', '--allow', 'kubernetes-downgrade')).code).toBe(0);
    // WHEN an entry has no reason, the file is refused, saying which entry and what to do
    write(['dev clusters were never deployed', '']);
    const refused = await cli('plan');
    expect(refused).toMatchObject({
      code: 1,
      stderr: `error: ${file}: accept[1] (kubernetes-minor-skip, fingerprint ${entries[1][3]}) has no reason; `
      + 'say why the change is safe, for the reviewers and the plan\'s readers\n',
    });
  });

  test('plan and check block a change that is unsafe between two commits, with the order found; plan -o json says what the check did', async () => {
    // GIVEN a cluster between the two steps of its retirement, committed; WHEN the shard count doubles, which moves it
    const app = path.join(repo.dir, 'retiring.js');
    fs.writeFileSync(app, [
      `const { buildExampleFleet } = require(${JSON.stringify(path.join(ROOT, 'lib/example/fleet'))});`,
      `const { Cluster } = require(${JSON.stringify(path.join(ROOT, 'lib/src'))});`,
      'const fleet = buildExampleFleet(process.env.SHARDS ? { shards: Number(process.env.SHARDS) } : {});',
      "new Cluster(fleet, 'sunset-use1', { profiles: [fleet.node.findChild('dev')], retire: true });",
      'fleet.synth();',
    ].join('\n'));
    // what the app does with SHARDS, in this process (check below runs the app itself)
    const synthRetiring = (shards?: number) => {
      const fleet = buildExampleFleet({ outdir: dist, ...(shards === undefined ? {} : { shards }) });
      new Cluster(fleet, 'sunset-use1', { profiles: [fleet.node.findChild('dev') as Profile], retire: true });
      fleet.writeFiles();
    };
    synthRetiring();
    git('add', '-A');
    git('commit', '-qm', 'sunset-use1 retired');
    synthRetiring(32);
    const result = await cli('plan');
    // THEN plan blocks it for that cluster alone, saying in which order the controllers would delete it, and the fix
    expect(result.code).toBe(1);
    // (the cluster's namespace, Cluster and EKS cluster go by its fleet-scoped name; the finding names the cluster by its own)
    expect(result.stdout).toContain('~ cluster sunset-use1\n    x BLOCKED (unsafe-transition) Cluster/acme--sunset-use1/acme--sunset-use1 is deleted, and with it '
      + 'EKS cluster acme--sunset-use1, while the head still has the cluster (it is deleted only by removing it from the code after retiring it)\n'
      + '        why: after the merge, Argo CD\'s Applications, the ApplicationSet controller, garbage collection, finalizers and CAPA act '
      + 'independently and in any order, for instance: (1) Application acme prunes acme-shard-02');
    expect(result.stdout).toContain('        fix: finish retiring sunset-use1 first (remove it from the code and let Argo CD delete it), or un-retire it, '
      + 'and merge that; then make this change\n        escape: arlonctl plan --allow unsafe-transition=sunset-use1\n');
    expect(result.stdout).toContain('1 change(s) blocked');
    const json = JSON.parse((await cli('plan', '-o', 'json')).stdout) as { transitions: { units: number; changed: number; explorations: number } };
    expect(json.transitions.changed).toBeGreaterThan(0);
    expect(json.transitions.explorations).toBeLessThanOrEqual(json.transitions.changed);
    // AND check fails on it, one line
    const check = await runCliInProcess(['check', '--dist', dist, '--app', `"${process.execPath}" "${app}"`], { home: repo.dir, env: { SHARDS: '32' } });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('blocked (unsafe-transition): cluster sunset-use1: Cluster/acme--sunset-use1/acme--sunset-use1 is deleted');
    // (and on nothing else: the app writes what synthRetiring wrote)
    expect(check.stdout).not.toContain('stale');
  });

  test('plan --output json', async () => {
    synthFirst('1.35');
    const result = await cli('plan', '-o', 'json');
    const plan = JSON.parse(result.stdout);
    expect(plan).toMatchObject({ name: 'acme', base: 'HEAD', blocked: false });
    expect(plan.clusters.map((c: { cluster: string }) => c.cluster)).toEqual(['dev-euw1', 'dev-use1']);
  });

  test('check passes when dist/ is fresh and the change is safe', async () => {
    synthFirst('1.35');
    // the built binary, as CI runs it
    const result = await runCli(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir, env: { DEV_VERSION: '1.35' } });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toBe(`ok: ${dist} matches a fresh synth, and the plan against HEAD changes 2 cluster(s) with nothing blocked\n`);
  });

  test('check fails on a stale dist/, one line per file', async () => {
    // GIVEN the code moved dev to 1.35 but dist/ was not synthesized again, and a file was edited by hand
    fs.appendFileSync(path.join(dist, 'fleet/AppProject.acme.yaml'), '# edited by hand\n');
    const result = await runCliInProcess(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir, env: { DEV_VERSION: '1.35' } });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((l) => l !== '')).toEqual([
      `stale: clusters/dev-euw1/AWSManagedControlPlane.acme--dev-euw1-control-plane.yaml differs from a fresh synth; run the synth and commit ${dist}`,
      `stale: clusters/dev-euw1/Cluster.acme--dev-euw1.yaml differs from a fresh synth; run the synth and commit ${dist}`,
      `stale: clusters/dev-euw1/MachinePool.acme--dev-euw1-general.yaml differs from a fresh synth; run the synth and commit ${dist}`,
      `stale: clusters/dev-use1/AWSManagedControlPlane.acme--dev-use1-control-plane.yaml differs from a fresh synth; run the synth and commit ${dist}`,
      `stale: clusters/dev-use1/Cluster.acme--dev-use1.yaml differs from a fresh synth; run the synth and commit ${dist}`,
      `stale: clusters/dev-use1/MachinePool.acme--dev-use1-general.yaml differs from a fresh synth; run the synth and commit ${dist}`,
      // told from a stale file by the record of what the synth wrote (the render cache beside dist/)
      'hand edit: fleet/AppProject.acme.yaml was edited by hand after the synth wrote it (it is neither what the synth wrote nor what the code '
      + 'produces); dist/ is generated, never edit it by hand: change the fleet code instead, then run the synth (npx projen synth), which '
      + `overwrites it, and commit ${dist}`,
      // the change of the dev profile, which the synth records in the rollout state
      `stale: dist.rollout.yaml (beside ${dist}) differs from what a fresh synth writes; run the synth and commit dist.rollout.yaml with ${dist}`,
    ]);
    expect(result.stderr).toBe('error: 8 problem(s); run arlonctl plan --base HEAD for the whole plan\n');
  });

  test('check fails on a blocked plan, and on a synth that fails', async () => {
    synthFirst('1.36');
    const blocked = await runCliInProcess(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir, env: { DEV_VERSION: '1.36' } });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain('blocked (kubernetes-minor-skip): cluster dev-euw1: Kubernetes v1.34 -> v1.36; fix: move to v1.35 in this change and on in later ones\n');
    const broken = await runCliInProcess(['check', '--dist', dist, '--app', 'node -e "process.exit(3)"'], { home: repo.dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('synth failed: `node -e "process.exit(3)"` exited with 3');
  });

  test('check and plan refuse a file in dist/ the synth did not write, such as a hand-added Application', async () => {
    // GIVEN an Application written by hand into the folder the root Application syncs, pointing at another repository
    fs.writeFileSync(path.join(dist, 'argocd/Application.sneaky.yaml'), [
      'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: { name: sneaky, namespace: argocd }',
      'spec: { project: acme, source: { repoURL: "https://evil.example.com/x.git", path: "." }, destination: { name: in-cluster } }', '',
    ].join('\n'));
    // WHEN
    const check = await runCliInProcess(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir });
    const plan = await cli('plan');
    // THEN both fail on it, saying why
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('blocked (not-generated): argocd/Application.sneaky.yaml was not written by the synth (it has no generated header); '
      + 'fix: remove the file, or produce the object from the fleet code (an escape hatch, an inline bundle) and synthesize\n');
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('~ fleet\n    x BLOCKED (not-generated) argocd/Application.sneaky.yaml was not written by the synth (it has no generated header)\n');
    // AND an explicit allowance lets it through, and says so
    const allowed = await cli('plan', '--allow', 'not-generated');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('! ALLOWED (not-generated, by --allow not-generated) argocd/Application.sneaky.yaml');
    // AND an entry of arlon.accept.yaml (fleet-wide: no cluster) accepts it in plan and in check, which looks at the whole of dist/
    const entry = /accept with: - (\{ rule: not-generated, fingerprint: [0-9a-f]{12}, reason: )"<why this change is safe>" \}/.exec(plan.stdout)!;
    fs.writeFileSync(path.join(repo.dir, 'arlon.accept.yaml'), `accept:\n  - ${entry[1]}"kept for one release while teams move" }\n`);
    expect(await cli('plan')).toMatchObject({ code: 0, stdout: expect.stringContaining('accepted by arlon.accept.yaml: kept for one release while teams move\n') });
    const accepted = await runCliInProcess(['check', '--dist', dist, '--app', `node ${path.join(repo.dir, 'app.js')}`], { home: repo.dir });
    expect(accepted).toMatchObject({ code: 0, stdout: expect.stringContaining('(1 blocked change(s) accepted by arlon.accept.yaml)\n') });
    expect(accepted.stdout).not.toContain('warning:');
  });

  test.each([
    [['plan', '--base', 'no-such-branch'], 'error: --base "no-such-branch" is not a commit of this repository; give a branch, tag or commit (e.g. HEAD, origin/main)\n'],
    [['plan', '--allow', 'everything'], 'error: --allow "everything" names no rule; use one of kubernetes-minor-skip, kubernetes-downgrade, node-pool-skew, '
      + 'immutable-field, cluster-removed, cluster-identity, bundle-removed, not-generated, al2-end-of-life, new-pool-below-control-plane, ami-release, '
      + 'unsafe-transition, management-downgrade, management-minor-skip, provider-contract, optionally with =<cluster>\n'],
    [['check', '--allow', 'region'], 'error: --allow "region" names no rule; use one of kubernetes-minor-skip, kubernetes-downgrade, node-pool-skew, '
      + 'immutable-field, cluster-removed, cluster-identity, bundle-removed, not-generated, al2-end-of-life, new-pool-below-control-plane, ami-release, '
      + 'unsafe-transition, management-downgrade, management-minor-skip, provider-contract, optionally with =<cluster>\n'],
  ])('usage error %j exits 2', async (args, stderr) => {
    const result = await cli(...args);
    expect(result).toMatchObject({ code: 2, stderr: `${stderr}run arlonctl --help for usage\n` });
  });

  test('check plans while its synth runs; when the plan cannot be made, it stops the synth and leaves nothing behind', async () => {
    // GIVEN an app that would write a marker after 4 s, and check's scratch folders kept in a folder of the test
    const marker = path.join(repo.dir, 'synth-finished');
    const tmp = path.join(repo.dir, 'tmp');
    fs.mkdirSync(tmp);
    const app = `node -e "setTimeout(() => require('fs').writeFileSync(${JSON.stringify(marker).replace(/"/g, '\\"')}, 'x'), 4000)"`;
    // WHEN check runs against a ref that does not exist
    const started = Date.now();
    const result = await runCli(['check', '--dist', dist, '--base', 'no-such-branch', '--app', app], { home: repo.dir, env: { TMPDIR: tmp } });
    // THEN it fails with the usage error, without waiting for the synth: the synth was stopped, and its scratch folder is gone
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('error: --base "no-such-branch" is not a commit of this repository') });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 5000 - Date.now())));
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('plan outside a git repository says so', async () => {
    const elsewhere = tempDir();
    try {
      // the example fleet synthesized outside any repository: the template's dist/ (dev at 1.34), with what its synth kept beside it
      copyOutput(path.join(template.dir, 'dist'), elsewhere.dir);
      const result = await runCliInProcess(['plan', '--dist', elsewhere.dir], { home: elsewhere.dir });
      expect(result).toMatchObject({
        code: 1, stderr: `error: ${elsewhere.dir} is not inside a git repository; plan and check compare dist/ with a git ref, so run them in the fleet repository\n`,
      });
    } finally {
      elsewhere.cleanup();
    }
  });
});
