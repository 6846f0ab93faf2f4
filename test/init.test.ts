import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readTree, tempDir } from './support/fleet-files';
import { installPackage } from './support/installed-package';

/**
 * `arlonctl init` from an empty folder, as the README's adoption section runs it, with the library installed from a
 * tarball of this repository and the toolchain linked from this project's node_modules (no network): projen writes
 * the repository, its synth writes dist/, its tests pass, and `arlonctl check` passes on the committed result.
 */
describe('arlonctl init: a fleet repository from an empty folder', () => {
  let repo: { dir: string; cleanup: () => void };
  let tarball: string;
  const run = (args: readonly string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, args, { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, CI: '', ...env } });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
  };
  const arlonctl = (...args: string[]) => run([path.join(repo.dir, 'node_modules/cdk8s-arlon/bin/arlonctl'), ...args]);
  const projen = (...args: string[]) => run([path.join(repo.dir, 'node_modules/projen/bin/projen'), ...args]);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });

  beforeAll(() => {
    repo = tempDir('arlon-init-');
    tarball = installPackage(repo.dir, { everything: true }).tarball;
    git('init', '-q');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
  }, 120_000);
  afterAll(() => repo.cleanup());

  test('writes the repository, which synthesizes, tests and checks', () => {
    // WHEN init runs in the empty repository
    const init = arlonctl('init', '--name', 'acme', '--repo-url', 'https://git.example.com/acme/fleet.git', '--library', `file:${tarball}`);
    expect(init.code).toBe(0);
    expect(init.out).toContain('wrote .projenrc.ts\n');
    // AND projen writes the rest (offline here: `npm install` is what --no-post skips)
    expect(projen('--no-post')).toMatchObject({ code: 0 });
    const manifest = JSON.parse(fs.readFileSync(path.join(repo.dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string>;
    };
    expect(manifest.dependencies['cdk8s-arlon']).toBe(`file:${tarball}`);
    expect(manifest.devDependencies.typescript).toBe('5.9.3');
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(['synth', 'test', 'plan']));
    // the synth runs the current source, and cdk8s synth and check run the same
    // (its output is a scratch folder: the cdk8s CLI empties it before the program runs; the fleet writes dist/ itself)
    expect(YAML.parse(fs.readFileSync(path.join(repo.dir, 'cdk8s.yaml'), 'utf8'))).toEqual({ language: 'typescript', app: 'npx ts-node src/main.ts', output: 'cdk8s.out' });
    expect(manifest.devDependencies['cdk8s-cli']).toBeDefined();
    const gitignore = fs.readFileSync(path.join(repo.dir, '.gitignore'), 'utf8');
    expect(gitignore).toContain('!/dist/');
    expect(gitignore).toContain('/cdk8s.out/');
    expect(gitignore).toContain('.*.arlon-*');
    // the CI workflow tests, publishes the plan on pull requests and runs check against the target branch
    const workflow = YAML.parse(fs.readFileSync(path.join(repo.dir, '.github/workflows/fleet.yml'), 'utf8')) as {
      jobs: { check: { steps: Array<{ run?: string }> } };
    };
    const steps = workflow.jobs.check.steps.map((s) => s.run ?? '');
    expect(steps).toEqual(expect.arrayContaining(['npm ci', 'npx projen test']));
    expect(steps.some((s) => s.startsWith('npx arlonctl plan --base origin/${{ github.base_ref }} -o markdown > plan.md'))).toBe(true);
    expect(steps.some((s) => s.startsWith('gh pr comment') && s.includes('--body-file plan.md'))).toBe(true);
    expect(steps.some((s) => s.startsWith("npx arlonctl check --base origin/${{ github.base_ref || 'main' }}"))).toBe(true);

    // WHEN the fleet is synthesized, its snapshot recorded and everything committed
    // (the synth task is `cdk8s synth`, without its npm upgrade check: no stack trace offline)
    const synth = projen('synth');
    expect(synth).toMatchObject({ code: 0, out: expect.stringContaining('synthesized fleet "acme" into dist:') });
    expect(synth.out).not.toContain('http error');
    expect(fs.readdirSync(path.join(repo.dir, 'cdk8s.out'))).toEqual(['fleet.k8s.yaml']);
    expect(fs.existsSync(path.join(repo.dir, 'dist/clusters/dev-use1/Cluster.acme--dev-use1.yaml'))).toBe(true);
    expect(projen('test:update')).toMatchObject({ code: 0 });
    // one snapshot per cluster and one of what they share, so a profile change shows once per cluster it reaches
    const snapshots = fs.readFileSync(path.join(repo.dir, 'test/__snapshots__/fleet.test.ts.snap'), 'utf8');
    expect(snapshots).toContain('exports[`cluster dev-use1 as reviewed 1`]');
    expect(snapshots).toContain('exports[`what the clusters share, as reviewed 1`]');
    git('add', '-A');
    git('commit', '-qm', 'the fleet');
    // THEN the tests (with lint) pass as CI runs them, and check passes on the committed fleet
    expect(projen('test')).toMatchObject({ code: 0 });
    expect(git('status', '--porcelain')).toBe('');
    const check = arlonctl('check', '--base', 'HEAD');
    expect(check).toMatchObject({ code: 0, out: expect.stringContaining('ok: dist matches a fresh synth') });

    // AND an edit is synthesized from the current source, and the plan shows it
    fs.writeFileSync(path.join(repo.dir, 'src/fleet.ts'), fs.readFileSync(path.join(repo.dir, 'src/fleet.ts'), 'utf8').replace('maxSize: 4', 'maxSize: 6'));
    expect(projen('synth')).toMatchObject({ code: 0 });
    const plan = arlonctl('plan');
    expect(plan.out).toContain('~ cluster dev-use1\n    * node pool general: scaling.maxSize 4 -> 6\n');

    // AND a broken edit fails the synth with the library's message, leaving dist/ as it was
    const synthesized = readTree(path.join(repo.dir, 'dist'));
    fs.writeFileSync(path.join(repo.dir, 'src/fleet.ts'), fs.readFileSync(path.join(repo.dir, 'src/fleet.ts'), 'utf8').replace("region: 'us-east-1'", "region: 'us-east'"));
    const failed = projen('synth');
    expect(failed.code).not.toBe(0);
    expect(failed.out).toContain('synth failed; the output folder was not changed\n');
    expect(failed.out).toContain('`region` "us-east" is not an AWS region code');
    expect(readTree(path.join(repo.dir, 'dist'))).toEqual(synthesized);
  }, 300_000);

  test('refuses to write over an existing repository, and a name that is not a fleet name', () => {
    expect(arlonctl('init', '--name', 'acme', '--repo-url', 'https://git.example.com/acme/fleet.git')).toMatchObject({
      code: 2, out: expect.stringContaining('already has .projenrc.ts, src/fleet.ts, src/main.ts, test/fleet.test.ts, .projen/tasks.json'),
    });
    expect(arlonctl('init', '--name', 'Acme Fleet', '--repo-url', 'x')).toMatchObject({ code: 2, out: expect.stringContaining('--name "Acme Fleet" is not a fleet name') });
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
