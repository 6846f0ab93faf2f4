import * as fs from 'fs';
import * as path from 'path';
import { buildExampleFleet } from '../example/fleet';
import { argoCdOnDist } from './support/argo';
import { BUILTIN_KINDS, CrdSchemas } from './support/crd-schemas';
import { parseFiles, readTree, tempDir } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';
import { shardOf } from '../src/argocd/shards';
import { applicationNameOf, readDistFiles } from '../src/operations/dist-fleet';
import { DistLayout } from '../src/output/layout';

const DIST = path.resolve(__dirname, '../dist');
const schemas = new CrdSchemas();

describe('the committed dist/', () => {
  const committed = readTree(DIST);
  // Kubernetes objects: everything but clusterawsadm's configuration, which is read by clusterawsadm, not an API server.
  const objects = new Map([...parseFiles(committed)].filter(([file]) => file !== DistLayout.awsIamConfigurationFile));
  const fleetObjects = [...objects].filter(([file]) => !file.startsWith('management/')).map(([, obj]) => obj);
  /** The clusters as dist/ names them outside the repository (Argo CD, Application and Cluster API names). */
  const distClusters = new Map(readDistFiles(committed, DIST).clusters.map((c) => [c.name, c]));

  test('holds objects for the whole example fleet', () => {
    // GIVEN the example fleet: 5 clusters with 1, 1, 2, 2 and 2+1 node pools, 5 bundles (one inline), 1 external cluster
    const kinds = fleetObjects.map((o) => o.kind);
    const count = (kind: string) => kinds.filter((k) => k === kind).length;
    // THEN one Cluster API object set per cluster, one MachinePool pair per pool, and Argo CD wiring for each
    expect(count('Cluster')).toBe(5);
    expect(count('AWSManagedCluster')).toBe(5);
    expect(count('AWSManagedControlPlane')).toBe(5);
    expect(count('Namespace')).toBe(5);
    expect(count('MachinePool')).toBe(9);
    expect(count('AWSManagedMachinePool')).toBe(9);
    // Argo CD: the root Application, one per shard in use; projects: root, clusters, bundles; per shard one
    // ApplicationSet for its clusters and one per bundle any of its clusters gets
    const shards = new Set(['dev-use1', 'dev-euw1', 'canary-use1', 'prod-use1', 'prod-euw1', 'legacy-ops'].map((c) => shardOf(c, 16)));
    // and the management plane's root, which keeps dist/management/applications/ in sync
    expect(count('Application')).toBe(2 + shards.size);
    expect(count('AppProject')).toBe(3);
    // the management plane: Argo CD's install and its namespace, 4 Applications, the providers and their namespaces
    const management = [...objects].filter(([file]) => file.startsWith('management/')).map(([, obj]) => `${obj.kind}/${obj.metadata.name}`);
    expect(management.filter((k) => k.startsWith('Application/'))).toEqual([
      'Application/acme-management-argo-cd', 'Application/acme-management-cert-manager',
      'Application/acme-management-cluster-api-operator', 'Application/acme-management-providers',
    ]);
    expect(management.filter((k) => /^(CoreProvider|InfrastructureProvider|Namespace)\//.test(k)).sort())
      .toEqual(['CoreProvider/cluster-api', 'InfrastructureProvider/aws', 'Namespace/argocd', 'Namespace/capa-system', 'Namespace/capi-system']);
    const bundleSets = [...objects.values()].filter((o) => o.kind === 'ApplicationSet' && o.metadata.labels?.['arlon.io/bundle'] !== undefined);
    expect(count('ApplicationSet') - bundleSets.length).toBe(shards.size);
    expect(new Set(bundleSets.map((o) => o.metadata.labels!['arlon.io/bundle']))).toEqual(new Set(['baseline-policies', 'cluster-autoscaler', 'metrics-server', 'tenant-baseline', 'wordpress']));
    // the inline bundle's cdk8s-plus objects
    expect([...objects.keys()].filter((f) => f.startsWith('bundles/tenant-baseline/')).sort()).toEqual([
      'bundles/tenant-baseline/NetworkPolicy.default-deny-ingress.yaml',
      'bundles/tenant-baseline/Role.deployer.yaml',
      'bundles/tenant-baseline/RoleBinding.deployer.yaml',
      'bundles/tenant-baseline/ServiceAccount.deployer.yaml',
    ]);
  });

  test('gives every cluster exactly the bundles of its profiles, its own, minus its exclusions', () => {
    // GIVEN Argo CD running the committed dist/, every cluster registered
    const argo = argoCdOnDist(committed);
    expect(argo.problems()).toEqual([]);
    // THEN the Applications its ApplicationSets generate install on each cluster exactly these bundles
    const receivers = new Map<string, string[]>();
    for (const app of bundleApplications(argo).values()) {
      const { 'arlon.io/cluster': cluster, 'arlon.io/bundle': bundle } = app.object.metadata.labels!;
      // on the cluster Argo CD knows under its fleet-scoped name (an external cluster under its own)
      expect((app.object.spec as { destination: { name: string } }).destination.name).toBe(distClusters.get(cluster)!.argocdName);
      expect(app.object.metadata.name).toBe(applicationNameOf('acme', distClusters.get(cluster)!, bundle));
      receivers.set(cluster, [...(receivers.get(cluster) ?? []), bundle].sort());
    }
    expect(Object.fromEntries(receivers)).toEqual({
      'dev-use1': ['baseline-policies', 'metrics-server', 'tenant-baseline', 'wordpress'],
      'dev-euw1': ['baseline-policies', 'metrics-server', 'tenant-baseline', 'wordpress'],
      'canary-use1': ['baseline-policies', 'cluster-autoscaler', 'metrics-server'],
      'prod-use1': ['baseline-policies', 'cluster-autoscaler', 'metrics-server'],
      'prod-euw1': ['baseline-policies', 'cluster-autoscaler', 'metrics-server'],
      'legacy-ops': ['baseline-policies', 'metrics-server', 'tenant-baseline'],
    });
  });

  test('names only value files that exist, and never lets Argo CD skip a missing one', () => {
    // `ignoreMissingValueFiles` would hide a mistyped file, and render a chart without its values while a commit removes one
    for (const app of bundleApplications(argoCdOnDist(committed)).values()) {
      const helm = (app.object.spec as { sources?: Array<{ helm?: { ignoreMissingValueFiles?: boolean } }> }).sources?.[0]?.helm;
      expect({ app: app.object.metadata.name, missing: app.missingValueFiles, ignoreMissing: helm?.ignoreMissingValueFiles })
        .toEqual({ app: app.object.metadata.name, missing: [], ignoreMissing: undefined });
    }
    // and the clusters with values of their own get them: WordPress's hostname differs per dev cluster
    const wordpress = [...bundleApplications(argoCdOnDist(committed)).values()].filter((a) => a.object.metadata.labels!['arlon.io/bundle'] === 'wordpress');
    expect(wordpress.map((a) => a.missingValueFiles)).toEqual(wordpress.map(() => []));
    const hostnames = Object.fromEntries(wordpress.map((a) => [a.object.metadata.labels!['arlon.io/cluster'], (a.helmValues!.ingress as { hostname: string }).hostname]));
    expect(hostnames).toEqual({ 'dev-euw1': 'blog.acme.example', 'dev-use1': 'blog.dev-use1.acme.example' });
  });

  test('gives every fleet cluster one Application, in-cluster, holding exactly its Cluster API objects', () => {
    const argo = argoCdOnDist(committed);
    const clusterApps = [...argo.applications.values()].filter((a) => a.origin.startsWith('acme-clusters-'));
    expect(clusterApps.map((a) => a.object.metadata.labels!['arlon.io/cluster']).sort()).toEqual(['canary-use1', 'dev-euw1', 'dev-use1', 'prod-euw1', 'prod-use1']);
    for (const app of clusterApps) {
      const cluster = app.object.metadata.labels!['arlon.io/cluster'];
      // named after the cluster's fleet-scoped name, as its namespace and Cluster API objects are
      expect(app.object.metadata.name).toBe(`acme--${cluster}`);
      expect(app.object.metadata.name).toBe(applicationNameOf('acme', distClusters.get(cluster)!));
      expect((app.object.spec as { destination: { name: string } }).destination.name).toBe('in-cluster');
      expect([...app.manifests.keys()].sort()).toEqual([...committed.keys()].filter((f) => f.startsWith(`clusters/${cluster}/`)).sort());
    }
  });

  test('every object validates against the served version of its CRD', () => {
    const problems = [...objects].flatMap(([file, obj]) => schemas.validate(obj).map((p) => `${file}: ${p}`));
    expect(problems).toEqual([]);
  });

  test('every object uses a served apiVersion', () => {
    for (const obj of objects.values()) {
      if (BUILTIN_KINDS.has(`${obj.apiVersion}/${obj.kind}`)) {
        continue;
      }
      const [group, version] = obj.apiVersion.split('/');
      expect(schemas.servedVersions(group, obj.kind)).toContain(version);
    }
  });

  test('is exactly what a fresh synth produces (a stale dist/ fails CI)', () => {
    const fresh = buildExampleFleet().renderFiles();
    expect([...fresh.keys()].sort()).toEqual([...committed.keys()].sort());
    for (const [file, content] of fresh) {
      expect({ file, content }).toEqual({ file, content: committed.get(file) });
    }
  });
});

describe('synthesis', () => {
  test('is deterministic: two syntheses write byte-identical files', () => {
    const first = tempDir();
    const second = tempDir();
    try {
      buildExampleFleet({ outdir: first.dir }).writeFiles();
      buildExampleFleet({ outdir: second.dir }).writeFiles();
      expect(readTree(second.dir)).toEqual(readTree(first.dir));
      expect(readTree(first.dir).size).toBeGreaterThan(0);
    } finally {
      first.cleanup();
      second.cleanup();
    }
  });

  test('writes only generated files with the header', () => {
    const out = tempDir();
    try {
      buildExampleFleet({ outdir: out.dir }).writeFiles();
      for (const content of readTree(out.dir).values()) {
        expect(content.startsWith('# Generated by cdk8s-arlon.')).toBe(true);
      }
      expect(fs.existsSync(path.join(out.dir, 'fleet', 'Application.acme.yaml'))).toBe(true);
    } finally {
      out.cleanup();
    }
  });
});
