import * as fs from 'fs';
import * as path from 'path';
import { CrdSchemas } from './support/crd-schemas';
import { parseFiles, readTree, tempDir } from './support/fleet-files';

const ROOT = path.resolve(__dirname, '..');

test('the README example is example/readme-example.ts, word for word', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const source = fs.readFileSync(path.join(ROOT, 'example/readme-example.ts'), 'utf8').replace("from '../src';", "from 'cdk8s-arlon';");
  expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
});

test('the README example synthesizes valid objects for both clusters', async () => {
  const out = tempDir();
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = out.dir;
  try {
    await jest.isolateModulesAsync(async () => {
      await import('../example/readme-example');
    });
    const objects = parseFiles(readTree(out.dir));
    const schemas = new CrdSchemas();
    expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
    expect([...objects.values()].filter((o) => o.kind === 'Cluster').map((o) => o.metadata.name).sort()).toEqual(['web-euw1', 'web-use1']);
  } finally {
    if (previous === undefined) {
      delete process.env.CDK8S_OUTDIR;
    } else {
      process.env.CDK8S_OUTDIR = previous;
    }
    out.cleanup();
  }
});
