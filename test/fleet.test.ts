import { Construct } from 'constructs';
import { Cluster, EksClusterSpec, Fleet, Profile } from '../src';
import { application, argoCd } from './support/argo';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';
import { ArgoInstance } from './upstream/argocd-instance';

describe('Fleet', () => {
  test('bootstraps a root Application over dist/argocd and a project that only allows the fleet\'s Argo CD objects', () => {
    // GIVEN
    const fleet = testFleet({ name: 'acme', path: 'deploy/dist', argocdNamespace: 'gitops' });
    // WHEN
    const files = fleet.renderFiles();
    const objects = parseFiles(files);
    // THEN the bootstrap, and the two long-lived projects of everything else
    expect([...objects.keys()].sort()).toEqual([
      'argocd/AppProject.acme-bundles.yaml', 'argocd/AppProject.acme-clusters.yaml', 'fleet/AppProject.acme.yaml', 'fleet/Application.acme.yaml',
    ]);
    const root = findObject(objects, 'Application', 'acme');
    expect(root.metadata).toMatchObject({ namespace: 'gitops', annotations: { 'arlon.io/argocd-role-arn': 'arn:aws:iam::111122223333:role/argocd' } });
    expect(root.spec).toEqual({
      project: 'acme',
      source: { repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', path: 'deploy/dist/argocd', directory: { recurse: false } },
      destination: { name: 'in-cluster', namespace: 'gitops' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
        retry: { limit: 10, refresh: true, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
      },
    });
    expect(findObject(objects, 'AppProject', 'acme').spec).toMatchObject({
      sourceRepos: ['https://git.example.com/platform/fleet.git'],
      destinations: [{ name: 'in-cluster', namespace: 'gitops' }],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'AppProject' },
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'ApplicationSet' },
        { group: '', kind: 'ConfigMap' },
      ],
    });
    // AND Argo CD syncs it without a problem
    const argo = new ArgoInstance(files, 'fleet/Application.acme.yaml', { repoUrl: fleet.repoUrl, distPath: fleet.distPath, clusters: [] });
    expect(argo.problems()).toEqual([]);
    expect([...application(argo, 'acme').manifests.keys()].sort()).toEqual(['argocd/AppProject.acme-bundles.yaml', 'argocd/AppProject.acme-clusters.yaml']);
  });

  test('shards its clusters\' Argo CD objects: one Application per shard in use, syncing that shard\'s ApplicationSets', () => {
    const fleet = testFleet({ shards: 4 });
    const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
    const names = Array.from({ length: 12 }, (_, i) => `c-${i}`);
    const clusters = names.map((name) => new Cluster(fleet, name, { profiles: [profile] }));
    const argo = argoCd(fleet);
    expect(argo.problems()).toEqual([]);
    const shardApps = argo.byOrigin('test');
    expect(shardApps.map((a) => a.object.metadata.name).sort()).toEqual(['test-shard-0', 'test-shard-1', 'test-shard-2', 'test-shard-3']
      .map((n) => n.replace(/-(\d)$/, '-0$1')));
    // every cluster's Application comes from exactly one shard's ApplicationSet
    const clusterApps = [...argo.applications.values()].filter((a) => a.origin.startsWith('test-clusters-'));
    expect(clusterApps.map((a) => a.object.metadata.name).sort()).toEqual(clusters.map((c) => c.names.base).sort());
    for (const shard of shardApps) {
      expect(shard.object.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
      expect([...shard.manifests.values()].every((o) => o.kind === 'ApplicationSet')).toBe(true);
    }
  });

  test('defaults to revision HEAD, path dist, namespace argocd and the in-cluster destination', () => {
    const fleet = new Fleet({ repoUrl: 'git@github.com:acme/fleet.git', outdir: '/nonexistent' });
    const root = findObject(parseFiles(fleet.renderFiles()), 'Application', 'fleet');
    expect(root.spec).toMatchObject({
      source: { repoURL: 'git@github.com:acme/fleet.git', targetRevision: 'HEAD', path: 'dist/argocd' },
      destination: { name: 'in-cluster', namespace: 'argocd' },
    });
  });

  test.each([
    ['nothing', {}, undefined, 'dist'],
    ['the program', {}, 'out/fleet', 'out/fleet'],
    ['ARLON_OUTDIR, over the program (as arlonctl check sets it)', { ARLON_OUTDIR: '/tmp/check' }, 'out/fleet', '/tmp/check'],
    ['not CDK8S_OUTDIR, which cdk8s synth empties before the program runs', { CDK8S_OUTDIR: 'cdk8s.out' }, undefined, 'dist'],
  ])('takes its output directory from %s', (_, env: Record<string, string>, outdir, expected) => {
    const previous = { ARLON_OUTDIR: process.env.ARLON_OUTDIR, CDK8S_OUTDIR: process.env.CDK8S_OUTDIR };
    delete process.env.ARLON_OUTDIR;
    delete process.env.CDK8S_OUTDIR;
    Object.assign(process.env, env);
    try {
      expect(new Fleet({ repoUrl: 'https://git.example.com/fleet.git', outdir }).outdir).toBe(expected);
    } finally {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) {
          delete process.env[name];
        } else {
          process.env[name] = value;
        }
      }
    }
  });

  test('is found from any construct inside it', () => {
    const fleet = testFleet();
    const group = new Construct(fleet, 'Group');
    const profile = new Profile(group, 'nested');
    expect(Fleet.of(profile)).toBe(fleet);
    expect(Fleet.isFleet(fleet)).toBe(true);
    expect(Fleet.isFleet(group)).toBe(false);
  });

  test('runs construct validations before rendering anything', () => {
    const fleet = testFleet();
    new Construct(fleet, 'Checked').node.addValidation({ validate: () => ['something was never added'] });
    expect(() => fleet.renderFiles()).toThrow('Validation failed with the following errors:\n  [Checked] something was never added');
  });

  test('matches the snapshot of its bootstrap files', () => {
    expect(Object.fromEntries(testFleet().renderFiles())).toMatchSnapshot();
  });
});
