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
