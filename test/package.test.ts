import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './support/fleet-files';
import { installPackage } from './support/installed-package';

const ROOT = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/**
 * The package as a fleet repository gets it: packed the way `npm pack` packs it (lib/ is built by the test task first;
 * `prepack` builds it otherwise), unpacked into a scratch repository's node_modules, its dependencies linked from this
 * project's (no network), then used there: a fleet program synthesizes, arlonctl reads what it wrote, and a
 * TypeScript program type-checks against the package's declarations.
 */
describe('the package, installed into a fleet repository', () => {
  let repo: { dir: string; cleanup: () => void };
  let files: string[];

  beforeAll(() => {
    repo = tempDir('arlon-fleet-repo-');
    files = installPackage(repo.dir).files;
    fs.writeFileSync(path.join(repo.dir, 'package.json'), JSON.stringify({ name: 'acme-fleet', private: true, dependencies: { [manifest.name]: manifest.version } }));
  }, 120_000);
  afterAll(() => repo.cleanup());

  test('builds lib/ whenever it is packed or installed from git', () => {
    expect(manifest.scripts.prepack).toBe('tsc --build');
    expect(manifest.scripts.prepare).toBe('tsc --build');
  });

  test('ships the compiled library and arlonctl, and nothing of this repository\'s own workings', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/arlonctl', manifest.main, manifest.types, 'lib/src/cli/main.js']));
    // vendor/: the upstream manifests of the management plane and the AWS catalogue the library reads at synth (vendor/SOURCES.md)
    const outside = files.filter((file) => !/^(lib\/(src|imports)\/.*\.(js|d\.ts)|bin\/arlonctl|package\.json|README\.md|LICENSE|vendor\/SOURCES\.md|vendor\/aws-catalogue\.json|vendor\/argo-cd\/v[\d.]+\/install\.json)$/.test(file));
    expect(outside).toEqual([]);
    // the generated bindings as compiled code only (the library reads them at run time), no tests, example or benchmark
    expect(files.some((file) => file.startsWith('lib/imports/') && file.endsWith('.js'))).toBe(true);
    expect(files.filter((file) => /^(imports|src|test|example|bench|dist|\.ci)\/|^lib\/(test|example|bench)\/|cdk8s\.yaml|arlon-cache/.test(file))).toEqual([]);
  });

  test('a fleet program tests and synthesizes with it, and arlonctl reads what it wrote', () => {
    fs.writeFileSync(path.join(repo.dir, 'fleet.js'), `
      const { Cluster, EksClusterSpec, Fleet, FleetTesting, KubernetesVersion, Profile, Bundles } = require('cdk8s-arlon');
      const fleet = new Fleet({
        name: 'acme', repoUrl: 'https://git.example.com/acme/fleet.git', outdir: 'dist',
        management: { argoCdRoleArn: 'arn:aws:iam::111122223333:role/acme-argocd' },
      });
      const spec = new EksClusterSpec(fleet, 'Spec', {
        kubernetesVersion: KubernetesVersion.V1_34, region: 'eu-west-1', nodePools: { general: { instanceType: 'm6i.large' } },
      });
      const dev = new Profile(fleet, 'dev', { spec, bundles: [Bundles.metricsServer()] });
      new Cluster(fleet, 'dev-euw1', { profiles: [dev] });
      console.log(JSON.stringify(FleetTesting.synth(fleet).clustersWithBundle('metrics-server')));
      fleet.synth();
    `);
    const run = spawnSync(process.execPath, ['fleet.js'], { cwd: repo.dir, encoding: 'utf8' });
    expect(run).toMatchObject({ status: 0, stdout: '["dev-euw1"]\n', stderr: expect.stringMatching(/^synthesized fleet "acme" into dist: \d+ written/) });
    expect(fs.existsSync(path.join(repo.dir, 'dist/clusters/dev-euw1/AWSManagedControlPlane.acme--dev-euw1-control-plane.yaml'))).toBe(true);
    const bin = path.join(repo.dir, 'node_modules', manifest.name, manifest.bin.arlonctl);
    const listed = execFileSync(process.execPath, [bin, 'list', 'clusters', '--dist', 'dist'], { cwd: repo.dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: repo.dir } });
    expect(listed).toMatch(/^NAME +TYPE +PROFILES +REGION +VERSION +NODE POOLS +BUNDLES\ndev-euw1 +eks +dev +eu-west-1 +v1\.34 +general\(m6i\.large [0-9-]+\) +metrics-server\n$/);
  });

  test('a TypeScript fleet program type-checks against its declarations, through its exports', () => {
    fs.writeFileSync(path.join(repo.dir, 'fleet.ts'), [
      "import { Fleet, KubernetesVersion, type FleetProps } from 'cdk8s-arlon';",
      "const props: FleetProps = { name: 'acme', repoUrl: 'https://git.example.com/acme/fleet.git' };",
      'const fleet: Fleet = new Fleet(props);',
      'const version: string = KubernetesVersion.V1_34.version;',
      'export { fleet, version };',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(repo.dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', types: [], skipLibCheck: false },
      files: ['fleet.ts'],
    }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const typeCheck = () => {
      try {
        execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: repo.dir, encoding: 'utf8' });
        return '';
      } catch (error) {
        return String((error as { stdout?: string }).stdout);
      }
    };
    expect(typeCheck()).toBe('');
    // and a deep import into its files is refused: only the entry point is public
    fs.writeFileSync(path.join(repo.dir, 'fleet.ts'), "import { Fleet } from 'cdk8s-arlon/lib/src/fleet/fleet';\nexport { Fleet };\n");
    expect(typeCheck()).toMatch(/Cannot find module 'cdk8s-arlon\/lib\/src\/fleet\/fleet'/);
  }, 120_000);
});
