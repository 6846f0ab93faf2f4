import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { KubernetesVersion } from '../src';
import { useApiServer } from './support/api-server-fixture';
import type { FakeApiServer } from './support/fake-api-server';
import { changedPaths, copyOutput, readTree, tempDir } from './support/fleet-files';
import { LiveFleet } from './support/live-cluster';
import { buildExampleFleet } from '../example/fleet';
import type { LifecyclePhase } from './upstream/status/eks-cluster-lifecycle';
import { readDist } from '../src/operations/dist-fleet';
import { withRolloutState } from '../src/operations/rollout-writer';
import { readRolloutState } from '../src/rollout/rollout-state';

const ROOT = path.resolve(__dirname, '..');

/** The example fleet with the prod profile's Kubernetes version read from a file: what a user edits. */
const PROGRAM = `const fs = require('fs');
const path = require('path');
const { buildExampleFleet } = require(${JSON.stringify(path.join(ROOT, 'lib/example/fleet'))});
const { KubernetesVersion, synthFleet } = require(${JSON.stringify(path.join(ROOT, 'lib/src'))});
const version = fs.readFileSync(path.join(__dirname, 'prod-version'), 'utf8').trim();
synthFleet(() => buildExampleFleet({}, { prodKubernetesVersion: KubernetesVersion.of(version) }));
`;

const CLUSTERS = ['canary-use1', 'prod-euw1', 'prod-use1'];
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

/** What the controllers do to one cluster, `ago` minutes before now; with `commit`, Argo CD syncs that commit first. */
interface Event {
  readonly cluster: string;
  readonly phase: LifecyclePhase;
  readonly ago: number;
  readonly commit?: string;
}

/** Every cluster created from `commit`, `ago` minutes before now (EKS takes 20 minutes). */
const created = (commit: string, ago: number): Event[] => CLUSTERS.flatMap((cluster) => [
  { cluster, phase: 'creating', ago, commit }, { cluster, phase: 'nodeGroupsCreating', ago: ago - 12 }, { cluster, phase: 'created', ago: ago - 20 },
]);

/**
 * Argo CD syncs `commit` to `cluster` `at[0]` minutes before now (its control plane and pools move a minor): EKS
 * updates the control plane until `at[1]`, then each node group (surge Nodes joined at `at[2]`, old ones gone at `at[3]`).
 */
const upgraded = (cluster: string, commit: string, at: readonly number[]): Event[] => [
  { cluster, phase: 'controlPlaneUpgrading', ago: at[0], commit },
  ...(at.length > 1 ? [{ cluster, phase: 'controlPlaneUpgraded' as const, ago: at[1] }] : []),
  ...(at.length > 2 ? [{ cluster, phase: 'nodeGroupUpgrading' as const, ago: at[2] }] : []),
  ...(at.length > 3 ? [{ cluster, phase: 'nodeGroupUpgraded' as const, ago: at[3] }] : []),
];

/**
 * Plays Argo CD, Cluster API, CAPA and EKS on the test API server: replays `events` from the start on the ported status
 * writers (test/upstream/status, through `LiveFleet`), so the statuses are those the controllers write, and a test
 * moves the clock by replaying with other times.
 */
function observe(server: FakeApiServer, dist: string, events: readonly Event[]): void {
  const live = new LiveFleet(dist);
  for (const e of events) {
    if (e.commit !== undefined) {
      live.sync(e.cluster, e.commit, e.phase, minutesAgo(e.ago));
    } else {
      live.step(e.cluster, e.phase, minutesAgo(e.ago));
    }
  }
  live.publish(server);
}

