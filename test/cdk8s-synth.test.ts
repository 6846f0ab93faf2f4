import { spawnSync } from 'child_process';
import * as path from 'path';
import { readTree, tempDir } from './support/fleet-files';

const ROOT = path.resolve(__dirname, '..');

test('`cdk8s synth` (cdk8s.yaml) produces the committed dist/', () => {
  // GIVEN the compiled example app, run by the standard cdk8s CLI into a scratch output directory
  const out = tempDir();
  try {
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade', '--output', out.dir], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    // THEN it succeeds and writes exactly the committed files
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('synthesized fleet "acme"') });
    expect(readTree(out.dir)).toEqual(readTree(path.join(ROOT, 'dist')));
  } finally {
    out.cleanup();
  }
});
