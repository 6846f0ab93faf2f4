import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'projen';
import * as YAML from 'yaml';
import { tempDir } from './support/fleet-files';
import { FleetProject, fleetToolchain, type FleetProjectOptions } from '../src/projen';

const LIBRARY = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
  version: string; devDependencies: Record<string, string>; peerDependencies: Record<string, string>;
};

interface Step { readonly spawn?: string; readonly exec?: string; readonly execArgs?: string[]; readonly receiveArgs?: boolean }

/** What projen writes for a fleet repository, by file (no install: projen's `Testing.synth`). */
function synthesize(options: Partial<FleetProjectOptions> = {}) {
  const project = new FleetProject({ name: 'acme-fleet', outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'arlon-fleet-project-')), ...options });
  const files = Testing.synth(project);
  const tasks = (files['.projen/tasks.json'] as { tasks: Record<string, { steps?: Step[]; env?: Record<string, string> }> }).tasks;
  const commands = (task: string) => (tasks[task].steps ?? []).map((s) => s.spawn !== undefined ? `spawn ${s.spawn}` : s.exec ?? s.execArgs!.join(' '));
  fs.rmSync(project.outdir, { recursive: true, force: true });
  return { project, files, tasks, commands, gitignore: (files['.gitignore'] as string).split('\n') };
}