describe('arlonctl rollout, on the example fleet', () => {
  const fixture = useApiServer();
  let repo: { dir: string; cleanup: () => void };
  const dist = () => path.join(repo.dir, 'dist');
  /**
   * What running the fleet program of `dir` (a repository) does with the prod profile at `version`: writes prod-version,
   * and synthesizes into `dir`/dist. The synth runs in this process (the program's code, without a process start and a
   * load of the library per synth); the CLI runs the program itself (its `--app`), and the first test proves the two
   * write the same (the committed dist/).
   */
  const synthIn = (dir: string, version: string) => {
    fs.writeFileSync(path.join(dir, 'prod-version'), `${version}\n`);
    buildExampleFleet({ outdir: path.join(dir, 'dist') }, { prodKubernetesVersion: KubernetesVersion.of(version) }).writeFiles();
  };
  const synth = (version: string) => synthIn(repo.dir, version);
  // The two synths every test starts from, made once for the file: the example fleet at 1.33, and that fleet
  // synthesized again with prod at 1.34. The synth reads its code, dist/ and the rollout state beside it, never git, so
  // a copy of these is what the same synths in a test's repository write.
  let fleets: { dir: string; cleanup: () => void };
  type Start = '1.33' | '1.34';
  beforeAll(() => {
    fleets = tempDir('arlon-rollout-fleets-');
    const [first, second] = ['1.33', '1.34'].map((version) => path.join(fleets.dir, version));
    [first, second].forEach((dir) => fs.mkdirSync(dir));
    synthIn(first, '1.33');
    // '1.34' synthesizes after '1.33': it starts from a copy of what that synth wrote, not from the same synth again
    copyOutput(path.join(first, 'dist'), path.join(second, 'dist'));
    synthIn(second, '1.34');
  });
  afterAll(() => fleets.cleanup());
  /**
   * What `synth(version)` leaves, from the synths made once: '1.33' on an empty repository, '1.34' after '1.33'
   * (dist/, its render cache and rollout state, and prod-version, replaced).
   */
  const synthed = (version: Start) => {
    const from = path.join(fleets.dir, version);
    fs.rmSync(dist(), { recursive: true, force: true });
    copyOutput(path.join(from, 'dist'), dist());
    fs.copyFileSync(path.join(from, 'prod-version'), path.join(repo.dir, 'prod-version'));
  };
  const rolloutArgs = (args: string[]) => ['rollout', ...args, '--dist', dist(), ...(['status'].includes(args[0]) || args[0] !== 'promote'
    ? [] : ['--app', `node ${path.join(repo.dir, 'fleet.js')}`])];
  const rollout = (...args: string[]) => fixture.cli(rolloutArgs(args));
  // The rollout lock names the process holding it: commands that contend for it run as processes of their own (the built CLI).
  const rolloutProcess = (...args: string[]) => fixture.binary(rolloutArgs(args));
  const state = () => readRolloutState(path.join(repo.dir, 'dist.rollout.yaml'))!.profiles.prod;
  // (objects go by the cluster's names outside the repository, which dist/ gives)
  // (dist/ read once per call, not once per cluster)
  const controlPlanes = () => {
    const clusters = readDist(dist()).clusters;
    return Object.fromEntries(['canary-use1', 'prod-euw1', 'prod-use1'].map((c) => [c, (YAML.parse(fs.readFileSync(path.join(dist(),
      `clusters/${c}/AWSManagedControlPlane.${clusters.find((d) => d.name === c)!.controlPlaneName}.yaml`), 'utf8')) as { spec: { version: string } })
      .spec.version]));
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });

  beforeEach(() => {
    repo = tempDir('arlon-rollout-');
    fs.writeFileSync(path.join(repo.dir, 'fleet.js'), PROGRAM);
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
  });
  afterEach(() => repo.cleanup());

  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', 'HEAD').trim();
  };

  test('a Kubernetes bump of the prod profile reaches the dev wave, and promote releases prod once the dev wave is healthy', async () => {
    // GIVEN the example fleet as committed: the prod profile at 1.33 on canary-use1 (env=dev), prod-use1 and prod-euw1,
    // created by Cluster API and CAPA a day ago
    synthed('1.33');
    expect(readTree(dist())).toEqual(readTree(path.join(ROOT, 'dist')));
    expect(fs.readFileSync(path.join(repo.dir, 'dist.rollout.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'dist.rollout.yaml'), 'utf8'));
    const c1 = commit('the fleet');
    const released = readTree(dist());
    const before = state().target;

    // WHEN the prod profile moves to 1.34: only the dev wave's cluster changes in dist/ (its objects, and the
    // cluster-autoscaler image its values pick for its version)
    synthed('1.34');
    expect(changedPaths(released, readTree(dist()))).toEqual([
      'bundles/cluster-autoscaler/values/canary-use1.yaml',
      ...['AWSManagedControlPlane.acme--canary-use1-control-plane', 'Cluster.acme--canary-use1', 'MachinePool.acme--canary-use1-system',
        'MachinePool.acme--canary-use1-workers'].map((f) => `clusters/${'canary-use1'}/${f}.yaml`),
    ]);
    expect(controlPlanes()).toEqual({ 'canary-use1': 'v1.34', 'prod-euw1': 'v1.33', 'prod-use1': 'v1.33' });
    const target = state().target;
    const c2 = commit('prod: Kubernetes 1.34');

    // AND Argo CD has not synced the commit yet: the dev wave is not healthy at the new revision, whatever its conditions say
    observe(fixture.server, dist(), created(c1, 1500));
    const unsynced = await rollout('status', 'prod');
    expect(unsynced.stdout).toContain(`canary-use1: its Cluster carries revision ${before}, not ${target}: Argo CD has not synced the commit that released it; `
      + 'control plane runs 1.33, not 1.34; ');
    expect(unsynced.stdout).toContain(`Application acme--canary-use1 is synced at commit ${c1.slice(0, 12)}, before ${c2.slice(0, 12)} (the last change to `
      + 'dist/clusters/canary-use1): Argo CD has not applied it yet');

    // AND while EKS upgrades canary-use1's control plane, promote refuses and changes nothing
    observe(fixture.server, dist(), [...created(c1, 1500), ...upgraded('canary-use1', c2, [5])]);
    const status = await rollout('status', 'prod');
    expect(status).toMatchObject({ code: 0 });
    expect(status.stdout).toContain(`profile prod: rolling out revision ${target}, 1 of 3 cluster(s) released\n`);
    expect(status.stdout).toMatch(/\ndev +1 +1 +\S+ \(target\) +0\/1 +1h +-\nprod +2 +0 +\S+ +2\/2 +2h +required\n/);
    // (EKS names the cluster by its EKS name, fleet-scoped)
    expect(status.stdout).toContain('canary-use1: control plane: EKS is updating it (EKSControlPlaneUpdating); node pool system has an EKS node group that '
      + 'is not ready (EKSNodegroupReady False, EKSNodegroupReconciliationFailed: failed to reconcile nodegroup version: failed to update EKS nodegroup: '
      + 'api error ResourceInUseException: cluster acme--canary-use1 has an update in progress); ');
    const data = JSON.parse((await fixture.cli(['rollout', 'status', '--dist', dist(), '-o', 'json'])).stdout) as Array<{ profile: string; target: string; waves: unknown[] }>;
    expect(data.find((r) => r.profile === 'prod')).toMatchObject({
      target,
      complete: false,
      waves: [{ name: 'dev', clusters: 1, atTarget: 1, healthy: 0 }, { name: 'prod', clusters: 2, atTarget: 0, healthy: 2, revisions: [before] }],
      next: { wave: 'prod', clusters: ['prod-euw1'] },
    });
    const refused = await rollout('promote', 'prod', '--approve');
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stdout).toContain(`refused: cluster canary-use1 (released at ${target}) is not healthy: control plane: EKS is updating it (EKSControlPlaneUpdating)`);
    expect(refused.stderr).toContain('error: wave prod of profile "prod" was not released; dist.rollout.yaml and');
    expect(git('status', '--porcelain')).toBe('');

    // AND once the control plane is done, EKS replaces the Nodes of each pool: still not healthy
    observe(fixture.server, dist(), [...created(c1, 1500), ...upgraded('canary-use1', c2, [40, 10, 5])]);
    expect((await rollout('status', 'prod')).stdout).toContain('canary-use1: node pool system is Scaling, not Running; node pool workers is Scaling, not Running');

    // WHEN every Node runs 1.34, but the last change (the control plane's) was 15 minutes ago: the dev wave's 1h soak,
    // and prod's approval, hold it
    observe(fixture.server, dist(), [...created(c1, 1500), ...upgraded('canary-use1', c2, [40, 15, 10, 5])]);
    const soaking = await rollout('promote', 'prod');
    expect(soaking).toMatchObject({ code: 1 });
    expect(soaking.stdout).toMatch(/refused: cluster canary-use1 of wave dev has been as it is for 1\dm of its 1h soak \(since .*\); promote again after .*, or cut the soak short with --skip-soak\n/);
    expect(soaking.stdout).toContain('refused: wave prod requires approval; release it with `arlonctl rollout promote prod --approve`\n');

    // THEN once it has been healthy for longer than the soak, promote --approve releases the first prod cluster (by name)
    const canaryDone = upgraded('canary-use1', c2, [240, 200, 190, 180]);
    observe(fixture.server, dist(), [...created(c1, 1500), ...canaryDone]);
    const promoted = await rollout('promote', 'prod', '--approve');
    expect(promoted).toMatchObject({ code: 0 });
    expect(promoted.stdout).toContain(`released wave prod of profile "prod": prod-euw1 (1 of 2 in the wave) now run revision ${target}; approved by test `
      + '<test@example.com>; 1 cluster(s) change in');
    expect(controlPlanes()).toEqual({ 'canary-use1': 'v1.34', 'prod-euw1': 'v1.34', 'prod-use1': 'v1.33' });
    expect(state().waves[1]).toMatchObject({ name: 'prod', revision: before, released: { 'prod-euw1': target } });
    // the approval is a record in the state, reviewed in the pull request: who (git's identity) and when
    expect(state().approvals).toEqual([{ wave: 'prod', revision: target, gate: 'approval', by: 'test <test@example.com>', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    // AND the result is what a fresh synth writes: CI's check passes on it
    const c3 = commit('rollout: prod-euw1');
    const check = await fixture.cli(['check', '--dist', dist(), '--base', 'HEAD~1', '--app', `node ${path.join(repo.dir, 'fleet.js')}`]);
    expect(check).toMatchObject({ code: 0, stdout: expect.stringContaining('ok:') });

    // WHEN prod-euw1 has upgraded and soaked (wave prod has no soak; its health is required): the last step releases
    // prod-use1 and completes the rollout
    observe(fixture.server, dist(), [...created(c1, 1500), ...canaryDone, ...upgraded('prod-euw1', c3, [170, 130, 120, 110])]);
    const last = await rollout('promote', 'prod', '--approve');
    expect(last).toMatchObject({ code: 0, stderr: '' });
    expect(controlPlanes()).toEqual({ 'canary-use1': 'v1.34', 'prod-euw1': 'v1.34', 'prod-use1': 'v1.34' });
    expect(Object.keys(state().revisions)).toEqual([target]);
    const c4 = commit('rollout: prod-use1');
    observe(fixture.server, dist(), [...created(c1, 1500), ...canaryDone, ...upgraded('prod-euw1', c3, [170, 130, 120, 110]),
      ...upgraded('prod-use1', c4, [100, 60, 50, 40])]);
    const done = await rollout('status', 'prod');
    expect(done.stdout).toContain(`profile prod: every cluster runs revision ${target}\n`);
    expect(done.stdout).toMatch(/\ndev +1 +1 +\S+ \(target\) +1\/1 +1h +-\nprod +2 +2 +\S+ \(target\) +2\/2 +2h +required\n/);
    expect(await rollout('promote', 'prod')).toMatchObject({ code: 0, stdout: `nothing to promote: every cluster of profile "prod" runs revision ${target}\n` });
  }, 180_000);

  test('pause, resume and abort; and a step the upgrade guards block is refused', async () => {
    synthed('1.33');
    const c1 = commit('the fleet');
    synthed('1.34');
    const c2 = commit('prod: 1.34');
    observe(fixture.server, dist(), [...created(c1, 3000), ...upgraded('canary-use1', c2, [1000, 960, 950, 940])]);
    expect(await rollout('pause', 'prod')).toMatchObject({ code: 0, stdout: expect.stringContaining('paused the rollout of profile "prod"') });
    expect((await rollout('promote', 'prod', '--approve')).stdout).toContain('is paused; `arlonctl rollout resume prod` lets it go on');
    expect(await rollout('resume', 'prod')).toMatchObject({ code: 0 });
    expect(state().paused).toBeUndefined();

    // a second bump before prod got the first: canary-use1 goes on to 1.35, and prod would skip a minor (1.33 -> 1.35)
    synth('1.35');
    const c3 = commit('prod: 1.35');
    observe(fixture.server, dist(), [...created(c1, 3000), ...upgraded('canary-use1', c2, [1000, 960, 950, 940]),
      ...upgraded('canary-use1', c3, [800, 760, 750, 740])]);
    const blocked = await rollout('promote', 'prod', '--approve');
    expect(blocked).toMatchObject({ code: 1 });
    expect(blocked.stdout).toMatch(/refused: cluster prod-euw1: .*1\.33.*1\.35.* \(kubernetes-minor-skip\); fix: /);
    expect(controlPlanes()['prod-euw1']).toBe('v1.33');

    expect(await rollout('abort', 'prod')).toMatchObject({ code: 0, stdout: expect.stringContaining(`aborted revision ${state().target} of profile "prod"`) });
    expect((await rollout('promote', 'prod', '--approve')).stdout).toContain('was aborted; revert the change in the code');
    // the revert: canary-use1 follows the code back at once (reviewed in the plan), the others never moved
    synth('1.33');
    expect(controlPlanes()).toEqual({ 'canary-use1': 'v1.33', 'prod-euw1': 'v1.33', 'prod-use1': 'v1.33' });
    expect(state().aborted).toBeUndefined();
  }, 120_000);

  test('promote releases a step, never code edits dist/ does not hold yet', async () => {
    synthed('1.33');
    const c1 = commit('the fleet');
    synthed('1.34');
    const c2 = commit('prod: 1.34');
    observe(fixture.server, dist(), [...created(c1, 3000), ...upgraded('canary-use1', c2, [1000, 960, 950, 940])]);
    // GIVEN the code moved on (prod to 1.35) without a synth
    fs.writeFileSync(path.join(repo.dir, 'prod-version'), '1.35\n');
    // WHEN promoting: the step's synth would carry the edit, so it is refused and nothing changes
    const refused = await rollout('promote', 'prod', '--approve');
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain(`the code holds changes that are not in ${dist()} (profile "prod" differs from what dist/ holds; `
      + 'cluster(s) canary-use1 would change too); run the synth, review and commit them first, then promote: nothing was changed');
    expect(git('status', '--porcelain', '--', 'dist', 'dist.rollout.yaml')).toBe('');
    // AND with the code as dist/ holds it, the same promote passes
    fs.writeFileSync(path.join(repo.dir, 'prod-version'), '1.34\n');
    expect(await rollout('promote', 'prod', '--approve')).toMatchObject({ code: 0 });
  }, 120_000);

  test('one writer at a time: a command fails while another holds the rollout lock, and a state changed under a command is not overwritten', async () => {
    synthed('1.33');
    const c1 = commit('the fleet');
    synthed('1.34');
    const c2 = commit('prod: 1.34');
    observe(fixture.server, dist(), [...created(c1, 3000), ...upgraded('canary-use1', c2, [1000, 960, 950, 940])]);
    const stateFile = path.join(repo.dir, 'dist.rollout.yaml');
    // GIVEN another rollout command running (this process holds the lock)
    const lock = path.join(repo.dir, '.dist.arlon-rollout-lock');
    fs.writeFileSync(lock, String(process.pid));
    const before = fs.readFileSync(stateFile, 'utf8');
    const pause = await rolloutProcess('pause', 'prod');
    expect(pause).toMatchObject({ code: 1, stderr: expect.stringContaining(`another \`arlonctl rollout\` command (process ${process.pid}) is changing dist.rollout.yaml`) });
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(before);
    // a lock its holder left behind when it died is taken over
    fs.writeFileSync(lock, '999999999');
    expect(await rolloutProcess('pause', 'prod')).toMatchObject({ code: 0 });
    expect(fs.existsSync(lock)).toBe(false);
    expect(await rolloutProcess('resume', 'prod')).toMatchObject({ code: 0 });
    // WHEN a promote and a pause run at once: never both succeed, and the state says what the one that did did
    const [promoted, paused] = await Promise.all([rolloutProcess('promote', 'prod', '--approve'), rolloutProcess('pause', 'prod')]);
    expect(promoted.code === 0 && paused.code === 0
      ? (state().paused === true) !== (state().waves[1].released !== undefined) : true).toBe(true);
    if (paused.code === 0) {
      expect(state().paused).toBe(true);
    }
    if (promoted.code === 0) {
      expect(state().waves[1].released).toEqual({ 'prod-euw1': state().target });
    }
    // AND a state changed under a command (here: between its read and its write) is refused, not overwritten
    await expect(withRolloutState(dist(), (access) => {
      fs.appendFileSync(stateFile, '# edited\n');
      return access.write(access.state!);
    })).rejects.toThrow('dist.rollout.yaml changed since this command read it (a synth, or an edit, in between); nothing was written: run the command again');
    expect(fs.readFileSync(stateFile, 'utf8').endsWith('# edited\n')).toBe(true);
  }, 120_000);

  test('plan and its pull-request comment say which clusters a change holds back, wave by wave', async () => {
    synthed('1.33');
    git('add', '-A');
    git('commit', '-qm', 'the fleet');
    const before = state().target;
    synthed('1.34');
    const target = state().target;
    const line = `rollout of profile "prod" at revision ${target}: released to wave dev (1 of 1); held back: wave prod (2 cluster(s) at ${before}); `
      + '`arlonctl rollout promote prod` releases the next step';
    const plan = await fixture.cli(['plan', '--no-synth', '--dist', dist()]);
    expect(plan).toMatchObject({ code: 0 });
    expect(plan.stdout).toContain(`~ fleet\n    * ${line}\n`);
    const markdown = await fixture.cli(['plan', '--no-synth', '--dist', dist(), '-o', 'markdown']);
    expect(markdown.stdout).toContain(`- rollout of profile "prod" at revision ${target}: released to wave dev \\(1 of 1\\); held back: wave prod \\(2 cluster\\(s\\) `
      + `at ${before}\\);`);
    // nothing about rollouts when the change does not move one
    git('add', '-A');
    git('commit', '-qm', 'prod 1.34');
    expect((await fixture.cli(['plan', '--no-synth', '--dist', dist()])).stdout).not.toContain('rollout of profile');
  });

  test('status works from git alone: with --offline, or when the management cluster cannot be reached', async () => {
    synthed('1.33');
    synthed('1.34');
    const offline = await rollout('status', 'prod', '--offline');
    expect(offline).toMatchObject({ code: 0 });
    expect(offline.stdout).toMatch(/\ndev +1 +1 +\S+ \(target\) +\? +1h +-\nprod +2 +0 +\S+ +\? +2h +required\n/);
    expect(offline.stdout).toContain('next: wave prod: prod-euw1; promote would refuse:\n  - wave prod requires approval');
    expect(offline.stdout.endsWith('health not read (--offline)\n')).toBe(true);
    expect(fixture.server.requests).toEqual([]);
    // no management cluster to reach: no kubeconfig at all
    const unreachable = await fixture.cli(['rollout', 'status', 'prod', '--dist', dist(), '-o', 'json'], { KUBECONFIG: path.join(repo.dir, 'no-such-kubeconfig') });
    expect(unreachable).toMatchObject({ code: 0 });
    const report = (JSON.parse(unreachable.stdout) as Array<{ health: string; waves: Array<{ healthy: number | null }> }>)[0];
    expect(report.health).toMatch(/^health not read: /);
    expect(report.waves.map((w) => w.healthy)).toEqual([null, null]);
  });

  test('says what is missing without a dist.rollout.yaml, or for a profile without a policy', async () => {
    synthed('1.33');
    expect(await rollout('promote', 'observability')).toMatchObject({
      code: 2, stderr: expect.stringContaining('profile "observability" follows no rollout policy (its rollout state has no "observability"); the profiles that do: dev, prod'),
    });
    fs.rmSync(path.join(repo.dir, 'dist.rollout.yaml'));
    expect(await rollout('status')).toMatchObject({ code: 2, stderr: expect.stringContaining('there is no dist.rollout.yaml beside') });
  });
});
