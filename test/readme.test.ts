import * as fs from 'fs';
import * as path from 'path';
import { argoCdOnDist } from './support/argo';
import { CrdSchemas } from './support/crd-schemas';
import { parseFiles, readTree, tempDir } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Runs an example app with ARLON_OUTDIR pointing at a scratch directory, and returns what it wrote. */
async function synthExample(module: string): Promise<Map<string, string>> {
  const out = tempDir();
  const previous = process.env.ARLON_OUTDIR;
  process.env.ARLON_OUTDIR = out.dir;
  // the example's `fleet.synth()` prints its summary line: kept out of the test log, and checked
  const printed: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => printed.push(String(text)) > 0);
  try {
    await jest.isolateModulesAsync(async () => {
      await import(module);
    });
    expect(printed.join('')).toMatch(/^synthesized fleet "[a-z0-9-]+" into .*: \d+ written, 0 unchanged \(0 from the render cache\), 0 removed\n$/);
    return readTree(out.dir);
  } finally {
    stderr.mockRestore();
    if (previous === undefined) {
      delete process.env.ARLON_OUTDIR;
    } else {
      process.env.ARLON_OUTDIR = previous;
    }
    out.cleanup();
  }
}

describe.each([
  ['example/readme-example.ts', '../example/readme-example'],
  ['example/readme-bundles.ts', '../example/readme-bundles'],
])('the README example %s', (file, module) => {
  test('is quoted in the README word for word', () => {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8').replace("from '../src';", "from 'cdk8s-arlon';");
    expect(README).toContain(`\`\`\`ts\n${source}\`\`\``);
  });

  test('synthesizes objects that validate against their CRDs', async () => {
    const objects = parseFiles(await synthExample(module));
    const schemas = new CrdSchemas();
    expect(objects.size).toBeGreaterThan(10);
    expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
  });
});

test('the bundles example gives each cluster the bundles its README text promises', async () => {
  const argo = argoCdOnDist(await synthExample('../example/readme-bundles'));
  expect(argo.problems()).toEqual([]);
  const clustersOf = (bundle: string) => [...bundleApplications(argo).values()]
    .filter((a) => a.object.metadata.labels!['arlon.io/bundle'] === bundle)
    .map((a) => a.object.metadata.labels!['arlon.io/cluster']).sort();
  expect(clustersOf('wordpress')).toEqual(['legacy', 'web-use1', 'web-use2']);
  expect(clustersOf('team-a')).toEqual(['batch-use1', 'legacy', 'web-use1', 'web-use2']);
  expect(clustersOf('baseline-policies')).toEqual(['web-use1', 'web-use2']);
  expect(clustersOf('cluster-autoscaler')).toEqual(['batch-use1', 'web-use1', 'web-use2']);
});
