/**
 * The ApplicationSet controller's share of a fleet, counted by the ports (issue 26): which ApplicationSets a cluster
 * Secret event re-queues (`clustereventhandler.go`), and what one reconcile of the library's bundle ApplicationSets
 * costs the generators (`list.go`, `matrix.go`, `cluster.go`), on the committed dist/ of the example fleet.
 */
import * as path from 'path';
import { generateApplications, newGeneratorWork, reconcileWork, type ArgoCluster } from './argocd-applicationset';
import { requeuedByClusterSecretEvent } from './argocd-cluster-events';
import { registered } from './argocd-instance';
import { listedClusters } from '../../src/argocd/list-generator';
import type { KubeObject } from '../../src/kube/types';
import { readDist } from '../../src/operations/dist-fleet';

const appSet = (name: string, generators: unknown[], namespace = 'argocd'): KubeObject =>
  ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name, namespace }, spec: { goTemplate: true, generators } });
const secret = (labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c1', namespace: 'argocd', labels } });
const CLUSTER_SECRET = secret({ 'argocd.argoproj.io/secret-type': 'cluster' });
const list = { list: { elements: [{ cluster: 'a' }] } };
const clusters = { clusters: { selector: { matchLabels: { env: 'dev' } } } };

describe('queueRelatedAppGenerators: a cluster Secret event re-queues every ApplicationSet with a cluster generator', () => {
  const appSets = [
    appSet('list-only', [list]),
    appSet('clusters', [clusters]),
    appSet('matrix', [{ matrix: { generators: [list, clusters] } }]),
    appSet('merge', [{ merge: { generators: [clusters, list], mergeKeys: ['name'] } }]),
    appSet('nested-matrix', [{ matrix: { generators: [list, { matrix: { generators: [list, clusters] } }] } }]),
    appSet('matrix-of-lists', [{ matrix: { generators: [list, list] } }]),
    appSet('elsewhere', [clusters], 'team-a'),
  ];

  test('whatever its selector, and at any depth; never one with list generators only', () => {
    expect(requeuedByClusterSecretEvent(CLUSTER_SECRET, appSets, ['argocd'])).toEqual({
      requeued: ['argocd/clusters', 'argocd/matrix', 'argocd/merge', 'argocd/nested-matrix'],
      listed: 7,
    });
  });

  test('only Secrets labelled as cluster Secrets, and only ApplicationSets in the allowed namespaces', () => {
    expect(requeuedByClusterSecretEvent(secret({}), appSets, ['argocd'])).toEqual({ requeued: [], listed: 0 });
    expect(requeuedByClusterSecretEvent(CLUSTER_SECRET, appSets, ['argocd', 'team-a']).requeued).toContain('team-a/elsewhere');
  });
});

describe('the library\'s layout (issue 26), on the committed dist/', () => {
  const dist = readDist(path.resolve(__dirname, '../../dist'));
  const appSets = [...dist.objects.values()].filter((o) => o.kind === 'ApplicationSet') as KubeObject[];
  const bundleAppSets = appSets.filter((a) => a.metadata.name.includes('-bundle-'));
  const external = new Set(dist.clusters.filter((c) => c.external).map((c) => c.name));
  const listsExternal = (a: KubeObject) => listedClusters(a.spec).some((c) => external.has(c));
  const secrets: ArgoCluster[] = registered(dist.name, dist.clusters.map((c) => ({ name: c.name, argocdName: c.argocdName ?? c.name })));

  test('a cluster Secret event re-queues only the bundle ApplicationSets that list an external cluster (their registration gate)', () => {
    expect(external.size).toBeGreaterThan(0);
    expect(bundleAppSets.filter(listsExternal).length).toBeGreaterThan(0);
    expect(bundleAppSets.filter((a) => !listsExternal(a)).length).toBeGreaterThan(0);
    const { requeued } = requeuedByClusterSecretEvent(CLUSTER_SECRET, appSets, ['argocd']);
    expect(requeued.sort()).toEqual(bundleAppSets.filter(listsExternal).map((a) => `argocd/${a.metadata.name}`).sort());
  });

  test('a bundle ApplicationSet reconcile lists its fleet clusters once; only its external clusters match cluster Secrets, once per element', () => {
    for (const bundleAppSet of bundleAppSets) {
      const work = newGeneratorWork();
      generateApplications(bundleAppSet, { clusters: secrets, projects: new Set([`${dist.name}-bundles`]), work });
      const listed = listedClusters(bundleAppSet.spec);
      const externals = listed.filter((c) => external.has(c)).length;
      const fleetClusters = listed.length - externals;
      // what the benchmark counts for it, without rendering the template
      expect(reconcileWork(bundleAppSet, { clusters: secrets, projects: new Set() })).toEqual(work);
      expect([bundleAppSet.metadata.name, work]).toEqual([bundleAppSet.metadata.name, {
        // the fleet clusters' list once; the external clusters' matrix, its list once and its cluster generator once per
        // element (`matrix.go` GenerateParams), each call matching every cluster Secret (`cluster.go`)
        generatorCalls: (fleetClusters > 0 ? 1 : 0) + (externals > 0 ? 2 + externals : 0),
        clusterGeneratorCalls: externals,
        secretsMatched: externals * secrets.length,
        applicationsRendered: listed.length,
        applicationsValidated: listed.length,
      }]);
    }
  });
});
