import { buildBenchFleet, BENCH_SHAPE } from '../bench/bench-fleet';
import { CrdSchemas } from './support/crd-schemas';
import { parseFiles } from './support/fleet-files';

describe('the benchmark fleet', () => {
  const files = buildBenchFleet(20, '/nonexistent').renderFiles();
  const objects = parseFiles(files);

  test('has the shape the benchmark promises: 2 node pools and 3 bundles per cluster, 10 profiles', () => {
    const appSets = [...objects.values()].filter((o) => o.kind === 'ApplicationSet');
    const perCluster = new Map<string, number>();
    for (const set of appSets) {
      for (const { cluster } of (set.spec as { generators: Array<{ list: { elements: Array<{ cluster: string }> } }> }).generators[0].list.elements) {
        perCluster.set(cluster, (perCluster.get(cluster) ?? 0) + 1);
      }
    }
    expect(perCluster.size).toBe(20);
    expect([...perCluster.values()].every((n) => n === BENCH_SHAPE.bundlesPerCluster)).toBe(true);
    expect([...objects.values()].filter((o) => o.kind === 'MachinePool')).toHaveLength(20 * BENCH_SHAPE.nodePoolsPerCluster);
    expect(new Set([...objects.values()].flatMap((o) => Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('profile.arlon.io/')))).size)
      .toBe(BENCH_SHAPE.profiles);
  });

  test('validates against the CRDs, like the example fleet', () => {
    const schemas = new CrdSchemas();
    expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
  });

  test('keeps the root Application\'s source at three objects per cluster and one per bundle', () => {
    expect([...files.keys()].filter((f) => f.startsWith('argocd/'))).toHaveLength(20 * 3 + 21);
  });
});
