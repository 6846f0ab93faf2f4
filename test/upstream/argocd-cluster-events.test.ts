/**
 * The ApplicationSet controller's share of a fleet, counted by the ports (issue 26): which ApplicationSets a cluster
 * Secret event re-queues (`clustereventhandler.go`), and what one reconcile of the library's bundle ApplicationSets
 * costs the generators (`matrix.go`, `cluster.go`), on the committed dist/ of the example fleet.
 */
import * as path from 'path';
import { generateApplications, newGeneratorWork, type ArgoCluster } from './argocd-applicationset';
import { requeuedByClusterSecretEvent } from './argocd-cluster-events';
import { registered } from './argocd-instance';
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

describe('the library\'s layout today, on the committed dist/ (what issue 26 measures and changes)', () => {
  const dist = readDist(path.resolve(__dirname, '../../dist'));
  const appSets = [...dist.objects.values()].filter((o) => o.kind === 'ApplicationSet') as KubeObject[];
  const bundleAppSets = appSets.filter((a) => a.metadata.name.includes('-bundle-'));
  const fleetClusters = dist.clusters.filter((c) => !c.external).map((c) => ({ name: c.name, argocdName: c.argocdName ?? c.name }));
  const secrets: ArgoCluster[] = registered(dist.name, fleetClusters);

  test('one cluster Secret event re-queues every bundle ApplicationSet of every shard', () => {
    const { requeued } = requeuedByClusterSecretEvent(CLUSTER_SECRET, appSets, ['argocd']);
    expect(bundleAppSets.length).toBeGreaterThan(0);
    expect(requeued).toEqual(expect.arrayContaining(bundleAppSets.map((a) => `argocd/${a.metadata.name}`)));
  });

  test('a bundle ApplicationSet reconcile calls the cluster generator once per list element, each matching every cluster Secret', () => {
    for (const bundleAppSet of bundleAppSets) {
      const work = newGeneratorWork();
      generateApplications(bundleAppSet, { clusters: secrets, projects: new Set([`${dist.name}-bundles`]), work });
      const spec = bundleAppSet.spec as { generators: Array<{ matrix: { generators: Array<{ list?: { elements: unknown[] } }> } }> };
      const elements = spec.generators[0].matrix.generators[0].list!.elements.length;
      expect([bundleAppSet.metadata.name, work]).toEqual([bundleAppSet.metadata.name, {
        // the matrix, its list once, its cluster generator once per element (`matrix.go` GenerateParams)
        generatorCalls: 2 + elements,
        clusterGeneratorCalls: elements,
        secretsMatched: elements * secrets.length,
      }]);
    }
  });
});
