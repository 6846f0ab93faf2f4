import * as fs from 'fs';
import * as path from 'path';
import { DIST, runCli } from './support/cli';
import { tempDir } from './support/fleet-files';
import { findRepositoryRoot } from '../src/cli/repository-root';
import { libraryVersion } from '../src/cli/version';

const ROOT = path.dirname(DIST);
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('arlonctl --version', () => {
  let home: { dir: string; cleanup: () => void };
  beforeEach(() => {
    home = tempDir();
  });
  afterEach(() => home.cleanup());

  test.each([['--version'], ['-V']])('%s prints the library\'s version from its package.json, wherever it runs', async (flag) => {
    // WHEN run from a folder with no package.json of its own
    const result = await runCli([flag], { home: home.dir, cwd: home.dir });
    // THEN
    expect(result).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('the version is read relative to the module, not the working folder', () => {
    expect(libraryVersion()).toBe(VERSION);
    expect(libraryVersion(path.join(ROOT, 'lib/src/cli'))).toBe(VERSION);
    expect(libraryVersion(home.dir)).toBe('unknown');
  });
});

describe('the fleet repository root, found from a subfolder', () => {
  let home: { dir: string; cleanup: () => void };
  beforeEach(() => {
    home = tempDir();
  });
  afterEach(() => home.cleanup());

  test('findRepositoryRoot: the first folder up with dist/fleet/, else the git root with a dist/, never above the git root', () => {
    // GIVEN a repository whose dist/ is the example fleet, and a subfolder
    const repo = path.join(home.dir, 'repo');
    fs.mkdirSync(path.join(repo, 'src/deep'), { recursive: true });
    fs.mkdirSync(path.join(repo, '.git'));
    fs.symlinkSync(DIST, path.join(repo, 'dist'));
    expect(findRepositoryRoot(path.join(repo, 'src/deep'))).toBe(repo);
    expect(findRepositoryRoot(repo)).toBe(repo);
    // a git root with a dist/ that is not a fleet: the root, so that the error names its dist/
    const broken = path.join(home.dir, 'broken');
    fs.mkdirSync(path.join(broken, 'dist'), { recursive: true });
    fs.mkdirSync(path.join(broken, '.git'));
    fs.mkdirSync(path.join(broken, 'src'));
    expect(findRepositoryRoot(path.join(broken, 'src'))).toBe(broken);
    // a nested git repository without dist/: the search stops there
    const nested = path.join(repo, 'vendor/other');
    fs.mkdirSync(path.join(nested, '.git'), { recursive: true });
    expect(findRepositoryRoot(nested)).toBeUndefined();
  });

  test('list clusters from a subfolder reads the repository\'s dist/ and says so on stderr, stdout as from the root', async () => {
    // GIVEN
    const fromRoot = await runCli(['list', 'clusters'], { home: home.dir });
    // WHEN run two folders down
    const result = await runCli(['list', 'clusters'], { home: home.dir, cwd: path.join(ROOT, 'src/cli') });
    // THEN
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(fromRoot.stdout);
    expect(result.stderr).toBe(`note: using ${DIST}, of the fleet repository above the working folder (pass --dist to choose another)\n`);
    // and from the root itself, no note
    expect(fromRoot.stderr).toBe('');
  });

  test('describe and -o json from a subfolder of another repository; --dist as given is used as given', async () => {
    // GIVEN a fleet repository (its dist/ the example fleet) and a subfolder
    const repo = path.join(home.dir, 'fleet');
    fs.mkdirSync(path.join(repo, 'src/profiles'), { recursive: true });
    fs.symlinkSync(DIST, path.join(repo, 'dist'));
    const cwd = path.join(repo, 'src/profiles');
    // WHEN
    const described = await runCli(['describe', 'cluster', 'prod-euw1', '-o', 'json'], { home: home.dir, cwd });
    const given = await runCli(['--dist', 'dist', 'list', 'clusters'], { home: home.dir, cwd });
    // THEN
    expect(described.code).toBe(0);
    expect(JSON.parse(described.stdout)).toMatchObject({ name: 'prod-euw1' });
    expect(described.stderr).toContain(`note: using ${path.join(repo, 'dist')}`);
    expect(given.code).toBe(1);
    expect(given.stderr).toContain('error: dist is not a synthesized fleet (no fleet/ folder)');
  });

  test('a git root whose dist/ is not a fleet is named in the error, not the subfolder', async () => {
    const repo = path.join(home.dir, 'empty');
    fs.mkdirSync(path.join(repo, 'dist'), { recursive: true });
    fs.mkdirSync(path.join(repo, '.git'));
    fs.mkdirSync(path.join(repo, 'src'));
    const result = await runCli(['list', 'clusters'], { home: home.dir, cwd: path.join(repo, 'src') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ${path.join(repo, 'dist')} is not a synthesized fleet (no fleet/ folder)`);
  });
});

describe('arlonctl describe profile and describe bundle', () => {
  let home: { dir: string; cleanup: () => void };
  beforeEach(() => {
    home = tempDir();
  });
  afterEach(() => home.cleanup());
  const cli = (args: string[]) => runCli(args, { home: home.dir });

  test('a profile with a rollout policy: its clusters, bundles and each wave with the clusters dist/ puts in it', async () => {
    const text = await cli(['describe', 'profile', 'prod']);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(/^Name: {8}prod\nClusters: {4}canary-use1, prod-euw1, prod-use1\nBundles: {5}cluster-autoscaler, metrics-server\n/);
    expect(text.stdout).toMatch(/^ {2}prod {3}the rest +prod-euw1,prod-use1 +\w+ \(target\) +soak 2h, approval, max 1 at a time$/m);
    const data = JSON.parse((await cli(['describe', 'profile', 'prod', '-o', 'json'])).stdout);
    expect(data).toMatchObject({
      name: 'prod',
      clusters: ['canary-use1', 'prod-euw1', 'prod-use1'],
      bundles: ['cluster-autoscaler', 'metrics-server'],
      rollout: { waves: [{ name: 'dev', matchLabels: { env: 'dev' }, clusters: ['canary-use1'] }, { name: 'prod', clusters: ['prod-euw1', 'prod-use1'] }] },
    });
    expect(data.rollout.waves[1]).toMatchObject({ maxClusters: 1, requireApproval: true, soak: '2h', revision: data.rollout.target });
  });

  test('a profile without a rollout policy says so', async () => {
    const result = await cli(['describe', 'profile', 'observability']);
    expect(result.stdout).toContain('Rollout:     none (its changes reach every cluster at once)\n');
    expect(JSON.parse((await cli(['describe', 'profile', 'observability', '-o', 'json'])).stdout).rollout).toBeUndefined();
  });

  test('a bundle: kind, source, version, namespace, removal policy, profiles, clusters and those with values of their own', async () => {
    const text = await cli(['describe', 'bundle', 'wordpress']);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe([
      'Name:        wordpress',
      'Kind:        helm',
      'Description: The company blog',
      'Source:      oci://registry-1.docker.io/bitnamicharts/wordpress',
      'Version:     28.1.5',
      'Namespace:   wordpress',
      'Release:     wordpress',
      'Removal:     retain (what it installed stays when its Applications are deleted)',
      'Profiles:    dev',
      'Clusters:    dev-euw1, dev-use1',
      'Own values:  dev-euw1, dev-use1',
      '',
    ].join('\n'));
    const data = JSON.parse((await cli(['describe', 'bundle', 'tenant-baseline', '-o', 'json'])).stdout);
    expect(data).toMatchObject({
      name: 'tenant-baseline',
      kind: 'inline',
      source: { repoUrl: 'https://github.com/acme/platform-fleet.git', path: 'dist/bundles/tenant-baseline' },
      version: 'main',
      namespace: 'apps',
      removalPolicy: 'retain',
      profiles: ['dev'],
      clustersWithOwnValues: [],
      clusterSources: {},
    });
    expect(data.clusters).toEqual(['dev-euw1', 'dev-use1', 'legacy-ops']);
  });

  test.each([
    [['describe', 'profile', 'nope'], 'error: the fleet has no profile "nope"; its profiles: dev, observability, prod\n'],
    [['describe', 'bundle', 'nope'], 'error: the fleet has no bundle "nope"; its bundles: baseline-policies, cluster-autoscaler, metrics-server, tenant-baseline, wordpress\n'],
    [['describe', 'node', 'x'], 'error: cannot describe "node"; use: arlonctl describe cluster|profile|bundle <name>\n'],
    [['describe', 'bundle', 'wordpress', '--trust-policy'], 'error: --trust-policy is for clusters; use it with `describe cluster`\n'],
  ])('%j is a usage error naming what is known', async (args, message) => {
    const result = await cli(args);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${message}run arlonctl --help for usage\n` });
  });
});
