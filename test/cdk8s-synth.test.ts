import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readTree, tempDir } from './support/fleet-files';

const ROOT = path.resolve(__dirname, '..');
const CDK8S = path.join(ROOT, 'node_modules/.bin/cdk8s');
const CONFIG = YAML.parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string; output: string };

/** Runs the standard cdk8s CLI in `cwd` as a user would, offline (its npm upgrade check off). */
function cdk8sSynth(cwd: string, args: readonly string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(CDK8S, ['synth', ...args], { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder with a cdk8s.yaml that runs `program` (which uses the compiled library) with this repository's `output`. */
function cdk8sProject(dir: string, program: string, output = CONFIG.output): void {
  fs.writeFileSync(path.join(dir, 'main.js'), program.replace(/LIBRARY/g, JSON.stringify(path.join(ROOT, 'lib/src'))));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), YAML.stringify({ language: 'typescript', app: 'node main.js', output }));
}

const FLEET = `const { Fleet, synthFleet } = require(LIBRARY);
synthFleet(() => new Fleet({ name: 'acme', repoUrl: REPO_URL }));
`;

describe('`cdk8s synth`', () => {
  test('with cdk8s.yaml, produces the committed dist/, and the bootstrap objects in its own output folder', () => {
    // GIVEN the example app run by the standard cdk8s CLI, its dist/ sent to a scratch folder as `arlonctl check` does
    const out = tempDir();
    try {
      const dist = path.join(out.dir, 'dist');
      const result = cdk8sSynth(ROOT, ['--output', path.join(out.dir, 'cdk8s.out')], { ARLON_OUTDIR: dist });
      // THEN it succeeds and the fleet wrote exactly the committed files
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('synthesized fleet "acme"') });
      expect(readTree(dist)).toEqual(readTree(path.join(ROOT, 'dist')));
      // AND the CLI's output folder holds the objects `arlonctl deploy` applies, as the CLI lists them
      const bootstrap = path.join(out.dir, 'cdk8s.out', 'fleet.k8s.yaml');
      expect(result.stdout).toContain(`  - ${bootstrap}`);
      const committed = [...readTree(path.join(ROOT, 'dist/fleet')).values()].map((text) => YAML.parse(text) as unknown);
      expect(YAML.parseAllDocuments(fs.readFileSync(bootstrap, 'utf8')).map((d) => d.toJS() as unknown)).toEqual(committed);
    } finally {
      out.cleanup();
    }
  });

  test('names a scratch output folder in cdk8s.yaml, not dist/ (the cdk8s CLI empties it before the app runs)', () => {
    expect(CONFIG.output).toBe('cdk8s.out');
    expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toContain('\n/cdk8s.out/\n');
  });

  test('that fails leaves dist/ as it was, and says why without a stack trace into the library', () => {
    const project = tempDir();
    try {
      // GIVEN a fleet repository with a committed dist/ and a fleet program with a bad repoUrl
      fs.mkdirSync(path.join(project.dir, 'dist/fleet'), { recursive: true });
      fs.writeFileSync(path.join(project.dir, 'dist/fleet/AppProject.acme.yaml'), 'as committed\n');
      cdk8sProject(project.dir, FLEET.replace('REPO_URL', JSON.stringify('not a url')));
      // WHEN cdk8s synth runs it
      const result = cdk8sSynth(project.dir);
      // THEN it fails with the library's message, and dist/ is untouched
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('synth failed; the output folder was not changed\n');
      expect(result.stderr).toContain('`repoUrl` "not a url" is not a git URL');
      expect(result.stderr).not.toContain(path.join(ROOT, 'lib'));
      expect(readTree(path.join(project.dir, 'dist'))).toEqual(new Map([['fleet/AppProject.acme.yaml', 'as committed\n']]));
    } finally {
      project.cleanup();
    }
  });

  test('warns when cdk8s.yaml names the fleet\'s own folder as output, which the cdk8s CLI empties first', () => {
    const project = tempDir();
    try {
      cdk8sProject(project.dir, FLEET.replace('REPO_URL', JSON.stringify('https://git.example.com/acme/fleet.git')), 'dist');
      const result = cdk8sSynth(project.dir);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('warning: cdk8s synth\'s output folder "dist" is the fleet\'s own folder, and cdk8s synth empties it before '
        + 'the program runs, so a failed synth leaves it empty; set `output: cdk8s.out` in cdk8s.yaml');
      expect(fs.existsSync(path.join(project.dir, 'dist/fleet/Application.acme.yaml'))).toBe(true);
    } finally {
      project.cleanup();
    }
  });
});
