import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readTree, tempDir } from './support/fleet-files';
import { packLibrary } from './support/installed-package';
import { startLocalRegistry, type LocalRegistry } from './support/local-registry';

/**
 * The README's "Use it from your fleet repository", step by step, as a new team runs it: from an empty folder, the
 * library installed from a registry, `arlonctl init`, the real `npm install` and `npx projen`, the synth and the
 * snapshots, a commit; then CI on a fresh clone with an empty npm cache (`npm ci`, the tests, `arlonctl check`); then a
 * blocked edit, accepted in review in `arlon.accept.yaml`, planned as markdown and checked. The registry is a local
 * one that serves exactly what this project's lockfile installed (from npm's cache) and the packed library, with no
 * dist-tag but `latest`: nothing leaves the machine, and a pin that needs a dist-tag fails here as it would there.
 *
 * @slow (about 100 s: the Jest sequencer starts it first, test/support/slow-first-sequencer.js)
 */
describe('a fleet repository from an empty folder, as the README runs it', () => {
  let registry: LocalRegistry;
  let work: { dir: string; cleanup: () => void };
  let version: string;
  let repo: string;
  let ci: string;
  /** Every command the trial ran, in order, as a shell line. */
  const ran: string[] = [];

  /** A command in `cwd`, with npm pointed at the local registry and an npm cache of the folder's own (empty at first). */
  const sh = (cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      ran.push([command, ...args].join(' '));
      const child = spawn(command, args, {
        cwd,
        env: {
          ...process.env,
          CI: '',
          npm_config_registry: registry.url,
          npm_config_cache: path.join(cwd, '..', `${path.basename(cwd)}-npm-cache`),
          npm_config_audit: 'false',
          npm_config_fund: 'false',
          npm_config_update_notifier: 'false',
          ...env,
        },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
  const ok = async (cwd: string, command: string, ...args: string[]) => {
    const result = await sh(cwd, command, args);
    if (result.code !== 0) {
      throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} exited ${result.code}:\n${result.out}`);
    }
    return result.out;
  };

  beforeAll(async () => {
    work = tempDir('arlon-trial-');
    const library = packLibrary(work.dir);
    version = library.version;
    registry = await startLocalRegistry([library]);
    repo = path.join(work.dir, 'acme-fleet');
    ci = path.join(work.dir, 'ci');
    fs.mkdirSync(repo);
  });
  afterAll(async () => {
    await registry.close();
    work.cleanup();
  });

  test('init, install, synth, snapshots and a commit', async () => {
    await ok(repo, 'git', 'init', '-b', 'main');
    await ok(repo, 'git', 'config', 'user.email', 'test@example.com');
    await ok(repo, 'git', 'config', 'user.name', 'test');
    // the README's route: the library from the team's registry, pinned
    await ok(repo, 'npm', 'install', '--save-exact', `cdk8s-arlon@${version}`);
    const init = await ok(repo, 'npx', 'arlonctl', 'init', '--name', 'acme', '--repo-url', 'https://github.com/acme/acme-fleet.git');
    expect(init).toContain('wrote .projenrc.ts\n');
    expect(init).not.toContain('warning:');
    // .projenrc.ts is a few lines over the library's project type
    const projenrc = fs.readFileSync(path.join(repo, '.projenrc.ts'), 'utf8');
    expect(projenrc).toContain("import { FleetProject } from 'cdk8s-arlon/projen';");
    expect(projenrc).toContain(`cdk8sArlonVersion: '${version}'`);

    await ok(repo, 'npm', 'install');
    await ok(repo, 'npx', 'projen');
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>; devDependencies: Record<string, string>;
    };
    // every pin is a version or a range: the registry serves no dist-tag but `latest`
    for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      expect([name, spec]).toEqual([name, expect.stringMatching(/^[\^~]?\d|^\*$/)]);
    }
    expect(manifest.devDependencies).toMatchObject({ 'typescript': '5.9.3', '@types/node': '^20' });

    // synth into dist/ (build tooling never writes there), and the snapshots reviewed once
    const synth = await ok(repo, 'npx', 'projen', 'synth');
    expect(synth).toContain('synthesized fleet "acme" into dist:');
    // cdk8s synth without its npm upgrade check (no stack trace offline); its output folder gets the bootstrap objects
    expect(synth).not.toContain('http error');
    expect(fs.readdirSync(path.join(repo, 'cdk8s.out'))).toEqual(['fleet.k8s.yaml']);
    expect(await ok(repo, 'npx', 'projen', 'test:update')).toContain('2 written');
    expect(fs.existsSync(path.join(repo, 'dist/clusters/dev-use1/Cluster.acme--dev-use1.yaml'))).toBe(true);
    await ok(repo, 'git', 'add', '-A');
    await ok(repo, 'git', 'commit', '-m', 'the fleet');
    const committed = await ok(repo, 'git', 'ls-files');
    expect(committed).toContain('package-lock.json\n');
    expect(committed).toContain('.github/workflows/fleet.yml\n');
    expect(committed).not.toMatch(/^(node_modules|cdk8s\.out|lib)\//m);
  }, 400_000);

  test('CI: a fresh clone, an empty npm cache, npm ci, the tests and check', async () => {
    await ok(work.dir, 'git', 'clone', '-q', repo, ci);
    expect(fs.existsSync(path.join(work.dir, 'ci-npm-cache'))).toBe(false);
    await ok(ci, 'npm', 'ci');
    // the tests never rewrite code or snapshots
    const before = readTree(path.join(ci, 'test'));
    await ok(ci, 'npx', 'projen', 'test');
    expect(readTree(path.join(ci, 'test'))).toEqual(before);
    expect(await ok(ci, 'npx', 'arlonctl', 'check', '--base', 'origin/main')).toContain('ok: dist matches a fresh synth');
    expect(await ok(ci, 'git', 'status', '--porcelain')).toBe('');
  }, 400_000);

  test('a blocked edit, accepted in review, planned as markdown and checked', async () => {
    await ok(ci, 'git', 'checkout', '-b', 'move-dev');
    // WHEN the starter cluster moves region: CAPA refuses that in place
    const fleet = path.join(ci, 'src/fleet.ts');
    fs.writeFileSync(fleet, fs.readFileSync(fleet, 'utf8').replace("region: 'us-east-1'", "region: 'us-west-2'"));
    // THEN plan (which synthesizes first) blocks it and says how to accept it
    const blocked = await sh(ci, 'npx', ['projen', 'plan', '--base', 'origin/main']);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('x BLOCKED (immutable-field) AWSManagedControlPlane acme--dev-use1-control-plane .spec.region: us-east-1 -> us-west-2');
    const entry = /accept with: (- \{ rule: immutable-field, cluster: dev-use1, fingerprint: [0-9a-f]{12}), reason: "[^"]*" \}/.exec(blocked.out);
    expect(entry).not.toBeNull();
    expect(await sh(ci, 'npx', ['arlonctl', 'check', '--base', 'origin/main'])).toMatchObject({ code: 1 });

    // WHEN the team accepts it in the reviewed file, committed with the change
    fs.writeFileSync(path.join(ci, 'arlon.accept.yaml'), `accept:\n  ${entry![1]}, reason: "dev-use1 was never deployed" }\n`);
    // THEN the plan as markdown (the pull request's comment) shows it accepted, and check passes
    const markdown = await ok(ci, 'npx', 'arlonctl', 'plan', '--base', 'origin/main', '-o', 'markdown');
    expect(markdown).toContain('⚠️ ACCEPTED (`immutable-field`) AWSManagedControlPlane acme--dev-use1-control-plane .spec.region: us-east-1 -&gt; us-west-2');
    expect(markdown).toContain('dev-use1 was never deployed');
    expect(YAML.parse(fs.readFileSync(path.join(ci, 'arlon.accept.yaml'), 'utf8'))).toMatchObject({ accept: [{ rule: 'immutable-field' }] });
    expect(await ok(ci, 'npx', 'arlonctl', 'check', '--base', 'origin/main')).toContain('ok: dist matches a fresh synth');

    // AND a broken edit fails the synth with the library's message, and leaves dist/ as it was
    const synthesized = readTree(path.join(ci, 'dist'));
    fs.writeFileSync(fleet, fs.readFileSync(fleet, 'utf8').replace("region: 'us-west-2'", "region: 'us-west'"));
    const failed = await sh(ci, 'npx', ['projen', 'synth']);
    expect(failed.code).not.toBe(0);
    expect(failed.out).toContain('synth failed; the output folder was not changed\n');
    expect(failed.out).toContain('`region` "us-west" is not an AWS region code');
    expect(readTree(path.join(ci, 'dist'))).toEqual(synthesized);
  }, 400_000);

  test('the README\'s "Use it from your fleet repository" is what the trial ran, in order', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it from your fleet repository\n'), readme.indexOf('**What `init` writes.**'));
    const documented = [...section.matchAll(/```bash\n([\s\S]*?)```/g)]
      .flatMap((block) => block[1].split('\n'))
      .map((line) => line.replace(/(^|\s)#.*$/, ''))
      .flatMap((line) => line.split('&&'))
      .map((command) => command.replace(/"/g, '').replace('<version>', version).trim())
      .filter((command) => command !== '' && !/^(mkdir|cd) /.test(command));
    expect(documented.length).toBeGreaterThan(10);
    // each documented command was run, in the README's order (the trial runs more: git's identity, checks of failure)
    let next = 0;
    for (const command of ran) {
      if (command === documented[next]) {
        next++;
      }
    }
    expect(documented.slice(next)).toEqual([]);
  });
});
