import { argoCdFigures, checkFigures } from '../bench/argocd-figures';
import { buildBenchFleet, buildWideFleet, BENCH_SHAPE, WIDE_SHAPE } from '../bench/bench-fleet';
import { argoCdOnDist } from './support/argo';
import { CrdSchemas } from './support/crd-schemas';
import { parseFiles } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';
import { shardOf } from '../src/argocd/shards';
import type { KubeObject } from '../src/kube/types';

/**
 * Checks that a benchmark fleet of `clusters` clusters has `shape`: Argo CD runs it without a problem, every cluster gets
 * that many distinct bundles, and the node pools and profiles are there. Returns each cluster's bundles.
 */
function expectShape(files: ReadonlyMap<string, string>, objects: ReadonlyMap<string, KubeObject>, clusters: number,
  shape: { readonly profiles: number; readonly nodePoolsPerCluster: number; readonly bundlesPerCluster: number }): Map<string, string[]> {
  const argo = argoCdOnDist(files);
  expect(argo.problems()).toEqual([]);
  const perCluster = new Map<string, string[]>();
  for (const app of bundleApplications(argo).values()) {
    const cluster = app.object.metadata.labels!['arlon.io/cluster'];
    perCluster.set(cluster, [...perCluster.get(cluster) ?? [], app.object.metadata.labels!['arlon.io/bundle']]);
  }
  expect(perCluster.size).toBe(clusters);
  const distinct = (bundles: readonly string[]) => new Set(bundles).size === bundles.length;
  expect([...perCluster.values()].every((bundles) => bundles.length === shape.bundlesPerCluster && distinct(bundles))).toBe(true);
  expect([...objects.values()].filter((o) => o.kind === 'MachinePool')).toHaveLength(clusters * shape.nodePoolsPerCluster);
  expect(new Set([...objects.values()].flatMap((o) => Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('profile.arlon.io/')))).size)
    .toBe(shape.profiles);
  return perCluster;
}

describe('the benchmark fleet', () => {
  const files = buildBenchFleet(20, '/nonexistent').renderFiles();
  const objects = parseFiles(files);

  test('has the shape the benchmark promises: 2 node pools and 3 bundles per cluster, 10 profiles', () => {
    expectShape(files, objects, 20, BENCH_SHAPE);
  });

  test('validates against the CRDs, like the example fleet', () => {
    const schemas = new CrdSchemas();
    expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
  });

  test('keeps the root Application\'s source at the projects and one Application per shard in use, whatever the fleet size', () => {
    const argo = argoCdOnDist(files);
    const shards = new Set(Array.from({ length: 20 }, (_, i) => shardOf(`c-${String(i).padStart(2, '0')}`, 16)));
    expect([...argo.applications.get('bench')!.manifests.values()].map((o) => o.kind).sort())
      .toEqual(['AppProject', 'AppProject', ...Array<string>(shards.size).fill('Application')]);
    // each shard's Application: its clusters' ApplicationSet and one per bundle its clusters carry
    for (const shard of argo.byOrigin('bench')) {
      expect([...shard.manifests.values()].every((o) => o.kind === 'ApplicationSet')).toBe(true);
    }
  });

  test('the Argo CD figures the benchmark prints agree with what the Argo CD harness runs', () => {
    const fleet = buildBenchFleet(20, '/nonexistent');
    const figures = argoCdFigures(fleet);
    const argo = argoCdOnDist(fleet.renderFiles());
    const sources = [...argo.applications.values()].filter((a) => a.manifests.size > 0);
    expect(figures.objectsPerApplicationSource.value).toBe(Math.max(...sources.map((a) => a.manifests.size)));
    expect(figures.bytesPerDirectorySource.value).toBe(Math.max(...sources.map((a) => a.manifestBytes)));
    expect(figures.clustersPerGenerator.value).toBe(Math.max(...[...argo.applicationSets.values()]
      .map((s) => new Set(s.result.applications.map((app) => app.metadata.labels?.['arlon.io/cluster'])).size)));
    // every Application, the root included
    expect(figures.applications).toBe(argo.applications.size);
    expect(checkFigures(figures).every((c) => c.ok)).toBe(true);
  });

  test('the controllers\' share the benchmark prints: what the ported ApplicationSet controller generates, and no re-queue per Secret event', () => {
    const fleet = buildBenchFleet(40, '/nonexistent');
    const { controller } = argoCdFigures(fleet);
    const argo = argoCdOnDist(fleet.renderFiles());
    const generated = [...argo.applicationSets.values()].flatMap((s) => s.result.applications);
    // one pass generates exactly the Applications the harness runs, one per cluster and one per (cluster, bundle)
    expect(controller.pass.applicationsRendered).toBe(generated.length);
    expect(controller.clusters).toBe(40);
    expect(controller.clusterBundles).toBe(40 * BENCH_SHAPE.bundlesPerCluster);
    expect(controller.applicationSets).toBe(argo.applicationSets.size);
    // no cluster generator: no Secret matched, and a cluster Secret event re-queues nothing
    expect(controller.pass.secretsMatched).toBe(0);
    expect(controller.event).toEqual({ requeued: 0, listed: argo.applicationSets.size, units: 0 });
    expect(controller.passUnits).toBe(controller.applicationSets + generated.length);
    // the matrix layout matched every registered Secret once per bundle element
    expect(controller.matrixLayoutSecretsMatched).toBe(controller.clusterBundles * 40);
    // the in-cluster replica: every cluster's Application and the objects of dist/clusters/
    expect(controller.applicationController.inClusterApplications).toBe(40);
    expect(controller.applicationController.inClusterLiveObjects).toBe([...fleet.renderFiles().keys()].filter((f) => f.startsWith('clusters/')).length);
  });
});

describe('the wide benchmark fleet', () => {
  const files = buildWideFleet(40, '/nonexistent').renderFiles();
  const objects = parseFiles(files);

  test('has the shape the benchmark promises: 3 node pools and 5 bundles per cluster, one of them inline, 20 profiles', () => {
    const perCluster = expectShape(files, objects, 40, WIDE_SHAPE);
    // the inline bundle of each profile: a Deployment and its Service, built by cdk8s-plus, served from the fleet repository
    const inline = [...files.keys()].filter((f) => f.startsWith('bundles/team-'));
    expect(inline).toHaveLength(2 * WIDE_SHAPE.profiles);
    expect(objects.get('bundles/team-3/Service.api.yaml')?.spec).toMatchObject({ ports: [{ port: 80, targetPort: 8080 }] });
    expect(objects.get('bundles/team-3/Deployment.api.yaml')?.spec).toMatchObject({ template: { spec: { containers: [{ image: 'registry.example.com/team-3/api:1.3.0' }] } } });
    for (const bundles of perCluster.values()) {
      expect(bundles.filter((b) => b.startsWith('team-'))).toHaveLength(1);
    }
  });

  test('validates against the CRDs', () => {
    const schemas = new CrdSchemas();
    expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
  });
});