describe('FleetProject: the fleet repository as projen manages it', () => {
  const fleet = synthesize();

  test('build compiles, synthesizes dist/ and tests, as cdk8s apps build; plan synthesizes first', () => {
    expect(fleet.commands('build')).toEqual(['spawn default', 'spawn pre-compile', 'spawn compile', 'spawn post-compile', 'spawn test', 'spawn package']);
    expect(fleet.commands('post-compile')).toEqual(['spawn synth']);
    expect(fleet.commands('synth')).toEqual(['cdk8s synth']);
    // no upgrade check: it prints a stack trace on a machine without internet
    expect(fleet.tasks.synth.env).toEqual({ CDK8S_CHECK_UPGRADE: 'false' });
    expect(fleet.commands('plan')).toEqual(['spawn synth', 'arlonctl plan --no-synth']);
    expect(fleet.commands('check')).toEqual(['arlonctl check']);
    expect(YAML.parse(fleet.files['cdk8s.yaml'] as string)).toEqual({ language: 'typescript', app: 'npx ts-node src/main.ts', output: 'cdk8s.out' });
  });

  test('test neither rewrites code (eslint without --fix) nor snapshots (jest --ci)', () => {
    expect(fleet.commands('test')).toEqual(['jest --passWithNoTests --ci', 'spawn eslint']);
    const eslint = fleet.commands('eslint').join(' ');
    expect(eslint).toMatch(/^eslint /);
    expect(eslint).not.toContain('--fix');
    // snapshots are rewritten only when asked: -u writes them even beside --ci
    expect(fleet.commands('test:update')).toEqual(['jest --updateSnapshot --passWithNoTests --ci']);
  });

  test('nothing projen builds lands in dist/, which is committed; what a synth keeps beside it is not', () => {
    expect(fleet.project.artifactsDirectory).toBe('build/artifacts');
    expect(fleet.tasks.package).toBeDefined();
    expect(JSON.stringify(fleet.tasks)).not.toMatch(/"dist\//);
    expect(fleet.gitignore).toEqual(expect.arrayContaining(['!/dist/', '.*.arlon-*', '/cdk8s.out/']));
    expect(() => synthesize({ artifactsDirectory: 'dist' })).toThrow('FleetProject: artifactsDirectory "dist" is inside dist/, which holds what Argo CD deploys');
    expect(() => synthesize({ artifactsDirectory: './dist/js' })).toThrow(/inside dist\//);
  });

  test('pins the versions the library is built and tested with, never a dist-tag', () => {
    const manifest = fleet.files['package.json'] as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(manifest.dependencies).toEqual({
      'cdk8s-arlon': `^${LIBRARY.version}`,
      'cdk8s': LIBRARY.peerDependencies.cdk8s,
      'constructs': LIBRARY.peerDependencies.constructs,
      'cdk8s-plus-28': LIBRARY.peerDependencies['cdk8s-plus-28'],
    });
    expect(manifest.devDependencies).toMatchObject({
      'typescript': LIBRARY.devDependencies.typescript,
      // from minNodeVersion: without it projen asks for @types/node@ts5.9, a dist-tag many registries do not serve
      '@types/node': '^20',
      'jest': LIBRARY.devDependencies.jest,
      'ts-jest': LIBRARY.devDependencies['ts-jest'],
      'projen': LIBRARY.devDependencies.projen,
      'cdk8s-cli': LIBRARY.devDependencies['cdk8s-cli'],
      'eslint-plugin-import': LIBRARY.devDependencies['eslint-plugin-import'],
    });
    for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      expect([name, spec]).toEqual([name, expect.stringMatching(/^[\^~]?\d+(\.\d+){0,2}$|^>=? ?\d/)]);
    }
  });

  test('upgrading the library upgrades the pins: they are read from the installed package.json', () => {
    const installed = tempDir('arlon-toolchain-');
    try {
      const next = {
        ...LIBRARY,
        name: 'cdk8s-arlon',
        version: '2.0.0',
        engines: { node: '>= 22.19.0' },
        devDependencies: { ...LIBRARY.devDependencies, typescript: '5.9.9', jest: '^31.0.0' },
      };
      fs.writeFileSync(path.join(installed.dir, 'package.json'), JSON.stringify(next));
      fs.mkdirSync(path.join(installed.dir, 'lib/src/projen'), { recursive: true });
      expect(fleetToolchain(path.join(installed.dir, 'lib/src/projen'))).toMatchObject({ cdk8sArlon: '2.0.0', typescript: '5.9.9', jest: '^31.0.0', minNodeVersion: '22.19.0' });
    } finally {
      installed.cleanup();
    }
  });

  test('a tarball dependency is committed (projen ignores *.tgz), so a fresh checkout installs it', () => {
    const vendored = synthesize({ cdk8sArlonVersion: 'file:vendor/cdk8s-arlon-1.2.0.tgz' });
    expect(vendored.gitignore).toEqual(expect.arrayContaining(['*.tgz', '!/vendor/cdk8s-arlon-1.2.0.tgz']));
    expect(vendored.gitignore.indexOf('!/vendor/cdk8s-arlon-1.2.0.tgz')).toBeGreaterThan(vendored.gitignore.indexOf('*.tgz'));
  });

  test('CI: the tests, the plan as a pull request comment, and check against the target branch', () => {
    const workflow = YAML.parse(fleet.files['.github/workflows/fleet.yml'] as string) as { on: unknown; jobs: { check: { steps: Array<{ run?: string; with?: unknown }> } } };
    expect(workflow.on).toEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
    const steps = workflow.jobs.check.steps;
    expect(steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(steps[1]).toEqual({ uses: 'actions/setup-node@v4', with: { 'node-version': '20' } });
    const runs = steps.map((s) => s.run ?? '');
    expect(runs.slice(2, 4)).toEqual(['npm ci', 'npx projen test']);
    expect(runs).toContain('npx arlonctl plan --base origin/${{ github.base_ref }} -o markdown > plan.md || true');
    expect(runs.some((s) => s.startsWith('gh pr comment') && s.includes('--body-file plan.md'))).toBe(true);
    expect(runs[runs.length - 1]).toBe("npx arlonctl check --base origin/${{ github.base_ref || 'main' }}");
    const release = YAML.parse(synthesize({ defaultReleaseBranch: 'release', fleetWorkflow: true }).files['.github/workflows/fleet.yml'] as string) as typeof workflow;
    expect(release.on).toEqual({ pull_request: { branches: ['release'] }, push: { branches: ['release'] } });
    expect(synthesize({ fleetWorkflow: false }).files['.github/workflows/fleet.yml']).toBeUndefined();
  });
});
