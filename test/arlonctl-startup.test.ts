import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DIST } from './support/cli';
import { tempDir } from './support/fleet-files';

/**
 * Each arlonctl command loads only what it needs (src/cli/commands/ load their actions when they run): a run that
 * never reaches a cluster loads no `@kubernetes/client-node` (about 0.5 s of CPU), and no command loads the render
 * path (cdk8s, cdk8s-plus-28, the generated bindings), which only the fleet's own synth needs. Checked by what a fresh
 * Node process running the built CLI holds in its module cache, not by timing.
 */

const ROOT = path.dirname(DIST);
const MAIN = path.join(ROOT, 'lib/src/cli/main.js');

/** The heavy packages and folders, by the path of the files they load. */
const HEAVY = {
  'client-node': /\/node_modules\/@kubernetes\/client-node\//,
  'cdk8s': /\/node_modules\/cdk8s\//,
  'cdk8s-plus-28': /\/node_modules\/cdk8s-plus-28\//,
  'bindings': /\/lib\/imports\//,
} as const;
type Heavy = keyof typeof HEAVY;

/**
 * Runs the built CLI with `args` in a fresh process, as bin/arlonctl does, after requiring `preload` (if any); returns
 * its exit status and which heavy modules it loaded. Modules Node loaded with require(esm) are in the cache too.
 */
function heavyLoadedBy(args: readonly string[], home: string, preload?: string): { status: number | null; loaded: Heavy[] } {
  const script = `
    ${preload === undefined ? '' : `require(${JSON.stringify(preload)});`}
    process.on('exit', () => require('fs').writeSync(3, JSON.stringify(Object.keys(require.cache))));
    process.argv = [process.argv[0], 'arlonctl', ...${JSON.stringify(args)}];
    require(${JSON.stringify(MAIN)}).run();`;
  const kubeconfig = path.join(home, 'kubeconfig');
  // a server nothing listens on, so that status fails at once after loading the client
  fs.writeFileSync(kubeconfig, JSON.stringify({
    'apiVersion': 'v1',
    'kind': 'Config',
    'current-context': 'm',
    'clusters': [{ name: 'm', cluster: { server: 'https://127.0.0.1:9' } }],
    'users': [{ name: 'u', user: { token: 't' } }],
    'contexts': [{ name: 'm', context: { cluster: 'm', user: 'u' } }],
  }));
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig, ARLONCTL_RETRY_DELAY_MS: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const modules = JSON.parse((run.output[3] as string | null) ?? '[]') as string[];
  expect(modules.length).toBeGreaterThan(0);
  return { status: run.status, loaded: (Object.keys(HEAVY) as Heavy[]).filter((name) => modules.some((m) => HEAVY[name].test(m))) };
}

describe('arlonctl loads only what a command needs', () => {
  let home: { dir: string; cleanup: () => void };
  beforeAll(() => {
    home = tempDir();
  });
  afterAll(() => home.cleanup());

  test.each([
    [['--version'], 0],
    [['--help'], 0],
    [['status', '--help'], 0],
    [['plan', '--help'], 0],
    [['bogus'], 2],
    [['list', 'clusters', '--output', 'yaml'], 2],
  ])('%j (version, help, usage errors) loads no heavy module', (args, status) => {
    expect(heavyLoadedBy(args, home.dir)).toEqual({ status, loaded: [] });
  });

  test.each([
    [['list', 'clusters']],
    [['describe', 'cluster', 'dev-euw1']],
    [['plan', '--no-synth', '--base', 'HEAD']],
    [['rollout', 'status', '--offline']],
  ])('%j reads dist/ without the render path or the Kubernetes client', (args) => {
    expect(heavyLoadedBy(args, home.dir)).toEqual({ status: 0, loaded: [] });
  });

  test('status loads the Kubernetes client, and still not the render path (which also shows the check sees what loads)', () => {
    expect(heavyLoadedBy(['status'], home.dir)).toEqual({ status: 1, loaded: ['client-node'] });
  });

  test('a module that loads the render path is seen', () => {
    const { loaded } = heavyLoadedBy(['--version'], home.dir, path.join(ROOT, 'lib/src/output/render.js'));
    expect(loaded).toEqual(expect.arrayContaining(['cdk8s', 'cdk8s-plus-28', 'bindings']));
  });
});
