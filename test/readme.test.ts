import * as fs from 'fs';
import * as path from 'path';
import { CrdSchemas } from './support/crd-schemas';
import { parseFiles, readTree, tempDir } from './support/fleet-files';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Runs an example app with CDK8S_OUTDIR pointing at a scratch directory, and returns what it wrote. */
async function synthExample(module: string): Promise<ReturnType<typeof parseFiles>> {
  const out = tempDir();
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = out.dir;
  try {
    await jest.isolateModulesAsync(async () => {
      await import(module);
    });
    return parseFiles(readTree(out.dir));
  } finally {
    if (previous === undefined) {
      delete process.env.CDK8S_OUTDIR;
    } else {
      process.env.CDK8S_OUTDIR = previous;
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
    const objects = await synthExample(module);
    const schemas = new CrdSchemas();
    expect(objects.size).toBeGreaterThan(10);
    expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
  });
});

test('the bundles example gives each cluster the bundles its README text promises', async () => {
  const objects = await synthExample('../example/readme-bundles');
  const clustersOf = (bundle: string) => [...objects.values()]
    .filter((o) => o.kind === 'ApplicationSet' && o.metadata.name === bundle)
    .flatMap((o) => (o.spec as { generators: Array<{ list: { elements: Array<{ cluster: string }> } }> }).generators[0].list.elements)
    .map((e) => e.cluster);
  expect(clustersOf('wordpress')).toEqual(['legacy', 'web-use1', 'web-use2']);
  expect(clustersOf('team-a')).toEqual(['batch-use1', 'legacy', 'web-use1', 'web-use2']);
  expect(clustersOf('baseline-policies')).toEqual(['web-use1', 'web-use2']);
  expect(clustersOf('cluster-autoscaler')).toEqual(['batch-use1', 'web-use1', 'web-use2']);
});
