import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/fleet-files';
import { lastCommitsChanging } from '../src/operations/git-dist';
import { readReleaseEvidence } from '../src/operations/release-evidence';

describe('release evidence: what the fleet repository says of the commits Argo CD reports', () => {
  let repo: { dir: string; cleanup: () => void };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(repo.dir, file), text);
  };
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };

  beforeEach(() => {
    repo = tempDir('arlon-evidence-');
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
  });
  afterEach(() => repo.cleanup());

  test('the last commit changing each path (file or folder), whether a synced commit holds it, and changes not committed', async () => {
    write('dist/clusters/a/Cluster.a.yaml', 'v1');
    write('dist/clusters/b/Cluster.b.yaml', 'v1');
    write('dist/bundles/ca/values/a.yaml', 'v1');
    const c1 = commit('fleet');
    write('dist/clusters/a/Cluster.a.yaml', 'v2');
    const c2 = commit('a: 1.34');
    write('README.md', 'docs');
    const c3 = commit('docs');
    git('checkout', '-q', '-b', 'side', c1);
    write('dist/clusters/b/Cluster.b.yaml', 'side');
    const side = commit('side');
    git('checkout', '-q', '-');

    const evidence = await readReleaseEvidence(path.join(repo.dir, 'dist'), ['dist/clusters/a', 'dist/clusters/b', 'dist/bundles/ca/values/a.yaml', 'dist/clusters/c', '']);
    expect(['dist/clusters/a', 'dist/clusters/b', 'dist/bundles/ca/values/a.yaml', 'dist/clusters/c', ''].map((p) => evidence.lastChange(p)))
      .toEqual([c2, c1, c1, undefined, c3]);
    // c3 holds c2 (a later commit); c1 does not; a commit of another branch does not; one this clone lacks is unknown
    expect([c3, c2, c1, side].map((synced) => evidence.contains(synced, c2))).toEqual([true, true, false, false]);
    expect(evidence.contains('0123456789abcdef0123456789abcdef01234567', c2)).toBeUndefined();

    write('dist/clusters/b/Cluster.b.yaml', 'edited');
    write('dist/clusters/c/Cluster.c.yaml', 'new');
    const edited = await readReleaseEvidence(path.join(repo.dir, 'dist'), ['dist/clusters/a', 'dist/clusters/b', 'dist/clusters/c']);
    expect(['dist/clusters/a', 'dist/clusters/b', 'dist/clusters/c'].map((p) => edited.lastChange(p))).toEqual([c2, 'uncommitted', 'uncommitted']);
  });

  test('a repository without a commit holds nothing; of many commits changing a folder, the newest', async () => {
    write('dist/clusters/a/Cluster.a.yaml', 'v1');
    expect((await readReleaseEvidence(path.join(repo.dir, 'dist'), ['dist/clusters/a'])).lastChange('dist/clusters/a')).toBe('uncommitted');
    commit('fleet');
    for (let i = 0; i < 30; i++) {
      write('dist/clusters/b/Cluster.b.yaml', `v${i}`);
      commit(`b ${i}`);
    }
    expect(await lastCommitsChanging(repo.dir, ['dist/clusters/b/', 'nowhere'])).toEqual(new Map([['dist/clusters/b', git('rev-parse', 'HEAD')]]));
  });
});
