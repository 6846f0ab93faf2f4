import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree, tempDir } from './support/fleet-files';
import { fleetRepositoryFiles } from '../src/cli/init-templates';

const VERSION = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: string }).version;

/** `arlonctl init` in a folder of its own, with this repository's `arlonctl` (the whole flow is fleet-repository-trial). */
function initIn(setup: (dir: string) => void, ...args: string[]) {
  const dir = tempDir('arlon-init-');
  try {
    setup(dir.dir);
    const result = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/arlonctl'), 'init', ...args], { cwd: dir.dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, files: readTree(dir.dir) };
  } finally {
    dir.cleanup();
  }
}
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
const NAME = ['--name', 'acme', '--repo-url', 'https://git.example.com/acme/fleet.git'];

describe('arlonctl init', () => {
  test('writes .projenrc.ts over the library\'s project type, depending on this version from a registry by default', () => {
    const result = initIn((dir) => git(dir, 'init', '-q', '-b', 'main'), ...NAME);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const projenrc = result.files.get('.projenrc.ts');
    expect(projenrc).toContain("import { FleetProject } from 'cdk8s-arlon/projen';");
    expect(projenrc).toContain("defaultReleaseBranch: 'main',");
    expect(projenrc).toContain(`cdk8sArlonVersion: '^${VERSION}',`);
    expect(JSON.parse(result.files.get('package.json')!)).toMatchObject({ dependencies: { 'cdk8s-arlon': `^${VERSION}` } });
  });

  test('the README shows the .projenrc.ts init writes, word for word', () => {
    const projenrc = fleetRepositoryFiles({ name: 'acme', repoUrl: 'https://github.com/acme/acme-fleet.git', branch: 'main', library: '1.2.0' }).get('.projenrc.ts');
    expect(fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8')).toContain(`\`\`\`ts\n${projenrc}\`\`\``);
  });

  test('copies a tarball from outside into vendor/, where a fresh checkout (CI) installs it from', () => {
    const outside = tempDir('arlon-tarball-');
    try {
      const tarball = path.join(outside.dir, 'cdk8s-arlon-9.9.9.tgz');
      fs.writeFileSync(tarball, 'packed');
      const result = initIn((dir) => git(dir, 'init', '-q', '-b', 'main'), ...NAME, '--library', `file:${tarball}`);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('wrote vendor/cdk8s-arlon-9.9.9.tgz (the library\'s tarball: commit it, CI installs it from there)\n');
      expect(result.files.get('vendor/cdk8s-arlon-9.9.9.tgz')).toBe('packed');
      expect(result.files.get('.projenrc.ts')).toContain("cdk8sArlonVersion: 'file:vendor/cdk8s-arlon-9.9.9.tgz',");
      expect(JSON.parse(result.files.get('package.json')!)).toMatchObject({ dependencies: { 'cdk8s-arlon': 'file:vendor/cdk8s-arlon-9.9.9.tgz' } });
    } finally {
      outside.cleanup();
    }
  });

  test('refuses a folder as the library: CI checks out only the fleet repository', () => {
    const result = initIn(() => undefined, ...NAME, '--library', 'file:../cdk8s-arlon');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist; give the tarball `npm pack` wrote');
    const folder = initIn((dir) => fs.mkdirSync(path.join(dir, 'lib-copy')), ...NAME, '--library', 'file:lib-copy');
    expect(folder).toMatchObject({ code: 2, stderr: expect.stringContaining('--library "file:lib-copy" is a folder; CI checks out only the fleet repository') });
    expect([...folder.files.keys()]).toEqual([]);
  });

  test('warns when the repository\'s branch is not the one the fleet deploys from (git init gives master)', () => {
    const result = initIn((dir) => git(dir, 'init', '-q', '-b', 'master'), ...NAME);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: this repository\'s branch is "master", but the fleet deploys from "main" (--branch: the Fleet\'s targetRevision, '
      + 'the workflow\'s target); Argo CD would not find it. Rename the branch (`git branch -m master main`), or follow "master": set defaultReleaseBranch '
      + 'in .projenrc.ts and targetRevision in src/fleet.ts to it\n');
    expect(initIn((dir) => git(dir, 'init', '-q', '-b', 'master'), ...NAME, '--branch', 'master').stderr).toBe('');
    expect(initIn(() => undefined, ...NAME).stderr).toMatch(/is not a git repository; Argo CD pulls dist\/ from git: `git init -b main`/);
  });

  test('refuses to write over an existing repository, and a name that is not a fleet name', () => {
    const again = initIn((dir) => fs.writeFileSync(path.join(dir, '.projenrc.ts'), '// mine'), ...NAME);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('already has .projenrc.ts;') });
    expect(again.files.get('.projenrc.ts')).toBe('// mine');
    expect(initIn(() => undefined, '--name', 'Acme Fleet', '--repo-url', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('--name "Acme Fleet" is not a fleet name') });
  });
});

describe('arlonctl init refuses credentials in --repo-url, and writes nothing', () => {
  // Tokens in published formats, assembled here so that this file holds none.
  const GITLAB_TOKEN = ['glpat', '-', 'abcdefghij0123456789'].join('');
  const GITHUB_TOKEN = ['ghp_', 'a1B2c3D4e5'.repeat(4)].join('');
  const init = (repoUrl: string) => {
    const dir = tempDir('arlon-init-creds-');
    try {
      const result = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/arlonctl'), 'init', '--name', 'acme', '--repo-url', repoUrl],
        { cwd: dir.dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
      return { code: result.status, out: `${result.stdout}${result.stderr}`, written: [...readTree(dir.dir).keys()] };
    } finally {
      dir.cleanup();
    }
  };

  test.each([
    ['a user and token', 'https://bot:s3cretToken99@github.com/acme/fleet.git', 'a URL with a password', 'https://github.com/acme/fleet.git'],
    ['a GitLab token as the password', `https://oauth2:${GITLAB_TOKEN}@gitlab.com/acme/fleet.git`, 'a GitLab token', 'https://gitlab.com/acme/fleet.git'],
    ['a GitHub token as the user', `https://${GITHUB_TOKEN}@github.com/acme/fleet.git`, 'a GitHub token', 'https://github.com/acme/fleet.git'],
    ['a token in the query', 'https://git.example.com/acme/fleet.git?access_token=abcdef123456', 'a URL with a credential in its query',
      'https://git.example.com/acme/fleet.git'],
  ])('%s', (_what, url, rule, bare) => {
    const result = init(url);
    expect(result.code).toBe(2);
    expect(result.out).toContain(`--repo-url carries credentials (${rule}); init writes the URL into src/fleet.ts and dist/, which are committed to git, `
      + `so give the bare URL (here "${bare}"), and give Argo CD the credentials when you deploy: \`ARLON_REPO_PASSWORD=<token> arlonctl deploy --repo-username <user>\``);
    for (const secret of ['s3cretToken99', GITLAB_TOKEN, GITHUB_TOKEN, 'abcdef123456']) {
      expect(result.out).not.toContain(secret);
    }
    expect(result.written).toEqual([]);
  });

  test('takes a bare URL and an SSH URL', () => {
    for (const url of ['https://github.com/acme/fleet.git', 'git@github.com:acme/fleet.git']) {
      const result = init(url);
      expect(result.code).toBe(0);
      expect(result.written).toContain('src/fleet.ts');
    }
  });
});
